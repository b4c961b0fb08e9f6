"""The facilitator's documents as a facilitator checks them: the guide's page numbers,
contents, links and bookmarks; the run sheets' length; the one-page agenda; the slot plans;
the Word files against the PDFs they mirror.

Built once per module: the guide's sample course (English, three days, built-in library)
and the README's Dakar course (French, two days, 30 government officials, no internet).
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

COURSES = Path(__file__).parent / "courses"
KINDS = "agenda,session-plans,run-sheets"


def _build(folder: Path | None, out: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from trainer.build import build

    monkeypatch.delenv("TRAINER_LIBRARY", raising=False)
    build(folder, out, only=KINDS)
    return out


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """The guide's own three-day course from the built-in library."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        return _build(None, tmp_path_factory.mktemp("sample") / "build", monkeypatch)


@pytest.fixture(scope="module")
def dakar(tmp_path_factory) -> Path:
    """A two-day French course with a needs assessment (the README's worked example)."""
    folder = tmp_path_factory.mktemp("dakar") / "dakar"
    shutil.copytree(COURSES / "dakar-readme", folder)
    with pytest.MonkeyPatch.context() as monkeypatch:
        return _build(folder, folder / "build", monkeypatch)


@pytest.fixture(scope="module")
def prepared_sample():
    from trainer.prepare import prepare

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.delenv("TRAINER_LIBRARY", raising=False)
        return prepare(None)


# ---------------------------------------------------------------------------- reading PDFs


@lru_cache(maxsize=64)
def read_pages(path: Path) -> list[tuple[str, float, list[tuple[float, float, str]]]]:
    """Each page's text, height and text runs, read once per file (pypdf takes about 15 s
    over the guide's 137 pages; several tests read the same guide)."""
    pages = []
    for page in PdfReader(path).pages:
        found: list[tuple[float, float, str]] = []
        height = float(page.mediabox.height)
        pages.append((page.extract_text(visitor_text=_visitor(found, height)), height, found))
    return pages


def pages_text(path: Path) -> list[str]:
    return [text for text, _height, _runs in read_pages(path)]


def squash(text: str) -> str:
    return "".join(text.split())


FOOTER = re.compile(r"(\d+) / (\d+)\s*$")


def footer(text: str) -> tuple[int, int] | None:
    """The page footer "12 / 135" (the last line WeasyPrint draws on a page)."""
    for line in reversed(text.strip().splitlines()):
        match = FOOTER.search(line)
        if match:
            return int(match.group(1)), int(match.group(2))
    return None


def _visitor(found: list[tuple[float, float, str]], height: float):  # type: ignore[no-untyped-def]
    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip():
            y = cm[3] * tm[5] + cm[5]
            found.append((height - y, abs(size * cm[3] * tm[3]), text))

    return visit


def runs(page) -> list[tuple[float, float, str]]:  # type: ignore[no-untyped-def]
    """Every text run of a page: (distance from the top in points, size in points, text)."""
    found: list[tuple[float, float, str]] = []
    page.extract_text(visitor_text=_visitor(found, float(page.mediabox.height)))
    return found


def outline_titles(outline, depth: int = 0) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    out: list[tuple[int, str]] = []
    for item in outline:
        if isinstance(item, list):
            out.extend(outline_titles(item, depth + 1))
        else:
            out.append((depth, item.title))
    return out


# ---------------------------------------------------------------------------- the guide


@pytest.mark.parametrize("course", ["sample", "dakar"])
def test_guide_pages_are_numbered_through(course, request):
    texts = pages_text(request.getfixturevalue(course) / "facilitator-guide.pdf")
    total = len(texts)
    assert footer(texts[0]) is None  # the cover
    assert [footer(text) for text in texts[1:]] == [(number, total) for number in range(2, total + 1)]


CONTENTS_LINE = re.compile(r"^(.+?)\s*\.{3,}\s*(\d+)$")


