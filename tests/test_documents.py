"""`trainer build`: read back every kind of document, as a facilitator would check them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader

from trainer.render.textfit import bullets_height, wrap

ROOTS = Path(__file__).parent / "roots"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The test course, built once for this module's tests."""
    import os

    from trainer.build import build

    folder = tmp_path_factory.mktemp("course") / "course"
    shutil.copytree(ROOTS / "course-good", folder)
    with (folder / "course.yaml").open("a", encoding="utf-8") as handle:
        handle.write("participants_expected: 24\ngroups: 4\n")
    old = os.environ.get("TRAINER_LIBRARY")
    os.environ["TRAINER_LIBRARY"] = str(ROOTS / "library")
    try:
        build(folder, folder / "build", workers=1)
    finally:
        if old is None:
            os.environ.pop("TRAINER_LIBRARY")
        else:
            os.environ["TRAINER_LIBRARY"] = old
    return folder / "build"


def test_session_plan_pdf_has_segments_with_clock_times(built):
    text = pdf_text(built / "sessions/session-1.pdf")
    for expected in ("Session 1: First session", "Day 1, 09:00–10:30", "09:00–09:10", "Welcome",
                     "09:10–09:40", "Introductions", "☑ People bingo", "☐ Introductions questionnaire",
                     "09:45–09:55", "Write", "Annex: activities used in this session", "Hand out the cards."):
        assert expected in text, expected


def test_optional_segment_is_marked(built):
    text = pdf_text(built / "sessions/session-2.pdf")
    assert "Video" in text and "optional, included" in text


