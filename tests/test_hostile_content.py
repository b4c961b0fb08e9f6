"""Hostile or careless content from a course folder reaches the documents without crashing
the build: XML-invalid characters, titles over 255 characters, very long words and lists,
deeply nested Markdown, oversized or fake images, and a course's own certificate template."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation


LONG_TITLE = "A very long session title " * 12  # over 300 characters
WORD = "x" * 3000
ITEMS = "\n".join(f"      - item number {n} of a very long list" for n in range(150))

HOSTILE_SESSION = f'''id: session-2
number: 2
module: module-1
title: "Bad \\x01 chars \\uFFFF {LONG_TITLE}"
duration: "1 hour"
aim: "Aim with {WORD}"
objectives: ["Objective \\x0b with a vertical tab", "{WORD}"]
plan:
  - id: talk
    title: "Talk \\x02 {LONG_TITLE}"
    minutes: "40-50"
    kind: presentation
    slides: true
    slide_points: ["Point \\x03 one", "{WORD}"]
    notes: |
      A list:
{ITEMS}
  - {{id: video, title: Video, minutes: 10, kind: video, optional: true, offline: Tell a story instead.}}
sources: [{{doc: TEST}}]
'''


@pytest.fixture
def hostile(course, cli):
    folder = course("course-good", {"local/sessions/session-2.yaml": HOSTILE_SESSION})
    code, out, err = cli("build", folder, "--only", "session-plans,slides", "--quiet")
    assert code == 0, err
    return folder / "build"


def test_xml_invalid_characters_are_removed_not_fatal(hostile):
    deck = Presentation(str(hostile / "slides/session-2.pptx"))
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    assert any(" ".join(text.split()).startswith("Session 2: Bad chars A very long") for text in texts)
    assert not any(ch in text for text in texts for ch in "\x01\x02\x03\x0b\uffff")
    document = Document(str(hostile / "sessions/session-2.docx"))
    texts = [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any("Objective with a vertical tab" in " ".join(text.split()) for text in texts)


def test_titles_over_255_characters_fit_the_core_properties(hostile):
    assert len(Presentation(str(hostile / "slides/session-2.pptx")).core_properties.title) <= 255
    assert len(Document(str(hostile / "sessions/session-2.docx")).core_properties.title) <= 255


def test_long_words_and_lists_stay_inside_their_slides(hostile):
    from deck_checks import overflows

    deck = Presentation(str(hostile / "slides/session-2.pptx"))
    assert overflows(deck) == []


# ----------------------------------------------------------------- nested Markdown


@pytest.mark.parametrize(
    "notes",
    ["> " * 300 + "deep", "".join("  " * level + "- item\n" for level in range(300))],
    ids=["quotes", "lists"],
)
def test_deeply_nested_markdown_is_refused_with_its_place(course, cli, notes):
    indented = "\n".join("      " + line for line in notes.splitlines())
    session = f"""id: session-2
