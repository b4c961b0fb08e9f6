"""Delivery: the day's run sheet as it is run, the rebalancing of a drift, and the delivery log.

`trainer facilitate` shows this live; this module holds everything it does that is not the
screen, as plain data and pure functions, so that it can be tested without a terminal and
without the wall clock (every function that needs the time is given it):

- `run_sheet(prepared, day)`: the day's rows (each segment of each session, the session
  breaks, the fixed items of the day, the time in hand), with what the facilitator needs
  for each: summary, lead, key point, slide numbers, materials, and the segment's floor and
  range.
- `rebalance(slots, overrun)`: how to absorb a drift in the rest of the day within the
  segments' floors and ranges (pure; property-tested).
- `Delivery`: the state of a day being run (which row is current, when each started and
  ended, pauses, +5/-5, accepted rebalances), saved after every change to
  `COURSE_DIR/delivery/day-N.yaml` by an atomic replace, and read back to resume.
- `delivery_summary(course_dir)`: planned and actual minutes per session, and the segments
  cut, for the evaluation report and `trainer plan --actual`.

Times of the agenda are minutes since midnight (as in `schedule.py`); times of delivery are
datetimes of the facilitator's clock, written in the log as ISO 8601 to the second.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .errors import TrainerError

if TYPE_CHECKING:
    from .prepare import PreparedCourse

LOG_FOLDER = "delivery"
"""The course folder's sub-folder that holds one delivery log per day."""
AMBER_SECONDS = 120
"""The countdown turns amber when this little of a segment is left (2 minutes)."""
FIVE = 5
"""Minutes added or taken by the +5 and -5 keys."""

RowKind = Literal["segment", "session-break", "break", "lunch", "recap", "wrap-up", "close", "time-in-hand"]
FIXED_KINDS = ("session-break", "break", "lunch", "recap", "wrap-up", "close")
"""Rows that rebalancing never lengthens or shortens: breaks, lunch and the day's fixed items
(the catering, the interpreters and the participants' travel depend on them)."""


class DeliveryError(TrainerError):
    """Raised when a delivery log cannot be read, resumed or written (with the file named)."""


# ---------------------------------------------------------------------------- the run sheet


@dataclass(frozen=True)
class Row:
    """One line of the day's run sheet: a segment of a session, or a fixed item of the day."""

    key: str
    """Unique within the day and stable between runs: `session-1/welcome`, `break@10:30`."""
    kind: RowKind
    title: str
    start: int
    """Planned start on the agenda (minutes since midnight)."""
    end: int
    floor: int
    """The shortest the row may become when rebalancing (the segment's `floor`, else the low
    end of its range; never above its planned minutes)."""
    high: int
    """The longest it may become (the high end of its range; never below its planned minutes)."""
    session: str | None = None
    number: int | None = None
    session_title: str = ""
    optional: bool = False
    summary: str = ""
    lead: str = ""
    key_point: str = ""
    slides: tuple[int, ...] = ()
    """Numbers of the slides in the session's deck (slides/session-N.pptx) shown in this row."""
    materials: tuple[str, ...] = ()

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def flexible(self) -> bool:
        return self.kind not in FIXED_KINDS


def slide_ranges(numbers: Sequence[int]) -> str:
    """(3, 4, 5, 9) -> "3-5, 9"."""
    out: list[str] = []
    for number in sorted(numbers):
        if out and number == int(out[-1].split("-")[-1]) + 1:
            out[-1] = f"{out[-1].split('-')[0]}-{number}"
        else:
            out.append(str(number))
    return ", ".join(out)


def _slide_numbers(context: Any, planned: Any) -> dict[str, tuple[int, ...]]:
    """Top-level segment id -> the numbers of its slides (and its parts') in the session's
    deck, as the slides renderer numbers them (hidden slides included)."""
    from .render.slides import slide_numbers

    numbers = slide_numbers(context, planned)
    out: dict[str, tuple[int, ...]] = {}
    for segment in planned.session.plan:
        found = sorted({n for key in (segment.id, *(p.id for p in segment.parts)) for n in numbers.get(key, [])})
        if found:
            out[segment.id] = tuple(found)
    return out


