"""`trainer assess`: fill a course's assessment.yaml from participants' questionnaire answers,
or by asking the facilitator in the terminal.

Answers come as CSV or XLSX, as KoboToolbox or ODK export the XLSForm that `trainer build`
produces (headers such as `section_1/sector` or `section_1-sector`), or as the plain
data-entry spreadsheet (`forms/pre-course.data-entry.xlsx`). A bad row is reported with its
row number and kept out of the summary, never dropped silently.

assessment.yaml is edited in place with ruamel.yaml, so the facilitator's comments survive;
the previous file is kept as assessment.yaml.bak.
"""

from __future__ import annotations

import csv
import io
import shutil
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, TrainerError

SECTORS = {
    "government": "government",
    "nhri": "nhri",
    "ngo": "ngo",
    "un": "un",
    "trade_union": "trade-union",
    "humanitarian": "humanitarian",
    "academia": "academia",
    "other": "other",
}
GENDERS = {"woman": "women", "man": "men", "non_binary": "other", "prefer_not_to_say": "other", "self_described": "other", "other": "other"}
LEVELS = {1: "none", 2: "basic", 3: "intermediate", 4: "advanced", 5: "advanced"}
MAX_ROWS = 5000


class ResponsesError(TrainerError):
    """Raised when a responses file cannot be read at all (format, no usable rows)."""


@dataclass
class Summary:
    """What the questionnaire answers say about the participants."""

    rows: int = 0
    used: int = 0
    sectors: Counter[str] = field(default_factory=Counter)
    genders: Counter[str] = field(default_factory=Counter)
    hr_levels: list[int] = field(default_factory=list)
    migration_levels: list[int] = field(default_factory=list)
    topics: Counter[str] = field(default_factory=Counter)
    expectations: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def level(self, values: list[int]) -> str | None:
        return LEVELS[round(statistics.median(values))] if values else None


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number as the facilitator sees it, {column name: text}) for each data row."""
    if path.stat().st_size > 20 * 1024 * 1024:
        raise ResponsesError(f"{path}: the file is over 20 MB; is it the right one?")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ResponsesError(f"{path}: not UTF-8 text; export the CSV as UTF-8") from None
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        table = list(csv.reader(io.StringIO(text), dialect))
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds on a broken file
            raise ResponsesError(f"{path}: cannot read the workbook ({type(error).__name__}: {error})") from None
        sheet = book["responses"] if "responses" in book.sheetnames else book.worksheets[0]
        table = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    else:
        raise ResponsesError(f"{path}: expected a .csv or .xlsx file of questionnaire answers")
    if not table:
        raise ResponsesError(f"{path}: the file is empty")
    header = [_column(name) for name in table[0]]
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if number - 1 > MAX_ROWS:
            raise ResponsesError(f"{path}: more than {MAX_ROWS} rows; is it the right file?")
        if not any(cell.strip() for cell in cells):
            continue
        if cells and cells[0].strip().lower() == "respondent number":
            continue  # the data-entry template's row of question texts
        rows.append((number, {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header) if name}))
    return rows


def _column(name: str) -> str:
    """`section_1/sector`, `section_1-sector` or `sector` -> `sector`."""
    return name.strip().replace("-", "/").split("/")[-1].lower()


def summarise(path: Path) -> Summary:
    rows = _read_rows(path)
    summary = Summary(rows=len(rows))
    columns = set().union(*(row.keys() for _, row in rows)) if rows else set()
    if rows and not ({"sector", "gender"} & columns):
        raise ResponsesError(
            f"{path}: no 'sector' or 'gender' column: is this an export of the pre-course questionnaire? "
            f"(columns found: {', '.join(sorted(columns)[:8])})"
        )
    for number, row in rows:
        problems: list[Problem] = []

        def bad(field_name: str, message: str) -> None:
            problems.append(Problem(path, number, None, f"row {number}, {field_name}: {message}", "warning"))

        sector = row.get("sector", "").lower().replace("-", "_").replace(" ", "_")
        if sector and sector not in SECTORS:
            bad("sector", f"'{row['sector']}' is not one of {', '.join(SECTORS)}")
        gender = row.get("gender", "").lower().replace("-", "_").replace(" ", "_")
        if gender and gender not in GENDERS:
            bad("gender", f"'{row['gender']}' is not one of {', '.join(GENDERS)}")
        levels = {}
        for key in ("hr_experience", "migration_experience"):
            value = row.get(key, "")
            if value:
                try:
                    levels[key] = int(float(value))
                    if not 1 <= levels[key] <= 5:
                        raise ValueError
                except ValueError:
                    bad(key, f"'{value}' is not a number from 1 to 5")
        if problems:
            summary.problems.extend(problems)
            continue
        summary.used += 1
        if sector:
            summary.sectors[SECTORS[sector]] += 1
        if gender:
            summary.genders[GENDERS[gender]] += 1
        if "hr_experience" in levels:
            summary.hr_levels.append(levels["hr_experience"])
        if "migration_experience" in levels:
            summary.migration_levels.append(levels["migration_experience"])
        for topic in row.get("topics", "").split():
            summary.topics[topic] += 1
        if row.get("expectations"):
            summary.expectations.append(row["expectations"])
    if rows and not summary.used:
        raise ResponsesError(f"{path}: none of the {len(rows)} rows could be used:\n" + "\n".join(p.message for p in summary.problems[:20]))
    return summary


def apply_summary(folder: Path, summary: Summary) -> Path:
    """Write the summary into the course's assessment.yaml (comments kept, a .bak copy made)."""
    from ruamel.yaml import YAML

    target = folder / "assessment.yaml"
    yaml = YAML()
    yaml.preserve_quotes = True
    data: Any = yaml.load(target.read_text(encoding="utf-8")) if target.is_file() else None
    if data is None:
        from ruamel.yaml.comments import CommentedMap

        data = CommentedMap()
    participants = data.setdefault("participants", {})
    participants["number"] = summary.rows
    participants["women"] = summary.genders.get("women", 0)
    participants["men"] = summary.genders.get("men", 0)
    participants["other_or_undisclosed"] = summary.genders.get("other", 0) + (summary.used - sum(summary.genders.values()))
    participants["sectors"] = dict(sorted(summary.sectors.items()))
    if summary.level(summary.hr_levels):
        participants["human_rights_experience"] = summary.level(summary.hr_levels)
    if summary.level(summary.migration_levels):
        participants["migration_experience"] = summary.level(summary.migration_levels)
    participants["topics_of_interest"] = [topic for topic, _ in summary.topics.most_common(8)]
    participants["expectations"] = summary.expectations[:30]
    return _save(yaml, data, target)