@pytest.mark.parametrize("course", ["sample", "dakar"])
def test_contents_page_numbers_are_the_footers_of_those_pages(course, request):
    path = request.getfixturevalue(course) / "facilitator-guide.pdf"
    texts = pages_text(path)
    entries = [CONTENTS_LINE.match(line.strip()) for line in texts[1].splitlines()]
    entries = [(m.group(1), int(m.group(2))) for m in entries if m]
    sessions = [(title, page) for title, page in entries if re.match(r"(Session|Séance) \d", title)]
    assert len(sessions) >= 5
    for title, page in entries:
        assert footer(texts[page - 1]) == (page, len(texts))
        assert squash(title) in squash(texts[page - 1]), (title, page)
    assert [page for _title, page in sessions] == sorted(page for _title, page in sessions)


def test_contents_entries_are_links_to_their_pages(sample):
    reader = PdfReader(sample / "facilitator-guide.pdf")
    texts = pages_text(sample / "facilitator-guide.pdf")
    destinations = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    links = [annotation.get_object() for annotation in reader.pages[1].get("/Annots", [])]
    links = [link for link in links if link.get("/Subtype") == "/Link" and "/Dest" in link]
    entries = [CONTENTS_LINE.match(line.strip()) for line in texts[1].splitlines()]
    assert len({str(link["/Dest"]) for link in links}) == len([m for m in entries if m])  # a link per entry
    for link in links:
        page = destinations[str(link["/Dest"])]
        assert footer(texts[page]) == (page + 1, len(texts))


def test_a_bookmark_per_session_and_per_segment(sample, prepared_sample):
    reader = PdfReader(sample / "facilitator-guide.pdf")
    titles = outline_titles(reader.outline)
    top = [title for depth, title in titles if depth == 0]
    for planned in prepared_sample.agenda.plan:
        heading = f"Session {planned.session.number}: {planned.session.title}"
        assert heading in top
        start = titles.index((0, heading))
        end = next((i for i in range(start + 1, len(titles)) if titles[i][0] == 0), len(titles))
        below = [title for _depth, title in titles[start + 1:end]]
        placed = [s for item in prepared_sample.agenda.sessions() if item.session == planned.id
                  for s in item.segments if s.id != "break"]
        for segment in placed:
            assert any(title.endswith(segment.title) and re.match(r"\d\d:\d\d–\d\d:\d\d", title) for title in below), segment.title


@pytest.mark.parametrize(("course", "language"), [("sample", "en"), ("dakar", "fr")])
def test_documents_declare_their_language(course, language, request):
    build = request.getfixturevalue(course)
    for path in (build / "facilitator-guide.pdf", build / "sessions/session-1.pdf", build / "run-sheets/day-1.pdf",
                 build / "agenda/agenda.pdf"):
        assert PdfReader(path).trailer["/Root"]["/Lang"] == language, path.name
    assert f'<html lang="{language}"' in (build / "agenda/agenda.html").read_text(encoding="utf-8")


def test_the_sample_guide_is_at_most_150_pages(sample):
    assert len(PdfReader(sample / "facilitator-guide.pdf").pages) <= 150


@pytest.mark.parametrize("course", ["sample", "dakar"])
def test_plan_text_is_11_pt_and_nothing_is_smaller_than_9_pt(course, request):
    for path in sorted((request.getfixturevalue(course) / "sessions").glob("*.pdf")):
        sizes: Counter[float] = Counter()
        for _text, height, page_runs in read_pages(path):
            for top, size, text in page_runs:
                if 20 * 72 / 25.4 < top < height - 18 * 72 / 25.4:  # inside the margins: not the running heads
                    sizes[round(size, 1)] += len(text)
                    assert size >= 9 - 0.05, (path.name, text, size)
        assert sizes.most_common(1)[0][0] == 11.0, (path.name, sizes.most_common(3))


