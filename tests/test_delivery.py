"""Delivery: the run sheet of a day, rebalancing a drift (properties), the state of a day
being run, and its log (atomic, resumable, summarised for `plan --actual` and the report).

Every time comes from a clock the test holds: nothing here waits or reads the wall clock.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from trainer.delivery import (
    Delivery,
    DeliveryError,
    Slot,
    delivery_summary,
    first_unfinished_day,
    log_path,
    open_day,
    read_log,
    rebalance,
    run_sheet,
    save,
    slide_ranges,
    write_atomically,
)


@pytest.fixture(autouse=True)
def _built_in_library(monkeypatch):
    monkeypatch.delenv("TRAINER_LIBRARY", raising=False)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The guide's sample course (as `trainer init` makes it) and its prepared form."""
    from trainer.init import init_course
    from trainer.prepare import prepare

    folder = tmp_path_factory.mktemp("sample") / "course"
    init_course(folder, False)
    return folder, prepare(folder)


MORNING = datetime(2027, 5, 10, 8, 55)


# ---------------------------------------------------------------------------- the run sheet


def test_the_run_sheet_covers_the_day_without_gaps(sample):
    _folder, prepared = sample
    for day in prepared.agenda.days:
        rows = run_sheet(prepared, day.number)
        assert rows[0].start == day.start and rows[-1].end == day.end
        assert all(a.end == b.start for a, b in zip(rows, rows[1:], strict=False))
        assert len({row.key for row in rows}) == len(rows)
        for row in rows:
            assert 0 <= row.floor <= row.minutes <= row.high


def test_a_row_carries_what_the_facilitator_needs(sample):
    _folder, prepared = sample
    rows = {row.key: row for row in run_sheet(prepared, 1)}
    introductions = rows["session-1/introductions"]
    assert introductions.floor == 20 and introductions.high == 30  # floor: 20 in the session's YAML, range 15-30
    assert introductions.key_point.startswith("The room holds")
    assert introductions.lead == "facilitator and groups"
    assert any("bingo" in material for material in introductions.materials)
    assert rows["session-1/welcome"].slides == (3,)  # title, objectives, then the welcome's slide
    assert rows["break@10:30"].kind == "break" and not rows["break@10:30"].flexible
    assert rows["lunch@12:15"].floor == rows["lunch@12:15"].high == 60


def test_slide_ranges():
    assert slide_ranges((3, 4, 5, 9)) == "3-5, 9" and slide_ranges(()) == "" and slide_ranges((7,)) == "7"


def test_an_unknown_day_is_a_clear_error(sample):
    _folder, prepared = sample
    with pytest.raises(DeliveryError, match="--day 9: the course has 3 day"):
        run_sheet(prepared, 9)


# ---------------------------------------------------------------------------- rebalancing


@st.composite
def days(draw):
    """The rest of a day: segments (some optional, some time in hand) between fixed breaks,
    each with its floor, planned minutes and high end, and a drift to absorb."""
    slots = []
    window = 0
    for _ in range(draw(st.integers(1, 14))):
        if draw(st.integers(0, 5)) == 0:
            window += 1
            slots.append(Slot(draw(st.integers(5, 60)), 0, 0, window, flexible=False))
            window += 1
            continue
        slack = draw(st.integers(0, 7)) == 0
        minutes = draw(st.integers(1, 90))
        if slack:
            slots.append(Slot(minutes, 0, minutes, window, slack=True))
            continue
        floor = draw(st.integers(1, 90))
        high = draw(st.integers(1, 120))
        slots.append(Slot(minutes, floor, high, window, optional=draw(st.booleans())))
    return slots, draw(st.integers(-120, 180))


@settings(max_examples=400, deadline=None)
@given(days())
def test_rebalance_keeps_every_segment_within_its_floor_and_range(case):
    slots, overrun = case
    proposal = rebalance(slots, overrun)
    assert len(proposal.minutes) == len(slots)
    for index, (slot, minutes) in enumerate(zip(slots, proposal.minutes, strict=True)):
        if index in proposal.cut:
            assert slot.optional and slot.flexible and minutes == 0
            continue
        if not slot.flexible:
            assert minutes == slot.minutes  # breaks and fixed items never move
        assert slot.lower <= minutes <= slot.upper
        assert minutes >= min(slot.floor, slot.minutes) if slot.flexible else True
    # what is absorbed plus what is not is the drift, to the minute
    absorbed = sum(s.minutes for s in slots) - sum(proposal.minutes)
    assert absorbed + proposal.unabsorbed == overrun


@settings(max_examples=400, deadline=None)
@given(days())
def test_rebalance_leaves_a_drift_only_when_nothing_more_can_give(case):
    slots, overrun = case
    proposal = rebalance(slots, overrun)
    kept = [(s, m) for i, (s, m) in enumerate(zip(slots, proposal.minutes, strict=True)) if i not in proposal.cut]
    if proposal.unabsorbed > 0:  # still late: every segment at its floor, no optional one left to cut
        assert all(m == s.lower for s, m in kept)
        assert not any(s.optional and s.flexible for s, _m in kept)
    if proposal.unabsorbed < 0 and overrun < 0:  # still early: every segment at its high end
        assert all(m == s.upper for s, m in kept)
    if overrun == 0:
        assert proposal.minutes == tuple(s.minutes for s in slots) and not proposal.cut


