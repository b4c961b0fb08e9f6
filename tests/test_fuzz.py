"""Fuzzing the inputs a course folder carries: every run ends in success or a clean message.

Generated and mutated course.yaml, assessment.yaml, local session and activity files and
questionnaire exports go through `trainer check` (and `plan`); the property is that the
command exits 0 or 1 with a message, never with a traceback (an internal error, exit 70),
a hang, or a half-written file. `benchmarks/fuzz.py` runs the same properties for longer.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOTS = Path(__file__).parent / "roots"
GOOD = {name: (ROOTS / "course-good" / name).read_text(encoding="utf-8") for name in ("course.yaml", "assessment.yaml")}
SESSION = (ROOTS / "library" / "modules" / "sessions" / "session-1.yaml").read_text(encoding="utf-8")
ACTIVITY = (ROOTS / "library" / "activities" / "people-bingo.yaml").read_text(encoding="utf-8")

YAML_BITS = st.sampled_from(
    ["", ":", "- ", "{", "}", "[", "]", "&a", "*a", "!!python/object:os.system", "~", "NO", "1:30", "010",
     "\t", "\n", "  ", "'", '"', "#", "<<: *a", "%YAML 1.1", "---", "...", "é", "\u202e", "\x00", "\ufffe",
     "-1", "99999999999999999999", "1e400", ".nan", "2027-02-30", "25:00", "sesions", "minutes", "plan"]
)


@st.composite
def mutated(draw, text: str) -> str:  # type: ignore[no-untyped-def]
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            lines.append("")
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["insert", "replace", "delete", "duplicate", "indent"]))
        line = lines[index]
        if action == "insert":
            position = draw(st.integers(0, len(line)))
            lines[index] = line[:position] + draw(YAML_BITS) + line[position:]
        elif action == "replace":
            lines[index] = draw(st.text(max_size=30)) if draw(st.booleans()) else draw(YAML_BITS)
        elif action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, line)
        else:
            lines[index] = "  " + line
    return "\n".join(lines) + "\n"


def run_check(cli, folder: Path, *extra: str) -> None:  # type: ignore[no-untyped-def]
    from trainer.cli import app
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["check", str(folder), *extra])
    assert result.exit_code in (0, 1), (result.exit_code, result.output, repr(result.exception))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    if result.exit_code == 1:
        assert result.stderr.strip(), "an error exit must say why"
        assert "Traceback" not in result.stderr


import os

FUZZ = settings(
    max_examples=int(os.environ.get("TRAINER_FUZZ_EXAMPLES", "120")), deadline=None, suppress_health_check=list(HealthCheck)
)


@FUZZ
@given(course=mutated(GOOD["course.yaml"]), assessment=mutated(GOOD["assessment.yaml"]))
def test_mutated_course_and_assessment(tmp_path_factory, test_library, cli, course, assessment):
    folder = tmp_path_factory.mktemp("fuzz") / "c"
    shutil.copytree(ROOTS / "course-good", folder)
    (folder / "course.yaml").write_text(course, encoding="utf-8", errors="surrogatepass")
    (folder / "assessment.yaml").write_text(assessment, encoding="utf-8", errors="surrogatepass")
    run_check(cli, folder)


@FUZZ
@given(session=mutated(SESSION), activity=mutated(ACTIVITY))
def test_mutated_local_session_and_activity(tmp_path_factory, test_library, cli, session, activity):
    folder = tmp_path_factory.mktemp("fuzz") / "c"
    shutil.copytree(ROOTS / "course-good", folder)
    (folder / "local/sessions").mkdir(parents=True, exist_ok=True)
    (folder / "local/sessions/session-1.yaml").write_text(session, encoding="utf-8", errors="surrogatepass")
    (folder / "local/activities/people-bingo.yaml").write_text(activity, encoding="utf-8", errors="surrogatepass")
    run_check(cli, folder)


@FUZZ
@given(raw=st.binary(max_size=400))
def test_random_bytes_as_course_yaml(tmp_path_factory, test_library, cli, raw):
    folder = tmp_path_factory.mktemp("fuzz") / "c"
    shutil.copytree(ROOTS / "course-good", folder)
    (folder / "course.yaml").write_bytes(raw)
    run_check(cli, folder)


@FUZZ
@given(
    rows=st.lists(
        st.lists(st.sampled_from(["government", "ngo", "woman", "man", "1", "9", "x", "", "cmw terms", "é", "=1+1", ";", ","]), min_size=0, max_size=6),
        max_size=30,
    )
)
def test_questionnaire_exports(tmp_path_factory, rows):
    from trainer.assess import ResponsesError, summarise

    path = tmp_path_factory.mktemp("fuzz") / "answers.csv"
    header = "sector,gender,hr_experience,migration_experience,topics,expectations\n"
    path.write_text(header + "\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
    try:
        summary = summarise(path)
    except ResponsesError as error:
        assert str(error)
        return
    assert summary.used + len({p.line for p in summary.problems}) == summary.rows