def run_sheet(prepared: PreparedCourse, day: int) -> list[Row]:
    """The rows of one day of the agenda, in order, covering the day from start to end.

    Raises DeliveryError when the course has no such day.
    """
    from .render.common import BuildContext
    from .schedule import clock

    agenda = prepared.agenda
    if not 1 <= day <= len(agenda.days):
        raise DeliveryError(f"--day {day}: the course has {len(agenda.days)} day(s), numbered from 1")
    context = BuildContext(prepared)
    library = prepared.library
    planned_by_id = {planned.id: planned for planned in agenda.plan}
    slides_cache: dict[str, dict[str, tuple[int, ...]]] = {}
    agenda_day = agenda.days[day - 1]
    rows: list[Row] = []
    cursor = agenda_day.start

    def gap_until(moment: int, session: str | None) -> None:
        nonlocal cursor
        if moment > cursor:
            rows.append(Row(f"time-in-hand@{clock(cursor)}", "time-in-hand", "Time in hand", cursor, moment, 0,
                            moment - cursor, session=session))
        cursor = max(cursor, moment)

    for item in agenda_day.items:
        gap_until(item.start, None)
        if item.kind != "session":
            rows.append(Row(f"{item.kind}@{clock(item.start)}", item.kind, item.title, item.start, item.end,
                            item.minutes, item.minutes))
            cursor = item.end
            continue
        session_id = item.session or ""
        planned = planned_by_id.get(session_id)
        session = library.sessions.get(session_id)
        if planned is not None and session_id not in slides_cache:
            slides_cache[session_id] = _slide_numbers(context, planned)
        for scheduled in item.segments:
            gap_until(scheduled.start, session_id)
            if scheduled.id == "break":
                rows.append(Row(f"{session_id}/break", "session-break", "Break", scheduled.start, scheduled.end,
                                scheduled.minutes, scheduled.minutes, session_id, item.number, item.title))
                cursor = scheduled.end
                continue
            segment = next((s for s in session.plan if s.id == scheduled.id), None) if session else None
            minutes = scheduled.minutes
            low = high = minutes
            summary = lead = key_point = ""
            materials: tuple[str, ...] = ()
            if segment is not None and planned is not None:
                allowed = planned.minutes_for(segment)
                low, high = segment.floor or allowed.low, allowed.high
                summary, lead, key_point = segment.summary, segment.lead, segment.key_point
                handouts = [library.handouts[h].title for s in (segment, *segment.parts) for h in s.handouts
                            if h in library.handouts]
                resources = [r for s in (segment, *segment.parts) for r in s.resources]
                materials = tuple(dict.fromkeys([*resources, *handouts]))
            rows.append(Row(
                f"{session_id}/{scheduled.id}", "segment", scheduled.title, scheduled.start, scheduled.end,
                min(low, minutes), max(high, minutes), session_id, item.number, item.title, scheduled.optional,
                summary, lead, key_point, slides_cache.get(session_id, {}).get(scheduled.id, ()), materials,
            ))
            cursor = scheduled.end
        gap_until(item.end, session_id)
    gap_until(agenda_day.end, None)
    return rows


# ---------------------------------------------------------------------------- rebalancing


@dataclass(frozen=True)
class Slot:
    """A row of the rest of the day, as rebalancing sees it."""

    minutes: int
    """Its minutes as now planned."""
    floor: int
    high: int
    window: int
    """The stretch between two fixed items (breaks, lunch) it belongs to, counted from 0."""
    flexible: bool = True
    optional: bool = False
    slack: bool = False
    """Time in hand: used up first when behind, never grown when ahead."""

    @property
    def lower(self) -> int:
        """The least it may take: its floor, or its planned minutes when they are already below it."""
        return self.minutes if not self.flexible else min(self.floor, self.minutes)

    @property
    def upper(self) -> int:
        if not self.flexible or self.slack:
            return self.minutes
        return max(self.high, self.minutes)


@dataclass(frozen=True)
class Proposal:
    """How to absorb a drift: new minutes for each slot, the optional slots to cut, and what
    cannot be absorbed (positive: the day still ends late; negative: it ends early)."""

    minutes: tuple[int, ...]
    cut: tuple[int, ...] = ()
    unabsorbed: int = 0

    def changed(self, slots: Sequence[Slot]) -> list[int]:
        return [i for i, slot in enumerate(slots) if i in self.cut or self.minutes[i] != slot.minutes]


