"""The content model: durations, strict keys, nesting, choices, forms."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from trainer.models import Course, Form, Minutes, Segment, Session
from trainer.models.minutes import format_minutes


@pytest.mark.parametrize(
    ("text", "low", "high", "shown"),
    [
        (10, 10, 10, "10"),
        ("10", 10, 10, "10"),
        ("15-30", 15, 30, "15-30"),
        ("15–30 minutes", 15, 30, "15-30"),
        ("<5", 1, 5, "<5"),
        ("1 hour", 60, 60, "60"),
        ("1-1.5 hours", 60, 90, "60-90"),
        ("2.5 hours", 150, 150, "150"),
        ("4 hours 15 minutes", 255, 255, "255"),
    ],
)
def test_minutes_keep_both_ends(text, low, high, shown):
    minutes = Minutes.parse(text)
    assert (minutes.low, minutes.high, str(minutes)) == (low, high, shown)


@pytest.mark.parametrize("bad", ["ten", "30-15", "0", "-5", "", "1.25 minutes", True, None, "25 hours"])
def test_minutes_refuse_nonsense(bad):
    with pytest.raises(ValueError):
        Minutes.parse(bad)


def test_upper_bound_is_marked():
    assert Minutes.parse("<5").upper_bound
    assert Minutes.parse("<5").describe() == "<5 min"


def test_format_minutes():
    assert [format_minutes(m) for m in (45, 60, 90, 985)] == ["45 min", "1 h", "1 h 30 min", "16 h 25 min"]


SESSION = {
    "id": "session-1",
    "number": 1,
    "module": "module-1",
    "title": "T",
    "duration": "1 hour",
    "aim": "A",
    "objectives": ["O"],
    "plan": [{"id": "a", "title": "A", "minutes": "15-30"}],
    "sources": [{"doc": "X"}],
}


def test_unknown_keys_are_errors():
    with pytest.raises(ValidationError) as error:
        Session.model_validate({**SESSION, "titel": "x"})
    assert error.value.errors()[0]["type"] == "extra_forbidden"


def test_segments_nest_one_level_only():
    segment = Segment.model_validate(
        {"id": "s", "title": "S", "minutes": 45, "parts": [{"id": "p", "title": "P", "minutes": 20}]}
    )
    assert segment.parts[0].minutes.high == 20
    with pytest.raises(ValidationError):
        Segment.model_validate(
            {
                "id": "s",
                "title": "S",
                "minutes": 45,
                "parts": [{"id": "p", "title": "P", "minutes": 20, "parts": [{"id": "q", "title": "Q", "minutes": 5}]}],
            }
        )


def test_segment_takes_an_activity_or_a_choice_not_both():
    with pytest.raises(ValidationError, match="either 'activity' or 'choice'"):
        Segment.model_validate(
            {"id": "s", "title": "S", "minutes": 5, "activity": "a", "choice": [{"activity": "b"}]}
        )


def test_planned_minutes_leave_out_optional_segments():
    session = Session.model_validate(
        {
            **SESSION,
            "plan": [
                {"id": "a", "title": "A", "minutes": "15-30"},
                {"id": "b", "title": "B", "minutes": "<5"},
                {"id": "c", "title": "C", "minutes": 20, "optional": True},
            ],
        }
    )
    assert session.planned_minutes() == Minutes(16, 35)
    assert session.planned_minutes(include_optional=True) == Minutes(36, 55)


def test_course_text_stays_text_and_times_are_clock_times():
    course = Course.model_validate({"country": "NO", "days": [{"start": "09:00", "end": "17:15"}]})
    assert course.country == "NO"
    assert course.days[0].end.hour == 17 and course.days[0].end.minute == 15


def test_course_refuses_a_day_that_ends_before_it_starts():
    with pytest.raises(ValidationError, match="ends"):
        Course.model_validate({"days": [{"start": "17:00", "end": "09:00"}]})


def test_sessions_may_be_ids_or_pinned_entries():
    course = Course.model_validate({"sessions": ["session-1", {"id": "session-2", "minutes": 90}]})
    assert course.sessions[0].id == "session-1" and course.sessions[0].minutes is None
    assert course.sessions[1].minutes == Minutes(90, 90)


def test_choice_questions_need_options():
    base = {"id": "f", "title": "F", "kind": "end-of-day", "sources": [{"doc": "X"}]}
    with pytest.raises(ValidationError, match="at least two options"):
        Form.model_validate({**base, "sections": [{"title": "S", "questions": [{"id": "q", "text": "Q", "type": "single", "level": "profile"}]}]})
