"""The agenda: one document for participants, in HTML, PDF and DOCX."""

from __future__ import annotations

from typing import Any

from ..schedule import Item
from . import Job, Output
from .common import BuildContext, RenderEnv, docx_bytes, render_html
from .document import Block, Column, Heading, Items, Para, Row, Span, Table, label_para, text

KIND = "agenda"
TEMPLATES = ("agenda.html",)


def _row(time: str, lead: str, title: str, note: str, fixed: bool) -> dict[str, Any]:
    return {"time": time, "lead": lead, "title": title, "note": note, "fixed": fixed}


def _rows(context: BuildContext, items: list[Item]) -> list[dict[str, Any]]:
    """The agenda's lines of one day. Every session line says which session it belongs to
    (a labelled line: "Session 7 – Instructions"), and a break the schedule places inside a
    session is given with its times."""
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
        parts = []
        if module is not None:
            parts.append(_("Module {number}", number=module.number))
        parts.append(_("Session {number}", number=item.number))
        if item.label:
            lead, title = _("Session {number}", number=item.number) + " –", item.label
        elif item.continued:
            lead, title = context.translator.comma.join(parts) + " –", _("continued")
        else:
            lead, title = context.translator.comma.join(parts) + context.translator.colon.rstrip(), item.title
        pauses = [s for s in item.segments if s.id == "break"]
        note = context.translator.semicolon.join(_("break {time}", time=context.translator.span(p.start, p.end)) for p in pauses)
        rows.append(_row(when, lead, title, note, False))
    return rows


def _day_of(context: BuildContext, item: Item) -> int:
    for day in context.agenda.days:
        if item in day.items:
            return day.number
    return 0


def dates_and_venue(context: BuildContext) -> list[tuple[str, str]]:
    """The course's dates and venue as labelled facts (agenda, handouts, evaluation report)."""
    _ = context.translator.gettext
    course = context.course_input.course
    facts = []
    days = [day.date for day in context.agenda.days if day.date]
    if days:
        first, last = context.translator.date(days[0]), context.translator.date(days[-1])
        facts.append((_("Dates"), first if first == last else f"{first} – {last}"))
    place = context.translator.comma.join(part for part in (course.venue, course.city, course.country) if part)
    if place:
        facts.append((_("Venue"), place))
    return facts


def _facts(context: BuildContext) -> list[tuple[str, str]]:
    _ = context.translator.gettext
    course = context.course_input.course
    facts = dates_and_venue(context)
    if course.organisers:
        facts.append((_("Organised by"), context.translator.semicolon.join(course.organisers)))
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
    """What the agenda shows: the course, its facts, and each day's rows, as blocks."""
    course = context.course_input.course
    return {
        "title": context.title,
        "blocks": blocks(context),
        "sizes": SIZES,
        "subtitle": course.subtitle,
    }


SIZES = (11.0, 10.5, 10.0, 9.5, 9.0, 8.5, 8.0)
"""Type sizes the agenda is tried at, largest first, until it fits one page."""


def blocks(context: BuildContext) -> list[Block]:
    """The agenda as the document model: the PDF, the HTML page and the Word file are all
    written from these blocks."""
    _ = context.translator.gettext
    course = context.course_input.course
    out: list[Block] = [
        Para(text(_("Agenda")), "kicker"),
        Heading(1, text(context.title), css="doc-title"),
    ]
    if course.subtitle:
        out.append(Para(text(course.subtitle), "subtitle"))
    for label, value in _facts(context):
        out.append(label_para(label, text(value), "fact"))
    columns = [Column(_("Time"), 22, "time"), Column(_("What"), 78, "what")]
    for day in _days(context):
        rows = []
        for row in day["rows"]:
            what: list[Span] = []
            if row["lead"]:
                what.append(Span(row["lead"] + " ", bold=True))
            what.append(Span(row["title"], bold=row["fixed"]))
            if row["note"]:
                what.append(Span(f" ({row['note']})", muted=True))
            rows.append(Row([[Para(text(row["time"]))], [Para(what)]], "fixed" if row["fixed"] else "session"))
        out += [Heading(2, text(day["heading"]), bookmark=1), Table(columns, rows, "agenda-table", header=False)]
    if course.trainers:
        out.append(Heading(2, text(_("Trainers"))))
        out.append(Items([[Para([Span(t.name, bold=True), *text(f", {t.organisation}" if t.organisation else ""),
                                 *text(f" ({t.role})" if t.role and t.role != "Trainer" else "")])] for t in course.trainers]))
    return out


def jobs(context: BuildContext) -> list[Job]:
    return [Job(KIND, "agenda", view(context), weight=1)]


def run(env: RenderEnv, job: Job) -> list[Output]:
    from .document_html import fitted_pdf, to_html

    values = job.view
    html = render_html(env, "agenda.html", title=values["title"], body=to_html(values["blocks"]), size=values["sizes"][0])
    return [
        Output("agenda/agenda.html", html.encode("utf-8")),
        Output("agenda/agenda.pdf", fitted_pdf(env, values, "agenda.html", pages=1)),
        Output("agenda/agenda.docx", _docx(env, values)),
    ]


def _docx(env: RenderEnv, values: dict[str, Any]) -> bytes:
    """The agenda as an editable Word file: the same blocks as the PDF."""
    from .document_docx import new_document, write_docx

    _ = env.translator.gettext
    document = new_document(env.paper, size=10, direction=env.translator.direction)
    write_docx(document, values["blocks"])
    return docx_bytes(document, env, f"{values['title']} – {_('Agenda')}")
