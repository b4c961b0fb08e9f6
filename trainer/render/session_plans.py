"""Facilitator session plans: one combined guide (PDF, with contents) and each session as PDF and DOCX.

The guide is laid out once; each session's PDF is a copy of its pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..models import Activity, Session
from ..models.content import SegmentPart
from ..schedule import Item, PlannedSession, ScheduledSegment
from . import Job, Output
from .common import BuildContext, RenderEnv, docx_bytes, layout, merge_pdfs, new_docx, render_html, sources_text

KIND = "session-plans"
TEMPLATES = ("facilitator-guide.html",)

CONDITIONS = {
    "country": "If the course is held in, or focuses on, a particular country",
    "region": "If the course focuses on a region",
    "no_internet": "If there is no internet connection",
    "no_projector": "If there is no projector",
    "low_experience": "If participants have little experience of human rights or migration",
    "high_experience": "If participants are experienced",
    "more_than_three_days": "If the course lasts more than three days",
    "consecutive_interpretation": "With consecutive interpretation",
    "lived_experience": "If participants have lived experience of migration",
    "sensitive_context": "In a sensitive context",
    "large_group": "With more than 24 participants",
    "sector_government": "For government participants",
    "sector_ngo": "For NGO participants",
    "sector_nhri": "For NHRI participants",
    "sector_un": "For UN participants",
    "accessibility": "If participants have accessibility needs",
}


@dataclass
class SessionView:
    session: Session
    anchor: str
    heading: str
    when: str
    values: dict[str, Any] = field(default_factory=dict)


def _session_items(context: BuildContext, session_id: str) -> list[tuple[int, Item]]:
    return [
        (day.number, item)
        for day in context.agenda.days
        for item in day.items
        if item.kind == "session" and item.session == session_id
    ]


def _when(context: BuildContext, items: list[tuple[int, Item]]) -> str:
    _ = context.translator.gettext
    by_day: dict[int, list[str]] = {}
    for day, item in items:
        by_day.setdefault(day, []).append(context.translator.span(item.start, item.end))
    merged = []
    for day, spans in by_day.items():
        merged.append(f"{_('Day {number}', number=day)}, {'; '.join(_merge_spans(spans))}")
    return " · ".join(merged) or _("Not in this course's agenda")


def _merge_spans(spans: list[str]) -> list[str]:
    """Adjacent agenda lines of one part (labelled segments) read as one span."""
    out: list[str] = []
    for span in spans:
        if out and out[-1].split("–")[-1] == span.split("–")[0]:
            out[-1] = out[-1].split("–")[0] + "–" + span.split("–")[-1]
        else:
            out.append(span)
    return out


def _rows(context: BuildContext, planned: PlannedSession, scheduled: dict[str, ScheduledSegment], breaks: list[ScheduledSegment]) -> list[dict[str, Any]]:
    _ = context.translator.gettext
    library = context.course_input.library
    rows: list[dict[str, Any]] = []
    pending_breaks = sorted(breaks, key=lambda b: b.start)

    def row(segment: SegmentPart, placed: ScheduledSegment | None, css: str) -> dict[str, Any]:
        tags = []
        if segment.optional:
            tags.append({"text": _("optional, included") if placed else _("optional, not in this plan"), "chosen": bool(placed)})
        if segment.slides:
            tags.append({"text": _("slides"), "chosen": False})
        if segment.id in planned.offline:
            tags.append({"text": _("offline alternative in this course"), "chosen": True})
        activity = planned.activity_for(segment)
        choice = []
        for alternative in segment.choice:
            title = library.activities[alternative.activity].title if alternative.activity in library.activities else alternative.activity
            choice.append(
                {
                    "label": alternative.label or title,
                    "chosen": alternative.activity == activity,
                    "notes": context.inline(alternative.notes or alternative.when or ""),
                }
            )
        if segment.activity and segment.activity in library.activities:
            tags.append({"text": _("activity: {title}", title=library.activities[segment.activity].title), "chosen": True})
        return {
            "css": css + ("" if placed or css == "part" else " skipped"),
            "clock": context.translator.span(placed.start, placed.end) if placed else "",
            "minutes": _minutes_text(context, segment, placed),
            "title": segment.title,
            "tags": tags,
            "notes": context.html(segment.notes),
            "choice": choice,
            "adapt": sorted(
                (
                    {"when": _(CONDITIONS[a.when]), "text": context.html(a.do), "applies": a.when in context.conditions}
                    for a in segment.adapt
                ),
                key=lambda entry: not entry["applies"],
            ),
            "reminders": [context.html(r) for r in segment.reminders],
            "offline": context.html(segment.offline) if segment.offline else "",
            "resources": [context.inline(r) for r in segment.resources],
        }

    for segment in planned.session.plan:
        placed = scheduled.get(segment.id)
        while placed and pending_breaks and pending_breaks[0].end <= placed.start:
            pause = pending_breaks.pop(0)
            rows.append(
                {"css": "session-break", "clock": context.translator.span(pause.start, pause.end),
                 "minutes": f"{pause.minutes} min", "title": _("Break"), "tags": [], "notes": "", "choice": [],
                 "adapt": [], "reminders": [], "offline": "", "resources": []}
            )
        rows.append(row(segment, placed, "segment"))
        placed_parts = {p.id: p for p in placed.parts} if placed else {}
        for part in segment.parts:
            rows.append(row(part, placed_parts.get(part.id), "part"))
    return rows


def _minutes_text(context: BuildContext, segment: SegmentPart, placed: ScheduledSegment | None) -> str:
    guide = segment.minutes.describe()
    if placed is None:
        return guide
    if placed.minutes == segment.minutes.high and not segment.minutes.is_range:
        return guide
    return f"{placed.minutes} min ({context.translator.gettext('guide')}: {guide})"


def _activity_view(context: BuildContext, activity: Activity, variant: str | None = None, careful: bool = False) -> dict[str, Any]:
    _ = context.translator.gettext
    library = context.course_input.library
    return {
        "id": activity.id,
        "title": activity.title,
        "purpose": context.inline(activity.purpose),
        "minutes": activity.minutes.describe(),
        "grouping": activity.grouping,
        "materials": "; ".join(f"{m.item} ({m.quantity} per {m.per})" for m in activity.materials),
        "handouts": "; ".join(
            f"{library.handouts[h.handout].title if h.handout in library.handouts else h.handout} ({h.quantity} per {h.per})"
            for h in activity.handouts
        ),
        "setup": context.html(activity.setup),
        "steps": [context.html(step) for step in activity.steps],
        "debrief": [context.inline(q) for q in activity.debrief],
        "variants": [
            {
                "title": v.title + (f" ({_('used in this course')})" if v.id == variant else ""),
                "notes": context.html(v.notes),
                "steps": [context.html(s) for s in v.steps],
                "questions": [context.inline(q) for q in v.questions],
            }
            for v in activity.variants
        ],
        "do_no_harm": context.html(activity.do_no_harm),
        "lower_exposure": context.html(activity.lower_exposure),
        "careful": careful,
        "tips": [context.html(t) for t in activity.tips],
    }


def _example_view(context: BuildContext, example: Any) -> dict[str, Any]:
    cited = example.source
    pages = cited.pages or ""
    where = cited.doc + (
        f", para. {cited.paragraphs}" if cited.paragraphs else (f", p. {pages}" if pages[:1].isdigit() else f", {pages}")
    )
    return {
        "title": example.title,
        "place": example.country or ", ".join(example.regions),
        "summary": context.html(example.summary),
        "source": where,
        "as_of": cited.as_of.isoformat() if cited.as_of else "",
    }


def _local_view(context: BuildContext, entry: Any) -> dict[str, Any]:
    return {
        "title": entry.title,
        "session": entry.session,
        "slot": entry.slot,
        "body": context.html(entry.body),
        "source": entry.source,
        "checked_on": entry.checked_on.isoformat(),
        "checked_by": entry.checked_by,
        "departs": context.inline(entry.departs_from_guide),
    }


def session_views(context: BuildContext, plan: list[PlannedSession]) -> list[SessionView]:
    _ = context.translator.gettext
    library = context.course_input.library
    views = []
    for planned in plan:
        session = planned.session
        items = _session_items(context, session.id)
        scheduled = {s.id: s for _, item in items for s in item.segments if s.id != "break"}
        breaks = [s for _, item in items for s in item.segments if s.id == "break"]
        used: list[str] = []
        for segment in session.segments():
            if segment.id in scheduled or any(segment in s.parts for s in session.plan if s.id in scheduled):
                for activity in planned.activities_for(segment):
                    if activity not in used and activity in library.activities:
                        used.append(activity)
        heading = _("Session {number}", number=session.number) + f": {session.title}"
        view = SessionView(session, session.id, heading, _when(context, items))

        def titles(ids: list[str], table: dict[str, Any]) -> list[str]:
            return [table[i].title if i in table else i for i in ids]

        view.values = {
            "anchor": session.id,
            "heading": heading,
            "when": view.when,
            "duration": session.duration.describe(),
            "methods": session.methods,
            "aim": context.html(session.aim),
            "overview": [
                (_("Content"), [context.inline(x) for x in session.content]),
                (_("Learning objectives"), [context.inline(x) for x in session.objectives]),
                (_("Key messages"), [context.inline(x) for x in session.key_messages]),
                (_("Preparation"), [context.inline(x) for x in session.preparation]),
                (_("Equipment"), [context.inline(x) for x in session.equipment if not _unavailable(context, x)]),
                (_("Handouts"), titles(session.handouts, library.handouts)),
                (_("Activities"), titles(session.activities, library.activities)),
                (_("Other resources"), [context.inline(x) for x in session.other_resources]),
            ],
            "notes": context.html(session.notes),
            "duration_note": context.html(session.duration_note) if session.duration_note else "",
            "tips": [context.html(t) for t in session.tips],
            "reminders": [context.html(r) for r in session.reminders],
            "rows": _rows(context, planned, scheduled, breaks),
            "additional": [
                {
                    "title": r.title,
                    "meta": ", ".join(x for x in (r.by, r.published, r.language) if x),
                    "url": r.url or "",
                    "description": r.description or "",
                }
                for r in session.additional_resources
            ],
            "activities": [
                _activity_view(context, library.activities[a], planned.variants.get(a), a in planned.do_no_harm) for a in used
            ],
            "examples": [_example_view(context, e) for e in context.examples.get(session.id, [])],
            "sources": sources_text(session.sources),
            "local": [_local_view(context, e) for e in library.local_context.values() if e.session == session.id],
            "instead": [
                {
                    "heading": _("Session {number} is not in this course", number=library.sessions[d.session].number),
                    "what": d.what[:1].upper() + d.what[1:],
                    "instead": context.html(d.instead),
                    "instead_markdown": d.instead,
                    "minutes": _("{minutes} min, taken from this session's time", minutes=d.minutes) if d.minutes else "",
                }
                for d in session.builds_on
                if d.session in library.sessions and d.session not in {p.id for p in context.plan}
            ],
            "aim_markdown": session.aim,
            "notes_markdown": session.notes,
            "tips_text": list(session.tips),
            "number": session.number,
        }
        views.append(view)
    return views


def _unavailable(context: BuildContext, text: str) -> bool:
    """An equipment item a course without internet cannot have (the offline rule removes it
    everywhere: plans, checklist)."""
    return "no_internet" in context.conditions and context.course_input.library.needs_internet(text)


def _module_heading(context: BuildContext, session: Session) -> str:
    _ = context.translator.gettext
    module = context.course_input.library.modules.get(session.module)
    return (_("Module {number}", number=module.number) + f": {module.title}") if module else ""


def _modules(pairs: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Session views grouped under their module headings, in course order."""
    modules: list[dict[str, Any]] = []
    for heading, values in pairs:
        if not modules or modules[-1]["heading"] != heading:
            modules.append({"heading": heading, "sessions": []})
        modules[-1]["sessions"].append(values)
    return modules


