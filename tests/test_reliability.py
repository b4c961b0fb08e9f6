"""Builds that cannot go stale, are the same every time, and lose nothing a facilitator did.

The stale-build matrix edits, in turn, each kind of input a document is made from and checks
the build against a fresh build of the same inputs: the incremental build must hold exactly
the same bytes (nothing stale), and must have rendered exactly the documents whose bytes
changed (nothing more).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.build import BuildInterrupted, build

ROOTS = Path(__file__).parent / "roots"
REPO = Path(__file__).resolve().parents[1]


def snapshot(out: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.name != ".trainer.lock"
    }


def jobs_of(out: Path) -> dict[str, str]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {entry["path"]: entry["job"] for entry in manifest["files"]}


@pytest.fixture
def folder(tmp_path: Path, test_library: Path) -> Path:
    """The test course with participants (so that certificates are built) and a practice
    example of its own country (so that examples reach the session plans)."""
    folder = tmp_path / "course"
    shutil.copytree(ROOTS / "course-good", folder)
    with (folder / "course.yaml").open("a", encoding="utf-8") as handle:
        handle.write("participants:\n  - name: Ana Silva\n  - name: Bo Berg\n")
    (folder / "local/examples").mkdir(parents=True)
    (folder / "local/examples/oslo-example.yaml").write_text(
        "id: oslo-example\ntitle: A Norwegian example\ncountry: Norway\ncodes: [NO]\nthemes: [training]\n"
        "sessions: [session-1]\nsummary: Officials were trained.\n"
        "source: {doc: A/HRC/31/80, paragraphs: '12', as_of: 2016-01-01}\n",
        encoding="utf-8",
    )
    return folder


def test_two_builds_into_two_empty_folders_are_byte_identical(folder, tmp_path):
    first = build(folder, tmp_path / "one", workers=1)
    second = build(folder, tmp_path / "two", workers=2)
    assert len(first.rendered) == len(first.results) and len(second.rendered) == len(second.results)
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert {Path(path).suffix for path in one} >= {".pdf", ".docx", ".pptx", ".xlsx", ".html", ".json"}
    assert one.keys() == two.keys()
    assert [path for path in one if one[path] != two[path]] == []


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _local_copy(folder: Path, library: Path, relative: str, local: str) -> Path:
    target = folder / local
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(library / relative, target)
    return target


def _edit_catalogue(path: Path) -> None:
    from trainer.i18n import _catalogue

    _edit(path, 'msgstr "Jour {number}"', 'msgstr "Journée {number}"')
    _catalogue.cache_clear()  # a new process reads the catalogue again; this test runs in one


EDITS = {
    "a session": lambda f, lib, tpl: _edit(_local_copy(f, lib, "modules/sessions/session-2.yaml", "local/sessions/session-2.yaml"), "notes: Explain.", "notes: Explain the terms."),
    "an activity the course runs": lambda f, lib, tpl: _edit(_local_copy(f, lib, "activities/people-bingo.yaml", "local/activities/people-bingo.yaml"), "Hand out the cards.", "Hand out the bingo cards."),
    "the title of an activity the course did not choose": lambda f, lib, tpl: _edit(_local_copy(f, lib, "activities/questionnaire.yaml", "local/activities/questionnaire.yaml"), "title: Introductions questionnaire", "title: Getting-to-know-you questionnaire"),
    "the steps of an activity the course did not choose": lambda f, lib, tpl: _edit(f / "local/activities/questionnaire.yaml", "steps: [Interview your neighbour.]", "steps: [Interview your neighbour., Collect the sheets.]"),
    "a handout of the library": lambda f, lib, tpl: _edit(_local_copy(f, lib, "handouts/agenda.yaml", "local/handouts/agenda.yaml"), "title:", "title: The"),
    "a practice example": lambda f, lib, tpl: _edit(f / "local/examples/oslo-example.yaml", "Officials were trained.", "Border officials were trained."),
    "a template": lambda f, lib, tpl: _edit(tpl / "agenda.html", "{{ body }}", '<div data-edited="1">{{ body }}</div>'),
    "course.yaml": lambda f, lib, tpl: _edit(f / "course.yaml", "venue: Test venue", "venue: Another venue"),
    "assessment.yaml": lambda f, lib, tpl: _edit(f / "assessment.yaml", "internet: no", "internet: yes"),
    "a handout's text": lambda f, lib, tpl: _edit(f / "local/handouts/bingo-card.yaml", "worked in another country", "worked in two other countries"),
    "a local override of the library's handout": lambda f, lib, tpl: _edit(f / "local/handouts/bingo-card.yaml", "title: Local bingo card", "title: Our bingo card"),
    "the catalogue of the course language": lambda f, lib, tpl: _edit_catalogue(tpl.parent / "locale" / "fr.po"),
}


@pytest.fixture
def own_templates(tmp_path, monkeypatch):
    """Copies of the templates and catalogues that a test may edit."""
    import trainer.i18n
    import trainer.library
    from trainer.i18n import _catalogue

    root = tmp_path / "package"
    shutil.copytree(trainer.library.templates_root(), root / "templates")
    shutil.copytree(Path(trainer.i18n.__file__).parent / "locale", root / "locale")
    monkeypatch.setattr(trainer.library, "templates_root", lambda: root / "templates")
    monkeypatch.setattr(trainer.i18n, "LOCALE_DIR", root / "locale")
    _catalogue.cache_clear()
    yield root / "templates"
    _catalogue.cache_clear()


@pytest.mark.parametrize("what", list(EDITS))
def test_an_edit_renders_again_exactly_the_documents_it_changes(what, folder, tmp_path, test_library, own_templates):
    if what == "the steps of an activity the course did not choose":
        EDITS["the title of an activity the course did not choose"](folder, test_library, own_templates)
    if what == "the catalogue of the course language":
        _edit(folder / "course.yaml", "language: en", "language: fr")
    out = folder / "build"
    build(folder, out, workers=2)  # (the two whole builds in worker processes: faster on two cores)
    before = snapshot(out)
    owners = jobs_of(out)
    EDITS[what](folder, test_library, own_templates)
    result = build(folder, out, workers=1)
    after = snapshot(out)
    fresh = tmp_path / "fresh"
    build(folder, fresh, workers=2)
    assert after == snapshot(fresh), "the incremental build differs from a fresh one: a stale document"
    owners.update(jobs_of(out))
    changed = {owners[path] for path in set(before) | set(after) if path != "manifest.json" and before.get(path) != after.get(path)}
    rendered = {r.job.id for r in result.rendered}
    assert rendered == changed
    expected_nothing = what == "the steps of an activity the course did not choose"
    assert bool(rendered) != expected_nothing


def test_a_hand_edit_is_kept_beside_the_new_document(folder, cli):
    from docx import Document

    code, _, err = cli("build", folder)
    assert code == 0, err
    out = folder / "build"
    document = Document(str(out / "sessions/session-1.docx"))
    document.add_paragraph("My own note for the co-facilitator.")
    document.save(str(out / "sessions/session-1.docx"))
    (out / "agenda/agenda.html").write_text((out / "agenda/agenda.html").read_text() + "<!-- mine -->", encoding="utf-8")
    code, _, err = cli("build", folder)
    assert code == 0, err
    assert "kept your edit of" in err and "session-1.edited.docx" in err and "agenda.edited.html" in err
    kept = Document(str(out / "sessions/session-1.edited.docx"))
    assert "My own note for the co-facilitator." in [p.text for p in kept.paragraphs]
    assert (out / "agenda/agenda.edited.html").read_text().endswith("<!-- mine -->")
    assert "<!-- mine -->" not in (out / "agenda/agenda.html").read_text()
    code, out_text, err = cli("build", folder)
    assert code == 0 and "nothing changed" in out_text and "kept your edit" not in err


def test_interrupted_build_keeps_what_finished(folder):
    out = folder / "build"
    finished = []

    def stop_after_two(done, total, job, seconds):  # type: ignore[no-untyped-def]
        finished.append(job.id)
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(BuildInterrupted) as error:
        build(folder, out, workers=1, progress=stop_after_two)
    assert error.value.exit_code == 130 and "2 of" in str(error.value)
    assert set(jobs_of(out).values()) == set(finished)
    result = build(folder, out, workers=1)
    total = len(result.results)
    assert len(result.rendered) == total - 2


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_is_one_line_and_exit_130(tmp_path):
    """A real Ctrl-C (SIGINT to the process group) during a parallel build of the sample course."""
    env = {**os.environ, "TRAINER_WORKERS": "2", "COLUMNS": "100"}
    env.pop("TRAINER_LIBRARY", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "trainer", "build", "--out", str(tmp_path / "out")],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    assert process.stderr is not None
    lines = []
    for line in process.stderr:  # wait for the first finished document (an event, not a clock)
        lines.append(line)
        if re.match(r"\[1/\d+\] ", line):
            break
    os.killpg(process.pid, signal.SIGINT)
    rest = process.stderr.read()
    process.wait(timeout=120)
    err = "".join(lines) + rest
    assert process.returncode == 130, err
    assert "Traceback" not in err and "ForkPoolWorker" not in err
    assert len([line for line in rest.splitlines() if "interrupted" in line]) == 1
    manifest = json.loads((tmp_path / "out/manifest.json").read_text())
    assert manifest["files"], "the finished documents are kept"


def test_plain_progress_prints_a_line_as_each_document_finishes(folder, cli):
    code, out, err = cli("build", folder)
    assert code == 0, err
    lines = [line for line in err.splitlines() if line.startswith("[")]
    assert lines and all(re.fullmatch(r"\[\d+/\d+\] [a-z-]+: [a-z0-9-]+ \(\d+\.\d s\)", line) for line in lines), lines
    total = int(lines[0].split("/")[1].split("]")[0])
    assert len(lines) == total and lines[-1].startswith(f"[{total}/{total}]")
    assert "(wall time)" in out


def test_the_course_in_the_current_folder_is_the_default(folder, monkeypatch, cli):
    monkeypatch.chdir(folder)
    code, out, err = cli("build", "--only", "agenda")
    assert code == 0, err
    assert out.splitlines()[0] == "course: the current folder"
    assert (folder / "build/agenda/agenda.pdf").is_file()
    for command in (["check"], ["plan"], ["list", "sessions"], ["show", "session-1"]):
        code, out, err = cli(*command)
        assert code == 0, err
        assert out.splitlines()[0] == "course: the current folder", command


def test_the_sample_course_names_itself(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("check")
    assert code == 0 and out.splitlines()[0] == "course: the guide's sample course (built in)"


DAYS = """\
days:
  - start: "09:00"
    end: "12:30"
    lunch: {start: "07:00", minutes: 60}
  - start: "09:00"
    end: "17:00"
    lunch: {start: "12:30", minutes: 60}
    breaks:
      - {start: "12:15", minutes: 30}
  - start: "09:00"
    end: "12:00"
    lunch: {start: "12:45", minutes: 60}
