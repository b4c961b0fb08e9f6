"""Participant handouts: the participant pack (cover, contents, agenda, every handout in
session order) and each handout as its own PDF, copied from the pack's pages."""

from __future__ import annotations

from typing import Any

from . import Job, Output
from .agenda import _days, _facts
from .common import BuildContext, RenderEnv, anchor_pages, layout, render_html, sources_text

KIND = "handouts"
TEMPLATES = ("participant-pack.html",)


def handout_order(context: BuildContext) -> list[tuple[str, list[int]]]:
    """Handout ids in the order of the sessions that first use them, with those sessions' numbers."""
    library = context.course_input.library
    order: dict[str, list[int]] = {}
    for planned in context.plan:
        session = planned.session
        ids = list(session.handouts)
        for segment in session.segments():
            if not planned.runs(segment):
                continue
            ids.extend(segment.handouts)
            for activity in planned.activities_for(segment):
                if activity in library.activities:
                    ids.extend(use.handout for use in library.activities[activity].handouts)
        for handout_id in ids:
            if handout_id in library.handouts and library.handouts[handout_id].audience == "participants":
                numbers = order.setdefault(handout_id, [])
                if session.number not in numbers:
                    numbers.append(session.number)
    return list(order.items())


def view(context: BuildContext) -> dict[str, Any]:
    _ = context.translator.gettext
    library = context.course_input.library
    course = context.course_input.course
    handouts: list[dict[str, Any]] = []
    for handout_id, sessions in handout_order(context):
        handout = library.handouts[handout_id]
        if handout.generated == "agenda":
            continue  # the agenda opens the pack
        label = ", ".join(_("Session {number}", number=n) for n in sessions)
        trainers = []
        if handout.generated == "trainer-bios":
            trainers = [
                {"name": t.name, "role": t.role, "organisation": t.organisation, "bio": context.html(t.bio)}
                for t in course.trainers
            ]
        handouts.append(
            {
                "id": handout.id,
                "anchor": f"handout-{handout.id}",
                "title": handout.title,
                "sessions": label,
                "body": context.html(handout.body),
                "trainers": trainers,
                "sources": sources_text(handout.sources),
            }
        )
    return {
        "title": context.title,
        "subtitle": course.subtitle,
        "facts": _facts(context),
        "days": _days(context),
        "handouts": handouts,
        "large_print": context.large_print,
    }


def jobs(context: BuildContext) -> list[Job]:
    return [Job(KIND, "pack", view(context), weight=5)]


def run(env: RenderEnv, job: Job) -> list[Output]:
    values = job.view
    html = render_html(env, "participant-pack.html", **values)
    document = layout(env, html)
    suffix = "-large-print" if values["large_print"] else ""
    outputs = [Output(f"handouts/participant-pack{suffix}.pdf", document.write_pdf())]
    anchors = ["agenda"] + [h["anchor"] for h in values["handouts"]]
    starts = anchor_pages(document, anchors)
    for index, anchor in enumerate(anchors):
        if anchor not in starts:
            continue
        first = starts[anchor]
        later = [starts[a] for a in anchors[index + 1 :] if a in starts]
        last = later[0] if later else len(document.pages)
        name = "agenda" if anchor == "agenda" else anchor.removeprefix("handout-")
        outputs.append(Output(f"handouts/{name}{suffix}.pdf", document.copy(document.pages[first:last]).write_pdf()))
    return outputs
