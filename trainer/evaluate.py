"""`trainer evaluate`: the answers to the course's forms, read, checked and turned into figures.

The guide's evaluation cycle (HR/P/PT/26, p. 5-6, "Adopt and apply an evaluation
methodology") runs from the needs assessment through end-of-day forms to the end-of-course
questionnaire and a follow-up months later, with gender-disaggregated data. This stage reads
the answers to every form the course printed (Kobo and ODK exports, data-entry sheets), says
which form and day each file holds, checks every row against that form, and computes the
figures of the report as plain data: the content of `report.json`, from which the PDF and
Word report are written (render/evaluation.py) and the history is recorded (history.py).

Every figure by gender or sector follows one rule: a group with fewer than five respondents
is never shown on its own (the forms promise it to respondents). Such groups are merged into
"other or not shown"; when that group is itself under five, the smallest shown group joins
it, so that no hidden group can be worked out by subtracting the shown ones from the total.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .errors import InputError, Problem, TrainerError
from .responses import AnswerRow, Layout, ResponsesError, identify_layout, read_rows, read_table

MIN_GROUP = 5
"""The smallest group shown on its own (the forms' promise: "never for a group of fewer than
five people on its own")."""
MIN_PAIRS = 5
"""Paired change (start and end linked by a participant code) is reported from this many pairs."""
OTHER_GROUP = "other-or-not-shown"
GENDERS = ("women", "men", "self-described", "prefer-not-to-say", "not-answered")
GENDER_OF = {"woman": "women", "man": "men", "non-binary": "self-described", "other": "self-described",
             "prefer-not-to-say": "prefer-not-to-say"}
"""Gender answers -> the report's groups (the forms' options; "other" is self-described)."""
COMMENT_IDS = ("improve", "comments")
"""End-of-day questions whose answers are shown with the lowest-rated sessions."""
NOT_REPORTED = ("learning-path",)
"""Forms whose answers are the participant's own (the journal is not collected)."""
REPORT_FORMAT = 1


class EvaluationError(TrainerError):
    """Raised when the answers cannot make a report (no usable row, an unreadable file)."""


# ---------------------------------------------------------------------------- layouts


def layouts(prepared: Any) -> list[Layout]:
    """Every form the course prints, as its answers come back (one per end-of-day form's day)."""
    from .render import forms
    from .render.common import BuildContext

    context = BuildContext(prepared)
    _ = context.translator.gettext
    out = []
    for stem, title, form, day in forms.form_instances(context):
        view = forms.view(context, stem, title, form, day)
        questions = tuple(
            {key: question[key] for key in ("name", "id", "text", "section", "type", "level", "required", "options",
                                            "other", "scale", "scale_labels")}
            for question in view["questions"]
        )
        out.append(Layout(stem, form.id, form.kind, day, title, view["form_id"], view["version"], questions,
                          other_labels=tuple({_("Please specify"), "Please specify"}),
                          other_words=tuple({_("Other"), "Other"})))
    return out


# ---------------------------------------------------------------------------- reading


@dataclass
class FileRead:
    """What one file gave."""

    path: Path
    layout: str | None = None
    rows: int = 0
    used: int = 0
    left_out: int = 0
    duplicates: int = 0
    same_as: Path | None = None
    """The earlier file with the same bytes (this one was not read again)."""
    unknown_columns: list[str] = field(default_factory=list)


@dataclass
class Collected:
    """The good rows of every file, by printed form, and what was left out and why."""

    layouts: dict[str, Layout]
    rows: dict[str, list[AnswerRow]] = field(default_factory=dict)
    files: list[FileRead] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def collect(prepared: Any, paths: list[Path]) -> Collected:
    """Read, identify and check every file; raise InputError with every file-level problem
    (unreadable, no form recognised) before anything is computed."""
    all_layouts = layouts(prepared)
    collected = Collected({layout.key: layout for layout in all_layouts})
    errors: list[Problem] = []
    digests: dict[str, Path] = {}
    seen_submissions: dict[tuple[str, str], tuple[Path, int]] = {}
    for path in paths:
        read = FileRead(path)
        try:
            table = read_table(path)
        except ResponsesError as error:
            errors.append(Problem(None, None, None, str(error)))
            continue
        read.rows = len(table.cells)
        if table.digest in digests:
            read.same_as = digests[table.digest]
            collected.files.append(read)
            continue
        digests[table.digest] = path
        try:
            layout = identify_layout(table, all_layouts)
        except ResponsesError as error:
            errors.append(Problem(None, None, None, str(error)))
            continue
        if layout.form in NOT_REPORTED:
            errors.append(Problem(None, None, None, f"{path}: holds answers to '{layout.title}', the participants' own "
                                                    "journal, which the report does not use; leave it out"))
            continue
        read.layout = layout.key
        try:
            good, bad_rows, unknown = read_rows(table, layout)
        except ResponsesError as error:
            errors.append(Problem(None, None, None, str(error)))
            continue
        read.unknown_columns = unknown
        for name in unknown:
            collected.problems.append(Problem(path, 1, table.headers.index(name) + 1,
                                              f"column '{name[:60]}' is not a question of '{layout.title}': its values were ignored",
                                              "warning"))
        for bad in bad_rows:
            if bad.submission and (layout.key, bad.submission) in seen_submissions:
                collected.problems.append(_duplicate(path, bad.row, bad.submission, seen_submissions[(layout.key, bad.submission)]))
                read.duplicates += 1
                continue
            if bad.submission:
                seen_submissions[(layout.key, bad.submission)] = (path, bad.row)
            collected.problems.extend(bad.problems)
            read.left_out += 1
        kept: list[AnswerRow] = []
        respondents: dict[str, AnswerRow] = {}
        for row in good:
            if row.submission:
                key = (layout.key, row.submission)
                if key in seen_submissions:
                    collected.problems.append(_duplicate(path, row.row, row.submission, seen_submissions[key]))
                    read.duplicates += 1
                    continue
                seen_submissions[key] = (path, row.row)
            elif row.respondent:
                earlier = respondents.get(row.respondent)
                if earlier is not None:
                    same = earlier.values == row.values and earlier.others == row.others
                    message = (f"row {row.row}: respondent {row.respondent} was typed in twice (also row {earlier.row}): counted once"
                               if same else
                               f"row {row.row}: respondent number {row.respondent} is also on row {earlier.row}, with other "
                               "answers; this row is left out: check the paper form and give it its own number")
                    collected.problems.append(Problem(path, row.row, None, message, "warning"))
                    if same:
                        read.duplicates += 1
                    else:
                        read.left_out += 1
                    continue
                respondents[row.respondent] = row
            kept.append(row)
        read.used = len(kept)
        collected.rows.setdefault(layout.key, []).extend(kept)
        collected.files.append(read)
    if errors:
        raise InputError(errors)
    if not any(collected.rows.values()):
        detail = "\n".join(problem.format() for problem in collected.problems[:20])
        raise EvaluationError("none of the rows could be used, so no report was written" + (f":\n{detail}" if detail else ""))
    return collected


def _duplicate(path: Path, row: int, submission: str, first: tuple[Path, int]) -> Problem:
    first_path, first_row = first
    where = f"row {first_row}" if first_path == path else f"row {first_row} of {first_path.name}"
    return Problem(path, row, None, f"row {row}: the same submission ({submission[:40]}) as {where}: counted once", "warning")


# ---------------------------------------------------------------------------- groups


def gender_group(row: AnswerRow) -> str:
    value = row.values.get("gender")
    return GENDER_OF.get(str(value), "not-answered") if value else "not-answered"


def sector_group(row: AnswerRow) -> str:
    value = row.values.get("sector")
    return str(value) if value else "not-answered"


def partition(counts: dict[str, int], order: list[str]) -> list[str]:
    """The groups shown on their own; everyone else is in "other or not shown".

    A group under MIN_GROUP is not shown. When the respondents not shown number 1 to 4, the
    smallest shown group is merged with them too (else the total minus the shown groups would
    give away the hidden ones), until they are none or at least MIN_GROUP.
    """
    shown = [group for group in order if counts.get(group, 0) >= MIN_GROUP]
    rest = sum(count for group, count in counts.items() if group not in shown)
    while 0 < rest < MIN_GROUP and shown:
        smallest = min(shown, key=lambda group: (counts[group], -order.index(group)))
        shown.remove(smallest)
        rest += counts[smallest]
    return shown


@dataclass(frozen=True)
class Groups:
    """The course's group names: gender groups and sector codes, in the order the report shows them."""

    sectors: tuple[str, ...]
    labels: dict[str, str]

    @property
    def gender_order(self) -> list[str]:
        return list(GENDERS)

    @property
    def sector_order(self) -> list[str]:
        return [*self.sectors, "other", "not-answered"]


def _mean(values: list[int] | list[float]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


def _breakdown(items: list[tuple[Any, str]], order: list[str], labels: dict[str, str],
               summarise: Callable[[list[Any]], dict[str, Any]]) -> list[dict[str, Any]]:
    """`items` (value, group) summarised per group shown, then "other or not shown"."""
    counts = Counter(group for _value, group in items)
    shown = partition(dict(counts), order)
    if not shown:
        return []
    out = []
    for group in shown:
        values = [value for value, owner in items if owner == group]
        out.append({"group": group, "label": labels[group], **summarise(values)})
    rest = [value for value, owner in items if owner not in shown]
    if rest:
        out.append({"group": OTHER_GROUP, "label": labels[OTHER_GROUP], **summarise(rest)})
    return out


def scale_summary(values: list[int], scale: tuple[int, int]) -> dict[str, Any]:
    low, high = scale
    counts = Counter(values)
    return {"n": len(values), "mean": _mean(values), "distribution": {str(point): counts.get(point, 0) for point in range(low, high + 1)}}


def scale_figure(rows: list[AnswerRow], name: str, scale: tuple[int, int], groups: Groups) -> dict[str, Any]:
    """n, mean and distribution of one scale question, and the same by gender and by sector."""
    items = [(row.values[name], row) for row in rows if isinstance(row.values.get(name), int)]

    def summarise(values: list[Any]) -> dict[str, Any]:
        return scale_summary(values, scale)

    return {
        **summarise([value for value, _row in items]),
        "by_gender": _breakdown([(v, gender_group(r)) for v, r in items], groups.gender_order, groups.labels, summarise),
        "by_sector": _breakdown([(v, sector_group(r)) for v, r in items], groups.sector_order, groups.labels, summarise),
    }


def choice_figure(rows: list[AnswerRow], question: dict[str, Any], groups: Groups) -> dict[str, Any]:
    """How many chose each answer of a choice question (several per person for multiple choice)."""
    name = question["name"]
    codes = [option["value"] for option in question["options"]] + (["other"] if question["other"] else [])
    items = []
    for row in rows:
        value = row.values.get(name)
        if value:
            items.append((value if isinstance(value, list) else [value], row))

    def summarise(values: list[Any]) -> dict[str, Any]:
        counts = Counter(code for chosen in values for code in chosen)
        return {"n": len(values), "counts": {code: counts.get(code, 0) for code in codes}}

    return {
        **summarise([value for value, _row in items]),
        "by_gender": _breakdown([(v, gender_group(r)) for v, r in items], groups.gender_order, groups.labels, summarise),
        "by_sector": _breakdown([(v, sector_group(r)) for v, r in items], groups.sector_order, groups.labels, summarise),
    }


def index_figure(rows: list[AnswerRow], names: list[str], groups: Groups) -> dict[str, Any]:
    """Each respondent's mean over several scale questions, then n and mean of those, by group."""
    items = []
    for row in rows:
        values = [row.values[name] for name in names if isinstance(row.values.get(name), int)]
        if values:
            items.append((statistics.fmean(values), row))

    def summarise(values: list[Any]) -> dict[str, Any]:
        return {"n": len(values), "mean": _mean(values)}

    return {
        **summarise([value for value, _row in items]),
        "by_gender": _breakdown([(v, gender_group(r)) for v, r in items], groups.gender_order, groups.labels, summarise),
        "by_sector": _breakdown([(v, sector_group(r)) for v, r in items], groups.sector_order, groups.labels, summarise),
    }


# ---------------------------------------------------------------------------- figures


def participant_code(row: AnswerRow) -> str | None:
    value = row.values.get("participant_code")
    code = re.sub(r"\s+", "", str(value)).upper() if value else ""
    return code or None


def paired_change(start: list[AnswerRow], end: list[AnswerRow], name: str) -> dict[str, Any] | None:
    """Change on one question for the participants whose code links a start and an end answer
    (a code given twice on one side links nothing); None under MIN_PAIRS pairs."""
    def by_code(rows: list[AnswerRow]) -> dict[str, int]:
        codes = Counter(participant_code(row) for row in rows)
        return {code: row.values[name] for row in rows if (code := participant_code(row)) and codes[code] == 1
                and isinstance(row.values.get(name), int)}  # type: ignore[misc]

    before, after = by_code(start), by_code(end)
    pairs = [(before[code], after[code]) for code in sorted(before.keys() & after.keys())]
    if len(pairs) < MIN_PAIRS:
        return None
    return {
        "n": len(pairs),
        "start_mean": _mean([a for a, _b in pairs]),
        "end_mean": _mean([b for _a, b in pairs]),
        "change": _mean([b - a for a, b in pairs]),
    }


def change_item(question: dict[str, Any], start: list[AnswerRow], end: list[AnswerRow], groups: Groups) -> dict[str, Any]:
    name = question["name"]
    first = scale_figure(start, name, tuple(question["scale"]), groups)
    last = scale_figure(end, name, tuple(question["scale"]), groups)
    paired = paired_change(start, end, name)
    change = None
    if first["mean"] is not None and last["mean"] is not None:
        change = round(last["mean"] - first["mean"], 2)
    return {
        "id": question["id"], "text": question["text"], "section": question["section"],
        "start": first, "end": last, "change": change, "paired": paired,
        "method": "paired" if paired else "unpaired",
    }


def _sessions_asked(layout: Layout) -> dict[int, list[dict[str, Any]]]:
    """Session number -> the per-session questions of an end-of-day layout."""
    out: dict[int, list[dict[str, Any]]] = {}
    for question in layout.questions:
        match = re.fullmatch(r"(.+)_s(\d+)", question["name"])
        if match and question["type"] == "scale":
            out.setdefault(int(match.group(2)), []).append(question)
    return out


def figures(prepared: Any, collected: Collected) -> dict[str, Any]:
    """Every figure of the report, as report.json holds it (plain data; groups under five merged)."""
    from .i18n import Translator
    from .quantities import counts

    translator = Translator(prepared.plan.language, prepared.course.time_style)
    _ = translator.gettext
    by_layout = collected.layouts
    participants = counts(prepared.input).participants
    sector_options: list[dict[str, str]] = []
    for layout in by_layout.values():
        question = layout.question("sector")
        if question is not None:
            sector_options = question["options"]
            break
    labels = {
        "women": _("Women"), "men": _("Men"), "self-described": _("Self-described"),
        "prefer-not-to-say": _("Prefer not to say"), "not-answered": _("Not answered"), "other": _("Other"),
        OTHER_GROUP: _("Other or not shown"),
    }
    labels.update({option["value"]: option["label"] for option in sector_options})
    groups = Groups(tuple(option["value"] for option in sector_options), labels)
    course = prepared.course
    report: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "course": {
            "title": prepared.title,
            "start_date": course.start_date.isoformat() if course.start_date else None,
            "city": course.city or None,
            "language": translator.language,
            "participants": participants,
        },
        "minimum_group": MIN_GROUP,
        "files": [_file_json(read, by_layout) for read in collected.files],
        "problems": [{"file": str(p.file.name) if p.file else None, "row": p.line, "column": p.column, "message": p.message}
                     for p in collected.problems],
    }
    report["responses"] = _responses(collected, participants, groups)
    report["sessions"] = _sessions(prepared, collected, groups)
    report["lowest_sessions"] = _lowest(report["sessions"], collected)
    report.update(_end_of_course(prepared, collected, groups))
    report["self_inventory"] = _self_inventory(collected, groups)
    report["follow_up"] = _follow_up(collected, groups)
    report["open_answers"] = _open_answers(collected, groups)
    report["summary"] = _summary(report)
    return report


def _pooled(figures: list[dict[str, Any]]) -> dict[str, Any]:
    """n and mean of every answer in several scale figures together (from their distributions)."""
    n = sum(count for figure in figures for count in figure["distribution"].values())
    total = sum(int(point) * count for figure in figures for point, count in figure["distribution"].items())
    return {"n": n, "mean": round(total / n, 2) if n else None}


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    """The course's headline figures, compared across courses in the history: every session
    rating, every course rating and every objective rating pooled, and the overall rating."""
    overall = next((rating for rating in report["course_ratings"] if rating["id"] == "overall"), None)
    return {
        "sessions": _pooled([rating for session in report["sessions"] for rating in session["ratings"]]),
        "course": _pooled(report["course_ratings"]),
        "objectives": _pooled([objective["end"] for objective in report["objectives"]]),
        "overall": {"n": overall["n"], "mean": overall["mean"]} if overall else {"n": 0, "mean": None},
    }


def _file_json(read: FileRead, by_layout: dict[str, Layout]) -> dict[str, Any]:
    layout = by_layout.get(read.layout or "")
    return {
        "file": read.path.name, "form": layout.form if layout else None, "day": layout.day if layout else None,
        "title": layout.title if layout else None, "rows": read.rows, "used": read.used, "left_out": read.left_out,
        "duplicates": read.duplicates, "same_as": read.same_as.name if read.same_as else None,
        "unknown_columns": read.unknown_columns,
    }


def _responses(collected: Collected, participants: int, groups: Groups) -> list[dict[str, Any]]:
    """Answers used per printed form (the self-inventory once at the start, once at the end)."""
    out = []
    for key, layout in collected.layouts.items():
        answers = collected.rows.get(key, [])
        if not answers:
            continue
        files = [read for read in collected.files if read.layout == key]
        parts: list[tuple[str | None, list[AnswerRow]]] = [(None, answers)]
        if layout.kind == "self-inventory":
            parts = [(when, [row for row in answers if row.values.get("when") == when]) for when in ("start", "end")]
        for when, part in parts:
            out.append({
                "form": layout.form, "kind": layout.kind, "day": layout.day, "when": when, "title": layout.title,
                "n": len(part), "participants": participants,
                "rate": round(len(part) / participants, 3) if participants else None,
                "left_out": sum(read.left_out for read in files) if when != "end" else 0,
                "duplicates": sum(read.duplicates for read in files) if when != "end" else 0,
                "by_gender": _breakdown([(1, gender_group(r)) for r in part], groups.gender_order, groups.labels,
                                        lambda values: {"n": len(values)}),
                "by_sector": _breakdown([(1, sector_group(r)) for r in part], groups.sector_order, groups.labels,
                                        lambda values: {"n": len(values)}),
            })
    order = {"pre-course": 0, "self-inventory": 1, "end-of-day": 2, "end-of-course": 3, "follow-up": 4}
    return sorted(out, key=lambda entry: (order.get(entry["kind"], 9), entry["day"] or 0, entry["when"] == "end"))


def _rating_label(question_id: str, text: str, _: Callable[..., str]) -> str:
    known = {
        "knowledge": _("Knowledge and skills added"),
        "relevance": _("Relevance to work"),
        "methods": _("Methods"),
    }
    return known.get(question_id.removeprefix("session-")) or text.replace("{item}: ", "").replace("{item}", "").strip()


def _sessions(prepared: Any, collected: Collected, groups: Groups) -> list[dict[str, Any]]:
    """Each session's ratings, from the last end-of-day form that asks about it (the day it
    ended); a session that ran over two days keeps the earlier day's figures beside them."""
    from .i18n import Translator

    _ = Translator(prepared.plan.language, prepared.course.time_style).gettext
    library = prepared.library
    asked: dict[int, list[tuple[Layout, list[dict[str, Any]]]]] = {}
    # the end-of-course form asks the last day's sessions when it replaces that day's form
    for layout in sorted(collected.layouts.values(), key=lambda layout: (layout.day or 0, layout.kind == "end-of-course")):
        if layout.kind not in ("end-of-day", "end-of-course"):
            continue
        for number, questions in _sessions_asked(layout).items():
            asked.setdefault(number, []).append((layout, questions))
    out = []
    seen: list[str] = []
    for day in prepared.agenda.days:
        for item in day.items:
            if item.kind != "session" or not item.session or item.session in seen:
                continue
            seen.append(item.session)
            session = library.sessions[item.session]
            places = asked.get(session.number, [])
            answered = [(layout, questions) for layout, questions in places if collected.rows.get(layout.key)]
            entry: dict[str, Any] = {"session": session.id, "number": session.number, "title": session.title,
                                     "day": None, "ratings": [], "overall": {"n": 0, "mean": None, "respondents": 0},
                                     "also_asked": []}
            if answered:
                layout, questions = answered[-1]
                answers = collected.rows[layout.key]
                entry["day"] = layout.day
                for question in questions:
                    figure = scale_figure(answers, question["name"], tuple(question["scale"]), groups)
                    entry["ratings"].append({"id": question["id"].removeprefix("session-"), "name": question["name"],
                                             "label": _rating_label(question["id"], question["text"], _),
                                             "question": question["text"], **figure})
                pooled = [row.values[q["name"]] for row in answers for q in questions if isinstance(row.values.get(q["name"]), int)]
                entry["overall"] = {"n": len(pooled), "mean": _mean(pooled), "respondents": len(answers)}
                for other, other_questions in answered[:-1]:
                    values = [row.values[q["name"]] for row in collected.rows[other.key] for q in other_questions
                              if isinstance(row.values.get(q["name"]), int)]
                    entry["also_asked"].append({"day": other.day, "n": len(values), "mean": _mean(values),
                                                "respondents": len(collected.rows[other.key])})
            out.append(entry)
    return out


def _lowest(sessions: list[dict[str, Any]], collected: Collected) -> list[dict[str, Any]]:
    """The three sessions with the lowest mean rating, with what those who rated them 2 or lower
    wrote under the end-of-day form's comment questions (never tied to who wrote it)."""
    rated = [entry for entry in sessions if entry["overall"]["mean"] is not None]
    rated.sort(key=lambda entry: (entry["overall"]["mean"], entry["number"]))
    out = []
    for entry in rated[:3]:
        layout = next(layout for layout in sorted(collected.layouts.values(), key=lambda layout: layout.kind != "end-of-day")
                      if layout.kind in ("end-of-day", "end-of-course") and layout.day == entry["day"])
        names = [rating["name"] for rating in entry["ratings"]]
        low = [row for row in collected.rows[layout.key] if any(isinstance(row.values.get(n), int) and row.values[n] <= 2 for n in names)]
        comments = []
        for question in layout.questions:
            if question["id"] in COMMENT_IDS:
                answers = [str(row.values[question["name"]]) for row in low if row.values.get(question["name"])]
                if answers:
                    comments.append({"question": question["text"], "answers": answers})
        out.append({"session": entry["session"], "number": entry["number"], "title": entry["title"], "day": entry["day"],
                    "mean": entry["overall"]["mean"], "low_raters": len(low), "comments": comments})
    return out


def _layout_of(collected: Collected, kind: str) -> Layout | None:
    return next((layout for layout in collected.layouts.values() if layout.kind == kind), None)


def _end_of_course(prepared: Any, collected: Collected, groups: Groups) -> dict[str, Any]:
    """Course-level ratings, the learning objectives, and start -> end on the shared statements."""
    end_layout = _layout_of(collected, "end-of-course")
    pre_layout = _layout_of(collected, "pre-course")
    end_rows = collected.rows.get(end_layout.key, []) if end_layout else []
    pre_rows = collected.rows.get(pre_layout.key, []) if pre_layout else []
    out: dict[str, Any] = {"course_ratings": [], "course_choices": [], "objectives": [], "pre_post": []}
    if end_layout is None:
        return out
    pre_questions = {q["id"]: q for q in pre_layout.questions if q["type"] == "scale"} if pre_layout else {}
    objective_sections = [q["section"] for q in end_layout.questions if "objective" in q["section"].casefold()]
    objective_questions = [q for q in end_layout.questions if q["section"] in objective_sections and q["type"] == "scale"]
    objectives = list(prepared.library.programme.objectives)
    for question in end_layout.questions:
        if question["level"] == "profile":
            continue
        if question["type"] == "scale" and question["id"] in pre_questions:
            item = change_item(question, pre_rows, end_rows, groups) if pre_rows else None
            if question in objective_questions:
                index = objective_questions.index(question)
                objective = objectives[index] if len(objectives) == len(objective_questions) else None
                out["objectives"].append({"objective": objective, "id": question["id"], "text": question["text"],
                                          "end": scale_figure(end_rows, question["name"], tuple(question["scale"]), groups),
                                          "start": item["start"] if item else None,
                                          "change": item["change"] if item else None,
                                          "paired": item["paired"] if item else None})
            if item is not None:
                out["pre_post"].append(item)
            elif question not in objective_questions:
                out["course_ratings"].append({"id": question["id"], "text": question["text"],
                                              **scale_figure(end_rows, question["name"], tuple(question["scale"]), groups)})
        elif question["type"] == "scale":
            if question in objective_questions:
                out["objectives"].append({"objective": None, "id": question["id"], "text": question["text"],
                                          "end": scale_figure(end_rows, question["name"], tuple(question["scale"]), groups),
                                          "start": None, "change": None, "paired": None})
            else:
                out["course_ratings"].append({"id": question["id"], "text": question["text"],
                                              **scale_figure(end_rows, question["name"], tuple(question["scale"]), groups)})
        elif question["type"] in ("single", "multiple"):
            out["course_choices"].append(_choice_entry(question, end_rows, groups))
    return out


def _choice_entry(question: dict[str, Any], rows: list[AnswerRow], groups: Groups) -> dict[str, Any]:
    labels = {option["value"]: option["label"] for option in question["options"]}
    if question["other"]:
        labels["other"] = groups.labels["other"]
    return {"id": question["id"], "text": question["text"], "type": question["type"], "labels": labels,
            **choice_figure(rows, question, groups)}


def _self_inventory(collected: Collected, groups: Groups) -> dict[str, Any] | None:
    layout = _layout_of(collected, "self-inventory")
    answers = collected.rows.get(layout.key, []) if layout else []
    if not layout or not answers:
        return None
    start = [row for row in answers if row.values.get("when") == "start"]
    end = [row for row in answers if row.values.get("when") == "end"]
    items = [change_item(q, start, end, groups) for q in layout.questions if q["type"] == "scale" and q["level"] != "profile"]
    sections = []
    for section in dict.fromkeys(item["section"] for item in items):
        names = [q["name"] for q in layout.questions if q["section"] == section and q["type"] == "scale"]
        sections.append({"section": section, "start": index_figure(start, names, groups), "end": index_figure(end, names, groups)})
    return {"start": len(start), "end": len(end), "items": items, "sections": sections}


def _follow_up(collected: Collected, groups: Groups) -> dict[str, Any] | None:
    layout = _layout_of(collected, "follow-up")
    answers = collected.rows.get(layout.key, []) if layout else []
    if not layout or not answers:
        return None
    ratings, choices = [], []
    for question in layout.questions:
        if question["level"] == "profile":
            continue
        if question["type"] == "scale":
            ratings.append({"id": question["id"], "text": question["text"],
                            **scale_figure(answers, question["name"], tuple(question["scale"]), groups)})
        elif question["type"] in ("single", "multiple"):
            choices.append(_choice_entry(question, answers, groups))
    return {"n": len(answers), "ratings": ratings, "choices": choices}


def _open_answers(collected: Collected, groups: Groups) -> list[dict[str, Any]]:
    """Every written answer, by form and question. An answer carries its writer's gender group
    only when that group is shown on its own for the form (five or more respondents)."""
    out = []
    order = {"pre-course": 0, "end-of-day": 1, "end-of-course": 2, "follow-up": 3}
    for layout in sorted(collected.layouts.values(), key=lambda l: (order.get(l.kind, 9), l.day or 0)):
        answers = collected.rows.get(layout.key, [])
        if not answers:
            continue
        counts = Counter(gender_group(row) for row in answers)
        shown = partition(dict(counts), groups.gender_order)
        for question in layout.questions:
            if question["type"] != "text" or question["level"] == "profile":
                continue
            written = []
            for row in answers:
                text = row.values.get(question["name"])
                if text:
                    group = gender_group(row)
                    key = group if group in shown else (OTHER_GROUP if shown else None)
                    written.append({"text": str(text), "group": key, "label": groups.labels[key] if key else None})
            if written:
                out.append({"form": layout.form, "day": layout.day, "title": layout.title, "question": question["text"],
                            "answers": written})
    return out


# ---------------------------------------------------------------------------- the command


@dataclass
class Evaluation:
    """What `trainer evaluate` did: the figures, the files written, the rows left out."""

    report: dict[str, Any]
    written: list[Path]
    problems: list[Problem]
    recorded: str | None = None
    """Where the history was recorded (the database, without any password)."""


def report_folder(prepared: Any, course_dir: Path | None) -> Path:
    base = course_dir if course_dir is not None else Path(".")
    return base / "build" / "evaluation"


def evaluate(course_dir: Path | None, paths: list[Path], db: str | None = None, record: bool = True) -> Evaluation:
    """Read the answers, compute the figures, write report.pdf, report.docx and report.json into
    the course's build/evaluation/, and record the course in the history database.

    Everything is computed and rendered before the first file is written; the three files
    then replace the previous ones together.
    """
    from .prepare import prepare

    prepared = prepare(course_dir)
    collected = collect(prepared, paths)
    report = figures(prepared, collected)
    if record:
        from . import history

        history.connect(db)[0].dispose()  # a history that cannot be used stops the command before anything is written
    from .render import evaluation as writer

    outputs = writer.render(prepared, report)
    folder = report_folder(prepared, course_dir)
    outputs["report.json"] = report_json(report)
    written = _write_all(folder, outputs)
    recorded = None
    if record:
        from . import history

        recorded = history.record(db, report)
    return Evaluation(report, written, collected.problems, recorded)


def report_json(report: dict[str, Any]) -> bytes:
    return (json.dumps(report, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def _write_all(folder: Path, outputs: dict[str, bytes]) -> list[Path]:
    """Write every file into a staging folder beside the target, then move each into place."""
    if folder.is_symlink() or (folder.parent.exists() and folder.parent.is_symlink()):
        raise EvaluationError(f"{folder}: is a symbolic link; trainer writes the report only into a real folder")
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".trainer-evaluation-", dir=folder))
    written = []
    try:
        for name, data in outputs.items():
            (staging / name).write_bytes(data)
        for name in outputs:
            target = folder / name
            if target.is_symlink():
                target.unlink()
            os.replace(staging / name, target)
            written.append(target)
    finally:
        for leftover in staging.iterdir():
            leftover.unlink()
        staging.rmdir()
    return written
