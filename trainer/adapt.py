"""Adaptation: from the loaded course and its needs assessment to the plan the scheduler places.

The guide asks facilitators to assess the context and the participants before adapting the
course (HR/P/PT/26, "Planning and designing a training course", p. 5-6). Each rule below is
a small function that reads the assessment, changes the plan, and records what it changed,
why (the assessment field) and the time it adds or saves. Rules run in the order of RULES.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from .loader import CourseInput
from .models import Activity, Day, Example
from .models.minutes import Minutes
from .schedule import PlannedSession


@dataclass
class Adaptation:
    """One change the adaptation step made, for `trainer plan` and the facilitator guide.

    The time a change costs is not stated here but read from the schedule (`time_effect`),
    so that the adaptation table, the scheduler's changes and the timed plan agree."""

    rule: str
    change: str
    reason: str
    session: str | None = None
    segments: tuple[str, ...] = ()
    """The segments the change adds or lengthens, whose scheduled minutes are its time."""
    kind: str = ""
    """"adds" (optional segments run), "lengthens" (segments given more time), or ""."""


@dataclass
class CoursePlan:
    """What the scheduler and the renderers need: sessions in order, days, and the adaptations."""

    sessions: list[PlannedSession]
    days: list[Day]
    start_date: date | None
    conditions: dict[str, str] = field(default_factory=dict)
    """The conditions that hold for this course, each with the assessment field that says so."""
    adaptations: list[Adaptation] = field(default_factory=list)
    groups: int = 4
    large_print: bool = False
    language: str = "en"
    """The language of the documents' fixed words."""
    examples: dict[str, list[Example]] = field(default_factory=dict)
    """Session id -> the practice examples from the source documents that match this course."""

    def record(self, rule: Callable[..., object], change: str, reason: str, session: str | None = None,
               segments: tuple[str, ...] = (), kind: str = "") -> None:
        self.adaptations.append(
            Adaptation(rule.__name__.removeprefix("rule_").replace("_", " "), change, reason, session, segments, kind)
        )


def conditions(course_input: CourseInput) -> dict[str, str]:
    """Which conditions hold, each with the reason in the facilitator's words (what the
    assessment or the course settings say), as the adaptation table prints it."""
    return {condition: words for condition, (words, _field) in _conditions(course_input).items()}


def condition_fields(course_input: CourseInput) -> dict[str, str]:
    """Which conditions hold, each with the field of assessment.yaml or course.yaml that
    establishes it (for `trainer plan --json`)."""
    return {condition: field_name for condition, (_words, field_name) in _conditions(course_input).items()}


LEVELS = {"none": "none", "basic": "basic", "intermediate": "intermediate", "advanced": "advanced"}


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _conditions(course_input: CourseInput) -> dict[str, tuple[str, str]]:
    """condition -> (the reason in words, the field behind it)."""
    assessment = course_input.assessment
    course = course_input.course
    participants = assessment.participants
    logistics = assessment.logistics
    found: dict[str, tuple[str, str]] = {}
    if assessment.context.country or course.country:
        country = assessment.context.country or course.country
        found["country"] = (f"the course is for {country}",
                            "context.country" if assessment.context.country else "course.yaml country")
    if assessment.context.region:
        found["region"] = (f"the course focuses on {assessment.context.region}", "context.region")
    if not logistics.equipment.internet:
        found["no_internet"] = ("the room has no internet connection", "logistics.equipment.internet: no")
    if not logistics.equipment.projector:
        found["no_projector"] = ("the room has no projector", "logistics.equipment.projector: no")
    levels = (participants.human_rights_experience, participants.migration_experience)
    if any(level in ("none", "basic") for level in levels) and "advanced" not in levels:
        found["low_experience"] = (
            f"the participants' experience: {LEVELS.get(levels[0], levels[0])} in human rights, "
            f"{LEVELS.get(levels[1], levels[1])} in migration",
            f"participants.human_rights_experience: {levels[0]}, participants.migration_experience: {levels[1]}",
        )
    if all(level == "advanced" for level in levels):
        found["high_experience"] = ("the participants are advanced in human rights and in migration",
                                    "participants' experience: advanced")
    if len(course.days) > 3:
        found["more_than_three_days"] = (f"the course runs {len(course.days)} days", f"course.yaml days: {len(course.days)}")
    if logistics.interpretation == "consecutive":
        found["consecutive_interpretation"] = ("the course has consecutive interpretation", "logistics.interpretation: consecutive")
    if participants.lived_experience:
        found["lived_experience"] = ("some participants have lived experience of migration", "participants.lived_experience: yes")
    if assessment.context.sensitive:
        found["sensitive_context"] = ("the assessment describes a sensitive context", "context.sensitive: yes")
    number = len(course.participants) or course.participants_expected or participants.number
    if number > 24:
        found["large_group"] = (f"{number} participants, more than the guide's 24", f"{number} participants")
    if logistics.accessibility:
        found["accessibility"] = ("the participants' accessibility needs: " + ", ".join(logistics.accessibility),
                                  "logistics.accessibility: " + ", ".join(logistics.accessibility))
    sectors = participants.sectors
    if sectors:
        total = sum(sectors.values()) or 1
        for sector in ("government", "ngo", "nhri", "un"):
            if sectors.get(sector, 0) / total >= 0.5:  # type: ignore[call-overload]
                found[f"sector_{sector}"] = (
                    f"the participants' sectors: {SECTOR_NAMES[sector]} {sectors.get(sector)} of {total}",  # type: ignore[call-overload]
                    f"participants.sectors: {sector} {sectors.get(sector)} of {total}",  # type: ignore[call-overload]
                )
    return found


