"""`trainer facilitate`: a whole day of the sample course driven through the Textual screen
with its Pilot (next, pause, +5, rebalance), the delivery log it leaves, the plain mode, and
a real process killed mid-segment and resumed.

The app is given a clock the test moves; nothing here depends on the wall clock.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from trainer.delivery import open_day
from trainer.facilitate import PlainRun, Session, run_plain

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _built_in_library(monkeypatch):
    monkeypatch.delenv("TRAINER_LIBRARY", raising=False)


@pytest.fixture
def course(tmp_path):
    from trainer.init import init_course

    folder = tmp_path / "course"
    init_course(folder, False)
    return folder


class Clock:
    """The facilitator's clock, moved by the test."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


def _session(folder: Path, clock: Clock, day: int = 1) -> tuple[Session, bool]:
    from trainer.prepare import prepare

    delivery, path, resumed = open_day(prepare(folder), folder, day)
    return Session(delivery, path, clock), resumed


def _log(folder: Path, day: int = 1) -> dict:
    return yaml.safe_load((folder / "delivery" / f"day-{day}.yaml").read_text(encoding="utf-8"))


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _text(app, selector: str) -> str:
    return str(app.query_one(selector).render())


def _times_add_up(log: dict) -> None:
    """Every row run has a start and an end; each starts when the one before it ended; the
    rows' durations add up to the day from first start to last end."""
    ran = [row for row in log["rows"] if row["started"]]
    assert all(row["ended"] for row in ran)
    for before, after in zip(ran, ran[1:], strict=False):
        assert after["started"] == before["ended"], (before["key"], after["key"])
    total = sum((_moment(r["ended"]) - _moment(r["started"])).total_seconds() for r in ran)
    assert total == (_moment(ran[-1]["ended"]) - _moment(ran[0]["started"])).total_seconds()
    for row in log["rows"]:
        if not row["started"]:
            assert row["cut"], row["key"]  # a row that did not run was cut


def test_a_whole_day_through_the_screen(course):
    from trainer.facilitate_screen import FacilitateApp

    clock = Clock(datetime(2027, 5, 10, 8, 52))
    session, resumed = _session(course, clock)
    assert not resumed
    app = FacilitateApp(session, tick=None)
    rows = session.delivery.rows

    async def drive() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "Not started" in _text(app, "#countdown")
            clock.advance(8)
            await pilot.press("n")  # 09:00, the welcome
            clock.advance(8)
            app.refresh_view()
            countdown = app.query_one("#countdown")
            assert countdown.has_class("amber") and "2:00 left of 10 min" in _text(app, "#countdown")
            assert "Key point: Participants know why the course is held" in _text(app, "#details")
            assert "Slides: 3 (slides/session-1.pptx)" in _text(app, "#details")
            assert "Next 09:10: Session 1 · Introductions (30 min)" in _text(app, "#next")
            # everything fits an 80 x 24 terminal, the footer's keys included
            for selector in ("#heading", "#current", "#next", "#drift", "Footer"):
                region = app.query_one(selector).region
                assert region.right <= 80 and region.bottom <= 24, selector
            clock.advance(3)
            app.refresh_view()
            assert countdown.has_class("over") and "OVER by 1:00" in _text(app, "#countdown")
            await pilot.press("n")  # 09:11, introductions, one minute late
            await pilot.press("plus")  # they need five more minutes
            assert "Drift: 6 min behind the agenda" in _text(app, "#drift")
            clock.advance(10)
            await pilot.press("p")  # a pause of 4 minutes (the projector)
            clock.advance(4)
            app.refresh_view()
            assert countdown.has_class("paused") and "PAUSED" in _text(app, "#countdown")
            await pilot.press("p")
            assert "Drift: 10 min behind the agenda" in _text(app, "#drift")
            assert "day ends 17:25 (agenda 17:15)" in _text(app, "#drift")
            await pilot.press("r")
            await pilot.pause()
            proposal = str(app.screen.query_one("#proposal").render())
            assert "The day would end 10 min late." in proposal and "->" in proposal
            await pilot.press("y")
            await pilot.pause()
            assert "day ends 17:15 (agenda 17:15)" in _text(app, "#drift")
            clock.advance(25)  # introductions end after their 35 minutes
            await pilot.press("n")
            # the rest of the day as planned (as rebalanced)
            while not session.delivery.finished:
                clock.advance(session.delivery.actual[session.delivery.position].minutes)
                await pilot.press("n")
            assert "Day 1 is over" in _text(app, "#countdown")
            await pilot.press("q")

    asyncio.run(drive())
    log = _log(course)
    _times_add_up(log)
    first, last = log["rows"][0], log["rows"][-1]
    assert first["started"] == "2027-05-10T09:00:00"
    assert last["ended"] == "2027-05-10T17:15:00"  # the rebalance absorbed the 10 minutes
    introductions = next(r for r in log["rows"] if r["key"] == "session-1/introductions")
    assert introductions["minutes"] == 35 and introductions["pauses"] == [["2027-05-10T09:21:00", "2027-05-10T09:25:00"]]
    break_row = next(r for r in log["rows"] if r["key"] == "break@10:30")
    assert break_row["started"] == "2027-05-10T10:30:00"  # the morning caught up before the break
    assert any(e["what"].startswith("rebalanced: ") for e in log["events"])
    assert len(log["rows"]) == len(rows)


