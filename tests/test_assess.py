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
        "row 6, sector: 'ministry' is not one of government, nhri, ngo, un, trade_union, humanitarian, academia, other",
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
    assert (folder / "assessment.yaml.bak").read_text().startswith("# my notes")
    code, _, err = cli("check", folder)
    assert code == 0, err


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