SECTOR_NAMES = {"government": "government", "ngo": "NGOs", "nhri": "national human rights institution", "un": "United Nations"}


# ---------------------------------------------------------------------------- the rules


def rule_working_groups(course_input: CourseInput, plan: CoursePlan) -> None:
    """Group size sets the number of working groups and so the print quantities.

    The guide's room has about five tables seating five to six people (HR/P/PT/26,
    "Training venue", p. 7), and its ideal group is 20-24 participants (p. 7); session 7's
    simulation has four topics, so above 24 participants each topic gets two groups
    (p. 109-120, simulation set-up).
    """
    from .quantities import counts

    course = course_input.course
    numbers = counts(course_input)
    number = numbers.participants
    if course.participants or course.participants_expected:
        source = "the course's list of participants" if course.participants else "the participants the course expects"
    elif "number" in course_input.assessment.participants.model_fields_set:
        source = "the number of participants in the needs assessment"
    else:
        source = f"no number of participants given: {number}, a typical group for the guide"
    plan.groups = numbers.groups
    groups = _plural(plan.groups, "working group", "working groups")
    plan.record(rule_working_groups, f"{groups} for {_plural(number, 'participant', 'participants')}", source)
    if number > 24 and any(p.id == "session-7" for p in plan.sessions):
        plan.record(rule_working_groups, "session 7: eight groups, two for each of the four topics", source, session="session-7")


def rule_sector_variants(course_input: CourseInput, plan: CoursePlan) -> None:
    """Sectors choose activity variants, e.g. the government or NGO question sets of
    "What's in it for me?" (HR/P/PT/26, session 5, p. 68-92: "adapt the questions to ensure
    that the exercise is relevant to the work that participants do")."""
    activities = course_input.library.activities
    for planned in plan.sessions:
        for segment in planned.session.segments():
            for activity_id in planned.activities_for(segment):
                _choose_variant(plan, planned, activities.get(activity_id))


def _choose_variant(plan: CoursePlan, planned: PlannedSession, activity: Activity | None) -> None:
    if activity is None or activity.id in planned.variants:
        return
    for variant in activity.variants:
        held = [c for c in variant.for_conditions if c in plan.conditions and c.startswith("sector_")]
        if held:
            planned.variants[activity.id] = variant.id
            plan.record(
                rule_sector_variants,
                f"{activity.title}: variant '{variant.title}'",
                plan.conditions[held[0]],
                session=planned.id,
            )
            return


