"""Adaptation: from the loaded course to the plan the scheduler places.

This stage decides which sessions run, with which segments and alternatives, and what the
course pins. Rules driven by the needs assessment hook in here, each recording its change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .loader import CourseInput
from .models import Day
from .schedule import PlannedSession


@dataclass
class CoursePlan:
    """What the scheduler needs: the sessions in order, the days, the first date."""

    sessions: list[PlannedSession]
    days: list[Day]
    start_date: date | None
    notes: list[str] = field(default_factory=list)


def plan_course(course_input: CourseInput) -> CoursePlan:
    """The course's sessions, as course.yaml orders and pins them."""
    sessions = course_input.library.sessions
    planned = [PlannedSession(sessions[choice.id], choice) for choice in course_input.course.sessions]
    return CoursePlan(planned, list(course_input.course.days), course_input.course.start_date)
