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
import os
import shutil
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, TrainerError
from .responses import ResponsesError, identify, read_table

SECTORS = ("government", "nhri", "ngo", "un", "trade-union", "humanitarian", "academia", "other")
"""The sector codes, as assessment.yaml, the forms and their exports write them."""
GENDERS = {"woman": "women", "man": "men", "non_binary": "other", "prefer_not_to_say": "other", "self_described": "other", "other": "other"}
LEVELS = {1: "none", 2: "basic", 3: "intermediate", 4: "advanced", 5: "advanced"}


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


PRE_COURSE = "pre-course"


def summarise(path: Path, forms: dict[str, Any] | None = None) -> Summary:
    """Summarise a file of answers to the pre-course questionnaire.

    Raises ResponsesError, and nothing is changed, when the file cannot be read, holds the
    answers to another form (named), or has no usable answer.
    """
    table = read_table(path)
    if forms and any(form.kind == PRE_COURSE for form in forms.values()):
        form_id, matched = identify(table, forms)
        form = forms.get(form_id) if form_id else None
        if form_id is None or (form is not None and form.kind != PRE_COURSE):
            what = f"answers to '{form.title}' ({form_id}, {matched} of its questions)" if form is not None else \
                "no question of the course's forms"
            raise ResponsesError(
                f"{path}: this file holds {what}, not the pre-course questionnaire: nothing was changed"
            )
    rows = table.rows
    summary = Summary(rows=len(rows))
    columns = set(table.columns)
    if not ({"sector", "gender"} & columns):
        raise ResponsesError(
            f"{path}: no 'sector' or 'gender' column: is this an export of the pre-course questionnaire? "
            f"(columns found: {', '.join(sorted(columns)[:8]) or 'none'}); nothing was changed"
        )
    for number, row in rows:
        problems: list[Problem] = []

        def bad(field_name: str, message: str) -> None:
            problems.append(Problem(path, number, None, f"row {number}, {field_name}: {message}", "warning"))

        sector = row.get("sector", "").lower().replace("_", "-").replace(" ", "-")
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
                except (ValueError, OverflowError):
                    bad(key, f"'{value[:20]}' is not a number from 1 to 5")
        if problems:
            summary.problems.extend(problems)
            continue
        summary.used += 1
        if sector:
            summary.sectors[sector] += 1
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
    if not summary.used:
        detail = "\n".join(p.format() for p in summary.problems[:20])
        raise ResponsesError(
            f"{path}: none of the {len(rows)} row(s) could be used, so nothing was changed"
            + (f":\n{detail}" if detail else " (the file has no answers)")
        )
    return summary


def apply_summary(folder: Path, summary: Summary) -> Path:
    """Write the summary into the course's assessment.yaml (comments kept, a .bak copy made)."""
    from ruamel.yaml import YAML

    target = folder / "assessment.yaml"
    yaml = YAML()
    yaml.preserve_quotes = True
    data: Any = yaml.load(_text(target)) if os.path.lexists(target) else None
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
    from .models import Assessment

    Assessment.model_validate(_plain(data))
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
    data: Any = yaml.load(_text(target)) if os.path.lexists(target) else {}
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


def _current(target: Path) -> bytes:
    """The text of the course's assessment.yaml, which trainer is about to rewrite: a real,
    regular file in the course folder (never a link, which would make trainer read, and copy
    into the course, a file from elsewhere)."""
    from .files import UnsafeFile, read_bytes
    from .yamlfile import MAX_BYTES

    if target.is_symlink():
        raise TrainerError(f"{target}: is a symbolic link; trainer reads and writes only a real assessment.yaml in the course folder")
    try:
        return read_bytes(target, MAX_BYTES, target.parent)
    except UnsafeFile as error:
        raise TrainerError(str(error)) from None


def _text(target: Path) -> str:
    try:
        return _current(target).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TrainerError(f"{target}: is not UTF-8 text; save it as UTF-8") from None


def _save(yaml: Any, data: Any, target: Path) -> Path:
    """Write assessment.yaml through a new temporary file, keeping every previous version as a
    dated backup (`assessment.yaml.2027-04-01T10-15-00.bak`). Neither file is ever opened
    through a symbolic link."""
    import tempfile
    from datetime import datetime

    if target.is_symlink():
        raise TrainerError(f"{target}: is a symbolic link; trainer writes only a real assessment.yaml in the course folder")
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    if target.is_file():
        stamp = datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
        for number in range(1, 100):
            name = f"assessment.yaml.{stamp}.bak" if number == 1 else f"assessment.yaml.{stamp}-{number}.bak"
            try:
                descriptor = os.open(target.with_name(name), os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
            except FileExistsError:
                continue
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(_current(target))
            break
    descriptor, staging = tempfile.mkstemp(prefix=".assessment.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(buffer.getvalue())
        os.replace(staging, target)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
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
