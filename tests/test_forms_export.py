"""The forms collect honest data: the XLSForm a phone shows and the sheet a facilitator types
paper answers into ask the same questions, with the same answer labels, as the printed form."""

from __future__ import annotations

import re
import typing
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

pyxform = pytest.importorskip("pyxform")

XF = "{http://www.w3.org/2002/xforms}"
H = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> Path:
    """The sample course's forms, built once (the built-in library)."""
    import os

    from trainer.build import build

    out = tmp_path_factory.mktemp("forms")
    old = os.environ.pop("TRAINER_LIBRARY", None)
    try:
        build(None, out, only="forms", workers=1)
    finally:
        if old is not None:
            os.environ["TRAINER_LIBRARY"] = old
    return out / "forms"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def xform(path: Path) -> ET.Element:
    from pyxform.xls2xform import convert

    result = convert(xlsform=str(path), validate=False)
    return ET.fromstring(result.xform)


def questions(root: ET.Element) -> list[dict[str, typing.Any]]:
    """Every question of an XForm: its label and its answers' labels (from the itemsets)."""
    instances = {
        instance.get("id"): [squash(item.findtext(f"{XF}label") or "") for item in instance.iter(f"{XF}item")]
        for instance in root.iter(f"{XF}instance") if instance.get("id")
    }
    found = []
    for control in root.find(f"{H}body").iter():
        if control.tag not in (f"{XF}input", f"{XF}select1", f"{XF}select"):
            continue
        itemset = control.find(f"{XF}itemset")
        choices = []
        if itemset is not None:
            choices = instances[re.search(r"instance\('([^']+)'\)", itemset.get("nodeset")).group(1)]
        found.append({"ref": control.get("ref"), "label": squash(control.findtext(f"{XF}label") or ""), "choices": choices})
    return found


def test_every_xlsform_converts_and_asks_what_the_printed_form_asks(forms):
    paths = sorted(forms.glob("*.xlsform.xlsx"))
    assert len(paths) >= 6
    for path in paths:
        stem = path.name.removesuffix(".xlsform.xlsx")
        printed = squash(" ".join(page.extract_text() for page in PdfReader(forms / f"{stem}.pdf").pages))
        compact = printed.replace(" ", "")
        for question in questions(xform(path)):
            label = question["label"]
            if question["ref"].endswith("_other"):
                continue
            if label.replace(" ", "") not in compact:
                # a per-session rating printed in a grid: the session is the row, the rest
                # of the question its column ("Session 1: ...: how relevant is it?")
                item, _, rest = label.rpartition(": ")
                assert item and item.replace(" ", "") in compact, (stem, label)
                assert rest.replace(" ", "").lower() in compact.lower(), (stem, label)
            for choice in question["choices"]:
                # a scale's point reads "1 (Not at all)" in the XLSForm; the paper form prints the
                # number and the label at the ends of its row
                text = re.sub(r"^\d+ \((.*)\)$", r"\1", choice)
                assert text.replace(" ", "") in compact, (stem, label, choice)


def test_each_scale_has_its_own_labels(forms):
    """Two scales with different end labels never share a choice list."""
    for path in forms.glob("*.xlsform.xlsx"):
        book = load_workbook(path)
        lists: dict[str, list[str]] = {}
        for name, _value, label in book["choices"].iter_rows(min_row=2, values_only=True):
            lists.setdefault(name, []).append(label)
        header = [cell.value for cell in book["survey"][1]]
        for row in book["survey"].iter_rows(min_row=2, values_only=True):
            entry = dict(zip(header, row))
            if str(entry["type"]).startswith("select_one scale_"):
                labels = lists[entry["type"].split()[1]]
                assert labels[0].startswith("1 (") and labels[-1].endswith(")"), (path.name, labels)


