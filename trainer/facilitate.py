"""`trainer facilitate` without the screen: the commands, the words, and the plain mode.

`Session` ties a day's `Delivery` to its log file and a clock: each command (next, back,
pause, +5, -5, cut, rebalance) changes the delivery and saves the log before it returns.
The full-screen view (`facilitate_screen.py`, Textual) and the plain mode here (`--plain`:
one command per line in, one line per change out, for screen readers and dumb terminals)
both drive a `Session`. The clock is given, so that tests run a day without waiting for it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

from .delivery import FIVE, Delivery, Proposal, Row, Slot, save, slide_ranges
from .schedule import clock as hhmm

Clock = Callable[[], datetime]


def _mmss(seconds: float) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(round(seconds))
    return f"{sign}{seconds // 60}:{seconds % 60:02d}"


def minute(moment: datetime) -> str:
    """A projected time to the nearest minute ("09:47:30" -> "09:48")."""
    return (moment + timedelta(seconds=30)).strftime("%H:%M")


def drift_words(minutes: int) -> str:
    if minutes == 0:
        return "on time"
    return f"{abs(minutes)} min {'behind' if minutes > 0 else 'ahead of'} the agenda"


def row_label(row: Row) -> str:
    """"Session 2 · Migrant stories", "Lunch break"."""
    if row.number is not None and row.kind in ("segment", "time-in-hand", "session-break"):
        return f"Session {row.number} · {row.title}"
    return row.title


def proposal_lines(delivery: Delivery, indices: list[int], slots: list[Slot], proposal: Proposal, now: datetime) -> list[str]:
    """What a rebalance would change, in words."""
    overrun = delivery.overrun(now)
    lines = []
    if overrun > 0:
        lines.append(f"The day would end {overrun} min late.")
    elif overrun < 0:
        lines.append(f"The day would end {-overrun} min early.")
    else:
        lines.append("The day ends on time: nothing to rebalance.")
    changed = proposal.changed(slots)
    for position in changed[:12]:
        row = delivery.rows[indices[position]]
        if position in proposal.cut:
            lines.append(f"  cut {row_label(row)} (optional, {slots[position].minutes} min)")
        else:
            lines.append(f"  {row_label(row)}: {slots[position].minutes} -> {proposal.minutes[position]} min")
    if len(changed) > 12:
        lines.append(f"  ... and {len(changed) - 12} more")
    if changed and proposal.unabsorbed == 0:
        lines.append("After this, the day ends on time.")
    if proposal.unabsorbed > 0:
        lines.append(f"Still {proposal.unabsorbed} min late: every segment left is at its shortest.")
    elif proposal.unabsorbed < 0:
        lines.append(f"Still {-proposal.unabsorbed} min early: every segment left is at its longest.")
    return lines


class Session:
    """The facilitate loop without a screen: the delivery, its log, and the clock; every
    command changes the delivery and saves the log before it returns."""

    def __init__(self, delivery: Delivery, path: Path, clock: Clock):
        self.delivery = delivery
        self.path = path
        self.clock = clock
        self.proposal: tuple[list[int], list[Slot], Proposal] | None = None

    def save(self) -> None:
        save(self.delivery, self.path)

    def command(self, name: str) -> None:
        now = self.clock()
        delivery = self.delivery
        if name == "next":
            delivery.next(now)
        elif name == "back":
            delivery.back(now)
        elif name == "pause":
            delivery.pause(now)
        elif name == "plus":
            delivery.adjust(now, FIVE)
        elif name == "minus":
            delivery.adjust(now, -FIVE)
        elif name == "cut":
            following = delivery.next_index
            candidates = [i for i in range(max(delivery.position + 1, 0), len(delivery.rows))]
            target = following if following is not None else (candidates[0] if candidates else None)
            if target is not None and delivery.rows[target].kind == "segment":
                delivery.cut(now, target, not delivery.actual[target].cut)
        elif name == "propose":
            self.proposal = delivery.propose(now)
            return
        elif name == "accept":
            if self.proposal is not None:
                indices, _slots, proposal = self.proposal
                delivery.apply(now, indices, proposal)
                self.proposal = None
        elif name == "reject":
            self.proposal = None
            return
        else:
            raise ValueError(name)
        self.save()

    # -- what the screen and the plain lines say

    def now_line(self) -> str:
        """One line saying where the day is: what runs, until when, what is next, the drift."""
        now = self.clock()
        delivery = self.delivery
        row = delivery.current
        parts = [now.strftime("%H:%M")]
        if delivery.finished:
            parts.append(f"day {delivery.day} is over")
        elif row is None:
            first = delivery.rows[delivery.next_index or 0]
            parts.append(f"day {delivery.day} not started; first: {row_label(first)} at {hhmm(first.start)}")
        else:
            actual = delivery.actual[delivery.position]
            left = delivery.seconds_left(now) or 0.0
            state = delivery.state(now)
            timing = {"paused": "paused", "over": f"over by {_mmss(-left)}"}.get(state, f"{_mmss(left)} left")
            parts.append(f"now: {row_label(row)}, {actual.minutes} min, {timing}")
            if row.slides:
                parts.append(f"slides {slide_ranges(row.slides)}")
        following = delivery.next_index
        if following is not None and row is not None:
            parts.append(f"next: {row_label(delivery.rows[following])}")
        if not delivery.finished:
            parts.append(drift_words(delivery.drift(now)))
        return "; ".join(parts)


# ---------------------------------------------------------------------------- plain lines

PLAIN_COMMANDS = {
    "n": "next", "next": "next", "": "next",
    "b": "back", "back": "back",
    "p": "pause", "pause": "pause",
    "+": "plus", "+5": "plus",
    "-": "minus", "-5": "minus",
    "x": "cut", "cut": "cut",
    "r": "propose", "rebalance": "propose",
    "y": "accept", "yes": "accept",
    "no": "reject",
}
PLAIN_HELP = ("keys, then Enter: n next, b back, p pause or resume, + add 5 min, - take 5 min, "
              "x cut or restore the next segment, r rebalance (then y or no), s status, q quit")


class PlainRun:
    """`facilitate --plain`: reads one command per line and prints one line per change, and a
    line when the countdown reaches 2 minutes and when it runs over."""

    def __init__(self, session: Session, say: Callable[[str], None]):
        self.session = session
        self.say = say
        self.announced: tuple[int, str] | None = None

    def start(self, resumed: bool) -> None:
        delivery = self.session.delivery
        if resumed:
            self.say(f"resumed day {delivery.day} from {self.session.path}")
        self.say(PLAIN_HELP)
        self.say(self.session.now_line())
        self.announced = (self.session.delivery.position, self.session.delivery.state(self.session.clock()))

    def handle(self, line: str) -> bool:
        """Act on one line of input; False once the user quits."""
        word = line.strip().lower()
        if word in ("q", "quit", "exit"):
            self.say("quit; the delivery log is saved")
            return False
        if word in ("s", "status", "?"):
            self.say(self.session.now_line())
            return True
        command = PLAIN_COMMANDS.get(word)
        if command is None:
            self.say(f"unknown command {word!r}; {PLAIN_HELP}")
            return True
        session = self.session
        session.command(command)
        if command == "propose" and session.proposal is not None:
            indices, slots, proposal = session.proposal
            for text in proposal_lines(session.delivery, indices, slots, proposal, session.clock()):
                self.say(text.strip())
            self.say("y to apply, no to leave as is")
            return True
        if command == "accept":
            self.say("rebalanced")
        self.say(session.now_line())
        self.announced = (session.delivery.position, session.delivery.state(session.clock()))
        return True

    def tick(self) -> None:
        """Announce the countdown reaching amber or running over (once each per row)."""
        delivery = self.session.delivery
        now = self.session.clock()
        state = delivery.state(now)
        key = (delivery.position, state)
        if key == self.announced:
            return
        previous = self.announced
        self.announced = key
        if previous is not None and previous[0] == delivery.position and state in ("amber", "over"):
            row = delivery.current
            label = row_label(row) if row else ""
            self.say(f"{now:%H:%M} {'2 minutes left' if state == 'amber' else 'over time'}: {label}")


def run_plain(session: Session, resumed: bool, lines: Iterable[str] | None = None, say: Callable[[str], None] = print) -> None:
    """Run the plain mode on standard input (or `lines`), ticking every second between lines."""
    runner = PlainRun(session, say)
    runner.start(resumed)
    for line in lines if lines is not None else _stdin_lines(runner):
        if not runner.handle(line):
            return
        runner.tick()


def _stdin_lines(runner: PlainRun) -> Iterator[str]:
    """Lines of standard input as they come, ticking every second while none does. The file
    descriptor is read directly: a buffered readline() would keep a second line in its buffer
    where select() cannot see it."""
    import select
    import sys

    try:
        fd = sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test runner's input)
        yield from sys.stdin
        return
    pending = b""
    while True:
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            yield line.decode("utf-8", "replace")
        ready, _, _ = select.select([fd], [], [], 1.0)
        if not ready:
            runner.tick()
            continue
        data = os.read(fd, 4096)
        if not data:
            if pending:
                yield pending.decode("utf-8", "replace")
            return
        pending += data
