"""Each adaptation rule: it fires when its assessment field says so, stays quiet otherwise,
records what it changed and why, and its effect shows in the documents.

The rules library (tests/roots/rules-library) has one segment for each rule to act on:
a talk-heavy segment with a country slide, an activity with do-no-harm notes, an optional
power walk, an activity with government and NGO variants, and a video.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from trainer.adapt import CoursePlan, plan_course
from trainer.prepare import load as load_course

RULES_LIBRARY = Path(__file__).parent / "roots" / "rules-library"

COURSE = """
title: Rules course
start_date: 2027-03-01
sessions: [session-1, session-2, session-3]
days:
  - {start: "09:00", end: "13:00", breaks: [{start: "10:30", minutes: 15}], wrap_up: 15}
  - {start: "09:00", end: "13:00", breaks: [{start: "10:30", minutes: 15}], wrap_up: 15}
"""


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """plan(assessment=..., course=...) -> the adapted plan of a course on the rules library."""
    monkeypatch.setenv("TRAINER_LIBRARY", str(RULES_LIBRARY))
    count = 0

    def make(assessment: str = "", course: str = COURSE) -> Path:
        nonlocal count
        count += 1
        folder = tmp_path / f"course-{count}"
        folder.mkdir()
        (folder / "course.yaml").write_text(textwrap.dedent(course).lstrip(), encoding="utf-8")
        (folder / "assessment.yaml").write_text(textwrap.dedent(assessment).lstrip() or "{}\n", encoding="utf-8")
        return folder

    return make


def plan(folder: Path) -> CoursePlan:
    return plan_course(load_course(folder))


def session(course_plan: CoursePlan, session_id: str = "session-3"):  # type: ignore[no-untyped-def]
    return next(p for p in course_plan.sessions if p.id == session_id)


def changes(course_plan: CoursePlan, rule: str) -> list[str]:
    return [f"{a.change} | {a.reason}" for a in course_plan.adaptations if a.rule == rule]


# ----------------------------------------------------------------- working groups


@pytest.mark.parametrize(("number", "groups"), [(12, 2), (22, 4), (24, 4), (30, 5)])
def test_group_size_sets_the_working_groups(rules, number, groups):
    course_plan = plan(rules(f"participants: {{number: {number}}}"))
    assert course_plan.groups == groups
    assert changes(course_plan, "working groups") == [
        f"{groups} working groups for {number} participants | the number of participants in the needs assessment"
    ]


# ----------------------------------------------------------------- sector variants


@pytest.mark.parametrize(
    ("sectors", "variant"),
    [("{government: 15, ngo: 5}", "government"), ("{ngo: 14, un: 4}", "ngo"), ("{government: 6, ngo: 6, un: 6}", None)],
)
def test_sectors_choose_the_activity_variant(rules, sectors, variant):
    course_plan = plan(rules(f"participants: {{number: 20, sectors: {sectors}}}"))
    assert session(course_plan).variants.get("whats-in-it") == variant
    recorded = changes(course_plan, "sector variants")
    if variant:
        assert recorded == [f"What's in it for me?: variant '{variant.upper() if variant == 'ngo' else 'Government'} question set' | "
                            + recorded[0].split(" | ")[1]]
        assert f"the participants' sectors: {'NGOs' if variant == 'ngo' else variant}" in recorded[0]
    else:
        assert recorded == []


# ----------------------------------------------------------------- experience


def test_low_experience_adds_the_power_walk(rules):
    folder = rules("participants: {human_rights_experience: none, migration_experience: basic}")
    course_plan = plan(folder)
    assert "walk" in session(course_plan).optional_included
    (recorded,) = changes(course_plan, "context choices")
    assert recorded == "adds 'Power walk' | the participants' experience: none in human rights, basic in migration"
    # the time it takes is the scheduled one: the same minutes as the timed plan
    from trainer.adapt import time_effect
    from trainer.prepare import prepare

    prepared = prepare(folder)
    (adaptation,) = [a for a in prepared.plan.adaptations if a.rule == "context choices"]
    assert time_effect(adaptation, prepared.agenda) == f"+{prepared.agenda.placed('session-3', 'walk').minutes} min"


def test_advanced_participants_do_not_get_the_power_walk(rules):
    course_plan = plan(rules("participants: {human_rights_experience: advanced, migration_experience: advanced}"))
    assert "walk" not in session(course_plan).optional_included
    assert changes(course_plan, "context choices") == []
    assert "high_experience" in course_plan.conditions


# ----------------------------------------------------------------- longer course


def test_a_course_of_more_than_three_days_extends_the_introductions(rules):
    days = "\n".join('  - {start: "09:00", end: "12:00", wrap_up: 15}' for _ in range(4))
    course = COURSE.split("days:")[0] + "days:\n" + days + "\n"
    course_plan = plan(rules("", course))
    extended = session(course_plan, "session-1").minutes_override
    assert extended["introductions"].low == 30 and extended["introductions"].high == 45
    assert changes(course_plan, "longer course") == ["'Introductions' extended | the course runs 4 days"]


def test_a_three_day_course_keeps_the_guides_introductions(rules):
    course_plan = plan(rules())
    assert "introductions" not in session(course_plan, "session-1").minutes_override
    assert changes(course_plan, "longer course") == []


# ----------------------------------------------------------------- offline


def test_no_internet_swaps_the_video_for_its_offline_alternative(rules):
    course_plan = plan(rules("logistics: {equipment: {internet: no}}"))
    assert "video" in session(course_plan).offline
    assert "'Video': Read a testimony aloud instead of the video (see the session plan) | the room has no internet connection" in changes(course_plan, "offline")


def test_with_internet_and_projector_nothing_goes_offline(rules):
    course_plan = plan(rules())
    assert not session(course_plan).offline
    assert changes(course_plan, "offline") == []


# ----------------------------------------------------------------- interpretation


def test_consecutive_interpretation_stretches_talk_heavy_segments(rules):
    folder = rules("logistics: {interpretation: consecutive, interpretation_factor: 2}")
    course_plan = plan(folder)
    stretched = session(course_plan).minutes_override["rights"]
    assert (stretched.low, stretched.high) == (60, 60)
    (adaptation,) = [a for a in course_plan.adaptations if a.rule == "interpretation" and a.session == "session-3"]
    assert adaptation.segments == ("rights",) and "x2" in adaptation.change
    from trainer.adapt import time_effect
    from trainer.prepare import prepare

    prepared = prepare(folder)
    placed = prepared.agenda.placed("session-3", "rights")
    assert time_effect(prepared.plan.adaptations[[a.rule for a in prepared.plan.adaptations].index("interpretation")],
                       prepared.agenda) == f"+{placed.minutes - 30} min"


def test_simultaneous_interpretation_changes_no_timing(rules):
    course_plan = plan(rules("logistics: {interpretation: simultaneous}"))
    assert "rights" not in session(course_plan).minutes_override
    assert changes(course_plan, "interpretation") == []


def test_interpretation_that_overflows_the_days_says_so(rules, cli):
    one_day = COURSE.split("days:")[0] + 'days:\n  - {start: "09:00", end: "13:00", breaks: [{start: "10:30", minutes: 15}], wrap_up: 15}\n'
    assert cli("plan", rules("", one_day))[0] == 0
    code, out, err = cli("plan", rules("logistics: {interpretation: consecutive, interpretation_factor: 3}", one_day))
    assert code != 0
    assert "needs at least" in err and "Traceback" not in err


# ----------------------------------------------------------------- accessibility


def test_large_print_need_gives_large_print_handouts(rules):
    course_plan = plan(rules("logistics: {accessibility: [large print]}"))
    assert course_plan.large_print
    assert changes(course_plan, "accessibility") == ["participant handouts in large print | the participants' accessibility needs: large print"]


def test_other_accessibility_needs_give_facilitator_notes_only(rules):
    course_plan = plan(rules("logistics: {accessibility: [wheelchair access]}"))
    assert not course_plan.large_print
    assert changes(course_plan, "accessibility") == [
        "accessibility notes for the facilitators | the participants' accessibility needs: wheelchair access"
    ]
    assert changes(plan(rules()), "accessibility") == []


# ----------------------------------------------------------------- do no harm


INTERMEDIATE = "{human_rights_experience: intermediate, migration_experience: intermediate"


@pytest.mark.parametrize(
    "assessment",
    [f"participants: {INTERMEDIATE}, lived_experience: yes}}", f"participants: {INTERMEDIATE}}}\ncontext: {{sensitive: yes}}"],
)
def test_lived_experience_or_a_sensitive_context_brings_do_no_harm_notes(rules, assessment):
    course_plan = plan(rules(assessment + "\n"))
    assert "walk" not in session(course_plan).optional_included
    assert session(course_plan).do_no_harm == {"stories"}
    recorded = changes(course_plan, "do no harm")
    assert recorded[0].startswith("Migrant stories: do-no-harm notes and the lower-exposure way to run it | ")
    # the segment's own note is for lived experience only, not for every sensitive context
    assert any(r.startswith("'Migrant stories': Let anyone pass |") for r in recorded) == ("lived_experience" in assessment)


def test_lived_experience_with_the_power_walk_covers_it_too(rules):
    course_plan = plan(rules("participants: {lived_experience: yes, human_rights_experience: none}"))
    assert session(course_plan).do_no_harm == {"stories", "walk"}


def test_no_do_no_harm_notes_without_the_condition(rules):
    course_plan = plan(rules())
    assert not session(course_plan).do_no_harm
    assert changes(course_plan, "do no harm") == []


# ----------------------------------------------------------------- country and examples


def test_a_country_with_its_treaties_gets_a_dated_treaty_slide(rules):
    course_plan = plan(
        rules(
            """
            context:
              country: MX
              treaties_ratified: [{name: ICCPR, ratified: "1981"}, {name: CMW, ratified: "1999"}]
              treaties_checked_on: 2027-01-15
            """
        )
    )
    assert changes(course_plan, "country treaties") == [
        "slide of the treaties MX has ratified (2 listed, checked on 2027-01-15) | the course is for MX"
    ]


def test_a_country_without_its_treaties_asks_for_them(rules):
    (recorded,) = changes(plan(rules("context: {country: MX}")), "country treaties")
    assert "none listed in the assessment" in recorded and "OHCHR ratification database" in recorded


def test_no_country_no_treaty_slide(rules):
    assert changes(plan(rules()), "country treaties") == []


@pytest.mark.parametrize(
    ("assessment", "expected", "why"),
    [
        ("context: {country: MX}", ["mexico-law"], "the course is for MX"),
        ("context: {country: Mexico}", ["mexico-law"], "the course is for Mexico"),
        ("context: {region: europe}", ["europe-detention"], "the course focuses on europe"),
        ("context: {region: Western Europe}", [], None),
        ("context: {concerns: [exploitation of migrant domestic workers by recruiters]}", ["thai-labour"], "names 'exploitation of migrant domestic workers by recruiters' (labour rights)"),
        ("participants: {topics_of_interest: [immigration detention]}", ["europe-detention"], "names 'immigration detention' (detention)"),
        ("context: {country: Norway}", [], None),
    ],
)
def test_practice_examples_match_country_region_or_theme(rules, assessment, expected, why):
    course_plan = plan(rules(assessment))
    assert [e.id for e in course_plan.examples.get("session-3", [])] == expected
    recorded = changes(course_plan, "practice examples")
    assert len(recorded) == len(expected)
    if why:
        assert why in recorded[0] and "(TEST/" in recorded[0]


@pytest.mark.parametrize(
    ("english", "translated"),
    [
        ("context: {concerns: [exploitation of migrant domestic workers by recruiters]}",
         "context: {concerns: [exploitation des travailleuses domestiques migrantes par les agences de recrutement]}"),
        ("participants: {topics_of_interest: [immigration detention]}",
         "participants: {topics_of_interest: [la détention des migrants]}"),
    ],
)
def test_a_french_assessment_matches_the_examples_of_its_english_equivalent(rules, english, translated):
    """The theme words are data (vocabulary/<language>.yaml), in every course language."""
    assert [e.id for e in plan(rules(translated)).examples.get("session-3", [])] == [
        e.id for e in plan(rules(english)).examples.get("session-3", [])
    ] != []


def test_examples_of_sessions_the_course_leaves_out_are_not_added(rules):
    course = COURSE.replace("[session-1, session-2, session-3]", "[session-1, session-2]")
    assert plan(rules("context: {country: MX}", course)).examples == {}


# ----------------------------------------------------------------- language


def test_the_assessment_language_is_used_when_the_course_sets_none(rules):
    course_plan = plan(rules("context: {languages: [fr, en]}"))
    assert course_plan.language == "fr"
    (recorded,) = changes(course_plan, "language")
    assert recorded.startswith("documents in French (fixed words)") and "the languages the needs assessment names: French, English" in recorded


def test_the_course_language_wins_over_the_assessment(rules):
    course_plan = plan(rules("context: {languages: [fr]}", COURSE + "language: es\n"))
    assert course_plan.language == "es"
    assert "the course language: Spanish" in changes(course_plan, "language")[0]


def test_english_course_for_a_non_english_audience_is_flagged(rules):
    (recorded,) = changes(plan(rules("context: {languages: [ru]}", COURSE + "language: en\n")), "language")
    assert "set the course language in course.yaml" in recorded


def test_english_by_default(rules):
    course_plan = plan(rules())
    assert course_plan.language == "en" and changes(course_plan, "language") == []


# ----------------------------------------------------------------- effects in the documents


@pytest.fixture(scope="module")
def adapted_build(tmp_path_factory) -> Path:
    """One course that sets off most rules, built once: lived experience, a country with its
    treaties, a theme, no internet, French documents."""
    import os

    from trainer.build import build

    folder = tmp_path_factory.mktemp("adapted") / "course"
    folder.mkdir()
    (folder / "course.yaml").write_text(textwrap.dedent(COURSE).lstrip(), encoding="utf-8")
    (folder / "assessment.yaml").write_text(
        textwrap.dedent(
            """
            context:
              country: MX
              languages: [fr]
              treaties_ratified: [{name: "Pacte international relatif aux droits civils et politiques", ratified: "1981"}]
              treaties_checked_on: 2027-01-15
            participants: {lived_experience: yes, number: 30, sectors: {government: 30}}
            logistics: {equipment: {internet: no}, interpretation: consecutive, interpretation_factor: 1.5}
            """
        ).lstrip(),
        encoding="utf-8",
    )
    old = os.environ.get("TRAINER_LIBRARY")
    os.environ["TRAINER_LIBRARY"] = str(RULES_LIBRARY)
    try:
        build(folder, folder / "build", only="agenda,session-plans,slides,checklist", workers=1)
    finally:
        if old is None:
            os.environ.pop("TRAINER_LIBRARY")
        else:
            os.environ["TRAINER_LIBRARY"] = old
    return folder / "build"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_session_plan_shows_the_do_no_harm_notes_that_apply(adapted_build):
    text = " ".join(pdf_text(adapted_build / "sessions/session-3.pdf").split())
    assert "Some participants may have lived these stories" in text
    assert "Use only the printed fictional stories" in text
    assert "Let anyone pass." in text


def test_session_plan_lists_the_matched_practice_example_with_its_source(adapted_build):
    text = " ".join(pdf_text(adapted_build / "sessions/session-3.pdf").split())
    assert "A MIGRATION LAW FOR MEXICO" in text.upper()
    assert "TEST/1, para. 12" in text and "2016-01-01" in text


def test_facilitator_guide_lists_every_adaptation(adapted_build):
    text = " ".join(pdf_text(adapted_build / "facilitator-guide.pdf").split())
    # the rules in the facilitator's words, in the course language (French)
    for expected in ("Ne pas nuire", "Exemples de pratiques", "Diapositives sur le pays", "Sans internet ni projecteur", "Langue"):
        assert expected in text, expected
    assert "participants.lived_experience" not in text and "logistics.equipment" not in text


def test_deck_has_the_treaty_slide_with_its_check_date(adapted_build):
    deck = Presentation(str(adapted_build / "slides/session-3.pptx"))
    texts = [" ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame) for slide in deck.slides]
    (treaty,) = [t for t in texts if "Treaties ratified by MX" in t]
    assert "Pacte international relatif aux droits civils et politiques (1981)" in treaty
    assert "2027-01-15" in treaty


def test_documents_use_the_assessment_language(adapted_build):
    text = pdf_text(adapted_build / "agenda/agenda.pdf")
    assert "Jour 1" in text and "Day 1" not in text


def test_checklist_prepares_an_activity_once_however_many_rows_use_it(adapted_build):
    # the stories segment and its first part both name the activity
    text = pdf_text(adapted_build / "checklist.pdf")
    assert text.count("Story sheets") == 1


def test_an_added_optional_segment_that_does_not_fit_is_cut_not_fatal(rules, cli):
    """Low experience adds the power walk; when even the shortest course has no room for it,
    the scheduler leaves it out and says so, instead of refusing the course."""
    short_day = COURSE.split("days:")[0] + 'days:\n  - {start: "09:00", end: "12:30", breaks: [{start: "10:30", minutes: 15}], wrap_up: 15}\n'
    folder = rules("participants: {human_rights_experience: none, migration_experience: none}", short_day)
    code, out, err = cli("plan", folder, "--json")
    assert code == 0, err
    cut = [c for c in json.loads(out)["changes"] if c["action"] == "cut"]
    assert [(c["session"], c["segment"]) for c in cut] == [("session-3", "walk")]
    assert "no room" in cut[0]["reason"]


def test_session_plan_marks_the_offline_video_the_variant_and_the_stretched_time(adapted_build):
    text = " ".join(pdf_text(adapted_build / "sessions/session-3.pdf").split())
    # the course's documents are in French (the assessment's language)
    assert "solution hors ligne retenue pour cette formation" in text and "Read a testimony aloud instead of the video." in text
    assert "Variante: Government question set · retenue pour cette formation" in text
    assert "45 min (guide: 30 min)" in text  # the talk-heavy segment under consecutive interpretation


def test_checklist_counts_the_assessed_group(adapted_build):
    assert "30 participants répartis en 5 groupes de travail" in pdf_text(adapted_build / "checklist.pdf")
