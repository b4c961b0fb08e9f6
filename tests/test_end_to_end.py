"""The whole path a facilitator takes, through the command line: init a course folder, set it
up, build the pre-course questionnaire's data-entry sheet, type in 30 participants' answers,
assess, plan and build. The course is the README's worked example: a two-day course for 30
government officials in Senegal, in French, in a room with no internet connection.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from pypdf import PdfReader
from ruamel.yaml import YAML

COURSE = {
    "title": "Droits de l'homme et migration : formation des agents de l'État",
    "start_date": "2027-04-12",
    "city": "Dakar",
    "sessions": ["session-1", "session-2", "session-3", "session-5", "session-6"],
    "days": [
        {"start": "08:30", "end": "17:30", "breaks": [{"start": "10:30", "minutes": 15}, {"start": "15:30", "minutes": 15}],
         "lunch": {"start": "12:45", "minutes": 60}, "wrap_up": 15},
        {"start": "08:30", "end": "17:30", "recap": 15, "breaks": [{"start": "10:30", "minutes": 15}, {"start": "15:30", "minutes": 15}],
         "lunch": {"start": "12:45", "minutes": 60}, "close": 30},
    ],
}


def edit(path: Path, changes: dict) -> None:  # type: ignore[type-arg]
    """Change some keys of a YAML file the way a facilitator would: comments stay."""
    yaml = YAML()
    data = yaml.load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        target = data
        *parents, last = key.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[last] = value
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def fill_answers(sheet: Path, count: int) -> None:
    """Type `count` respondents into the data-entry sheet, as from paper forms."""
    workbook = openpyxl.load_workbook(sheet)
    responses = workbook["responses"]
    columns = [cell.value for cell in responses[1]]
    for number in range(1, count + 1):
        answer = {
            "respondent": number,
            "organisation": "Ministère de l'Intérieur" if number % 2 else "Ministère du Travail",
            "gender": "woman" if number % 3 == 0 else "man",
            "sector": "government",
            "hr_experience": 2,
            "migration_experience": 2 if number % 4 else 3,
            "topics": "labour detention" if number % 2 else "labour stereotypes",
            "expectations": "Mieux protéger les travailleurs migrants",
        }
        responses.append([answer.get(column) for column in columns])
    workbook.save(sheet)


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_init_assess_plan_build(tmp_path, cli, monkeypatch):
    monkeypatch.delenv("TRAINER_LIBRARY", raising=False)
    folder = tmp_path / "dakar-2027"
    code, out, err = cli("init", folder)
    assert code == 0, err

    edit(folder / "course.yaml", COURSE)
    edit(folder / "assessment.yaml", {
        "context.country": "Senegal",
        "context.region": "West Africa",
        "context.languages": ["fr"],
        "logistics.equipment.internet": False,
    })

    # the questionnaire's data-entry sheet comes from the course's own build
    code, out, err = cli("build", folder, "--only", "forms", "--quiet")
    assert code == 0, err
    sheet = tmp_path / "answers.xlsx"
    sheet.write_bytes((folder / "build" / "forms" / "pre-course.data-entry.xlsx").read_bytes())
    fill_answers(sheet, 30)

    code, out, err = cli("assess", folder, "--responses", sheet)
    assert code == 0, err
    assert "30" in out and "government" in out
    assessment = YAML(typ="safe").load((folder / "assessment.yaml").read_text(encoding="utf-8"))
    assert assessment["participants"]["number"] == 30
    assert assessment["participants"]["sectors"] == {"government": 30}
    assert assessment["context"]["country"] == "Senegal"  # the facilitator's own entries are kept

    code, out, err = cli("plan", folder, "--json")
    assert code == 0, err
    plan = json.loads(out)
    assert [day["day"] for day in plan["days"]] == [1, 2]
    changes = {(a["rule"], a["change"]) for a in plan["adaptations"]}
    rules = {rule for rule, _ in changes}
    assert ("working groups", "5 working groups for 30 participants") in changes
    # the course is in French (the assessment's first language): the plan names the activities in French
    assert any(rule == "sector variants" and "Qu'est-ce que cela m'apporte" in change and "government" in change.lower()
               for rule, change in changes)
    assert any(rule == "context choices" and "Definitions" in change for rule, change in changes)  # low experience
    assert any(rule == "offline" for rule, _ in changes)  # no internet
    assert any(rule == "language" and "French" in change for rule, change in changes)
    assert any(rule == "practice examples" and "Senegal" in change or "border" in change.lower() for rule, change in changes
               if rule == "practice examples")
    assert "practice examples" in rules and "country treaties" in rules

    code, out, err = cli("build", folder, "--only", "agenda,session-plans", "--quiet")
    assert code == 0, err
    agenda = pdf_text(folder / "build" / "agenda" / "agenda.pdf")
    assert "Jour 1" in agenda and "Jour 2" in agenda and "Pause déjeuner" in agenda
    guide = pdf_text(folder / "build" / "facilitator-guide.pdf")
    assert "Senegal" in guide  # the practice example from the OHCHR brochure
    session_5 = pdf_text(folder / "build" / "sessions" / "session-5.pdf")
    assert "Variant" in session_5 or "Variante" in session_5


def test_init_assess_a_kobo_export_with_bad_rows_plan_build(tmp_path, cli, monkeypatch):
    """`trainer init x && trainer assess x --responses tests/data/pre-course-kobo.xlsx &&
    trainer plan x && trainer build x`: 26 answers in KoboToolbox's export layout, three of
    them malformed, which are named by row and left out, not dropped silently."""
    monkeypatch.delenv("TRAINER_LIBRARY", raising=False)
    folder = tmp_path / "x"
    assert cli("init", folder)[0] == 0
    code, out, err = cli("assess", folder, "--responses", Path(__file__).parent / "data" / "pre-course-kobo.xlsx")
    assert code == 0, err
    assert "23 of 26 answers used" in out
    assert (out + err).count("row ") >= 3
    assessment = YAML(typ="safe").load((folder / "assessment.yaml").read_text(encoding="utf-8"))
    assert assessment["participants"]["number"] == 26
    code, out, err = cli("plan", folder)
    assert code == 0, err
    assert "working groups" in out
    code, out, err = cli("build", folder, "--quiet")
    assert code == 0, err
    manifest = json.loads((folder / "build" / "manifest.json").read_text(encoding="utf-8"))
    paths = {entry["path"] for entry in manifest["files"]}
    assert {"agenda/agenda.pdf", "facilitator-guide.pdf", "slides/session-7.pptx", "checklist.pdf"} <= paths
    assert "26 participants in 5 working groups" in pdf_text(folder / "build" / "checklist.pdf")
