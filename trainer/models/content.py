"""The course content: modules, sessions and their timed segments, activities, handouts, forms.

Each class maps one YAML file of the library (`modules/`, `modules/sessions/`,
`activities/`, `handouts/`, `forms/`) or of a course's `local/` folder.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from .base import (
    MAX_ADAPTATION_MINUTES,
    MAX_QUANTITY,
    MAX_SCALE_POINTS,
    MAX_SESSION_NUMBER,
    MAX_TEXT_LINES,
    CourseDate,
    Id,
    Line,
    Strict,
    Text,
    Title,
)
from .minutes import Minutes

PerUnit = Literal["participant", "group", "table", "facilitator", "room"]
"""How print and material quantities scale: one per participant, per working group, per
table, per facilitator, or one for the room."""

Condition = Literal[
    "country",
    "region",
    "no_internet",
    "no_projector",
    "low_experience",
    "high_experience",
    "more_than_three_days",
    "consecutive_interpretation",
    "lived_experience",
    "sensitive_context",
    "large_group",
    "sector_government",
    "sector_ngo",
    "sector_nhri",
    "sector_un",
    "accessibility",
]
"""A fact about the course, known from its needs assessment, that changes what the
facilitator does."""


class Source(Strict):
    """Where a piece of content comes from: a document symbol and the pages or paragraphs."""

    doc: Text
    """The document symbol, e.g. "HR/P/PT/26" (the training guide) or "A/HRC/31/80"."""
    pages: str | None = None
    """Pages of the document, e.g. "19-26"."""
    paragraphs: str | None = None
    """Paragraphs of the document, e.g. "12-14"."""
    note: str | None = None
    """What was taken from there, when it is not the whole item."""
    as_of: date | None = None
    """The date the fact holds at, for facts that can go out of date."""


class Resource(Strict):
    """An additional resource: a video, a publication or a web page."""

    title: Title
    kind: Literal["video", "publication", "web", "channel"] = "web"
    url: str | None = None
    published: str | None = None
    """When it was published or uploaded, as the guide gives it (e.g. "21 September 2015")."""
    language: str | None = None
    by: str | None = None
    """Who made or published it."""
    description: str | None = None


class Adaptation(Strict):
    """An instruction that applies only in some contexts, e.g. "if the training is held in a
    particular country, add a slide listing the treaties it has ratified"."""

    when: Condition
    """The condition, from the course's needs assessment, under which this applies."""
    do: Text
    """What the facilitator does then (Markdown)."""
    slide: Line | None = None
    """The title of a slide the course supplies for this, if any."""
    minutes: int = Field(default=0, ge=-MAX_ADAPTATION_MINUTES, le=MAX_ADAPTATION_MINUTES)
    """Minutes this adds to the segment (negative when it saves time)."""
    _english_slide: str | None = PrivateAttr(default=None)
    """The slide's English title, kept when the library is translated (trainer/translate.py):
    which slide lists treaties is read from the English, whatever the course language."""

    @property
    def lists_treaties(self) -> bool:
        """Whether its slide lists treaties ratified, which the assessment can supply."""
        slide = self._english_slide or self.slide
        return bool(slide) and any(word in slide.lower() for word in ("treat", "ratif"))


class Alternative(Strict):
    """One of several activities a segment lets the facilitator choose between."""

    activity: Id
    """The id of the activity."""
    label: Line | None = None
    """Short wording for the choice, e.g. "(a) Introductions questionnaire"."""
    when: str | None = None
    """When to prefer it, in words (e.g. "a group that does not know each other")."""
    prefer_if: list[Condition] = []
    """Conditions under which the adaptation step chooses this alternative."""
    notes: str | None = None
    """What changes elsewhere in the session if this is chosen (Markdown)."""


SegmentKind = Literal[
    "welcome",
    "introduction",
    "presentation",
    "activity",
    "discussion",
    "debrief",
    "video",
    "summary",
    "group-work",
    "plenary",
    "evaluation",
]