def interactive(folder: Path, ask: Any, confirm: Any, tell: Any = print) -> Path:
    """Ask the assessment questions (with the current answers as defaults) and write them.

    `ask(question, default) -> str` and `confirm(question, default) -> bool` are the terminal's
    prompts (injected so that tests can answer them).
    """
    from ruamel.yaml import YAML

    from .models import Assessment

    target = folder / "assessment.yaml"
    yaml = YAML()
    data: Any = yaml.load(target.read_text(encoding="utf-8")) if target.is_file() else {}
    current = Assessment.model_validate(_plain(data) or {})
    context = data.setdefault("context", {})
    participants = data.setdefault("participants", {})
    logistics = data.setdefault("logistics", {})
    equipment = logistics.setdefault("equipment", {})
    context["country"] = ask("Country the course is held in or focuses on", current.context.country)
    context["region"] = ask("Region", current.context.region)
    participants["number"] = _ask_int(ask, tell, "Number of participants", current.participants.number, 1, 500)
    for key, label in (("human_rights_experience", "Experience of human rights"), ("migration_experience", "Experience of migration")):
        participants[key] = _ask_choice(ask, tell, f"{label} (none, basic, intermediate, advanced)", getattr(current.participants, key) or "basic", ["none", "basic", "intermediate", "advanced"])
    participants["lived_experience"] = confirm("Do some participants have lived experience of migration?", current.participants.lived_experience)
    context["sensitive"] = confirm("Is migration a sensitive subject in this context?", current.context.sensitive)
    equipment["projector"] = confirm("Is there a projector?", current.logistics.equipment.projector)
    equipment["internet"] = confirm("Is there an internet connection in the room?", current.logistics.equipment.internet)
    logistics["interpretation"] = _ask_choice(ask, tell, "Interpretation (none, consecutive, simultaneous)", current.logistics.interpretation, ["none", "consecutive", "simultaneous"])
    needs = ask("Accessibility needs, separated by commas (empty for none)", ", ".join(current.logistics.accessibility))
    logistics["accessibility"] = [need.strip() for need in needs.split(",") if need.strip()]
    Assessment.model_validate(_plain(data))
    return _save(yaml, data, target)


def _save(yaml: Any, data: Any, target: Path) -> Path:
    """Write assessment.yaml through a temporary file, keeping the previous one as .bak."""
    if target.is_file():
        shutil.copy2(target, target.with_name("assessment.yaml.bak"))
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    staging = target.with_name(".assessment.yaml.tmp")
    staging.write_text(buffer.getvalue(), encoding="utf-8")
    staging.replace(target)
    return target


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def _ask_int(ask: Any, tell: Any, question: str, default: int, low: int, high: int) -> int:
    while True:
        answer = ask(question, str(default)).strip()
        if answer.isdigit() and low <= int(answer) <= high:
            return int(answer)
        tell(f"Please give a whole number from {low} to {high}.")


def _ask_choice(ask: Any, tell: Any, question: str, default: str, choices: list[str]) -> str:
    while True:
        answer = ask(question, default).strip().lower()
        if answer in choices:
            return answer
        tell(f"Please answer one of: {', '.join(choices)}.")
