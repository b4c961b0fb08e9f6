"""The built-in library against the training guide (HR/P/PT/26): sessions, durations, segment
titles and minutes in the guide's order, and every activity and handout the sessions name."""

from __future__ import annotations

import pytest

from trainer.checks import forthcoming
from trainer.loader import load_course, load_library

LIBRARY, _ = load_library()
WAITING = forthcoming(LIBRARY)

# The module outlines' durations (p. 17, 41, 93), in minutes (low, high).
DURATIONS = {
    "session-1": (60, 90),
    "session-2": (150, 150),
    "session-3": (150, 150),
    "session-4": (120, 120),
    "session-5": (150, 150),
    "session-6": (150, 150),
    "session-7": (255, 255),
}

# Each session plan's timed rows, in the guide's order: (title, minutes as the guide writes them,
# [sub-timings]). Optional segments the library adds (e.g. session 3's power walk) are not rows
# of the guide's table and are left out of the comparison.
PLANS = {
    "session-3": [
        ("Session introduction", "5", []),
        ("What are human rights?", "60", ["20", "30", "10"]),
        ("The international legal protection framework", "5", []),
        ("Universal Declaration of Human Rights; core international human rights instruments", "5", []),
        ("Rights holders and duty bearers; obligations of the State", "15", []),
        ("Human rights: key concepts", "10", []),
        ("Special focus: non-discrimination", "30-40", ["10", "10", "20"]),
        ("Summary and key messages", "10", []),
    ],
}


def session_or_xfail(session_id: str):  # type: ignore[no-untyped-def]
    if session_id in WAITING:
        pytest.xfail(f"{session_id} is not yet written for the library")
    return LIBRARY.sessions[session_id]


def test_library_checks_clean():
    course_input = load_course(None)
    assert not [p for p in course_input.warnings if "sample course leaves out" not in p.message]


@pytest.mark.parametrize("session_id", sorted(DURATIONS))
def test_session_durations_match_the_module_outlines(session_id):
    session = session_or_xfail(session_id)
    assert (session.duration.low, session.duration.high) == DURATIONS[session_id]


@pytest.mark.parametrize("session_id", sorted(PLANS))
def test_segment_titles_and_minutes_follow_the_guide(session_id):
    session = session_or_xfail(session_id)
    rows = [
        (segment.title, str(segment.minutes), [str(part.minutes) for part in segment.parts])
        for segment in session.plan
        if not segment.optional
    ]
    assert rows == PLANS[session_id]


@pytest.mark.parametrize("session_id", sorted(DURATIONS))
def test_named_activities_and_handouts_exist_and_are_used(session_id):
    session = session_or_xfail(session_id)
    used_activities = {
        a for s in session.segments() for a in ([s.activity] if s.activity else []) + [c.activity for c in s.choice] + s.also
    }
    used_handouts = {h for s in session.segments() for h in s.handouts}
    for activity in session.activities:
        assert activity in LIBRARY.activities
        assert activity in used_activities, f"{activity} is named but no segment runs it"
        used_handouts |= {use.handout for use in LIBRARY.activities[activity].handouts}
    for handout in session.handouts:
        assert handout in LIBRARY.handouts


@pytest.mark.parametrize("session_id", sorted(DURATIONS))
def test_every_session_has_sources_and_substantial_notes(session_id):
    session = session_or_xfail(session_id)
    assert any(source.doc == "HR/P/PT/26" and source.pages for source in session.sources)
    words = len(session.notes.split()) + sum(len(s.notes.split()) for s in session.segments())
    assert words >= 600, f"{session_id}: only {words} words of facilitator notes"


@pytest.mark.parametrize("form_id", ["pre-course", "end-of-day", "end-of-course", "learning-path"])
def test_forms_ask_gender_and_sector_and_tag_every_question(form_id):
    form = LIBRARY.forms[form_id]
    questions = {q.id: q for q in form.questions()}
    gender = questions["gender"]
    assert not gender.required and gender.other and "prefer-not-to-say" in [o.value for o in gender.options]
    assert questions["sector"].type == "single"
    assert all(q.level in ("profile", "reaction", "learning", "intended-use") for q in form.questions())


def test_pre_course_questionnaire_feeds_trainer_assess():
    names = {q.id.replace("-", "_") for q in LIBRARY.forms["pre-course"].questions()}
    assert {"sector", "gender", "hr_experience", "migration_experience", "topics", "expectations"} <= names


@pytest.mark.parametrize(
    ("country", "region", "expected"),
    [("MX", "", "mexico-migrant-rights-indicators"), ("Jordan", "", "jordan-domestic-workers-roadmap"),
     ("", "South-East Asia", "thailand-shelters-nhri-mission")],
)
def test_the_examples_library_matches_a_course_by_country_or_region(tmp_path, country, region, expected):
    from trainer.adapt import plan_course

    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "course.yaml").write_text("title: A course\n", encoding="utf-8")
    (folder / "assessment.yaml").write_text(f"context: {{country: '{country}', region: '{region}'}}\n", encoding="utf-8")
    plan = plan_course(load_course(folder))
    chosen = {example.id for examples in plan.examples.values() for example in examples}
    assert expected in chosen
    assert all(e.source.as_of for examples in plan.examples.values() for e in examples)


def test_every_example_is_dated_and_placed():
    for example in LIBRARY.examples.values():
        assert example.source.as_of is not None and example.source.doc
        assert example.country or example.regions, example.id
        assert all(session in LIBRARY.sessions for session in example.sessions), example.id