def _share(amount: int, rooms: list[int]) -> list[int]:
    """Whole minutes adding up to `amount`, shared in proportion to `rooms` (each at most its
    room), largest remainders first, ties to the earliest."""
    total = sum(rooms)
    if amount <= 0 or total <= 0:
        return [0] * len(rooms)
    amount = min(amount, total)
    exact = [amount * room / total for room in rooms]
    values = [math.floor(x) for x in exact]
    order = sorted(range(len(rooms)), key=lambda i: (-(exact[i] - values[i]), i))
    for index in order:
        if sum(values) >= amount:
            break
        if values[index] < rooms[index]:
            values[index] += 1
    return values


def _shift(slots: Sequence[Slot], minutes: list[int], amount: int, cut: set[int]) -> int:
    """Shorten (amount > 0) or lengthen (amount < 0) the slots, window by window from the
    earliest, so that the day is back on its agenda as soon as it can be; returns what is left."""
    behind = amount > 0
    remaining = abs(amount)
    for window in sorted({slot.window for slot in slots}):
        members = [i for i, slot in enumerate(slots) if slot.window == window and i not in cut]
        # behind: time in hand goes first, then every segment in proportion to its room
        groups = [[i for i in members if slots[i].slack], [i for i in members if not slots[i].slack]] if behind else [members]
        for group in groups:
            if remaining == 0:
                return 0
            rooms = [(minutes[i] - slots[i].lower) if behind else (slots[i].upper - minutes[i]) for i in group]
            taken = _share(remaining, rooms)
            for i, value in zip(group, taken, strict=True):
                minutes[i] += -value if behind else value
            remaining -= sum(taken)
    return remaining if behind else -remaining


def rebalance(slots: Sequence[Slot], overrun: int) -> Proposal:
    """Absorb `overrun` minutes (positive: the day runs late; negative: it runs early) in the
    slots of the rest of the day.

    The scheduler's rules: no slot goes below its floor or above the high end of its range,
    breaks and the fixed items of the day do not move, time in hand is used before any
    segment is shortened. The earliest window (up to the next break) absorbs what it can
    before a later one is touched, so the next break starts on time when it can. When being
    late cannot be absorbed even with every segment at its floor, optional segments are cut,
    from the last of the day backwards, and the minutes a cut frees beyond the need are
    given back.
    """
    minutes = [slot.minutes for slot in slots]
    cut: set[int] = set()
    if overrun > 0:
        room = sum(slot.minutes - slot.lower for slot in slots)
        need = overrun
        for index in reversed(range(len(slots))):
            if need <= room:
                break
            if slots[index].optional and slots[index].flexible:
                cut.add(index)
                need -= slots[index].minutes
                room -= slots[index].minutes - slots[index].lower
        for index in cut:
            minutes[index] = 0
        left = _shift(slots, minutes, need, cut)  # need < 0: a cut freed more than needed, given back
        return Proposal(tuple(minutes), tuple(sorted(cut)), left)
    left = _shift(slots, minutes, overrun, cut)
    return Proposal(tuple(minutes), (), left)


# ---------------------------------------------------------------------------- a day being run


def _stamp(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _moment(text: Any, where: str) -> datetime:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        raise DeliveryError(f"{where}: expected a date and time such as 2027-05-10T09:00:00, got {text!r}") from None


@dataclass
class Actual:
    """What happened to one row: when it started and ended, its pauses, its minutes as now
    planned (after +5, -5 and rebalancing), and whether it was cut."""

    minutes: int
    started: datetime | None = None
    ended: datetime | None = None
    pauses: list[list[datetime | None]] = field(default_factory=list)
    """[start, end] of each pause; the end is None while the pause goes on."""
    cut: bool = False

    def paused_seconds(self, now: datetime) -> float:
        return sum(((end or now) - start).total_seconds() for start, end in self.pauses if start is not None)

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1][1] is None


@dataclass
class Event:
    at: datetime
    what: str