def test_killed_mid_segment_then_resumed_on_the_screen(course):
    """A real `trainer facilitate --plain` process is killed (SIGKILL) in the middle of the
    second segment; the log it leaves is whole, and the screen resumes from it."""
    from trainer.facilitate_screen import FacilitateApp

    process = subprocess.Popen(
        [sys.executable, "-m", "trainer", "facilitate", str(course), "--plain"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=course.parent,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    log_file = course / "delivery" / "day-1.yaml"
    try:
        process.stdin.write("n\n")
        process.stdin.flush()
        process.stdin.write("n\n")
        process.stdin.flush()
        for _ in range(600):  # up to a minute on a busy machine
            if log_file.is_file() and _log(course)["rows"][1]["started"]:
                break
            time.sleep(0.1)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    log = _log(course)  # whole YAML: never half-written
    second = log["rows"][1]
    assert second["key"] == "session-1/introductions" and second["started"] and not second["ended"]
    assert [p.name for p in log_file.parent.iterdir()] == ["day-1.yaml"]
    started = _moment(second["started"])
    clock = Clock(started + timedelta(minutes=12))
    session, resumed = _session(course, clock)
    assert resumed and session.delivery.position == 1
    app = FacilitateApp(session, tick=None)

    async def drive() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "18:00 left of 30 min · Session 1 · Introductions" in _text(app, "#countdown")
            clock.advance(18)
            await pilot.press("n")
            await pilot.press("q")

    asyncio.run(drive())
    log = _log(course)
    assert log["rows"][1]["started"] == second["started"]  # the start survived the kill
    assert _moment(log["rows"][1]["ended"]) == started + timedelta(minutes=30)
    assert log["rows"][2]["started"] == log["rows"][1]["ended"]


def test_plain_mode_prints_a_line_per_change(course):
    clock = Clock(datetime(2027, 5, 10, 9, 0))
    session, _resumed = _session(course, clock)
    lines: list[str] = []
    runner = PlainRun(session, lines.append)
    runner.start(False)
    assert "day 1 not started; first: Session 1 · Welcome to the course at 09:00" in lines[-1]
    runner.handle("n")
    assert lines[-1] == ("09:00; now: Session 1 · Welcome to the course, 10 min, 10:00 left; slides 3; "
                         "next: Session 1 · Introductions; on time")
    clock.advance(8)
    runner.tick()
    assert lines[-1] == "09:08 2 minutes left: Session 1 · Welcome to the course"
    count = len(lines)
    runner.tick()
    assert len(lines) == count  # said once
    clock.advance(3)
    runner.tick()
    assert lines[-1] == "09:11 over time: Session 1 · Welcome to the course"
    runner.handle("+")
    assert "15 min, 4:00 left" in lines[-1]
    runner.handle("r")
    assert lines[-1] == "y to apply, no to leave as is" and any("-> " in line for line in lines[-6:])
    runner.handle("y")
    assert lines[-2] == "rebalanced" and "on time" not in lines[-1]
    runner.handle("zz")
    assert lines[-1].startswith("unknown command 'zz'")
    assert runner.handle("q") is False
    log = _log(course)
    assert log["rows"][0]["minutes"] == 15


def test_plain_mode_through_the_command_line(cli, course):
    from typer.testing import CliRunner

    from trainer.cli import app

    result = CliRunner().invoke(app, ["facilitate", str(course), "--plain"], input="n\ns\nq\n")
    assert result.exit_code == 0, result.output
    assert "now: Session 1 · Welcome to the course" in result.output
    assert "quit; the delivery log is saved" in result.output
    result = CliRunner().invoke(app, ["facilitate", str(course), "--plain"], input="q\n")
    assert "resumed day 1 from" in result.output


def test_facilitate_needs_a_course_folder_and_a_real_day(cli, course, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("facilitate")
    assert code == 1 and "keeps its delivery log in a course folder" in err
    code, _, err = cli("facilitate", course, "--day", "9", "--plain")
    assert code == 1 and "--day 9: the course has 3 day(s)" in err
    (course / "delivery").mkdir()
    (course / "delivery" / "day-1.yaml").write_text("trainer_delivery_log: 1\nday: 2\nrows: []\n", encoding="utf-8")
    code, _, err = cli("facilitate", course, "--day", "1", "--plain")
    assert code == 1 and "day-1.yaml: the log of day 2, not of day 1" in err


def test_light_commands_do_not_load_textual_or_selenium(tmp_path):
    code = (
        "import sys; from trainer.cli import app\n"
        "for command in (['check'], ['plan']):\n"
        "    try:\n        app(command)\n    except SystemExit:\n        pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'selenium')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_plain_mode_reads_lines(course):
    clock = Clock(datetime(2027, 5, 10, 9, 0))
    session, _ = _session(course, clock)
    said: list[str] = []
    run_plain(session, False, ["n", "p", "p", "b", "q"], said.append)
    assert any("paused" in line for line in said)
    assert session.delivery.position == -1  # back before the start
