"""The slide decks, read back as a trainer would before projecting them: every slide on a
16:9 layout with its title in the title placeholder, diagrams and charts as native shapes,
what must not be projected hidden, clean speaker notes on every slide, each run in its
language, and decks that LibreOffice opens with their titles in the outline."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.enum.shapes import PP_PLACEHOLDER as P
from pypdf import PdfReader

from deck_checks import SLIDE_LAYOUTS, hidden, notes_paragraphs, overflows, runs_without_language, slide_texts

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
SIXTEEN_NINE = (12192000, 6858000)


def _build(folder: Path | None, out: Path) -> Path:
    from trainer.build import build

    build(folder, out, only="slides", workers=1)
    return out / "slides"


def _context(folder: Path | None = None):
    from trainer.prepare import prepare
    from trainer.render.common import BuildContext

    return BuildContext(prepare(folder))


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """The guide's sample course, its seven decks built once for this module."""
    return _build(None, tmp_path_factory.mktemp("sample") / "build")


def _decks(folder: Path) -> list[tuple[str, object]]:
    return [(path.name, Presentation(str(path))) for path in sorted(folder.glob("session-*.pptx"))]


def _course(tmp_path: Path, name: str, course: str, assessment: str = "") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "course.yaml").write_text(course, encoding="utf-8")
    if assessment:
        (folder / "assessment.yaml").write_text(assessment, encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------- layouts


def test_every_deck_is_16_9_with_16_9_layouts(sample):
    decks = _decks(sample)
    assert len(decks) == 7
    for name, deck in decks:
        assert (deck.slide_width, deck.slide_height) == SIXTEEN_NINE, name
        master = deck.slide_master
        assert {layout.name for layout in deck.slide_layouts} == SLIDE_LAYOUTS
        for owner in (master, *deck.slide_layouts):
            for placeholder in owner.placeholders:
                assert placeholder.left + placeholder.width <= deck.slide_width, (name, owner.name, placeholder.name)
                assert placeholder.top + placeholder.height <= deck.slide_height, (name, owner.name, placeholder.name)
        title = next(ph for ph in master.placeholders if ph.placeholder_format.type == P.TITLE)
        assert title.width > deck.slide_width * 0.85, "the master's title spans a 16:9 slide, not a 4:3 one"


def test_every_slide_has_a_layout_and_its_title_in_the_title_placeholder(sample):
    for name, deck in _decks(sample):
        for number, slide in enumerate(deck.slides, start=1):
            assert slide.slide_layout.name in SLIDE_LAYOUTS - {"Blank"}, (name, number)
            title = slide.shapes.title
            assert title is not None and title.is_placeholder and title.text.strip(), (name, number)
            assert title.placeholder_format.type in (P.TITLE, P.CENTER_TITLE)


def test_bullets_are_paragraphs_of_the_body_placeholder(sample):
    for name, deck in _decks(sample):
        for number, slide in enumerate(deck.slides, start=1):
            if slide.slide_layout.name not in ("Content", "Two content"):
                continue
            bodies = [ph for ph in slide.placeholders if ph.placeholder_format.type in (P.BODY, P.OBJECT)]
            for body in bodies:
                for paragraph in body.text_frame.paragraphs:
                    assert not paragraph.text.startswith(("•", "-", "–")), (name, number, paragraph.text)
            texts = [s for s in slide.shapes if s.has_text_frame and not s.is_placeholder and s.name != "Source" and not s.name.startswith("Diagram")]
            assert texts == [], f"{name} slide {number}: text outside the placeholders: {[s.name for s in texts]}"


def test_no_slide_shows_an_ellipsis_a_blank_slot_or_instructions_to_the_trainer(sample):
    for name, deck in _decks(sample):
        for number, slide in enumerate(deck.slides, start=1):
            text = "\n".join(slide_texts(slide))
            assert "…" not in text, (name, number, text)
            for instruction in ("To be supplied", "year of data", "(with source and date)", "to be added", "check before"):
                assert instruction.lower() not in text.lower(), (name, number, instruction)
        assert overflows(deck) == [], name


def test_footer_and_slide_number_on_every_slide_but_the_title(sample):
    from trainer.prepare import prepare

    title = prepare(None).title
    for name, deck in _decks(sample):
        for number, slide in enumerate(deck.slides, start=1):
            kinds = {ph.placeholder_format.type: ph for ph in slide.placeholders}
            if number == 1:
                assert P.FOOTER not in kinds
                continue
            assert kinds[P.FOOTER].text_frame.text.startswith(title), (name, number)
            field = kinds[P.SLIDE_NUMBER].text_frame.paragraphs[0]._p.find(f"{A}fld")
            assert field is not None and field.get("type") == "slidenum" and field.findtext(f"{A}t") == str(number)


# ---------------------------------------------------------------------------- what projects


def test_every_deck_has_a_native_diagram_or_chart(sample):
    counts = {}
    for name, deck in _decks(sample):
        diagrams = sum(1 for s in deck.slides if any(shape.name.startswith("Diagram") for shape in s.shapes))
        charts = sum(1 for s in deck.slides if any(getattr(shape, "has_chart", False) and shape.has_chart for shape in s.shapes))
        counts[name] = (diagrams, charts)
        assert diagrams + charts >= 1, name
        pictures = [shape for s in deck.slides for shape in s.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert pictures == [], f"{name}: diagrams are drawn as shapes, not pictures"
    assert counts["session-2.pptx"][1] == 1


def test_the_chart_shows_its_figures_year_and_source(sample):
    deck = Presentation(str(sample / "session-2.pptx"))
    slide = next(s for s in deck.slides if any(getattr(x, "has_chart", False) and x.has_chart for x in s.shapes))
    chart = next(x for x in slide.shapes if getattr(x, "has_chart", False) and x.has_chart).chart
    assert list(chart.plots[0].series[0].values) == [3.5, 96.5]
    assert slide.shapes.title.text == "International migrants in 2020"
    source = next(x for x in slide.shapes if x.name == "Source").text_frame.text
    assert "Figures for 2020" in source and "UN DESA" in source and "HR/P/PT/26" in source


def test_a_chart_needs_its_year_and_source():
    from pydantic import ValidationError

    from trainer.models.diagram import Diagram

    base = {"id": "x", "title": "X", "description": "X.", "layout": "chart", "sources": [{"doc": "HR/P/PT/26"}]}
    chart = {"type": "pie", "unit": "%", "values": [{"label": "a", "value": 1}], "source": "UN DESA"}
    with pytest.raises(ValidationError, match="year"):
        Diagram.model_validate({**base, "chart": chart})
    with pytest.raises(ValidationError, match="source"):
        Diagram.model_validate({**base, "chart": {**chart, "year": 2020, "source": None}})
    Diagram.model_validate({**base, "chart": {**chart, "year": 2020}})


def test_a_diagram_names_only_its_own_boxes():
    from pydantic import ValidationError

    from trainer.models.diagram import Diagram

    base = {"id": "x", "title": "X", "description": "X.", "sources": [{"doc": "HR/P/PT/26"}],
            "boxes": [{"id": "a", "label": "A"}, {"id": "b", "label": "B", "col": 1}]}
    Diagram.model_validate({**base, "arrows": [{"from": "a", "to": "b"}]})
    with pytest.raises(ValidationError, match="'c', which is not a box"):
        Diagram.model_validate({**base, "arrows": [{"from": "a", "to": "c"}]})
    with pytest.raises(ValidationError, match="overlap"):
        Diagram.model_validate({**base, "boxes": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]})


def test_check_names_a_diagram_the_library_does_not_have(course, cli):
    folder = course()
    session = Path(__file__).parent / "roots/library/modules/sessions/session-2.yaml"
    local = folder / "local/sessions/session-2.yaml"
    local.parent.mkdir(parents=True, exist_ok=True)
    local.write_text(session.read_text().replace("slides: true, notes: Explain.}", "slides: true, diagram: no-such-drawing, notes: Explain.}"))
    code, _, err = cli("check", folder)
    assert code == 1
    assert "local/sessions/session-2.yaml:" in err and "plan[1].diagram: unknown diagram 'no-such-drawing'" in err


def test_every_library_diagram_fits_its_slide_at_a_readable_size():
    from trainer.loader import read_course
    from trainer.render.diagrams import Rect, diagram_view, draw
    from trainer.render.slide_master import GEOMETRY

    library, _ = read_course()
    library = library.library
    assert len(library.diagrams) >= 12
    for diagram in library.diagrams.values():
        view = diagram_view(diagram, lambda text, **values: text.format(**values))
        area = GEOMETRY["half-right"] if diagram.fit == "half" else GEOMETRY["body"]
        for rtl in (False, True):
            drawing = draw(view, Rect(*area), rtl=rtl)
            assert not drawing.overflow, diagram.id
            for shape in drawing.shapes:
                if shape.kind == "box":
                    assert shape.label_size >= 14, (diagram.id, shape.label, shape.label_size)
                r = shape.rect
                assert area[0] - 0.5 <= r.x and r.right <= area[0] + area[2] + 0.5, (diagram.id, shape.id)
                assert area[1] - 0.5 <= r.y and r.bottom <= area[1] + area[3] + 0.5, (diagram.id, shape.id)


def test_diagrams_are_also_drawn_as_svg_for_the_printed_documents():
    from xml.etree import ElementTree

    from trainer.loader import read_course
    from trainer.render.diagrams import Rect, diagram_view, draw, to_svg

    library = read_course()[0].library
    for diagram in library.diagrams.values():
        view = diagram_view(diagram, lambda text, **values: text.format(**values))
        svg = to_svg(draw(view, Rect(0, 0, 680, 380)))
        root = ElementTree.fromstring(svg)
        words = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        letters = re.sub(r"[\s-]", "", words)
        for box in diagram.boxes:
            assert re.sub(r"[\s-]", "", box.label) in letters, (diagram.id, box.label)
        if diagram.chart:
            for value in diagram.chart.values:
                assert value.label in words


def test_the_optional_functions_of_session_5_are_hidden_slides_the_plan_can_name(sample):
    from trainer.render.slides import hidden_slides, slide_numbers

    context = _context()
    planned = next(p for p in context.plan if p.session.id == "session-5")
    numbers = slide_numbers(context, planned)
    deck = Presentation(str(sample / "session-5.pptx"))
    menu = ["state-review", "inquiries", "individual-complaints", "interim-measures", "country-visits",
            "general-comments", "days-of-general-discussion", "hrc-sessions"]
    # the sample course's group is not described: the menu's default items run, the others are hidden
    chosen = [item for item in menu if item in planned.optional_included]
    assert chosen == ["state-review", "individual-complaints", "country-visits"]
    functions = [item for item in menu if item not in chosen]
    for segment in functions:
        for number in numbers[segment]:
            slide = deck.slides[number - 1]
            assert hidden(slide), (segment, number)
            assert notes_paragraphs(slide)[0].startswith("Hidden slide")
    for segment in chosen:
        assert not any(hidden(deck.slides[n - 1]) for n in numbers[segment])
    assert deck.slides[numbers["state-review"][0] - 1].shapes.title.text == "State review"
    assert set(hidden_slides(context, planned)) >= {n for s in functions for n in numbers[s]}
    assert not any(hidden(deck.slides[n - 1]) for n in numbers["functions"])


def test_a_course_that_chooses_functions_shows_them(tmp_path):
    folder = _course(tmp_path, "government", "title: Officials\n", "participants:\n  number: 20\n  sectors:\n    government: 20\n")
    from trainer.render.slides import deck_slides

    context = _context(folder)
    planned = next(p for p in context.plan if p.session.id == "session-5")
    shown = {s.segment for s in deck_slides(context, planned) if not s.hidden}
    assert {"state-review", "country-visits", "general-comments"} <= shown
    assert "inquiries" not in shown


def test_group_work_and_debrief_slides_carry_the_agenda_time(sample):
    deck = Presentation(str(sample / "session-7.pptx"))
    titles = [s.shapes.title.text for s in deck.slides]
    assert "Group work until 12:00" in titles
    debrief = deck.slides[titles.index("Debrief")]
    body = [ph for ph in debrief.placeholders if ph.placeholder_format.idx == 1][0].text_frame.text
    assert "What shows that the team applied a human rights-based approach?" in body


def test_country_slides_the_course_has_not_filled_are_hidden_and_listed_to_prepare(tmp_path):
    from trainer.render.slides import to_prepare

    folder = _course(
        tmp_path, "amman", "title: Amman course\n",
        "context:\n  country: Jordan\n  treaties_ratified:\n    - {name: ICCPR, ratified: '1975'}\n"
        "    - {name: CEDAW, ratified: '1992'}\n  treaties_checked_on: 2026-11-01\n",
    )
    slides = _build(folder, folder / "build")
    deck = Presentation(str(slides / "session-3.pptx"))
    treaties = next(s for s in deck.slides if s.shapes.title.text.startswith("Human rights treaties ratified by Jordan"))
    assert not hidden(treaties)
    assert "ICCPR (1975)" in "\n".join(slide_texts(treaties)) and "checked on 2026-11-01" in "\n".join(slide_texts(treaties))
    listed = to_prepare(_context(folder))
    assert listed, "the course has not filled the other country slides"
    for entry in listed:
        deck = Presentation(str(folder / "build" / entry["deck"]))
        slide = deck.slides[entry["slide"] - 1]
        assert hidden(slide) and slide.shapes.title.text == entry["title"], entry
        assert entry["what"] and "Jordan" in entry["title"]
    assert any(e["title"].startswith("Who moves? Jordan") for e in listed)


# ---------------------------------------------------------------------------- notes


def test_notes_on_every_slide_with_real_bold_and_lists_and_no_markdown(sample):
    for name, deck in _decks(sample):
        for number, slide in enumerate(deck.slides, start=1):
            notes = notes_paragraphs(slide)
            assert any(p.strip() for p in notes), (name, number)
            text = "\n".join(notes)
            assert "**" not in text and "\v" not in text and "\n- " not in text, (name, number)
    deck = Presentation(str(sample / "session-2.pptx"))
    slide = next(s for s in deck.slides if s.shapes.title.text == "Who moves?")
    paragraphs = slide.notes_slide.notes_text_frame.paragraphs
    ask = next(p for p in paragraphs if p.text.startswith("Ask what share"))
    assert ask.runs[0].text == "Ask" and ask.runs[0].font.bold
    assert ask.text.endswith("Most groups guess far higher: note the gap for later."), "a paragraph's lines are joined"
    bullets = [p for p in paragraphs if p._p.pPr is not None and p._p.pPr.find(f"{A}buChar") is not None]
    assert [p.text[:30] for p in bullets] == ["People move for different purp", "Migration policies can have di"]
    assert paragraphs[-1].text == "Source: HR/P/PT/26, p. 27-40"
    key_messages = next(s for s in deck.slides if s.shapes.title.text == "Key messages")
    assert notes_paragraphs(key_messages)[-1].startswith("Source: ")


# ---------------------------------------------------------------------------- language


def test_every_run_carries_its_language(sample):
    for name, deck in _decks(sample):
        for slide in deck.slides:
            assert runs_without_language(slide._element) == 0, name
            assert runs_without_language(slide.notes_slide._element) == 0, name
        assert deck.core_properties.language == "en-GB"


def test_an_arabic_deck_runs_right_to_left_with_english_marked_left_to_right(tmp_path):
    folder = _course(tmp_path, "amman-ar", "title: دورة عمّان\nlanguage: ar\nsessions: [session-3]\ndays: [{start: '09:00', end: '17:00', lunch: {start: '12:30', minutes: 60}}]\n")
    deck = Presentation(str(_build(folder, folder / "build") / "session-3.pptx"))
    master = deck.slide_master
    levels = master._element.findall(f".//{{http://schemas.openxmlformats.org/presentationml/2006/main}}titleStyle/{A}lvl1pPr")
    assert levels[0].get("rtl") == "1" and levels[0].get("algn") == "r"
    bar = next(s for s in master.shapes if s.name == "Accent bar")
    assert bar.left > deck.slide_width / 2, "the accent bar moves to the right edge"
    objectives = deck.slides[1]
    title = objectives.shapes.title.text_frame.paragraphs[0]
    assert title.text == "أهداف التعلم" and title._p.pPr.get("rtl") == "1"
    assert title.runs[0]._r.rPr.get("lang") == "ar-SA"
    point = [ph for ph in objectives.placeholders if ph.placeholder_format.idx == 1][0].text_frame.paragraphs[0]
    assert point.text.startswith("الإقرار") and point._p.pPr.get("rtl") == "1"  # the library's Arabic catalogue
    # the facilitator's notes stay in English: marked left to right, in English
    english = next(p for p in deck.slides[2].notes_slide.notes_text_frame.paragraphs if p.text.startswith("Module 2"))
    assert english._p.pPr.get("rtl") == "0" and english.runs[0]._r.rPr.get("lang") == "en-GB"
    diagram = next(s for s in deck.slides if s.shapes.title.text.startswith("المكلفون بالواجبات"))
    state = next(x for x in diagram.shapes if x.name == "Diagram: الدولة: من المكلفين بالواجبات")
    holders = next(x for x in diagram.shapes if x.name == "Diagram: أصحاب الحقوق")
    assert state.left > holders.left, "the diagram is mirrored: its first column on the right"


# ---------------------------------------------------------------------------- templates


def _second_template(path: Path) -> None:
    """A 16:10 template whose layouts have German names, another order and other sizes."""
    from pptx.util import Emu

    template = Presentation()
    template.slide_width, template.slide_height = Emu(10 * 914400), Emu(6.25 * 914400)
    names = {"Title Slide": "Titelfolie", "Title and Content": "Titel und Inhalt", "Section Header": "Abschnitt",
             "Two Content": "Zwei Inhalte", "Picture with Caption": "Bild mit Beschriftung", "Blank": "Leer",
             "Title Only": "Nur Titel", "Comparison": "Vergleich", "Content with Caption": "Inhalt mit Beschriftung"}
    master = template.slide_master
    for placeholder in master.placeholders:
        placeholder.top, placeholder.height = int(placeholder.top * 6.25 / 7.5), int(placeholder.height * 6.25 / 7.5)
    for layout in list(template.slide_layouts):
        if layout.name in names:
            layout.name = names[layout.name]
        else:
            template.slide_layouts.remove(layout)
        for placeholder in layout.placeholders:
            x, y, w, h = placeholder.left, placeholder.top, placeholder.width, placeholder.height
            placeholder.left, placeholder.top = x, int(y * 6.25 / 7.5)
            placeholder.width, placeholder.height = int(w * 0.95), int(h * 0.8)
    order = template.slide_master._element.find(".//{http://schemas.openxmlformats.org/presentationml/2006/main}sldLayoutIdLst")
    order[:] = list(reversed(order))
    template.save(str(path))


def test_a_courses_own_template_is_used_by_layout_type_whatever_its_names_and_sizes(tmp_path):
    folder = _course(tmp_path, "own", "title: Own template\nsessions: [session-2, session-7]\nslides:\n  template: ours.pptx\n")
    _second_template(folder / "ours.pptx")
    slides = _build(folder, folder / "build")
    for path in (slides / "session-2.pptx", slides / "session-7.pptx"):
        deck = Presentation(str(path))
        assert deck.slide_width == 10 * 914400 and deck.slide_height == int(6.25 * 914400)
        kinds = []
        for number, slide in enumerate(deck.slides, start=1):
            title = slide.shapes.title
            assert title is not None and title.is_placeholder and title.text, (path.name, number)
            kinds.append(slide.slide_layout._element.get("type"))
            for shape in slide.shapes:
                if shape.name.startswith(("Diagram", "Chart")):
                    assert shape.top >= title.top + title.height, (path.name, number, shape.name)
        # its "Picture with Caption" has a small picture: diagrams go on its title-only layout
        assert kinds[0] == "title" and "obj" in kinds and "titleOnly" in kinds, kinds
        assert path.name != "session-7.pptx" or "twoObj" in kinds
        assert overflows(deck) == [], path.name
    deck = Presentation(str(slides / "session-2.pptx"))
    assert deck.slides[0].slide_layout.name == "Titelfolie"
    assert {s.slide_layout.name for s in deck.slides} <= {"Titelfolie", "Titel und Inhalt", "Abschnitt", "Zwei Inhalte", "Bild mit Beschriftung", "Nur Titel"}


# ---------------------------------------------------------------------------- LibreOffice


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed: decks not converted")
def test_libreoffice_converts_every_deck_without_its_hidden_slides(sample, tmp_path):
    decks = sorted(sample.glob("session-*.pptx"))
    result = subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, decks)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    for path in decks:
        deck = Presentation(str(path))
        shown = [s for s in deck.slides if not hidden(s)]
        reader = PdfReader(tmp_path / f"{path.stem}.pdf")
        assert len(reader.pages) == len(shown), path.name
        for page, slide in zip(reader.pages, shown):
            words = page.extract_text().split()
            assert slide.shapes.title.text.split()[0] in words, (path.name, slide.shapes.title.text)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed: outline not checked")
