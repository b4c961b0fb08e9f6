"""Scheduling: placing a course's sessions, segment by segment, into its days.

The unit of placement is a session plan's top-level segment: it is never split. A session
that does not fit before the next break, lunch or the end of the day is split at a segment
boundary and goes on after it, marked "continued". Each segment takes a duration from its
range (the guide's "15-30"); the course as a whole is compressed towards the low ends when
it is too long, and optional segments are added when there is time to spare. Every such
change is recorded with its reason.

Times are minutes since midnight inside this module; `clock()` writes them as HH:MM.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from .errors import TrainerError
from .models import Day, Segment, SegmentPart, Session
from .models.course import SessionChoice
from .models.minutes import Minutes, format_minutes
from .yamlfile import Path_

ItemKind = Literal["session", "break", "lunch", "recap", "wrap-up", "close", "session-break"]
LONG_STRETCH = 120
"""Minutes without a break after which the agenda warns (a guide-wide rule of thumb)."""
LONG_DAY = 9 * 60
"""A day longer than this, start to end, gets a warning."""
BIG_GAP = 20
"""Unused minutes before a break that are worth a warning."""


class ScheduleError(TrainerError):
    """Raised when the sessions cannot fit into the days even at their minimum timings."""


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
    """Ids of optional segments the adaptation step already decided to run."""
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

    def minutes_for(self, segment: SegmentPart) -> Minutes:
        return self.minutes_override.get(segment.id, segment.minutes)

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
    """Minutes at the end of the line not taken by segments (questions, discussion)."""
    includes_break: bool = False

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

    action: Literal["shortened", "lengthened", "added", "cut"]
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


# ---------------------------------------------------------------------------- durations


def _distribute(target: int, ranges: list[tuple[int, int]]) -> list[int]:
    """Whole minutes for each range so that they add up to `target` where the ranges allow.

    Within the ranges' total span every range moves by the same fraction; above it every
    range takes its high end (the caller keeps the rest as time in hand); below it every
    range is scaled down from its low end.
    """
    if not ranges:
        return []
    low = sum(r[0] for r in ranges)
    high = sum(r[1] for r in ranges)
    if target >= high:
        return [r[1] for r in ranges]
    if target >= low:
        share = (target - low) / (high - low) if high > low else 0.0
        exact = [r[0] + share * (r[1] - r[0]) for r in ranges]
    else:
        exact = [max(1.0, r[0] * target / low) for r in ranges]
    values = [int(x) for x in exact]
    # largest remainders get the leftover minutes, so the total is exact
    leftover = min(target, sum(int(x + 0.999999) for x in exact)) - sum(values)
    order = sorted(range(len(exact)), key=lambda i: exact[i] - values[i], reverse=True)
    for index in order[: max(0, leftover)]:
        values[index] += 1
    return values


@dataclass
class _Unit:
    """A segment (or a session's own break) ready to be placed."""

    segment: Segment | None
    minutes: int
    kind: Literal["segment", "session-break"] = "segment"


def _session_units(planned: PlannedSession, factor: float, changes: list[Change] | None) -> tuple[list[_Unit], int]:
    """The units of one session at compression `factor` (1 = the guide's timings, 0 = the minimum).

    Returns the units and the minutes of time in hand the session is given on top of them.
    """
    session = planned.session
    pins = planned.choice.segments
    included = [s for s in session.plan if not s.optional or s.id in planned.optional_included]
    fixed = {s.id: pins[s.id].high for s in included if s.id in pins}
    free = [s for s in included if s.id not in fixed]
    ranges = [(planned.minutes_for(s).low, planned.minutes_for(s).high) for s in free]
    low = sum(r[0] for r in ranges) + sum(fixed.values())
    high = sum(r[1] for r in ranges) + sum(fixed.values())
    spare = 0
    if planned.choice.minutes is not None:
        target = planned.choice.minutes.high
        for segment in session.plan:
            # a pinned allotment with time to spare takes the optional segments that fit
            if segment.optional and segment not in included and high + planned.minutes_for(segment).low <= target:
                included.append(segment)
                included.sort(key=session.plan.index)
                free.append(segment)
                free.sort(key=session.plan.index)
                ranges = [(planned.minutes_for(s).low, planned.minutes_for(s).high) for s in free]
                low += planned.minutes_for(segment).low
                high += planned.minutes_for(segment).high
                if changes is not None:
                    changes.append(
                        Change("added", session.id, segment.id, segment.minutes.low, "optional segment added: the session's allotted time has room for it")
                    )
        if target < low and changes is not None:
            changes.append(
                Change(
                    "shortened",
                    session.id,
                    None,
                    low - target,
                    f"the course gives it {format_minutes(target)}, but its plan needs at least "
                    f"{format_minutes(low)}: every segment is shortened below the guide's minimum",
                )
            )
    else:
        default = min(max(session.duration.high, low), high)
        target = round(low + factor * (default - low))
        if target < default and changes is not None:
            changes.append(
                Change("shortened", session.id, None, default - target, "the course is too long for its days")
            )
    durations = _distribute(target - sum(fixed.values()), ranges)
    spare = max(0, target - sum(durations) - sum(fixed.values()))
    by_id = dict(zip((s.id for s in free), durations, strict=True))
    units = [_Unit(s, fixed.get(s.id, by_id.get(s.id, 0))) for s in included]
    if planned.choice.includes_break and len(units) > 1:
        total = sum(u.minutes for u in units)
        running, best, best_distance = 0, 1, total
        for index, unit in enumerate(units[:-1], start=1):
            running += unit.minutes
            if abs(total / 2 - running) < best_distance:
                best, best_distance = index, abs(total / 2 - running)
        units.insert(best, _Unit(None, planned.choice.break_minutes, "session-break"))
    return units, spare


# ---------------------------------------------------------------------------- placement


@dataclass
class _Window:
    day: int
    start: int
    end: int


def day_items(day: Day, number: int, last: bool) -> list[tuple[Path_, Item]]:
    """The fixed items of a day (recap, breaks, lunch, wrap-up or close), each with the field
    of the day that sets it, in the order they are written."""
    start, end = _minutes_of(day.start), _minutes_of(day.end)
    items: list[tuple[Path_, Item]] = []
    if day.recap:
        items.append((("recap",), Item("recap", start, start + day.recap, "Daily recap")))
    closing = day.close if last else 0
    if closing:
        items.append((("close",), Item("close", end - closing, end, "Final evaluation and close")))
    elif day.wrap_up:
        items.append((("wrap_up",), Item("wrap-up", end - day.wrap_up, end, f"Wrap-up for Day {number}")))
    for index, pause in enumerate(day.breaks):
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


def _day_frame(day: Day, number: int, last: bool) -> tuple[list[Item], list[_Window]]:
    """The fixed items of a day and the windows between them where sessions go."""
    problems = day_problems(day, number, last)
    if problems:
        raise ScheduleError(f"day {number}: {problems[0][1]}")
    start, end = _minutes_of(day.start), _minutes_of(day.end)
    fixed = sorted((item for _, item in day_items(day, number, last)), key=lambda item: item.start)
    windows: list[_Window] = []
    cursor = start
    for item in fixed:
        if item.start > cursor:
            windows.append(_Window(number, cursor, item.start))
        cursor = item.end
    if cursor < end:
        windows.append(_Window(number, cursor, end))
    return fixed, windows


class _DoesNotFit(Exception):
    def __init__(self, session: str, segment: str | None):
        self.session = session
        self.segment = segment


def _place(plan: list[PlannedSession], days: list[Day], factor: float, changes: list[Change] | None) -> list[AgendaDay]:
    frames = [_day_frame(day, n, n == len(days)) for n, day in enumerate(days, start=1)]
    agenda_days = [
        AgendaDay(n, day.date, _minutes_of(day.start), _minutes_of(day.end), list(frame[0]))
        for n, (day, frame) in enumerate(zip(days, frames, strict=True), start=1)
    ]
    windows = [window for _, day_windows in frames for window in day_windows]
    w = 0  # current window
    cursor = windows[0].start if windows else 0
    last_session_item: Item | None = None

    def absorb_gap() -> None:
        """Give the rest of the current window to the session line that ends there."""
        if last_session_item is not None and last_session_item.end == cursor and windows[w].end > cursor:
            last_session_item.time_in_hand += windows[w].end - cursor
            last_session_item.end = windows[w].end

    for planned in plan:
        session = planned.session
        units, spare = _session_units(planned, factor, changes)
        choice = planned.choice
        if choice.day is not None or choice.start is not None:
            want_day = choice.day or windows[w].day
            want_start = _minutes_of(choice.start) if choice.start is not None else None
            while w < len(windows) and (
                windows[w].day < want_day
                or (want_start is not None and windows[w].day == want_day and windows[w].end <= want_start)
            ):
                absorb_gap()
                last_session_item = None
                w += 1
                cursor = windows[w].start if w < len(windows) else cursor
            if w < len(windows) and want_start is not None and windows[w].day == want_day and cursor < want_start:
                target = min(want_start, windows[w].end)
                if last_session_item is not None and last_session_item.end == cursor:
                    last_session_item.time_in_hand += target - cursor
                    last_session_item.end = target
                cursor = target
        part = 0
        current: Item | None = None
        for index, unit in enumerate(units):
            is_last = index == len(units) - 1
            while w < len(windows) and cursor + unit.minutes > windows[w].end:
                absorb_gap()
                current = None
                last_session_item = None
                w += 1
                if w < len(windows):
                    cursor = windows[w].start
            if w >= len(windows):
                raise _DoesNotFit(session.id, unit.segment.id if unit.segment else None)
            segment = unit.segment
            label = segment.agenda if segment is not None else None
            if current is None or (label and current.segments):
                if current is None:
                    part += 1
                current = Item(
                    "session",
                    cursor,
                    cursor,
                    session.title,
                    session=session.id,
                    number=session.number,
                    module=session.module,
                    part=part,
                    continued=part > 1,
                    label=label,
                    includes_break=choice.includes_break,
                )
                day = agenda_days[windows[w].day - 1]
                day.items.append(current)
            if unit.kind == "session-break":
                current.segments.append(ScheduledSegment("break", "Break", cursor, cursor + unit.minutes))
            else:
                assert segment is not None
                current.segments.append(_scheduled(segment, cursor, unit.minutes))
            cursor += unit.minutes
            current.end = cursor
            if is_last and spare:
                extra = min(spare, windows[w].end - cursor)
                current.time_in_hand += extra
                current.end += extra
                cursor += extra
            last_session_item = current
    if w < len(windows):
        absorb_gap()
    for day in agenda_days:
        day.items.sort(key=lambda item: (item.start, item.end))
    return agenda_days


def _scheduled(segment: Segment, start: int, minutes: int) -> ScheduledSegment:
    out = ScheduledSegment(segment.id, segment.title, start, start + minutes, segment.optional, segment.slides)
    if segment.parts:
        durations = _distribute(minutes, [(p.minutes.low, p.minutes.high) for p in segment.parts])
        cursor = start
        for part, length in zip(segment.parts, durations, strict=True):
            length = min(length, start + minutes - cursor)
            out.parts.append(ScheduledSegment(part.id, part.title, cursor, cursor + length, part.optional, part.slides))
            cursor += length
    return out


# ---------------------------------------------------------------------------- the whole course


def _fits(plan: list[PlannedSession], days: list[Day], factor: float) -> bool:
    try:
        _place(plan, days, factor, None)
    except _DoesNotFit:
        return False
    return True


def _minimum_minutes(plan: list[PlannedSession]) -> int:
    total = 0
    for planned in plan:
        units, spare = _session_units(planned, 0.0, None)
        total += sum(unit.minutes for unit in units) + spare
    return total


def _available_minutes(days: list[Day]) -> int:
    return sum(
        window.end - window.start
        for n, day in enumerate(days, start=1)
        for window in _day_frame(day, n, n == len(days))[1]
    )


def schedule(plan: list[PlannedSession], days: list[Day], start_date: date | None = None) -> Agenda:
    """Place the sessions into the days: compress when too long, fill when there is time to spare.

    Raises ScheduleError, saying how much time is missing, when even the minimum does not fit.
    """
    if not days:
        raise ScheduleError("the course has no days: add a day template to course.yaml")
    plan = [planned.copy() for planned in plan]  # the plan given is not changed
    days = [
        day if day.date is not None or start_date is None else day.model_copy(update={"date": start_date + timedelta(n)})
        for n, day in enumerate(days)
    ]
    factor = 1.0
    dropped = [] if _fits(plan, days, 0.0) else _drop_optional(plan, days)
    if not _fits(plan, days, 1.0):
        if not _fits(plan, days, 0.0):
            needed, available = _minimum_minutes(plan), _available_minutes(days)
            if needed > available:
                raise ScheduleError(
                    f"the course needs at least {format_minutes(needed)} of sessions; "
                    f"{len(days)} day(s) give {format_minutes(available)} between breaks: "
                    f"{format_minutes(needed - available)} missing. Add a day, lengthen the days or drop a session."
                )
            try:
                _place(plan, days, 0.0, None)
            except _DoesNotFit as error:
                where = f"segment '{error.segment}' of " if error.segment else ""
                raise ScheduleError(
                    f"the course does not fit: {where}'{error.session}' finds no room before the end of the last day. "
                    f"Segments are never split across a break, so time is lost before breaks: "
                    f"lengthen the days or drop a session."
                ) from None
        low, high = 0.0, 1.0
        for _ in range(12):
            middle = (low + high) / 2
            low, high = (middle, high) if _fits(plan, days, middle) else (low, middle)
        factor = low
    changes: list[Change] = [
        Change("cut", planned.id, segment.id, planned.minutes_for(segment).low,
               "optional segment the adaptation added, left out: even at their shortest the days have no room for it")
        for planned, segment in dropped
    ]
    added = _fill(plan, days, factor)
    agenda = Agenda(_place(plan, days, factor, changes), changes, plan=plan)
    for planned, segment in added:
        agenda.changes.append(
            Change("added", planned.id, segment.id, segment.minutes.high, "optional segment added: the days have time to spare")
        )
    agenda.warnings = _warnings(agenda)
    return agenda


def _drop_optional(plan: list[PlannedSession], days: list[Day]) -> list[tuple[PlannedSession, Segment]]:
    """Leave out optional segments the adaptation step chose to run, from the last session
    backwards, until the course fits at its minimum; put them all back if it never does."""
    dropped: list[tuple[PlannedSession, Segment]] = []
    for planned in reversed(plan):
        for segment in reversed(planned.session.plan):
            if segment.id not in planned.optional_included:
                continue
            planned.optional_included.discard(segment.id)
            dropped.append((planned, segment))
            if _fits(plan, days, 0.0):
                return dropped
    for planned, segment in dropped:
        planned.optional_included.add(segment.id)
    return []


def _fill(plan: list[PlannedSession], days: list[Day], factor: float) -> list[tuple[PlannedSession, Segment]]:
    """Add optional segments, in course order, while the course still fits without compressing."""
    if factor < 1.0:
        return []
    added: list[tuple[PlannedSession, Segment]] = []
    baseline = _place(plan, days, factor, None)
    spare = _spare_at_end(baseline)
    for planned in plan:
        for segment in planned.session.plan:
            if not segment.optional or segment.id in planned.optional_included:
                continue
            if segment.minutes.high > spare or planned.choice.minutes is not None:
                continue
            planned.optional_included.add(segment.id)
            try:
                trial = _place(plan, days, factor, None)
            except _DoesNotFit:
                planned.optional_included.discard(segment.id)
                continue
            if _shifts_pins(trial, baseline, plan):
                planned.optional_included.discard(segment.id)
                continue
            added.append((planned, segment))
            spare = _spare_at_end(trial)
    return added


def _spare_at_end(days: list[AgendaDay]) -> int:
    """Minutes between the last session and the end of the last day's sessions (its close or wrap-up)."""
    last = days[-1]
    sessions = [item for item in last.items if item.kind == "session"]
    closing = [item for item in last.items if item.kind in ("close", "wrap-up")]
    end = closing[0].start if closing else last.end
    if not sessions:
        return end - last.start
    final = sessions[-1]
    return end - final.end + final.time_in_hand


def _shifts_pins(trial: list[AgendaDay], baseline: list[AgendaDay], plan: list[PlannedSession]) -> bool:
    pinned = {p.id for p in plan if p.choice.start is not None or p.choice.day is not None}
    if not pinned:
        return False

    def starts(days: list[AgendaDay]) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for day in days:
            for item in day.items:
                if item.kind == "session" and item.session in pinned and item.part == 1:
                    out.setdefault(item.session, (day.number, item.start))
        return out

    return starts(trial) != starts(baseline)


def _warnings(agenda: Agenda) -> list[str]:
    out: list[str] = []
    for day in agenda.days:
        if day.end - day.start > LONG_DAY:
            out.append(f"day {day.number} runs {format_minutes(day.end - day.start)}, from {clock(day.start)} to {clock(day.end)}")
        stretch_start = day.start
        for item in day.items:
            if item.kind in ("break", "lunch"):
                stretch_start = item.end
                continue
            if item.kind == "session":
                for segment in item.segments:
                    if segment.id == "break":
                        stretch_start = segment.end
            if item.end - stretch_start > LONG_STRETCH:
                out.append(
                    f"day {day.number}: no break from {clock(stretch_start)} to {clock(item.end)} "
                    f"({format_minutes(item.end - stretch_start)})"
                )
                stretch_start = item.end
            if item.kind == "session" and item.time_in_hand >= BIG_GAP:
                out.append(
                    f"day {day.number}: session {item.number} leaves {item.time_in_hand} min unplanned before "
                    f"{clock(item.end)}"
                )
    seen: dict[str, int] = {}
    for day in agenda.days:
        for item in day.items:
            if item.kind != "session" or item.session is None:
                continue
            if item.session in seen and seen[item.session] != day.number:
                out.append(f"session {item.number} is split over days {seen[item.session]} and {day.number}")
            seen.setdefault(item.session, day.number)
    for change in agenda.changes:
        if change.action == "shortened" and "below the guide's minimum" in change.reason:
            out.append(f"{change.session}: {change.reason}")
    return out


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
