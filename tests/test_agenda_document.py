"""The agenda document: read back the PDF, DOCX and HTML that `trainer build --only agenda` writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def build_agenda(cli, folder: Path, *extra: str) -> Path:  # type: ignore[no-untyped-def]
    out = folder / "out"
    code, out_text, err = cli("build", folder, "--only", "agenda", "--out", out, *extra)
    assert code == 0, err
    return out


def test_agenda_pdf_docx_html_show_the_times(cli, course):
    out = build_agenda(cli, course())
    text = pdf_text(out / "agenda/agenda.pdf")
    for expected in ("Test course in Oslo", "Day 1", "09:00–10:30", "Module 1, Session 1: First session", "10:30–10:45",
                     "Break", "12:15–12:30", "Wrap-up for Day 1", "Amina Yusuf"):
        assert expected in text, expected
    docx = Document(str(out / "agenda/agenda.docx"))
    rows = [[cell.text for cell in row.cells] for table in docx.tables for row in table.rows]
    assert rows[0] == ["09:00–10:30", "Module 1, Session 1: First session"]
    assert ["10:30–10:45", "Break"] in rows
    html = (out / "agenda/agenda.html").read_text(encoding="utf-8")
    assert "<td class=\"time\">10:45–12:15</td>" in html
    manifest = json.loads((out / "manifest.json").read_text())
    assert [entry["path"] for entry in manifest["files"]] == ["agenda/agenda.docx", "agenda/agenda.html", "agenda/agenda.pdf"]


def test_paper_sizes(cli, course):
    folder = course()
    a4 = PdfReader(build_agenda(cli, folder) / "agenda/agenda.pdf").pages[0].mediabox
    letter = PdfReader(build_agenda(cli, folder, "--paper", "letter") / "agenda/agenda.pdf").pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)


def test_un_time_style(cli, course):
    folder = course("course-good", {"course.yaml": "title: UN style\ntime_style: un\n"})
    text = pdf_text(build_agenda(cli, folder) / "agenda/agenda.pdf")
    assert "9–10.30 a.m." in text and "10.45 a.m.–12.15 p.m." in text


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["PROGRAMME", "Jour 1", "Pause", "Module 1, Séance 1", "lundi 1 mars 2027"]),
        ("es", ["PROGRAMA", "Día 1", "Pausa", "Módulo 1, Sesión 1"]),
        ("ru", ["ПРОГРАММА", "День 1", "Перерыв", "Модуль 1, Занятие 1"]),
    ],
)
def test_fixed_words_follow_the_course_language(cli, course, language, words):
    folder = course("course-good", {"course.yaml": f"title: Cours\nlanguage: {language}\nstart_date: 2027-03-01\n"})
    out = build_agenda(cli, folder)
    text = pdf_text(out / "agenda/agenda.pdf")
    for word in words:
        assert word in text, word


def test_arabic_agenda_is_right_to_left(cli, course):
    folder = course("course-good", {"course.yaml": "title: دورة تدريبية\nlanguage: ar\n"})
    html = (build_agenda(cli, folder) / "agenda/agenda.html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in html and "جدول الأعمال" in html and "استراحة" in html


def test_same_input_gives_byte_identical_files(cli, course, tmp_path):
    folder = course()
    first = build_agenda(cli, folder)
    files = {p.name: p.read_bytes() for p in (first / "agenda").iterdir()}
    second = build_agenda(cli, folder)
    assert files == {p.name: p.read_bytes() for p in (second / "agenda").iterdir()}


def test_build_refuses_an_unknown_kind(cli, course):
    code, _, err = cli("build", course(), "--only", "agendaa")
    assert code == 1
    assert "--only: unknown document kind 'agendaa' (did you mean 'agenda'?)" in err