class Delivery:
    """A day of the course being run: its run sheet and what has happened so far.

    Every method that changes the state takes the time (`now`) from the caller and records
    an event; the caller saves the log after each (`save`).
    """

    def __init__(self, title: str, day: int, day_date: date | None, rows: list[Row]):
        self.title = title
        self.day = day
        self.date = day_date
        self.rows = rows
        self.actual = [Actual(row.minutes) for row in rows]
        self.events: list[Event] = []

    # -- where we are

    @property
    def position(self) -> int:
        """The index of the current row; -1 before the day starts; len(rows) once it is over."""
        started = [i for i, a in enumerate(self.actual) if a.started is not None]
        if not started:
            return -1
        last = started[-1]
        return last if self.actual[last].ended is None else len(self.rows)

    @property
    def current(self) -> Row | None:
        position = self.position
        return self.rows[position] if 0 <= position < len(self.rows) else None

    @property
    def finished(self) -> bool:
        return self.position >= len(self.rows)

    def upcoming(self) -> list[int]:
        """Indices of the rows still to run, cut ones left out."""
        return [i for i in range(max(self.position + 1, 0), len(self.rows)) if not self.actual[i].cut]

    @property
    def next_index(self) -> int | None:
        rest = self.upcoming()
        return rest[0] if rest else None

    def base(self, now: datetime) -> date:
        """The calendar day the agenda's clock times are read on: the day the first row started."""
        started = next((a.started for a in self.actual if a.started is not None), None)
        return (started or now).date()

    def at(self, minutes: float, now: datetime) -> datetime:
        """An agenda time (minutes since midnight) on the day being run."""
        return datetime.combine(self.base(now), datetime.min.time()) + timedelta(minutes=minutes)

    # -- the clock

    def elapsed(self, now: datetime) -> float:
        """Seconds the current row has run, pauses left out."""
        position = self.position
        if not 0 <= position < len(self.rows):
            return 0.0
        actual = self.actual[position]
        assert actual.started is not None
        return max(0.0, (now - actual.started).total_seconds() - actual.paused_seconds(now))

    def seconds_left(self, now: datetime) -> float | None:
        """Seconds left in the current row (negative once it runs over); None outside a row."""
        position = self.position
        if not 0 <= position < len(self.rows):
            return None
        return self.actual[position].minutes * 60 - self.elapsed(now)

    def state(self, now: datetime) -> Literal["waiting", "running", "amber", "over", "paused", "finished"]:
        position = self.position
        if position < 0:
            return "waiting"
        if position >= len(self.rows):
            return "finished"
        if self.actual[position].paused:
            return "paused"
        left = self.seconds_left(now) or 0.0
        return "over" if left < 0 else "amber" if left <= AMBER_SECONDS else "running"

    def projected_end(self, now: datetime) -> datetime:
        """When the current row will end if it takes its planned minutes (now, if it is over);
        before the day starts, when the first row can start."""
        position = self.position
        if position < 0:
            return max(now, self.at(self.rows[0].start, now)) if self.rows else now
        if position >= len(self.rows):
            ended = self.actual[-1].ended or now
            return max((a.ended for a in self.actual if a.ended), default=ended)
        return now + timedelta(seconds=max(0.0, self.seconds_left(now) or 0.0))

    def drift(self, now: datetime) -> int:
        """Minutes behind (positive) or ahead of (negative) the agenda at the current row: its
        projected end against its end on the agenda (before the day, against its start)."""
        position = self.position
        if position < 0:
            target = self.rows[0].start if self.rows else 0
        elif position >= len(self.rows):
            target = self.rows[-1].end if self.rows else 0
        else:
            target = self.rows[position].end
        seconds = (self.projected_end(now) - self.at(target, now)).total_seconds()
        return round(seconds / 60)

    def day_end(self, now: datetime) -> datetime:
        """When the day will end if every row still to run takes its minutes as now planned."""
        rest = sum(self.actual[i].minutes for i in self.upcoming())
        return self.projected_end(now) + timedelta(minutes=rest)

    def overrun(self, now: datetime) -> int:
        """Minutes the day will end after (positive) or before (negative) the agenda's end."""
        if not self.rows:
            return 0
        return round((self.day_end(now) - self.at(self.rows[-1].end, now)).total_seconds() / 60)

    # -- changes

    def _log(self, now: datetime, what: str) -> None:
        self.events.append(Event(now, what))

    def _end_pause(self, index: int, now: datetime) -> None:
        actual = self.actual[index]
        if actual.paused:
            actual.pauses[-1][1] = now

    def next(self, now: datetime) -> None:
        """End the current row (if any) and start the next one still to run; after the last
        row, the day is over."""
        position = self.position
        if position >= len(self.rows):
            return
        following = self.next_index
        if 0 <= position:
            self._end_pause(position, now)
            self.actual[position].ended = now
        if following is None:
            self._log(now, "day ended")
            return
        self.actual[following].started = now
        self._log(now, f"started {self.rows[following].key}")

    def back(self, now: datetime) -> None:
        """Undo the last `next`: the current row had not really started, the one before goes on."""
        position = self.position
        if position < 0:
            return
        if position >= len(self.rows):
            last = max(i for i, a in enumerate(self.actual) if a.started is not None)
            self.actual[last].ended = None
            self._log(now, f"back to {self.rows[last].key}")
            return
        current = self.actual[position]
        current.started = None
        current.pauses = []
        earlier = [i for i in range(position) if self.actual[i].started is not None]
        if earlier:
            self.actual[earlier[-1]].ended = None
            self._log(now, f"back to {self.rows[earlier[-1]].key}")
        else:
            self._log(now, "back to before the start")

    def pause(self, now: datetime) -> None:
        """Pause the current row's countdown, or resume it."""
        position = self.position
        if not 0 <= position < len(self.rows):
            return
        actual = self.actual[position]
        if actual.paused:
            actual.pauses[-1][1] = now
            self._log(now, f"resumed {self.rows[position].key}")
        else:
            actual.pauses.append([now, None])
            self._log(now, f"paused {self.rows[position].key}")

    def adjust(self, now: datetime, minutes: int) -> None:
        """Give the current row (before the day starts, the first) more or fewer minutes (at least 1)."""
        position = self.position
        index = 0 if position < 0 else position
        if not 0 <= index < len(self.rows):
            return
        actual = self.actual[index]
        actual.minutes = max(1, actual.minutes + minutes)
        self._log(now, f"{minutes:+d} min on {self.rows[index].key}: now {actual.minutes} min")

    def cut(self, now: datetime, index: int, cut: bool = True) -> None:
        """Cut a row still to run (or put it back)."""
        if index <= self.position or not 0 <= index < len(self.rows):
            return
        self.actual[index].cut = cut
        self._log(now, f"{'cut' if cut else 'restored'} {self.rows[index].key}")

    # -- rebalancing

    def slots(self) -> tuple[list[int], list[Slot]]:
        """The rows still to run (not cut) and what rebalancing may do with each."""
        indices = self.upcoming()
        out: list[Slot] = []
        window = 0
        for index in indices:
            row = self.rows[index]
            if not row.flexible:
                window += 1
            out.append(Slot(self.actual[index].minutes, row.floor, row.high, window, row.flexible,
                            row.optional, row.kind == "time-in-hand"))
            if not row.flexible:
                window += 1
        return indices, out

    def propose(self, now: datetime) -> tuple[list[int], list[Slot], Proposal]:
        indices, slots = self.slots()
        return indices, slots, rebalance(slots, self.overrun(now))

    def apply(self, now: datetime, indices: list[int], proposal: Proposal) -> None:
        """Apply an accepted proposal to the rows it was made for."""
        changes = []
        for position, index in enumerate(indices):
            actual = self.actual[index]
            if position in proposal.cut:
                actual.cut = True
                changes.append(f"cut {self.rows[index].key}")
            elif proposal.minutes[position] != actual.minutes:
                changes.append(f"{self.rows[index].key} {actual.minutes}->{proposal.minutes[position]}")
                actual.minutes = proposal.minutes[position]
        self._log(now, "rebalanced: " + ("; ".join(changes) or "no change"))

    # -- the log

    def to_data(self) -> dict[str, Any]:
        from .schedule import clock

        rows = []
        for row, actual in zip(self.rows, self.actual, strict=True):
            entry: dict[str, Any] = {
                "key": row.key,
                "title": row.title,
                "kind": row.kind,
                "session": row.session,
                "planned_start": clock(row.start),
                "planned_end": clock(row.end),
                "minutes": actual.minutes,
                "started": _stamp(actual.started) if actual.started else None,
                "ended": _stamp(actual.ended) if actual.ended else None,
                "cut": actual.cut,
            }
            if actual.pauses:
                entry["pauses"] = [[_stamp(s) if s else None, _stamp(e) if e else None] for s, e in actual.pauses]
            rows.append(entry)
        return {
            "trainer_delivery_log": 1,
            "course": self.title,
            "day": self.day,
            "date": self.date.isoformat() if self.date else None,
            "rows": rows,
            "events": [{"at": _stamp(event.at), "what": event.what} for event in self.events],
        }

    def resume(self, data: Any, where: str) -> None:
        """Take over what a saved log recorded. Raises DeliveryError when the log is not one
        of this day's, or the day's agenda has changed since it was started."""
        from .schedule import clock

        if not isinstance(data, dict) or data.get("trainer_delivery_log") != 1 or not isinstance(data.get("rows"), list):
            raise DeliveryError(f"{where}: not a trainer delivery log")
        if data.get("day") != self.day:
            raise DeliveryError(f"{where}: the log of day {data.get('day')}, not of day {self.day}")
        saved = [(r.get("key"), r.get("planned_start")) for r in data["rows"] if isinstance(r, dict)]
        planned = [(row.key, clock(row.start)) for row in self.rows]
        if saved != planned:
            differ = next((i for i, (a, b) in enumerate(zip(saved, planned)) if a != b), min(len(saved), len(planned)))
            shown = saved[differ][0] if differ < len(saved) else "(end of the log)"
            raise DeliveryError(
                f"{where}: the agenda of day {self.day} has changed since this log was started "
                f"(row {differ + 1}: the log has {shown}); move the log aside to start the day afresh"
            )
        for index, (entry, actual) in enumerate(zip(data["rows"], self.actual, strict=True)):
            at = f"{where}: rows[{index + 1}]"
            minutes = entry.get("minutes", actual.minutes)
            if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= 24 * 60:
                raise DeliveryError(f"{at}.minutes: expected a number of minutes, got {minutes!r}")
            actual.minutes = minutes
            actual.started = _moment(entry["started"], f"{at}.started") if entry.get("started") else None
            actual.ended = _moment(entry["ended"], f"{at}.ended") if entry.get("ended") else None
            actual.cut = bool(entry.get("cut", False))
            pauses = entry.get("pauses") or []
            if not isinstance(pauses, list):
                raise DeliveryError(f"{at}.pauses: expected a list of [start, end] pairs")
            actual.pauses = []
            for pause in pauses:
                if not isinstance(pause, list) or len(pause) != 2 or not pause[0]:
                    raise DeliveryError(f"{at}.pauses: expected a list of [start, end] pairs")
                actual.pauses.append([_moment(pause[0], f"{at}.pauses"), _moment(pause[1], f"{at}.pauses") if pause[1] else None])
        self.events = [
            Event(_moment(e.get("at"), f"{where}: events"), str(e.get("what", "")))
            for e in data.get("events") or [] if isinstance(e, dict)
        ]

    def delivered(self) -> list[tuple[Row, Actual]]:
        return list(zip(self.rows, self.actual, strict=True))