"""


def test_check_reports_every_impossible_day_with_its_place(course, cli):
    folder = course("course-good", {})
    text = (folder / "course.yaml").read_text()
    text = text[: text.index("days:")] + DAYS + text[text.index("trainers:"):]
    (folder / "course.yaml").write_text(text)
    code, _, err = cli("check", folder)
    assert code == 1
    lines = [line.replace(str(folder) + "/", "") for line in err.splitlines()]
    assert "course.yaml:13:12: days[1].lunch: lunch (07:00-08:00) starts before the day does (09:00)" in lines
    assert "course.yaml:16:12: days[2].lunch: lunch (12:30-13:30) overlaps the break (12:15-12:45)" in lines
    assert "course.yaml:21:12: days[3].lunch: lunch (12:45-13:45) ends after the day does (12:00)" in lines
    assert "3 error(s); nothing was written." in lines


def test_check_says_when_the_sessions_do_not_fit_the_days(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("TRAINER_LIBRARY", raising=False)
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "course.yaml").write_text(
        "title: Too much\nsessions: [session-1, session-2, session-3, session-4, session-5, session-6, session-7]\n"
        "days:\n  - {start: '09:00', end: '17:00', lunch: {start: '12:30', minutes: 60}}\n"
        "  - {start: '09:00', end: '17:00', lunch: {start: '12:30', minutes: 60}}\n",
        encoding="utf-8",
    )
    code, _, err = cli("check", folder)
    assert code == 1
    assert re.search(r"course\.yaml:3:1: days: the course needs at least .* 2 day\(s\) give .* missing", err), err
    code, _, err2 = cli("plan", folder)
    assert code == 1 and err2 == err


def test_an_assessment_value_that_course_yaml_overrides_is_a_warning(course, cli):
    folder = course("course-good", {"assessment.yaml": "logistics:\n  days: 3\n  start_date: 2027-05-02\n  hours_per_day: 8\n"})
    code, _, err = cli("check", folder)
    assert code == 0
    err = err.replace(str(folder) + "/", "")
    assert "assessment.yaml:2:9: warning: logistics.days: 3, but the course has 1 day(s) (course.yaml:10): course.yaml decides" in err
    assert "logistics.start_date: 2027-05-02, but course.yaml's start_date is 2027-03-01 (course.yaml:5)" in err
    assert "logistics.hours_per_day: 8, but the course's days run 3 h 30 min (course.yaml:10)" in err


def test_an_impossible_date_says_why(course, cli):
    folder = course("course-good", {})
    _edit(folder / "course.yaml", "start_date: 2027-03-01", "start_date: 2027-04-31")
    code, _, err = cli("check", folder)
    assert code == 1 and "start_date: '2027-04-31' is not a date: April 2027 has 30 days" in err
