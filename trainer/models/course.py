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


def _web_link(value: Any) -> str:
    """An http(s) address with a host and no spaces: what a participant's phone can open."""
    if isinstance(value, str) and re.match(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", value.strip()):
        return value.strip()
    raise ValueError(f"expected a web address starting with https://, got {value!r}")
"""A time of day, written "HH:MM" (24-hour)."""

Language = Literal["en", "fr", "es", "ar", "ru", "zh"]
"""The six official languages of the United Nations: English, French, Spanish, Arabic, Russian, Chinese."""


class Break(Strict):
    """A pause in the day: a coffee break or lunch."""

    start: Clock
    minutes: int = Field(ge=5, le=180)
    label: Line | None = None
    """Shown on the agenda instead of the default "Break" or "Lunch break"."""


class Day(Strict):
    """One day of the course: its hours, breaks and the fixed items around the sessions.

    What a day leaves out follows the guide's sample agenda (HR/P/PT/26, p. 15): a break in
    the middle of every morning and afternoon stretch of more than about two hours, a
    15-minute recap at the start of every day but the first, a 15-minute wrap-up at the end
    of every day but the last, and a 30-minute final evaluation and close on the last day.
    """

    date: CourseDate | None = None
    """The day's date; by default the course's start_date plus one day per day."""
    start: Clock
    """When the day starts (with the recap, if any)."""
    end: Clock
    """When the day ends (after the wrap-up, or after the close on the last day)."""
    breaks: list[Break] | Literal["none"] | None = None
    """Coffee breaks at fixed times. Left out, the scheduler places a 15-minute break in the
    middle of every stretch longer than about two hours, at a good place to pause; `none`
    for no breaks at all."""
    lunch: Break | None = None
    recap: int | None = Field(default=None, ge=0, le=60)
    """Minutes of the daily recap at the start of the day; left out: 15 from the second day."""
    wrap_up: int | None = Field(default=None, ge=0, le=60)
    """Minutes of the wrap-up at the end of the day; left out: 15 on every day but the last."""
    close: int | None = Field(default=None, ge=0, le=120)
    """Minutes of the final evaluation and close on the last day; left out: 30 (unless the
    last day names a wrap-up of its own, which then ends the course)."""

    def listed_breaks(self) -> list[Break]:
        """The breaks the course gives at fixed times (none when left out or `none`)."""
        return self.breaks if isinstance(self.breaks, list) else []

    def resolved(self, index: int, count: int) -> Day:
        """The day with the guide's defaults filled in, as day `index` (from 0) of `count`."""
        last = index == count - 1
        return self.model_copy(update={
            "recap": self.recap if self.recap is not None else (15 if index > 0 else 0),
            "wrap_up": self.wrap_up if self.wrap_up is not None else (0 if last else 15),
            # a last day that names its own wrap-up ends with it: the close is the default only
            # when the day names neither
            "close": self.close if self.close is not None else (30 if last and self.wrap_up is None else 0),
        })

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


class Signatory(Strict):
    """A person who signs the certificates."""

    name: Title
    title: Line = ""
    """Their function, printed under the name ("Representative, OHCHR Regional Office")."""


class SignIn(Strict):
    """How the daily sign-in sheets are laid out."""

    gender: bool = False
    """Add a column for gender (for reports that count women and men); left out by default,
    since it is asked only where a donor or the organisers need it."""
    blank_rows: int | None = Field(default=None, ge=0, le=100)
    """Empty rows after the listed participants, for walk-ins and substitutes; by default
    one in ten (at least three), or as many rows as the expected number when no
    participants are listed."""


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
    signatories: list[Signatory] = Field(default=[], max_length=4)
    """Who signs the certificates: each gets a signature line with name and title."""
    logos: list[Line] = Field(default=[], max_length=4)
    """The organisers' logos on the certificates: image files inside the course folder
    (PNG, JPEG or SVG), e.g. `[local/ohchr.png, local/nhri.svg]`."""
    sign_in: SignIn = SignIn()
    """The sign-in sheets' columns and blank rows."""
    handouts_printed: Literal["by-session", "pack"] = "by-session"
    """How participants get their handouts on paper: `by-session`, each handout printed on
    its own and handed out in the session that first uses it (the checklist prints each on
    the day it is needed); or `pack`, the participant pack printed once per participant
    and handed out on the first day. Answer sheets are printed on their own either way."""
    certificate_template: Line | None = None
    """An HTML file in the course folder for the certificates' wording and layout, e.g.
    `local/certificate.html`. It is rendered in Jinja's sandbox, once per participant, with
    `name`, `organisation`, `course`, `dates`, `place` and `organisers`."""
    form_links: dict[Id, Annotated[str, BeforeValidator(_web_link)]] = {}
    """Online versions of the forms, shown on the participants' companion site beside each
    printed form: a form's id (`end-of-course`), or one day's form (`end-of-day-day-2`),
    mapped to its KoboToolbox or ODK link (`https://ee.kobotoolbox.org/x/...`). A link given
    for `end-of-day` applies to every day that has no link of its own."""


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