class SegmentPart(Strict):
    """A timed sub-part of a segment (the guide's nested sub-timings)."""

    id: Id
    """Unique within the session."""
    title: Title
    minutes: Minutes
    kind: SegmentKind = "presentation"
    slides: bool = False
    """Whether slides are projected during this part."""
    slide_points: list[str] = []
    """Concise points for the part's slide; the notes become the speaker notes. A point that
    starts with "> " is a quotation, shown on a slide of its own (“the words” (source));
    one that starts with "Source:" or is wholly in brackets is shown as a small line under
    the points, not as a bullet."""
    diagram: Id | None = None
    """A diagram or chart of `diagrams/` shown with this part's slides (beside its points, or
    on the slide after them)."""
    notes: str = ""
    """The facilitator's instructions: what to say, ask, show and conclude (Markdown)."""
    resources: list[str] = []
    """What the facilitator needs at hand (flip charts, handouts, slides), as the guide lists it."""
    activity: Id | None = None
    """The activity run in this part, if any."""
    choice: list[Alternative] = []
    """Alternative activities the facilitator chooses between (the first is the default)."""
    also: list[Id] = []
    """Activities used alongside the one run, e.g. shared instructions for every format."""
    handouts: list[Id] = []
    """Handouts used in this part."""
    optional: bool = False
    """Whether the facilitator may leave this part out."""
    include_if: list[Condition] = []
    """For an optional segment: conditions under which the adaptation step runs it."""
    reminders: list[str] = []
    """The guide's reminders placed at this point."""
    adapt: list[Adaptation] = []
    """Instructions that depend on the course's context."""
    offline: str | None = None
    """What to do instead when there is no internet or no projector (for videos and online tools)."""
    agenda: Line | None = None
    """When set, the part is shown as its own line of the agenda under this label."""
    summary: str = ""
    """What happens, in one line of at most about 12 words, for the run sheet
    ("Pairs list the rights of the UDHR they remember; plenary check")."""
    lead: str = ""
    """Who leads it, for the run sheet: "facilitator", "co-facilitator", "groups",
    "participants", "guest speaker"."""
    key_point: str = ""
    """The one point to land, in one line, for the run sheet."""
    floor: int | None = Field(default=None, ge=1, le=600)
    """The shortest time the segment can honestly take, in minutes (a video its clip length,
    an activity the low end of the guide's range, a "<5" row what it really needs). The
    scheduler never places it below this. Default: the low end of `minutes`."""
    pause_after: bool = False
    """Whether this is a good place to pause the session for a break, lunch or the night
    (the end of an exercise, before a new part); the scheduler splits sessions only here."""

    @property
    def shortest(self) -> int:
        """The fewest minutes the segment can honestly take: its `floor`, else the low end of
        its minutes; for the guide's "<5" rows without a floor, two minutes under the bound."""
        if self.floor is not None:
            return min(self.floor, self.minutes.high)
        if self.minutes.upper_bound:
            return max(1, self.minutes.high - 2)
        return self.minutes.low


class Menu(Strict):
    """A segment whose optional parts are a menu (session 5's functions: "two or three at
    most"): the course runs the items that fit its group, within the segment's own time."""

    budget: int = Field(ge=1, le=240)
    """Minutes of the segment for the chosen items (the rest is its non-optional parts)."""
    choose: tuple[int, int] = (1, 3)
    """How many items, at least and at most."""
    by_condition: dict[Condition, list[Id]] = {}
    """The items to run, in order of preference, when a condition holds (a sector that makes
    up half the group)."""
    default: list[Id] = Field(min_length=1)
    """The items for a mixed group, or one the assessment does not describe."""


class Segment(SegmentPart):
    """A row of a session plan's Time / Activity / Resources table."""

    parts: list[SegmentPart] = []
    """Timed sub-parts, in order; their minutes add up to the segment's."""
    menu: Menu | None = None
    """When the segment's optional parts are a menu to choose from within its time."""
    talk_heavy: bool = False
    """Mostly speech by the facilitator or participants (stretched under consecutive interpretation)."""

    @model_validator(mode="after")
    def _one_activity_source(self) -> Segment:
        if self.activity and self.choice:
            raise ValueError("give either 'activity' or 'choice', not both")
        return self


class Dependency(Strict):
    """What a session takes from an earlier one (session 5 uses session 4's case study)."""

    session: Id
    """The session relied on."""
    what: Text
    """What is taken from it, in a few words ("the case study and the groups' flip charts")."""
    instead: Text
    """What the facilitator does when the course does not run that session (Markdown): a
    short briefing, another activity the content offers."""
    minutes: int = Field(default=0, ge=0, le=60)
    """Minutes the replacement takes (taken from the session's own time)."""


