"""Synthetic answers to a three-day course's forms, for the tests of `trainer evaluate`.

    python tests/data/make_responses.py OUT_DIR

writes OUT_DIR/course/ (a course folder: the guide's sample three-day agenda, 24 participants)
and OUT_DIR/responses/ with answers in every layout the report reads:

| file | layout | respondents |
| --- | --- | --- |
| end-of-day-day-1-kobo.xlsx | KoboToolbox XLSX, "XML values and headers" (`section_1/knowledge_s1`) | P01-P20, one submitted twice (same `_uuid`), two malformed |
| end-of-day-day-1-paper.xlsx | the data-entry sheet `trainer build` writes | P21-P23 (P24 was absent on day 1) |
| end-of-day-day-2-odk.csv | ODK Central CSV (`section_1-knowledge_s4`, `FormVersion`, `KEY`), an extra column | P01-P23 except P10, one malformed |
| end-of-day-day-3-entry.xlsx | data-entry sheet | P01-P24, one typed in twice, two malformed |
| end-of-course-kobo-labels.csv | Kobo CSV with question labels as headers and answer labels as values, `;`-separated | P01-P23, one malformed |
| pre-course-odk.csv | ODK Central CSV | P01-P24, codes for P01-P20 |
| self-inventory-entry.xlsx | data-entry sheet, start and end on one sheet | start P01-P24, end P01-P22 |
| follow-up-kobo.xlsx | Kobo XLSX with one 1/0 column per option of the multiple-choice questions | P01-P14 |

The participants: women 11, men 8, self-described 3 (two non-binary, one "other" with her
own words), prefer not to say 2; government 12, NGO 6, NHRI 4, UN 2. The gender group of 3
and the sector groups of 4 and 2 are under the report's minimum of five.

Ratings follow a fixed rule (`rating`), so every figure can be computed again by hand from
`truth()`: the answers each file holds that the report must use, by printed form.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PARTICIPANTS = [f"P{n:02d}" for n in range(1, 25)]
GENDER = {p: g for p, g in zip(PARTICIPANTS, (
    "woman", "man", "woman", "non-binary", "woman", "man", "prefer-not-to-say", "woman", "man", "woman", "other", "man",
    "woman", "woman", "man", "non-binary", "woman", "man", "woman", "prefer-not-to-say", "man", "woman", "man", "woman",
))}
SECTOR = {p: s for p, s in zip(PARTICIPANTS, (
    "government", "ngo", "government", "nhri", "government", "government", "ngo", "un", "government", "nhri", "government",
    "ngo", "government", "ngo", "government", "nhri", "government", "ngo", "government", "un", "government", "nhri",
    "ngo", "government",
))}
CODE = {p: f"{'ABCDEFGHJKLMNPQRSTUVWXYZ'[i]}{'AEIOU'[i % 5]}{(i * 7) % 28 + 1:02d}" for i, p in enumerate(PARTICIPANTS)}
BASE = {1: 4, 2: 4, 3: 3, 4: 4, 5: 3, 6: 5, 7: 2}
"""Each session's typical rating: sessions 7, 3 and 5 come out lowest."""
KINDS = {"knowledge": 0, "relevance": 1, "methods": 2}
SHIFT = (-1, 0, 0, 1, 0)
def _course_yaml() -> str:
    """The guide's sample course (its sessions, pins and days), except that the last day ends
    with a wrap-up instead of the final close: so every day, the last one too, has its
    end-of-day form (a course that closes with the end-of-course form instead asks the last
    day's sessions on that form; tests/test_print_documents.py covers it)."""
    import yaml

    root = Path(__file__).resolve().parents[2]
    sample = yaml.safe_load((root / "modules" / "course.yaml").read_text(encoding="utf-8"))["sample_agenda"]
    days = sample["days"]
    days[-1] = {**days[-1], "close": 0, "wrap_up": 30}
    head = "title: Synthetic evaluation course\nstart_date: 2027-03-01\ncity: Testville\nparticipants_expected: 24\n"
    return head + yaml.safe_dump({"sessions": sample["sessions"], "days": days}, sort_keys=False, allow_unicode=True)


COURSE_YAML = _course_yaml()


