"""Accessible documents in every language: tagged PDFs with their language, title and
bookmarks; Arabic laid out right to left, with text that copies out as the Arabic written;
Word files that carry the course language and direction; print large enough and dark
enough to read.

The PDFs are read with poppler (pdfinfo, pdftotext), as a participant's viewer reads them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOTS = Path(__file__).parent / "roots"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
POPPLER = shutil.which("pdfinfo") and shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdfinfo, pdftotext) is not installed: PDFs not read back")


@contextmanager
def library_env() -> Iterator[None]:
    old = os.environ.get("TRAINER_LIBRARY")
    os.environ["TRAINER_LIBRARY"] = str(ROOTS / "library")
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TRAINER_LIBRARY")
        else:
            os.environ["TRAINER_LIBRARY"] = old


def build_course(base: Path, course_yaml: str, *, local: bool = True) -> Path:
    """Build a course of the test library (course-good's local items too, by default)."""
    from trainer.build import build

    folder = base / "course"
    if local:
        shutil.copytree(ROOTS / "course-good", folder)
    else:
        folder.mkdir(parents=True)
    (folder / "course.yaml").write_text(textwrap.dedent(course_yaml).lstrip(), encoding="utf-8")
    with library_env():
        build(folder, folder / "build", workers=1)
    return folder / "build"


PARTICIPANTS = """
participants:
  - name: محمد عبد الله
    organisation: Ministry of Labour
  - name: Awa Diop
    organisation: Association des travailleurs migrants
"""


@pytest.fixture(scope="module")
def arabic(tmp_path_factory) -> Path:
    """The test course in Arabic, with no title of its own (the programme's, translated)."""
    return build_course(tmp_path_factory.mktemp("ar"), "language: ar\nstart_date: 2027-03-01\nsessions: [session-1, session-2]\n"
                        "days:\n  - {start: \"09:00\", end: \"12:30\", breaks: [{start: \"10:30\", minutes: 15}], wrap_up: 15}\n"
                        "trainers:\n  - {name: Amina Yusuf, organisation: Test NHRI (Oslo)}\n"
                        + PARTICIPANTS)


@pytest.fixture(scope="module")
def french(tmp_path_factory) -> Path:
    text = (ROOTS / "course-good/course.yaml").read_text(encoding="utf-8").replace("language: en", "language: fr")
    return build_course(tmp_path_factory.mktemp("fr"), text + PARTICIPANTS)


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def pdftotext(path: Path, *options: str) -> str:
    text = subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub("[\u202a-\u202e]", "", text)  # the direction marks pdftotext adds around runs


# ---------------------------------------------------------------------------- tagged PDFs


@needs_poppler
@pytest.mark.parametrize("build", ["french", "arabic"])
def test_every_pdf_is_tagged_with_its_language_and_title(build, request):
    out: Path = request.getfixturevalue(build)
    language = "fr" if build == "french" else "ar"
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) >= 10
    for pdf in pdfs:
        info = pdfinfo(pdf)
        assert info["Tagged"] == "yes", pdf.name
        assert info.get("Title"), pdf.name
        catalogue = PdfReader(pdf).trailer["/Root"]
        assert catalogue["/Lang"] == language, pdf.name
        assert catalogue["/MarkInfo"]["/Marked"], pdf.name
        assert catalogue["/ViewerPreferences"]["/DisplayDocTitle"], pdf.name


def test_the_facilitator_guide_keeps_the_sessions_tags_and_bookmarks(french):
    """The guide is joined from the per-session PDFs (pypdf); their structure trees are
    joined too, each element still on one of the guide's own pages."""
    reader = PdfReader(french / "facilitator-guide.pdf")
    pages = {page.indirect_reference.idnum for page in reader.pages}
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    document = tree["/K"][0]
    on_pages = []

    def walk(element) -> None:  # type: ignore[no-untyped-def]
        element = element.get_object()
        if "/Pg" in element:
            on_pages.append(element.raw_get("/Pg").idnum)
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(kid, "get") and kid.get("/Type") != "/OBJR":
                walk(kid)

    walk(document)
    assert on_pages and set(on_pages) <= pages
    assert {page.get("/StructParents") for page in reader.pages} == set(range(len(reader.pages)))
    sessions = PdfReader(french / "sessions/session-1.pdf")
    assert len(document["/K"]) > len(sessions.trailer["/Root"]["/StructTreeRoot"]["/K"][0]["/K"])
    titles = [item.title for item in reader.outline if not isinstance(item, list)]  # a list: a session's segments
    # each session a bookmark (after the guide's own front matter, such as its contents)
    assert [title for title in titles if title.startswith("Séance")] == ["Séance 1\u00a0: Première séance", "Séance 2\u00a0: Second session"]