class Session(Strict):
    """A session of a module, with its overview and its timed plan."""

    id: Id
    number: int = Field(ge=1, le=MAX_SESSION_NUMBER)
    module: Id
    """The id of the module this session belongs to."""
    title: Title
    duration: Minutes
    """The duration the module outline gives, e.g. "1-1.5 hours" or "2.5 hours"."""
    duration_note: str = ""
    """Where the guide's own plan takes longer than its module outline says (sessions 4 and 6
    do), what the facilitator should know. With a note, `trainer check` warns instead of
    refusing the session."""
    methods: str = ""
    """The methods the module outline names, e.g. "Slides, activities and discussion"."""
    aim: Text
    """The session aim (Markdown)."""
    content: list[Text] = []
    """What the session covers."""
    objectives: list[Text] = Field(min_length=1)
    """Learning objectives: "After this session, participants will be able to ..."."""
    key_messages: list[Text] = []
    preparation: list[Text] = []
    equipment: list[Text] = []
    handouts: list[Id] = []
    """Handouts named in the session's "Handouts and additional session resources"."""
    activities: list[Id] = []
    """Sample activities named in the session's "Handouts and additional session resources"."""
    other_resources: list[Text] = []
    """Other resources the table names (videos, flip charts from earlier sessions)."""
    notes: str = ""
    """What the facilitator should know before the session starts (Markdown)."""
    tips: list[Text] = []
    reminders: list[Text] = []
    plan: list[Segment] = Field(min_length=1)
    """The session plan: the timed segments in order."""
    additional_resources: list[Resource] = []
    timing_notes: str = ""
    """About the timings: where the guide's own minutes disagree (rows against headings,
    plan against outline, plan against the sample agenda) and how the content reads them
    (Markdown). Printed in a short annex, not in the session's body."""
    builds_on: list[Dependency] = []
    """Earlier sessions this one relies on, and what to do when a course leaves them out."""
    sources: list[Source] = Field(min_length=1)

    def segments(self) -> list[SegmentPart]:
        """Every segment and sub-part, in order (parts follow their segment)."""
        out: list[SegmentPart] = []
        for segment in self.plan:
            out.append(segment)
            out.extend(segment.parts)
        return out

    def planned_minutes(self, include_optional: bool = False) -> Minutes:
        """The sum of the plan's segments (without optional ones unless asked)."""
        low = high = 0
        for segment in self.plan:
            if segment.optional and not include_optional:
                continue
            low += segment.minutes.low
            high += segment.minutes.high
        return Minutes(low, high)


class Module(Strict):
    """A module of the course: a group of sessions with a shared aim."""

    id: Id
    number: int = Field(ge=1, le=MAX_SESSION_NUMBER)
    title: Title
    aim: Text
    """The module's overall aim (Markdown)."""
    sessions: list[Id] = []
    """The ids of the module's sessions, in order."""
    forthcoming: list[Id] = []
    """Sessions the module will hold that are not in this library yet (as the guide announces
    Module 4's sessions as forthcoming); courses leave them out until they are written."""
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _has_sessions(self) -> Module:
        if not self.sessions and not self.forthcoming:
            raise ValueError("a module needs 'sessions' (or 'forthcoming' sessions)")
        return self


class Material(Strict):
    """Something an activity needs, and how many."""

    item: Text
    per: PerUnit = "room"
    quantity: int = Field(default=1, ge=1, le=MAX_QUANTITY)
    """How many for each unit of `per`."""
    printable: Id | None = None
    """When `trainer build` prints this item (see `printables/`): the id of one of the
    activity's `cards`, or `time-cards`, `name-tents` or `table-tents`. The checklist then
    lists the printed file with its count, instead of an item to find."""


class Card(Strict):
    """One card, sign or tent of a card set."""

    text: Text
    """What the card says (plain text, short: it is printed large)."""
    note: str = ""
    """A smaller line under the text (a bingo square's "name: ____" is added by the layout)."""
    colour: Literal["green", "red", "yellow", "blue", "grey"] | None = None
    """A coloured band that tells cards apart (YES green, NO red); print in colour or on
    paper of that colour."""
    lower_exposure: str = ""
    """For a bingo square about a participant's own or family history: the square printed
    instead when the activity's lower-exposure way applies to the course."""