@settings(max_examples=400, deadline=None)
@given(days())
def test_rebalance_catches_up_in_the_earliest_window_first(case):
    slots, overrun = case
    proposal = rebalance(slots, overrun)
    if proposal.cut:
        return  # cuts come only once every window is at its floor
    windows = sorted({s.window for s in slots})
    for position, window in enumerate(windows):
        later_changed = any(
            proposal.minutes[i] != s.minutes for i, s in enumerate(slots) if s.window in windows[position + 1:]
        )
        if later_changed:
            members = [(s, proposal.minutes[i]) for i, s in enumerate(slots) if s.window == window]
            bound = (lambda s: s.lower) if overrun > 0 else (lambda s: s.upper)
            assert all(m == bound(s) for s, m in members)


@settings(max_examples=200, deadline=None)
@given(days())
def test_rebalance_uses_time_in_hand_before_shortening_a_segment(case):
    slots, overrun = case
    if overrun <= 0:
        return
    proposal = rebalance(slots, overrun)
    for window in {s.window for s in slots}:
        members = [(i, s) for i, s in enumerate(slots) if s.window == window and i not in proposal.cut]
        shortened = any(proposal.minutes[i] < s.minutes for i, s in members if not s.slack)
        if shortened:
            assert all(proposal.minutes[i] == 0 for i, s in members if s.slack)


def test_rebalance_cuts_an_optional_segment_only_when_floors_are_not_enough():
    slots = [Slot(30, 20, 30, 0), Slot(10, 10, 10, 0, optional=True), Slot(15, 0, 0, 1, flexible=False), Slot(20, 15, 25, 2)]
    five_late = rebalance(slots, 5)
    assert five_late.cut == () and five_late.minutes[0] < 30 and five_late.unabsorbed == 0
    assert sum(slots[i].minutes - five_late.minutes[i] for i in range(4)) == 5
    twenty_late = rebalance(slots, 20)  # floors give 15: the optional segment goes, 5 are given back
    assert twenty_late.cut == (1,) and twenty_late.unabsorbed == 0
    assert sum(twenty_late.minutes) == sum(s.minutes for s in slots) - 20


# ---------------------------------------------------------------------------- a day being run


def _day(sample, number=1):
    folder, prepared = sample
    rows = run_sheet(prepared, number)
    return Delivery(prepared.title, number, None, rows)


def test_next_back_pause_and_five_minutes(sample):
    delivery = _day(sample)
    now = MORNING
    assert delivery.position == -1 and delivery.state(now) == "waiting"
    now += timedelta(minutes=5)
    delivery.next(now)  # 09:00: the welcome starts on time
    assert delivery.current.key == "session-1/welcome" and delivery.drift(now) == 0
    assert delivery.seconds_left(now + timedelta(minutes=7, seconds=59)) == 121
    assert delivery.state(now + timedelta(minutes=8)) == "amber"
    assert delivery.state(now + timedelta(minutes=10, seconds=1)) == "over"
    delivery.pause(now + timedelta(minutes=4))  # the fire alarm
    assert delivery.state(now + timedelta(minutes=20)) == "paused"
    delivery.pause(now + timedelta(minutes=14))  # 10 minutes paused
    assert delivery.seconds_left(now + timedelta(minutes=14)) == 6 * 60
    assert delivery.drift(now + timedelta(minutes=14)) == 10
    delivery.adjust(now + timedelta(minutes=14), 5)
    assert delivery.actual[0].minutes == 15 and delivery.drift(now + timedelta(minutes=14)) == 15
    delivery.adjust(now + timedelta(minutes=14), -5)
    now += timedelta(minutes=20)
    delivery.next(now)
    assert delivery.current.key == "session-1/introductions"
    delivery.back(now + timedelta(seconds=20))  # pressed too soon: the welcome goes on
    assert delivery.current.key == "session-1/welcome" and delivery.actual[0].ended is None
    assert delivery.actual[1].started is None


def test_rebalance_applied_brings_the_day_back_to_its_end(sample):
    delivery = _day(sample)
    now = MORNING + timedelta(minutes=5)
    delivery.next(now)
    now += timedelta(minutes=18)  # the welcome ran 8 minutes over
    delivery.next(now)
    assert delivery.overrun(now) == 8
    indices, slots, proposal = delivery.propose(now)
    delivery.apply(now, indices, proposal)
    assert delivery.overrun(now) == 0
    # the break still starts on time: the morning absorbed it all
    before_break = [i for i in indices if delivery.rows[i].start < 10 * 60 + 30]
    assert sum(delivery.actual[i].minutes for i in before_break) == sum(delivery.rows[i].minutes for i in before_break) - 8


