"""Evaluation and assessment forms: printable PDFs, the same forms as XLSForm workbooks for
KoboToolbox or ODK, and a plain spreadsheet for typing in paper answers.

End-of-day forms are built per day from that day's sessions in the agenda; the end-of-course
form from the course's objectives. Questions with `for_each` are repeated per item.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from ..models import Form, Question
from . import Job, Output
from .common import BuildContext, course_inputs, course_sources, dump, html_to_pdf, render_html, source
from .markdown import inline, to_html

KIND = "forms"
LEVELS = {"profile": "Profile", "reaction": "Reaction", "learning": "Learning", "intended-use": "Intended use"}


@dataclass
class Concrete:
    """A question as it appears on one form: `{item}` filled in, with a unique name."""

    name: str
    text: str
    question: Question
    section: str


def expand(context: BuildContext, form: Form, day: int | None) -> list[Concrete]:
    """The form's questions with `for_each` expanded for the day (or the course)."""
    library = context.course_input.library
    sessions = []
    if day is not None:
        for item in context.agenda.days[day - 1].items:
            if item.kind == "session" and item.session and item.session not in [s.id for s in sessions]:
                sessions.append(library.sessions[item.session])
    objectives = library.programme.objectives
    out: list[Concrete] = []
    for section in form.sections:
        for question in section.questions:
            name = question.id.replace("-", "_")
            if question.for_each == "session":
                for session in sessions:
                    label = f"Session {session.number}: {session.title}"
                    out.append(Concrete(f"{name}_s{session.number}", question.text.replace("{item}", label), question, section.title))
            elif question.for_each == "objective":
                for session in sessions:
                    for number, objective in enumerate(session.objectives, start=1):
                        label = f"Session {session.number}: {objective}"
                        out.append(Concrete(f"{name}_s{session.number}_o{number}", question.text.replace("{item}", label), question, section.title))
            elif question.for_each == "course-objective":
                for number, objective in enumerate(objectives, start=1):
                    out.append(Concrete(f"{name}_o{number}", question.text.replace("{item}", objective), question, section.title))
            else:
                out.append(Concrete(name, question.text, question, section.title))
    return out


def form_instances(context: BuildContext) -> list[tuple[str, str, Form, int | None]]:
    """(file stem, title, form, day) for every form this course prints."""
    _ = context.translator.gettext
    out = []
    for form in sorted(context.course_input.library.forms.values(), key=lambda f: f.id):
        if form.kind == "end-of-day":
            for day in context.agenda.days:
                if any(item.kind == "session" for item in day.items):
                    out.append((f"{form.id}-day-{day.number}", f"{form.title} · {_('Day {number}', number=day.number)}", form, day.number))
        else:
            out.append((form.id, form.title, form, None))
    return out


def jobs(context: BuildContext) -> list[Job]:
    out = []
    for stem, title, form, day in form_instances(context):
        questions = [(c.name, c.text) for c in expand(context, form, day)]
        inputs = {"common": course_inputs(context), "form": dump(form), "title": title, "questions": questions}
        out.append(Job(KIND, stem, inputs, [source(context, form.id), *course_sources(context)]))
    return out


def run(context: BuildContext, job: Job) -> list[Output]:
    stem, title, form, day = next(instance for instance in form_instances(context) if instance[0] == job.key)
    questions = expand(context, form, day)
    return [
        Output(f"forms/{stem}.pdf", html_to_pdf(context, _html(context, title, form, questions))),
        Output(f"forms/{stem}.xlsform.xlsx", xlsform(context, stem, title, questions)),
        Output(f"forms/{stem}.data-entry.xlsx", data_entry(context, title, questions)),
    ]


def _html(context: BuildContext, title: str, form: Form, questions: list[Concrete]) -> str:
    _ = context.translator.gettext
    sections: list[dict[str, Any]] = []
    intros = {section.title: section.intro for section in form.sections}
    for number, concrete in enumerate(questions, start=1):
        if not sections or sections[-1]["title"] != concrete.section:
            sections.append({"title": concrete.section, "intro": to_html(intros.get(concrete.section, "")), "questions": []})
        q = concrete.question
        sections[-1]["questions"].append(
            {
                "number": number,
                "text": inline(concrete.text),
                "level": _(LEVELS[q.level]),
                "type": q.type,
                "options": [o.label for o in q.options],
                "other": q.other,
                "scale_values": list(range(q.scale[0], q.scale[1] + 1)),
                "low_label": q.scale_labels[0],
                "high_label": q.scale_labels[1],
                "lines": q.lines,
            }
        )
    return render_html(
        context,
        "form.html",
        title=context.title,
        form_title=title,
        subtitle="",
        intro=to_html(form.intro),
        sections=sections,
    )