def test_impress_reads_the_slide_titles_as_titles(sample, tmp_path):
    """Impress's outline view lists each slide's title object: converted to ODP, every page
    has a frame of the presentation class "title" holding the slide's title."""
    source = sample / "session-7.pptx"
    result = subprocess.run(
        ["soffice", "--headless", "--convert-to", "odp", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    content = zipfile.ZipFile(tmp_path / "session-7.odp").read("content.xml").decode("utf-8")
    pages = re.findall(r"<draw:page\b.*?</draw:page>", content, flags=re.S)
    titles = []
    for page in pages:
        frame = re.search(r'<draw:frame[^>]*presentation:class="title"[^>]*>(.*?)</draw:frame>', page, flags=re.S)
        titles.append(re.sub(r"<[^>]+>", "", frame.group(1)) if frame else None)
    expected = [slide.shapes.title.text for slide in Presentation(str(source)).slides]
    assert titles == expected


def test_the_charts_data_is_stamped_with_the_documents_fixed_date(sample):
    with zipfile.ZipFile(sample / "session-2.pptx") as deck:
        workbooks = [name for name in deck.namelist() if name.startswith("ppt/embeddings/") and name.endswith(".xlsx")]
        assert len(workbooks) == 1
        import io

        with zipfile.ZipFile(io.BytesIO(deck.read(workbooks[0]))) as workbook:
            core = workbook.read("docProps/core.xml").decode()
            assert {info.date_time for info in workbook.infolist()} == {(2023, 1, 1, 0, 0, 0)}
    assert re.findall(r"<dcterms:created[^>]*>([^<]*)<", core) == ["2023-01-01T00:00:00Z"]


# ---------------------------------------------------------------------------- a course without internet


def test_an_offline_course_s_notes_give_the_offline_way_and_no_online_step(tmp_path):
    """The README's Dakar course has no internet: a slide whose segment has an offline way
    says it first in the notes (as the session plan does), and no paragraph of the notes asks
    for the internet (the offline rule removes it everywhere: plans, checklist, notes)."""
    from trainer.loader import load_library

    folder = tmp_path / "dakar"
    shutil.copytree(Path(__file__).parent / "courses" / "dakar-readme", folder)
    decks = dict(_decks(_build(folder, folder / "build")))
    library, _ = load_library()
    notes = [(name, slide.shapes.title.text if slide.shapes.title else "", notes_paragraphs(slide))
             for name, deck in decks.items() for slide in deck.slides]
    label = "Sans Internet ni projecteur · s'applique à cette formation\u00a0: "  # the course is in French
    offline = [(name, paragraphs[1]) for name, _, paragraphs in notes
               if len(paragraphs) > 1 and paragraphs[1].startswith(label)]  # after the day and time
    assert ("session-5.pptx", label + "Without internet, skip the clip; the slides cover the same ground.") in offline, offline
    assert {name for name, _ in offline} == {"session-2.pptx", "session-5.pptx"}  # (session 1's video has no slide)
    for name, title, paragraphs in notes:
        for paragraph in paragraphs:
            if not paragraph.startswith(label):
                assert not library.needs_internet(paragraph), (name, title, paragraph)
    # the sample course has internet: no such line
    online = dict(_decks(_build(None, tmp_path / "online")))
    assert not any(paragraph.startswith("Without internet or projector")
                   for deck in online.values() for slide in deck.slides for paragraph in notes_paragraphs(slide))
