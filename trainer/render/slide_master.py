"""The decks' default template, built in code: a 16:9 master and seven layouts (title,
content, two content, section, quote, image, blank), each with title, footer and slide
number placeholders where they belong.

It starts from python-pptx's own template, keeps its theme and its master's text styles,
and places every placeholder for 16:9 (python-pptx's is 4:3, which is why a slide added in
PowerPoint used to get misplaced placeholders). Built from code rather than shipped as a
.pptx so that the same inputs always give the same bytes, and so that a right-to-left deck
gets a mirrored master. `GEOMETRY` is what the views paginate against.
"""

from __future__ import annotations

from typing import Any

WIDTH, HEIGHT = 960.0, 540.0
"""The slide in points: 13.333 x 7.5 inches, 16:9."""
MARGIN = 48.0
TITLE = (MARGIN, 24.0, WIDTH - 2 * MARGIN, 84.0)
BODY = (MARGIN, 120.0, WIDTH - 2 * MARGIN, 354.0)
FOOTER = (MARGIN, 492.0, 700.0, 30.0)
NUMBER = (WIDTH - MARGIN - 96.0, 492.0, 96.0, 30.0)
HALF = (BODY[2] - 24.0) / 2

GEOMETRY: dict[str, tuple[float, float, float, float]] = {
    "title": TITLE,
    "body": BODY,
    "half-left": (MARGIN, BODY[1], HALF, BODY[3]),
    "half-right": (MARGIN + HALF + 24.0, BODY[1], HALF, BODY[3]),
    "footer": FOOTER,
}
"""Where the default template puts titles, bodies and footers (points: x, y, width, height)."""

LAYOUT_NAMES = {
    "title": "Title",
    "content": "Content",
    "two-content": "Two content",
    "section": "Section",
    "quote": "Quote",
    "image": "Image",
    "blank": "Blank",
}
ACCENT = "0A5E8C"
FONT = "Arial"
"""Arial, or a font with its widths (Liberation Sans) where it is missing: installed almost
everywhere PowerPoint and LibreOffice run. The text is measured with DejaVu Sans, which is
wider, so what fits the measurement fits the slide."""

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"


def default_template(rtl: bool, lang: str) -> Any:
    """A python-pptx Presentation holding the default master and layouts, and no slides."""
    from pptx import Presentation
    from pptx.enum.dml import MSO_THEME_COLOR
    from pptx.enum.shapes import PP_PLACEHOLDER
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.util import Pt

    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Pt(WIDTH), Pt(HEIGHT)
    master = presentation.slide_master

    def place(shape: Any, box: tuple[float, float, float, float]) -> None:
        x, y, w, h = box
        if rtl:
            x = WIDTH - x - w
        shape.left, shape.top, shape.width, shape.height = Pt(x), Pt(y), Pt(w), Pt(h)

    # the theme: Arial, and the accent the diagrams and title slides use
    theme = master.part.part_related_by(RT.THEME)
    xml = theme.blob.decode("utf-8")
    xml = xml.replace('typeface="Calibri"', f'typeface="{FONT}"').replace('typeface="Calibri Light"', f'typeface="{FONT}"')
    xml = _replace_colour(xml, "accent1", ACCENT)
    theme._blob = xml.encode("utf-8")

    # the master: placeholders for 16:9, text styles, a thin accent bar at the leading edge
    for shape in list(master.placeholders):
        kind = shape.placeholder_format.type
        if kind == PP_PLACEHOLDER.TITLE:
            place(shape, TITLE)
        elif kind == PP_PLACEHOLDER.BODY:
            place(shape, BODY)
        elif kind == PP_PLACEHOLDER.FOOTER:
            place(shape, FOOTER)
        elif kind == PP_PLACEHOLDER.SLIDE_NUMBER:
            place(shape, NUMBER)
        else:  # the date: the footer already gives the course's date
            shape._element.getparent().remove(shape._element)
    _accent_bar(master, Pt(WIDTH - 12 if rtl else 0), Pt(12), Pt(HEIGHT))
    _text_styles(master._element, rtl)

    keep = {
        "Title Slide": "title",
        "Title and Content": "content",
        "Two Content": "two-content",
        "Section Header": "section",
        "Content with Caption": "quote",
        "Picture with Caption": "image",
        "Blank": "blank",
    }
    for layout in list(presentation.slide_layouts):
        if layout.name not in keep:
            presentation.slide_layouts.remove(layout)
    for layout in presentation.slide_layouts:
        role = keep[layout.name]
        layout.name = LAYOUT_NAMES[role]
        for shape in list(layout.placeholders):
            kind, idx = shape.placeholder_format.type, shape.placeholder_format.idx
            if kind == PP_PLACEHOLDER.DATE:
                shape._element.getparent().remove(shape._element)
            elif kind == PP_PLACEHOLDER.FOOTER:
                place(shape, FOOTER)
                _level(shape, size=12, colour="tx1", align="r" if rtl else "l", anchor="ctr", bullet=False)
            elif kind == PP_PLACEHOLDER.SLIDE_NUMBER:
                place(shape, NUMBER)
                _level(shape, size=12, colour="tx1", align="l" if rtl else "r", anchor="ctr", bullet=False)
            elif role == "title":
                if kind == PP_PLACEHOLDER.CENTER_TITLE:
                    place(shape, (72.0, 130.0, WIDTH - 144.0, 170.0))
                    _level(shape, size=40, bold=True, colour="bg1", align="r" if rtl else "l", anchor="b")
                else:
                    place(shape, (72.0, 316.0, WIDTH - 144.0, 150.0))
                    _level(shape, size=20, colour="bg1", align="r" if rtl else "l", anchor="t", bullet=False)
            elif role == "section":
                if kind == PP_PLACEHOLDER.TITLE:
                    place(shape, (72.0, 150.0, WIDTH - 144.0, 160.0))
                    _level(shape, size=40, bold=True, colour="accent1", align="r" if rtl else "l", anchor="b")
                else:
                    place(shape, (72.0, 320.0, WIDTH - 144.0, 120.0))
                    _level(shape, size=24, colour="tx1", align="r" if rtl else "l", anchor="t", bullet=False)
            elif kind == PP_PLACEHOLDER.TITLE:
                place(shape, TITLE)
            elif role == "content":
                place(shape, BODY)
            elif role == "two-content":
                place(shape, GEOMETRY["half-left"] if idx == 1 else GEOMETRY["half-right"])
            elif role == "quote":
                if idx == 1:
                    place(shape, (96.0, 130.0, WIDTH - 192.0, 250.0))
                    _level(shape, size=28, italic=True, colour="tx1", align="ctr", anchor="ctr", bullet=False)
                else:
                    place(shape, (96.0, 392.0, WIDTH - 192.0, 80.0))
                    _level(shape, size=18, colour="tx1", align="l" if rtl else "r", anchor="t", bullet=False)
            elif role == "image":
                if kind == PP_PLACEHOLDER.PICTURE:
                    place(shape, BODY)
                else:  # the caption: diagrams write their own source line
                    shape._element.getparent().remove(shape._element)
        if role == "title":
            layout.background.fill.solid()
            layout.background.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
    for part in (master.part, *(layout.part for layout in presentation.slide_layouts)):
        element = part._element
        for node in element.iter(f"{{{_A}}}rPr", f"{{{_A}}}endParaRPr", f"{{{_A}}}defRPr"):
            if node.get("lang"):
                node.set("lang", lang)
    return presentation


