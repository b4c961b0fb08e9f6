"""Run sheets: what a facilitator holds at the lectern, and what the team pins up each day.

- A run sheet per session (`run-sheets/session-N.pdf`, and first in each session plan): one
  line per timed segment with its clock time, minutes, what happens, who leads, the slide
  numbers, the materials and handouts, and the key point to land.
- A run sheet per day (`run-sheets/day-N.pdf`), on one page, for the team: every item of
  the day (recap, sessions and their segments, breaks, lunch, wrap-up, close).

Both are tables of the document model (trainer/render/document.py), so the session plans
print the very same table.
"""

from __future__ import annotations

from typing import Any

from ..models.content import SegmentPart
from ..schedule import Item, PlannedSession, ScheduledSegment
from . import Job, Output
from .common import BuildContext, RenderEnv
from .document import Block, Column, Heading, Para, Row, Section, Span, Table, text


def _mark(message: str) -> str:
    """Marks a fixed word for the catalogues (trainer/messages.py) without translating it."""
    return message


LEADS = frozenset((_mark("facilitator"), _mark("facilitator and groups"), _mark("groups"), _mark("participants"),
                   _mark("co-facilitator")))
"""Who leads a segment, as the content says it (`lead:`): the run sheets print it in the
course language; any other wording stays as written."""


def lead_text(context: BuildContext, lead: str) -> str:
    return context.translator.gettext(lead) if lead in LEADS else lead

KIND = "run-sheets"
TEMPLATES = ("run-sheet.html",)

SESSION_SIZES = (11.0, 10.5, 10.0)
"""Type sizes a session's run sheet is tried at: 11 pt first (the lectern), smaller only
when a long session would otherwise take a third page."""
DAY_SIZES = (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0)
"""Type sizes a day's run sheet is tried at, largest first, until it fits one page."""


# ---------------------------------------------------------------------------- shared pieces


def session_items(context: BuildContext, session_id: str) -> list[tuple[int, Item]]:
    """The agenda lines of one session, with their day numbers."""
    return [
        (day.number, item)
        for day in context.agenda.days
        for item in day.items
        if item.kind == "session" and item.session == session_id
    ]


def placed_segments(items: list[tuple[int, Item]]) -> dict[str, ScheduledSegment]:
    """Segment (and part) id -> where the schedule placed it."""
    placed: dict[str, ScheduledSegment] = {}
    for _day, item in items:
        for segment in item.segments:
            if segment.id == "break":
                continue
            placed[segment.id] = segment
            for part in segment.parts:
                placed[part.id] = part
    return placed


def fixed_between(context: BuildContext, items: list[tuple[int, Item]]) -> list[tuple[int, Item]]:
    """The day's fixed items (breaks, lunch, recap, wrap-up, close) that fall between two
    agenda lines of one session: a session split by a break, lunch or a night."""
    if not items:
        return []
    first = (items[0][0], items[0][1].start)
    last = (items[-1][0], items[-1][1].end)
    days = {day for day, _item in items}
    return [
        (day.number, item)
        for day in context.agenda.days if day.number in days
        for item in day.items
        if item.kind in ("break", "lunch", "recap", "wrap-up", "close")
        and first < (day.number, item.start) and (day.number, item.end) < last
    ]


def spare_after(items: list[tuple[int, Item]]) -> dict[str, int]:
    """Segment id -> the time in hand after it (at the end of its agenda line)."""
    out: dict[str, int] = {}
    for _day, item in items:
        placed = [s for s in item.segments if s.id != "break"]
        if item.time_in_hand and placed:
            out[placed[-1].id] = item.time_in_hand
    return out


