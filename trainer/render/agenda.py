"""The agenda: one document for participants, in HTML, PDF and DOCX."""

from __future__ import annotations

from typing import Any

from ..schedule import Item
from . import Job, Output
from .common import BuildContext, RenderEnv, docx_bytes, html_to_pdf, new_docx, render_html

KIND = "agenda"
TEMPLATES = ("agenda.html",)


def _row(time: str, lead: str, title: str, note: str, fixed: bool) -> dict[str, Any]:
    return {"time": time, "lead": lead, "title": title, "note": note, "fixed": fixed}


def _rows(context: BuildContext, items: list[Item]) -> list[dict[str, Any]]:
    _ = context.translator.gettext
    modules = context.course_input.library.modules
    rows = []
    for item in items:
        when = context.translator.span(item.start, item.end)
        if item.kind != "session":
            title = {
                "break": _("Break"),
                "session-break": _("Break"),
                "lunch": _("Lunch break"),
                "recap": _("Daily recap"),
                "close": _("Final evaluation and close"),
            }.get(item.kind, item.title)
            if item.kind == "wrap-up":
                title = _("Wrap-up for Day {number}", number=_day_of(context, item))
            if item.kind in ("break", "lunch") and item.title not in ("Break", "Lunch break"):
                title = item.title  # a label the course gave
            rows.append(_row(when, "", title, "", True))
            continue
        module = modules.get(item.module or "")
        lead = ""
        if item.label:
            title = item.label
        else:
            parts = []
            if module is not None:
                parts.append(_("Module {number}", number=module.number))
            parts.append(_("Session {number}", number=item.number))
            lead = ", ".join(parts) + ":"
            title = item.title
            if item.continued:
                lead = ", ".join(parts) + " –"
                title = _("continued")
        note = _("includes break") if item.includes_break and not item.continued else ""
        rows.append(_row(when, lead, title, note, False))
    return rows


def _day_of(context: BuildContext, item: Item) -> int:
    for day in context.agenda.days:
        if item in day.items:
            return day.number
    return 0


def _facts(context: BuildContext) -> list[tuple[str, str]]:
    _ = context.translator.gettext
    course = context.course_input.course
    facts = []
    days = [day.date for day in context.agenda.days if day.date]
    if days:
        first, last = context.translator.date(days[0]), context.translator.date(days[-1])
        facts.append((_("Dates"), first if first == last else f"{first} – {last}"))
    place = ", ".join(part for part in (course.venue, course.city, course.country) if part)
    if place:
        facts.append((_("Venue"), place))
    if course.organisers:
        facts.append((_("Organised by"), "; ".join(course.organisers)))
    return facts


def _days(context: BuildContext) -> list[dict]:  # type: ignore[type-arg]
    _ = context.translator.gettext
    out = []
    for day in context.agenda.days:
        heading = _("Day {number}", number=day.number)
        if day.date:
            heading += f" · {context.translator.date(day.date)}"
        out.append({"heading": heading, "rows": _rows(context, day.items)})
    return out


def view(context: BuildContext) -> dict[str, Any]:
    """What the agenda shows: the course, its facts, and each day's rows."""
    course = context.course_input.course
    return {
        "title": context.title,
        "subtitle": course.subtitle,
        "facts": _facts(context),
        "days": _days(context),
        "trainers": [{"name": t.name, "organisation": t.organisation, "role": t.role} for t in course.trainers],
    }


def jobs(context: BuildContext) -> list[Job]:
    return [Job(KIND, "agenda", view(context), weight=1)]


def run(env: RenderEnv, job: Job) -> list[Output]:
    values = job.view
    html = render_html(env, "agenda.html", **values)
    return [
        Output("agenda/agenda.html", html.encode("utf-8")),
        Output("agenda/agenda.pdf", html_to_pdf(env, html)),
        Output("agenda/agenda.docx", _docx(env, values)),
    ]


def _docx(env: RenderEnv, values: dict) -> bytes:  # type: ignore[type-arg]
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    _ = env.translator.gettext
    document = new_docx(env)
    accent = RGBColor(0x0A, 0x5E, 0x8C)
    kicker = document.add_paragraph(_("Agenda").upper())
    kicker.runs[0].font.size = Pt(8)
    heading = document.add_heading(values["title"], level=0)
    for run in heading.runs:
        run.font.color.rgb = accent
    if values["subtitle"]:
        document.add_paragraph(values["subtitle"])
    for label, value in values["facts"]:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    for day in values["days"]:
        title = document.add_heading(day["heading"], level=1)
        for run in title.runs:
            run.font.color.rgb = accent
        table = document.add_table(rows=0, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.style = "Table Grid"
        table.autofit = False
        table.columns[0].width, table.columns[1].width = Cm(4.2), Cm(13.2)
        for row in day["rows"]:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Cm(4.2), Cm(13.2)
            cells[0].text = row["time"]
            paragraph = cells[1].paragraphs[0]
            if row["lead"]:
                paragraph.add_run(row["lead"] + " ").bold = True
            paragraph.add_run(row["title"])
            if row["note"]:
                paragraph.add_run(f" ({row['note']})").italic = True
            for cell in cells:
                cell.paragraphs[0].paragraph_format.space_before = Pt(3)
                cell.paragraphs[0].paragraph_format.space_after = Pt(3)
            if row["fixed"]:
                for cell in cells:
                    shading = OxmlElement("w:shd")
                    shading.set(qn("w:val"), "clear")
                    shading.set(qn("w:fill"), "EEF3F7")
                    cell._tc.get_or_add_tcPr().append(shading)
            # keep a row on one page
            properties = table.rows[-1]._tr.get_or_add_trPr()
            cant_split = OxmlElement("w:cantSplit")
            properties.append(cant_split)
    if values["trainers"]:
        document.add_heading(_("Trainers"), level=1)
        for trainer in values["trainers"]:
            text = trainer["name"] + (f", {trainer['organisation']}" if trainer["organisation"] else "")
            document.add_paragraph(text, style="List Bullet")
    return docx_bytes(document, env, f"{values['title']} – {_('Agenda')}")
