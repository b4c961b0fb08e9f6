"""Bad input: every message names the file, line and column, the field, and what was expected.

Each case runs `trainer check` on a broken copy of tests/roots/course-good and asserts the
exit code and the exact line a facilitator would read.
"""

from __future__ import annotations

import pytest

GOOD_COURSE = """
title: Test course
sessions:
  - session-1
  - session-2
days:
  - start: "09:00"
    end: "12:30"
"""

CASES = [
    pytest.param(
        {"course.yaml": "title: Test course\nlanguage: en\ncountry: NO\nvenue: Hall\nstart_date: 2027-03-01\ndays: []\nsesions:\n  - session-1\n"},
        "course.yaml:7:1: unknown field 'sesions' in course (did you mean 'sessions'?)",
        id="misspelt-top-level-key",
    ),
    pytest.param(
        {"course.yaml": GOOD_COURSE + "    brakes: []\n"},
        "course.yaml:8:5: unknown field 'brakes' in days[1] (did you mean 'breaks'?)",
        id="misspelt-nested-key",
    ),
    pytest.param(
        {"course.yaml": "title: A\ntitle: B\n"},
        "course.yaml:2:1: duplicate key 'title' (first given on line 1)",
        id="duplicate-key",
    ),
    pytest.param(
        {"course.yaml": "title: A\nsessions: [session-1\n"},
        "course.yaml:3:1: invalid YAML: did not find expected ',' or ']'",
        id="yaml-syntax",
    ),
    pytest.param(
        {"course.yaml": "sessions:\n  - session-1\n  - sesion-2\n"},
        "course.yaml:3:5: sessions[2]: unknown session 'sesion-2' (did you mean 'session-2'?)",
        id="unknown-session-id",
    ),
    pytest.param(
        {"course.yaml": "days:\n  - start: \"09:00\"\n    end: \"25:00\"\n"},
        "course.yaml:3:10: days[1].end: expected a time of day such as '09:00' or '13:15', got '25:00'",
        id="bad-clock-time",
    ),
    pytest.param(
        {"course.yaml": "language: de\n"},
        "course.yaml:1:11: language: expected one of 'en', 'fr', 'es', 'ar', 'ru' or 'zh', got 'de'",
        id="unsupported-language",
    ),
    pytest.param(
        {"course.yaml": "time_style: 24H\n"},
        "course.yaml:1:13: time_style: expected one of '24h' or 'un', got '24H' (did you mean '24h'?)",
        id="literal-with-suggestion",
    ),
    pytest.param(
        {"course.yaml": "days:\n  - start: \"17:00\"\n    end: \"09:00\"\n"},
        "course.yaml:2:5: days[1]: the day ends (09:00) before it starts (17:00)",
        id="day-backwards",
    ),
    pytest.param(
        {"assessment.yaml": "participants:\n  number: twenty\n"},
        "assessment.yaml:2:11: participants.number: expected a whole number, got 'twenty'",
        id="assessment-not-a-number",
    ),
    pytest.param(
        {"assessment.yaml": "logistics:\n  interpretation: whispered\n"},
        "assessment.yaml:2:19: logistics.interpretation: expected one of 'none', 'consecutive' or 'simultaneous', got 'whispered'",
        id="assessment-bad-choice",
    ),
    pytest.param(
        {
            "local/sessions/session-2.yaml": """
            id: session-2
            number: 2
            module: module-1
            title: Second session, local version
            duration: 1 hour
            aim: Learn.
            objectives: [Learn.]
            plan:
              - {id: talk, title: Talk, minutes: 40}
              - {id: film, title: Film, minutes: ten}
            sources: [{doc: LOCAL}]
            """
        },
        "local/sessions/session-2.yaml:10:38: plan[2].minutes: expected a number of minutes such as 10",
        id="bad-minutes",
    ),
    pytest.param(
        {
            "local/sessions/session-2.yaml": """
            id: session-2
            number: 2
            module: module-1
            title: Second session, local version
            duration: 1 hour
            aim: Learn.
            objectives: [Learn.]
            plan:
              - {id: talk, title: Talk, minutes: 40, activity: people-bingoo}
            sources: [{doc: LOCAL}]
            """
        },
        "local/sessions/session-2.yaml:9:52: plan[1].activity: unknown activity 'people-bingoo' (did you mean 'people-bingo'?)",
        id="unknown-activity-reference",
    ),
    pytest.param(
        {"local/handouts/intro.yaml": "id: intro\nbody: Hello\nsources: [{doc: LOCAL}]\n"},
        "local/handouts/intro.yaml:1:1: missing field 'title' in handout",
        id="missing-field",
    ),
    pytest.param(
        {"local/activities/bingo-card.yaml": "id: bingo-card\ntitle: T\npurpose: P\nminutes: 5\ngrouping: pairs\nsteps: [S]\nsources: [{doc: L}]\n"},
        "local/activities/bingo-card.yaml:1:5: id: 'bingo-card' is already the id of a handout",
        id="id-clash-across-kinds",
    ),
    pytest.param(
        {"course.yaml": "title: !!python/object/apply:os.system [echo hacked]\n"},
        "course.yaml:1:8: the tag '!!python/object/apply:os.system' is not allowed",
        id="python-tag",
    ),
    pytest.param(
        {
            "local/sessions/session-2.yaml": """
            id: session-2
            number: 2
            module: module-1
            title: Too long
            duration: 1 hour
            aim: Learn.
            objectives: [Learn.]
            plan:
              - {id: talk, title: Talk, minutes: 90}
            sources: [{doc: LOCAL}]
            """
        },
        "local/sessions/session-2.yaml:5:11: duration: the plan's segments take at least 1 h 30 min, more than the session's 1 h; if the guide's own plan says so, explain it in the session's duration_note",
        id="plan-longer-than-duration",
    ),
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_bad_input_message(course, cli, monkeypatch, files, expected):
    folder = course("course-good", files)
    monkeypatch.chdir(folder)
    code, out, err = cli("check", ".")
    assert code == 1
    assert expected in err.splitlines()[0] or any(line.startswith(expected) for line in err.splitlines()), err
    assert "Traceback" not in out + err
    assert "nothing was written" in err


def test_not_utf8(course, cli, monkeypatch):
    folder = course()
    (folder / "course.yaml").write_bytes(b"title: Caf\xe9\n")
    monkeypatch.chdir(folder)
    code, _, err = cli("check", ".")
    assert code == 1
    assert err.startswith("course.yaml:1:11: the file is not UTF-8 text")


def test_all_errors_are_reported_together(course, cli, monkeypatch):
    folder = course(
        "course-good",
        {
            "course.yaml": "title: T\nlanguag: en\n",
            "assessment.yaml": "participants:\n  number: many\n",
            "local/handouts/x.yaml": "id: x\ntitle: X\nsources: [{doc: L}]\n",
        },
    )
    monkeypatch.chdir(folder)
    code, _, err = cli("check", ".")
    assert code == 1
    lines = err.splitlines()
    assert any(line.startswith("course.yaml:2:1: unknown field 'languag'") for line in lines)
    assert any(line.startswith("assessment.yaml:2:11: participants.number") for line in lines)
    assert any(line.startswith("local/handouts/x.yaml:1:1: handout: a handout needs a 'body'") for line in lines)
    assert "3 error(s)" in lines[-1]


def test_missing_course_folder(cli, test_library, tmp_path):
    code, _, err = cli("check", tmp_path / "nowhere")
    assert code == 1
    assert "no such course folder" in err


def test_folder_without_course_yaml(cli, test_library, tmp_path):
    code, _, err = cli("check", tmp_path)
    assert code == 1
    assert "not a course folder (no course.yaml)" in err and "trainer init" in err


def test_text_fields_stay_text(course):
    from trainer.prepare import load as load_course

    loaded = load_course(course("course-good", {"course.yaml": "title: 'On'\ncountry: NO\nvenue: yes\ncity: 010\n"}))
    assert (loaded.course.title, loaded.course.country, loaded.course.venue, loaded.course.city) == ("On", "NO", "yes", "010")
    assert loaded.assessment.context.country == "NO"
    assert loaded.assessment.logistics.equipment.internet is False


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("../../secret.pptx", "course.yaml:3:13: slides.template: '../../secret.pptx' is outside the course folder"),
        ("ours.pptx", "course.yaml:3:13: slides.template: no .pptx file 'ours.pptx' in the course folder"),
    ],
)
def test_slide_template_must_be_inside_the_course(course, cli, monkeypatch, template, message):
    folder = course("course-good", {"course.yaml": f"title: T\nslides:\n  template: {template}\n"})
    monkeypatch.chdir(folder)
    code, _, err = cli("check", ".")
    assert code == 1 and message in err