def rule_context_choices(course_input: CourseInput, plan: CoursePlan) -> None:
    """Choose between alternative activities and run optional segments as the assessment
    suggests: low experience adds the definitions activity and favours the power walk
    (HR/P/PT/26, sessions 2 and 3, p. 27-55); a group with lived experience or a sensitive
    context gets the lower-exposure alternatives."""
    for planned in plan.sessions:
        menus = {part.id for segment in planned.session.plan if segment.menu for part in segment.parts}
        for segment in planned.session.segments():
            if segment.id in menus:
                continue  # a menu's items are chosen by rule_menus
            for alternative in segment.choice:
                held = [c for c in alternative.prefer_if if c in plan.conditions]
                if held and planned.activity_for(segment) != alternative.activity:
                    planned.chosen[segment.id] = alternative.activity
                    plan.record(
                        rule_context_choices,
                        f"{segment.title}: {alternative.label or alternative.activity}",
                        plan.conditions[held[0]],
                        session=planned.id,
                    )
                    break
            if segment.optional and segment.id not in planned.optional_included:
                held = [c for c in segment.include_if if c in plan.conditions]
                if held and not _offline_blocked(segment, plan):
                    planned.optional_included.add(segment.id)
                    plan.record(
                        rule_context_choices,
                        f"adds '{segment.title}'",
                        plan.conditions[held[0]],
                        planned.id,
                        (segment.id,),
                        "adds",
                    )


def rule_menus(course_input: CourseInput, plan: CoursePlan) -> None:
    """A segment that is a menu (session 5's functions: the guide asks for "two or three at
    most" within Part 2's 30 minutes, HR/P/PT/26, p. 68-92) runs the items that fit the
    group: those its content lists for a sector that makes up half the group, else its
    default choice; as many as fit the menu's time at their floors."""
    for planned in plan.sessions:
        for segment in planned.session.plan:
            menu = segment.menu
            if menu is None:
                continue
            parts = {part.id: part for part in segment.parts}
            held = [condition for condition in menu.by_condition if condition in plan.conditions]
            if held:
                wanted = [*menu.by_condition[held[0]], *menu.default]
                reason = plan.conditions[held[0]]
            else:
                wanted = list(menu.default)
                reason = "a mixed group (no sector is half of it), or the assessment does not say: the content's default choice"
            chosen: list[str] = []
            used = 0
            for item in dict.fromkeys(wanted):
                part = parts.get(item)
                if part is None or len(chosen) >= menu.choose[1]:
                    continue
                if _offline_blocked(part, plan):
                    continue
                if used + planned.floor_for(part) <= menu.budget:
                    chosen.append(item)
                    used += planned.floor_for(part)
            for item in chosen:
                planned.optional_included.add(item)
                planned.menu_reasons[item] = reason
            titles = ", ".join(parts[item].title for item in chosen)
            plan.record(
                rule_menus,
                f"'{segment.title}': {titles} ({len(chosen)} of {len(menu.default) if not parts else sum(1 for p in segment.parts if p.optional)}, "
                f"within its {segment.minutes.describe()})",
                reason,
                planned.id,
            )


def _offline_blocked(segment, plan: CoursePlan) -> bool:  # type: ignore[no-untyped-def]
    return segment.kind == "video" and ("no_internet" in plan.conditions or "no_projector" in plan.conditions)


def rule_longer_course(course_input: CourseInput, plan: CoursePlan) -> None:
    """A course longer than three days extends the introductory session: "give participants
    time to get to know each other" (HR/P/PT/26, session 1 tips, p. 19-26)."""
    if "more_than_three_days" not in plan.conditions:
        return
    for planned in plan.sessions:
        for segment in planned.session.segments():
            for adaptation in segment.adapt:
                if adaptation.when == "more_than_three_days" and adaptation.minutes:
                    base = planned.minutes_for(segment)
                    planned.minutes_override[segment.id] = Minutes(base.low + adaptation.minutes, base.high + adaptation.minutes)
                    plan.record(
                        rule_longer_course,
                        f"'{segment.title}' extended",
                        plan.conditions["more_than_three_days"],
                        planned.id,
                        (segment.id,),
                        "lengthens",
                    )


