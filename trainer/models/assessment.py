"""The training needs assessment (assessment.yaml): the guide's six points as typed fields.

The guide (HR/P/PT/26, "Planning and designing a training course", p. 5-6) asks the
organisers to consider the context; migration policies, programmes and practices; the
participants; the desired results; the trainers; and logistics.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .base import MAX_PARTICIPANTS, CourseDate, Line, Strict
from .course import Language

Level = Literal["none", "basic", "intermediate", "advanced"]
Sector = Literal["government", "nhri", "ngo", "un", "trade-union", "humanitarian", "academia", "other"]


class Treaty(Strict):
    """A treaty the country has ratified, as the organisers checked it."""

    name: Line
    ratified: Line = ""
    """Year or date of ratification or accession."""


class Context(Strict):
    """Context: the country or region, its law, and who works there on migrants' rights."""

    country: Line = ""
    """The country the course is held in or focuses on (name or ISO code, kept as text: NO stays NO)."""
    region: Line = ""
    languages: list[Language] = []
    laws_and_policies: list[str] = []
    """National laws, policies and administrative procedures on migration worth naming."""
    concerns: list[str] = []
    """The most common human rights concerns of migrants there."""
    partners: list[str] = []
    """UN entities, civil society organisations and other partners working on migrants' rights."""
    treaties_ratified: list[Treaty] = []
    """The core treaties the country has ratified (check against the OHCHR ratification database)."""
    treaties_checked_on: CourseDate | None = None
    """When the treaty list was checked."""
    sensitive: bool = False
    """Whether the context is sensitive (tensions around migration, risk to participants)."""


class Practice(Strict):
    """Migration policies, programmes and practices the participants know."""

    familiar: list[str] = []
    """Policies, programmes and practices the participants will know."""
    experiences_to_share: list[str] = []
    effectiveness: str = ""
    """How effective the policies and their implementation are, and what analysis exists."""


class Participants(Strict):
    number: int = Field(default=22, ge=1, le=MAX_PARTICIPANTS)
    women: int | None = Field(default=None, ge=0, le=MAX_PARTICIPANTS)
    men: int | None = Field(default=None, ge=0, le=MAX_PARTICIPANTS)
    other_or_undisclosed: int | None = Field(default=None, ge=0, le=MAX_PARTICIPANTS)
    sectors: dict[Sector, Annotated[int, Field(ge=0, le=MAX_PARTICIPANTS)]] = {}
    """How many participants come from each sector."""
    human_rights_experience: Level | None = None
    """How much the participants know of human rights; None until the assessment says."""
    migration_experience: Level | None = None
    lived_experience: bool = False
    """Whether some participants have lived experience of migration."""
    attitudes: str = ""
    """Attitudes to migration and human rights to be aware of."""
    tensions: str = ""
    """Tensions or dynamics between participants to watch for."""
    gender_issues: str = ""
    roles: list[str] = []
    """The participants' roles and functions."""
    topics_of_interest: list[str] = []
    expectations: list[str] = []


class Results(Strict):
    """Desired results and impact."""

    outcomes: list[str] = []
    measures: list[str] = []
    """How the results will be measured."""
    follow_up: str = ""
    """Who will support participants afterwards, and how."""


class Trainers(Strict):
    competencies_needed: list[str] = []
    guest_experts: list[str] = []


class Equipment(Strict):
    projector: bool = True
    internet: bool = True
    printer: bool = True
    flip_charts: bool = True


class Logistics(Strict):
    start_date: CourseDate | None = None
    venue: str = ""
    days: int = Field(default=3, ge=1, le=10)
    hours_per_day: float | None = Field(default=None, gt=0, le=12)
    equipment: Equipment = Equipment()
    interpretation: Literal["none", "consecutive", "simultaneous"] = "none"
    interpretation_factor: float = Field(default=1.5, ge=1.0, le=3.0)
    """How much longer talk-heavy segments take under consecutive interpretation."""
    accessibility: list[str] = []
    """Accessibility needs (e.g. "large print", "wheelchair access", "sign language")."""
    residential: bool = False
    security: str = ""


class Assessment(Strict):
    """The training needs assessment of one course."""

    context: Context = Context()
    practice: Practice = Practice()
    participants: Participants = Participants()
    results: Results = Results()
    trainers: Trainers = Trainers()
    logistics: Logistics = Logistics()
