"""`trainer assess`: questionnaire exports summarised into assessment.yaml; bad rows reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.assess import summarise

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["pre-course-kobo.xlsx", "pre-course-odk.csv"])
def test_exports_are_summarised_and_bad_rows_named(name):
    summary = summarise(DATA / name)
    assert summary.rows == 26 and summary.used == 23
    messages = [p.message for p in summary.problems]
    assert messages == [
        "row 6, sector: 'ministry' is not one of government, nhri, ngo, un, trade-union, humanitarian, academia, other",
        "row 11, hr_experience: '7' is not a number from 1 to 5",
        "row 19, migration_experience: 'a lot' is not a number from 1 to 5",
    ]
    assert summary.sectors["government"] == 12 and summary.sectors["ngo"] == 5
    assert summary.topics["cmw"] > 0


def test_assess_writes_the_summary_and_keeps_comments(cli, course, tmp_path):
    folder = course("course-good", {"assessment.yaml": "# my notes\nparticipants:\n  number: 10  # a guess\n"})
    code, out, err = cli("assess", folder, "--responses", DATA / "pre-course-kobo.xlsx")
    assert code == 0, err
    assert "23 of 26 answers used" in out
    assert "row 6, sector: 'ministry'" in err
    text = (folder / "assessment.yaml").read_text()
    assert "# my notes" in text and "number: 26" in text and "government: 12" in text
    backups = sorted(folder.glob("assessment.yaml.*.bak"))
    assert len(backups) == 1 and backups[0].read_text().startswith("# my notes")
    code, _, err = cli("check", folder)
    assert code == 0, err
    # every rewrite keeps its own dated backup, not just the last one
    code, _, err = cli("assess", folder, "--responses", DATA / "pre-course-odk.csv")
    assert code == 0, err
    assert len(list(folder.glob("assessment.yaml.*.bak"))) == 2


def _unchanged(folder):
    return (folder / "assessment.yaml").read_bytes(), sorted(p.name for p in folder.iterdir())


def test_a_file_with_no_usable_answer_changes_nothing(cli, course, tmp_path):
    folder = course("course-good", {"assessment.yaml": "# my notes\nparticipants:\n  number: 10  # a guess\n"})
    before = _unchanged(folder)
    empty = tmp_path / "wrong.csv"
    empty.write_text("sector,gender,hr_experience\n", encoding="utf-8")
    code, out, err = cli("assess", folder, "--responses", empty)
    assert code == 1 and "none of the 0 row(s) could be used, so nothing was changed" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("sector,gender,hr_experience\nministry,man,2\nngo,man,9\n", encoding="utf-8")
    code, out, err = cli("assess", folder, "--responses", bad)
    assert code == 1 and "none of the 2 row(s) could be used" in err and "row 3, hr_experience" in err
    assert _unchanged(folder) == before


def test_answers_to_another_form_are_named_and_change_nothing(cli, tmp_path, monkeypatch):
    from trainer.library import library_root

    monkeypatch.delenv("TRAINER_LIBRARY", raising=False)  # the built-in library, whose forms the build exports
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "course.yaml").write_text("title: A course\n", encoding="utf-8")
    (folder / "assessment.yaml").write_text("# my notes\n", encoding="utf-8")
    code, _, err = cli("build", folder, "--only", "forms", "--quiet")
    assert code == 0, err
    before = _unchanged(folder)
    sheet = folder / "build/forms/end-of-course.data-entry.xlsx"
    code, _, err = cli("assess", folder, "--responses", sheet)
    assert code == 1 and "holds answers to 'End-of-course evaluation'" in err and "nothing was changed" in err
    assert _unchanged(folder) == before
    assert library_root().is_dir()


@pytest.mark.parametrize("kind", ["missing", "folder", "fifo"])
def test_a_responses_path_that_is_not_a_file_is_a_user_error(cli, course, tmp_path, kind):
    import os

    path = tmp_path / "answers.csv"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    code, _, err = cli("assess", course(), "--responses", path)
    expected = {"missing": "no such file", "folder": "is a folder", "fifo": "not a regular file"}[kind]
    assert code == 1 and expected in err and "internal error" not in err


def test_assess_refuses_a_file_that_is_not_an_export(cli, course, tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("name,age\nA,3\n", encoding="utf-8")
    code, _, err = cli("assess", course(), "--responses", bad)
    assert code == 1 and "no 'sector' or 'gender' column" in err


def test_interactive_assessment(course):
    from trainer.assess import interactive

    folder = course()
    answers = iter(["Senegal", "West Africa", "lots", "30", "basic", "expert", "none", "consecutive", "large print"])
    told = []
    interactive(folder, lambda q, d: next(answers), lambda q, d: q.startswith("Is there a projector"), told.append)
    text = (folder / "assessment.yaml").read_text()
    assert "country: Senegal" in text and "number: 30" in text and "interpretation: consecutive" in text
    assert "internet: false" in text and "migration_experience: none" in text
    assert told == ["Please give a whole number from 1 to 500.", "Please answer one of: none, basic, intermediate, advanced."]