def log_path(course_dir: Path, day: int) -> Path:
    return course_dir / LOG_FOLDER / f"day-{day}.yaml"


def write_atomically(path: Path, text: str) -> None:
    """Write a file so that it holds either its old or its new text, whatever happens: a new
    file created with O_EXCL beside it (never following a planted link), flushed to disk,
    then moved over the old one. A crash or a closed laptop loses at most the last change."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    for attempt in range(100):
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{attempt}.tmp")
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except FileExistsError:
            continue
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        try:  # the rename itself reaches the disk
            folder = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
        except OSError:
            pass
        return
    raise DeliveryError(f"{path}: could not create a temporary file beside it")


def save(delivery: Delivery, path: Path) -> None:
    """Write the delivery log (YAML, readable by people) atomically."""
    import yaml

    header = (
        f"# Delivery log of day {delivery.day}, written by `trainer facilitate` at every change.\n"
        "# Times are the facilitator's clock; `minutes` is each row's time as last planned.\n"
    )
    try:
        write_atomically(path, header + yaml.safe_dump(delivery.to_data(), sort_keys=False, allow_unicode=True, width=100))
    except OSError as error:
        raise DeliveryError(f"{path}: cannot write the delivery log ({error.strerror})") from None


def read_log(path: Path) -> Any:
    """A saved log's data (None when there is none); a leftover temporary file is ignored."""
    import yaml

    if not path.is_file():
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise DeliveryError(f"{path}: cannot be read as a delivery log ({type(error).__name__})") from None


