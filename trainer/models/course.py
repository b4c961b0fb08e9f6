"""A facilitator's course (course.yaml) and the guide's description of the course as a whole."""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from .base import MAX_DAYS, MAX_PARTICIPANTS, CourseDate, Id, Line, Strict, Text, Title
from .content import Source
from .minutes import Minutes

_CLOCK = re.compile(r"^(?P<h>\d{1,2})[:.h](?P<m>\d{2})$")


def _clock(value: Any) -> time:
    """Read a time of day written "09:00", "9:00", "9.00" or "9h00" (never as sexagesimal)."""
    if isinstance(value, time):
        return value
    if isinstance(value, str) and (match := _CLOCK.match(value.strip())):
        hour, minute = int(match["h"]), int(match["m"])
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ValueError(f"expected a time of day such as '09:00' or '13:15', got {value!r}")


Clock = Annotated[time, BeforeValidator(_clock)]
"""A time of day, written "HH:MM" (24-hour)."""

Language = Literal["en", "fr", "es", "ar", "ru"]


class Break(Strict):
    """A pause in the day: a coffee break or lunch."""

    start: Clock
    minutes: int = Field(ge=5, le=180)
    label: Line | None = None
    """Shown on the agenda instead of the default "Break" or "Lunch break"."""


class Day(Strict):
    """One day of the course: its hours, breaks and the fixed items around the sessions."""

    date: CourseDate | None = None
    """The day's date; by default the course's start_date plus one day per day."""
    start: Clock
    """When the day starts (with the recap, if any)."""
    end: Clock
    """When the day ends (after the wrap-up, or after the close on the last day)."""
    breaks: list[Break] = []
    """Coffee breaks."""
    lunch: Break | None = None
    recap: int = Field(default=0, ge=0, le=60)
    """Minutes of the daily recap at the start of the day (the guide has one from day 2)."""
    wrap_up: int = Field(default=0, ge=0, le=60)
    """Minutes of the wrap-up at the end of the day."""
    close: int = Field(default=0, ge=0, le=120)
    """Minutes of the final evaluation and close (the last day)."""

    @model_validator(mode="after")
    def _order(self) -> Day:
        if self.end <= self.start:
            raise ValueError(f"the day ends ({self.end:%H:%M}) before it starts ({self.start:%H:%M})")
        return self


class SessionChoice(Strict):
    """A session the course runs, with the time the course gives it."""

    id: Id
    minutes: Minutes | None = None
    """The time allotted, pinned (the sample agenda gives session 2 only 90 minutes)."""
    day: int | None = Field(default=None, ge=1, le=MAX_DAYS)
    """The day the session starts on, pinned."""
    start: Clock | None = None
    """The time the session starts, pinned."""
    includes_break: bool = False
    """Whether the session holds a break of its own, at the segment boundary nearest its middle
    (the sample agenda's "includes break")."""
    break_minutes: int = Field(default=15, ge=5, le=60)
    """How long that break is."""
    segments: dict[Id, Minutes] = {}
    """Segment minutes pinned by id, e.g. `{group-exercise: 105}`."""


def _session_choice(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


class Trainer(Strict):
    name: Title
    role: Line = "Trainer"
    organisation: Line = ""
    bio: str = ""
    """A few sentences for the trainer bios handout."""
    email: Line = ""


class Participant(Strict):
    name: Title
    organisation: Line = ""
    sector: Line = ""
    email: Line = ""


class Slides(Strict):
    template: Line | None = None
    """An organisation's own .pptx whose layouts the decks use (path inside the course folder)."""


class Course(Strict):
    """A facilitator's course: what course.yaml holds. Every field has a default from the guide."""

    title: Line | None = None
    """The course title; the guide's when left out."""
    subtitle: Line = ""
    organisers: list[Line] = []
    language: Language = "en"
    """The language of the documents' fixed words."""
    time_style: Literal["24h", "un"] = "24h"
    """How times are written: "13:15" (24h) or "1.15 p.m." (UN editorial style)."""
    start_date: CourseDate | None = None
    """The first day of the course (YYYY-MM-DD), between 1990 and 2100."""
    venue: Line = ""
    city: Line = ""
    country: Line = ""
    sessions: list[Annotated[SessionChoice, BeforeValidator(_session_choice)]] = []
    """The sessions, in order; all the core sessions when left out."""
    days: list[Day] = Field(default=[], max_length=MAX_DAYS)
    """The day template (at most MAX_DAYS days); the guide's sample agenda when left out."""
    trainers: list[Trainer] = Field(default=[], max_length=100)
    participants: list[Participant] = Field(default=[], max_length=MAX_PARTICIPANTS)
    """Who takes part (at most MAX_PARTICIPANTS): a certificate and a sign-in line each."""
    participants_expected: int | None = Field(default=None, ge=1, le=MAX_PARTICIPANTS)
    """How many participants are expected (when no list is given)."""
    groups: int | None = Field(default=None, ge=1, le=20)
    """The number of working groups; derived from the group size when left out."""
    slides: Slides = Slides()
    paper: Literal["a4", "letter"] = "a4"
    """The paper the documents are laid out for."""
    large_print: bool = False
    """Participant handouts in large print (16 pt), for participants who need it."""
    certificate_template: Line | None = None
    """An HTML file in the course folder for the certificates' wording and layout, e.g.
    `local/certificate.html`. It is rendered in Jinja's sandbox, once per participant, with
    `name`, `organisation`, `course`, `dates`, `place` and `organisers`."""


class Programme(Strict):
    """The guide's course as a whole: goal, objectives, audience, venue and the sample agenda."""

    id: Id
    title: Title
    goal: Text
    objectives: list[Text] = Field(min_length=1)
    """The course's learning objectives: "by the end of the course, participants will be able to ..."."""
    audience: list[Text] = []
    """Who the course is for."""
    prior_knowledge: str = ""
    group_size: tuple[int, int] = (20, 24)
    """The ideal number of participants (low, high)."""
    group_advice: str = ""
    facilitation_team: str = ""
    venue: list[Text] = []
    """What the training room needs."""
    venue_advice: str = ""
    planning: str = ""
    """The guide's planning advice: needs assessment and the evaluation cycle (Markdown)."""
    needs_assessment: list[Text] = []
    """The points to consider when assessing needs."""
    evaluation: str = ""
    modules: list[Id] = Field(min_length=1)
    """The core modules, in order."""
    sample_agenda: Course
    """The guide's sample three-day agenda: the default course."""
    sources: list[Source] = Field(min_length=1)