def slide_text(numbers: list[int]) -> str:
    """[3, 4, 5, 8] -> "3–5, 8"."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def materials(context: BuildContext, segment: SegmentPart) -> str:
    """What the facilitator needs at hand for a segment, without the slides (they have their
    own column): its resources as the content words them, or, when they name no handout, the
    titles of the handouts it uses."""
    library = context.course_input.library
    things = [r for r in segment.resources if r.strip().lower() not in ("slides", "slide", "video clip", "video")]
    if not any("handout" in thing.lower() for thing in things):
        for handout_id in segment.handouts:
            handout = library.handouts.get(handout_id)
            things.append(handout.title if handout is not None else handout_id)
    if "no_internet" in context.conditions:
        things = [thing for thing in things if not library.needs_internet(thing)]
    return "; ".join(things)


def _columns(context: BuildContext) -> list[Column]:
    _ = context.translator.gettext
    return [
        Column(_("Time"), 11, "rs-time"),
        Column(_("What happens"), 35, "rs-what"),
        Column(_("Materials and handouts"), 24, "rs-materials"),
        Column(_("Key point"), 30, "rs-point"),
    ]


def session_table(context: BuildContext, planned: PlannedSession) -> Table:
    """The session's run sheet: a line per timed segment and part, and the breaks inside it.
    The time cell holds the clock time, the minutes and the slide numbers; the "what" cell
    the segment's title, who leads it, and what happens."""
    from .slides import slide_numbers

    _ = context.translator.gettext
    items = session_items(context, planned.id)
    placed = placed_segments(items)
    numbers = slide_numbers(context, planned)
    breaks = sorted(((day, s) for day, item in items for s in item.segments if s.id == "break"),
                    key=lambda pair: (pair[0], pair[1].start))
    days = {segment_id: day for day, item in items for s in item.segments for segment_id in (s.id, *(p.id for p in s.parts))}
    rows: list[Row] = []
    last_day = items[0][0] if items else 0
    spare = spare_after(items)

    def line(segment: SegmentPart, where: ScheduledSegment, css: str) -> Row:
        time = [Para([Span(context.translator.time(where.start), bold=True)]),
                Para(text(_("{minutes} min", minutes=where.minutes)), "rs-minutes")]
        if numbers.get(segment.id):
            time.append(Para(text(_("slides {numbers}", numbers=slide_text(numbers[segment.id]))), "rs-slides"))
        what = [Span(segment.title, bold=True)]
        if segment.lead:
            what.append(Span(f" · {lead_text(context, segment.lead)}", muted=True))
        if segment.summary:
            what.append(Span(". " + segment.summary.rstrip(".") + "."))
        things = materials(context, segment)
        return Row(
            [
                time,
                [Para(what)],
                [Para(text(things))] if things else [],
                [Para(text(segment.key_point))] if segment.key_point else [],
            ],
            css,
        )

    pauses = sorted([*((day, s.start, s.minutes, _("Break")) for day, s in breaks),
                     *((day, item.start, item.minutes, slot_title(context, item, day)) for day, item in fixed_between(context, items))])
    for segment in planned.session.plan:
        where = placed.get(segment.id)
        if where is None:
            continue
        day = days.get(segment.id, last_day)
        while pauses and (pauses[0][0], pauses[0][1] + pauses[0][2]) <= (day, where.start):
            pause_day, start, minutes, title = pauses.pop(0)
            if pause_day != last_day:
                rows.append(_day_row(context, pause_day))
                last_day = pause_day
            rows.append(_break_row(context, start, minutes, title))
        if day != last_day:
            rows.append(_day_row(context, day))
            last_day = day
        rows.append(line(segment, where, "rs-segment"))
        for part in segment.parts:
            part_where = placed.get(part.id)
            if part_where is not None:
                rows.append(line(part, part_where, "rs-part"))
        if spare.get(segment.id):
            rows.append(_break_row(context, where.end, spare[segment.id], _("Time in hand")))
    return Table(_columns(context), rows, "run-sheet")


def _day_row(context: BuildContext, day: int) -> Row:
    return Row([[Para(text(context.translator.gettext("Day {number}", number=day), bold=True))], [], [], []], "rs-day")


def _break_row(context: BuildContext, start: int, minutes: int, title: str) -> Row:
    _ = context.translator.gettext
    return Row(
        [
            [Para([Span(context.translator.time(start), bold=True)]), Para(text(_("{minutes} min", minutes=minutes)), "rs-minutes")],
            [Para(text(title, bold=True))],
            [], [],
        ],
        "break",
    )


# ---------------------------------------------------------------------------- slots


def slot_format(context: BuildContext, kind: str, item: Item) -> Any:
    """The slot plan of a fixed item and the format it runs today: recaps and wrap-ups rotate
    through their formats day by day (the first recap takes the first format, the second
    the second ...); the close takes its first."""
    slot = next((s for s in context.course_input.library.slots.values() if s.kind == kind), None)
    if slot is None:
        return None, None
    same = [i for day in context.agenda.days for i in day.items if i.kind == kind]
    index = next((n for n, other in enumerate(same) if other is item), 0)
    return slot, slot.formats[index % len(slot.formats)]


def slot_title(context: BuildContext, item: Item, day: int) -> str:
    """The agenda's name of a fixed item, in the course language."""
    _ = context.translator.gettext
    if item.kind == "wrap-up":
        return _("Wrap-up for Day {number}", number=day)
    names = {"recap": _("Daily recap"), "close": _("Final evaluation and close"), "lunch": _("Lunch break"), "break": _("Break")}
    if item.kind in ("break", "lunch") and item.title not in ("Break", "Lunch break"):
        return item.title  # a label the course gave
    return names.get(item.kind, item.title)


# ---------------------------------------------------------------------------- the day's sheet


