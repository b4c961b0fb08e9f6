"""The content model: what the library and a course folder hold, validated by pydantic."""

from .assessment import Assessment
from .content import Activity, Example, Form, Handout, LocalContext, Module, Question, Segment, SegmentPart, Session, Slot, Source, Vocabulary
from .course import Course, Day, Programme
from .minutes import Minutes

__all__ = [
    "Activity",
    "Assessment",
    "Course",
    "Day",
    "Example",
    "Form",
    "Handout",
    "LocalContext",
    "Minutes",
    "Module",
    "Programme",
    "Question",
    "Segment",
    "SegmentPart",
    "Session",
    "Slot",
    "Source",
    "Vocabulary",
]
