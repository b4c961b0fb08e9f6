"""Makes the sample questionnaire exports the tests read (run again to regenerate them).

pre-course-kobo.xlsx: 26 answers in KoboToolbox's "XML values and headers" layout (group
paths joined by "/", metadata columns), three of them malformed (an unknown sector, an
experience of 7, an experience written as a word). pre-course-odk.csv: the same answers in
ODK Central's CSV layout (group paths joined by "-").
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
SECTORS = ["government"] * 14 + ["ngo"] * 6 + ["nhri"] * 3 + ["un", "trade_union", "humanitarian"]
GENDERS = ["woman", "man", "woman", "man", "prefer_not_to_say", "woman", "non_binary", "man"]
TOPICS = ["terms", "cmw", "un_system", "hrba", "cmw un_system", "terms hrba"]
EXPECT = [
    "Understand our obligations under the treaties",
    "Learn how to report to treaty bodies",
    "Practical tools for border officials",
    "",
]


def rows() -> list[dict[str, str]]:
    out = []
    for n in range(26):
        out.append(
            {
                "section_1/sector": SECTORS[n],
                "section_1/gender": GENDERS[n % len(GENDERS)],
                "section_2/hr_experience": str(1 + n % 3),
                "section_2/migration_experience": str(2 + n % 2),
                "section_3/topics": TOPICS[n % len(TOPICS)],
                "section_3/expectations": EXPECT[n % len(EXPECT)],
            }
        )
    out[4]["section_1/sector"] = "ministry"          # not a sector code
    out[9]["section_2/hr_experience"] = "7"           # off the 1-5 scale
    out[17]["section_2/migration_experience"] = "a lot"  # not a number
    return out


def main() -> None:
    data = rows()
    meta = ["start", "end", "today"]
    book = Workbook()
    sheet = book.active
    sheet.title = "pre_course"
    header = meta + list(data[0]) + ["_id", "_uuid", "_submission_time"]
    sheet.append(header)
    for n, row in enumerate(data, start=1):
        sheet.append(["2027-02-01T09:00:00", "2027-02-01T09:12:00", "2027-02-01", *row.values(), n, f"uuid-{n:04d}", "2027-02-01T09:12:30"])
    book.save(HERE / "pre-course-kobo.xlsx")
    with (HERE / "pre-course-odk.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["SubmissionDate", *(key.replace("/", "-") for key in data[0]), "KEY"])
        for n, row in enumerate(data, start=1):
            writer.writerow(["2027-02-01", *row.values(), f"uuid:{n:04d}"])


if __name__ == "__main__":
    main()
