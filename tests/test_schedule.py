"""The scheduler, on small fixtures and on random day templates, sessions and segment ranges."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.models import Day, Session
from trainer.models.course import SessionChoice
from trainer.schedule import PlannedSession, ScheduleError, clock, schedule


def make_session(number: int, segments: list[tuple[int, int, bool]], duration: str | None = None) -> Session:
    plan = [
        {"id": f"s{number}-g{i}", "title": f"Segment {i}", "minutes": f"{low}-{high}" if high > low else low, "optional": optional}
        for i, (low, high, optional) in enumerate(segments, start=1)
    ]
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
    return Day.model_validate({"start": start, "end": end, **kwargs})


def rows(agenda) -> list[tuple[int, str, str, str]]:  # type: ignore[no-untyped-def]
    out = []
    for d in agenda.days:
        for item in d.items:
            name = item.label or (f"{item.title}{' (continued)' if item.continued else ''}")
            out.append((d.number, clock(item.start), clock(item.end), name))
    return out


def test_a_session_that_does_not_fit_before_a_break_is_split_at_a_segment_boundary():
    s1 = make_session(1, [(30, 30, False), (40, 40, False), (30, 30, False)])
    agenda = schedule(planned(s1), [day("09:00", "12:00", breaks=[{"start": "10:30", "minutes": 15}])])
    assert rows(agenda) == [
        (1, "09:00", "10:30", "Session 1"),
        (1, "10:30", "10:45", "Break"),
        (1, "10:45", "12:00", "Session 1 (continued)"),
    ]
    first, second = agenda.sessions()
    assert [s.id for s in first.segments] == ["s1-g1", "s1-g2"]
    assert first.time_in_hand == 20
    assert [s.id for s in second.segments] == ["s1-g3"]


def test_a_split_over_days_is_marked_and_warned():
    s1 = make_session(1, [(60, 60, False)] * 3)
    agenda = schedule(planned(s1), [day("09:00", "11:00"), day("09:00", "11:00", recap=15)])
    assert rows(agenda) == [
        (1, "09:00", "11:00", "Session 1"),
        (2, "09:00", "09:15", "Daily recap"),
        (2, "09:15", "11:00", "Session 1 (continued)"),
    ]
    assert "session 1 is split over days 1 and 2" in agenda.warnings


def test_a_long_course_is_compressed_and_says_so():
    s1 = make_session(1, [(20, 60, False), (20, 60, False)])
    agenda = schedule(planned(s1), [day("09:00", "10:30")])
    segments = agenda.sessions()[0].segments
    assert sum(s.minutes for s in segments) <= 90
    assert all(20 <= s.minutes <= 60 for s in segments)
    assert agenda.changes[0].action == "shortened" and agenda.changes[0].reason == "the course is too long for its days"


def test_time_to_spare_adds_optional_segments():
    s1 = make_session(1, [(30, 30, False), (10, 10, True)])
    agenda = schedule(planned(s1), [day("09:00", "10:00")])
    assert [s.id for s in agenda.sessions()[0].segments] == ["s1-g1", "s1-g2"]
    assert [(c.action, c.segment) for c in agenda.changes] == [("added", "s1-g2")]


def test_a_course_that_cannot_fit_says_how_much_time_is_missing():
    s1 = make_session(1, [(300, 300, False)] * 3 + [(65, 65, False)])
    with pytest.raises(ScheduleError) as error:
        schedule(planned(s1), [day("09:00", "17:00", lunch={"start": "12:30", "minutes": 60})] * 2)
    assert str(error.value).startswith("the course needs at least 16 h 05 min of sessions; 2 day(s) give 14 h between breaks")
    assert "2 h 05 min missing" in str(error.value)


def test_pins_set_allotted_time_and_start():
    s1 = make_session(1, [(20, 20, False)])
    s2 = make_session(2, [(20, 40, False), (10, 10, True)])
    agenda = schedule(
        planned(s1, s2, **{"session-2": {"minutes": 75, "start": "10:00"}}),
        [day("09:00", "12:00")],
    )
    assert rows(agenda) == [(1, "09:00", "10:00", "Session 1"), (1, "10:00", "12:00", "Session 2")]
    second = agenda.sessions()[1]
    assert [s.minutes for s in second.segments] == [40, 10]  # the optional segment fits the allotment
    assert ("added", "s2-g2") in [(c.action, c.segment) for c in agenda.changes]


def test_includes_break_puts_a_break_inside_the_session():
    s1 = make_session(1, [(40, 40, False), (40, 40, False), (40, 40, False), (30, 30, False)])
    agenda = schedule(planned(s1, **{"session-1": {"includes_break": True}}), [day("09:00", "12:00")])
    item = agenda.sessions()[0]
    assert item.includes_break
    assert [(s.id, clock(s.start)) for s in item.segments][2] == ("break", "10:20")


def test_no_break_for_over_two_hours_is_warned():
    s1 = make_session(1, [(60, 60, False)] * 3)
    agenda = schedule(planned(s1), [day("09:00", "12:00")])
    assert "day 1: no break from 09:00 to 12:00 (3 h)" in agenda.warnings


# ------------------------------------------------------------------ properties

segment_ranges = st.tuples(st.integers(1, 40), st.integers(0, 30), st.booleans()).map(
    lambda t: (t[0], t[0] + t[1], t[2] and t[1] % 3 == 0)
)


@st.composite
def courses(draw):  # type: ignore[no-untyped-def]
    count = draw(st.integers(1, 6))
    sessions = [make_session(n, draw(st.lists(segment_ranges, min_size=1, max_size=6))) for n in range(1, count + 1)]
    days = []
    for n in range(draw(st.integers(1, 5))):
        start = draw(st.integers(8 * 60, 9 * 60 + 30))
        length = draw(st.integers(4 * 60, 9 * 60))
        spec = {"start": clock(start), "end": clock(start + length), "recap": 15 if n and draw(st.booleans()) else 0}
        spec["wrap_up"] = draw(st.sampled_from([0, 15]))
        if draw(st.booleans()):
            spec["breaks"] = [{"start": clock(start + draw(st.integers(60, 100))), "minutes": 15}]
        if length > 6 * 60 and draw(st.booleans()):
            spec["lunch"] = {"start": clock(start + draw(st.integers(180, 220))), "minutes": 60}
        days.append(day(**spec))
    return sessions, days


def _windows(days):  # type: ignore[no-untyped-def]
    from trainer.schedule import _day_frame

    return [w for n, d in enumerate(days, start=1) for w in _day_frame(d, n, n == len(days))[1]]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(courses())
def test_schedule_properties(course):  # type: ignore[no-untyped-def]
    sessions, days = course
    try:
        agenda = schedule(planned(*sessions), days)
    except ScheduleError:
        return
    for agenda_day, template in zip(agenda.days, days, strict=True):
        start = template.start.hour * 60 + template.start.minute
        end = template.end.hour * 60 + template.end.minute
        previous = start
        for item in agenda_day.items:
            assert start <= item.start <= item.end <= end, "item outside its day"
            assert item.start >= previous, "items overlap"
            previous = item.end
            cursor = item.start
            for segment in item.segments:
                assert segment.start >= cursor and segment.end <= item.end, "segment outside its agenda line"
                cursor = segment.end
    order = [int(item.session.split("-")[1]) for item in agenda.sessions()]
    assert order == sorted(order), "sessions out of order"
    placed = [segment.id for item in agenda.sessions() for segment in item.segments if segment.id != "break"]
    assert len(placed) == len(set(placed)), "a segment was scheduled twice"
    for session in sessions:
        for segment in session.plan:
            if not segment.optional:
                assert segment.id in placed, f"{segment.id} was not scheduled"
    ranges = {seg.id: seg.minutes for s in sessions for seg in s.plan}
    for item in agenda.sessions():
        for segment in item.segments:
            assert ranges[segment.id].low <= segment.minutes <= ranges[segment.id].high


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(courses())
def test_a_course_that_fits_at_its_minimum_is_scheduled(course):  # type: ignore[no-untyped-def]
    sessions, days = course
    windows = _windows(days)
    lows = [seg.minutes.low for s in sessions for seg in s.plan if not seg.optional]
    if not windows or not lows:
        return
    shortest = min(w.end - w.start for w in windows)
    longest_segment = max(lows)
    available = sum(w.end - w.start for w in windows)
    # Sufficient for any segment-by-segment packing: each window wastes less than one segment.
    if longest_segment <= shortest and sum(lows) + len(windows) * longest_segment <= available:
        schedule(planned(*sessions), days)