def test_levels_are_metadata_and_ratings_are_required_and_constrained(forms):
    for path in forms.glob("*.xlsform.xlsx"):
        book = load_workbook(path)
        # the texts respondents read are in the course language's columns
        header = [cell.value.removesuffix("::English (en)") for cell in book["survey"][1]]
        assert "evaluation_level" in header and "hint" in header and "label" in header
        for row in book["survey"].iter_rows(min_row=2, values_only=True):
            entry = dict(zip(header, row))
            if entry["type"] in ("begin_group", "end_group"):
                continue
            assert not entry["hint"], (path.name, entry["name"], entry["hint"])
            for shown in ("label",):
                assert not re.search(r"\b(Learning|Reaction|Profile|Intended use)\b$", str(entry[shown])), entry
            if str(entry["type"]).startswith("select_one scale_"):
                assert entry["constraint"].startswith(". >= "), entry
        root = xform(path)
        binds = {bind.get("nodeset").rsplit("/", 1)[-1]: bind for bind in root.iter(f"{XF}bind")}
        required = [name for name, bind in binds.items() if bind.get("required") == "true()"]
        ratings = [row for row in book["survey"].iter_rows(min_row=2, values_only=True) if str(row[0]).startswith("select_one scale_")]
        assert required or not ratings or path.name.startswith("learning-path"), f"{path.name}: no required answer"
    printed = " ".join(page.extract_text() for p in forms.glob("*.pdf") for page in PdfReader(p).pages)
    assert not re.search(r"\b(LEARNING|REACTION|PROFILE|INTENDED USE)\b", printed)


def test_the_form_version_follows_the_forms_content(tmp_path, monkeypatch):
    import os
    import shutil

    from trainer.build import build
    from trainer.library import library_root

    monkeypatch.delenv("TRAINER_LIBRARY", raising=False)
    folder = tmp_path / "course"
    (folder / "local/forms").mkdir(parents=True)
    (folder / "course.yaml").write_text("title: A course\n", encoding="utf-8")

    def version() -> str:
        build(folder, folder / "build", only="forms", workers=1)
        settings = load_workbook(folder / "build/forms/follow-up.xlsform.xlsx")["settings"]
        header = [cell.value for cell in settings[1]]
        return dict(zip(header, [cell.value for cell in settings[2]]))["version"]

    first = version()
    assert version() == first
    form = folder / "local/forms/follow-up.yaml"
    shutil.copy(library_root() / "forms/follow-up.yaml", form)
    text = form.read_text(encoding="utf-8")
    form.write_text(re.sub(r"^title: (.*)$", r"title: \1 (revised)", text, count=1, flags=re.M), encoding="utf-8")
    assert version() != first
    assert os.path.exists(folder / "build/forms/follow-up.pdf")


def test_data_entry_sheets_have_drop_downs_and_the_assessments_codes(forms):
    from trainer.models.assessment import Sector

    sectors = set(typing.get_args(Sector))
    for path in forms.glob("*.data-entry.xlsx"):
        book = load_workbook(path)
        sheet = book["responses"]
        names = [cell.value for cell in sheet[1]]
        validated = set()
        for validation in sheet.data_validations.dataValidation:
            for cell_range in validation.sqref.ranges:
                validated.add(names[cell_range.min_col - 1])
        codes: dict[str, set[str]] = {}
        for question, code, _meaning in book["codes"].iter_rows(min_row=2, values_only=True):
            codes.setdefault(question, set()).add(str(code))
        assert set(codes) <= validated, (path.name, set(codes) - validated)
        if "sector" in codes:
            assert codes["sector"] - {"other"} <= sectors and "trade-union" in codes["sector"], codes["sector"]
        for name in names:
            if name and name.endswith("_other"):
                assert "other" in codes[name.removesuffix("_other")], (path.name, name)


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path):
    from trainer.render.forms import cell_text

    assert cell_text("=HYPERLINK(\"http://x\",\"y\")") == "'=HYPERLINK(\"http://x\",\"y\")"
    assert cell_text("+1") == "'+1" and cell_text("@cmd") == "'@cmd" and cell_text("-2") == "'-2"
    assert cell_text("Safe text") == "Safe text" and cell_text(3) == 3
