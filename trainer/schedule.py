"""Scheduling: placing a course's sessions, segment by segment, into its days, as an
experienced trainer would.

- **Durations with floors.** Every segment has the shortest time it can honestly take (its
  `floor`, see `SegmentPart.shortest`) and the guide's range. The course as a whole moves
  between its floors and the top of its ranges by one factor (found by bisection) so that
  it fills its days; nothing is ever placed below its floor.
- **Breaks where they belong.** A day that lists no breaks gets the guide's pattern: a
  15-minute break in the middle of every stretch longer than about two hours, placed at a
  good place to pause (a session boundary or a segment marked `pause_after`) near its ideal
  time. Recap, wrap-up and close follow the guide's sample agenda (`Day.resolved`).
- **Splits like a trainer's.** A session is split only where the content marks a good place
  to pause, never into a part shorter than 20 minutes; a session that would be split over
  the night is moved whole to the next day when the days allow.
- **Every minute accounted for.** Time a day cannot use is given to the session part before
  it (its segments stretched within their ranges, the rest named as time in hand), or shown
  as time in hand of its own.

The plan it is given is not changed: the scheduler works on its own copy (`Agenda.plan`),
where it records the optional segments it added or cut. Every change against the guide's
timings is computed from the placed segments, so that the changes, the adaptation table and
the timed plan state the same minutes.

Times are minutes since midnight inside this module; `clock()` writes them as HH:MM.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from .errors import TrainerError
from .models import Day, Segment, SegmentPart, Session
from .models.course import SessionChoice
from .models.minutes import Minutes, format_minutes
from .yamlfile import Path_

ItemKind = Literal["session", "break", "lunch", "recap", "wrap-up", "close", "time-in-hand"]
BREAK_LIMIT = 120
"""About two hours without a break: the most a stretch of sessions should run (the guide's
sample agenda never runs a facilitated stretch much longer)."""
BREAK_EVERY = 130
"""A stretch (recap and wrap-up included) is cut by a break for every full 130 minutes or
part of them: a 4-hour morning gets one break, a 4.5-hour one two (as the sample agenda's
second morning has)."""
BREAK_MINUTES = 15
"""The length of a break the scheduler places itself, as in the guide's sample agenda."""
SHORTEST_PART = 20
"""No part of a split session is shorter than this, before or after a break, lunch or night."""
SLACK = 45
"""How far a break the scheduler places may move from its ideal time to a good place to pause."""
MOVE_GAP = 60
"""A session that would be split over a night starts the next day instead, unless that
leaves more than this many minutes of the day unused."""
LONG_DAY = 9 * 60
"""A day longer than this, start to end, gets a warning."""


class ScheduleError(TrainerError):
    """Raised when the sessions cannot fit into the days even at their floors."""