def _cover_view(context: BuildContext) -> dict[str, Any]:
    from ..adapt import time_effect
    from .agenda import _facts

    _ = context.translator.gettext
    return {
        "title": context.title,
        "subtitle": context.course_input.course.subtitle,
        "facts": _facts(context),
        "adaptations": [
            {"rule": a.rule, "change": a.change, "reason": a.reason, "session": a.session, "time": time_effect(a, context.agenda)}
            for a in context.adaptations
        ],
        "local_entries": [_local_view(context, e) for e in context.course_input.library.local_context.values()],
        "schedule_changes": [
            f"{c.session}: {c.action} {c.minutes} min" + (f" ({c.segment})" if c.segment else "") + f": {c.reason}"
            for c in context.agenda.changes
        ],
        "based_on": _("Based on OHCHR, Towards a Human Rights-Based Approach to Migration: Training Guide (HR/P/PT/26, 2023)."),
    }


def _page(env: RenderEnv, cover: dict[str, Any], modules: list[dict[str, Any]], *, show_cover: bool, show_sessions: bool,
          toc_pages: dict[str, str] | None = None) -> str:
    return render_html(
        env,
        "facilitator-guide.html",
        modules=modules,
        show_cover=show_cover,
        show_sessions=show_sessions,
        toc_pages=toc_pages or {},
        **cover,
    )