class CardList(Strict):
    """Where a card set's text already stands in the content, so that it is written once:
    a numbered list in an activity's setup, or the sections of a handout."""

    activity: Id | None = None
    """The activity whose setup holds the numbered list (default: this one)."""
    after: str | None = None
    """The list is the first numbered list after the setup paragraph that starts with
    this bold text (e.g. "The card set"). Each item becomes a card: for `pairs`, the bold
    term and the text after its colon become two cards; a source in italics at the end
    stays off the cards."""
    handout: Id | None = None
    """The handout whose sections become cards (one per section)."""
    sections: str | None = None
    """With `handout`: a section starts with a bold paragraph that begins with this text
    (e.g. "STORY")."""

    @model_validator(mode="after")
    def _one_source(self) -> CardList:
        if bool(self.after) == bool(self.handout):
            raise ValueError("give either 'after' (a numbered list in a setup) or 'handout' (with 'sections')")
        if self.handout and not self.sections:
            raise ValueError("'handout' needs 'sections': the bold text each section starts with")
        return self


class CardSet(Strict):
    """Cut-out cards, signs or tents an activity uses, printed by `trainer build` on A4 with
    cut marks (`printables/<activity>-<id>.pdf`) and counted by the checklist."""

    id: Id
    """Unique within the activity; a material names it in `printable`."""
    title: Text
    """What the set is, as the checklist names it ("Role cards")."""
    layout: Literal["cards", "pairs", "bingo", "signs", "tents"] = "cards"
    """`cards`: one text per card; `pairs`: term and definition cards to match (the same
    plain look, so that nothing but the words gives a pair away); `bingo`: one grid of
    squares per sheet, the middle square free; `signs`: one per A4 sheet, landscape, to read
    across a room; `tents`: folded table tents."""
    per_page: int = 4
    """Cards on one A4 sheet: 1, 2 (half-A4 cards), 4 or 8 (signs, bingo cards and tents
    take their own)."""
    per: PerUnit = "room"
    """Who gets a whole set (with `deal`: one card each)."""
    quantity: int = Field(default=1, ge=1)
    """Sets for each unit of `per`."""
    deal: bool = False
    """One card of the set to each participant (roles, energizer cards): as many sets are
    printed as it takes to give everyone one."""
    spares: int = Field(default=0, ge=0, le=10)
    """Extra sets to print (a spare set, as the activity asks)."""
    heading: str = ""
    """A line printed on every card above the text (a bingo card's "Find someone who...")."""
    free: str = ""
    """For a bingo card: what the middle square says."""
    cards: list[Card] = []
    """The cards, in order (a bingo card's squares row by row, the middle one left out)."""
    cards_from: CardList | None = None
    """Or: where the cards' text already stands."""
    note: str = ""
    """How to print and cut the set (coloured paper, a plain back), for the checklist."""
    variant: Id | None = None
    """The activity variant that uses the set (the seated version's yes/no cards): the
    checklist counts it only when that variant applies to the course, and lists it as
    "only if you use it" otherwise."""

    @model_validator(mode="after")
    def _has_cards(self) -> CardSet:
        if bool(self.cards) == bool(self.cards_from):
            raise ValueError("a card set needs either 'cards' or 'cards_from'")
        if self.layout == "bingo" and len(self.cards) != 24:
            raise ValueError("a bingo card needs 24 squares (5 x 5, the middle one left free)")
        if self.per_page not in (1, 2, 4, 8):
            raise ValueError(f"per_page: expected 1, 2, 4 or 8 cards to a sheet, got {self.per_page}")
        return self


class HandoutUse(Strict):
    """A handout an activity uses, and how it is printed."""

    handout: Id
    per: PerUnit = "participant"
    quantity: int = Field(default=1, ge=1, le=MAX_QUANTITY)


class Variant(Strict):
    """A version of an activity for a particular audience or context."""

    id: Id
    title: Title
    for_conditions: list[Condition] = []
    """Conditions (e.g. sector_government) under which the adaptation step picks it."""
    steps: list[Text] = []
    """Steps that replace the activity's own, if any."""
    questions: list[Text] = []
    """Questions for the participants in this variant."""
    notes: str = ""


class Activity(Strict):
    """A sample activity: what a facilitator needs to run it."""

    id: Id
    title: Title
    purpose: Text
    minutes: Minutes
    grouping: Text
    """How participants work: "individually", "pairs", "groups of 5-6", "plenary"."""
    setup: str = ""
    """How to arrange the room and materials before starting (Markdown)."""
    materials: list[Material] = []
    handouts: list[HandoutUse] = []
    steps: list[Text] = Field(min_length=1)
    """Step-by-step instructions (Markdown each)."""
    debrief: list[Text] = []
    """Debrief questions."""
    variants: list[Variant] = []
    do_no_harm: str = ""
    """Care to take when the activity draws on personal stories or role play (Markdown)."""
    lower_exposure: str = ""
    """A lower-exposure way to run it, for groups with lived experience or a sensitive context."""
    tips: list[Text] = []
    cards: list[CardSet] = []
    """Cut-out cards, signs or tents the activity uses, printed by `trainer build`."""
    sources: list[Source] = Field(min_length=1)