def open_day(prepared: PreparedCourse, course_dir: Path, day: int) -> tuple[Delivery, Path, bool]:
    """The day's delivery, resumed from its log when there is one; returns (delivery, log path,
    resumed)."""
    agenda_day = prepared.agenda.days[day - 1] if 1 <= day <= len(prepared.agenda.days) else None
    rows = run_sheet(prepared, day)
    delivery = Delivery(prepared.title, day, agenda_day.date if agenda_day else None, rows)
    path = log_path(course_dir, day)
    data = read_log(path)
    if data is not None:
        delivery.resume(data, str(path))
    return delivery, path, data is not None


def first_unfinished_day(prepared: PreparedCourse, course_dir: Path) -> int:
    """The day to facilitate when none is named: the first whose log is missing or unfinished."""
    for day in range(1, len(prepared.agenda.days) + 1):
        data = read_log(log_path(course_dir, day))
        if data is None:
            return day
        rows = data.get("rows") if isinstance(data, dict) else None
        if not rows or any(isinstance(r, dict) and not r.get("cut") and not r.get("ended") for r in rows):
            return day
    return len(prepared.agenda.days)


# ---------------------------------------------------------------------------- summaries


@dataclass(frozen=True)
class SessionDelivery:
    """One session of one day, as planned and as run."""

    day: int
    session: str
    number: int | None
    title: str
    planned_minutes: int
    actual_minutes: int | None
    """Minutes its segments actually ran (pauses included); None while none has ended."""
    cut: tuple[str, ...] = ()
    """Titles of the segments cut or never run."""
    planned_start: str = ""
    actual_start: str | None = None

    @property
    def over(self) -> int | None:
        return None if self.actual_minutes is None else self.actual_minutes - self.planned_minutes


