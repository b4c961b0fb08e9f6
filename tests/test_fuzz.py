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


@st.composite
def day_templates(draw) -> str:  # type: ignore[no-untyped-def]
    """course.yaml with generated days (hours, breaks, lunch, recap, wrap-up) and sessions."""

    def clock(minutes: int) -> str:
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    lines = ["title: Generated", f"sessions: [{', '.join(draw(st.lists(st.sampled_from(['session-1', 'session-2']), min_size=1, max_size=2, unique=True)))}]", "days:"]
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(6 * 60, 11 * 60))
        end = draw(st.integers(start + 15, min(start + 10 * 60, 21 * 60)))
        lines.append(f"  - start: '{clock(start)}'")
        lines.append(f"    end: '{clock(end)}'")
        if draw(st.booleans()):
            lunch = draw(st.integers(start, end))
            lines.append(f"    lunch: {{start: '{clock(lunch)}', minutes: {draw(st.integers(5, 90))}}}")
        breaks = draw(st.lists(st.integers(start - 30, end), max_size=3))
        if breaks:
            lines.append("    breaks:")
            lines.extend(f"      - {{start: '{clock(b)}', minutes: {draw(st.integers(5, 30))}}}" for b in breaks)
        for key in ("recap", "wrap_up", "close"):
            if draw(st.booleans()):
                lines.append(f"    {key}: {draw(st.integers(0, 45))}")
    return "\n".join(lines) + "\n"


@settings(max_examples=int(os.environ.get("TRAINER_FUZZ_EXAMPLES", "120")) // 3 or 1, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(course=day_templates())
def test_what_check_accepts_plan_and_build_can_do(tmp_path_factory, test_library, course):
    """The property of `trainer check`: when it passes, `plan` and `build` succeed."""
    from typer.testing import CliRunner

    from trainer.cli import app

    folder = tmp_path_factory.mktemp("fuzz") / "c"
    folder.mkdir()
    (folder / "course.yaml").write_text(course, encoding="utf-8")
    runner = CliRunner()
    checked = runner.invoke(app, ["check", str(folder)])
    assert checked.exit_code in (0, 1), (checked.exit_code, checked.output)
    if checked.exit_code == 1:
        assert "error(s); nothing was written" in checked.stderr and "Traceback" not in checked.stderr
        return
    from hypothesis import event

    event("check passed")
    planned = runner.invoke(app, ["plan", str(folder)])
    assert planned.exit_code == 0, (course, planned.stderr)
    built = runner.invoke(app, ["build", str(folder), "--only", "agenda", "--quiet"])
    assert built.exit_code == 0, (course, built.stderr)
