"""The scheduler on the courses trainers ask for (tests/courses/): every agenda a facilitator
would accept. For each course: no segment below its floor, no part of a split session under
20 minutes, no stretch past the break limit where the scheduler places the breaks, every
minute of every day accounted for, the three accounts (adaptation table, the scheduler's
changes, the timed plan) stating the same minutes, and dependants warned."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.adapt import time_effect
from trainer.prepare import prepare
from trainer.schedule import BREAK_LIMIT, SHORTEST_PART, clock

COURSES = Path(__file__).parent / "courses"
CORPUS = sorted(path.name for path in COURSES.iterdir() if (path / "course.yaml").is_file())


@pytest.fixture(autouse=True)
def built_in_library(monkeypatch):
    monkeypatch.delenv("TRAINER_LIBRARY", raising=False)


def test_the_corpus_holds_the_courses_trainers_ask_for():
    assert len(CORPUS) >= 12
    for wanted in ("one-day", "two-days-with-breaks", "two-days-without-breaks", "guide-three-days", "five-half-days",
                   "four-days-long-module-1", "interpretation-20", "forty-participants", "sessions-1-5-7",
                   "local-session", "starts-at-0800", "starts-at-1000", "friday-prayers"):
        assert wanted in CORPUS


def measures(prepared) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Everything that breaks a property, by property (empty lists when all is well)."""
    agenda = prepared.agenda
    found: dict[str, list[str]] = {"below floor": [], "fragment": [], "stretch": [], "unaccounted": [], "accounts": []}
    plan = {p.id: p for p in agenda.plan}
    for item in agenda.sessions():
        planned = plan[item.session]
        for placed in item.segments:
            if placed.id == "break":
                continue
            segment = next(s for s in planned.session.plan if s.id == placed.id)
            floor = planned.choice.segments[segment.id].high if segment.id in planned.choice.segments else planned.floor_for(segment)
            if placed.minutes < floor:
                found["below floor"].append(f"{item.session}/{placed.id}: {placed.minutes} < {floor}")
            for part in placed.parts:
                sub = next(p for p in segment.parts if p.id == part.id)
                if part.minutes < min(planned.floor_for(sub), sub.minutes.high) and segment.id not in planned.choice.segments:
                    found["below floor"].append(f"{item.session}/{part.id}: {part.minutes}")
    by_session: dict[str, list] = {}  # type: ignore[type-arg]
    for item in agenda.sessions():
        by_session.setdefault(item.session, []).append(item)
    for session, items in by_session.items():
        if len(items) > 1:
            labelled = [i for i in items if not i.label]
            for item in labelled:
                if item.end - item.start - item.time_in_hand < SHORTEST_PART and len(labelled) > 1:
                    found["fragment"].append(f"{session} {clock(item.start)}-{clock(item.end)}")
    days = prepared.course.days
    for agenda_day, template in zip(agenda.days, days, strict=True):
        cursor = agenda_day.start
        for item in agenda_day.items:
            if item.start != cursor:
                found["unaccounted"].append(f"day {agenda_day.number} {clock(cursor)}-{clock(item.start)}")
            cursor = max(cursor, item.end)
        if cursor != agenda_day.end:
            found["unaccounted"].append(f"day {agenda_day.number} ends {clock(cursor)}")
        if template.breaks is None:
            stretch = agenda_day.start
            for item in agenda_day.items:
                if item.kind in ("break", "lunch", "time-in-hand"):
                    stretch = item.end
                    continue
                for segment in item.segments:
                    if segment.id == "break":
                        stretch = segment.end
                facilitated = item.end - item.time_in_hand
                if facilitated - stretch > BREAK_LIMIT + 15:
                    found["stretch"].append(f"day {agenda_day.number} {clock(stretch)}-{clock(facilitated)}")
                if item.time_in_hand >= 15:
                    stretch = item.end
    # the accounts: the adaptation table and the changes state the placed minutes
    for adaptation in prepared.plan.adaptations:
        if adaptation.kind == "adds":
            placed = [agenda.placed(adaptation.session, s) for s in adaptation.segments]
            stated = time_effect(adaptation, agenda)
            expected = "left out: no room" if all(p is None for p in placed) else f"+{sum(p.minutes for p in placed if p)} min"
            if stated != expected:
                found["accounts"].append(f"{adaptation.change}: {stated} vs {expected}")
    for change in agenda.changes:
        if change.segment is None:
            continue
        placed = agenda.placed(change.session, change.segment)
        guide = next(s for s in plan[change.session].session.plan if s.id == change.segment)
        minutes = plan[change.session].minutes_for(guide)
        if change.action == "shortened" and (placed is None or minutes.low - placed.minutes != change.minutes):
            found["accounts"].append(f"{change}")
        if change.action == "added" and (placed is None or placed.minutes != change.minutes):
            found["accounts"].append(f"{change}")
        if change.action in ("shortened", "lengthened", "added") and placed is not None:
            if f"{placed.minutes} min" not in change.reason:
                found["accounts"].append(f"{change}")
    return found


