"""Participant handouts: the participant pack, each handout as a document of its own, and the
facilitator annex.

- Handouts are numbered by session: "Handout 4.2" is the second handout session 4 uses
  (`handout_numbers`, which the session plans, the slides and the checklist call, so that
  every document names a handout the same way).
- The **participant pack** holds only what participants read: cover, contents, then every
  participant handout in number order. Answer sheets (`given: after-debrief`) and
  facilitator handouts are never bound into it; sources and notes on the making of the
  materials go to the **facilitator annex** (`handouts/facilitator-annex.pdf`), which also
  says which texts are fiction written for the course.
- **Each handout** is laid out on its own (`handouts/<id>.pdf`), with its number and title
  in the footer and its own page numbers, so that it can be printed and handed out alone.
- Every web address is a link; a handout that asks participants to write gets ruled lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from . import Job, Output
from .agenda import _days, _facts
from .common import BuildContext, RenderEnv, html_to_pdf, layout, render_html, sources_text

KIND = "handouts"
TEMPLATES = ("participant-pack.html", "handout.html", "facilitator-annex.html")


@dataclass(frozen=True)
class HandoutPlace:
    """Where a handout stands in the course: its number and the sessions that use it."""

    id: str
    number: str
    """"4.2": the session that first uses it, and its rank among that session's handouts."""
    sessions: tuple[int, ...]
    """The numbers of the sessions that use it, in course order."""


def _session_handouts(context: BuildContext, planned: Any) -> list[str]:
    """The handouts a session uses, in the order it uses them: the running segments' own and
    their activities' handouts first, then the others the session lists."""
    library = context.course_input.library
    ids: list[str] = []
    for segment in planned.session.segments():
        if not planned.runs(segment):
            continue
        ids.extend(segment.handouts)
        for activity in planned.activities_for(segment):
            if activity in library.activities:
                ids.extend(use.handout for use in library.activities[activity].handouts)
    ids.extend(planned.session.handouts)
    return list(dict.fromkeys(ids))


def _shown(context: BuildContext, handout_id: str) -> bool:
    """Whether participants get this handout in this course: a participant handout of the
    library, and the trainers' bios only when the course lists trainers (a page of bios
    with nobody on it helps no one)."""
    library = context.course_input.library
    handout = library.handouts.get(handout_id)
    if handout is None or handout.audience != "participants":
        return False
    return not (handout.generated == "trainer-bios" and not context.course_input.course.trainers)


def handout_places(context: BuildContext) -> list[HandoutPlace]:
    """Every handout participants get, numbered by the session that first uses it, in order."""
    first: dict[str, str] = {}
    sessions: dict[str, list[int]] = {}
    for planned in context.plan:
        number = planned.session.number
        rank = 0
        for handout_id in _session_handouts(context, planned):
            if not _shown(context, handout_id):
                continue
            if handout_id not in first:
                rank += 1
                first[handout_id] = f"{number}.{rank}"
            if number not in sessions.setdefault(handout_id, []):
                sessions[handout_id].append(number)
    return [HandoutPlace(handout_id, number, tuple(sessions[handout_id])) for handout_id, number in first.items()]


def facilitator_handouts(context: BuildContext) -> list[str]:
    """Handouts for the facilitation team that the course's sessions use: printed on their
    own, never in the pack, and without a participant handout number."""
    library = context.course_input.library
    used = [h for planned in context.plan for h in _session_handouts(context, planned)]
    return [h for h in dict.fromkeys(used) if h in library.handouts and library.handouts[h].audience == "facilitators"]


def handout_numbers(context: BuildContext) -> dict[str, str]:
    """Handout id -> its number in this course ("4.2": session 4, second handout), for every
    document that names a handout: write it as `_("Handout {number}", number=...)`.
    Handouts the course does not use have no number."""
    return {place.id: place.number for place in handout_places(context)}


# ---------------------------------------------------------------------------- views

_RULE = re.compile(r"<hr\s*/?>")


def _body(context: BuildContext, handout: Any) -> Markup:
    """The handout's text as HTML: web addresses as links, and ruled writing space where the
    handout asks participants to write (a line of underscores in its Markdown)."""
    from .markdown import to_html

    html = str(to_html(handout.body, context.markdown_base, linkify=True))
    if handout.writing_lines:
        lines = '<div class="write-line"></div>' * handout.writing_lines
        html = _RULE.sub(f'<div class="write-space">{lines}</div>', html)
    return Markup(html)


def _sessions_text(context: BuildContext, sessions: tuple[int, ...]) -> str:
    _ = context.translator.gettext
    if len(sessions) == 1:
        return _("Session {number}", number=sessions[0])
    return _("Sessions {numbers}", numbers=context.translator.comma.join(str(n) for n in sessions))


def _handout_view(context: BuildContext, place: HandoutPlace) -> dict[str, Any]:
    """What one handout shows, in the pack and on its own."""
    _ = context.translator.gettext
    library = context.course_input.library
    course = context.course_input.course
    handout = library.handouts[place.id]
    entry: dict[str, Any] = {
        "id": handout.id,
        "anchor": f"handout-{handout.id}",
        "label": _("Handout {number}", number=place.number),
        "title": handout.title,
        "sessions": _sessions_text(context, place.sessions) if len(place.sessions) > 1 else "",
        "body": Markup(""),
        "trainers": [],
        "days": [],
        "given": handout.given,
    }
    if handout.generated == "agenda":
        entry["days"] = _days(context)
        entry["title"] = _("Agenda")
    else:
        entry["body"] = _body(context, handout)
    if handout.generated == "trainer-bios":
        entry["trainers"] = [
            {"name": t.name, "role": t.role, "organisation": t.organisation, "bio": context.html(t.bio)}
            for t in course.trainers
        ]
    return entry


