"""The library in the course language: catalogues extracted, updated and counted as a
translator's tools expect, translations merged into the documents, missing ones listed,
the review status shown, and every translation checked against the official terms.

The small test library (tests/roots/library) carries tiny French and Arabic catalogues
under its locale/content/: French complete but for session 2's title, Arabic complete.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from openpyxl import load_workbook
from pypdf import PdfReader

from trainer.catalogues import check_glossary, extract, library_messages, read_glossary, stats, templates, update
from trainer.loader import load_library
from trainer.translate import CONTENT_DIR, markdown_blocks, translate_markdown, walk

REPO = Path(__file__).resolve().parents[1]
ROOTS = Path(__file__).parent / "roots"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def po_entries(path: Path) -> dict[tuple[str, str], object]:
    with path.open("rb") as handle:
        return {(m.context or "", m.id): m for m in read_po(handle) if m.id}


def set_translations(path: Path, strings: dict[str, str]) -> None:
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    for message in catalogue:
        if message.id in strings:
            message.string = strings[message.id]
            message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=76, omit_header=False, sort_output=False)


@pytest.fixture
def library_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the test library with its catalogues, as TRAINER_LIBRARY."""
    root = tmp_path / "library"
    shutil.copytree(ROOTS / "library", root)
    monkeypatch.setenv("TRAINER_LIBRARY", str(root))
    return root