def rule_offline(course_input: CourseInput, plan: CoursePlan) -> None:
    """No internet or no projector: videos and online tools give way to their offline
    alternatives, and the plan says what to prepare instead (the guide's venue needs a
    projector and, ideally, internet: HR/P/PT/26, "Training venue", p. 7)."""
    held = [c for c in ("no_internet", "no_projector") if c in plan.conditions]
    if not held:
        return
    for planned in plan.sessions:
        for segment in planned.session.segments():
            if segment.offline and (segment.kind == "video" or "internet" in segment.offline.lower() or segment.slides is False):
                planned.offline.add(segment.id)
                plan.record(
                    rule_offline,
                    f"'{segment.title}': {_first_sentence(segment.offline)} (see the session plan)",
                    plan.conditions[held[0]],
                    session=planned.id,
                )
            elif segment.kind == "video":
                planned.optional_included.discard(segment.id)
                planned.excluded.add(segment.id)


def rule_interpretation(course_input: CourseInput, plan: CoursePlan) -> None:
    """Consecutive interpretation roughly doubles the time of everything said; talk-heavy
    segments are stretched by the course's factor (the guide lists interpreters among the
    logistics to plan: HR/P/PT/26, p. 6)."""
    if "consecutive_interpretation" not in plan.conditions:
        return
    factor = course_input.assessment.logistics.interpretation_factor
    for planned in plan.sessions:
        stretched_ids = []
        for segment in planned.session.plan:
            if segment.talk_heavy:
                base = planned.minutes_for(segment)
                stretched = Minutes(math.ceil(base.low * factor), math.ceil(base.high * factor))
                planned.minutes_override[segment.id] = stretched
                stretched_ids.append(segment.id)
        if stretched_ids:
            plan.record(
                rule_interpretation,
                f"talk-heavy segments stretched x{factor:g}",
                plan.conditions["consecutive_interpretation"],
                planned.id,
                tuple(stretched_ids),
                "lengthens",
            )


def rule_accessibility(course_input: CourseInput, plan: CoursePlan) -> None:
    """Accessibility needs produce large-print handouts and notes for the facilitators (the
    guide asks organisers to plan for "accessibility for persons with disabilities": HR/P/PT/26,
    p. 6)."""
    needs = course_input.assessment.logistics.accessibility
    if course_input.course.large_print or any("print" in need.lower() or "visual" in need.lower() for need in needs):
        plan.large_print = True
        plan.record(rule_accessibility, "participant handouts in large print",
                    plan.conditions.get("accessibility", "large print is asked for in the course settings"))
    elif needs:
        plan.record(rule_accessibility, "accessibility notes for the facilitators", plan.conditions["accessibility"])


def rule_do_no_harm(course_input: CourseInput, plan: CoursePlan) -> None:
    """Participants with lived experience of migration, or a sensitive context, bring the
    do-no-harm notes into the activities that draw on personal stories or role play, and
    offer their lower-exposure way of running them. The guide asks trainers to be aware of
    attitudes, tensions and dynamics among participants (HR/P/PT/26, "Participants", p. 6),
    and the sessions that use personal stories ask for sensitivity (session 1, "How common
    is migration?", p. 19-26; session 2, migrant stories, p. 27-40; session 3, power walk,
    p. 43-55)."""
    held = [c for c in ("lived_experience", "sensitive_context") if c in plan.conditions]
    if not held:
        return
    reason = "; ".join(plan.conditions[c] for c in held)
    activities = course_input.library.activities
    for planned in plan.sessions:
        for segment in planned.session.segments():
            if segment.optional and segment.id not in planned.optional_included:
                continue
            for activity_id in planned.activities_for(segment):
                activity = activities.get(activity_id)
                if activity is not None and (activity.do_no_harm or activity.lower_exposure) and activity.id not in planned.do_no_harm:
                    planned.do_no_harm.add(activity.id)
                    what = "do-no-harm notes" + (" and the lower-exposure way to run it" if activity.lower_exposure else "")
                    plan.record(rule_do_no_harm, f"{activity.title}: {what}", reason, session=planned.id)
            for adaptation in segment.adapt:
                if adaptation.when in held:
                    plan.record(rule_do_no_harm, f"'{segment.title}': {_first_sentence(adaptation.do)}", reason, session=planned.id)


def _first_sentence(text: str) -> str:
    sentence = text.strip().split(". ")[0].rstrip(".")
    return sentence if len(sentence) <= 140 else sentence[:137].rstrip() + "..."