def test_cut_segments_are_skipped(sample):
    delivery = _day(sample)
    now = MORNING
    delivery.next(now)
    delivery.cut(now, 1)
    delivery.next(now + timedelta(minutes=10))
    assert delivery.current.key == "session-1/expectations"
    assert delivery.actual[1].cut and delivery.actual[1].started is None


# ---------------------------------------------------------------------------- the log


def test_the_log_is_written_atomically_and_resumed(sample, tmp_path):
    folder, prepared = sample
    delivery = _day(sample)
    path = tmp_path / "delivery" / "day-1.yaml"
    delivery.next(MORNING)
    delivery.pause(MORNING + timedelta(minutes=2))
    delivery.adjust(MORNING + timedelta(minutes=2), 5)
    save(delivery, path)
    again = _day(sample)
    again.resume(read_log(path), str(path))
    assert again.position == 0 and again.actual[0].paused and again.actual[0].minutes == 15
    assert again.actual[0].started == MORNING
    assert [e.what for e in again.events] == [e.what for e in delivery.events]
    assert not [p for p in path.parent.iterdir() if p.name != "day-1.yaml"]  # no temporary file left


def test_a_write_that_fails_leaves_the_previous_log(tmp_path, monkeypatch):
    path = tmp_path / "day-1.yaml"
    write_atomically(path, "first\n")

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        write_atomically(path, "second\n")
    assert path.read_text() == "first\n"
    assert [p.name for p in tmp_path.iterdir()] == ["day-1.yaml"]


def test_the_temporary_file_never_follows_a_planted_link(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me\n")
    path = tmp_path / "day-1.yaml"
    (tmp_path / f".day-1.yaml.{os.getpid()}.0.tmp").symlink_to(target)
    write_atomically(path, "log\n")
    assert target.read_text() == "keep me\n" and path.read_text() == "log\n"


def test_a_log_of_another_agenda_is_refused_with_its_path(sample, tmp_path):
    delivery = _day(sample)
    path = tmp_path / "day-1.yaml"
    data = delivery.to_data()
    data["rows"][3]["key"] = "session-1/something-else"
    with pytest.raises(DeliveryError, match=r"day-1.yaml: the agenda of day 1 has changed.*row 4"):
        _day(sample).resume(data, str(path))
    with pytest.raises(DeliveryError, match="not a trainer delivery log"):
        _day(sample).resume({"rows": "x"}, str(path))
    bad = delivery.to_data()
    bad["rows"][0]["started"] = "yesterday"
    with pytest.raises(DeliveryError, match=r"rows\[1\].started: expected a date and time"):
        _day(sample).resume(bad, str(path))


def _run_whole_day(delivery: Delivery, start: datetime, over: dict[str, int]) -> datetime:
    """Run every row of the day, each as planned plus `over[key]` minutes."""
    now = start
    delivery.next(now)
    while not delivery.finished:
        row = delivery.current
        now += timedelta(minutes=delivery.actual[delivery.position].minutes + over.get(row.key, 0))
        delivery.next(now)
    return now


def test_delivery_summary_per_session(sample, tmp_path):
    from shutil import copytree

    folder = tmp_path / "course"
    copytree(sample[0], folder)
    _folder, prepared = sample
    delivery, path, resumed = open_day(prepared, folder, 1)
    assert not resumed
    delivery.cut(MORNING, 7)  # session 1's last segment
    _run_whole_day(delivery, datetime(2027, 5, 10, 9, 0), {"session-2/migrant-stories": 10})
    save(delivery, path)
    summary = {s.session: s for s in delivery_summary(folder, prepared)}
    assert summary["session-2"].actual_minutes == summary["session-2"].planned_minutes + 10
    assert summary["session-2"].over == 10
    assert summary["session-1"].cut == ("How common is migration?",)
    assert summary["session-1"].actual_minutes == summary["session-1"].planned_minutes - 10
    assert first_unfinished_day(prepared, folder) == 2
    assert log_path(folder, 1) == path


def test_plan_actual(cli, sample, tmp_path):
    from shutil import copytree

    folder = tmp_path / "course"
    copytree(sample[0], folder)
    code, out, _ = cli("plan", folder, "--actual")
    assert code == 0 and "no delivery log yet" in out
    delivery, path, _ = open_day(sample[1], folder, 1)
    _run_whole_day(delivery, datetime(2027, 5, 10, 9, 0), {"session-2/migrant-stories": 10})
    save(delivery, path)
    code, out, _ = cli("plan", folder, "--actual")
    assert code == 0
    line = next(line for line in out.splitlines() if "An introduction to international migration" in line)
    assert "10:45" in line and "10:45" in line.split("10:45", 1)[1] and "+10" in line
    code, out, _ = cli("plan", folder, "--actual", "--json")
    import json

    data = json.loads(out)
    assert {"day": 1, "session": "session-2", "over": 10}.items() <= next(s for s in data if s["session"] == "session-2").items()
    path.write_text("rows: [", encoding="utf-8")
    code, _, err = cli("plan", folder, "--actual")
    assert code == 1 and "day-1.yaml: cannot be read as a delivery log" in err