def _minutes_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60


def session_deliveries(delivery: Delivery) -> list[SessionDelivery]:
    """Per session of the day: planned and actual minutes, segments cut."""
    from .schedule import clock

    out: dict[str, dict[str, Any]] = {}
    for row, actual in delivery.delivered():
        if row.session is None:
            continue
        entry = out.setdefault(row.session, {"number": row.number, "title": row.session_title, "planned": 0,
                                             "actual": 0.0, "ran": False, "cut": [], "start": clock(row.start),
                                             "actual_start": None})
        entry["planned"] += row.minutes
        if actual.started and actual.ended:
            entry["actual"] += _minutes_between(actual.started, actual.ended)
            entry["ran"] = True
        if actual.started and entry["actual_start"] is None:
            entry["actual_start"] = actual.started.strftime("%H:%M")
        if row.kind == "segment" and (actual.cut or (delivery.finished and actual.started is None)):
            entry["cut"].append(row.title)
    return [
        SessionDelivery(delivery.day, session, e["number"], e["title"], e["planned"],
                        round(e["actual"]) if e["ran"] else None, tuple(e["cut"]), e["start"], e["actual_start"])
        for session, e in out.items()
    ]


def delivery_summary(course_dir: Path, prepared: PreparedCourse | None = None) -> list[SessionDelivery]:
    """What the delivery logs of a course folder record, per session and day: planned minutes,
    actual minutes (None when it has not run), and the segments cut. Days without a log are
    left out. For the evaluation report and `trainer plan --actual`.

    Raises InputError for a bad course folder and DeliveryError for a log that cannot be read.
    """
    from .prepare import prepare

    prepared = prepared or prepare(course_dir)
    out: list[SessionDelivery] = []
    for day in range(1, len(prepared.agenda.days) + 1):
        if not log_path(course_dir, day).is_file():
            continue
        delivery, _path, _resumed = open_day(prepared, course_dir, day)
        out.extend(session_deliveries(delivery))
    return out


def row_actuals(delivery: Delivery) -> list[tuple[Row, Actual]]:
    """Rows with what happened to them (for `plan --actual`'s detail)."""
    return [(row, replace(actual)) for row, actual in delivery.delivered()]