def clock(minutes: int) -> str:
    """540 -> "09:00"."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes_of(value) -> int:  # type: ignore[no-untyped-def]
    return value.hour * 60 + value.minute


@dataclass
class PlannedSession:
    """A session as the course runs it: which segments, and what the course pins."""

    session: Session
    choice: SessionChoice
    optional_included: set[str] = field(default_factory=set)
    """Ids of optional segments (and menu items) the adaptation step decided to run."""
    chosen: dict[str, str] = field(default_factory=dict)
    """For segments that offer a choice of activities: segment id -> the activity chosen."""
    variants: dict[str, str] = field(default_factory=dict)
    """Activity id -> the variant chosen for this course."""
    minutes_override: dict[str, Minutes] = field(default_factory=dict)
    """Segment id -> minutes changed by adaptation (stretched for interpretation, extended)."""
    offline: set[str] = field(default_factory=set)
    """Segments run with their offline alternative (no internet or no projector)."""
    do_no_harm: set[str] = field(default_factory=set)
    """Activities whose do-no-harm notes and lower-exposure way apply to this course."""
    menu_reasons: dict[str, str] = field(default_factory=dict)
    """Menu item id -> why it was chosen (for the plan: "sectors: government 30 of 30")."""
    excluded: set[str] = field(default_factory=set)
    """Optional segments the adaptation ruled out (a video without internet): never added."""

    def minutes_for(self, segment: SegmentPart) -> Minutes:
        return self.minutes_override.get(segment.id, segment.minutes)

    def floor_for(self, segment: SegmentPart) -> int:
        """The fewest minutes the segment may be given in this course: its own floor, and no
        less than the floors of the parts it runs."""
        override = self.minutes_override.get(segment.id)
        floor = segment.shortest if override is None else min(max(segment.shortest, override.low), override.high)
        parts = [part for part in getattr(segment, "parts", []) if self.runs(part)]
        if parts:
            floor = max(floor, sum(self.floor_for(part) for part in parts))
        return floor

    def activity_for(self, segment: SegmentPart) -> str | None:
        """The activity a segment runs: its own, or the chosen (by default the first) alternative."""
        if segment.activity:
            return segment.activity
        if segment.choice:
            return self.chosen.get(segment.id, segment.choice[0].activity)
        return None

    def activities_for(self, segment: SegmentPart) -> list[str]:
        """Every activity a segment uses: the one it runs, then any it uses alongside."""
        first = self.activity_for(segment)
        return ([first] if first else []) + [a for a in segment.also if a != first]

    def runs(self, segment: SegmentPart) -> bool:
        """Whether the course runs this segment (an optional one only when it is included)."""
        return not segment.optional or segment.id in self.optional_included

    @property
    def id(self) -> str:
        return self.session.id

    def copy(self) -> PlannedSession:
        """A copy whose choices can change without changing this one."""
        return PlannedSession(
            self.session,
            self.choice,
            set(self.optional_included),
            dict(self.chosen),
            dict(self.variants),
            dict(self.minutes_override),
            set(self.offline),
            set(self.do_no_harm),
            dict(self.menu_reasons),
            set(self.excluded),
        )


@dataclass
class ScheduledSegment:
    id: str
    title: str
    start: int
    end: int
    optional: bool = False
    slides: bool = False
    parts: list[ScheduledSegment] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass
class Item:
    """One line of the agenda: a session (or part of one) or a fixed item of the day."""

    kind: ItemKind
    start: int
    end: int
    title: str
    session: str | None = None
    number: int | None = None
    module: str | None = None
    part: int = 1
    continued: bool = False
    label: str | None = None
    """For a line that shows a labelled segment of a session (the guide's "Instructions")."""
    segments: list[ScheduledSegment] = field(default_factory=list)
    time_in_hand: int = 0
    """Minutes at the end of the line not taken by segments (questions, a longer debrief)."""
    includes_break: bool = False
    placed_by_scheduler: bool = False
    """A break the scheduler placed (the day listed none)."""

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass
class AgendaDay:
    number: int
    date: date | None
    start: int
    end: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Change:
    """Something the scheduler changed against the guide's timings, and why."""

    action: Literal["shortened", "lengthened", "added", "cut", "moved"]
    session: str
    segment: str | None
    minutes: int
    reason: str


@dataclass
class Agenda:
    days: list[AgendaDay]
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    plan: list[PlannedSession] = field(default_factory=list)
    """The sessions as placed: the scheduler's own copy of the plan it was given, with the
    optional segments it added or cut (the plan it was given is left as it was)."""

    def sessions(self) -> list[Item]:
        return [item for day in self.days for item in day.items if item.kind == "session"]

    def placed(self, session: str, segment: str) -> ScheduledSegment | None:
        """Where a segment (or a part of one) was placed, if it was."""
        for item in self.sessions():
            if item.session != session:
                continue
            for placed in item.segments:
                if placed.id == segment:
                    return placed
                for part in placed.parts:
                    if part.id == segment:
                        return part
        return None


# ---------------------------------------------------------------------------- days


def day_items(day: Day, number: int, last: bool) -> list[tuple[Path_, Item]]:
    """The fixed items of a (resolved) day: recap, listed breaks, lunch, wrap-up or close,
    each with the field of the day that sets it, in the order they are written."""
    start, end = _minutes_of(day.start), _minutes_of(day.end)
    items: list[tuple[Path_, Item]] = []
    if day.recap:
        items.append((("recap",), Item("recap", start, start + day.recap, "Daily recap")))
    closing = (day.close or 0) if last else 0
    if closing:
        items.append((("close",), Item("close", end - closing, end, "Final evaluation and close")))
    elif day.wrap_up:
        items.append((("wrap_up",), Item("wrap-up", end - day.wrap_up, end, f"Wrap-up for Day {number}")))
    for index, pause in enumerate(day.listed_breaks()):
        begin = _minutes_of(pause.start)
        items.append((("breaks", index), Item("break", begin, begin + pause.minutes, pause.label or "Break")))
    if day.lunch:
        begin = _minutes_of(day.lunch.start)
        items.append((("lunch",), Item("lunch", begin, begin + day.lunch.minutes, day.lunch.label or "Lunch break")))
    return items


_NAMES = {"recap": "the recap", "close": "the final evaluation and close", "wrap-up": "the wrap-up", "break": "the break", "lunch": "lunch"}


def day_problems(day: Day, number: int, last: bool) -> list[tuple[Path_, str]]:
    """What makes a day impossible to schedule: a fixed item outside the day's hours, or two
    fixed items at the same time. Each with the day's field it concerns."""
    start, end = _minutes_of(day.start), _minutes_of(day.end)
    problems: list[tuple[Path_, str]] = []
    items = day_items(day, number, last)
    for path, item in items:
        what = f"{_NAMES[item.kind]} ({clock(item.start)}-{clock(item.end)})"
        if item.start < start:
            problems.append((path, f"{what} starts before the day does ({clock(start)})"))
        elif item.end > end:
            problems.append((path, f"{what} ends after the day does ({clock(end)})"))
    ordered = sorted(items, key=lambda pair: (pair[1].start, pair[1].end))
    for (_, first), (path, second) in zip(ordered, ordered[1:]):
        if second.start < first.end:
            problems.append(
                (path, f"{_NAMES[second.kind]} ({clock(second.start)}-{clock(second.end)}) overlaps "
                       f"{_NAMES[first.kind]} ({clock(first.start)}-{clock(first.end)})")
            )
    return problems


@dataclass
class _Window:
    """A stretch of a day between fixed items, where sessions go."""

    day: int
    start: int
    end: int
    soft: list[int] = field(default_factory=list)
    """Ideal start times of the breaks the scheduler places in this stretch."""
    since: int = 0
    """When the facilitated stretch this window continues began (the day's start when the
    window follows the morning recap)."""
    taken: list[int] = field(default_factory=list)
    """End times of the breaks the scheduler has placed in this window so far."""
    tail: int = 0
    """Facilitated minutes right after the window (the wrap-up or close) that belong to its stretch."""


def _day_frame(day: Day, number: int, last: bool) -> tuple[list[Item], list[_Window]]:
    """The fixed items of a resolved day and the windows between them where sessions go."""
    problems = day_problems(day, number, last)
    if problems:
        raise ScheduleError(f"day {number}: {problems[0][1]}")
    start, end = _minutes_of(day.start), _minutes_of(day.end)
    fixed = sorted((item for _, item in day_items(day, number, last)), key=lambda item: item.start)
    windows: list[_Window] = []
    cursor = start
    since = start
    for item in fixed:
        if item.start > cursor:
            windows.append(_Window(number, cursor, item.start, since=since))
        cursor = item.end
        since = item.end if item.kind in ("break", "lunch") else since
    if cursor < end:
        windows.append(_Window(number, cursor, end, since=since))
    for window in windows:
        following = [item for item in fixed if item.start == window.end and item.kind in ("wrap-up", "close")]
        window.tail = sum(item.minutes for item in following)
    if day.breaks is None:  # the guide's pattern: no facilitated stretch of more than about two hours
        for window in windows:
            length = window.end - window.start
            stretch = length + (window.start - window.since) + window.tail
            count = math.ceil(stretch / BREAK_EVERY) - 1
            if count > 0:
                piece = (stretch - count * BREAK_MINUTES) / (count + 1)
                first = window.since
                window.soft = [
                    ideal for ideal in (round(first + i * piece + (i - 1) * BREAK_MINUTES) for i in range(1, count + 1))
                    if window.start < ideal < window.end
                ]
    return fixed, windows


def resolve_days(days: list[Day], start_date: date | None) -> list[Day]:
    """The days with their dates and the guide's defaults (recap, wrap-up, close) filled in."""
    out = []
    for n, day in enumerate(days):
        resolved = day.resolved(n, len(days))
        if resolved.date is None and start_date is not None:
            resolved = resolved.model_copy(update={"date": start_date + timedelta(n)})
        out.append(resolved)
    return out


# ---------------------------------------------------------------------------- durations


def _distribute(target: int, ranges: list[tuple[int, int]]) -> list[int]:
    """Whole minutes for each (floor, high) range adding up to `target` where the ranges allow:
    every range moves by the same fraction of its span; above the total of the highs every
    range takes its high (the caller keeps the rest as time in hand); below the floors every
    range takes its floor."""
    if not ranges:
        return []
    low = sum(r[0] for r in ranges)
    high = sum(r[1] for r in ranges)
    if target >= high:
        return [r[1] for r in ranges]
    if target <= low:
        return [r[0] for r in ranges]
    share = (target - low) / (high - low) if high > low else 0.0
    exact = [r[0] + share * (r[1] - r[0]) for r in ranges]
    values = [int(x) for x in exact]
    leftover = target - sum(values)
    order = sorted(range(len(exact)), key=lambda i: (exact[i] - values[i], -i), reverse=True)
    for index in order:
        if leftover <= 0:
            break
        if values[index] < ranges[index][1]:
            values[index] += 1
            leftover -= 1
    return values


@dataclass
class _Piece:
    """A segment (or a session's own break) ready to be placed."""

    segment: Segment | None
    minutes: int
    floor: int
    high: int
    pause_after: bool = False
    kind: Literal["segment", "session-break"] = "segment"


def _bounds(planned: PlannedSession, segment: Segment) -> tuple[int, int]:
    pins = planned.choice.segments
    if segment.id in pins:
        return pins[segment.id].high, pins[segment.id].high
    minutes = planned.minutes_for(segment)
    return planned.floor_for(segment), minutes.high


def _session_pieces(planned: PlannedSession, factor: float) -> tuple[list[_Piece], int]:
    """The pieces of one session at `factor` (-1 = every segment at its floor, 0 = the
    session's own duration, 1 = every segment at the top of its range).

    Returns the pieces and the minutes of time in hand the session is given on top of them
    (when the course pins more time than its segments can use).
    """
    session = planned.session
    included = [s for s in session.plan if planned.runs(s)]
    bounds = [_bounds(planned, s) for s in included]
    floors = sum(b[0] for b in bounds)
    highs = sum(b[1] for b in bounds)
    if planned.choice.minutes is not None:
        target = planned.choice.minutes.high
    else:
        nominal = min(max(session.duration.high, floors), highs)
        if factor < 0:
            target = round(nominal + factor * (nominal - floors))
        else:
            target = round(nominal + factor * (highs - nominal))
    durations = _distribute(target, bounds)
    spare = max(0, target - sum(durations))
    pieces = [
        _Piece(s, minutes, low, high, s.pause_after or index == len(included) - 1)
        for index, (s, minutes, (low, high)) in enumerate(zip(included, durations, bounds, strict=True))
    ]
    if planned.choice.includes_break and len(pieces) > 1:
        total = sum(p.minutes for p in pieces)
        candidates = [i for i, p in enumerate(pieces[:-1]) if p.pause_after] or list(range(len(pieces) - 1))
        running = {i: sum(p.minutes for p in pieces[: i + 1]) for i in candidates}
        best = min(candidates, key=lambda i: (abs(total / 2 - running[i]), i))
        pause = planned.choice.break_minutes
        pieces.insert(best + 1, _Piece(None, pause, pause, pause, True, "session-break"))
    return pieces, spare


def _chunks(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Pieces grouped between good places to pause: a chunk is never split."""
    chunks: list[list[_Piece]] = [[]]
    for piece in pieces:
        if piece.kind == "session-break" and chunks[-1]:
            chunks.append([])
        chunks[-1].append(piece)
        if piece.pause_after:
            chunks.append([])
    return [chunk for chunk in chunks if chunk]


def _length(chunk: list[_Piece]) -> int:
    return sum(piece.minutes for piece in chunk)


# ---------------------------------------------------------------------------- placement


class _DoesNotFit(Exception):
    def __init__(self, session: str):
        self.session = session


@dataclass
class _Layout:
    """The state of one placement run."""

    windows: list[_Window]
    days: list[AgendaDay]
    w: int = 0
    t: int = 0
    segments: dict[tuple[str, str], tuple[PlannedSession, Segment]] = field(default_factory=dict)
    """(session, segment) -> what was placed, for stretching a part into time left over."""


def _place(plan: list[PlannedSession], days: list[Day], factor: float, whole: frozenset[str] = frozenset()) -> list[AgendaDay]:
    """Place every session at `factor`; raises _DoesNotFit when the days run out.

    `whole` names sessions that start on a new day rather than be split over a night.
    """
    frames = [_day_frame(day, n, n == len(days)) for n, day in enumerate(days, start=1)]
    agenda_days = [
        AgendaDay(n, day.date, _minutes_of(day.start), _minutes_of(day.end), list(frame[0]))
        for n, (day, frame) in enumerate(zip(days, frames, strict=True), start=1)
    ]
    windows = [_Window(w.day, w.start, w.end, list(w.soft), w.since, tail=w.tail) for _, day_windows in frames for w in day_windows]
    if not windows:
        if plan:
            raise _DoesNotFit(plan[0].id)
        return agenda_days
    layout = _Layout(windows, agenda_days, 0, windows[0].start)
    for planned in plan:
        for segment in planned.session.plan:
            layout.segments[(planned.id, segment.id)] = (planned, segment)
        _place_session(layout, planned, factor, planned.id in whole)
    for day in agenda_days:
        day.items.sort(key=lambda item: (item.start, item.end))
    for window in windows:
        _close_window(layout, window)
    for day in agenda_days:
        day.items.sort(key=lambda item: (item.start, item.end))
        _drop_idle_breaks(day)
    return agenda_days


def _advance(layout: _Layout) -> None:
    layout.w += 1
    if layout.w < len(layout.windows):
        layout.t = layout.windows[layout.w].start


def _place_session(layout: _Layout, planned: PlannedSession, factor: float, whole: bool) -> None:
    session = planned.session
    choice = planned.choice
    pieces, spare = _session_pieces(planned, factor)
    windows = layout.windows
    if choice.day is not None or choice.start is not None:
        want_day = choice.day or windows[min(layout.w, len(windows) - 1)].day
        want_start = _minutes_of(choice.start) if choice.start is not None else None
        while layout.w < len(windows) and (
            windows[layout.w].day < want_day
            or (want_start is not None and windows[layout.w].day == want_day and windows[layout.w].end <= want_start)
        ):
            _advance(layout)
        if layout.w < len(windows) and want_start is not None and windows[layout.w].day == want_day:
            layout.t = max(layout.t, min(want_start, windows[layout.w].end))
    if whole and layout.w < len(windows):
        # a session that cannot finish today starts tomorrow (when the days allow: the caller checks)
        total = sum(p.minutes for p in pieces)
        today = windows[layout.w].day
        room = (windows[layout.w].end - layout.t) + sum(w.end - w.start for w in windows[layout.w + 1:] if w.day == today)
        if total > room - BREAK_MINUTES * sum(len(w.soft) for w in windows[layout.w:] if w.day == today):
            while layout.w < len(windows) and windows[layout.w].day == today:
                _advance(layout)
    remaining = _chunks(pieces)
    part = 0
    started = False
    item: Item | None = None
    while remaining:
        if layout.w >= len(windows):
            raise _DoesNotFit(session.id)
        window = windows[layout.w]
        count, used = _fill(window, layout.t, remaining, started)
        if not count:
            _advance(layout)
            item = None
            continue
        item = None
        for entry in used:
            if entry[0] == "break":
                _, start, ideal = entry
                layout.days[window.day - 1].items.append(
                    Item("break", start, start + BREAK_MINUTES, "Break", placed_by_scheduler=True)
                )
                window.soft.remove(ideal)
                window.taken.append(start + BREAK_MINUTES)
                item = None
                continue
            _, cursor, chunk = entry
            for piece in chunk:
                label = piece.segment.agenda if piece.segment is not None else None
                if item is None or (label and item.segments):
                    part += 1
                    item = Item(
                        "session", cursor, cursor, session.title, session=session.id, number=session.number,
                        module=session.module, part=part, continued=started, label=label,
                        includes_break=choice.includes_break,
                    )
                    layout.days[window.day - 1].items.append(item)
                    started = True
                if piece.kind == "session-break":
                    item.segments.append(ScheduledSegment("break", "Break", cursor, cursor + piece.minutes))
                else:
                    assert piece.segment is not None
                    item.segments.append(_scheduled(planned, piece.segment, cursor, piece.minutes))
                cursor += piece.minutes
                item.end = cursor
            layout.t = cursor
        remaining = remaining[count:]
        if remaining:
            _advance(layout)
            item = None
    if spare and item is not None and layout.w < len(windows):
        extra = min(spare, windows[layout.w].end - layout.t)
        item.time_in_hand += extra
        item.end += extra
        layout.t += extra


def _fill(window: _Window, t: int, chunks: list[list[_Piece]], started: bool) -> tuple[int, list]:  # type: ignore[type-arg]
    """How many of `chunks` go into `window` from `t`, with the breaks the scheduler places
    between them: the largest count that fits, leaves no part shorter than SHORTEST_PART
    and no rest shorter than SHORTEST_PART. Returns (count, entries), each entry
    ("chunk", start, chunk) or ("break", start, ideal time)."""
    total = sum(_length(c) for c in chunks)
    for count in range(len(chunks), 0, -1):
        rest = total - sum(_length(c) for c in chunks[:count])
        if 0 < rest < SHORTEST_PART:
            continue
        end, used, parts = _simulate(window, t, chunks[:count], total)
        if end > window.end:
            continue
        if (rest > 0 or started or len(parts) > 1) and any(length < SHORTEST_PART for length in parts):
            continue
        return count, used
    return 0, []


def _simulate(window: _Window, t: int, chunks: list[list[_Piece]], total: int):  # type: ignore[no-untyped-def]
    """Lay out chunks from `t`, putting the window's pending breaks at the best boundaries:
    at the first good place to pause once the ideal time is near, or before a chunk that
    would run too far past it, never where it would leave a part under SHORTEST_PART."""
    soft = [ideal for ideal in window.soft if ideal >= t - 2 * SLACK]
    used: list = []  # type: ignore[type-arg]
    parts = [0]
    cursor = t
    done = 0
    stretch = window.since if t == window.start else _stretch_start(window, t)
    for index, chunk in enumerate(chunks):
        length = _length(chunk)
        if soft and cursor > window.start:
            ideal = soft[0]
            due = cursor >= ideal - SLACK // 3 or cursor + length > ideal + SLACK or cursor + length - stretch > BREAK_LIMIT + 15
            # too early a break leaves too long a stretch after it: wait, if the one before allows
            after = window.end + window.tail - (cursor + BREAK_MINUTES)
            if due and after > BREAK_LIMIT + 15 and cursor + length - stretch <= BREAK_LIMIT + 15 and len(soft) == 1:
                due = False
            safe = (parts[-1] == 0 or parts[-1] >= SHORTEST_PART) and (index == 0 or total - done >= SHORTEST_PART)
            if due and safe:
                cursor = -(-cursor // 5) * 5  # a break starts on a five-minute mark: the minutes before it are in hand
                used.append(("break", cursor, ideal))
                cursor += BREAK_MINUTES
                stretch = cursor
                soft.pop(0)
                parts.append(0)
        used.append(("chunk", cursor, chunk))
        cursor += length
        parts[-1] += length
        done += length
    return cursor, used, [p for p in parts if p]


def _stretch_start(window: _Window, t: int) -> int:
    """When the stretch running at `t` began: the last break the scheduler placed in the
    window before `t`, else the window's own start (or the day's, after the recap)."""
    placed = [ideal for ideal in window.taken if ideal <= t]
    return max(placed) if placed else window.since


def _scheduled(planned: PlannedSession, segment: Segment, start: int, minutes: int) -> ScheduledSegment:
    out = ScheduledSegment(segment.id, segment.title, start, start + minutes, segment.optional, segment.slides)
    parts = [p for p in segment.parts if planned.runs(p)]
    if parts:
        ranges = [(planned.floor_for(p), planned.minutes_for(p).high) for p in parts]
        durations = _distribute(minutes, ranges)
        cursor = start
        for index, (part, length) in enumerate(zip(parts, durations, strict=True)):
            end = start + minutes if index == len(parts) - 1 else min(cursor + length, start + minutes)
            out.parts.append(ScheduledSegment(part.id, part.title, cursor, end, part.optional, part.slides))
            cursor = end
    return out


def _close_window(layout: _Layout, window: _Window) -> None:
    """Account for every minute of a window: time no session took goes to the session part
    before it (its segments stretched within their ranges, the rest as time in hand) or
    shows as time in hand of its own."""
    day = layout.days[window.day - 1]
    inside = [item for item in day.items if window.start <= item.start and item.end <= window.end]
    cursor = window.start
    for item in sorted(inside, key=lambda item: item.start):
        if item.start > cursor:
            _fill_gap(layout, day, inside, cursor, item.start)
        cursor = max(cursor, item.end)
    pending = bool(window.soft) and window.end - cursor >= BREAK_MINUTES + 4
    if cursor < window.end:
        # with a break still due, keep room for it; it goes in after the segments have grown
        room = window.end - cursor - (BREAK_MINUTES + 4 if pending else 0)
        cursor += _stretch_window(layout, inside, room, capped=not pending) if room > 0 else 0
    if pending and window.end - cursor >= BREAK_MINUTES + 4:
        used = _insert_break(layout, day, window, inside)
        if used:
            inside = [item for item in day.items if window.start <= item.start and item.end <= window.end]
            cursor += used
    if cursor < window.end:
        _fill_gap(layout, day, inside, cursor, window.end)


def _insert_break(layout: _Layout, day: AgendaDay, window: _Window, inside: list[Item]) -> int:
    """A window that ended with time to spare and a break still due gets it now, at the good
    place to pause nearest its ideal time (leaving no part under SHORTEST_PART), starting on
    a five-minute mark; what follows moves later. Returns the minutes it took."""
    ideal = window.soft[0]
    items = sorted(inside, key=lambda item: item.start)
    if not any(item.kind == "session" for item in items):
        return 0
    candidates: list[tuple[int, Item, int]] = []  # (time, item, split index: 0 = before the item)
    for item in items:
        if item.kind != "session":
            continue
        if item.start > window.start and not (items and item is items[0] and item.start == window.start):
            previous = [i for i in items if i.end == item.start]
            if previous and previous[0].kind == "session":
                candidates.append((item.start, item, 0))
        facilitated = [seg for seg in item.segments]
        for index, placed in enumerate(facilitated[:-1], start=1):
            key = (item.session or "", placed.id)
            if key not in layout.segments or not layout.segments[key][1].pause_after:
                continue
            before = placed.end - item.start
            after = item.end - item.time_in_hand - placed.end
            if before >= SHORTEST_PART and after >= SHORTEST_PART:
                candidates.append((placed.end, item, index))
    if not candidates:
        return 0
    at, item, index = min(candidates, key=lambda c: (abs(c[0] - ideal), c[0]))
    pad = -(-at // 5) * 5 - at
    later = [other for other in day.items if window.start <= other.start and other.end <= window.end and other.start >= at
             and not (other is item and index)]
    if index:
        tail = Item(item.kind, at, item.end, item.title, session=item.session, number=item.number, module=item.module,
                    part=item.part + 1, continued=True, label=None, segments=item.segments[index:],
                    time_in_hand=item.time_in_hand, includes_break=item.includes_break)
        item.segments, item.end, item.time_in_hand = item.segments[:index], at, 0
        day.items.append(tail)
        later.append(tail)
        before = item
    else:
        before = next(other for other in items if other.end == at)
    before.time_in_hand += pad
    before.end += pad
    for other in later:
        _shift(other, BREAK_MINUTES + pad)
    day.items.append(Item("break", at + pad, at + pad + BREAK_MINUTES, "Break", placed_by_scheduler=True))
    window.soft.remove(ideal)
    day.items.sort(key=lambda i: (i.start, i.end))
    return BREAK_MINUTES + pad


def _shift(item: Item, minutes: int) -> None:
    item.start += minutes
    item.end += minutes

    def move(segment: ScheduledSegment) -> None:
        segment.start += minutes
        segment.end += minutes
        for part in segment.parts:
            move(part)

    for segment in item.segments:
        move(segment)


def _stretch_window(layout: _Layout, inside: list[Item], extra: int, capped: bool = True) -> int:
    """Give time a window leaves over to the segments placed in it, within their ranges
    (every segment by the same share of its room), moving what follows them; returns the
    minutes used. A window holding a session pinned to a start time is left as it is."""
    items = sorted(inside, key=lambda item: item.start)
    sessions = [item for item in items if item.kind == "session"]
    if not sessions or any(layout.segments[(i.session or "", i.segments[0].id)][0].choice.start is not None
                           for i in sessions if i.segments and (i.session or "", i.segments[0].id) in layout.segments):
        return 0
    if any(item.kind not in ("session", "break") for item in items):
        return 0
    rooms: list[tuple[Item, int, int]] = []  # (item, segment index, room)
    stretches: list[list[int]] = [[]]  # indexes into rooms, per stretch between breaks
    lengths = [0]
    for item in items:
        if item.kind == "break":
            stretches.append([])
            lengths.append(0)
            continue
        for index, placed in enumerate(item.segments):
            if placed.id == "break":
                stretches.append([])
                lengths.append(0)
                continue
            lengths[-1] += placed.minutes
            key = (item.session or "", placed.id)
            if key not in layout.segments:
                continue
            planned, segment = layout.segments[key]
            if segment.id in planned.choice.segments or planned.choice.minutes is not None:
                continue
            room = planned.minutes_for(segment).high - placed.minutes
            if room > 0:
                stretches[-1].append(len(rooms))
                rooms.append((item, index, room))
    # only the last stretch grows (the breaks stay where they are, on their five-minute
    # marks), and only up to the break limit
    for position in [p for stretch in stretches[:-1] for p in stretch]:
        item, index, _room = rooms[position]
        rooms[position] = (item, index, 0)
    for stretch, length in zip(stretches, lengths, strict=True):
        allowed = max(0, BREAK_LIMIT - length) if capped else 10**6
        for position in stretch:
            item, index, room = rooms[position]
            take = min(room, allowed)
            rooms[position] = (item, index, take)
            allowed -= take
    rooms = [entry for entry in rooms if entry[2] > 0]
    total = sum(room for _, _, room in rooms)
    if not total:
        return 0
    used = min(extra, total)
    shares = _distribute(used, [(0, room) for _, _, room in rooms])
    grow: dict[tuple[int, int], int] = {(id(item), index): share for (item, index, _), share in zip(rooms, shares, strict=True)}
    cursor = items[0].start
    for item in items:
        shift_to = cursor
        if item.kind != "session":
            item.end, item.start = shift_to + item.minutes, shift_to
            cursor = item.end
            continue
        rebuilt = []
        inner = shift_to
        for index, placed in enumerate(item.segments):
            minutes = placed.minutes + grow.get((id(item), index), 0)
            if placed.id == "break":
                rebuilt.append(ScheduledSegment("break", "Break", inner, inner + minutes))
            else:
                planned, segment = layout.segments[(item.session or "", placed.id)]
                rebuilt.append(_scheduled(planned, segment, inner, minutes))
            inner += minutes
        item.start, item.segments, item.end = shift_to, rebuilt, inner + item.time_in_hand
        cursor = item.end
    return used


def _fill_gap(layout: _Layout, day: AgendaDay, inside: list[Item], start: int, end: int) -> None:
    before = next((item for item in inside if item.end == start and item.kind == "session"), None)
    if before is None or not before.segments or before.segments[-1].id == "break":
        day.items.append(Item("time-in-hand", start, end, "Time in hand"))
        return
    extra = end - start
    before.time_in_hand += extra
    before.end = end


def _drop_idle_breaks(day: AgendaDay) -> None:
    """A break the scheduler placed that sits next to time in hand, or ends the day's
    stretch with nothing after it, is no break: it joins the time in hand."""
    items = day.items
    for index, item in enumerate(items):
        if not item.placed_by_scheduler:
            continue
        after = items[index + 1] if index + 1 < len(items) else None
        if after is None or after.kind in ("time-in-hand", "lunch", "wrap-up", "close", "break"):
            item.kind = "time-in-hand"
            item.title = "Time in hand"
            item.placed_by_scheduler = False
    merged: list[Item] = []
    for item in items:
        if merged and item.kind == "time-in-hand" and merged[-1].kind == "time-in-hand" and merged[-1].end == item.start:
            merged[-1].end = item.end
        else:
            merged.append(item)
    day.items[:] = merged


# ---------------------------------------------------------------------------- the whole course


def _fits(plan: list[PlannedSession], days: list[Day], factor: float, whole: frozenset[str] = frozenset()) -> bool:
    try:
        _place(plan, days, factor, whole)
    except _DoesNotFit:
        return False
    return True


def _best_factor(plan: list[PlannedSession], days: list[Day], whole: frozenset[str] = frozenset()) -> float | None:
    """The largest factor in [-1, 1] at which the course fits, or None when it never does."""
    if _fits(plan, days, 1.0, whole):
        return 1.0
    if not _fits(plan, days, -1.0, whole):
        return None
    low, high = -1.0, 1.0
    for _ in range(14):
        middle = (low + high) / 2
        low, high = (middle, high) if _fits(plan, days, middle, whole) else (low, middle)
    return low


def floor_minutes(planned: PlannedSession) -> int:
    """The fewest minutes a session can honestly take in this course."""
    pieces, spare = _session_pieces(planned, -1.0)
    return sum(p.minutes for p in pieces) + spare


def _available_minutes(days: list[Day]) -> int:
    total = 0
    for n, day in enumerate(days, start=1):
        for window in _day_frame(day, n, n == len(days))[1]:
            total += window.end - window.start - BREAK_MINUTES * len(window.soft)
    return total


def schedule(plan: list[PlannedSession], days: list[Day], start_date: date | None = None,
             dependants: dict[str, list[str]] | None = None) -> Agenda:
    """Place the sessions into the days: shorten towards the floors when the days are short,
    stretch within the ranges and add optional segments when they are long.

    Raises ScheduleError, saying how much time is missing and which session to move or drop,
    when even the floors do not fit.
    """
    if not days:
        raise ScheduleError("the course has no days: add a day template to course.yaml")
    plan = [planned.copy() for planned in plan]  # the plan given is not changed
    days = resolve_days(days, start_date)
    for n, day in enumerate(days, start=1):
        _day_frame(day, n, n == len(days))  # a day that cannot hold its fixed items says so first
    dropped = [] if _fits(plan, days, -1.0) else _drop_optional(plan, days)
    factor = _best_factor(plan, days)
    if factor is None:
        raise ScheduleError(_does_not_fit(plan, days, dependants or {}))
    added = _fill_optional(plan, days, factor)
    if added:
        factor = _best_factor(plan, days) or factor
    whole: frozenset[str] = frozenset()
    moved: list[str] = []
    placed = _place(plan, days, factor)
    for planned in plan:
        if planned.choice.day is not None or planned.choice.start is not None:
            continue
        if len({d.number for d in placed for i in d.items if i.session == planned.id}) < 2:
            continue
        trial = whole | {planned.id}
        trial_factor = _best_factor(plan, days, trial)
        if trial_factor is None or trial_factor < min(0.0, factor):
            continue
        trial_days = _place(plan, days, trial_factor, trial)
        first_day = min(d.number for d in placed for i in d.items if i.session == planned.id)
        left = trial_days[first_day - 1]
        idle = sum(i.time_in_hand for i in left.items if i.kind == "session") + sum(
            i.minutes for i in left.items if i.kind == "time-in-hand")
        if idle <= MOVE_GAP:
            whole, factor, placed = trial, trial_factor, trial_days
            moved.append(planned.id)
    agenda = Agenda(placed, plan=plan)
    agenda.changes = _changes(agenda, plan, dropped, added, moved)
    agenda.warnings = _warnings(agenda)
    return agenda


def _does_not_fit(plan: list[PlannedSession], days: list[Day], dependants: dict[str, list[str]]) -> str:
    needed = sum(floor_minutes(p) for p in plan)
    available = _available_minutes(days)
    if needed > available:
        head = (
            f"the course needs at least {format_minutes(needed)} of sessions at their shortest; "
            f"{len(days)} day(s) give {format_minutes(available)} between breaks: {format_minutes(needed - available)} missing."
        )
    else:
        head = (
            f"the course does not fit: its sessions need {format_minutes(needed)} at their shortest and the days give "
            f"{format_minutes(available)}, but sessions are split only at good places to pause and never into "
            "parts under 20 minutes, so time is lost before breaks."
        )
    missing = max(1, needed - available)
    candidates = sorted(plan, key=lambda p: (bool(dependants.get(p.id)), -p.session.number))
    proposal = next((p for p in candidates if floor_minutes(p) >= missing), None)
    advice = " Add a day or lengthen the days"
    if proposal is not None:
        those = dependants.get(proposal.id, [])
        who = f" ({', '.join(those)} build on it)" if those else " (no other session of the course builds on it)"
        advice += f", or move session {proposal.session.number} to another course{who}"
    return head + advice + "."


def _drop_optional(plan: list[PlannedSession], days: list[Day]) -> list[tuple[PlannedSession, Segment]]:
    """Leave out optional segments the adaptation step chose to run, from the last session
    backwards, until the course fits at its floors; put them all back if it never does."""
    dropped: list[tuple[PlannedSession, Segment]] = []
    for planned in reversed(plan):
        for segment in reversed(planned.session.plan):
            if segment.id not in planned.optional_included:
                continue
            planned.optional_included.discard(segment.id)
            dropped.append((planned, segment))
            if _fits(plan, days, -1.0):
                return dropped
    for planned, segment in dropped:
        planned.optional_included.add(segment.id)
    return []


def _fill_optional(plan: list[PlannedSession], days: list[Day], factor: float) -> list[tuple[PlannedSession, Segment]]:
    """Days with time to spare take the optional segments the guide runs "if there is time"
    (those with no condition, or whose condition holds), in course order, as long as the
    course still fits at the sessions' own durations or more."""
    if factor < 1.0:
        return []
    added: list[tuple[PlannedSession, Segment]] = []
    for planned in plan:
        if planned.choice.minutes is not None:
            continue
        for segment in planned.session.plan:
            if not segment.optional or segment.id in planned.optional_included or segment.include_if:
                continue
            if segment.id in planned.excluded:
                continue
            planned.optional_included.add(segment.id)
            if _fits(plan, days, 0.0):
                added.append((planned, segment))
            else:
                planned.optional_included.discard(segment.id)
    return added


def _changes(agenda: Agenda, plan: list[PlannedSession], dropped, added, moved) -> list[Change]:  # type: ignore[no-untyped-def]
    """What the schedule changed against the guide's timings, from the placed segments."""
    changes: list[Change] = []
    for planned in plan:
        pins = planned.choice.segments
        for segment in planned.session.plan:
            placed = agenda.placed(planned.id, segment.id)
            if placed is None:
                continue
            guide = planned.minutes_for(segment)
            if placed.minutes < guide.low and not guide.upper_bound:
                why = "pinned by the course" if segment.id in pins else (
                    f"the course gives session {planned.session.number} {format_minutes(planned.choice.minutes.high)}"
                    if planned.choice.minutes is not None else "the days are too short for the guide's timings")
                changes.append(Change("shortened", planned.id, segment.id, guide.low - placed.minutes,
                                      f"{placed.minutes} min instead of the guide's {guide.describe()}: {why}"))
            elif placed.minutes > guide.high:
                why = "pinned by the course" if segment.id in pins else "the days have time to spare"
                changes.append(Change("lengthened", planned.id, segment.id, placed.minutes - guide.high,
                                      f"{placed.minutes} min instead of the guide's {guide.describe()}: {why}"))
    for planned, segment in added:
        placed = agenda.placed(planned.id, segment.id)
        minutes = placed.minutes if placed else 0
        changes.append(Change("added", planned.id, segment.id, minutes,
                              f"optional segment added ({minutes} min): the days have time for it"))
    for planned, segment in dropped:
        changes.append(Change("cut", planned.id, segment.id, planned.floor_for(segment),
                              "optional segment left out: even at their shortest the days have no room for it"))
    for session in moved:
        planned = next(p for p in plan if p.id == session)
        changes.append(Change("moved", session, None, 0,
                              f"session {planned.session.number} starts on a new day rather than be split over a night"))
    return changes


def _warnings(agenda: Agenda) -> list[str]:
    out: list[str] = []
    for day in agenda.days:
        if day.end - day.start > LONG_DAY:
            out.append(f"day {day.number} runs {format_minutes(day.end - day.start)}, from {clock(day.start)} to {clock(day.end)}")
        stretch_start = day.start
        for item in day.items:
            if item.kind in ("break", "lunch", "time-in-hand"):
                stretch_start = item.end
                continue
            if item.kind == "session":
                for segment in item.segments:
                    if segment.id == "break":
                        stretch_start = segment.end
            facilitated = item.end - item.time_in_hand
            if facilitated - stretch_start > BREAK_LIMIT + 15:
                out.append(
                    f"day {day.number}: no break from {clock(stretch_start)} to {clock(facilitated)} "
                    f"({format_minutes(facilitated - stretch_start)})"
                )
                stretch_start = item.end
            if item.time_in_hand >= BREAK_MINUTES:
                stretch_start = item.end
            if item.kind == "session" and item.time_in_hand >= SHORTEST_PART:
                out.append(f"day {day.number}: session {item.number} has {item.time_in_hand} min in hand before {clock(item.end)}")
        idle = sum(item.minutes for item in day.items if item.kind == "time-in-hand")
        if idle >= SHORTEST_PART:
            out.append(f"day {day.number}: {format_minutes(idle)} with no session: the days are longer than the sessions need "
                       "(end the day earlier, or add a session)")
    seen: dict[str, int] = {}
    for day in agenda.days:
        for item in day.items:
            if item.kind != "session" or item.session is None:
                continue
            if item.session in seen and seen[item.session] != day.number:
                out.append(f"session {item.number} is split over days {seen[item.session]} and {day.number}")
            seen.setdefault(item.session, day.number)
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------------------- JSON


def agenda_json(agenda: Agenda, title: str) -> dict:  # type: ignore[type-arg]
    """The agenda as plain data: every time as 24-hour HH:MM (the schema is in the README)."""

    def segment(s: ScheduledSegment) -> dict:  # type: ignore[type-arg]
        return {
            "id": s.id,
            "title": s.title,
            "start": clock(s.start),
            "end": clock(s.end),
            "minutes": s.minutes,
            "optional": s.optional,
            "parts": [segment(p) for p in s.parts],
        }

    def item(i: Item) -> dict:  # type: ignore[type-arg]
        return {
            "kind": i.kind,
            "start": clock(i.start),
            "end": clock(i.end),
            "title": i.title,
            "session": i.session,
            "number": i.number,
            "module": i.module,
            "part": i.part,
            "continued": i.continued,
            "label": i.label,
            "includes_break": i.includes_break,
            "time_in_hand": i.time_in_hand,
            "segments": [segment(s) for s in i.segments],
        }

    return {
        "title": title,
        "days": [
            {
                "day": day.number,
                "date": day.date.isoformat() if day.date else None,
                "start": clock(day.start),
                "end": clock(day.end),
                "items": [item(i) for i in day.items],
            }
            for day in agenda.days
        ],
        "changes": [change.__dict__ for change in agenda.changes],
        "warnings": agenda.warnings,
    }