def rule_country_treaties(course_input: CourseInput, plan: CoursePlan) -> None:
    """A course held in one country adds a slide of the treaties it has ratified: "if the
    training is held in a particular country, add a slide listing the treaties it has
    ratified" (HR/P/PT/26, session 3, p. 43-55). The list comes from the assessment, and the
    documents say it must be checked against the OHCHR ratification database, and when.
    Other country slides the sessions ask for (the country's migrants, its UPR cycle) are
    left for the course team to fill, and the plan says so."""
    if "country" not in plan.conditions:
        return
    context = course_input.assessment.context
    country = context.country or course_input.course.country
    for planned in plan.sessions:
        seen: set[str] = set()
        for segment in planned.session.segments():
            for adaptation in segment.adapt:
                if adaptation.when != "country" or not adaptation.slide:
                    continue
                title = adaptation.slide.replace("<country>", country)
                if title in seen:
                    continue
                seen.add(title)
                if not adaptation.lists_treaties:
                    change = f"slide '{title}': for the course team to fill from the assessment (see the session plan)"
                elif context.treaties_ratified:
                    checked = (
                        f"checked on {context.treaties_checked_on.isoformat()}"
                        if context.treaties_checked_on
                        else "not yet checked against the OHCHR ratification database"
                    )
                    change = f"slide of the treaties {country} has ratified ({len(context.treaties_ratified)} listed, {checked})"
                else:
                    change = (
                        f"slide of the treaties {country} has ratified: none listed in the assessment, so the slide "
                        "asks the course team to fill it from the OHCHR ratification database"
                    )
                plan.record(rule_country_treaties, change, plan.conditions["country"], session=planned.id)


EXAMPLES_PER_SESSION = 2
"""At most this many examples that match by region or theme (not by country) go to one session."""


def course_themes(course_input: CourseInput) -> dict[str, str]:
    """Themes the assessment names (concerns, topics of interest, desired results), each
    with the phrase that names it, in any language the library's vocabulary has (a French
    assessment matches the same examples as its English equivalent)."""
    assessment = course_input.assessment
    phrases = [
        *assessment.context.concerns,
        *assessment.participants.topics_of_interest,
        *assessment.results.outcomes,
    ]
    found: dict[str, str] = {}
    vocabularies = course_input.library.vocabulary
    for phrase in phrases:
        lowered = phrase.lower()
        for vocabulary in vocabularies:
            for theme, words in vocabulary.themes.items():
                if theme not in found and any(re.search(r"(?<!\w)" + re.escape(word.lower()), lowered) for word in words):
                    found[theme] = phrase
    return found


def _same_place(name: str, wanted: str) -> bool:
    return bool(name) and bool(wanted) and name.strip().casefold() == wanted.strip().casefold()


def match_example(example: Example, country: str, region: str, themes: dict[str, str]) -> str | None:
    """Why an example fits the course (its country, its region, a theme), or None. A region
    matches when it is one of the example's regions, so "North Africa" brings the North
    African examples and "Africa" all the African ones."""
    if country and any(_same_place(name, country) for name in (example.country, *example.codes)):
        return f"the course is for {country}"
    wanted = " ".join(region.casefold().split())
    if wanted and any(" ".join(r.casefold().split()) == wanted for r in example.regions):
        return f"the course focuses on {region}"
    shared = [theme for theme in example.themes if theme in themes]
    if shared:
        return f"the needs assessment names '{themes[shared[0]]}' ({shared[0].replace('-', ' ')})"
    return None


def rule_practice_examples(course_input: CourseInput, plan: CoursePlan) -> None:
    """Brings in the dated practice examples from the source documents (A/HRC/31/80,
    A/65/156, the OHCHR brochure) that match the course's country, its region or the themes
    its assessment names. The guide asks trainers to use examples relevant to the
    participants' context and to link the course to national policies and practices
    (HR/P/PT/26, "Planning and designing a training course", p. 5-6). Examples of the
    country come first and are all kept; those that match by region or theme are capped per
    session."""
    examples = course_input.library.examples
    if not examples:
        return
    context = course_input.assessment.context
    country = context.country or course_input.course.country
    themes = course_themes(course_input)
    if not (country or context.region or themes):
        return
    running = {planned.id for planned in plan.sessions}
    for example in sorted(examples.values(), key=lambda e: (-(e.source.as_of or date.min).toordinal(), e.id)):
        reason = match_example(example, country, context.region, themes)
        if reason is None:
            continue
        for session in example.sessions:
            if session not in running:
                continue
            chosen = plan.examples.setdefault(session, [])
            others = sum(1 for e in chosen if match_example(e, country, "", {}) is None)
            by_country = match_example(example, country, "", {}) is not None
            if not by_country and others >= EXAMPLES_PER_SESSION:
                continue
            chosen.append(example)
            cited = f"{example.source.doc}, para. {example.source.paragraphs}" if example.source.paragraphs else example.source.doc
            plan.record(rule_practice_examples, f"practice example: {example.title} ({cited})", reason, session=session)
            break


