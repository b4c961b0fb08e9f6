"""What a facilitator prints, read back as they would check it (issue 14): the participant
pack, single handouts and the facilitator annex; the forms; the checklist's print list;
certificates and sign-in sheets; printables with cut marks.

Built once per module: the guide's sample course (built-in library, no participants
listed), a course with participants, trainers, signatories and logos
(tests/roots/course-with-people), and the two-day French course of the corpus.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

ROOTS = Path(__file__).parent / "roots"
COURSES = Path(__file__).parent / "courses"
KINDS = "handouts,forms,checklist,certificates,printables"


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def pdf_text(path: Path) -> str:
    return "\n".join(pdf_pages(path))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _build(folder: Path | None, out: Path, only: str = KINDS) -> Path:
    from trainer.build import build

    old = os.environ.pop("TRAINER_LIBRARY", None)
    try:
        build(folder, out, only=only)
    finally:
        if old is not None:
            os.environ["TRAINER_LIBRARY"] = old
    return out


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return _build(None, tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def people(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("people") / "course"
    shutil.copytree(ROOTS / "course-with-people", folder)
    return _build(folder, folder / "build", "handouts,checklist,certificates,printables")


@pytest.fixture(scope="module")
def french(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("french") / "course"
    shutil.copytree(COURSES / "two-days-with-breaks", folder)
    return _build(folder, folder / "build", "handouts,forms,checklist")


@pytest.fixture(scope="module")
def sample_context():
    from trainer.prepare import prepare
    from trainer.render.common import BuildContext

    old = os.environ.pop("TRAINER_LIBRARY", None)
    try:
        return BuildContext(prepare(None))
    finally:
        if old is not None:
            os.environ["TRAINER_LIBRARY"] = old


# ---------------------------------------------------------------------------- the pack and the handouts

BUILD_NOTES = ("written for trainer", "seed 0", "seed documents", "Sources:", "Not among this library", "this library's")


def test_the_pack_holds_only_what_participants_read(sample):
    text = pdf_text(sample / "handouts/participant-pack.pdf")
    for note in BUILD_NOTES:
        assert note.lower() not in text.lower(), note
    assert not re.search(r"Sources?: HR/P/PT/26, p\. [\d-]+;", text)  # no list of document symbols under a handout
    assert "Case study answer sheet" not in text, "the answer sheet is handed out after the debrief, on its own"
    assert "Your training team" not in text, "no bios page when the course lists no trainers"
    assert not (sample / "handouts/trainer-bios.pdf").exists()


def test_the_annex_keeps_the_sources_and_names_the_fiction(sample):
    text = squash(pdf_text(sample / "handouts/facilitator-annex.pdf"))
    assert "Fiction written for this course" in text
    for fiction in ("Handout 2.1 Migrant stories", "Handout 4.2 Case study", "Handout 7.1 Liberto"):
        assert fiction in text
    assert "written for trainer" in text and "HR/P/PT/26" in text  # the notes the pack leaves out
    assert "Handout 4.3 Case study answer sheet" in text and "only after the debrief" in text


def test_handouts_are_numbered_by_session_in_the_order_they_are_used(sample_context):
    from trainer.render.handouts import handout_numbers

    numbers = handout_numbers(sample_context)
    assert numbers["case-study"] == "4.2" and numbers["case-study-answers"] == "4.3" and numbers["cmw-rights"] == "4.1"
    assert numbers["udhr-rights"] == "3.1" and numbers["liberto-country-brief"] == "7.1"
    assert "trainer-bios" not in numbers  # no trainers listed, no bios handout
    for handout_id, number in numbers.items():
        session, rank = number.split(".")
        same = sorted(int(n.split(".")[1]) for n in numbers.values() if n.split(".")[0] == session)
        assert same == list(range(1, len(same) + 1)), (handout_id, same)


def test_handout_numbers_agree_across_pack_single_handouts_and_checklist(sample, sample_context):
    from trainer.render.handouts import handout_numbers

    pack = squash(pdf_text(sample / "handouts/participant-pack.pdf"))
    checklist = squash(pdf_text(sample / "checklist.pdf"))
    library = sample_context.course_input.library
    for handout_id, number in handout_numbers(sample_context).items():
        title = library.handouts[handout_id].title
        title = "Agenda" if library.handouts[handout_id].generated == "agenda" else title
        label = f"Handout {number}"
        assert f"{label} · {title[:30]}" in checklist, (handout_id, label)
        single = pdf_pages(sample / f"handouts/{handout_id}.pdf")
        assert label in single[0] and title[:30] in squash(single[0]), handout_id
        if library.handouts[handout_id].given != "after-debrief":
            assert f"{label} {title[:30]}" in pack, (handout_id, label)  # the contents
            assert f"HANDOUT {number}" in pack, (handout_id, label)  # the handout's own heading


def test_the_contents_do_not_double_the_session_labels(sample, french):
    for build in (sample, french):
        contents = pdf_pages(build / "handouts/participant-pack.pdf")[1]
        assert not re.search(r"\((?:[Ss]ession|Séance) \d+\)\s*\((?:[Ss]ession|Séance)", contents), contents
        assert "(Session" not in contents and "(Séance" not in contents.replace("(session 6)", "")


def test_each_single_handout_has_its_own_title_and_page_numbers(sample):
    for path in sorted((sample / "handouts").glob("*.pdf")):
        if path.stem in ("participant-pack", "facilitator-annex"):
            continue
        pages = pdf_pages(path)
        total = len(pages)
        for number, text in enumerate(pages, start=1):
            assert f"{number} / {total}" in text, (path.name, number)
            assert "Participant pack" not in text and "Handout " in text, path.name
    assert len(pdf_pages(sample / "handouts/case-study.pdf")) < len(pdf_pages(sample / "handouts/participant-pack.pdf")) // 4


def _link_targets(path: Path) -> set[str]:
    targets = set()
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/URI"):
                targets.add(str(action["/URI"]))
    return targets


URL = re.compile(r"(?:https?://|www\.)[^\s)<>\"*]+|\b(?:[a-z0-9-]+\.)+(?:org|int|net)(?:/[^\s)<>\"*]*)?")


def test_every_web_address_in_the_pack_is_a_link(sample, sample_context):
    targets = _link_targets(sample / "handouts/participant-pack.pdf")
    library = sample_context.course_input.library
    from trainer.render.handouts import handout_places

    printed = set()
    for place in handout_places(sample_context):
        handout = library.handouts[place.id]
        if handout.given != "after-debrief":
            printed |= {match.rstrip(".,;:") for match in URL.findall(handout.body)}
    assert len(printed) >= 30
    missing = [url for url in printed if not any(target.endswith(url.split("://")[-1]) for target in targets)]
    assert not missing, missing[:5]
    assert all(target.startswith(("https://", "http://", "mailto:")) for target in targets)


def test_my_learning_path_leaves_ruled_space_to_write(sample):
    pages = PdfReader(sample / "handouts/my-learning-path.pdf").pages
    rules = 0
    for page in pages:
        start = None
        for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
            if operator == b"m":
                start = [float(value) for value in operands]
            elif operator == b"l" and start is not None:
                x, y = (float(value) for value in operands)
                if abs(x - start[0]) > 400 and abs(y - start[1]) < 0.01:
                    rules += 1  # a ruled line across the column
                start = None
    assert rules >= 20 * 3, rules  # three lines under each of the twenty prompts


def test_trainer_bios_list_the_trainers_when_there_are_some(people):
    text = squash(pdf_text(people / "handouts/trainer-bios.pdf"))
    assert "Handout 1.1" in text and "Amina Yusuf" in text and "Kwame Asante" in text and "Migrant Workers' Association" in text


# ---------------------------------------------------------------------------- forms


def test_end_of_day_forms_fit_one_sheet_and_ask_about_that_days_sessions(sample):
    forms = sorted((sample / "forms").glob("end-of-day-day-*.pdf"))
    assert [path.stem for path in forms] == ["end-of-day-day-1", "end-of-day-day-2"], "no end-of-day form on the last day"
    for path in forms:
        assert len(PdfReader(path).pages) <= 2, path.name  # one sheet, both sides at most
    day_1 = squash(pdf_text(forms[0]))
    assert "Session 1: Course introduction" in day_1 and "Session 3:" in day_1
    assert "Session 4:" not in day_1  # session 4 ends on day 2: it is asked about then
    assert "Session 4:" in squash(pdf_text(forms[1]))


def test_a_last_day_without_the_close_keeps_its_end_of_day_form(sample_context):
    from trainer.render.forms import closing_forms

    assert "end-of-course" in closing_forms(sample_context)


def test_forms_print_no_evaluation_levels(sample):
    printed = " ".join(pdf_text(path) for path in (sample / "forms").glob("*.pdf"))
    assert not re.search(r"\b(LEARNING|REACTION|PROFILE|INTENDED USE|APPLICATION)\b", printed)


def test_pre_and_end_of_course_forms_share_the_statements_that_measure_learning(sample_context):
    library = sample_context.course_input.library
    before = {q.id: q for q in library.forms["pre-course"].questions() if q.level == "learning"}
    # (the ratings of the last day's sessions, asked once per session, are not statements)
    after = {q.id: q for q in library.forms["end-of-course"].questions() if q.level == "learning" and not q.for_each}
    assert len(after) >= 10 and set(after) <= set(before)
    for key, question in after.items():
        assert (question.text, question.scale, question.scale_labels) == (before[key].text, before[key].scale, before[key].scale_labels)
        assert question.text.startswith("I can ")


# ---------------------------------------------------------------------------- the checklist


def _print_list(path: Path) -> str:
    text = squash(pdf_text(path))
    return text.split("The week before: print", 1)[1].split("The day before the course", 1)[0]


def test_the_print_list_names_every_file_once(sample):
    printed = _print_list(sample / "checklist.pdf")
    files = re.findall(r"(?:handouts|forms|certificates|printables)/[\w.-]+\.pdf", printed)
    doubled = sorted({f for f in files if files.count(f) > 1})
    assert not doubled, doubled
    made = {str(p.relative_to(sample)) for p in sample.rglob("*.pdf")}
    for expected in ("forms/pre-course.pdf", "forms/self-inventory.pdf", "forms/end-of-day-day-1.pdf", "forms/end-of-day-day-2.pdf",
                     "forms/end-of-course.pdf", "certificates/certificates.pdf", "certificates/sign-in-sheets.pdf",
                     "handouts/facilitator-annex.pdf", "handouts/udhr-rights.pdf"):
        assert expected in files and expected in made, expected
    assert {p for p in made if p.startswith("printables/")} <= set(files)


def test_the_print_list_gives_each_item_on_the_day_it_is_needed(sample):
    printed = _print_list(sample / "checklist.pdf")
    evening = printed.split("End of day 2, to hand out for the next day", 1)[1].split("Day 3", 1)[0]
    assert "Handout 7.1 · Liberto" in evening
    answers = printed.split("Handout 4.3 · Case study answer sheet", 1)[1][:400]
    assert "only after the debrief" in answers
    self_inventory = printed.split("Self-inventory", 1)[1][:200]
    assert re.search(r"\b(\d+) 2 per participant", self_inventory)


def test_the_checklist_has_a_timeline(sample):
    text = squash(pdf_text(sample / "checklist.pdf"))
    order = [text.index(h) for h in ("Two weeks before", "The week before: print", "The day before the course",
                                     "Before the day starts", "At the end of the day", "After the course")]
    assert order == sorted(order)
    assert "Give participants Handout 7.1 · Liberto" in text


def test_slides_to_prepare_follow_the_country_adaptations(tmp_path):
    import json

    from trainer.prepare import prepare
    from trainer.render.checklist import slides_to_prepare
    from trainer.render.common import BuildContext

    folder = tmp_path / "country"
    folder.mkdir()
    (folder / "course.yaml").write_text("title: A course\n", encoding="utf-8")
    (folder / "assessment.yaml").write_text("context: {country: Ghana}\n", encoding="utf-8")
    old = os.environ.pop("TRAINER_LIBRARY", None)
    try:
        slides = slides_to_prepare(BuildContext(prepare(folder)))
        none = slides_to_prepare(BuildContext(prepare(None)))
    finally:
        if old is not None:
            os.environ["TRAINER_LIBRARY"] = old
    assert slides and all("<country>" not in json.dumps(s, default=str) for s in slides)
    assert any("Ghana" in s["title"] for s in slides)
    assert none == []


# ---------------------------------------------------------------------------- certificates and sign-in sheets


def test_certificates_carry_logos_signatories_dates_place_and_hours(people):
    reader = PdfReader(people / "certificates/certificates.pdf")
    assert len(reader.pages) == 12
    first = squash(reader.pages[0].extract_text())
    for expected in ("Kofi Mensah", "Ama Owusu", "Chairperson, National Human Rights Commission", "Jean Martin",
                     "10 May 2027", "12 May 2027", "Accra, Ghana", "hours of training"):
        assert expected in first, expected
    images = reader.pages[0]["/Resources"].get("/XObject") or {}
    assert len(images) >= 1, "the PNG logo"  # the SVG logo is drawn as shapes
    from trainer.prepare import prepare
    from trainer.render.certificates import view
    from trainer.render.common import BuildContext

    old = os.environ.pop("TRAINER_LIBRARY", None)
    try:
        logos = view(BuildContext(prepare(people.parent)))["logos"]
    finally:
        if old is not None:
            os.environ["TRAINER_LIBRARY"] = old
    assert [Path(logo.split("#")[0]).name for logo in logos] == ["commission.png", "office.svg"]


def test_without_a_participants_list_certificates_and_sheets_are_blank_for_the_expected_number(sample):
    pages = pdf_pages(sample / "certificates/certificates.pdf")
    assert len(pages) == 22 + 3  # the guide's 22 participants and spares
    sheet = pdf_pages(sample / "certificates/sign-in-sheets.pdf")
    day_1 = squash(" ".join(page for page in sheet if "Day 1" in page))
    assert "25" in day_1 and "Morning" in day_1 and "Afternoon" in day_1


def test_sign_in_sheets_have_morning_and_afternoon_gender_and_blank_rows(people):
    pages = pdf_pages(people / "certificates/sign-in-sheets.pdf")
    assert len(pages) == 3
    for page in pages:
        text = squash(page)
        assert "Morning" in text and "Afternoon" in text and "Gender" in text
        assert "Kofi Mensah" in text and "Иван Петров" in text
        assert re.search(r"\b13\b.*\b14\b.*\b15\b", text), "three blank rows for walk-ins"


# ---------------------------------------------------------------------------- printables


def _cut_marks(page) -> int:  # type: ignore[no-untyped-def]
    width, height = float(page.mediabox.width) / 0.75, float(page.mediabox.height) / 0.75
    marks = 0
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator != b"re":
            continue
        x, y, w, h = (float(value) for value in operands)
        thin = (w < 1 and 10 < h < 40) or (h < 1 and 10 < w < 40)
        margin = 40  # about 10 mm, in CSS pixels
        if thin and (x < margin or x > width - margin or y < margin or y > height - margin):
            marks += 1
    return marks


def test_printables_have_cut_marks_in_the_margin(sample):
    printables = sorted((sample / "printables").glob("*.pdf"))
    names = {path.stem for path in printables}
    assert {"time-cards", "name-tents", "table-tents", "people-bingo-bingo-card", "migrant-stories-activity-story-cards",
            "human-rights-stand-signs", "legitimate-distinction-voting-cards"} <= names
    for path in printables:
        page = PdfReader(path).pages[0]
        if "signs" in path.stem or "bingo" in path.stem:
            continue  # a whole A4 sheet: nothing to cut
        assert _cut_marks(page) >= 8, path.name


def test_name_tents_carry_the_participants_and_trainers(people):
    text = squash(pdf_text(people / "printables/name-tents.pdf"))
    for name in ("Kofi Mensah", "Amina Yusuf", "Иван Петров"):
        assert name in text


def test_cards_come_from_where_the_content_writes_them(sample_context):
    from trainer.render.printables import set_cards

    library = sample_context.course_input.library
    roles = set_cards(library, library.activities["power-walk"], library.activities["power-walk"].cards[0])
    assert len(roles) == 16 and roles[0]["text"].startswith("A 35-year-old civil servant")
    pairs = set_cards(library, library.activities["definitions-memory-cards"], library.activities["definitions-memory-cards"].cards[0])
    assert pairs[0]["text"] == "International migrant" and "OHCHR working definition" not in pairs[1]["text"]
    assert len(pairs) == 36
    stories = set_cards(library, library.activities["migrant-stories-activity"], library.activities["migrant-stories-activity"].cards[0])
    assert [card["heading"].split(": ")[1].split(",")[0] for card in stories] == ["NADIA", "SAMUEL", "KAI", "ARTURO", "LUZ", "KARIM"]
    assert all("QUESTIONS" not in card["text"] for card in stories)


def test_every_card_set_of_the_library_has_cards():
    from trainer.loader import read_course
    from trainer.render.printables import set_cards

    old = os.environ.pop("TRAINER_LIBRARY", None)
    try:
        library = read_course(None)[0].library
    finally:
        if old is not None:
            os.environ["TRAINER_LIBRARY"] = old
    sets = [(activity, card_set) for activity in library.activities.values() for card_set in activity.cards]
    assert len(sets) >= 9
    for activity, card_set in sets:
        assert set_cards(library, activity, card_set), (activity.id, card_set.id)


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        ("../outside.png", "logos[1]: '../outside.png' is outside the course folder"),
        ("local/missing.png", "logos[1]: no PNG, JPEG or SVG file 'local/missing.png' in the course folder"),
        ("local/fake.png", "logos[1]: 'local/fake.png' cannot be used: not a PNG, JPEG, GIF or WebP image"),
    ],
)
def test_a_logo_that_cannot_be_used_is_named_with_its_line(course, cli, logo, message):
    folder = course()
    (folder / "local/fake.png").write_text("not an image")
    (folder.parent / "outside.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    with (folder / "course.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"logos: [{logo}]\n")
    code, _, err = cli("check", folder)
    assert code == 1 and "Traceback" not in err
    line = [line for line in err.splitlines() if "logos" in line][0]
    assert re.match(r".*course\.yaml:\d+:\d+: ", line) and message in line, line


def test_a_material_naming_an_unknown_card_set_is_an_error(course, cli):
    folder = course(files={"local/activities/cards.yaml": """
        id: cards
        title: Cards
        purpose: Test.
        minutes: 10
        grouping: pairs
        materials:
          - {item: Role cards, per: participant, printable: role-card}
        cards:
          - {id: role-cards, title: role cards, cards: [{text: A role}]}
        steps: [Play.]
        sources: [{doc: TEST}]
    """})
    code, _, err = cli("check", folder)
    assert code == 1
    assert "materials[1].printable: 'role-card' is neither a card set of this activity" in err and "did you mean 'role-cards'" in err


def test_a_course_that_hands_out_the_pack_prints_it_once_with_the_answer_sheet_apart(tmp_path):
    from trainer.prepare import prepare
    from trainer.render.checklist import checklist
    from trainer.render.common import BuildContext

    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "course.yaml").write_text("title: A course\nparticipants_expected: 20\nhandouts_printed: pack\n", encoding="utf-8")
    old = os.environ.pop("TRAINER_LIBRARY", None)
    try:
        content = checklist(BuildContext(prepare(folder)))
    finally:
        if old is not None:
            os.environ["TRAINER_LIBRARY"] = old
    items = [item for group in content["print_list"] for item in group["items"]]
    files = [item["key"] for item in items]
    assert "handouts/participant-pack.pdf" in files and "handouts/case-study-answers.pdf" in files
    assert not [f for f in files if f.startswith("handouts/") and f not in
                ("handouts/participant-pack.pdf", "handouts/case-study-answers.pdf", "handouts/facilitator-annex.pdf")]
    pack = next(item for item in items if item["key"] == "handouts/participant-pack.pdf")
    assert pack["count"] == 22 and pack["when"] == (1, 0)
    evenings = [task["what"] for day in content["days"] for task in day["evening"]]
    assert any("Remind participants to read Handout 7.1" in task for task in evenings)