class Handout(Strict):
    """A handout for participants or facilitators."""

    id: Id
    title: Title
    audience: Literal["participants", "facilitators"] = "participants"
    per: PerUnit = "participant"
    """How many copies to print: one per participant, per group, per table ..."""
    body: str = ""
    """The handout's text (Markdown). Empty only for generated handouts."""
    generated: Literal["agenda", "trainer-bios"] | None = None
    """Handouts built from the course rather than written: the agenda, the trainers' bios."""
    given: Literal["in-session", "day-before", "after-debrief"] = "in-session"
    """When participants get it: in the session that first uses it; the evening before that
    session's day, to read beforehand (a country brief); or only after the activity's
    debrief (an answer sheet: printed on its own, never bound into the participant pack)."""
    fiction: bool = False
    """The handout is, or holds, fiction written for this course (a case, stories, a
    country): the facilitator annex says so, beside its sources."""
    writing_lines: int = Field(default=0, ge=0, le=20)
    """Lines of ruled writing space printed for each line of underscores (`_____`) in the
    body, where the handout asks participants to write; 0 leaves such lines as rules."""
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _body_or_generated(self) -> Handout:
        if not self.body.strip() and not self.generated:
            raise ValueError("a handout needs a 'body', or 'generated: agenda' or 'generated: trainer-bios'")
        return self


QuestionType = Literal["scale", "single", "multiple", "text", "number", "date"]
Level = Literal["profile", "reaction", "learning", "intended-use", "application"]
"""The evaluation level a question measures (after OHCHR/Equitas, HR/P/PT/18/Add.2):
`profile` describes the respondent; `reaction` their satisfaction; `learning` what they
learned; `intended-use` what they plan to do with it; `application` what they have done
with it since (the follow-up questionnaire)."""


class Option(Strict):
    """One answer of a choice question."""

    value: Id
    """A short code stored in data exports (XLSForm choice name)."""
    label: Title


class Question(Strict):
    """A typed question of a form."""

    id: Id
    """Unique within the form; becomes the XLSForm `name`."""
    text: Title
    """The question, as the respondent reads it (a spreadsheet cell holds at most 32,767 characters)."""
    type: QuestionType
    level: Level
    required: bool = False
    options: list[Option] = []
    """Answers for `single` and `multiple` questions."""
    other: bool = False
    """Whether a choice question also takes a written answer ("other, please specify")."""
    scale: tuple[int, int] = (1, 5)
    """The range of a `scale` question: at most MAX_SCALE_POINTS points."""
    scale_labels: tuple[Line, Line] = ("Not at all", "Very much")
    """What the ends of the scale mean."""
    lines: int = Field(default=3, ge=1, le=MAX_TEXT_LINES)
    """Lines of writing space for a `text` question on paper."""
    for_each: Literal["session", "objective", "course-objective"] | None = None
    """Repeat the question for each session of the day, each objective of each session of the
    day, or each course objective; `{item}` in the text stands for the one in hand."""

    @field_validator("scale")
    @classmethod
    def _scale_size(cls, scale: tuple[int, int]) -> tuple[int, int]:
        if scale[1] - scale[0] + 1 > MAX_SCALE_POINTS:
            raise ValueError(f"a scale of {scale[1] - scale[0] + 1:,} points; at most {MAX_SCALE_POINTS} points are allowed")
        return scale

    @model_validator(mode="after")
    def _options_fit_type(self) -> Question:
        if self.type in ("single", "multiple") and len(self.options) < 2:
            raise ValueError(f"a '{self.type}' question needs at least two options")
        if self.type not in ("single", "multiple") and self.options:
            raise ValueError(f"a '{self.type}' question takes no options")
        if self.scale[0] >= self.scale[1]:
            raise ValueError("the scale's low end must be below its high end")
        return self


class FormSection(Strict):
    title: Title
    intro: str = ""
    questions: list[Question] = Field(min_length=1)


class Form(Strict):
    """An evaluation or assessment instrument."""

    id: Id
    title: Title
    kind: Literal[
        "pre-course", "end-of-day", "end-of-course", "learning-path", "knowledge-check", "self-inventory", "follow-up"
    ]
    intro: str = ""
    """What the respondent is told before the questions (Markdown)."""
    sections: list[FormSection] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)

    def questions(self) -> list[Question]:
        return [question for section in self.sections for question in section.questions]