def jobs(context: BuildContext) -> list[Job]:
    views = session_views(context, context.plan)
    cover = _cover_view(context)
    out = []
    pairs = []
    for view in views:
        heading = _module_heading(context, view.session)
        pairs.append((heading, view.values))
        # a session plan shows none of the cover: its view holds only the title it carries
        own_cover = {**{key: [] for key in ("facts", "adaptations", "local_entries", "schedule_changes")},
                     "title": cover["title"], "subtitle": "", "based_on": ""}
        out.append(Job(KIND, view.session.id, {"cover": own_cover, "module": heading, "session": view.values}, weight=10))
    files = [f"sessions/session-{view.session.number}.pdf" for view in views]
    out.append(Job(KIND, "guide", {"cover": cover, "modules": _modules(pairs), "files": files}, after=True, weight=3))
    return out


def run(env: RenderEnv, job: Job) -> list[Output]:
    view = job.view
    if job.key == "guide":
        return [Output("facilitator-guide.pdf", _guide(env, view))]
    values = view["session"]
    document = layout(env, _page(env, view["cover"], _modules([(view["module"], values)]), show_cover=False, show_sessions=True))
    name = f"sessions/session-{values['number']}"
    return [Output(f"{name}.pdf", document.write_pdf()), Output(f"{name}.docx", _docx(env, values))]