def pack_view(context: BuildContext) -> dict[str, Any]:
    """The participant pack: cover, contents and every handout given in the sessions."""
    course = context.course_input.course
    library = context.course_input.library
    handouts = [
        _handout_view(context, place)
        for place in handout_places(context)
        if library.handouts[place.id].given != "after-debrief"
    ]
    return {
        "title": context.title,
        "subtitle": course.subtitle,
        "facts": _facts(context),
        "handouts": handouts,
        "large_print": context.large_print,
    }


def single_view(context: BuildContext, place: HandoutPlace) -> dict[str, Any]:
    """One handout as a document of its own."""
    return {"course": context.title, "handout": _handout_view(context, place), "large_print": context.large_print}


def annex_view(context: BuildContext) -> dict[str, Any]:
    """The facilitator annex: for every handout, its number, when it is given, whether it is
    fiction written for the course, and its sources with the notes on how it was made."""
    _ = context.translator.gettext
    library = context.course_input.library
    places = handout_places(context)
    given = {
        "in-session": _("In the session"),
        "day-before": _("The evening before, to read beforehand"),
        "after-debrief": _("Only after the debrief: printed on its own, not in the pack"),
    }
    entries = []
    for place in places:
        handout = library.handouts[place.id]
        entries.append(
            {
                "label": _("Handout {number}", number=place.number),
                "title": _("Agenda") if handout.generated == "agenda" else handout.title,
                "sessions": _sessions_text(context, place.sessions),
                "given": given[handout.given],
                "fiction": handout.fiction,
                "generated": bool(handout.generated),
                "sources": [
                    {"doc": cited.doc, "where": _where(cited), "note": cited.note or "",
                     "as_of": context.translator.date(cited.as_of) if cited.as_of else ""}
                    for cited in handout.sources
                ],
            }
        )
    facilitator = [
        {"title": library.handouts[h].title, "sources": sources_text(library.handouts[h].sources)}
        for h in facilitator_handouts(context)
    ]
    return {
        "title": context.title,
        "entries": entries,
        "fiction": [entry["label"] + " " + entry["title"] for entry in entries if entry["fiction"]],
        "separate": [entry["label"] + " " + entry["title"] for entry, place in zip(entries, places)
                     if library.handouts[place.id].given == "after-debrief"],
        "facilitator": facilitator,
    }


def _where(cited: Any) -> str:
    """"p. 19-26, paras. 12-14": where in the cited document."""
    parts = []
    if cited.pages:
        parts.append(f"p. {cited.pages}")
    if cited.paragraphs:
        parts.append(f"paras. {cited.paragraphs}")
    return ", ".join(parts)


def jobs(context: BuildContext) -> list[Job]:
    out = [Job(KIND, "pack", pack_view(context), weight=5), Job(KIND, "facilitator-annex", annex_view(context), weight=1)]
    for place in handout_places(context):
        out.append(Job(KIND, f"handout-{place.id}", single_view(context, place), weight=1))
    _ = context.translator.gettext
    for handout_id in facilitator_handouts(context):
        place = HandoutPlace(handout_id, "", ())
        view = single_view(context, place)
        view["handout"]["label"] = _("For facilitators")
        out.append(Job(KIND, f"handout-{handout_id}", view, weight=1))
    return out


def run(env: RenderEnv, job: Job) -> list[Output]:
    values = job.view
    suffix = "-large-print" if values.get("large_print") else ""
    if "handouts" in values:
        html = render_html(env, "participant-pack.html", **values)
        return [Output(f"handouts/participant-pack{suffix}.pdf", html_to_pdf(env, html))]
    if "entries" in values:
        html = render_html(env, "facilitator-annex.html", **values)
        return [Output("handouts/facilitator-annex.pdf", html_to_pdf(env, html))]
    document = layout(env, render_html(env, "handout.html", tight=False, **values))
    if len(document.pages) > 1 and _last_page_fill(document) < LAST_PAGE_FILL:
        # a few lines spilling onto a last page: set the handout a little tighter if that saves it
        tight = layout(env, render_html(env, "handout.html", tight=True, **values))
        if len(tight.pages) < len(document.pages):
            document = tight
    return [Output(f"handouts/{values['handout']['id']}{suffix}.pdf", document.write_pdf())]


LAST_PAGE_FILL = 0.25
"""A single handout whose last page is filled less than this is set tighter (9.4 pt type,
narrower margins) when that saves the page: a handout of one page and four lines wastes a
sheet per participant."""


def _last_page_fill(document: Any) -> float:
    """How much of its page the last page's text fills (0 to 1); 1 when it cannot be told."""
    try:
        from weasyprint.formatting_structure import boxes

        page = document.pages[-1]._page_box
        top = page.margin_top
        bottom = top
        for child in page.children:
            if isinstance(child, boxes.MarginBox):
                continue
            for box in child.descendants():
                if isinstance(box, boxes.LineBox):
                    bottom = max(bottom, box.position_y + box.height)
        return (bottom - top) / max(1.0, page.height)
    except Exception:  # noqa: BLE001 - WeasyPrint's layout boxes are not a public interface
        return 1.0