def test_facilitator_guide_has_contents_and_every_session(built):
    reader = PdfReader(built / "facilitator-guide.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Contents" in text and "Session 1: First session" in text and "Session 2: Second session" in text
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == ["Contents", "How this course was adapted", "Session 1: First session", "Session 2: Second session"]


def test_docx_holds_the_same_session_plan(built):
    document = Document(str(built / "sessions/session-1.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Session 1: First session"
    assert any(h.startswith("09:10–09:40") and "Introductions" in h for h in headings)
    paragraphs = [p.text for p in document.paragraphs]
    assert any(p.startswith("☑ People bingo") for p in paragraphs)
    assert any(p.startswith("☐ Introductions questionnaire") for p in paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "09:10\n30 min\nslides 4" in cells or any(cell.startswith("09:10") for cell in cells)  # the run sheet


def test_deck_has_expected_slides_and_speaker_notes(built):
    deck = Presentation(str(built / "slides/session-1.pptx"))
    assert (deck.slide_width, deck.slide_height) == (Emu(12192000), Emu(6858000))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles == ["Session 1: First session", "Learning objectives", "Welcome"]
    notes = [p.text for p in deck.slides[2].notes_slide.notes_text_frame.paragraphs]
    assert notes == ["Day 1, 09:00–09:10", "Welcome the participants.", "Source: TEST"]


def test_no_text_frame_overflows_its_slide(built):
    from deck_checks import overflows

    for path in (built / "slides").glob("*.pptx"):
        assert overflows(Presentation(str(path))) == [], path.name


def test_long_lists_continue_on_a_second_slide():
    from trainer.render.slides import paginate, text_of

    points = [{"runs": [[f"Point number {n} with a good many words to wrap over the line", "en"]], "level": 0} for n in range(30)]
    pages = paginate(points)
    assert len(pages) > 1
    assert [text_of(p["runs"]) for page in pages for p in page] == [text_of(p["runs"]) for p in points]


def test_participant_pack_and_handouts(built):
    text = pdf_text(built / "handouts/participant-pack.pdf")
    assert "Participant pack".upper() in text and "Contents" in text and "Agenda" in text
    assert "Local bingo card" in text and "worked in another country" in text
    assert "Find someone who has worked in another country" in pdf_text(built / "handouts/bingo-card.pdf")


def test_end_of_day_form_lists_that_days_sessions(built):
    text = pdf_text(built / "forms/end-of-day-day-1.pdf")
    assert "How much did Session 1: First session add to your knowledge?" in text
    assert "How much did Session 2: Second session add to your knowledge?" in text
    from openpyxl import load_workbook

    book = load_workbook(built / "forms/end-of-day-day-1.xlsform.xlsx")
    assert book.sheetnames == ["survey", "choices", "settings"]
    names = [row[1] for row in book["survey"].iter_rows(min_row=2, values_only=True)]
    assert "knowledge_s1" in names and "knowledge_s2" in names and "gender_other" in names


def test_checklist_quantities_for_24_participants_in_4_groups(built):
    text = pdf_text(built / "checklist.pdf")
    assert "24 participants in 4 working groups" in text
    # what each participant gets is printed once, with spares (one in ten, at least two)
    assert "Pens 24" in text and "Handout 1.1 · Local bingo card" in text and "27 1 per participant + 3 spares" in text


def test_manifest_lists_every_file_with_its_hash_job_and_fingerprint(built):
    manifest = json.loads((built / "manifest.json").read_text())
    paths = {entry["path"] for entry in manifest["files"]}
    assert {"agenda/agenda.pdf", "facilitator-guide.pdf", "slides/session-1.pptx", "checklist.pdf"} <= paths
    entry = next(e for e in manifest["files"] if e["path"] == "sessions/session-1.pdf")
    assert len(entry["sha256"]) == 64 and len(entry["fingerprint"]) == 64 and entry["job"] == "session-plans:session-1"
    for entry in manifest["files"]:
        assert entry["sha256"] == __import__("hashlib").sha256((built / entry["path"]).read_bytes()).hexdigest()


def test_rebuild_renders_only_what_changed(course, cli):
    folder = course()
    out = folder / "build"
    code, first, _ = cli("build", folder)
    assert code == 0 and "job(s) rendered" in first
    code, second, _ = cli("build", folder)
    assert "nothing changed, nothing rendered" in second
    with (folder / "course.yaml").open("a", encoding="utf-8") as handle:
        handle.write("subtitle: A new subtitle\n")
    from trainer.build import build

    result = build(folder, out, workers=1)
    assert result.rendered  # every document shows the subtitle or depends on the course
    result = build(folder, out, workers=1)
    assert not result.rendered
    result = build(folder, out, force=True, workers=1)
    assert len(result.rendered) == len(result.results)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed: PPTX/DOCX conversion not checked")
def test_office_files_convert_with_libreoffice(built, tmp_path):
    files = [*built.glob("slides/*.pptx"), *built.glob("sessions/*.docx"), built / "agenda/agenda.docx"]
    result = subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for file in files:
        converted = tmp_path / (file.stem + ".pdf")
        assert converted.is_file() and len(PdfReader(converted).pages) >= 1, file.name


def test_build_refuses_a_folder_it_did_not_make(course, cli):
    folder = course()
    out = folder / "elsewhere"
    out.mkdir()
    (out / "thesis.docx").write_text("my work")
    code, _, err = cli("build", folder, "--out", out, "--only", "agenda")
    assert code == 1 and "holds files trainer did not make (thesis.docx)" in err
    assert sorted(p.name for p in out.iterdir()) == ["thesis.docx"]
    code, _, _ = cli("build", folder, "--out", out, "--only", "agenda", "--force")
    assert code == 0 and (out / "thesis.docx").read_text() == "my work"


def test_a_hostile_manifest_cannot_delete_outside_the_folder(course, cli, tmp_path):
    folder = course()
    out = folder / "build"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"files": [{"path": "../../victim.txt", "job": "agenda:x"}, {"path": str(victim), "job": "agenda:y"}]}))
    code, _, err = cli("build", folder, "--only", "agenda")
    assert code == 0, err
    assert victim.read_text() == "keep me"


def test_documents_no_longer_made_are_removed(course, cli):
    folder = course()
    code, _, _ = cli("build", folder, "--only", "slides")
    assert (folder / "build/slides/session-2.pptx").is_file()
    (folder / "course.yaml").write_text("title: One session\nsessions: [session-1]\ndays: [{start: '09:00', end: '12:00'}]\n")
    code, _, err = cli("build", folder, "--only", "slides")
    assert code == 0, err
    assert not (folder / "build/slides/session-2.pptx").exists()
    assert (folder / "build/slides/session-1.pptx").is_file()


def test_local_material_is_listed_with_its_source(built):
    guide = pdf_text(built / "facilitator-guide.pdf")
    assert "Local material in this course" in guide and "The national Immigration Act (test entry)" in guide
    assert "Test gazette," in guide and "2026-12-01, Test" in guide and "departs from the guide" in guide
    session = pdf_text(built / "sessions/session-2.pdf")
    assert "Local material" in session and "The national Immigration Act (test entry)" in session


def test_check_warns_about_local_material_checked_long_ago(course, cli):
    folder = course()
    entry = folder / "local/context/migration-act.yaml"
    entry.write_text(entry.read_text().replace("checked_on: 2026-12-01", "checked_on: 2025-01-01"))
    code, _, err = cli("check", folder)
    assert code == 0
    assert "local/context/migration-act.yaml:8:13: warning: checked_on: 'The national Immigration Act (test entry)' was last checked on 2025-01-01, more than a year before the course (2027-03-01)" in err.replace(str(folder) + "/", "")


def _env(folder: Path):
    from datetime import datetime, timezone

    from trainer.library import templates_root
    from trainer.render.common import RenderEnv

    return RenderEnv("en", "24h", "a4", datetime(2023, 1, 1, tzinfo=timezone.utc), templates_root(),
                     (templates_root().resolve(), folder.resolve()))


@pytest.mark.parametrize(
    "url",
    ["http://example.org/x.png", "https://example.org/x.css", "ftp://example.org/x.png", "file:///etc/passwd",
     "file:///dev/urandom", "../../../../etc/passwd"],
)
def test_documents_fetch_nothing_from_outside(tmp_path, url):
    from weasyprint import HTML

    from trainer.render.common import safe_fetcher

    env = _env(tmp_path)
    html = f'<html><body><p>x</p><img src="{url}"><link rel="stylesheet" href="{url}"></body></html>'
    pdf = HTML(string=html, base_url=str(tmp_path) + "/", url_fetcher=safe_fetcher(env)).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert env.refused, "the resource should have been refused"


def test_documents_may_use_images_inside_the_course(tmp_path):
    from weasyprint import HTML

    from trainer.render.common import safe_fetcher

    env = _env(tmp_path)
    (tmp_path / "map.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')
    HTML(string='<img src="map.svg">', base_url=str(tmp_path) + "/", url_fetcher=safe_fetcher(env)).write_pdf()
    assert env.refused == []


def test_decks_use_the_courses_own_template(course, cli):
    folder = course()
    template = Presentation()
    template.slide_layouts[0].name = "Our title"
    template.save(str(folder / "ours.pptx"))
    with (folder / "course.yaml").open("a", encoding="utf-8") as handle:
        handle.write("slides:\n  template: ours.pptx\n")
    code, _, err = cli("build", folder, "--only", "slides")
    assert code == 0, err
    deck = Presentation(str(folder / "build/slides/session-1.pptx"))
    assert (deck.slide_width, deck.slide_height) == (template.slide_width, template.slide_height)
    assert deck.slides[0].slide_layout.name == "Our title"
    assert deck.slides[0].shapes.title.text == "Session 1: First session"
    assert deck.slides[1].shapes.title.text == "Learning objectives"


def test_numbered_paragraphs_continue_after_a_heading(tmp_path):
    """The case study numbers its paragraphs across sections (para. 5 follows para. 4)."""
    import io

    from weasyprint import HTML

    from trainer.render.markdown import to_html

    html = str(to_html("1. first\n2. second\n\n**Next part**\n\n3. third\n4. fourth"))
    text = PdfReader(io.BytesIO(HTML(string=html).write_pdf())).pages[0].extract_text()
    assert "3." in text and "4." in text