def rating(participant: str, base: int, offset: int) -> int:
    """A rating near `base`: one in five a point lower, one in five a point higher (1-5)."""
    index = PARTICIPANTS.index(participant)
    return max(1, min(5, base + SHIFT[(index + offset) % 5]))


@dataclass
class Truth:
    """What the report must find: the answers it uses, by printed form, and the bad rows."""

    used: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """layout key -> one dict per counted respondent: {"participant": "P01", question name: value}."""
    problems: list[tuple[str, int, str]] = field(default_factory=list)
    """(file name, row number, words the message holds) for every bad row."""
    duplicates: list[tuple[str, int]] = field(default_factory=list)


# ---------------------------------------------------------------------------- answers


def end_of_day(participant: str, layout: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in layout.questions:
        name = question["name"]
        if question["type"] == "scale":
            kind, number = name.rsplit("_s", 1)
            answers[name] = rating(participant, BASE[int(number)], KINDS[kind] + int(number))
    index = PARTICIPANTS.index(participant)
    if index % 3 == 0:
        answers["most_useful"] = f"The case study ({participant})"
    if index % 4 == 1:
        answers["improve"] = f"More time for questions ({participant}, day {layout.day})"
    if index % 6 == 2:
        answers["comments"] = f"Thank you ({participant})"
    answers.update(profile(participant))
    return answers


def profile(participant: str) -> dict[str, Any]:
    answers = {"sector": SECTOR[participant], "gender": GENDER[participant]}
    if GENDER[participant] == "other":
        answers["gender_other"] = "genderfluid"
    return answers


def end_of_course(participant: str, layout: Any) -> dict[str, Any]:
    index = PARTICIPANTS.index(participant)
    answers: dict[str, Any] = {}
    if participant not in ("P01", "P02"):
        answers["participant_code"] = CODE[participant]
    for number, question in enumerate(q for q in layout.questions if q["type"] == "scale"):
        answers[question["name"]] = rating(participant, 4, number)
    answers["timing"] = ("right", "right", "too-short", "right", "too-long")[index % 5]
    answers["follow_up"] = [["materials"], ["coaching", "network"], ["advanced"], ["materials", "advanced"]][index % 4]
    if index % 2 == 0:
        answers["most_useful"] = f"Treaty bodies ({participant})"
    if index % 5 == 3:
        answers["improve"] = f"Fewer slides ({participant})"
    answers.update(profile(participant))
    return answers


def pre_course(participant: str, layout: Any) -> dict[str, Any]:
    index = PARTICIPANTS.index(participant)
    answers: dict[str, Any] = {}
    if index < 20:
        answers["participant_code"] = CODE[participant]
    answers["hr_experience"] = 1 + index % 3
    answers["migration_experience"] = 2 + index % 2
    for number, question in enumerate(q for q in layout.questions if q["name"].startswith("can_")):
        answers[question["name"]] = rating(participant, 2, number)
    answers["topics"] = [["terms"], ["cmw", "un-system"], ["hrba"]][index % 3]
    if index % 2:
        answers["expectations"] = f"Practical tools ({participant})"
    answers.update(profile(participant))
    return answers


def self_inventory(participant: str, layout: Any, when: str) -> dict[str, Any]:
    answers: dict[str, Any] = {"when": when}
    if participant not in ("P23", "P24"):
        answers["participant_code"] = CODE[participant]
    for number, question in enumerate(q for q in layout.questions if q["type"] == "scale"):
        answers[question["name"]] = rating(participant, 2 if when == "start" else 4, number)
    answers.update(profile(participant))
    return answers


def follow_up(participant: str, layout: Any) -> dict[str, Any]:
    index = PARTICIPANTS.index(participant)
    answers: dict[str, Any] = {"participant_code": CODE[participant], "job_changed": "no"}
    for number, question in enumerate(q for q in layout.questions if q["type"] == "scale"):
        answers[question["name"]] = rating(participant, 3, number)
    answers["used_mechanisms"] = ("yes", "no", "not-sure")[index % 3]
    answers["used_hrba"] = ("yes", "no")[index % 2]
    answers["shared"] = ("yes", "no")[index % 2]
    answers["obstacles"] = [["time"], ["mandate", "resources"], ["nothing"]][index % 3]
    answers["support"] = [["coaching"], ["network", "materials"]][index % 2]
    answers["applied"] = f"Used the checklist at work ({participant})"
    answers.update(profile(participant))
    return answers


# ---------------------------------------------------------------------------- layouts of files


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(value)
    return "" if value is None else str(value)


def _groups(layout: Any) -> dict[str, int]:
    """question name -> its XLSForm group number (section_N), as render/forms.py numbers them."""
    out, section, number = {}, None, 0
    for question in layout.questions:
        if question["section"] != section:
            section, number = question["section"], number + 1
        out[question["name"]] = number
    return out


def _columns(layout: Any) -> list[str]:
    names = []
    for question in layout.questions:
        names.append(question["name"])
        if question["other"]:
            names.append(question["name"] + "_other")
    return names


def kobo_xlsx(path: Path, layout: Any, rows: list[dict[str, Any]], split_multiple: bool = False) -> list[int]:
    """Kobo's XLSX export ("XML values and headers"); returns each row's row number."""
    from openpyxl import Workbook

    groups = _groups(layout)
    header = ["start", "end", "today"]
    names = _columns(layout)
    for name in names:
        header.append(f"section_{groups[name.removesuffix('_other')]}/{name}")
        question = layout.question(name)
        if split_multiple and question is not None and question["type"] == "multiple":
            for option in question["options"]:
                header.append(f"section_{groups[name]}/{name}/{option['value']}")
    header += ["_id", "_uuid", "_submission_time", "_index"]
    book = Workbook()
    sheet = book.active
    sheet.title = layout.title[:31]
    sheet.append(header)
    numbers = []
    for index, answers in enumerate(rows, start=1):
        cells = ["2027-03-01T17:00:00", "2027-03-01T17:06:00", "2027-03-01"]
        for name in names:
            cells.append(_cell(answers.get(name)))
            question = layout.question(name)
            if split_multiple and question is not None and question["type"] == "multiple":
                for option in question["options"]:
                    cells.append("1" if option["value"] in answers.get(name, []) else "0")
        cells += [index, answers.get("_uuid", f"uuid-{layout.key}-{answers['participant']}"), "2027-03-01T17:06:30", index]
        sheet.append(cells)
        numbers.append(index + 1)
    book.save(path)
    return numbers


def odk_csv(path: Path, layout: Any, rows: list[dict[str, Any]], extra: dict[str, str] | None = None) -> list[int]:
    """ODK Central's CSV export: groups joined with "-", a KEY and the form version."""
    groups = _groups(layout)
    names = _columns(layout)
    header = ["SubmissionDate"] + [f"section_{groups[n.removesuffix('_other')]}-{n}" for n in names]
    header += list(extra or {}) + ["meta-instanceID", "KEY", "SubmitterID", "ReviewState", "FormVersion"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for answers in rows:
            key = f"uuid:{layout.key}-{answers['participant']}"
            writer.writerow(["2027-03-02T17:05:00.000Z", *(_cell(answers.get(n)) for n in names),
                             *(extra or {}).values(), key, key, "5", "", layout.version])
    return list(range(2, len(rows) + 2))


def kobo_labels_csv(path: Path, layout: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Kobo's CSV export with "labels": the question's text (after its group's label) heads each
    column and answers are written as their labels; fields separated by ";"."""
    header = ["start", "end"]
    names = _columns(layout)
    for name in names:
        if name.endswith("_other"):
            header.append("Please specify")
        else:
            question = layout.question(name)
            header.append(f"{question['section']}/{question['text']}")
    header += ["_id", "_uuid", "_submission_time"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    for index, answers in enumerate(rows, start=1):
        cells = ["2027-03-03T15:00:00", "2027-03-03T15:10:00"]
        for name in names:
            question = layout.question(name)
            value = answers.get(name)
            if question is None or value is None:
                cells.append(_cell(value))
            elif question["type"] == "scale":
                low, high = question["scale"]
                labels = {low: f" ({question['scale_labels'][0]})", high: f" ({question['scale_labels'][1]})"}
                cells.append(f"{value}{labels.get(value, '')}")
            elif question["type"] in ("single", "multiple"):
                by_value = {option["value"]: option["label"] for option in question["options"]} | {"other": "Other"}
                chosen = value if isinstance(value, list) else [value]
                cells.append(" ".join(by_value.get(v, v) for v in chosen))
            else:
                cells.append(_cell(value))
        cells += [str(index), f"uuid-eoc-{answers['participant']}", "2027-03-03T15:10:30"]
        writer.writerow(cells)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return list(range(2, len(rows) + 2))


def data_entry(path: Path, layout: Any, blank: bytes, rows: list[dict[str, Any]]) -> list[int]:
    """The data-entry sheet `trainer build` wrote, typed in from row 3 as a facilitator would."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(blank))
    sheet = book["responses"]
    names = [cell.value for cell in sheet[1]]
    numbers = []
    for index, answers in enumerate(rows, start=1):
        row = []
        for name in names:
            if name == "respondent":
                row.append(answers.get("respondent", index))
            else:
                value = answers.get(name)
                row.append(value if isinstance(value, int) else _cell(value))
        sheet.append(row)
        numbers.append(sheet.max_row)
    book.save(path)
    return numbers


# ---------------------------------------------------------------------------- the files


def make(out: Path) -> Truth:
    """Write the course folder and every file of answers into `out`; return what the report must find."""
    from trainer.evaluate import layouts
    from trainer.prepare import prepare
    from trainer.render import forms
    from trainer.render.common import BuildContext

    course = out / "course"
    course.mkdir(parents=True, exist_ok=True)
    (course / "course.yaml").write_text(COURSE_YAML, encoding="utf-8")
    answers_dir = out / "responses"
    answers_dir.mkdir(exist_ok=True)
    prepared = prepare(course)
    context = BuildContext(prepared)
    env = context.env()
    by_key = {layout.key: layout for layout in layouts(prepared)}
    blanks = {}
    for stem, title, form, day in forms.form_instances(context):
        blanks[stem] = forms.data_entry(env, forms.view(context, stem, title, form, day))
    truth = Truth()

    def use(key: str, participant: str, answers: dict[str, Any]) -> None:
        truth.used.setdefault(key, []).append({"participant": participant, **answers})

    # day 1: Kobo XLSX (P01-P20; P05 submitted twice; P07 and P12 malformed) + paper (P21-P23)
    day1 = by_key["end-of-day-day-1"]
    rows = []
    for p in PARTICIPANTS[:20]:
        answers = {"participant": p, **end_of_day(p, day1)}
        if p == "P07":
            answers["knowledge_s2"] = 7
        if p == "P12":
            answers["relevance_s3"] = None
        rows.append(answers)
    rows.append(dict(rows[4]))  # P05's submission again, same _uuid
    numbers = kobo_xlsx(answers_dir / "end-of-day-day-1-kobo.xlsx", day1, rows)
    for answers, number in zip(rows[:20], numbers):
        if answers["participant"] == "P07":
            truth.problems.append(("end-of-day-day-1-kobo.xlsx", number, "knowledge_s2: '7' is outside the scale 1-5"))
        elif answers["participant"] == "P12":
            truth.problems.append(("end-of-day-day-1-kobo.xlsx", number, "relevance_s3: a required answer is missing"))
        else:
            use(day1.key, answers["participant"], {k: v for k, v in answers.items() if k != "participant"})
    truth.duplicates.append(("end-of-day-day-1-kobo.xlsx", numbers[-1]))
    paper = [{"participant": p, **end_of_day(p, day1)} for p in PARTICIPANTS[20:23]]
    data_entry(answers_dir / "end-of-day-day-1-paper.xlsx", day1, blanks[day1.key], paper)
    for answers in paper:
        use(day1.key, answers["participant"], {k: v for k, v in answers.items() if k != "participant"})

    # day 2: ODK CSV (P01-P23 but P10; P15 gives a sector that is not a code; an extra column)
    day2 = by_key["end-of-day-day-2"]
    rows = [{"participant": p, **end_of_day(p, day2)} for p in PARTICIPANTS[:23] if p != "P10"]
    for answers in rows:
        if answers["participant"] == "P15":
            answers["sector"] = "ministry"
    numbers = odk_csv(answers_dir / "end-of-day-day-2-odk.csv", day2, rows, {"section_9-remarks": "typed later"})
    for answers, number in zip(rows, numbers):
        if answers["participant"] == "P15":
            truth.problems.append(("end-of-day-day-2-odk.csv", number, "sector: 'ministry' is not one of"))
        else:
            use(day2.key, answers["participant"], {k: v for k, v in answers.items() if k != "participant"})
    truth.problems.append(("end-of-day-day-2-odk.csv", 1, "column 'section_9-remarks' is not a question"))

    # day 3: data-entry (P01-P24; P09 typed in twice; P03 and P18 malformed)
    day3 = by_key["end-of-day-day-3"]
    rows = [{"participant": p, "respondent": i, **end_of_day(p, day3)} for i, p in enumerate(PARTICIPANTS, start=1)]
    rows[2]["knowledge_s7"] = "4.5"
    rows[17]["methods_s7"] = "five"
    rows.append(dict(rows[8]))
    numbers = data_entry(answers_dir / "end-of-day-day-3-entry.xlsx", day3, blanks[day3.key], rows)
    for answers, number in zip(rows[:24], numbers):
        if answers["participant"] == "P03":
            truth.problems.append(("end-of-day-day-3-entry.xlsx", number, "knowledge_s7: '4.5' is not a whole number"))
        elif answers["participant"] == "P18":
            truth.problems.append(("end-of-day-day-3-entry.xlsx", number, "methods_s7: 'five' is not a number"))
        else:
            use(day3.key, answers["participant"], {k: v for k, v in answers.items() if k not in ("participant", "respondent")})
    truth.duplicates.append(("end-of-day-day-3-entry.xlsx", numbers[-1]))

    # end of course: Kobo CSV with labels (P01-P23; P11 rates the course 6 of 5)
    end = by_key["end-of-course"]
    rows = [{"participant": p, **end_of_course(p, end)} for p in PARTICIPANTS[:23]]
    rows[10]["overall"] = 6
    numbers = kobo_labels_csv(answers_dir / "end-of-course-kobo-labels.csv", end, rows)
    for answers, number in zip(rows, numbers):
        if answers["participant"] == "P11":
            truth.problems.append(("end-of-course-kobo-labels.csv", number, "overall: '6' is outside the scale 1-5"))
        else:
            use(end.key, answers["participant"], {k: v for k, v in answers.items() if k != "participant"})

    # pre-course: ODK CSV (P01-P24)
    pre = by_key["pre-course"]
    rows = [{"participant": p, **pre_course(p, pre)} for p in PARTICIPANTS]
    odk_csv(answers_dir / "pre-course-odk.csv", pre, rows)
    for answers in rows:
        use(pre.key, answers["participant"], {k: v for k, v in answers.items() if k != "participant"})

    # self-inventory: one data-entry sheet, start (P01-P24) then end (P01-P22)
    inventory = by_key["self-inventory"]
    rows = [{"participant": p, **self_inventory(p, inventory, "start")} for p in PARTICIPANTS]
    rows += [{"participant": p, **self_inventory(p, inventory, "end")} for p in PARTICIPANTS[:22]]
    data_entry(answers_dir / "self-inventory-entry.xlsx", inventory, blanks[inventory.key], rows)
    for answers in rows:
        use(inventory.key, answers["participant"], {k: v for k, v in answers.items() if k != "participant"})

    # follow-up: Kobo XLSX with 1/0 columns per option (P01-P14)
    follow = by_key["follow-up"]
    rows = [{"participant": p, **follow_up(p, follow)} for p in PARTICIPANTS[:14]]
    kobo_xlsx(answers_dir / "follow-up-kobo.xlsx", follow, rows, split_multiple=True)
    for answers in rows:
        use(follow.key, answers["participant"], {k: v for k, v in answers.items() if k != "participant"})
    return truth


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "synthetic-responses")
    truth = make(out)
    for key, rows in sorted(truth.used.items()):
        print(f"{key}: {len(rows)} answers the report uses")
    print(f"{len(truth.problems)} bad rows or columns, {len(truth.duplicates)} duplicates; files in {out / 'responses'}")


if __name__ == "__main__":
    main()