def _accent_bar(master: Any, x: int, width: int, height: int) -> None:
    """A thin bar in the accent colour at the slide's leading edge, behind the placeholders
    (the master's shapes collection cannot add shapes, so it is written as XML)."""
    from lxml import etree
    from pptx.oxml.shapes.autoshape import CT_Shape

    tree = master._element.cSld.spTree
    ids = [int(v) for v in tree.xpath(".//p:cNvPr/@id")]
    bar = CT_Shape.new_autoshape_sp(max(ids, default=1) + 1, "Accent bar", "rect", x, 0, width, height)
    properties = bar.spPr
    fill = etree.SubElement(properties, f"{{{_A}}}solidFill")
    etree.SubElement(fill, f"{{{_A}}}schemeClr").set("val", "accent1")
    line = etree.SubElement(properties, f"{{{_A}}}ln")
    etree.SubElement(line, f"{{{_A}}}noFill")
    style = bar.find(f"{{{_P}}}style")
    if style is not None:
        bar.remove(style)
    tree.insert(2, bar)


def _replace_colour(xml: str, name: str, rgb: str) -> str:
    import re

    return re.sub(rf"(<a:{name}>\s*<a:)(?:srgbClr|sysClr)[^/]*/>", rf'\g<1>srgbClr val="{rgb}"/>', xml, count=1)


def _text_styles(master: Any, rtl: bool) -> None:
    """The master's title and body styles: 32 pt titles in the accent colour, bullets of 24,
    20 and 18 pt by level; right-aligned and right to left in a right-to-left deck."""
    styles = master.find(f"{{{_P}}}txStyles")
    sizes = {"titleStyle": [3200], "bodyStyle": [2400, 2000, 1800, 1800, 1800, 1800, 1800, 1800, 1800], "otherStyle": []}
    for style in styles:
        name = style.tag.split("}")[1]
        for index, level in enumerate(style):
            if rtl:
                level.set("rtl", "1")
                if name != "otherStyle":
                    level.set("algn", "r")
            elif name == "titleStyle":
                level.set("algn", "l")
            defaults = level.find(f"{{{_A}}}defRPr")
            if defaults is None:
                continue
            wanted = sizes.get(name, [])
            if index < len(wanted):
                defaults.set("sz", str(wanted[index]))
            if name == "titleStyle":
                defaults.set("b", "1")
                fill = defaults.find(f"{{{_A}}}solidFill")
                if fill is not None:
                    for child in list(fill):
                        fill.remove(child)
                    from lxml import etree

                    etree.SubElement(fill, f"{{{_A}}}schemeClr").set("val", "accent1")


def _level(placeholder: Any, size: int, colour: str, align: str, anchor: str, bold: bool = False,
           italic: bool = False, bullet: bool = True) -> None:
    """The first-level text style of a layout's placeholder."""
    from lxml import etree

    body = placeholder._element.get_or_add_txBody()
    body_pr = body.find(f"{{{_A}}}bodyPr")
    body_pr.set("anchor", anchor)
    old = body.find(f"{{{_A}}}lstStyle")
    if old is not None:
        body.remove(old)
    style = etree.Element(f"{{{_A}}}lstStyle")
    body_pr.addnext(style)
    level = etree.SubElement(style, f"{{{_A}}}lvl1pPr")
    level.set("algn", align)
    if not bullet:
        level.set("marL", "0")
        level.set("indent", "0")
        etree.SubElement(level, f"{{{_A}}}buNone")
    defaults = etree.SubElement(level, f"{{{_A}}}defRPr")
    defaults.set("sz", str(size * 100))
    defaults.set("b", "1" if bold else "0")
    if italic:
        defaults.set("i", "1")
    fill = etree.SubElement(defaults, f"{{{_A}}}solidFill")
    etree.SubElement(fill, f"{{{_A}}}schemeClr").set("val", colour)