class LocalContext(Strict):
    """Local material a course supplies where a session invites it (national law, treaties
    ratified, treaty-body and UPR recommendations, local cases and statistics), with a record
    of where it comes from and who checked it when."""

    id: Id
    title: Title
    slot: Literal["national-law", "treaties", "recommendations", "cases", "statistics", "other"]
    session: Id
    """The session that uses it."""
    body: Text
    """The material itself (Markdown)."""
    source: Text
    """Where it comes from: a document, a database, a web page, with its reference."""
    checked_on: CourseDate
    """When it was last checked against its source (YYYY-MM-DD)."""
    checked_by: Text
    """Who checked it."""
    departs_from_guide: str = ""
    """Where this material departs from, or qualifies, the guide's core text (Markdown)."""


Theme = Literal[
    "legislation",
    "ratification",
    "non-discrimination",
    "participation",
    "un-mechanisms",
    "labour-rights",
    "trafficking",
    "detention",
    "health",
    "education",
    "children",
    "women",
    "data",
    "training",
    "return",
    "xenophobia",
    "access-to-justice",
    "borders",
    "institutions",
]
"""What a practice example is about; matched against the assessment's concerns and topics."""


class Example(Strict):
    """A dated practice example from the source documents: what a State or another actor did,
    in the project's own words, with the document symbol and paragraph it comes from. The
    adaptation step brings the examples that match a course's country, region or themes into
    its session plans."""

    id: Id
    title: Title
    country: Line = ""
    """The country the example is about, in English ("Mexico"); empty for regional examples."""
    codes: list[str] = []
    """Other names it goes by in an assessment: ISO codes ("MX", "MEX"), short names."""
    regions: list[Text] = []
    """Regions it belongs to, from broad to narrow ("Americas", "Central America")."""
    themes: list[Theme] = Field(min_length=1)
    sessions: list[Id] = Field(min_length=1)
    """The sessions where it serves as an illustration."""
    summary: Text
    """What was done, in two to five sentences (Markdown)."""
    source: Source
    """The document symbol and paragraph; `as_of` is the date of the document."""

    @model_validator(mode="after")
    def _dated(self) -> Example:
        if self.source.as_of is None:
            raise ValueError("an example needs source.as_of: the date of the document it comes from")
        if not (self.source.paragraphs or self.source.pages):
            raise ValueError("an example needs source.paragraphs (or pages): where in the document it is")
        return self


class SlotFormat(Strict):
    """One way to run a fixed slot of the day (a recap as a ball toss, a quiz, a gallery walk)."""

    id: Id
    title: Title
    minutes: Minutes
    materials: list[Material] = []
    steps: list[Text] = Field(min_length=1)
    """Step-by-step instructions (Markdown each)."""
    notes: str = ""


class Slot(Strict):
    """The plan of a fixed item of the agenda that is not a session: the daily recap, the
    end-of-day wrap-up with its evaluation activity, the final evaluation and close."""

    id: Id
    kind: Literal["recap", "wrap-up", "close"]
    title: Title
    purpose: Text
    minutes: Minutes
    """The time the guide's sample agenda gives it."""
    notes: str = ""
    """What the facilitator should know (Markdown)."""
    formats: list[SlotFormat] = Field(min_length=1)
    """Ways to run it; recaps rotate through them day by day."""
    forms: list[Id] = []
    """Forms used in the slot (the end-of-day evaluation, the end-of-course evaluation)."""
    sources: list[Source] = Field(min_length=1)


class Vocabulary(Strict):
    """Words of one language that a facilitator or translator would change: the theme
    keywords that match practice examples to an assessment, and the words that mark an item
    as needing the internet. Kept as data (vocabulary/<language>.yaml), not in the code."""

    language: Literal["en", "fr", "es", "ar", "ru", "zh"]
    themes: dict[Theme, list[Text]] = {}
    """Per theme, the starts of words or phrases that point to it."""
    needs_internet: list[Text] = []
    """Words that mark an equipment or preparation item as needing the internet."""
    print_task: list[Text] = []
    """Words that start a preparation item about printing ("Print the terms handout ..."):
    the checklist puts such items with its print list, before the course, not on the day."""
    day_before_task: list[Text] = []
    """Words that start a preparation item for the evening before the session's day ("The
    day before, hand out the country brief"): the checklist puts it at the end of the
    previous day."""

    @property
    def id(self) -> str:
        return f"vocabulary-{self.language}"