def _xlsx_bytes(workbook: Any, context: BuildContext) -> bytes:
    from .common import fixed_zip

    workbook.properties.creator = "trainer"
    workbook.properties.lastModifiedBy = "trainer"
    workbook.properties.created = context.created.replace(tzinfo=None)
    workbook.properties.modified = context.created.replace(tzinfo=None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return fixed_zip(buffer.getvalue(), context.created)


def xlsform(context: BuildContext, stem: str, title: str, questions: list[Concrete]) -> bytes:
    """An XLSForm workbook (survey, choices, settings) for KoboToolbox or ODK Collect."""
    from openpyxl import Workbook

    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "hint", "required", "relevant", "appearance"])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([title, stem.replace("-", "_"), context.created.strftime("%Y%m%d"), context.translator.language])
    lists: set[str] = set()
    section = None
    group = 0
    for concrete in questions:
        q = concrete.question
        if concrete.section != section:
            if section is not None:
                survey.append(["end_group", "", "", "", "", "", ""])
            group += 1
            survey.append(["begin_group", f"section_{group}", concrete.section, "", "", "", "field-list"])
            section = concrete.section
        required = "yes" if q.required else ""
        hint = LEVELS[q.level]
        if q.type == "scale":
            list_name = f"scale_{q.scale[0]}_{q.scale[1]}"
            if list_name not in lists:
                lists.add(list_name)
                for value in range(q.scale[0], q.scale[1] + 1):
                    label = str(value)
                    if value == q.scale[0]:
                        label += f" ({q.scale_labels[0]})"
                    elif value == q.scale[1]:
                        label += f" ({q.scale_labels[1]})"
                    choices.append([list_name, str(value), label])
            survey.append([f"select_one {list_name}", concrete.name, concrete.text, hint, required, "", "likert"])
        elif q.type in ("single", "multiple"):
            list_name = q.id.replace("-", "_")
            if list_name not in lists:
                lists.add(list_name)
                for option in q.options:
                    choices.append([list_name, option.value.replace("-", "_"), option.label])
                if q.other:
                    choices.append([list_name, "other", "Other"])
            kind = "select_one" if q.type == "single" else "select_multiple"
            survey.append([f"{kind} {list_name}", concrete.name, concrete.text, hint, required, "", ""])
            if q.other:
                survey.append(["text", f"{concrete.name}_other", "Please specify", "", "", f"selected(${{{concrete.name}}}, 'other')", ""])
        else:
            kind = {"text": "text", "number": "integer", "date": "date"}[q.type]
            survey.append([kind, concrete.name, concrete.text, hint, required, "", "multiline" if q.type == "text" else ""])
    if section is not None:
        survey.append(["end_group", "", "", "", "", "", ""])
    return _xlsx_bytes(workbook, context)


def data_entry(context: BuildContext, title: str, questions: list[Concrete]) -> bytes:
    """A plain spreadsheet for typing in paper answers: one row per respondent, one column per question."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "responses"
    names = ["respondent"]
    labels = ["Respondent number"]
    for concrete in questions:
        names.append(concrete.name)
        labels.append(concrete.text)
        if concrete.question.other:
            names.append(f"{concrete.name}_other")
            labels.append(f"{concrete.text} (other)")
    sheet.append(names)
    sheet.append(labels)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(italic=True)
    sheet.freeze_panes = "B3"
    codes = workbook.create_sheet("codes")
    codes.append(["question", "code", "meaning"])
    for concrete in questions:
        q = concrete.question
        if q.type == "scale":
            codes.append([concrete.name, f"{q.scale[0]}-{q.scale[1]}", f"{q.scale_labels[0]} … {q.scale_labels[1]}"])
        for option in q.options:
            codes.append([concrete.name, option.value.replace("-", "_"), option.label])
    about = workbook.create_sheet("about")
    about.append(["form", title])
    about.append(["how to fill", "Row 1 holds the column names trainer reads; row 2 the questions. Type one respondent per row from row 3; for multiple choice, separate codes with spaces."])
    return _xlsx_bytes(workbook, context)