def _contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_boxes_and_notes_keep_the_contrast_of_the_text():
    from trainer.library import templates_root

    css = (templates_root() / "document.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--(\w+):\s*(#[0-9a-fA-F]{6})", css))
    applies = re.search(r"aside\.box\.applies \{[^}]*background: (#[0-9a-fA-F]{6})", css).group(1)
    reminder = re.search(r"aside\.box\.reminder p\.box-title \{[^}]*color: (#[0-9a-fA-F]{6})", css).group(1)
    for text in (colours["ink"], colours["muted"], colours["accent"], reminder):
        for background in ("#ffffff", colours["fill"], applies):
            assert _contrast(text, background) >= 4.5, (text, background)
    assert "aside.box.muted" not in css  # the old small grey variant boxes are gone


def _session_starts(texts: list[str]) -> set[int]:
    # (a French heading has a no-break space before its colon: "Séance 2 : ...")
    return {i for i, text in enumerate(texts) if re.search(r"^(Session|Séance) \d+\s?: ", text, flags=re.M) and "Run sheet" in text
            or "Déroulé" in text and re.search(r"^Séance \d+\s?: ", text, flags=re.M)}


@pytest.mark.parametrize("course", ["sample", "dakar"])
def test_no_page_is_left_more_than_half_empty_except_before_a_new_session(course, request):
    pages = read_pages(request.getfixturevalue(course) / "facilitator-guide.pdf")
    starts = _session_starts([text for text, _height, _runs in pages])
    assert len(starts) >= 5
    for index, (_text, height, page_runs) in enumerate(pages[1:-1], start=1):
        if index + 1 in starts:
            continue
        lowest = max(top for top, _size, _text in page_runs if top < height - 40)
        assert lowest > height / 2, f"page {index + 1} ends at {lowest / height:.0%} of its height"


@pytest.mark.parametrize("course", ["sample", "dakar"])
def test_no_text_runs_over_the_running_heads(course, request):
    for number, (_text, _height, page_runs) in enumerate(read_pages(request.getfixturevalue(course) / "facilitator-guide.pdf"), start=1):
        for top, size, text in page_runs:
            if top < 20 * 72 / 25.4:  # above the top margin: only the 8-pt running heads
                assert size < 8.5, (number, text)


def test_adaptation_table_speaks_the_facilitators_language(dakar):
    texts = pages_text(dakar / "facilitator-guide.pdf")
    first_session = min(_session_starts(texts))
    adapted = " ".join(" ".join(texts[1:first_session]).split())
    assert "Adaptation de cette formation" in adapted
    assert not re.search(r"\b(participants|logistics|context|results|course\.yaml)\.\w+", adapted)
    assert not re.search(r"\b1 \w+ groups\b|\b1 participants\b", adapted)
    assert "the participants' sectors: government 30 of 30" in adapted
    assert "Groupes de travail" in adapted and "5 working groups for 30 participants" in adapted


# ---------------------------------------------------------------------------- what the plans say


def test_slot_plans_print_where_the_agenda_places_them(sample):
    texts = pages_text(sample / "facilitator-guide.pdf")
    guide = " ".join(" ".join(texts[min(_session_starts(texts)):]).split())  # the plans, after the contents
    day1 = guide.index("Wrap-up for Day 1 · Day 1")
    recap2 = guide.index("Daily recap · Day 2")
    recap3 = guide.index("Daily recap · Day 3")
    close = guide.index("Final evaluation and close · Day 3")
    assert guide.index("Session 4: The Convention on Migrant Workers Day 1") < day1 < recap2 < guide.index("Session 5: The United")
    assert guide.index("Session 7: Protecting rights in practice Day 3") < recap3 < close
    # recaps and wrap-ups rotate their formats day by day
    assert "Today: Ball toss: one thing I learned" in guide[recap2:recap2 + 3000]
    assert "Today: True or false on yesterday" in guide[recap3:recap3 + 3000]
    assert "Today: Target dartboard" in guide[day1:day1 + 3000]
    assert "Today: One-word round" in guide
    assert "Today: Look back, evaluate, close" in guide[close:]
    assert "End-of-course evaluation" in guide[close:]
    for day in (1, 2, 3):
        sheet = " ".join(pages_text(sample / f"run-sheets/day-{day}.pdf")[0].split())
        assert ("Daily recap" in sheet) == (day > 1) and ("Final evaluation and close" in sheet) == (day == 3)
        assert ("Wrap-up for Day" in sheet) == (day < 3) and "Lunch break" in sheet
        assert ("Break" in sheet.replace("Lunch break", "")) == (day < 3)  # the sample agenda's day 3 has no coffee break


