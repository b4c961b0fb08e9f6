"""Evaluation and assessment forms: printable PDFs, the same forms as XLSForm workbooks for
KoboToolbox or ODK, and a plain spreadsheet for typing in paper answers.

All three are written from one view of the form, so that a question reads the same, with
the same answer labels, on paper, on a phone and in the data-entry sheet. End-of-day forms
are built per day from that day's sessions in the agenda; questions with `for_each` are
repeated per session or per objective.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from typing import Any

from ..models import Form
from . import Job, Output
from .common import BuildContext, RenderEnv, html_to_pdf, render_html

KIND = "forms"
TEMPLATES = ("form.html",)


def day_sessions(context: BuildContext, day: int) -> list[str]:
    """The sessions an end-of-day form asks about: those that end on that day. A session
    split over two days is asked about once, when participants have seen all of it."""
    last: dict[str, int] = {}
    for agenda_day in context.agenda.days:
        for item in agenda_day.items:
            if item.kind == "session" and item.session:
                last[item.session] = agenda_day.number
    return [session for session, number in last.items() if number == day]


def expand(context: BuildContext, form: Form, day: int | None) -> list[dict[str, Any]]:
    """The form's questions as one respondent sees them: `for_each` expanded for the day (or
    the course), each with a unique name, its section, and its answers."""
    _ = context.translator.gettext
    colon = context.translator.colon
    library = context.course_input.library
    sessions = [library.sessions[s] for s in day_sessions(context, day)] if day is not None else []
    objectives = library.programme.objectives
    out: list[dict[str, Any]] = []
    for section in form.sections:
        for question in section.questions:
            name = question.id.replace("-", "_")
            instances: list[tuple[str, str, str]] = []
            if question.for_each == "session":
                for session in sessions:
                    label = _("Session {number}", number=session.number) + colon + session.title
                    instances.append((f"{name}_s{session.number}", question.text.replace("{item}", label), label))
            elif question.for_each == "objective":
                for session in sessions:
                    for number, objective in enumerate(session.objectives, start=1):
                        label = _("Session {number}", number=session.number) + colon + objective
                        instances.append((f"{name}_s{session.number}_o{number}", question.text.replace("{item}", label), label))
            elif question.for_each == "course-objective":
                for number, objective in enumerate(objectives, start=1):
                    instances.append((f"{name}_o{number}", question.text.replace("{item}", objective), objective))
            else:
                instances.append((name, question.text, ""))
            for concrete_name, text, item in instances:
                out.append(
                    {
                        "name": concrete_name,
                        "id": question.id,
                        "text": text,
                        "html": context.inline(text),
                        "section": section.title,
                        "type": question.type,
                        "level": question.level,
                        "required": question.required,
                        "options": [{"value": o.value, "label": o.label} for o in question.options],
                        "other": question.other,
                        "scale": list(question.scale),
                        "scale_labels": list(question.scale_labels),
                        "lines": question.lines,
                        "item": item,
                        # "{item}: how relevant is it?" prints as a grid: the item as the row,
                        # the rest of the question as the column
                        "column": _grid_column(question.text) if question.for_each == "session" and question.type == "scale" else "",
                    }
                )
    return out


def _grid_column(text: str) -> str:
    """The column heading of a per-session rating that starts with its item ("{item}: how
    relevant is it to your work?" -> "How relevant is it to your work?"), else ""."""
    if not text.startswith("{item}") or "{item}" in text[6:]:
        return ""
    rest = re.sub(r"^[\s:：,،;.–-]+", "", text[6:])  # (a French colon has a no-break space before it)
    return rest[:1].upper() + rest[1:] if rest else ""


def closing_forms(context: BuildContext) -> set[str]:
    """The kinds of form the final evaluation and close gives out (the close slot's forms),
    when the course ends with one: then the last day has no end-of-day form of its own."""
    library = context.course_input.library
    days = context.agenda.days
    if not days or not any(item.kind == "close" for item in days[-1].items):
        return set()
    return {
        library.forms[form_id].kind
        for slot in library.slots.values()
        if slot.kind == "close"
        for form_id in slot.forms
        if form_id in library.forms
    }


def form_instances(context: BuildContext) -> list[tuple[str, str, Form, int | None]]:
    """(file stem, title, form, day) for every form this course prints: one end-of-day form
    per day that ends a session, except the last day when the close gives the end-of-course
    form (one form that evening is enough, and it asks about the whole course)."""
    _ = context.translator.gettext
    skip_last = "end-of-course" in closing_forms(context)
    out = []
    for form in sorted(context.course_input.library.forms.values(), key=lambda f: f.id):
        if form.kind == "end-of-day":
            for day in context.agenda.days:
                if skip_last and day.number == len(context.agenda.days):
                    continue
                if day_sessions(context, day.number):
                    out.append((f"{form.id}-day-{day.number}", f"{form.title} · {_('Day {number}', number=day.number)}", form, day.number))
        elif form.kind == "end-of-course" and skip_last:
            # given at the close instead of the last day's end-of-day form, it asks that day's
            # sessions' ratings too (its sections with `for_each: session`), so no session goes unrated
            out.append((form.id, form.title, form, len(context.agenda.days)))
        else:
            out.append((form.id, form.title, form, None))
    return out


def view(context: BuildContext, stem: str, title: str, form: Form, day: int | None) -> dict[str, Any]:
    questions = expand(context, form, day)
    intros = {section.title: context.html(section.intro) for section in form.sections}
    content = json.dumps([stem, title, questions], sort_keys=True, ensure_ascii=False)
    return {
        "stem": stem,
        "course": context.title,
        "title": title,
        "intro": context.html(form.intro),
        "section_intros": intros,
        "questions": questions,
        "language": context.translator.language,
        # ODK Central refuses a changed form with an unchanged version: the version is a hash
        # of what the form asks, so it changes exactly when the form does
        "version": hashlib.sha256(content.encode("utf-8")).hexdigest()[:12],
        "form_id": stem.replace("-", "_"),
    }


def jobs(context: BuildContext) -> list[Job]:
    return [
        Job(KIND, stem, view(context, stem, title, form, day), weight=2)
        for stem, title, form, day in form_instances(context)
    ]


def run(env: RenderEnv, job: Job) -> list[Output]:
    values = job.view
    stem = values["stem"]
    return [
        Output(f"forms/{stem}.pdf", html_to_pdf(env, _html(env, values))),
        Output(f"forms/{stem}.xlsform.xlsx", xlsform(env, values)),
        Output(f"forms/{stem}.data-entry.xlsx", data_entry(env, values)),
    ]


def _html(env: RenderEnv, values: dict[str, Any]) -> str:
    """The printed form: sections of numbered questions; consecutive per-session ratings
    that start with their item are printed as one grid (a row per session, a column per
    question), so that a day's form fits one sheet."""
    sections: list[dict[str, Any]] = []
    number = 0
    for question in values["questions"]:
        if not sections or sections[-1]["title"] != question["section"]:
            sections.append({"title": question["section"], "intro": values["section_intros"].get(question["section"], ""), "blocks": []})
        blocks = sections[-1]["blocks"]
        low, high = question["scale"]
        if question["column"]:
            grid = blocks[-1] if blocks and blocks[-1]["kind"] == "grid" and blocks[-1]["scale"] == question["scale"] else None
            if grid is None:
                grid = {"kind": "grid", "scale": question["scale"], "values": list(range(low, high + 1)), "columns": [], "rows": [],
                        "low_label": question["scale_labels"][0], "high_label": question["scale_labels"][1]}
                blocks.append(grid)
            if question["column"] not in grid["columns"]:
                number += 1
                grid["columns"].append(question["column"])
                grid.setdefault("numbers", []).append(number)
            if question["item"] not in grid["rows"]:
                grid["rows"].append(question["item"])
            continue
        number += 1
        if question["type"] == "scale":
            # ratings on the same scale, one after the other: one table, a row each
            likert = blocks[-1] if blocks and blocks[-1]["kind"] == "likert" and blocks[-1]["scale"] == question["scale"] \
                and blocks[-1]["labels"] == question["scale_labels"] else None
            if likert is None:
                likert = {"kind": "likert", "scale": question["scale"], "labels": question["scale_labels"],
                          "values": list(range(low, high + 1)), "rows": []}
                blocks.append(likert)
            likert["rows"].append({"number": number, "text": question["html"]})
            continue
        blocks.append(
            {
                "kind": "question",
                "number": number,
                "text": question["html"],
                "type": question["type"],
                "options": [option["label"] for option in question["options"]],
                "other": question["other"],
                "scale_values": list(range(low, high + 1)),
                "low_label": question["scale_labels"][0],
                "high_label": question["scale_labels"][1],
                "lines": question["lines"],
            }
        )
    return render_html(env, "form.html", title=values["course"], form_title=values["title"], subtitle="",
                       intro=values["intro"], sections=sections)


# ---------------------------------------------------------------------------- spreadsheets

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""A cell starting with one of these may be read as a formula by a spreadsheet (OWASP, CSV
injection): text from content or answers that starts so is written with a leading quote."""


def cell_text(value: Any) -> Any:
    """A value for a spreadsheet cell: text that a spreadsheet could take for a formula is
    escaped (OWASP's advice: a leading apostrophe), numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _append(sheet: Any, values: list[Any]) -> None:
    sheet.append([cell_text(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never a formula, whatever the text


def _xlsx_bytes(workbook: Any, env: RenderEnv) -> bytes:
    from .common import fixed_zip

    workbook.properties.creator = "trainer"
    workbook.properties.lastModifiedBy = "trainer"
    workbook.properties.created = env.created.replace(tzinfo=None)
    workbook.properties.modified = env.created.replace(tzinfo=None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return fixed_zip(buffer.getvalue(), env.created)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:24] or "x"


def scale_list(question: dict[str, Any]) -> str:
    """The choice list of a scale, named after its range and its own end labels, so that two
    scales with other labels never share one."""
    low, high = question["scale"]
    return f"scale_{low}_{high}_{_slug(question['scale_labels'][0])}_{_slug(question['scale_labels'][1])}"


def scale_choices(question: dict[str, Any]) -> list[tuple[str, str]]:
    """(value, label) of each point of a scale: "1 (Not at all)", "2", ... "5 (Fully)"."""
    low, high = question["scale"]
    out = []
    for value in range(low, high + 1):
        label = str(value)
        if value == low:
            label += f" ({question['scale_labels'][0]})"
        elif value == high:
            label += f" ({question['scale_labels'][1]})"
        out.append((str(value), label))
    return out


XLSFORM_LANGUAGES = {"en": "English", "fr": "French", "es": "Spanish", "ar": "Arabic", "ru": "Russian", "zh": "Chinese"}
"""The language names of XLSForm's translated columns ("label::French (fr)"), as KoboToolbox
and ODK write them: the name in English, then the code."""
TRANSLATED_COLUMNS = ("label", "hint", "constraint_message")


def xlsform_language(code: str) -> str:
    """The language as an XLSForm column names it: "French (fr)"."""
    return f"{XLSFORM_LANGUAGES.get(code, code)} ({code})"


def xlsform(env: RenderEnv, values: dict[str, Any]) -> bytes:
    """An XLSForm workbook (survey, choices, settings) for KoboToolbox or ODK Collect.

    Texts respondents read are in columns of the course language (`label::French (fr)`), which
    is also the form's `default_language`, so that Kobo and ODK show the form in it. The
    evaluation level of each question is metadata for the report, in a column of its own
    (`evaluation_level`), which XLSForm tools ignore: respondents never see it.
    """
    from openpyxl import Workbook

    _ = env.translator.gettext
    language = xlsform_language(values["language"])
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    columns = ["type", "name", "label", "hint", "required", "constraint", "constraint_message", "relevant", "appearance", "evaluation_level"]
    _append(survey, [f"{column}::{language}" if column in TRANSLATED_COLUMNS else column for column in columns])
    choices = workbook.create_sheet("choices")
    _append(choices, ["list_name", "name", f"label::{language}"])
    settings = workbook.create_sheet("settings")
    _append(settings, ["form_title", "form_id", "version", "default_language"])
    _append(settings, [values["title"], values["form_id"], values["version"], language])
    lists: set[str] = set()

    def row(**cells: str) -> None:
        _append(survey, [cells.get(column, "") for column in columns])

    section = None
    group = 0
    for question in values["questions"]:
        if question["section"] != section:
            if section is not None:
                row(type="end_group")
            group += 1
            row(type="begin_group", name=f"section_{group}", label=question["section"], appearance="field-list")
            section = question["section"]
        required = "yes" if question["required"] else ""
        level = question["level"]
        if question["type"] == "scale":
            list_name = scale_list(question)
            if list_name not in lists:
                lists.add(list_name)
                for value, label in scale_choices(question):
                    _append(choices, [list_name, value, label])
            low, high = question["scale"]
            row(type=f"select_one {list_name}", name=question["name"], label=question["text"], required=required,
                constraint=f". >= {low} and . <= {high}",
                constraint_message=_("Choose a value from {low} to {high}.", low=low, high=high),
                appearance="likert", evaluation_level=level)
        elif question["type"] in ("single", "multiple"):
            list_name = question["id"].replace("-", "_")
            if list_name not in lists:
                lists.add(list_name)
                for option in question["options"]:
                    _append(choices, [list_name, option["value"], option["label"]])
                if question["other"]:
                    _append(choices, [list_name, "other", _("Other")])
            kind = "select_one" if question["type"] == "single" else "select_multiple"
            row(type=f"{kind} {list_name}", name=question["name"], label=question["text"], required=required,
                evaluation_level=level)
            if question["other"]:
                row(type="text", name=f"{question['name']}_other", label=_("Please specify"),
                    relevant=f"selected(${{{question['name']}}}, 'other')", evaluation_level=level)
        else:
            kind = {"text": "text", "number": "integer", "date": "date"}[question["type"]]
            row(type=kind, name=question["name"], label=question["text"], required=required,
                appearance="multiline" if question["type"] == "text" else "", evaluation_level=level)
    if section is not None:
        row(type="end_group")
    return _xlsx_bytes(workbook, env)


def answer_codes(question: dict[str, Any]) -> list[tuple[str, str]]:
    """(code, meaning) of every answer a question takes, as the data-entry sheet lists them."""
    if question["type"] == "scale":
        return scale_choices(question)
    codes = [(option["value"], option["label"]) for option in question["options"]]
    if question["other"]:
        codes.append(("other", "Other"))
    return codes


def data_entry(env: RenderEnv, values: dict[str, Any]) -> bytes:
    """A plain spreadsheet for typing in paper answers: one row per respondent, one column per
    question, a drop-down list of the codes in every choice and scale column."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    _ = env.translator.gettext
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "responses"
    names = ["respondent"]
    labels = [_("Respondent number")]
    for question in values["questions"]:
        names.append(question["name"])
        labels.append(question["text"])
        if question["other"]:
            names.append(f"{question['name']}_other")
            labels.append(f"{question['text']} ({_('Other')})")
    _append(sheet, names)
    _append(sheet, labels)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(italic=True)
    sheet.freeze_panes = "B3"
    codes = workbook.create_sheet("codes")
    _append(codes, ["question", "code", "meaning"])
    lists = workbook.create_sheet("lists")
    lists.sheet_state = "hidden"
    list_column = 0
    for index, question in enumerate(values["questions"]):
        answers = answer_codes(question)
        for code, meaning in answers:
            _append(codes, [question["name"], code, meaning])
        if not answers:
            continue
        list_column += 1
        letter = get_column_letter(list_column)
        _append_column(lists, list_column, [question["name"], *(code for code, _meaning in answers)])
        column = get_column_letter(names.index(question["name"]) + 1)
        multiple = question["type"] == "multiple"
        validation = DataValidation(
            type="list",
            formula1=f"lists!${letter}$2:${letter}${len(answers) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="information" if multiple else "stop",
            errorTitle=_("Not one of the codes"),
            error=_("Use one of the codes in the list (see the 'codes' sheet)."),
            promptTitle=question["name"][:32],
            prompt=(_("Several codes, separated by spaces") if multiple else _("One code from the list"))[:255],
            showInputMessage=True,
        )
        validation.add(f"{column}3:{column}1000")
        sheet.add_data_validation(validation)
    about = workbook.create_sheet("about")
    _append(about, ["form", values["title"]])
    _append(about, ["form_id", values["form_id"]])
    _append(about, ["version", values["version"]])
    _append(about, ["how to fill", _("Row 1 holds the column names trainer reads; row 2 the questions. Type one respondent per row from row 3; for multiple choice, separate codes with spaces.")])
    return _xlsx_bytes(workbook, env)


def _append_column(sheet: Any, column: int, values: list[str]) -> None:
    for row, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=cell_text(value))
        cell.data_type = "s"
