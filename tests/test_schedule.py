"""The scheduler, on small fixtures and on random day templates, sessions and segment ranges."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.models import Day, Session
from trainer.models.course import SessionChoice
from trainer.schedule import BREAK_LIMIT, SHORTEST_PART, PlannedSession, ScheduleError, clock, schedule


def make_session(number: int, segments: list[tuple], duration: str | None = None) -> Session:
    """segments: (low, high, optional[, pause_after[, floor]]); pause_after defaults to True."""
    plan = []
    for i, spec in enumerate(segments, start=1):
        low, high, optional = spec[:3]
        entry = {"id": f"s{number}-g{i}", "title": f"Segment {i}", "minutes": f"{low}-{high}" if high > low else low,
                 "optional": optional, "pause_after": spec[3] if len(spec) > 3 else True}
        if len(spec) > 4:
            entry["floor"] = spec[4]
        plan.append(entry)
    low = sum(s[0] for s in segments if not s[2]) or 1
    high = sum(s[1] for s in segments if not s[2]) or 1
    return Session.model_validate(
        {
            "id": f"session-{number}",
            "number": number,
            "module": "module-1",
            "title": f"Session {number}",
            "duration": duration or (f"{low}-{high}" if high > low else str(low)),
            "aim": "A",
            "objectives": ["O"],
            "plan": plan,
            "sources": [{"doc": "TEST"}],
        }
    )


def planned(*sessions: Session, **pins) -> list[PlannedSession]:  # type: ignore[no-untyped-def]
    return [PlannedSession(s, SessionChoice(id=s.id, **pins.get(s.id, {}))) for s in sessions]


def day(start: str, end: str, **kwargs) -> Day:  # type: ignore[no-untyped-def]
    """A day with nothing but what the test gives: no recap, wrap-up, close or breaks."""
    spec = {"recap": 0, "wrap_up": 0, "close": 0, "breaks": "none", **kwargs}
    return Day.model_validate({"start": start, "end": end, **spec})


def rows(agenda) -> list[tuple[int, str, str, str]]:  # type: ignore[no-untyped-def]
    out = []
    for d in agenda.days:
        for item in d.items:
            name = item.label or (f"{item.title}{' (continued)' if item.continued else ''}")
            out.append((d.number, clock(item.start), clock(item.end), name))
    return out


def test_a_session_is_split_at_a_good_place_to_pause():
    s1 = make_session(1, [(30, 30, False), (40, 40, False), (30, 30, False)])
    agenda = schedule(planned(s1), [day("09:00", "12:00", breaks=[{"start": "10:30", "minutes": 15}])])
    assert rows(agenda)[:3] == [
        (1, "09:00", "10:30", "Session 1"),
        (1, "10:30", "10:45", "Break"),
        (1, "10:45", "12:00", "Session 1 (continued)"),
    ]
    first, second = agenda.sessions()
    assert [s.id for s in first.segments] == ["s1-g1", "s1-g2"] and first.time_in_hand == 20
    assert [s.id for s in second.segments] == ["s1-g3"] and second.time_in_hand == 45


def test_a_session_is_never_split_where_the_content_does_not_allow_it():
    s1 = make_session(1, [(30, 30, False, False), (40, 40, False, False), (30, 30, False)])
    agenda = schedule(planned(s1), [day("09:00", "12:30", breaks=[{"start": "10:30", "minutes": 15}])])
    assert [(clock(i.start), i.kind) for i in agenda.days[0].items] == [
        ("09:00", "time-in-hand"), ("10:30", "break"), ("10:45", "session"),
    ]
    assert len(agenda.sessions()) == 1


def test_no_part_of_a_split_session_is_under_twenty_minutes():
    s1 = make_session(1, [(10, 10, False), (50, 50, False), (40, 40, False)])
    agenda = schedule(planned(s1), [day("09:00", "12:00", breaks=[{"start": "09:15", "minutes": 15}])])
    parts = agenda.sessions()
    assert all(p.end - p.start - p.time_in_hand >= SHORTEST_PART for p in parts), rows(agenda)
    assert clock(parts[0].start) == "09:30"


def test_a_session_that_would_be_split_overnight_moves_to_the_next_day():
    s1 = make_session(1, [(120, 120, False)])
    s2 = make_session(2, [(60, 60, False), (60, 60, False)])
    agenda = schedule(planned(s1, s2), [day("09:00", "12:00"), day("09:00", "12:00")])
    assert [(d.number, i.session) for d in agenda.days for i in d.items if i.kind == "session"] == [
        (1, "session-1"), (2, "session-2")]
    assert ("moved", "session-2") in [(c.action, c.session) for c in agenda.changes]
    assert not [w for w in agenda.warnings if "split over days" in w]


def test_a_split_over_days_that_cannot_be_avoided_is_warned():
    s1 = make_session(1, [(60, 60, False)] * 3)
    agenda = schedule(planned(s1), [day("09:00", "11:00"), day("09:00", "11:00", recap=15)])
    assert rows(agenda)[:3] == [
        (1, "09:00", "11:00", "Session 1"),
        (2, "09:00", "09:15", "Daily recap"),
        (2, "09:15", "11:00", "Session 1 (continued)"),
    ]
    assert agenda.sessions()[1].time_in_hand == 45
    assert "session 1 is split over days 1 and 2" in agenda.warnings


def test_a_long_course_is_shortened_towards_its_floors_and_never_below():
    s1 = make_session(1, [(20, 60, False, True, 15), (20, 60, False, True, 15)])
    agenda = schedule(planned(s1), [day("09:00", "09:40")])
    segments = agenda.sessions()[0].segments
    assert [s.minutes for s in segments] == [20, 20]
    agenda = schedule(planned(s1), [day("09:00", "09:32")])
    assert sorted(s.minutes for s in agenda.sessions()[0].segments) == [16, 16]
    assert {c.action for c in agenda.changes} == {"shortened"}
    with pytest.raises(ScheduleError):
        schedule(planned(s1), [day("09:00", "09:29")])


def test_time_to_spare_stretches_within_ranges_adds_optional_segments_and_names_the_rest():
    s1 = make_session(1, [(30, 40, False), (10, 10, True)], duration="30")
    agenda = schedule(planned(s1), [day("09:00", "10:30")])
    item = agenda.sessions()[0]
    assert [(s.id, s.minutes) for s in item.segments] == [("s1-g1", 40), ("s1-g2", 10)]
    assert [(c.action, c.segment, c.minutes) for c in agenda.changes] == [("added", "s1-g2", 10)]
    assert item.time_in_hand == 40 and item.end - item.start == 90


def test_a_course_that_cannot_fit_says_how_much_time_is_missing_and_what_to_move():
    s1 = make_session(1, [(300, 300, False)] * 3 + [(65, 65, False)])
    s2 = make_session(2, [(60, 60, False)])
    with pytest.raises(ScheduleError) as error:
        schedule(planned(s1, s2), [day("09:00", "17:00", lunch={"start": "12:30", "minutes": 60})] * 2)
    message = str(error.value)
    assert message.startswith("the course needs at least 17 h 05 min of sessions at their shortest; 2 day(s) give 14 h")
    assert "3 h 05 min missing" in message and "move session 1 to another course" in message


def test_pins_set_allotted_time_and_start():
    s1 = make_session(1, [(20, 20, False)])
    s2 = make_session(2, [(20, 40, False), (10, 10, True)])
    agenda = schedule(planned(s1, s2, **{"session-2": {"minutes": 75, "start": "10:00"}}), [day("09:00", "12:00")])
    assert rows(agenda) == [(1, "09:00", "10:00", "Session 1"), (1, "10:00", "12:00", "Session 2")]
    assert [s.minutes for s in agenda.sessions()[1].segments] == [40]
    assert agenda.sessions()[1].time_in_hand == 80


def test_includes_break_puts_the_break_at_the_good_place_to_pause_nearest_the_middle():
    s1 = make_session(1, [(40, 40, False, False), (40, 40, False, True), (40, 40, False, False), (30, 30, False)])
    agenda = schedule(planned(s1, **{"session-1": {"includes_break": True}}), [day("09:00", "12:00")])
    item = agenda.sessions()[0]
    assert item.includes_break
    assert [(s.id, clock(s.start)) for s in item.segments][2] == ("break", "10:20")


def test_a_day_without_breaks_gets_the_guides_pattern():
    s1 = make_session(1, [(45, 45, False)] * 4)
    s2 = make_session(2, [(45, 45, False)] * 4)
    days = [Day.model_validate({"start": "08:30", "end": "17:30", "lunch": {"start": "12:45", "minutes": 60}})]
    agenda = schedule(planned(s1, s2), days)
    kinds = [(clock(i.start), i.kind) for i in agenda.days[0].items]
    breaks = [start for start, kind in kinds if kind == "break"]
    assert len(breaks) == 2 and "10:00" <= breaks[0] <= "11:15" and "14:45" <= breaks[1] <= "16:15", kinds
    assert kinds[-1] == ("17:00", "close")
    assert not [w for w in agenda.warnings if "no break" in w]


def test_breaks_none_means_no_breaks_and_a_warning():
    s1 = make_session(1, [(60, 60, False)] * 3)
    agenda = schedule(planned(s1), [day("09:00", "12:00")])
    assert "day 1: no break from 09:00 to 12:00 (3 h)" in agenda.warnings


def test_the_plan_given_is_not_changed():
    s1 = make_session(1, [(30, 30, False), (10, 10, True)])
    plan = planned(s1)
    agenda = schedule(plan, [day("09:00", "10:30")])
    assert plan[0].optional_included == set() and agenda.plan[0].optional_included == {"s1-g2"}


# ------------------------------------------------------------------ properties

segment_specs = st.tuples(st.integers(3, 45), st.integers(0, 30), st.booleans(), st.booleans()).map(
    lambda t: (t[0], t[0] + t[1], t[2] and t[1] % 3 == 0, t[3])
)


@st.composite
def courses(draw):  # type: ignore[no-untyped-def]
    count = draw(st.integers(1, 5))
    sessions = [make_session(n, draw(st.lists(segment_specs, min_size=1, max_size=6))) for n in range(1, count + 1)]
    days = []
    for n in range(draw(st.integers(1, 4))):
        start = draw(st.integers(8 * 60, 9 * 60 + 30))
        length = draw(st.integers(4 * 60, 9 * 60))
        spec: dict = {"start": clock(start), "end": clock(start + length)}  # type: ignore[type-arg]
        if draw(st.booleans()):
            spec["breaks"] = [{"start": clock(start + draw(st.integers(60, 100))), "minutes": 15}]
        if length > 6 * 60 and draw(st.booleans()):
            spec["lunch"] = {"start": clock(start + draw(st.integers(180, 220))), "minutes": 60}
        days.append(Day.model_validate(spec))
    return sessions, days


def check_properties(agenda, sessions) -> None:  # type: ignore[no-untyped-def]
    for agenda_day in agenda.days:
        cursor = agenda_day.start
        for item in agenda_day.items:
            assert item.start == cursor, f"day {agenda_day.number}: {clock(cursor)}-{clock(item.start)} is not accounted for"
            cursor = item.end
            inner = item.start
            for segment in item.segments:
                assert segment.start >= inner and segment.end <= item.end, "segment outside its agenda line"
                inner = segment.end
        assert cursor == agenda_day.end, f"day {agenda_day.number} ends at {clock(cursor)}, not {clock(agenda_day.end)}"
    order = [int(item.session.split("-")[1]) for item in agenda.sessions()]
    assert order == sorted(order), "sessions out of order"
    placed = [segment.id for item in agenda.sessions() for segment in item.segments if segment.id != "break"]
    assert len(placed) == len(set(placed)), "a segment was scheduled twice"
    floors = {seg.id: seg.shortest for s in sessions for seg in s.plan}
    highs = {seg.id: seg.minutes.high for s in sessions for seg in s.plan}
    for session in sessions:
        for segment in session.plan:
            if not segment.optional:
                assert segment.id in placed, f"{segment.id} was not scheduled"
    for item in agenda.sessions():
        for segment in item.segments:
            if segment.id != "break":
                assert floors[segment.id] <= segment.minutes <= highs[segment.id], (segment.id, segment.minutes)
    by_session: dict[str, list] = {}  # type: ignore[type-arg]
    for item in agenda.sessions():
        by_session.setdefault(item.session, []).append(item)
    for items in by_session.values():
        if len(items) > 1:
            assert all(i.end - i.start - i.time_in_hand >= SHORTEST_PART for i in items), "a fragment under 20 minutes"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(courses())
def test_schedule_properties(course):  # type: ignore[no-untyped-def]
    sessions, days = course
    try:
        agenda = schedule(planned(*sessions), days)
    except ScheduleError:
        return
    check_properties(agenda, sessions)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(courses())
def test_a_course_with_room_to_spare_is_scheduled(course):  # type: ignore[no-untyped-def]
    """Sufficient for any packing: every session fits in any window with room for a break,
    and the days hold twice what the sessions need at the top of their ranges."""
    sessions, days = course
    from trainer.schedule import _day_frame, resolve_days

    resolved = resolve_days(days, None)
    windows = [w for n, d in enumerate(resolved, start=1) for w in _day_frame(d, n, n == len(resolved))[1]]
    if not windows:
        return
    highs = [sum(seg.minutes.high for seg in s.plan) for s in sessions]
    shortest = min(w.end - w.start for w in windows)
    if max(highs) + 2 * 15 <= shortest and 2 * sum(highs) <= sum(w.end - w.start for w in windows) - 15 * len(windows):
        schedule(planned(*sessions), days)


def test_no_stretch_runs_past_the_break_limit_when_the_scheduler_places_the_breaks():
    sessions = [make_session(n, [(30, 40, False)] * 4) for n in range(1, 5)]
    days = [Day.model_validate({"start": "08:30", "end": "17:30", "lunch": {"start": "12:30", "minutes": 60}})] * 2
    agenda = schedule(planned(*sessions), days)
    for agenda_day in agenda.days:
        stretch = agenda_day.start
        for item in agenda_day.items:
            if item.kind in ("break", "lunch", "time-in-hand"):
                stretch = item.end
                continue
            facilitated = item.end - item.time_in_hand
            assert facilitated - stretch <= BREAK_LIMIT + 15, (agenda_day.number, clock(stretch), clock(item.end))
            if item.time_in_hand:
                stretch = item.end