def _guide(env: RenderEnv, view: dict[str, Any]) -> bytes:
    """The combined guide: a cover and contents, then every session plan as its own PDF has it."""
    import io

    from pypdf import PdfReader

    cover_values, modules, files = view["cover"], view["modules"], view["files"]
    sessions = [values for module in modules for values in module["sessions"]]
    readers = [PdfReader(io.BytesIO(env.read_output(file))) for file in files]
    widest = {values["anchor"]: "000" for values in sessions}  # lay out the contents with room for 3-digit pages
    cover_pages = len(layout(env, _page(env, cover_values, modules, show_cover=True, show_sessions=False, toc_pages=widest)).pages)
    numbers, page = {}, cover_pages + 1
    for values, reader in zip(sessions, readers, strict=True):
        numbers[values["anchor"]] = str(page)
        page += len(reader.pages)
    cover = layout(env, _page(env, cover_values, modules, show_cover=True, show_sessions=False, toc_pages=numbers)).write_pdf()
    # merge_pdfs keeps every part's tags (structure tree), language and a bookmark per session
    parts = [cover, *(env.read_output(file) for file in files)]
    bookmarks, start = [], len(PdfReader(io.BytesIO(cover)).pages)
    for values, reader in zip(sessions, readers, strict=True):
        bookmarks.append((values["heading"], start))
        start += len(reader.pages)
    return merge_pdfs(parts, bookmarks, cover_values["title"], env.created)


