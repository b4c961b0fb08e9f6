"""The preparation checklist: every preparation, equipment and material item the sessions and
their activities name, by day and session, with print quantities for this course's numbers."""

from __future__ import annotations

from typing import Any

from ..quantities import counts
from . import Job, Output
from .common import BuildContext, RenderEnv, html_to_pdf, render_html

KIND = "checklist"
TEMPLATES = ("checklist.html",)


def checklist(context: BuildContext) -> list[dict[str, Any]]:
    """The checklist's content: days -> set-up items and sessions -> items with quantities."""
    _ = context.translator.gettext
    library = context.course_input.library
    numbers = counts(context.course_input)
    per_label = {
        "participant": _("per participant"),
        "group": _("per group"),
        "table": _("per table"),
        "facilitator": _("per facilitator"),
        "room": _("for the room"),
    }
    first_day: dict[str, int] = {}
    for day in context.agenda.days:
        for item in day.items:
            if item.kind == "session" and item.session:
                first_day.setdefault(item.session, day.number)
    days: list[dict[str, Any]] = []
    for day in context.agenda.days:
        heading = _("Day {number}", number=day.number)
        if day.date:
            heading += f" · {context.translator.date(day.date)}"
        entry: dict[str, Any] = {"heading": heading, "setup": [], "sessions": []}
        for planned in context.plan:
            session = planned.session
            if first_day.get(session.id) != day.number:
                continue
            name = _("Session {number}", number=session.number) + f": {session.title}"
            items: list[dict[str, Any]] = []
            for text in session.preparation:
                entry["setup"].append({"what": context.inline(text), "why": name})
            for text in session.equipment:
                if "no_internet" in context.conditions and library.needs_internet(text):
                    continue
                items.append({"what": context.inline(text), "quantity": "", "why": _("equipment")})
            seen_handouts: set[str] = set()
            # an activity used by several rows (a segment and its parts) is prepared once
            used = dict.fromkeys(a for s in session.segments() if planned.runs(s) for a in planned.activities_for(s))
            for activity_id in used:
                if activity_id not in library.activities:
                    continue
                activity = library.activities[activity_id]
                for material in activity.materials:
                    items.append(
                        {
                            "what": context.inline(material.item),
                            "quantity": str(numbers.of(material.per, material.quantity)),
                            "why": f"{activity.title} ({material.quantity} {per_label[material.per]})",
                        }
                    )
                for use in activity.handouts:
                    if use.handout in library.handouts:
                        seen_handouts.add(use.handout)
                        items.append(
                            {
                                "what": _("Print: {title}", title=library.handouts[use.handout].title),
                                "quantity": str(numbers.of(use.per, use.quantity)),
                                "why": f"{activity.title} ({use.quantity} {per_label[use.per]})",
                            }
                        )
            for handout_id in session.handouts:
                if handout_id in seen_handouts or handout_id not in library.handouts:
                    continue
                handout = library.handouts[handout_id]
                items.append(
                    {
                        "what": _("Print: {title}", title=handout.title),
                        "quantity": str(numbers.of(handout.per)),
                        "why": f"{_('handout')} ({per_label[handout.per]})",
                    }
                )
            entry["sessions"].append({"heading": name, "items": items})
        days.append(entry)
    return days


def view(context: BuildContext) -> dict[str, Any]:
    _ = context.translator.gettext
    numbers = counts(context.course_input)
    text = _(
        "{participants} participants in {groups} working groups at {tables} tables, {facilitators} facilitators.",
        participants=numbers.participants,
        groups=numbers.groups,
        tables=numbers.tables,
        facilitators=numbers.facilitators,
    )
    return {"title": context.title, "counts_text": text, "days": checklist(context)}


def jobs(context: BuildContext) -> list[Job]:
    return [Job(KIND, "checklist", view(context), weight=1)]


def run(env: RenderEnv, job: Job) -> list[Output]:
    return [Output("checklist.pdf", html_to_pdf(env, render_html(env, "checklist.html", **job.view)))]