@pytest.mark.parametrize("name", CORPUS)
def test_every_course_of_the_corpus_gets_an_agenda_a_facilitator_would_accept(name):
    prepared = prepare(COURSES / name)
    found = measures(prepared)
    assert found == {key: [] for key in found}, name
    assert len(prepared.agenda.warnings) == len(set(prepared.agenda.warnings)), "a warning printed twice"


def test_the_untouched_sample_course_has_no_warnings_and_reproduces_the_guide():
    prepared = prepare(None)
    assert prepared.agenda.warnings == []
    assert measures(prepared)["unaccounted"] == []


def test_a_course_that_uses_the_sample_days_says_its_warnings_are_the_guides(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "course.yaml").write_text("title: Six sessions\nsessions: [session-1, session-2, session-3, session-4, session-5, session-7]\n")
    prepared = prepare(folder)
    assert prepared.agenda.warnings and all(w.endswith("(as in the guide's sample agenda)") for w in prepared.agenda.warnings)


def test_dropping_sessions_warns_about_their_dependants(cli):
    code, _, err = cli("check", COURSES / "sessions-1-5-7")
    assert code == 0
    assert re.search(r"session 5 builds on session 4 \(.*\), which this course leaves out: session 5's plan says what to do instead", err)
    assert re.search(r"session 7 builds on session 6 \(.*\), which this course leaves out", err)


def test_a_menu_fills_its_own_time_with_the_items_that_fit_the_group(tmp_path):
    import shutil

    folder = tmp_path / "c"
    shutil.copytree(COURSES / "two-days-with-breaks", folder)
    (folder / "assessment.yaml").write_text("participants:\n  number: 30\n  sectors: {government: 30}\n")
    prepared = prepare(folder)
    functions = prepared.agenda.placed("session-5", "functions")
    assert functions.minutes == 30
    assert [p.id for p in functions.parts] == ["functions-introduction", "state-review", "country-visits", "general-comments"]
    (adaptation,) = [a for a in prepared.plan.adaptations if a.rule == "menus"]
    # the corpus course is in French: the plan names the parts by their French slide titles
    assert "Examen des États, Visites de pays, Observations générales et recommandations générales" in adaptation.change
    assert "government 30 of 30" in adaptation.reason
    (folder / "assessment.yaml").write_text("participants:\n  number: 30\n  sectors: {government: 10, ngo: 10, un: 10}\n")
    mixed = prepare(folder).agenda.placed("session-5", "functions")
    assert mixed.minutes == 30 and len(mixed.parts) >= 3


def test_plan_fits_eighty_columns_and_shows_the_agenda_first(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    from typer.testing import CliRunner

    from trainer.cli import app

    result = CliRunner().invoke(app, ["plan", str(COURSES / "two-days-without-breaks")], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("course: ")  # the folder as the user gave it
    assert all(len(line) <= 80 for line in lines[1:]), [line for line in lines if len(line) > 80]
    assert lines[1].startswith("Approche") and lines[3].startswith("Day 1")
    assert len(lines) <= 60 and "trainer plan --detail" in lines[-1]
    detail = CliRunner().invoke(app, ["plan", str(COURSES / "two-days-without-breaks"), "--detail"], env={"COLUMNS": "80"})
    assert all(len(line) <= 80 for line in detail.stdout.splitlines()[1:])
    assert "segment" in detail.stdout and "change" in detail.stdout


def test_the_readme_worked_example_is_the_corpus_course_and_its_output(cli, monkeypatch):
    """The README's Dakar example, followed literally, gives the agenda the README shows."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, flags=re.S)
    folder = COURSES / "dakar-readme"
    assert (folder / "course.yaml").read_text(encoding="utf-8") in blocks
    assert (folder / "assessment.yaml").read_text(encoding="utf-8") in blocks
    from typer.testing import CliRunner

    from trainer.cli import app

    result = CliRunner().invoke(app, ["plan", str(folder)], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    shown = re.search(r"```text\ncourse: dakar-2027\n(.*?)```", readme, flags=re.S).group(1)
    assert result.stdout.split("\n", 1)[1] == shown
