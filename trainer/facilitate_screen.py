"""The full-screen run sheet of `trainer facilitate` (Textual; imported only by that command).

It shows what a facilitator glances at during a session: the current segment with its time
left (amber at 2 minutes, red when over), what it is, who leads, its key point, slides and
materials; the next row; the day's drift against the agenda; the rest of the day. It fits
an 80x24 terminal, needs only keys (no mouse), and so works over SSH and in tmux.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from .delivery import Delivery, slide_ranges
from .facilitate import Session, _mmss, drift_words, minute, proposal_lines, row_label
from .schedule import clock as hhmm


class RebalanceScreen(ModalScreen[bool]):
    """The proposal, to accept (y) or leave (n)."""

    BINDINGS = [Binding("y", "accept", "apply"), Binding("n,escape", "reject", "leave as is")]
    DEFAULT_CSS = """
    RebalanceScreen { align: center middle; background: $background; }
    #proposal { width: 76; max-height: 20; border: round $accent; padding: 0 1; background: $surface; }
    """

    def __init__(self, lines: list[str]):
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        text = "\n".join(["Rebalance the rest of the day", *self.lines, "", "y: apply   n: leave as is"])
        yield Static(text, id="proposal", markup=False)

    def action_accept(self) -> None:
        self.dismiss(True)

    def action_reject(self) -> None:
        self.dismiss(False)


class FacilitateApp(App[None]):
    """The run sheet of one day, live."""

    TITLE = "trainer facilitate"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    Screen { layout: vertical; }
    #heading { height: 1; background: $primary; color: $text; padding: 0 1; }
    #current { height: auto; border: round $primary; padding: 0 1; }
    #countdown { height: 1; text-style: bold; }
    #countdown.amber { color: black; background: #ffb000; }
    #countdown.over { color: white; background: #c0002a; }
    #countdown.paused { color: $text-muted; }
    #details { height: auto; max-height: 12; }
    #drift.behind { color: #ffb000; }
    #next { height: auto; padding: 0 1; }
    #drift { height: 1; padding: 0 1; text-style: bold; }
    #later { height: 1fr; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("n,space,right", "next", "next"),
        Binding("b,left", "back", "back"),
        Binding("p", "pause", "pause"),
        Binding("plus,equals_sign", "plus", "+5"),
        Binding("minus", "minus", "-5"),
        Binding("x", "cut", "cut next"),
        Binding("r", "rebalance", "rebalance"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(self, session: Session, tick: float | None = 1.0):
        super().__init__()
        self.session = session
        self.tick = tick

    def compose(self) -> ComposeResult:
        yield Static(id="heading", markup=False)
        with Vertical(id="current"):
            yield Static(id="countdown", markup=False)
            yield Static(id="details", markup=False)
        yield Static(id="next", markup=False)
        yield Static(id="drift", markup=False)
        yield Static(id="later", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_view()
        if self.tick:
            self.set_interval(self.tick, self.refresh_view)

    # -- actions

    def _do(self, name: str) -> None:
        self.session.command(name)
        self.refresh_view()

    def action_next(self) -> None:
        self._do("next")

    def action_back(self) -> None:
        self._do("back")

    def action_pause(self) -> None:
        self._do("pause")

    def action_plus(self) -> None:
        self._do("plus")

    def action_minus(self) -> None:
        self._do("minus")

    def action_cut(self) -> None:
        self._do("cut")

    def action_rebalance(self) -> None:
        self.session.command("propose")
        assert self.session.proposal is not None
        indices, slots, proposal = self.session.proposal
        lines = proposal_lines(self.session.delivery, indices, slots, proposal, self.session.clock())

        def done(accepted: bool | None) -> None:
            self._do("accept" if accepted else "reject")

        self.push_screen(RebalanceScreen(lines), done)

    # -- the view

    def refresh_view(self) -> None:
        session = self.session
        delivery = session.delivery
        now = session.clock()
        heading = f"Day {delivery.day} · {now:%H:%M} · {delivery.title}"
        self.query_one("#heading", Static).update(Text(heading, no_wrap=True, overflow="ellipsis"))
        countdown = self.query_one("#countdown", Static)
        state = delivery.state(now)
        for name in ("amber", "over", "paused"):
            countdown.set_class(state == name, name)
        row = delivery.current
        details: list[str] = []
        if delivery.finished:
            countdown.update(f"Day {delivery.day} is over. The delivery log is in {session.path}.")
        elif row is None:
            first = delivery.rows[delivery.next_index or 0]
            countdown.update(f"Not started. First: {row_label(first)} at {hhmm(first.start)} — press n to start.")
        else:
            actual = delivery.actual[delivery.position]
            left = delivery.seconds_left(now) or 0.0
            timing = {"paused": f"PAUSED · {_mmss(left)} left", "over": f"OVER by {_mmss(-left)}"}.get(
                state, f"{_mmss(left)} left")
            countdown.update(f"{timing} of {actual.minutes} min · {row_label(row)}")
            planned = f"planned {hhmm(row.start)}–{hhmm(row.end)}"
            if row.summary:
                details.append(row.summary)
            if row.lead:
                details.append(f"Lead: {row.lead} · {planned}")
            else:
                details.append(planned)
            if row.key_point:
                details.append(f"Key point: {row.key_point}")
            if row.slides:
                details.append(f"Slides: {slide_ranges(row.slides)} (slides/session-{row.number}.pptx)")
            if row.materials:
                details.append("Materials: " + "; ".join(row.materials))
        self.query_one("#details", Static).update("\n".join(details))
        following = delivery.next_index
        if following is not None and row is not None:
            upcoming = delivery.rows[following]
            start = delivery.projected_end(now)
            self.query_one("#next", Static).update(
                f"Next {minute(start)}: {row_label(upcoming)} ({delivery.actual[following].minutes} min)")
        else:
            self.query_one("#next", Static).update("")
        if delivery.finished:
            self.query_one("#drift", Static).update("")
        else:
            end = delivery.day_end(now)
            agenda_end = hhmm(delivery.rows[-1].end) if delivery.rows else ""
            self.query_one("#drift", Static).set_class(delivery.drift(now) >= 5, "behind")
            self.query_one("#drift", Static).update(
                f"Drift: {drift_words(delivery.drift(now))} · day ends {minute(end)} (agenda {agenda_end})")
        self.query_one("#later", Static).update(self._later(delivery, now))

    @staticmethod
    def _later(delivery: Delivery, now: datetime) -> str:
        moment = delivery.projected_end(now)
        lines = []
        upcoming = delivery.upcoming()
        if delivery.current is not None and upcoming:
            moment += timedelta(minutes=delivery.actual[upcoming[0]].minutes)
            upcoming = upcoming[1:]
        for index in upcoming:
            minutes = delivery.actual[index].minutes
            lines.append(f"{minute(moment)}  {row_label(delivery.rows[index])} ({minutes} min)")
            moment += timedelta(minutes=minutes)
        cut = [delivery.rows[i] for i, a in enumerate(delivery.actual) if a.cut and i > delivery.position]
        if cut:
            lines.append("cut: " + ", ".join(row_label(r) for r in cut))
        return "\n".join(lines)