def test_menu_prints_the_chosen_functions_with_why_and_the_others_in_one_line(sample):
    text = " ".join(" ".join(pages_text(sample / "sessions/session-5.pdf")).split())
    body, annex = text.split("Annex: optional segments not in this plan", 1)
    menu = body[body.index("Also on the menu, not chosen"):][:400]
    for left in ("Inquiries · 5 min", "General comments and general recommendations", "Sessions of the Human Rights Council"):
        assert left in menu
        assert left.split(" · ")[0] in annex
    assert body.count("Chosen for this course:") == 3
    assert "State review" in body and "Country visits" in body


def test_only_the_variants_that_apply_are_printed_in_full(sample, dakar):
    sample_text = " ".join(" ".join(pages_text(sample / "sessions/session-2.pdf")).split())
    assert "If there is no internet connection · applies to this course" not in sample_text
    assert "Also covered for other courses:" in sample_text and "if there is no internet connection" in sample_text
    dakar_text = " ".join(" ".join(pages_text(dakar / "sessions/session-2.pdf")).split())
    assert "En l'absence de connexion Internet · s'applique à cette formation" in dakar_text


def test_timing_reconciliations_are_an_annex(sample):
    text = " ".join(" ".join(pages_text(sample / "sessions/session-5.pdf")).split())
    body, annex = text.split("Annex: about the timings", 1)
    assert "Part 1 takes 47-51 minutes" in annex and "Part 1 takes 47-51 minutes" not in body


def test_session_1_runs_one_introduction_and_one_expectations_activity(sample):
    text = " ".join(" ".join(pages_text(sample / "sessions/session-1.pdf")).split())
    assert "☑ People bingo" in text and "☐ Introductions questionnaire" in text
    assert text.count("☑") == 2


# ---------------------------------------------------------------------------- run sheets and agenda


def test_run_sheets_fit_two_pages_per_session_and_one_per_day(sample, dakar, prepared_sample):
    for build in (sample, dakar):
        for path in (build / "run-sheets").glob("session-*.pdf"):
            assert len(PdfReader(path).pages) <= 2, path
        for path in (build / "run-sheets").glob("day-*.pdf"):
            assert len(PdfReader(path).pages) == 1, path
    # a 2.5-hour session's sheet is at the lectern's 11 pt
    reader = PdfReader(sample / "run-sheets/session-5.pdf")
    sizes = Counter(round(size, 1) for page in reader.pages for _top, size, _text in runs(page))
    assert sizes.most_common(1)[0][0] == 11.0


def test_the_run_sheet_header_repeats_on_every_page_it_runs_over(sample):
    header = squash("Time What happens Materials and handouts Key point")
    for path in [*sorted((sample / "sessions").glob("*.pdf")), *sorted((sample / "run-sheets").glob("session-*.pdf"))]:
        texts = pages_text(path)
        overview = next((i for i, text in enumerate(texts) if re.search(r"^Overview$", text, flags=re.M)), len(texts))
        for number in range(overview):
            assert header in squash(texts[number]), (path.name, number + 1)