def day_table(context: BuildContext, day: Any) -> Table:
    """Every item of one day, each session with its segments, for the team's one page."""
    from .slides import slide_numbers

    _ = context.translator.gettext
    library = context.course_input.library
    plans = {planned.id: planned for planned in context.plan}
    columns = [
        Column(_("Time"), 9, "rs-time"),
        Column(_("Min"), 6, "rs-min"),
        Column(_("What happens"), 59, "rs-what"),
        Column(_("Who"), 17, "rs-who"),
        Column(_("Slides"), 9, "rs-slides"),
    ]
    rows: list[Row] = []

    def row(start: int, minutes: int, what: list[Span], who: str, slides: str, css: str) -> Row:
        return Row(
            [
                [Para(text(context.translator.time(start)))],
                [Para(text(str(minutes)))],
                [Para(what)],
                [Para(text(who))] if who else [],
                [Para(text(slides))] if slides else [],
            ],
            css,
        )

    for item in day.items:
        if item.kind in ("break", "lunch"):
            rows.append(row(item.start, item.minutes, text(slot_title(context, item, day.number), bold=True), "", "", "break"))
            continue
        if item.kind in ("recap", "wrap-up", "close"):
            slot, chosen = slot_format(context, item.kind, item)
            what = text(slot_title(context, item, day.number), bold=True)
            if chosen is not None:
                what += [Span(": "), Span(chosen.title)]
            if slot is not None and slot.forms:
                forms = [library.forms[f].title for f in slot.forms if f in library.forms]
                if forms:
                    what.append(Span(" (" + "; ".join(forms) + ")", muted=True))
            rows.append(row(item.start, item.minutes, what, _("facilitators"), "", "slot"))
            continue
        if item.kind != "session":
            continue
        planned = plans.get(item.session or "")
        heading = _("Session {number}", number=item.number) + context.translator.colon + item.title
        if item.label:
            heading = _("Session {number}", number=item.number) + f" – {item.label}"
        elif item.continued:
            heading = _("Session {number}", number=item.number) + f" – {_('continued')}"
        rows.append(row(item.start, item.minutes, text(heading, bold=True), "", "", "rs-session"))
        by_id = {s.id: s for s in planned.session.segments()} if planned else {}
        numbers = slide_numbers(context, planned) if planned else {}
        for placed in item.segments:
            if placed.id == "break":
                rows.append(row(placed.start, placed.minutes, text(_("Break"), bold=True), "", "", "break"))
                continue
            segment = by_id.get(placed.id)
            if segment is None:
                continue
            # a segment's parts are on the session's own run sheet; the team's page keeps to segments
            slides = slide_text([n for s in (segment, *(by_id[p.id] for p in placed.parts if p.id in by_id))
                                 for n in numbers.get(s.id, [])])
            rows.append(row(placed.start, placed.minutes, text(segment.title), lead_text(context, segment.lead), slides, "rs-segment"))
        if item.time_in_hand:
            end = item.end - item.time_in_hand
            rows.append(row(end, item.time_in_hand, text(_("Time in hand"), italic=True), "", "", "rs-part"))
    return Table(columns, rows, "day-sheet")


# ---------------------------------------------------------------------------- jobs


def session_sheet(context: BuildContext, planned: PlannedSession) -> list[Block]:
    """A session's run sheet as a document of its own."""
    _ = context.translator.gettext
    session = planned.session
    from .session_plans import when

    heading = _("Session {number}", number=session.number) + context.translator.colon + session.title
    return [
        Section(
            [
                Para(text(_("Run sheet")), "kicker"),
                Heading(1, text(heading), bookmark=1),
                Para(text(when(context, session_items(context, session.id))), "session-meta"),
                session_table(context, planned),
            ],
            "run-sheet-page",
            title=heading,
        )
    ]


def day_sheet(context: BuildContext, day: Any) -> list[Block]:
    _ = context.translator.gettext
    heading = _("Day {number}", number=day.number)
    if day.date:
        heading += f" · {context.translator.date(day.date)}"
    return [
        Section(
            [
                Para(text(_("Run sheet for the team")), "kicker"),
                Heading(1, text(heading), bookmark=1),
                Para(text(context.title), "session-meta"),
                day_table(context, day),
            ],
            "day-sheet-page",
            title=heading,
        )
    ]


def jobs(context: BuildContext) -> list[Job]:
    out = []
    for planned in context.plan:
        view = {"title": context.title, "file": f"run-sheets/session-{planned.session.number}.pdf",
                "blocks": session_sheet(context, planned), "sizes": SESSION_SIZES}
        out.append(Job(KIND, planned.id, view, weight=2))
    for day in context.agenda.days:
        view = {"title": context.title, "file": f"run-sheets/day-{day.number}.pdf",
                "blocks": day_sheet(context, day), "sizes": DAY_SIZES, "pages": 1}
        out.append(Job(KIND, f"day-{day.number}", view, weight=1))
    return out


def run(env: RenderEnv, job: Job) -> list[Output]:
    from .document_html import fitted_pdf

    return [Output(job.view["file"], fitted_pdf(env, job.view, "run-sheet.html", pages=job.view.get("pages", 2)))]