# ---------------------------------------------------------------------------- right to left


@needs_poppler
def test_arabic_copies_out_of_the_pdf_as_written(arabic):
    """The lam-alef of "الإنسان" copies back as two letters in order (DejaVu Sans's and Noto
    Sans Arabic's ligature glyphs give "اإلنسان"), and so do "لا" and "الله"."""
    fonts = subprocess.run(["pdffonts", str(arabic / "agenda/agenda.pdf")], capture_output=True, text=True).stdout
    assert "Trainer-Arabic" in fonts, "install fonts-noto-ui-core (make system): Noto Naskh Arabic UI"
    agenda = pdftotext(arabic / "agenda/agenda.pdf")
    assert "دورة صغيرة عن حقوق الإنسان" in agenda  # the programme's title in the test catalogue
    assert "اإلنسان" not in agenda
    assert "الجلسة الأولى" in agenda and "جدول الأعمال" in agenda
    certificates = pdftotext(arabic / "certificates/certificates.pdf")
    assert "محمد عبد الله" in certificates
    form = pdftotext(arabic / "forms/end-of-day-day-1.pdf")
    for expected in ("تقييم نهاية اليوم", "نوع الجنس", "أفضل عدم الإجابة"):
        assert expected in form, expected


def test_arabic_pages_are_right_to_left_and_other_runs_keep_their_direction(arabic):
    html = (arabic / "agenda/agenda.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    # the trainer's organisation is user text in English: its own direction, brackets and all
    assert re.search(r'<ul dir="ltr"[^>]*>\s*<li><strong>Amina Yusuf</strong>, Test NHRI \(Oslo\)</li>', html)
    assert '<td class="time">09:00–10:30</td>' in html and "الجلسة الأولى" in html


def test_a_name_in_another_script_is_isolated_in_a_left_to_right_page(french):
    from trainer.render.bidi import set_directions

    html = set_directions('<html dir="ltr"><body><p class="name">محمد (أحمد)</p><p>Sign: محمد عبد الله, NHRI.</p></body></html>', "ltr")
    assert '<p dir="rtl" class="name">محمد (أحمد)</p>' in html
    assert '<p>Sign: <span dir="rtl">محمد عبد الله</span>, NHRI.</p>' in html
    reader = PdfReader(french / "certificates/certificates.pdf")
    assert any("محمد عبد الله" in page.extract_text() for page in reader.pages)


def test_directions_in_mixed_text():
    from trainer.render.bidi import set_directions

    page = (
        '<html dir="rtl"><head><title>A &amp; B</title><style>a > b { color: red }</style></head><body>'
        "<p>Participants need support.</p>"
        "<table><tr><td><strong>الوحدة 1، الجلسة 1:</strong> Course introduction (optional).</td></tr></table>"
        "<p>مجلس <strong>Human Rights</strong> Council (HRC). عربي</p>"
        "<p>انظر (HR/P/PT/26, p. 2) هنا، Rights &amp; duties، و</p>"
        "</body></html>"
    )
    out = set_directions(page, "rtl")
    assert "<title>A &amp; B</title><style>a > b { color: red }</style>" in out  # the head as it was
    assert '<p dir="ltr">Participants need support.</p>' in out  # dir="auto": the full stop at its end
    assert '</strong> <span dir="ltr">Course introduction (optional).</span></td>' in out
    assert 'مجلس <span dir="ltr"><strong>Human Rights</strong> Council (HRC).</span> عربي' in out
    assert 'انظر <span dir="ltr">(HR/P/PT/26, p. 2)</span> هنا، <span dir="ltr">Rights &amp; duties</span>، و' in out
    english = '<html dir="ltr"><body><p>Only <em>Latin</em> text &amp; more.</p></body></html>'
    assert set_directions(english, "ltr") is english  # nothing to do: the same document, untouched


def test_arabic_word_files_are_right_to_left_in_the_course_language(arabic):
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(str(arabic / "agenda/agenda.docx"))
    body = document.element.body
    paragraphs = list(body.iter(qn("w:p")))
    assert paragraphs
    for paragraph in paragraphs:
        text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        bidi = paragraph.find(qn("w:pPr")).find(qn("w:bidi"))
        assert bidi is not None, text
        starts_latin = re.match(r"[^A-Za-z\u0600-\u06ff]*[A-Za-z]", text) is not None
        assert (bidi.get(qn("w:val")) == "0") == starts_latin, text  # English paragraphs stay left to right
    for run in body.iter(qn("w:r")):
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        properties = run.find(qn("w:rPr"))
        assert (properties.find(qn("w:rtl")) is not None) == bool(re.search("[\u0600-\u06ff]", text)), text
        lang = properties.find(qn("w:lang"))
        assert lang.get(qn("w:bidi")) == "ar-SA" and lang.get(qn("w:val")) == "ar-SA"
    tables = list(body.iter(qn("w:tbl")))
    assert tables and all(table.find(qn("w:tblPr")).find(qn("w:bidiVisual")) is not None for table in tables)
    assert document.styles["Normal"].element.pPr.find(qn("w:bidi")) is not None
    assert document.core_properties.language == "ar-SA"
    session = Document(str(arabic / "sessions/session-1.docx"))
    assert any(p.find(qn("w:pPr")) is not None and p.find(qn("w:pPr")).find(qn("w:bidi")) is not None
               for p in session.element.body.iter(qn("w:p")))


def test_word_files_carry_the_course_language(french):
    from docx import Document
    from docx.oxml.ns import qn

    for path in (french / "agenda/agenda.docx", french / "sessions/session-1.docx"):
        document = Document(str(path))
        styles = document.styles.element
        default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
        assert default.get(qn("w:val")) == "fr-FR"
        assert document.styles["Normal"].element.rPr.find(qn("w:lang")).get(qn("w:val")) == "fr-FR"
        runs = list(document.element.body.iter(qn("w:r")))
        assert runs and all(run.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == "fr-FR" for run in runs)
        assert not list(document.element.body.iter(qn("w:bidi")))  # left to right: no bidi marks
        assert "en-US" not in (path.read_bytes().decode("latin-1"))


# ---------------------------------------------------------------------------- print size and contrast


def text_sizes(path: Path) -> list[tuple[float, str]]:
    """(font size in points, text) of every piece of text in a PDF."""
    found: list[tuple[float, str]] = []
    for page in PdfReader(path).pages:
        def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
            if text.strip():
                found.append((round(size * (abs(tm[3]) or 1) * (abs(cm[3]) or 1), 1), text.strip()))
        page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize(("large", "least"), [(False, 11), (True, 14)], ids=["handouts", "large-print"])
def test_handouts_are_printed_large_enough(tmp_path, large, least):
    """Every text of a handout, running heads and page numbers included, is at least 11 pt,
    and at least 14 pt in large print (course.yaml large_print: true)."""
    out = build_course(tmp_path, f"large_print: {str(large).lower()}\nlanguage: fr\n", local=False)
    suffix = "-large-print" if large else ""
    handouts = [path for path in (out / "handouts").glob(f"*{suffix}.pdf")
                if "participant-pack" not in path.name and "facilitator-annex" not in path.name]  # the annex is the team's
    assert len(handouts) >= 2
    for path in handouts:
        sizes = text_sizes(path)
        assert sizes
        small = [(size, text) for size, text in sizes if size < least - 0.05]
        assert small == [], path.name
        assert any("Traduction établie" in text for _, text in sizes)  # the note is in a running foot too


def luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_have_a_contrast_of_at_least_4_5_to_1():
    """WCAG 2.1 AA (1.4.3): every text colour of the documents' style sheets against the
    backgrounds it is printed on (white, the tinted fills; white text on the accent)."""
    import tinycss2

    css = "\n".join((TEMPLATES / name).read_text(encoding="utf-8") for name in ("document.css", "rtl.css"))
    variables = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{3,6})", css))
    backgrounds = {"#ffffff", variables["--fill"], "#fff4e0"}
    checked = 0
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        for declaration in _declarations(rule):
            if declaration.lower_name != "color":
                continue
            value = tinycss2.serialize(declaration.value).strip()
            colour = variables.get(value[4:-1], value) if value.startswith("var(") else value
            if not colour.startswith("#"):
                continue
            on = [variables["--accent"]] if colour.lower() in ("#fff", "#ffffff") else backgrounds
            for background in on:
                assert contrast(colour, background) >= 4.5, (tinycss2.serialize(rule.prelude or []).strip(), colour, background)
            checked += 1
    assert checked > 20


def _declarations(rule):  # type: ignore[no-untyped-def]
    import tinycss2

    if rule.type == "qualified-rule":
        yield from (d for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True) if d.type == "declaration")
    elif rule.type == "at-rule" and rule.content is not None:
        inner = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True) \
            if hasattr(tinycss2, "parse_blocks_contents") else tinycss2.parse_rule_list(rule.content)
        for item in inner:
            if item.type == "declaration":
                yield item
            else:
                yield from _declarations(item)