number: 2
module: module-1
title: Nested
duration: "1 hour"
aim: Learn.
objectives: [Learn.]
plan:
  - id: talk
    title: Talk
    minutes: "40-50"
    kind: presentation
    notes: |
{indented}
sources: [{{doc: TEST}}]
"""
    folder = course("course-good", {"local/sessions/session-2.yaml": session})
    code, out, err = cli("build", folder)
    assert code == 1
    assert "local/sessions/session-2.yaml:" in err and "plan[1].notes: Markdown nested" in err
    assert not (folder / "build").exists()


def test_ordinary_nesting_is_fine():
    from trainer.render.markdown import markdown_depth

    assert markdown_depth("- a\n  - b\n    - c\n\n> quote\n> > inner") == 3
    assert markdown_depth("> " * 300 + "x") == 300


# ----------------------------------------------------------------- images


def _png(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("huge.png", None, "pixels"),  # dimensions over the limit, a small file
        ("fake.png", b"<html>not an image</html>", "not a PNG, JPEG, GIF or WebP image"),
    ],
)
def test_images_are_checked_before_use(course, cli, name, data, reason):
    folder = course("course-good")
    image = folder / name  # image paths in Markdown are relative to the course folder
    image.write_bytes(data if data is not None else _png(12000, 12000))
    handout = folder / "local" / "handouts" / "bingo-card.yaml"
    handout.write_text(handout.read_text(encoding="utf-8").replace("body: |", f"body: |\n  ![map]({name})\n", 1),
                       encoding="utf-8")
    code, out, err = cli("build", folder, "--only", "handouts")
    assert code == 0, err
    assert name in err and reason in err


def test_a_reasonable_image_is_used(course, cli):
    folder = course("course-good")
    (folder / "map.png").write_bytes(_png(400, 300))
    handout = folder / "local" / "handouts" / "bingo-card.yaml"
    handout.write_text(handout.read_text(encoding="utf-8").replace("body: |", "body: |\n  ![map](map.png)\n", 1),
                       encoding="utf-8")
    code, out, err = cli("build", folder, "--only", "handouts")
    assert code == 0, err
    assert "map.png" not in err


# ----------------------------------------------------------------- a course's own certificate


def _with_participants(course, template: str) -> Path:
    return course(
        "course-good",
        {
            "local/certificate.html": template,
            "course.yaml": (Path(__file__).parent / "roots" / "course-good" / "course.yaml").read_text(encoding="utf-8")
            + "certificate_template: local/certificate.html\nparticipants:\n  - {name: Nour Haddad}\n  - {name: Иван Петров}\n",
        },
    )


def test_a_courses_certificate_template_is_used(course, cli):
    from pypdf import PdfReader

    folder = _with_participants(course, "<h1>Attestation</h1><p>{{ name }} — {{ course }}</p>")
    code, out, err = cli("build", folder, "--only", "certificates")
    assert code == 0, err
    text = " ".join(page.extract_text() for page in PdfReader(folder / "build/certificates/certificates.pdf").pages)
    assert "Attestation" in text and "Nour Haddad" in text and "Иван Петров" in text and "Test course in Oslo" in text


@pytest.mark.parametrize(
    "template",
    [
        "{{ name.__class__.__mro__[1].__subclasses__() }}",
        "{{ ''.__class__.__base__.__subclasses__() }}",
        "{% for x in range(10**9) %}{% endfor %}",
        "{{ cycler.__init__.__globals__.os }}",
        "{% include '/etc/passwd' %}",
        "{{ undefined_thing }}",
        "{% broken",
    ],
)
def test_a_hostile_certificate_template_is_a_clean_error(course, cli, template):
    folder = _with_participants(course, template)
    code, out, err = cli("build", folder, "--only", "certificates")
    assert code == 1
    assert "local/certificate.html" in err and "Traceback" not in err
    assert "root:" not in out + err


def test_a_flood_of_problems_is_cut_short(course, cli):
    """One indentation slip can make a hundred errors: the first 40 are shown, then a count."""
    items = "\n".join(f"  - item {n}" for n in range(150))
    session = f"id: session-2\nnumber: 2\nmodule: module-1\ntitle: T\nduration: 1 hour\naim: A.\nobjectives: [O.]\nplan:\n{items}\nsources: [{{doc: TEST}}]\n"
    folder = course("course-good", {"local/sessions/session-2.yaml": session})
    code, out, err = cli("check", folder)
    assert code == 1
    assert err.count("expected a mapping of fields") == 40
    assert "... and 111 more" in err and "150 error(s); nothing was written." in err  # 150 errors, 1 warning


@pytest.mark.parametrize("broken", ["text", "zip"])
def test_a_broken_slide_template_is_a_clean_error(course, cli, broken):
    import zipfile

    folder = course("course-good")
    template = folder / "ours.pptx"
    if broken == "text":
        template.write_text("not a presentation")
    else:
        with zipfile.ZipFile(template, "w") as package:
            package.writestr("[Content_Types].xml", "<broken")
            package.writestr("ppt/presentation.xml", "<broken")
    with (folder / "course.yaml").open("a", encoding="utf-8") as handle:
        handle.write("slides:\n  template: ours.pptx\n")
    code, out, err = cli("build", folder, "--only", "slides")
    assert code == 1 and "ours.pptx" in err and "Traceback" not in err and "internal error" not in err
    assert not list((folder / "build").glob("slides/*.pptx")) if (folder / "build").exists() else True