def rule_language(course_input: CourseInput, plan: CoursePlan) -> None:
    """The course language selects the language of the documents: their fixed words and the
    library's participant-facing text, translated where its catalogues have it (the loader
    merged them: trainer/translate.py). course.yaml's `language` decides; when it is not set,
    the first language of the assessment does. The guide's course is offered in the
    languages the participants work in, with interpretation where needed (HR/P/PT/26,
    "Logistics", p. 6)."""
    course = course_input.course
    languages = course_input.assessment.context.languages
    plan.language = course_input.language
    if "language" in course.model_fields_set or not languages:
        reason = f"the course language: {LANGUAGE_NAMES.get(course.language, course.language)}"
    else:
        named = ", ".join(LANGUAGE_NAMES.get(code, code) for code in languages)
        reason = f"the languages the needs assessment names: {named} (the course settings name none)"
    if plan.language != "en":
        report = course_input.translation
        name = LANGUAGE_NAMES[plan.language]
        if report is None or not report.translated:
            change = f"documents in {name} (fixed words); the library text is not translated yet and stays in English"
        elif report.missing:
            change = (f"documents in {name}: fixed words and {report.translated} of {report.total} library texts; "
                      "the rest stays in English (the build lists it)")
        else:
            change = f"documents in {name}: fixed words and every library text"
        plan.record(rule_language, change, reason)
    elif languages and "en" not in languages:
        plan.record(
            rule_language,
            f"documents in English, but the assessment names {', '.join(LANGUAGE_NAMES.get(c, c) for c in languages)}: "
            "set the course language in course.yaml, or plan interpretation",
            reason,
        )


LANGUAGE_NAMES = {"en": "English", "fr": "French", "es": "Spanish", "ar": "Arabic", "ru": "Russian", "zh": "Chinese"}


RULES: list[Callable[[CourseInput, CoursePlan], None]] = [
    rule_working_groups,
    rule_context_choices,
    rule_menus,
    rule_sector_variants,
    rule_longer_course,
    rule_offline,
    rule_interpretation,
    rule_accessibility,
    rule_do_no_harm,
    rule_country_treaties,
    rule_practice_examples,
    rule_language,
]


def plan_course(course_input: CourseInput) -> CoursePlan:
    """The course's sessions as course.yaml orders and pins them, adapted by every rule."""
    sessions = course_input.library.sessions
    planned = [PlannedSession(sessions[choice.id], choice) for choice in course_input.course.sessions]
    plan = CoursePlan(planned, list(course_input.course.days), course_input.course.start_date, conditions(course_input))
    for rule in RULES:
        rule(course_input, plan)
    return plan


def time_effect(adaptation: Adaptation, agenda) -> str:  # type: ignore[no-untyped-def]
    """The time a change takes in the schedule, from the placed segments: "+20 min" for
    segments added, the difference from the guide for segments lengthened, "left out: no
    room" for an added segment the scheduler had to cut."""
    if not adaptation.segments or adaptation.session is None:
        return ""
    planned = next((p for p in agenda.plan if p.id == adaptation.session), None)
    placed = [agenda.placed(adaptation.session, segment) for segment in adaptation.segments]
    if adaptation.kind == "adds":
        if all(p is None for p in placed):
            return "left out: no room"
        return f"+{sum(p.minutes for p in placed if p is not None)} min"
    if adaptation.kind == "lengthens" and planned is not None:
        guide = {s.id: s.minutes.high for s in planned.session.segments()}
        delta = sum(p.minutes - guide[p.id] for p in placed if p is not None)
        return f"{delta:+d} min" if delta else ""
    return ""