def test_session_run_sheet_lines(sample, prepared_sample):
    text = " ".join(" ".join(pages_text(sample / "run-sheets/session-5.pdf")).split())
    for expected in ("Time What happens Materials and handouts Key point", "10:15 5 min slides 3 Session introduction · facilitator",
                     "11:47 15 min Break", "Case study activity · facilitator and groups"):
        assert expected in text, expected
    from trainer.render.common import BuildContext
    from trainer.render.slides import slide_numbers

    planned = next(p for p in prepared_sample.agenda.plan if p.id == "session-5")
    numbers = slide_numbers(BuildContext(prepared_sample), planned)
    assert numbers["introduction"] == [3] and numbers["migration-in-the-un-system"] == [4]


@pytest.mark.parametrize("course", ["sample", "dakar"])
def test_agenda_is_one_page_and_every_row_names_its_session(course, request):
    build = request.getfixturevalue(course)
    assert len(PdfReader(build / "agenda/agenda.pdf").pages) == 1
    text = " ".join(pages_text(build / "agenda/agenda.pdf")[0].split())
    if course == "sample":
        assert "Session 7 – Instructions" in text and "Session 7 – Group work" in text
        assert "(break 11:47–12:02)" in text and "(break 15:45–16:00)" in text
    else:
        assert "Séance 5" in text and re.search(r"Séance 6 – suite", text)


def test_agenda_breaks_inside_sessions_have_the_schedules_times(sample, prepared_sample):
    from trainer.schedule import clock

    text = " ".join(pages_text(sample / "agenda/agenda.pdf")[0].split())
    for item in prepared_sample.agenda.sessions():
        for segment in item.segments:
            if segment.id == "break":
                assert f"break {clock(segment.start)}–{clock(segment.end)}" in text
        assert f"{clock(item.start)}–{clock(item.end)}" in text


# ---------------------------------------------------------------------------- Word files


def _docx_files(build: Path) -> list[Path]:
    return [*sorted((build / "sessions").glob("*.docx")), build / "agenda/agenda.docx"]


@pytest.mark.parametrize("course", ["sample", "dakar"])
def test_word_headings_are_in_order(course, request):
    for path in _docx_files(request.getfixturevalue(course)):
        levels = [int(p.style.name.split()[-1]) for p in Document(str(path)).paragraphs if p.style.name.startswith("Heading ")]
        assert levels and levels[0] == 1, path.name
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), path.name


def test_word_tables_repeat_their_header_and_keep_lists(sample):
    from docx.oxml.ns import qn

    for path in sorted((sample / "sessions").glob("*.docx")):
        document = Document(str(path))
        run_sheet = document.tables[0]
        header = run_sheet.rows[0]._tr
        assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None, path.name
        assert [c.text for c in run_sheet.rows[0].cells] == ["Time", "What happens", "Materials and handouts", "Key point"]
        styles = {p.style.name for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs}
        assert "List Bullet" in styles, path.name


def test_word_files_use_fonts_every_office_suite_has(sample):
    import zipfile

    for path in _docx_files(sample):
        document = Document(str(path))
        assert document.styles["Normal"].font.name == "Calibri"
        with zipfile.ZipFile(path) as archive:
            assert b"DejaVu" not in archive.read("word/styles.xml") + archive.read("word/document.xml")


@pytest.mark.parametrize("course", ["sample", "dakar"])
def test_word_and_pdf_say_the_same(course, request):
    """The headings, in order, and every table row of each Word file are in its PDF."""
    build = request.getfixturevalue(course)
    for path in _docx_files(build):
        pdf = squash(" ".join(pages_text(path.with_suffix(".pdf"))))
        document = Document(str(path))
        cursor = 0
        for paragraph in document.paragraphs:
            if paragraph.style.name.startswith("Heading "):
                found = pdf.find(squash(paragraph.text), cursor)
                assert found >= 0, (path.name, paragraph.text)
                cursor = found
        rows = 0
        for table in document.tables:
            for row in table.rows:
                rows += 1
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        text = squash(paragraph.text)[:40]  # the start of each line of the cell
                        assert text in pdf, (path.name, paragraph.text[:80])
        assert rows > 10, path.name