def _docx(env: RenderEnv, values: dict[str, Any]) -> bytes:
    """The session plan as an editable Word document (the same content as the PDF)."""
    from docx.shared import RGBColor

    from .docx_markdown import add_markdown

    _ = env.translator.gettext
    document = new_docx(env)
    section = document.sections[0]
    section.header.paragraphs[0].text = values["heading"]
    heading = document.add_heading(values["heading"], level=0)
    for run in heading.runs:
        run.font.color.rgb = RGBColor(0x0A, 0x5E, 0x8C)
    document.add_paragraph(f"{values['when']} · {values['duration']}" + (f" · {values['methods']}" if values["methods"] else ""))
    document.add_heading(_("Aim"), level=2)
    add_markdown(document, values["aim_markdown"])
    for label, items in values["overview"]:
        if items:
            document.add_heading(label, level=2)
            for item in items:
                document.add_paragraph(Markup(item).striptags(), style="List Bullet")
    if values["duration_note"]:
        paragraph = document.add_paragraph()
        paragraph.add_run(_("Timing") + ": ").bold = True
        paragraph.add_run(Markup(values["duration_note"]).striptags().strip())
    for missing in values["instead"]:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{missing['heading']} ({missing['what']}). ").bold = True
        paragraph.add_run(_("Instead") + ": ").bold = True
        add_markdown(document, missing["instead_markdown"])
        if missing["minutes"]:
            document.add_paragraph(missing["minutes"])
    if values["notes_markdown"]:
        document.add_heading(_("Before the session"), level=2)
        add_markdown(document, values["notes_markdown"])
    for tip in values["tips_text"]:
        paragraph = document.add_paragraph()
        paragraph.add_run(_("Tip") + ": ").bold = True
        paragraph.add_run(tip)
    document.add_heading(_("Session plan"), level=1)
    from docx.shared import Cm

    widths = (Cm(2.6), Cm(11.2), Cm(3.6))
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    header = table.rows[0].cells
    for cell, text, width in zip(header, (_("Time"), _("Activity"), _("Resources")), widths, strict=True):
        cell.text = text
        cell.width = width
        cell.paragraphs[0].runs[0].bold = True
    for row in values["rows"]:
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        cells[0].text = "\n".join(x for x in (row["clock"], row["minutes"]) if x)
        title = cells[1].paragraphs[0]
        title.add_run(("    " if row["css"].startswith("part") else "") + row["title"]).bold = True
        tags = ", ".join(tag["text"] for tag in row["tags"])
        if tags:
            title.add_run(f"  [{tags}]").italic = True
        notes = Markup(row["notes"]).striptags() if row["notes"] else ""
        if notes:
            cells[1].add_paragraph(notes)
        for alternative in row["choice"]:
            mark = "☑" if alternative["chosen"] else "☐"
            cells[1].add_paragraph(f"{mark} {alternative['label']}")
        for note in row["adapt"]:
            paragraph = cells[1].add_paragraph()
            label = note["when"] + (f" ({_('applies to this course')})" if note["applies"] else "")
            paragraph.add_run(label + ": ").bold = note["applies"]
            paragraph.add_run(Markup(note["text"]).striptags())
        for reminder in row["reminders"]:
            paragraph = cells[1].add_paragraph()
            paragraph.add_run(_("Reminder") + ": ").bold = True
            paragraph.add_run(Markup(reminder).striptags())
        if row["offline"]:
            paragraph = cells[1].add_paragraph()
            paragraph.add_run(_("Without internet or projector") + ": ").bold = True
            paragraph.add_run(Markup(row["offline"]).striptags())
        cells[2].text = "\n".join(Markup(r).striptags() for r in row["resources"])
    for activity in values["activities"]:
        document.add_heading(activity["title"], level=2)
        document.add_paragraph(f"{_('Purpose')}: {Markup(activity['purpose']).striptags()}")
        document.add_paragraph(f"{_('Time')}: {activity['minutes']} · {_('Grouping')}: {activity['grouping']}")
        if activity["setup"]:
            document.add_heading(_("Set-up"), level=3)
            document.add_paragraph(Markup(activity["setup"]).striptags().strip())
        document.add_heading(_("Steps"), level=3)
        for number, step in enumerate(activity["steps"], start=1):
            document.add_paragraph(f"{number}. {Markup(step).striptags().strip()}")
        if activity["debrief"]:
            document.add_heading(_("Debrief"), level=3)
        for question in activity["debrief"]:
            document.add_paragraph(Markup(question).striptags(), style="List Bullet")
        for variant in activity["variants"]:
            document.add_heading(f"{_('Variant')}: {variant['title']}", level=3)
            for question in variant["questions"]:
                document.add_paragraph(Markup(question).striptags(), style="List Bullet")
        for key, label in (("do_no_harm", _("Do no harm")), ("lower_exposure", _("Lower-exposure variant"))):
            if activity[key]:
                paragraph = document.add_paragraph()
                suffix = f" ({_('applies to this course')})" if activity["careful"] else ""
                paragraph.add_run(label + suffix + ": ").bold = True
                paragraph.add_run(Markup(activity[key]).striptags().strip())
    if values["examples"]:
        document.add_heading(_("Practice examples for this course"), level=2)
        for example in values["examples"]:
            paragraph = document.add_paragraph()
            paragraph.add_run(example["title"] + (f" ({example['place']})" if example["place"] else "") + ". ").bold = True
            paragraph.add_run(Markup(example["summary"]).striptags().strip())
            document.add_paragraph(f"{_('Source')}: {example['source']} · {_('as of {date}', date=example['as_of'])}")
    return docx_bytes(document, env, values["heading"])
