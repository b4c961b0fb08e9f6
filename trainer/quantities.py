"""How many of everything: participants, working groups, tables, and print counts."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .loader import CourseInput

GROUP_SIZE = 6
"""Working groups of five or six: the guide's room has about five tables seating five to six
(HR/P/PT/26, "Training venue", p. 7)."""


@dataclass(frozen=True)
class Counts:
    participants: int
    groups: int
    tables: int
    facilitators: int

    def of(self, per: str, quantity: int = 1) -> int:
        unit = {
            "participant": self.participants,
            "group": self.groups,
            "table": self.tables,
            "facilitator": self.facilitators,
            "room": 1,
        }[per]
        return unit * quantity


def counts(course_input: CourseInput) -> Counts:
    """Participants from the list, else the expected number, else the assessment's number."""
    course = course_input.course
    participants = len(course.participants) or course.participants_expected or course_input.assessment.participants.number
    groups = course.groups or max(1, math.ceil(participants / GROUP_SIZE))
    facilitators = max(2, len(course.trainers))
    return Counts(participants, groups, groups, facilitators)
