"""The DOCX writer of the document model (trainer/render/document.py): the same blocks the
PDF is written from, as an editable Word file.

Headings are Word's "Heading N" styles (in the order the blocks give them), tables repeat
their header row on every page (`w:tblHeader`), lists inside table cells stay lists
(Word's list styles, numbered lists restarting where the content restarts them), and the
fonts are ones every office suite has (Calibri, with Arial for complex scripts;
LibreOffice substitutes the metric-compatible Carlito).
"""

from __future__ import annotations

from typing import Any

from ..models.base import XML_INVALID
from .document import Block, Box, Heading, Items, Para, Section, Span, Table

ACCENT = "0A5E8C"
MUTED = "5B6673"
FILL = "EEF3F7"
FONT = "Calibri"
COMPLEX_FONT = "Arial"
TEXT_WIDTH_CM = 17.4


def new_document(paper: str, *, size: float = 11, direction: str = "ltr", landscape: bool = False) -> Any:
    """A python-docx Document on the course's paper, with fonts every office suite has."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    width, height = (Cm(21.59), Cm(27.94)) if paper == "letter" else (Cm(21.0), Cm(29.7))
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = section.bottom_margin = Cm(1.8)
    styles = document.styles
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Title"):
        style = styles[name]
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
            fonts.set(qn(attribute), FONT)
        fonts.set(qn("w:cs"), COMPLEX_FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
    styles["Normal"].font.size = Pt(size)
    styles["Normal"].paragraph_format.space_after = Pt(4)
    for level, points in ((1, size + 7), (2, size + 3), (3, size + 1), (4, size)):
        heading = styles[f"Heading {level}"]
        heading.font.size = Pt(points)
        heading.font.color.rgb = RGBColor.from_string(ACCENT)
        heading.font.bold = True
        heading.font.italic = False
        heading.paragraph_format.space_before = Pt(10 if level > 1 else 0)
        heading.paragraph_format.space_after = Pt(4)
        heading.paragraph_format.keep_with_next = True
    if direction == "rtl":
        _insert(styles["Normal"].element.get_or_add_pPr(), OxmlElement("w:bidi"))
    return document


class DocxWriter:
    """Writes blocks into a python-docx Document (or into one of its table cells)."""

    def __init__(self, document: Any, width_cm: float = TEXT_WIDTH_CM) -> None:
        self.document = document
        self.width_cm = width_cm
        self._numbering: dict[str, str] = {}

    # ------------------------------------------------------------------ blocks

    def write(self, blocks: list[Block], container: Any = None, *, box: bool = False, level: int = 0,
              width_cm: float | None = None) -> None:
        target = container if container is not None else self.document
        width = width_cm or self.width_cm
        for block in blocks:
            if isinstance(block, Heading):
                if container is None and not box:
                    paragraph = self.document.add_heading(level=min(max(block.level, 1), 9))
                    self._spans(paragraph, block.text)
                else:
                    paragraph = target.add_paragraph()
                    self._spans(paragraph, block.text, bold=True)
                    self._boxed(paragraph, box)
            elif isinstance(block, Para):
                paragraph = target.add_paragraph()
                self._para(paragraph, block)
                self._boxed(paragraph, box)
            elif isinstance(block, Items):
                self._items(target, block, box, level)
            elif isinstance(block, Table):
                self._table(target, block, width)
            elif isinstance(block, Box):
                if block.title:
                    title = target.add_paragraph()
                    run = title.add_run(_clean(block.title))
                    run.bold = True
                    _colour(run, ACCENT)
                    title.paragraph_format.keep_with_next = True
                    self._boxed(title, True)
                self.write(block.blocks, target, box=True, level=level, width_cm=width)
            elif isinstance(block, Section):
                if block.page_break and container is None:
                    self.document.add_page_break()
                self.write(block.blocks, container, box=box, level=level, width_cm=width)

    def _para(self, paragraph: Any, block: Para) -> None:
        from docx.shared import Pt

        css = set(block.css.split())
        bold = bool(css & {"segment-title", "box-title", "label"})
        colour = ACCENT if css & {"segment-title", "module-line"} else (MUTED if css & {"note", "sources", "muted"} else "")
        self._spans(paragraph, block.text, bold=bold, colour=colour)
        if "sources" in css:
            for run in paragraph.runs:
                run.font.size = Pt(9)
        if block.keep_with_next or "keep" in css or bold:
            paragraph.paragraph_format.keep_with_next = True

    def _items(self, target: Any, block: Items, box: bool, level: int) -> None:
        depth = min(level, 2)
        style = ("List Number" if block.ordered else "List Bullet") + ("" if depth == 0 else f" {depth + 1}")
        number = self._restart(style, block.start) if block.ordered else ""
        for entry in block.items:
            first = True
            for inner in entry:
                if isinstance(inner, Items):
                    self._items(target, inner, box, level + 1)
                    continue
                if isinstance(inner, Para) and first:
                    paragraph = target.add_paragraph(style=style)
                    if number:
                        _set_number(paragraph, number, 0)
                    self._para(paragraph, inner)
                    self._boxed(paragraph, box)
                    first = False
                    continue
                if isinstance(inner, Para):
                    paragraph = target.add_paragraph(style="List Continue" + ("" if depth == 0 else f" {depth + 1}"))
                    self._para(paragraph, inner)
                    self._boxed(paragraph, box)
                    continue
                self.write([inner], target, box=box, level=level + 1)
            if first and not entry:
                target.add_paragraph(style=style)

    def _table(self, target: Any, block: Table, width_cm: float) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, RGBColor

        columns = len(block.columns)
        total = sum(column.width for column in block.columns) or 1
        widths = [Cm(width_cm * column.width / total) for column in block.columns]
        table = target.add_table(rows=0, cols=columns)
        table.style = self.document.styles["Table Grid"]
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        if block.header:
            cells = table.add_row().cells
            for cell, column, width in zip(cells, block.columns, widths, strict=True):
                cell.width = width
                paragraph = cell.paragraphs[0]
                run = paragraph.add_run(_clean(column.label))
                run.bold = True
                run.font.color.rgb = RGBColor.from_string("FFFFFF")
                _shade(cell, ACCENT)
            header = table.rows[0]._tr.get_or_add_trPr()
            header.append(OxmlElement("w:cantSplit"))
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            header.append(repeat)
        for row in block.rows:
            cells = table.add_row().cells
            css = set(row.css.split())
            for index, (cell, width) in enumerate(zip(cells, widths, strict=False)):
                cell.width = width
                blocks = row.cells[index] if index < len(row.cells) else []
                self._cell(cell, blocks, width.cm)
                if css & {"fixed", "session-break", "break", "slot"} or (row.head and index == 0):
                    _shade(cell, FILL)
                if row.head and index == 0:
                    for paragraph in cell.paragraphs:
                        for run in paragraph.runs:
                            run.bold = True
                            _colour(run, ACCENT)
                if "skipped" in css:
                    for paragraph in cell.paragraphs:
                        for run in paragraph.runs:
                            _colour(run, MUTED)

    def _cell(self, cell: Any, blocks: list[Block], width_cm: float) -> None:
        self.write(blocks, cell, width_cm=max(width_cm - 0.4, 1.0))
        paragraphs = cell.paragraphs
        first = paragraphs[0]._p
        # the empty paragraph every new cell starts with goes, unless it is all the cell holds
        if len(cell._tc) > 2 and not paragraphs[0].text and first.getnext() is not None and first.getnext().tag.endswith("}p"):
            cell._tc.remove(first)

    # ------------------------------------------------------------------ inline

    def _spans(self, paragraph: Any, spans: list[Span], *, bold: bool = False, colour: str = "") -> None:
        for span in spans:
            if span.text == "\n":
                paragraph.add_run().add_break()
                continue
            value = _clean(span.text)
            if span.image:
                value = f"[{value or 'image'}]"
            if span.href:
                self._link(paragraph, value, span.href, bold or span.bold)
                continue
            run = paragraph.add_run(value)
            run.bold = (bold or span.bold) or None
            run.italic = (span.italic or bool(span.image)) or None
            if span.code:
                run.font.name = "Courier New"
            if span.muted:
                _colour(run, MUTED)
            elif colour:
                _colour(run, colour)

    def _link(self, paragraph: Any, value: str, href: str, bold: bool) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        relation = paragraph.part.relate_to(_clean(href), RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), relation)
        run = OxmlElement("w:r")
        properties = OxmlElement("w:rPr")
        colour = OxmlElement("w:color")
        colour.set(qn("w:val"), ACCENT)
        underline = OxmlElement("w:u")
        underline.set(qn("w:val"), "single")
        properties.append(colour)
        properties.append(underline)
        if bold:
            properties.append(OxmlElement("w:b"))
        run.append(properties)
        text = OxmlElement("w:t")
        text.text = value
        text.set(qn("xml:space"), "preserve")
        run.append(text)
        link.append(run)
        paragraph._p.append(link)

    # ------------------------------------------------------------------ boxes and numbering

    def _boxed(self, paragraph: Any, box: bool) -> None:
        """A paragraph of a box: shaded, with a rule on its start side (as the PDF's boxes)."""
        if not box:
            return
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        properties = paragraph._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        start = OxmlElement("w:left")
        for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", ACCENT)):
            start.set(qn(key), value)
        borders.append(start)
        _insert(properties, borders)
        shading = OxmlElement("w:shd")
        for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", FILL)):
            shading.set(qn(key), value)
        _insert(properties, shading)

    def _restart(self, style: str, start: int) -> str:
        """A new numbering instance of a list style, starting at `start` (Word otherwise
        continues one numbered list into the next)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        numbering = self.document.part.numbering_part.element
        style_element = self.document.styles[style].element
        num_pr = style_element.pPr.numPr if style_element.pPr is not None else None
        if num_pr is None or num_pr.numId is None:
            return ""
        base = num_pr.numId.val
        abstract = next(
            (num.abstractNumId.val for num in numbering.num_lst if num.numId == base), None
        )
        if abstract is None:
            return ""
        new_id = max(num.numId for num in numbering.num_lst) + 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(new_id))
        abstract_ref = OxmlElement("w:abstractNumId")
        abstract_ref.set(qn("w:val"), str(abstract))
        num.append(abstract_ref)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start_override = OxmlElement("w:startOverride")
        start_override.set(qn("w:val"), str(start))
        override.append(start_override)
        num.append(override)
        numbering.append(num)
        return str(new_id)


def _set_number(paragraph: Any, number: str, level: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), number)
    num_pr.append(ilvl)
    num_pr.append(num_id)
    existing = properties.numPr
    if existing is not None:
        properties.remove(existing)
    _insert(properties, num_pr)


PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
)
"""The order WordprocessingML requires of a paragraph's properties (Word refuses others)."""


def _insert(properties: Any, element: Any) -> None:
    """Put a property element of a <w:pPr> where the schema's order wants it."""
    name = element.tag.split("}")[-1]
    rank = PPR_ORDER.index(name)
    for child in properties:
        other = child.tag.split("}")[-1]
        if other in PPR_ORDER and PPR_ORDER.index(other) > rank:
            child.addprevious(element)
            return
    properties.append(element)


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _colour(run: Any, value: str) -> None:
    from docx.shared import RGBColor

    run.font.color.rgb = RGBColor.from_string(value)


def _clean(value: str) -> str:
    return XML_INVALID.sub("", value)


def write_docx(document: Any, blocks: list[Block], width_cm: float = TEXT_WIDTH_CM) -> None:
    """Append the blocks to a python-docx Document."""
    DocxWriter(document, width_cm).write(blocks)