def course_folder(tmp_path: Path, course_yaml: str, *, local: bool = False) -> Path:
    """A course folder: course.yaml only (the library's items), or course-good's local items too."""
    folder = tmp_path / "course"
    if local:
        shutil.copytree(ROOTS / "course-good", folder)
    else:
        folder.mkdir()
    (folder / "course.yaml").write_text(textwrap.dedent(course_yaml).lstrip(), encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------- the workflow


def test_extract_update_stats_round_trip(library_copy, cli):
    code, out, err = cli("i18n", "extract")
    assert code == 0, err
    assert "23 texts in 9 catalogues: 0 written, 9 unchanged" in out  # the committed templates are current
    pot = po_entries(library_copy / CONTENT_DIR / "modules/sessions/session-1.pot")
    assert ("title", "First session") in pot
    assert ("plan.welcome.title", "Welcome") in pot  # a slide title, with its segment as context
    assert ("plan.introductions.title", "Introductions") not in pot  # not on a slide: stays English
    fr = library_copy / CONTENT_DIR / "fr/modules/sessions/session-1.po"
    assert po_entries(fr)[("title", "First session")].string == "Première séance"

    # the English source changes: one text edited, one added, one unchanged
    session = library_copy / "modules/sessions/session-1.yaml"
    text = session.read_text(encoding="utf-8")
    text = text.replace("title: First session", "title: The first session")
    text = text.replace("objectives: [Know each other.]", "objectives: [Know each other., Agree on the rules.]")
    session.write_text(text, encoding="utf-8")
    code, out, err = cli("i18n", "extract")
    assert code == 0 and "1 written" in out, out + err
    code, out, err = cli("i18n", "update", "--language", "fr")
    assert code == 0, err
    assert "fr: 0 created, 1 updated, 0 removed; 1 fuzzy" in out
    entries = po_entries(fr)
    changed = entries[("title", "The first session")]
    assert changed.fuzzy and changed.string == "Première séance"  # kept for the translator to check
    assert '#| msgid "First session"\nmsgctxt "title"\nmsgid "The first session"' in fr.read_text(encoding="utf-8")  # Poedit shows what changed
    assert entries[("objectives", "Know each other.")].string == "Faire connaissance."
    assert not entries[("objectives", "Know each other.")].fuzzy
    assert entries[("objectives", "Agree on the rules.")].string == ""

    rows = {row.name: row for row in stats(library_copy, "fr")}
    session_row = rows["modules/sessions/session-1"]
    assert (session_row.total, session_row.translated, session_row.fuzzy, session_row.untranslated) == (4, 2, 1, 1)
    assert rows["modules/sessions/session-2"].untranslated == 1  # "Second session", never translated
    assert rows["fixed-words"].untranslated == 0
    code, out, err = cli("i18n", "stats", "--language", "fr", "--document", "session-1")
    assert code == 0, err
    assert re.search(r"modules/sessions/session-1\s+4\s+2\s+1\s+1\s+50\s+draft", out), out


def test_a_new_language_and_a_removed_file(library_copy, cli):
    code, out, err = cli("i18n", "update", "--language", "es")
    assert code == 0 and "es: 9 created" in out, out + err
    assert (library_copy / CONTENT_DIR / "es/status.yaml").is_file()
    (library_copy / "activities/questionnaire.yaml").unlink()
    # the session still names the activity: remove it there too
    session = library_copy / "modules/sessions/session-1.yaml"
    session.write_text(session.read_text(encoding="utf-8").replace("      - activity: questionnaire\n", ""), encoding="utf-8")
    code, out, err = cli("i18n", "extract")
    assert code == 0 and "removed activities/questionnaire.pot" in out, out + err
    code, out, err = cli("i18n", "update")
    assert code == 0 and "es: 0 created, 0 updated, 1 removed" in out, out + err
    assert not (library_copy / CONTENT_DIR / "fr/activities/questionnaire.po").exists()
    code, _, err = cli("i18n", "update", "--language", "de")
    assert code == 1 and "'de' is not a course language" in err


def test_extraction_is_stable_and_writes_nothing_when_nothing_changed(library_copy):
    library, _ = load_library()
    before = {path: path.read_bytes() for path in (library_copy / CONTENT_DIR).rglob("*.pot")}
    result = extract(library)
    assert result.written == [] and result.removed == []
    assert before == {path: path.read_bytes() for path in (library_copy / CONTENT_DIR).rglob("*.pot")}
    assert update(library_copy, "fr").updated == []


def test_the_committed_templates_are_those_of_the_library():
    """`make translations` (trainer i18n extract) was run after the last content change."""
    library, _ = load_library(REPO)
    wanted = library_messages(library)
    committed = templates(REPO)
    assert sorted(committed) == sorted(wanted), "run `make translations` and commit locale/"
    for name, messages in wanted.items():
        entries = po_entries(committed[name])
        assert [(m.context, m.source) for m in messages] == list(entries), f"{name}: run `make translations`"


def test_every_language_has_a_catalogue_per_template():
    for language in ("fr", "es", "ar"):
        folder = REPO / CONTENT_DIR / language
        have = sorted(p.relative_to(folder).with_suffix("").as_posix() for p in folder.rglob("*.po"))
        assert have == sorted(templates(REPO)), language
        for path in folder.rglob("*.po"):
            template = po_entries(REPO / CONTENT_DIR / path.relative_to(folder).with_suffix(".pot"))
            assert set(po_entries(path)) == set(template), path


def test_participant_facing_fields_only():
    library, _ = load_library(REPO)
    session = library.sessions["session-2"]
    contexts = {context for context, *_ in walk(session)}
    assert "title" in contexts and "objectives" in contexts and "key_messages" in contexts
    assert not any(context.endswith(".notes") or context.endswith("aim") for context in contexts)
    activity = library.activities["people-bingo"]
    fields = {context for context, *_ in walk(activity)}
    assert "debrief" in fields and "title" in fields
    assert "steps" not in fields and "setup" not in fields  # the facilitator's instructions


def test_the_titles_of_group_work_and_debrief_slides_are_extracted():
    """The decks show a group-work segment's title on its "Group work until 11:05" slide and
    a debrief segment's title above the activity's debrief questions, slides or not: both
    titles are in the catalogue, so that a translated deck prints no English title."""
    library, _ = load_library(REPO)
    messages = {(m.context, m.source) for m in library_messages(library)["modules/sessions/session-6"]}
    assert ("plan.case-study-activity.parts.case-study-exercise.title", "Case study exercise") in messages
    assert ("plan.case-study-debrief.title", "Debrief") in messages
    assert ("plan.troubleshooting.parts.troubleshooting-obstacles.title",
            "Group work: obstacles (10 minutes in pairs, 10 minutes in plenary)") in messages
    # a plenary segment without slides is on no slide: its title stays with the facilitator
    assert not any(context == "plan.troubleshooting.parts.troubleshooting-examples.title" for context, _ in messages)


# ---------------------------------------------------------------------------- Markdown


def test_markdown_is_split_into_paragraphs_and_put_back_together():
    text = textwrap.dedent("""\
        **Part I.** Scope and
        definitions.

        ## Rights

        - **1.** Applies to all migrant
          workers.

          A second paragraph.
        - Life.

        > A quotation
        > on two lines.

        | Body | What it is |
        | --- | --- |
        | OHCHR | The Office \\| secretariat |
        """)
    blocks = [block.text for block in markdown_blocks(text)]
    assert blocks == [
        "**Part I.** Scope and definitions.", "Rights", "**1.** Applies to all migrant workers.", "A second paragraph.",
        "Life.", "A quotation on two lines.", "Body", "What it is", "OHCHR", "The Office | secretariat",
    ]
    french = {
        "Rights": "Droits", "Life.": "La vie.", "**1.** Applies to all migrant workers.": "**1.** S'applique à tous.",
        "The Office | secretariat": "Le Haut-Commissariat | secrétariat", "A quotation on two lines.": "Une citation.",
    }
    out = translate_markdown(text, lambda source: french.get(source, source))
    assert "## Droits" in out and "- **1.** S'applique à tous.\n\n  A second paragraph." in out
    assert "> Une citation." in out and "| OHCHR | Le Haut-Commissariat \\| secrétariat |" in out
    assert translate_markdown(text, lambda source: source) == text


def test_every_markdown_text_of_the_library_keeps_its_structure_when_translated():
    from trainer.render.markdown import to_html

    library, _ = load_library(REPO)
    checked = 0
    for entry in library.entries.values():
        for context, spec, value, _ in walk(entry.item):
            if spec.shape != "markdown":
                continue
            checked += 1
            out = translate_markdown(value, lambda source: "«" + source.upper() + "»")
            before, after = str(to_html(value)), str(to_html(out))
            assert re.findall(r"</?[a-z0-9]+", before) == re.findall(r"</?[a-z0-9]+", after), (entry.id, context)
            shown = re.sub(r"<[^>]+>", " ", after)
            assert not re.search(r"[a-z]", re.sub(r"&[a-z]+;", "", shown)), (entry.id, context)  # every text translated
    assert checked > 40


# ---------------------------------------------------------------------------- the build


@pytest.fixture
def french_build(tmp_path, test_library):
    from trainer.build import build

    folder = course_folder(tmp_path, """
        language: fr
        start_date: 2027-03-01
        participants:
          - name: Awa Diop
        """)
    result = build(folder, folder / "build", workers=1)
    return folder / "build", result


def test_a_french_build_prints_the_translations(french_build):
    out, _ = french_build
    agenda = pdf_text(out / "agenda/agenda.pdf")
    assert "Une petite formation d'essai" in agenda  # the programme's title, translated
    assert "Première séance" in agenda and "First session" not in agenda
    # no translation yet: English, and listed; French puts a no-break space before a colon
    assert "Séance 2\u00a0: Second session" in agenda.replace(" :", "\u00a0:")
    pack = pdf_text(out / "handouts/participant-pack.pdf")
    assert "Carte de bingo" in pack and "Trouvez quelqu'un qui parle trois langues" in pack
    assert "Find someone" not in pack
    form = " ".join(pdf_text(out / "forms/end-of-day-day-1.pdf").split())  # the ratings grid wraps its labels
    for expected in ("Évaluation de fin de journée", "Dans quelle mesure Séance 1 : Première séance", "Pas du tout",
                     "Beaucoup", "Genre", "Femme", "Préfère ne pas répondre"):
        assert expected in form, expected
    assert "Gender" not in form and "Woman" not in form
    survey = load_workbook(out / "forms/end-of-day-day-1.xlsform.xlsx")["survey"]
    labels = [row[2] for row in survey.iter_rows(values_only=True)]
    assert "Genre" in labels
    # Kobo and ODK see the form's language: its texts are in French columns, French by default
    workbook = load_workbook(out / "forms/end-of-day-day-1.xlsform.xlsx")
    assert [cell.value for cell in workbook["survey"][1]][2:4] == ["label::French (fr)", "hint::French (fr)"]
    assert workbook["choices"]["C1"].value == "label::French (fr)"
    settings = dict(zip([c.value for c in workbook["settings"][1]], [c.value for c in workbook["settings"][2]]))
    assert settings["default_language"] == "French (fr)"
    from pyxform.xls2xform import convert

    xform = convert(xlsform=str(out / "forms/end-of-day-day-1.xlsform.xlsx"), validate=False).xform
    assert 'lang="French (fr)"' in xform and "Genre" in xform and "Préfère ne pas répondre" in xform
    certificates = pdf_text(out / "certificates/certificates.pdf")
    assert "Une petite formation d'essai" in certificates
    slides = out / "slides/session-1.pptx"
    from pptx import Presentation

    texts = [shape.text_frame.text for slide in Presentation(str(slides)).slides for shape in slide.shapes if shape.has_text_frame]
    assert any("Bienvenue" in text for text in texts) and any("Faire connaissance." in text for text in texts)


def test_a_draft_translation_says_so_on_every_document(french_build):
    out, _ = french_build
    for pdf in sorted(out.rglob("*.pdf")):
        reader = PdfReader(pdf)
        for number, page in enumerate(reader.pages):
            assert "Traduction établie pour cette formation" in page.extract_text(), f"{pdf.name} page {number + 1}"
    from docx import Document

    footer = Document(str(out / "agenda/agenda.docx")).sections[0].footer
    assert "Traduction établie pour cette formation" in footer.paragraphs[0].text
    guide = pdf_text(out / "facilitator-guide.pdf")
    assert "les notes destinées à l'équipe d'animation restent en anglais" in guide


def test_missing_translations_are_listed_in_the_build_summary(tmp_path, test_library, cli):
    folder = course_folder(tmp_path, "language: fr\n")
    code, out, err = cli("build", folder, "--only", "agenda")
    assert code == 0, err
    assert "translation into French: 22 of 23 texts of this course's documents" in out
    assert "in English instead, for want of a translation (1 texts): modules/sessions/session-2 (1)" in err
    assert "trainer i18n stats --language fr" in err


def test_the_plan_says_how_much_is_translated(tmp_path, test_library, cli):
    folder = course_folder(tmp_path, "language: fr\n")
    code, out, _ = cli("plan", folder, "--json")
    assert code == 0
    import json

    adaptations = json.loads(out)["adaptations"]
    language = next(a for a in adaptations if a["rule"] == "language")
    assert language["change"].startswith("documents in French: fixed words and 22 of 23 library texts")


def test_a_course_s_own_items_are_taken_as_written(tmp_path, test_library, cli):
    folder = course_folder(tmp_path, "language: fr\n", local=True)
    code, out, err = cli("build", folder, "--only", "handouts")
    assert code == 0, err
    pack = pdf_text(folder / "build/handouts/participant-pack.pdf")
    assert "Local bingo card" in pack  # local/handouts/bingo-card.yaml, in the course team's words
    assert "handouts/bingo-card" not in err  # not counted as missing


def test_a_reviewed_translation_drops_the_note(library_copy, tmp_path, cli):
    set_translations(library_copy / CONTENT_DIR / "fr/modules/sessions/session-2.po", {"Second session": "Deuxième séance"})
    names = sorted(templates(library_copy))
    lines = "".join(f"  {name}: {{by: Reviewer, on: 2027-01-15}}\n" for name in [*names, "fixed-words"])
    (library_copy / CONTENT_DIR / "fr/status.yaml").write_text("reviewed:\n" + lines, encoding="utf-8")
    folder = course_folder(tmp_path, "language: fr\n")
    code, out, err = cli("build", folder, "--only", "agenda")
    assert code == 0, err
    assert "23 of 23 texts of this course's documents (reviewed)" in out
    text = pdf_text(folder / "build/agenda/agenda.pdf")
    assert "Deuxième séance" in text and "Traduction établie" not in text


def test_broken_translation_files_are_reported_with_their_place(library_copy, tmp_path, cli):
    status = library_copy / CONTENT_DIR / "fr/status.yaml"
    status.write_text("reviewed:\n  handouts/agenda: {by: Someone, on: someday}\n", encoding="utf-8")
    folder = course_folder(tmp_path, "language: fr\n")
    code, _, err = cli("check", folder)
    assert code == 1 and "Traceback" not in err
    assert re.search(r"status\.yaml:2:\d+: reviewed\.handouts/agenda\.on: ", err), err
    status.write_text("reviewed: {}\n", encoding="utf-8")
    po = library_copy / CONTENT_DIR / "fr/handouts/agenda.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "unterminated\n', encoding="utf-8")
    code, _, err = cli("check", folder)
    assert code == 1 and "Traceback" not in err
    assert "agenda.po" in err and "not a readable gettext catalogue" in err


# ---------------------------------------------------------------------------- the glossary


class _Message:
    def __init__(self, source: str, translation: str, comments: tuple[str, ...] = ()):
        self.id, self.string, self.user_comments, self.context = source, translation, list(comments), "body"


def test_the_glossary_check_finds_an_unofficial_term():
    terms = read_glossary(REPO, "fr")
    wrong = _Message("Duty bearers must respect the rights of rights holders.",
                     "Les porteurs de devoirs doivent respecter les droits des titulaires de droits.")
    problems = check_glossary(terms, wrong, "x.po")
    assert [problem.term for problem in problems] == ["duty bearers"]
    assert "débiteurs d'obligations" in problems[0].format()
    right = _Message(wrong.id, "Les débiteurs d'obligations doivent respecter les droits des titulaires de droits.")
    assert check_glossary(terms, right, "x.po") == []
    accepted = _Message(wrong.id, wrong.string, ("glossary-ok: duty bearers (the sentence quotes a local law)",))
    assert check_glossary(terms, accepted, "x.po") == []
    title = _Message("Towards a Human Rights-Based Approach to Migration",
                     "« Towards a Human Rights-Based Approach to Migration » (titre du guide)")
    assert check_glossary(terms, title, "x.po") == []  # a document's title kept in English
    arabic = read_glossary(REPO, "ar")
    hrba = _Message("A human rights-based approach to migration", "نهج قائم على حقوق الإنسان إزاء الهجرة")
    assert check_glossary(arabic, hrba, "x.po") == []
    cmw = _Message("the Convention on Migrant Workers", "الاتفاقية الخاصة بالعمال")
    assert [p.term for p in check_glossary(arabic, cmw, "x.po")] == ["Convention on Migrant Workers"]


@pytest.mark.parametrize("language", ["fr", "es", "ar", "ru", "zh"])
def test_every_translation_uses_the_official_terms(language):
    """Every translated text of the library's catalogues and of the fixed words follows the
    language's glossary (an empty catalogue passes; translators' work is checked as it comes)."""
    problems = [problem.format() for row in stats(REPO, language) for problem in row.glossary]
    assert problems == []


def test_the_glossaries_name_their_sources():
    for language in ("fr", "es", "ar"):
        terms = read_glossary(REPO, language)
        english = {term.english for term in terms}
        assert {"human rights-based approach", "rights holders", "duty bearers",
                "International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families"} <= english
        assert all(term.source and term.official for term in terms)
    french = {term.english: term.official for term in read_glossary(REPO, "fr")}
    assert french["rights holders"][0] == "titulaires de droits"
    assert french["duty bearers"][0] == "débiteurs d'obligations"
    assert {term.english: term.official for term in read_glossary(REPO, "es")}["human rights-based approach"][0] == \
        "enfoque basado en los derechos humanos"


PLACEHOLDERS = re.compile(r"\{\w+\}|<(?:country|region|date|year|date checked)>")


@pytest.mark.parametrize("root", [REPO, ROOTS / "library"], ids=["library", "test-library"])
def test_translations_keep_placeholders_and_markup(root):
    for path in sorted((root / CONTENT_DIR).glob("*/**/*.po")):
        for (context, source), message in po_entries(path).items():
            if not message.string:
                continue
            assert sorted(PLACEHOLDERS.findall(message.string)) == sorted(PLACEHOLDERS.findall(source)), (path, source)
            assert message.string.count("**") == source.count("**"), (path, source)


# ---------------------------------------------------------------------------- Chinese


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils is not installed: fonts not checked")
def test_a_chinese_build_prints_its_fixed_words_in_a_chinese_font(tmp_path, test_library, cli):
    folder = course_folder(tmp_path, "language: zh\nstart_date: 2027-03-01\n")
    code, _, err = cli("build", folder, "--only", "agenda")
    assert code == 0, err
    pdf = folder / "build/agenda/agenda.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for expected in ("议程", "第1天", "休息", "模块1，第1节"):
        assert expected in text, expected
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "CJK" in fonts, "install fonts-noto-cjk (make system)"


def test_a_translated_country_slide_still_lists_the_treaties():
    """Which country slide lists the treaties ratified is read from its English title, so an
    Arabic title ("معاهدات ...") still gets the assessment's treaty list."""
    from trainer.translate import DocumentReport, Translations, _Merge

    library, _ = load_library(REPO)
    session = library.sessions["session-3"]
    context, english = next(
        (context, value) for context, spec, value, _ in walk(session)
        if context.endswith(".slide") and "treaties ratified by" in value
    )
    arabic = "معاهدات حقوق الإنسان التي صدقت عليها <country> (حتى <date>)"
    translated = _Merge(Translations("modules/sessions/session-3", {(context, english): arabic}), DocumentReport("x")).item(session)
    slides = [a for segment in translated.segments() for a in segment.adapt if a.slide == arabic]
    assert slides and all(slide.lists_treaties for slide in slides)
    assert session.segments() != translated.segments()  # the library given is left as it was


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_gettext_tools_accept_every_catalogue():
    """A translator's tools (Poedit, Weblate, msgfmt) check what trainer writes: every
    catalogue passes `msgfmt -c` (no text guessed to be a %-format because it holds "48%")."""
    failed = []
    for path in sorted((REPO / CONTENT_DIR).rglob("*.po")):
        result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        if result.returncode != 0:
            failed.append(f"{path.relative_to(REPO)}: {result.stderr.strip()[:300]}")
    assert not failed, "\n".join(failed)
