"""The one diagram renderer: a diagram's data (boxes, arrows, groups, or a chart's figures)
laid out once into a drawing, then written as native PowerPoint shapes and charts (the decks)
or as SVG (the printed documents).

`diagram_view` turns a `Diagram` of the library into plain data for a document's view (with
this course's clock times on timeline steps and the caption that says where it comes from).
`draw` lays that data out in a rectangle, in points; `add_to_slide` and `to_svg` write the
drawing. The layout is the only place that decides where a box goes, so a deck and a PDF
that show the same diagram cannot differ. Colours are the slide template's theme colours in
PowerPoint, so a course's own template restyles every diagram.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Callable
from xml.sax.saxutils import escape

from .textfit import LINE_SPACING, pieces, text_width, wrap

INSET = 6.0
"""Space between a box's edge and its text, in points (also the text frames' margins)."""
SLACK = 6.0
"""Width kept free when measuring a box's text: a rounded box's text area is a little
narrower than the box, and viewers differ by a few points in where they break a line."""
SIZES = ((22, 18), (20, 17), (18, 16), (17, 15), (16, 14), (15, 13), (14, 12), (13, 11), (12, 10))
"""Label and text sizes tried, largest first: every box of a diagram uses the same pair."""
GROUP_PAD = 8.0
ARROW_LABEL_SIZE = 14
PALETTE = {
    "accent": "#0A5E8C",
    "light": "#D6E6F0",
    "ink": "#1F2933",
    "muted": "#5B6673",
    "frame": "#8A96A3",
    "paper": "#FFFFFF",
}
"""The SVG colours (PowerPoint uses the template's theme colours instead)."""


# ---------------------------------------------------------------------------- the view


def diagram_view(diagram: Any, gettext: Callable[..., str], times: Callable[[str | None, str | None], str] | None = None) -> dict[str, Any]:
    """A diagram as plain data for a view: its boxes with this course's clock times (for
    timeline steps), and the caption that says where it comes from."""
    _ = gettext
    sources = "; ".join(_short_source(source) for source in diagram.sources)
    if diagram.chart is not None:
        chart = diagram.chart
        caption = " ".join(
            part
            for part in (
                f"{chart.note}." if chart.note else "",
                _("Figures for {year}.", year=chart.year),
                f"{_('Source')}: {chart.source}.",
            )
            if part
        )
    elif diagram.written_for_course:
        caption = _("Written for this course from {source}", source=sources)
    else:
        caption = f"{_('Source')}: {sources}"
    boxes = []
    for box in diagram.boxes:
        item = box.model_dump(exclude={"segment", "until"})
        item["time"] = times(box.segment, box.until) if (times and box.segment) else ""
        boxes.append(item)
    return {
        "id": diagram.id,
        "title": diagram.title,
        "description": diagram.description,
        "layout": diagram.layout,
        "fit": diagram.fit,
        "boxes": boxes,
        "arrows": [{"start": a.start, "to": a.to, "label": a.label, "both": a.both} for a in diagram.arrows],
        "groups": [{"id": g.id, "label": g.label, "members": list(g.members)} for g in diagram.groups],
        "centre": diagram.centre,
        "chart": diagram.chart.model_dump() if diagram.chart else None,
        "caption": caption,
        "notes": diagram.notes,
    }


def _short_source(source: Any) -> str:
    """"HR/P/PT/26, p. 43-55": a document symbol (without the title in brackets after it)."""
    text = source.doc
    if "/" in text.split(" (")[0]:
        text = text.split(" (")[0]
    if source.pages:
        text += f", p. {source.pages}"
    elif source.paragraphs:
        text += f", {source.paragraphs}"
    return text


# ---------------------------------------------------------------------------- the drawing


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class Shape:
    """A box, a group's frame or a timeline marker, with its text."""

    rect: Rect
    kind: str
    """"box", "frame" (a group: text at the top), "marker" (a timeline dot) or "text"."""
    style: str
    label: str = ""
    text: str = ""
    label_size: float = 16
    text_size: float = 14
    id: str = ""
    align: str = "center"
    anchor: str = "middle"
    """Where the text sits: "middle", "top" or "bottom"."""
    inset: float = INSET
    """The margin between the shape's edge and its text."""


@dataclass
class Line:
    """An arrow from (x1, y1) to (x2, y2), possibly attached to boxes' connection sites."""

    x1: float
    y1: float
    x2: float
    y2: float
    head_end: bool = True
    head_start: bool = False
    start: tuple[str, int] | None = None
    end: tuple[str, int] | None = None
    label: Shape | None = None


@dataclass
class Drawing:
    area: Rect
    shapes: list[Shape] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    chart: dict[str, Any] | None = None
    chart_rect: Rect | None = None
    caption: Shape | None = None
    overflow: bool = False
    """True when the text could not fit even at the smallest size (a test fails on it)."""


def text_height(label: str, text: str, width: float, label_size: float, text_size: float) -> float:
    """Height of a box's label (bold) and text, wrapped to `width`."""
    total = 0.0
    if label:
        total += len(wrap(label, width, label_size, True)) * label_size * LINE_SPACING
    if text:
        total += len(wrap(text, width, text_size)) * text_size * LINE_SPACING + (2 if label else 0)
    return total


def _fits(shape: Shape, label_size: int, text_size: int) -> bool:
    """Whether the box's text fits at these sizes, without breaking a word."""
    width = shape.rect.w - 2 * INSET - SLACK
    for text, size, bold in ((shape.label, label_size, True), (shape.text, text_size, False)):
        if any(text_width(piece, size, bold) > width for piece, _glue in pieces(text)):
            return False
    return text_height(shape.label, shape.text, width, label_size, text_size) <= shape.rect.h - 2 * INSET + 0.5


def _size_boxes(shapes: list[Shape], largest: int = 24) -> bool:
    """Give every box the largest label/text sizes at which all of them fit; False if none."""
    boxes = [s for s in shapes if s.kind in ("box", "text") and (s.label or s.text)]
    for label_size, text_size in SIZES:
        if label_size > largest:
            continue
        if all(_fits(s, label_size, text_size) for s in boxes):
            for s in boxes:
                s.label_size, s.text_size = label_size, text_size
            return True
    for s in boxes:
        s.label_size, s.text_size = SIZES[-1]
    return False


def draw(view: dict[str, Any], area: Rect, rtl: bool = False, caption: bool = True) -> Drawing:
    """Lay a diagram (or chart) out in `area` (points); mirrored for right-to-left decks.
    When its text cannot fit the area even at the smallest sizes (a course template with a
    small picture area), it is laid out in a larger area and scaled down as a whole."""
    drawing = _draw(view, area, rtl, caption)
    scale = 1.0
    while drawing.overflow and scale > 0.55:
        scale = round(scale - 0.1, 2)
        larger = _draw(view, Rect(area.x, area.y, area.w / scale, area.h / scale), rtl, caption)
        if not larger.overflow:
            return _scaled(larger, area, scale)
    return drawing


def _scaled(drawing: Drawing, area: Rect, scale: float) -> Drawing:
    """The drawing shrunk by `scale` towards the area's top left corner, text included."""

    def rect(r: Rect) -> Rect:
        return Rect(area.x + (r.x - area.x) * scale, area.y + (r.y - area.y) * scale, r.w * scale, r.h * scale)

    def shape(s: Shape) -> Shape:
        return replace(s, rect=rect(s.rect), label_size=s.label_size * scale, text_size=s.text_size * scale, inset=s.inset * scale)

    out = Drawing(area, chart=drawing.chart, chart_rect=rect(drawing.chart_rect) if drawing.chart_rect else None)
    out.shapes = [shape(s) for s in drawing.shapes]
    for line in drawing.lines:
        out.lines.append(
            replace(
                line,
                x1=area.x + (line.x1 - area.x) * scale, y1=area.y + (line.y1 - area.y) * scale,
                x2=area.x + (line.x2 - area.x) * scale, y2=area.y + (line.y2 - area.y) * scale,
                label=shape(line.label) if line.label else None,
            )
        )
    out.caption = shape(drawing.caption) if drawing.caption else None
    return out


def _draw(view: dict[str, Any], area: Rect, rtl: bool, caption: bool) -> Drawing:
    drawing = Drawing(area)
    body = area
    if caption and view.get("caption"):
        size = 14
        lines = len(wrap(view["caption"], area.w - 2 * INSET - SLACK, size))
        height = lines * size * LINE_SPACING + 2 * INSET
        drawing.caption = Shape(
            Rect(area.x, area.bottom - height, area.w, height), "text", "plain", text=view["caption"],
            text_size=size, align="right" if rtl else "left", anchor="bottom",
        )
        body = Rect(area.x, area.y, area.w, area.h - height - 6)
    if view["layout"] == "chart":
        drawing.chart = view["chart"]
        drawing.chart_rect = body
        return drawing
    if view["layout"] == "cycle":
        _cycle(drawing, view, body)
    elif view["layout"] == "timeline":
        _timeline(drawing, view, body)
    else:
        _grid(drawing, view, body)
    if rtl:
        _mirror(drawing, area)
    return drawing


def _grid(drawing: Drawing, view: dict[str, Any], area: Rect) -> None:
    """Boxes on a grid of equal columns; rows as tall as their text needs (rows of plain
    labels half as tall), the whole centred in the area; groups framed around their
    members with their label in a band at the top."""
    boxes = view["boxes"]
    groups = {g["id"]: g for g in view["groups"]}
    by_id = {b["id"]: b for b in boxes}
    rows = max(b["row"] + b["rows"] for b in boxes)
    cols = max(b["col"] + b["cols"] for b in boxes)

    def members(group_id: str) -> list[dict[str, Any]]:
        out = []
        for member in groups[group_id]["members"]:
            out.extend(members(member) if member in groups else [by_id[member]])
        return out

    spans = {}
    for gid in groups:
        inside = members(gid)
        spans[gid] = (
            min(b["row"] for b in inside), max(b["row"] + b["rows"] - 1 for b in inside),
            min(b["col"] for b in inside), max(b["col"] + b["cols"] - 1 for b in inside),
        )

    def most(axis: str, edge: int, index: int, amount: Callable[[str], float]) -> float:
        """The largest total of `amount` over groups that start (edge 0) or end (edge 1) at
        `index` on `axis` and overlap each other along the other axis (nested frames)."""
        best = 0.0
        for line in range(rows if axis == "col" else cols):
            total = 0.0
            for gid, (r0, r1, c0, c1) in spans.items():
                here = (c0, c1)[edge] if axis == "col" else (r0, r1)[edge]
                across = r0 <= line <= r1 if axis == "col" else c0 <= line <= c1
                if here == index and across:
                    total += amount(gid)
            best = max(best, total)
        return best

    def joins(a: dict[str, Any], b: dict[str, Any], axis: str, index: int) -> bool:
        """Whether an arrow between a and b crosses the gap after row/col `index`."""
        key, span = ("row", "rows") if axis == "row" else ("col", "cols")
        low, high = sorted((a, b), key=lambda box: box[key])
        return low[key] + low[span] - 1 == index and high[key] == index + 1

    arrows = [(by_id[a["start"]], by_id[a["to"]]) for a in view["arrows"]]
    gap_x = [44.0 if any(joins(a, b, "col", c) and _same_row(a, b) for a, b in arrows) else 16.0 for c in range(cols - 1)] + [0.0]
    gap_y = [24.0 if any(joins(a, b, "row", r) and not _same_row(a, b) for a, b in arrows) else 14.0 for r in range(rows - 1)] + [0.0]
    left = [most("col", 0, c, lambda g: GROUP_PAD) for c in range(cols)]
    right = [most("col", 1, c, lambda g: GROUP_PAD) for c in range(cols)]
    cell_w = (area.w - sum(left) - sum(right) - sum(gap_x)) / cols
    col_x = []
    cursor = area.x
    for c in range(cols):
        cursor += left[c]
        col_x.append(cursor)
        cursor += cell_w + right[c] + gap_x[c]

    def x_span(c0: int, c1: int) -> tuple[float, float]:
        return col_x[c0], col_x[c1] + cell_w

    frame_x: dict[str, tuple[float, float]] = {}

    def frame_extent(gid: str) -> tuple[float, float]:
        if gid not in frame_x:
            lows, highs = [], []
            for member in groups[gid]["members"]:
                if member in groups:
                    low, high = frame_extent(member)
                else:
                    low, high = x_span(by_id[member]["col"], by_id[member]["col"] + by_id[member]["cols"] - 1)
                lows.append(low)
                highs.append(high)
            frame_x[gid] = (min(lows) - GROUP_PAD, max(highs) + GROUP_PAD)
        return frame_x[gid]

    band: dict[str, float] = {}
    band_size: dict[str, int] = {}
    for gid in groups:
        low, high = frame_extent(gid)
        width = high - low - 2 * INSET - SLACK
        size = 16 if len(wrap(groups[gid]["label"], width, 16, True)) == 1 else 14
        lines = len(wrap(groups[gid]["label"], width, size, True))
        band[gid] = lines * size * LINE_SPACING + 2 * INSET
        band_size[gid] = size
    top = [most("row", 0, r, lambda g: band[g] + GROUP_PAD) for r in range(rows)]
    bottom = [most("row", 1, r, lambda g: GROUP_PAD) for r in range(rows)]
    def place(heights: list[float], offset: float) -> tuple[dict[str, Rect], dict[str, Rect]]:
        """Boxes and group frames for these row heights, starting `offset` below the top."""
        row_y = []
        cursor = area.y + offset
        for r in range(rows):
            cursor += top[r]
            row_y.append(cursor)
            cursor += heights[r] + bottom[r] + gap_y[r]
        rects: dict[str, Rect] = {}
        for b in boxes:
            x0, x1 = x_span(b["col"], b["col"] + b["cols"] - 1)
            y0 = row_y[b["row"]]
            y1 = row_y[b["row"] + b["rows"] - 1] + heights[b["row"] + b["rows"] - 1]
            rects[b["id"]] = Rect(x0, y0, x1 - x0, y1 - y0)
        frames: dict[str, Rect] = {}

        def frame(gid: str) -> Rect:
            if gid not in frames:
                inner = [frame(m) if m in groups else rects[m] for m in groups[gid]["members"]]
                x0, x1 = frame_extent(gid)
                y0 = min(r.y for r in inner) - GROUP_PAD - band[gid]
                y1 = max(r.bottom for r in inner) + GROUP_PAD
                frames[gid] = Rect(x0, y0, x1 - x0, y1 - y0)
            return frames[gid]

        for gid in groups:
            frame(gid)
        return rects, frames

    plain = [all(b["style"] == "plain" for b in boxes if b["row"] == r) for r in range(rows)]
    fixed = sum(top) + sum(bottom) + sum(gap_y)
    shapes = []
    for b in boxes:
        x0, x1 = x_span(b["col"], b["col"] + b["cols"] - 1)
        shapes.append(_box_shape(b, Rect(x0, 0.0, x1 - x0, 0.0)))

    def needs(label_size: int, text_size: int) -> list[float]:
        """Each row's height at these sizes: its tallest text, the box margins and some air."""
        out = [0.0] * rows
        for shape, b in zip(shapes, boxes):
            air = 2.0 if b["style"] == "plain" else 8.0
            wanted = text_height(shape.label, shape.text, shape.rect.w - 2 * INSET - SLACK, label_size, text_size) + 2 * INSET + air
            last = b["row"] + b["rows"] - 1
            have = sum(out[b["row"] : last + 1]) + sum(top[r] + bottom[r] + gap_y[r] for r in range(b["row"], last))
            out[last] += max(0.0, wanted - have)
        return out

    chosen = None
    for label_size, text_size in SIZES:
        if not all(_fits(replace(shape, rect=Rect(0, 0, shape.rect.w, 1e6)), label_size, text_size) for shape in shapes):
            continue
        heights = needs(label_size, text_size)
        if sum(heights) + fixed <= area.h:
            chosen = (label_size, text_size)
            break
    if chosen is None:
        chosen = SIZES[-1]
        heights = needs(*chosen)
        scale = max(area.h - fixed, 1.0) / max(sum(heights), 1.0)
        heights = [h * scale for h in heights]
        drawing.overflow = True
    for shape in shapes:
        shape.label_size, shape.text_size = chosen
    # spare height: some air in the rows of boxes, the rest above and below the diagram
    boxed = [r for r in range(rows) if not plain[r]] or list(range(rows))
    spare = max(area.h - fixed - sum(heights), 0.0)
    extra = min(spare / len(boxed), 36.0)
    heights = [h + (extra if r in boxed else 0.0) for r, h in enumerate(heights)]
    rects, frames = place(heights, (area.h - fixed - sum(heights)) / 2)
    for shape, b in zip(shapes, boxes):
        shape.rect = rects[b["id"]]
    # outer frames first, so that inner ones and the boxes are drawn over them
    for gid in sorted(groups, key=lambda g: -frames[g].w * frames[g].h):
        frame_rect = frames[gid]
        drawing.shapes.append(Shape(frame_rect, "frame", "frame", id=gid))
        label, size = groups[gid]["label"], band_size[gid]
        width = min(frame_rect.w - 4, text_width(label, size, True) + 2 * INSET + SLACK)
        tab = Rect(frame_rect.x + 2, frame_rect.y + 2, width, band[gid])
        drawing.shapes.append(Shape(tab, "tab", "tab", label=label, label_size=size, id=f"{gid}-label", align="left", anchor="top"))
    drawing.shapes.extend(shapes)
    for arrow in view["arrows"]:
        drawing.lines.append(_arrow(rects, arrow))


def _same_row(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["row"] < b["row"] + b["rows"] and b["row"] < a["row"] + a["rows"]


def _box_shape(box: dict[str, Any], rect: Rect) -> Shape:
    text = box.get("text", "")
    if box.get("time"):
        text = f"{box['time']}\n{text}" if text else box["time"]
    return Shape(rect, "box", box.get("style", "box"), label=box["label"], text=text, id=box["id"])


def _arrow(rects: dict[str, Rect], arrow: dict[str, Any]) -> Line:
    a, b = rects[arrow["start"]], rects[arrow["to"]]
    start_site = end_site = None
    if a.y < b.bottom and b.y < a.bottom and (a.right <= b.x or b.right <= a.x):
        y = (max(a.y, b.y) + min(a.bottom, b.bottom)) / 2
        if a.right <= b.x:
            x1, x2, s1, s2 = a.right, b.x, 3, 1
        else:
            x1, x2, s1, s2 = a.x, b.right, 1, 3
        y1 = y2 = y
        start_site = s1 if abs(y - a.cy) < 0.5 else None
        end_site = s2 if abs(y - b.cy) < 0.5 else None
    elif a.x < b.right and b.x < a.right:
        x = (max(a.x, b.x) + min(a.right, b.right)) / 2
        if a.bottom <= b.y:
            y1, y2, s1, s2 = a.bottom, b.y, 2, 0
        else:
            y1, y2, s1, s2 = a.y, b.bottom, 0, 2
        x1 = x2 = x
        start_site = s1 if abs(x - a.cx) < 0.5 else None
        end_site = s2 if abs(x - b.cx) < 0.5 else None
    else:
        (x1, y1), (x2, y2) = _clip(a, b.cx, b.cy), _clip(b, a.cx, a.cy)
    line = Line(x1, y1, x2, y2, head_end=True, head_start=arrow.get("both", False))
    if start_site is not None:
        line.start = (arrow["start"], start_site)
    if end_site is not None:
        line.end = (arrow["to"], end_site)
    if arrow.get("label"):
        size = ARROW_LABEL_SIZE
        if y1 == y2:
            width = abs(x2 - x1)
            lines = len(wrap(arrow["label"], max(width - 2 * INSET - SLACK, 20), size))
            height = lines * size * LINE_SPACING + 2 * INSET
            line.label = Shape(Rect(min(x1, x2), y1 - height + INSET - 2, width, height), "text", "plain", text=arrow["label"], text_size=size, anchor="bottom")
        else:
            width = 120.0
            height = len(wrap(arrow["label"], width - 2 * INSET - SLACK, size)) * size * LINE_SPACING + 2 * INSET
            line.label = Shape(Rect(x1 + 4, (y1 + y2) / 2 - height / 2, width, height), "text", "plain", text=arrow["label"], text_size=size, align="left")
    return line


def _clip(rect: Rect, tx: float, ty: float, margin: float = 4.0) -> tuple[float, float]:
    """Where the line from the centre of `rect` towards (tx, ty) leaves the rectangle."""
    dx, dy = tx - rect.cx, ty - rect.cy
    if dx == 0 and dy == 0:
        return rect.cx, rect.cy
    scale = min(
        (rect.w / 2 + margin) / abs(dx) if dx else math.inf,
        (rect.h / 2 + margin) / abs(dy) if dy else math.inf,
    )
    return rect.cx + dx * scale, rect.cy + dy * scale


def _cycle(drawing: Drawing, view: dict[str, Any], area: Rect) -> None:
    """The boxes in order around a circle, clockwise from the top, stretched to the area."""
    boxes = view["boxes"]
    n = len(boxes)
    width = area.w * (0.42 if n <= 3 else 0.32 if n <= 4 else 0.26)
    height = area.h * (0.3 if n <= 4 else 0.22)
    angles = [-math.pi / 2 + 2 * math.pi * index / n for index in range(n)]
    ux, uy = [math.cos(a) for a in angles], [math.sin(a) for a in angles]
    sx = (area.w - width) / ((max(ux) - min(ux)) or 1.0)
    sy = (area.h - height) / ((max(uy) - min(uy)) or 1.0)
    rects = {}
    for index, box in enumerate(boxes):
        cx = area.x + width / 2 + (ux[index] - min(ux)) * sx
        cy = area.y + height / 2 + (uy[index] - min(uy)) * sy
        rects[box["id"]] = Rect(cx - width / 2, cy - height / 2, width, height)
        drawing.shapes.append(_box_shape(box, rects[box["id"]]))
    if view.get("centre"):
        mx = sum(r.cx for r in rects.values()) / n
        my = sum(r.cy for r in rects.values()) / n
        inner_w = max(area.w - 2 * width - 24, area.w * 0.28)
        inner_h = max(area.h - 2 * height - 24, area.h * 0.2)
        drawing.shapes.append(Shape(Rect(mx - inner_w / 2, my - inner_h / 2, inner_w, inner_h), "text", "plain", text=view["centre"], id="centre"))
    drawing.overflow = not _size_boxes(drawing.shapes)
    for index, box in enumerate(boxes):
        a, b = rects[box["id"]], rects[boxes[(index + 1) % n]["id"]]
        (x1, y1), (x2, y2) = _clip(a, b.cx, b.cy), _clip(b, a.cx, a.cy)
        drawing.lines.append(Line(x1, y1, x2, y2))


def _timeline(drawing: Drawing, view: dict[str, Any], area: Rect) -> None:
    boxes = view["boxes"]
    n = len(boxes)
    step = area.w / n
    line_y = area.y + area.h * 0.42
    marker = 18.0
    drawing.lines.append(Line(area.x, line_y, area.right, line_y))
    for index, box in enumerate(boxes):
        cx = area.x + step * (index + 0.5)
        above = Rect(cx - step / 2 + 4, area.y, step - 8, line_y - marker / 2 - 6 - area.y)
        below_top = line_y + marker / 2 + 6
        below = Rect(cx - step / 2 + 4, below_top, step - 8, area.bottom - below_top)
        drawing.shapes.append(Shape(above, "box", "plain", label=box["label"], id=box["id"], anchor="bottom"))
        text = "\n".join(part for part in (box.get("time", ""), box.get("text", "")) if part)
        drawing.shapes.append(Shape(below, "text", "plain", label="", text=text, id=f"{box['id']}-text", anchor="top"))
        style = "accent" if box.get("style") == "accent" else "box"
        drawing.shapes.append(Shape(Rect(cx - marker / 2, line_y - marker / 2, marker, marker), "marker", style, id=f"{box['id']}-marker"))
    drawing.overflow = not _size_boxes(drawing.shapes)


def _mirror(drawing: Drawing, area: Rect) -> None:
    """Right to left: every position reflected about the area's vertical axis."""

    def flip(rect: Rect) -> None:
        rect.x = area.x + area.right - rect.right

    for shape in drawing.shapes:
        flip(shape.rect)
        shape.align = {"left": "right", "right": "left"}.get(shape.align, shape.align)
    for line in drawing.lines:
        line.x1, line.x2 = area.x + area.right - line.x1, area.x + area.right - line.x2
        swap = {1: 3, 3: 1}
        if line.start:
            line.start = (line.start[0], swap.get(line.start[1], line.start[1]))
        if line.end:
            line.end = (line.end[0], swap.get(line.end[1], line.end[1]))
        if line.label:
            flip(line.label.rect)
            line.label.align = {"left": "right", "right": "left"}.get(line.label.align, line.label.align)


# ---------------------------------------------------------------------------- PowerPoint


def add_to_slide(slide: Any, drawing: Drawing, describe: str, lang: str, rtl_text: Callable[[str], bool]) -> list[Any]:
    """Draw on a python-pptx slide as native shapes (or a native chart); return the shapes.
    `describe` is the drawing's text alternative, set on its first shape for screen readers."""
    from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
    from pptx.util import Pt

    shapes = slide.shapes
    made: list[Any] = []
    layers: dict[str, list[Any]] = {"chart": [], "frame": [], "line": [], "tab": [], "box": [], "label": []}
    by_id: dict[str, Any] = {}
    if drawing.chart is not None and drawing.chart_rect is not None:
        layers["chart"].append(_add_chart(shapes, drawing.chart, drawing.chart_rect, lang))
    for shape in drawing.shapes:
        r = shape.rect
        if shape.kind in ("text", "tab"):
            item = shapes.add_textbox(Pt(r.x), Pt(r.y), Pt(r.w), Pt(r.h))
            if shape.kind == "tab":
                _style(item, shape)
        else:
            kind = {"marker": MSO_SHAPE.OVAL, "frame": MSO_SHAPE.RECTANGLE}.get(shape.kind, MSO_SHAPE.ROUNDED_RECTANGLE)
            if shape.kind == "box" and shape.style == "plain":
                kind = MSO_SHAPE.RECTANGLE
            item = shapes.add_shape(kind, Pt(r.x), Pt(r.y), Pt(r.w), Pt(r.h))
            _no_theme_style(item)
            if kind == MSO_SHAPE.ROUNDED_RECTANGLE:
                item.adjustments[0] = 0.08
            _style(item, shape)
        item.name = f"Diagram: {shape.label or shape.text or shape.kind}"[:80]
        _text(item, shape, lang, rtl_text)
        by_id[shape.id] = item
        layers[{"frame": "frame", "tab": "tab"}.get(shape.kind, "box")].append(item)
    for line in drawing.lines:
        connector = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Pt(line.x1), Pt(line.y1), Pt(line.x2), Pt(line.y2))
        _no_theme_style(connector)
        if line.start and line.start[0] in by_id:
            connector.begin_connect(by_id[line.start[0]], line.start[1])
        if line.end and line.end[0] in by_id:
            connector.end_connect(by_id[line.end[0]], line.end[1])
        _arrow_line(connector, line)
        connector.name = "Diagram: arrow"
        layers["line"].append(connector)
        if line.label is not None:
            r = line.label.rect
            label = shapes.add_textbox(Pt(r.x), Pt(r.y), Pt(r.w), Pt(r.h))
            _text(label, line.label, lang, rtl_text)
            label.name = f"Diagram: {line.label.text}"[:80]
            layers["label"].append(label)
    if drawing.caption is not None:
        r = drawing.caption.rect
        caption = shapes.add_textbox(Pt(r.x), Pt(r.y), Pt(r.w), Pt(r.h))
        _text(caption, drawing.caption, lang, rtl_text)
        caption.name = "Source"
        layers["label"].append(caption)
    # drawing order: frames, then arrows (under the group labels and the boxes they join),
    # then group labels, boxes and the remaining text
    tree = slide.shapes._spTree
    for layer in ("chart", "frame", "line", "tab", "box", "label"):
        for item in layers[layer]:
            tree.remove(item._element)
            tree.append(item._element)
            made.append(item)
    if made:
        made[0]._element.xpath("./*[1]/p:cNvPr")[0].set("descr", describe)
    return made


def _no_theme_style(item: Any) -> None:
    """Drop the theme style python-pptx gives new shapes (its effects put shadows on text in
    some viewers): every colour and line is set explicitly instead."""
    element = item._element
    for style in element.findall("{http://schemas.openxmlformats.org/presentationml/2006/main}style"):
        element.remove(style)


def _style(item: Any, shape: Shape) -> None:
    from pptx.enum.dml import MSO_THEME_COLOR
    from pptx.util import Pt

    fill, line = item.fill, item.line
    if shape.kind == "tab":
        fill.solid()
        fill.fore_color.theme_color = MSO_THEME_COLOR.BACKGROUND_1
        return
    if shape.kind == "frame":
        fill.background()
        line.color.theme_color = MSO_THEME_COLOR.TEXT_1
        line.color.brightness = 0.5
        line.width = Pt(1.25)
        return
    if shape.style == "plain":
        fill.background()
        line.fill.background()
        return
    line.width = Pt(1.5)
    line.color.theme_color = MSO_THEME_COLOR.ACCENT_1
    fill.solid()
    if shape.style == "accent":
        fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
    elif shape.style == "light":
        fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
        fill.fore_color.brightness = 0.8
    else:
        fill.fore_color.theme_color = MSO_THEME_COLOR.BACKGROUND_1


def _text(item: Any, shape: Shape, lang: str, rtl_text: Callable[[str], bool]) -> None:
    from pptx.enum.dml import MSO_THEME_COLOR
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
    from pptx.util import Pt

    frame = item.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Pt(shape.inset)
    frame.vertical_anchor = {"top": MSO_ANCHOR.TOP, "bottom": MSO_ANCHOR.BOTTOM}.get(shape.anchor, MSO_ANCHOR.MIDDLE)
    parts: list[tuple[str, int, bool]] = []
    if shape.label:
        parts.append((shape.label, shape.label_size, True))
    for line in shape.text.split("\n") if shape.text else []:
        parts.append((line, shape.text_size, False))
    if not parts:
        return
    light = shape.kind == "box" and shape.style == "accent"
    for index, (text, size, bold) in enumerate(parts):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        rtl = rtl_text(text)
        align = shape.align
        if align != "center" and rtl != (align == "right"):
            align = "right" if rtl else "left"
        paragraph.alignment = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT}.get(align, PP_ALIGN.CENTER)
        paragraph._p.get_or_add_pPr().set("rtl", "1" if rtl else "0")
        run = paragraph.add_run()
        run.text = text
        font = run.font
        font.size = Pt(size)
        font.bold = bold
        font.color.theme_color = MSO_THEME_COLOR.BACKGROUND_1 if light else MSO_THEME_COLOR.TEXT_1
        run._r.get_or_add_rPr().set("lang", lang)


def _arrow_line(connector: Any, line: Line) -> None:
    from lxml import etree
    from pptx.enum.dml import MSO_THEME_COLOR
    from pptx.util import Pt

    connector.line.width = Pt(2)
    connector.line.color.theme_color = MSO_THEME_COLOR.TEXT_1
    connector.line.color.brightness = 0.35
    ln = connector.line._get_or_add_ln()
    namespace = "http://schemas.openxmlformats.org/drawingml/2006/main"
    for tag, wanted in (("headEnd", line.head_start), ("tailEnd", line.head_end)):
        if wanted:
            end = etree.SubElement(ln, f"{{{namespace}}}{tag}")
            end.set("type", "triangle")
            end.set("w", "med")
            end.set("len", "med")


def _add_chart(shapes: Any, chart: dict[str, Any], rect: Rect, lang: str) -> Any:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.enum.dml import MSO_THEME_COLOR
    from pptx.util import Pt

    data = CategoryChartData(number_format="0.0")
    data.categories = [value["label"] for value in chart["values"]]
    data.add_series(chart["unit"], [value["value"] for value in chart["values"]])
    kind = {
        "doughnut": XL_CHART_TYPE.DOUGHNUT,
        "pie": XL_CHART_TYPE.PIE,
        "bar": XL_CHART_TYPE.BAR_CLUSTERED,
        "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    }[chart["type"]]
    frame = shapes.add_chart(kind, Pt(rect.x), Pt(rect.y), Pt(rect.w), Pt(rect.h), data)
    frame.name = f"Chart: {chart['unit']}"
    graph = frame.chart
    graph.font.size = Pt(18)
    graph.font._rPr.set("lang", lang)
    graph.has_title = False
    plot = graph.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.font.size = Pt(20)
    labels.font.bold = True
    percent = chart["unit"].lstrip().startswith("%")
    labels.number_format = '0.0"%"' if percent else "0.0"
    labels.number_format_is_linked = False
    labels.show_value = True
    labels.show_category_name = False
    labels.show_legend_key = False
    if chart["type"] in ("doughnut", "pie"):
        graph.has_legend = True
        graph.legend.position = XL_LEGEND_POSITION.RIGHT
        graph.legend.include_in_layout = False
        graph.legend.font.size = Pt(20)
        for index, point in enumerate(plot.series[0].points):
            point.format.fill.solid()
            point.format.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
            if index:
                point.format.fill.fore_color.brightness = 0.75
    else:
        graph.has_legend = False
        plot.series[0].format.fill.solid()
        plot.series[0].format.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
    return frame


# ---------------------------------------------------------------------------- SVG


def svg(view: dict[str, Any], width: float = 680.0, height: float = 380.0, rtl: bool = False) -> str:
    """A diagram view (`diagram_view`) drawn as SVG `width` x `height` points, for a printed
    document (the session plans and the participant pack show the slides' diagrams)."""
    return to_svg(draw(view, Rect(0.0, 0.0, width, height), rtl=rtl))


def to_svg(drawing: Drawing) -> str:
    """The drawing as a standalone SVG (in points), for the printed documents."""
    a = drawing.area
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{a.x:.1f} {a.y:.1f} {a.w:.1f} {a.h:.1f}" '
        f'width="{a.w:.1f}pt" height="{a.h:.1f}pt" font-family="DejaVu Sans, sans-serif">',
        '<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{PALETTE["muted"]}"/></marker></defs>',
    ]
    if drawing.chart is not None and drawing.chart_rect is not None:
        out.append(_svg_chart(drawing.chart, drawing.chart_rect))
    # the same order as on a slide: frames, arrows, group labels, boxes, other text
    out.extend(_svg_shape(shape) for shape in drawing.shapes if shape.kind == "frame")
    for line in drawing.lines:
        ends = (' marker-end="url(#head)"' if line.head_end else "") + (' marker-start="url(#head)"' if line.head_start else "")
        out.append(
            f'<line x1="{line.x1:.1f}" y1="{line.y1:.1f}" x2="{line.x2:.1f}" y2="{line.y2:.1f}" '
            f'stroke="{PALETTE["muted"]}" stroke-width="2"{ends}/>'
        )
    out.extend(_svg_shape(shape) for shape in drawing.shapes if shape.kind == "tab")
    out.extend(_svg_shape(shape) for shape in drawing.shapes if shape.kind not in ("frame", "tab"))
    out.extend(_svg_text(line.label) for line in drawing.lines if line.label is not None)
    if drawing.caption is not None:
        out.append(_svg_text(drawing.caption))
    out.append("</svg>")
    return "\n".join(out)


def _svg_shape(shape: Shape) -> str:
    r = shape.rect
    parts = []
    if shape.kind == "frame":
        parts.append(f'<rect x="{r.x:.1f}" y="{r.y:.1f}" width="{r.w:.1f}" height="{r.h:.1f}" fill="none" stroke="{PALETTE["frame"]}" stroke-width="1.25"/>')
    elif shape.kind == "tab":
        parts.append(f'<rect x="{r.x:.1f}" y="{r.y:.1f}" width="{r.w:.1f}" height="{r.h:.1f}" fill="{PALETTE["paper"]}"/>')
    elif shape.kind == "marker":
        fill = PALETTE["accent"] if shape.style == "accent" else PALETTE["paper"]
        parts.append(f'<circle cx="{r.cx:.1f}" cy="{r.cy:.1f}" r="{r.w / 2:.1f}" fill="{fill}" stroke="{PALETTE["accent"]}" stroke-width="1.5"/>')
    elif shape.kind == "box" and shape.style != "plain":
        fill = {"accent": PALETTE["accent"], "light": PALETTE["light"]}.get(shape.style, PALETTE["paper"])
        radius = min(r.w, r.h) * 0.08
        parts.append(f'<rect x="{r.x:.1f}" y="{r.y:.1f}" width="{r.w:.1f}" height="{r.h:.1f}" rx="{radius:.1f}" fill="{fill}" stroke="{PALETTE["accent"]}" stroke-width="1.5"/>')
    parts.append(_svg_text(shape))
    return "\n".join(parts)


def _svg_text(shape: Shape) -> str:
    r = shape.rect
    width = r.w - 2 * shape.inset - SLACK
    lines: list[tuple[str, int, bool]] = []
    if shape.label:
        lines += [(line, shape.label_size, True) for line in wrap(shape.label, width, shape.label_size, True)]
    for paragraph in shape.text.split("\n") if shape.text else []:
        lines += [(line, shape.text_size, False) for line in wrap(paragraph, width, shape.text_size)]
    if not lines:
        return ""
    total = sum(size * LINE_SPACING for _, size, _ in lines)
    if shape.anchor == "top":
        y = r.y + shape.inset
    elif shape.anchor == "bottom":
        y = r.bottom - shape.inset - total
    else:
        y = r.cy - total / 2
    x, anchor = {"left": (r.x + shape.inset, "start"), "right": (r.right - shape.inset, "end")}.get(shape.align, (r.cx, "middle"))
    colour = PALETTE["paper"] if (shape.kind == "box" and shape.style == "accent") else PALETTE["ink"]
    out = []
    for text, size, bold in lines:
        y += size * LINE_SPACING
        weight = ' font-weight="bold"' if bold else ""
        out.append(
            f'<text x="{x:.1f}" y="{y - size * (LINE_SPACING - 1) - size * 0.1:.1f}" font-size="{size}"{weight} '
            f'text-anchor="{anchor}" fill="{colour}">{escape(text)}</text>'
        )
    return "\n".join(out)


def _svg_chart(chart: dict[str, Any], rect: Rect) -> str:
    values = chart["values"]
    total = sum(v["value"] for v in values) or 1.0
    percent = chart["unit"].lstrip().startswith("%")
    out = []
    if chart["type"] in ("doughnut", "pie"):
        radius = min(rect.w * 0.45, rect.h) / 2 - 4
        cx, cy = rect.x + radius + 8, rect.cy
        angle = -math.pi / 2
        for index, value in enumerate(values):
            sweep = 2 * math.pi * value["value"] / total
            x1, y1 = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
            x2, y2 = cx + radius * math.cos(angle + sweep), cy + radius * math.sin(angle + sweep)
            large = 1 if sweep > math.pi else 0
            fill = PALETTE["accent"] if index == 0 else PALETTE["light"]
            out.append(f'<path d="M{cx:.1f},{cy:.1f} L{x1:.1f},{y1:.1f} A{radius:.1f},{radius:.1f} 0 {large} 1 {x2:.1f},{y2:.1f} z" fill="{fill}" stroke="{PALETTE["paper"]}" stroke-width="2"/>')
            angle += sweep
        if chart["type"] == "doughnut":
            out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius * 0.5:.1f}" fill="{PALETTE["paper"]}"/>')
        legend_x = cx + radius + 24
        for index, value in enumerate(values):
            y = cy - (len(values) * 30) / 2 + index * 30 + 20
            fill = PALETTE["accent"] if index == 0 else PALETTE["light"]
            shown = f'{value["value"]:.1f}{"%" if percent else ""}'
            out.append(f'<rect x="{legend_x:.1f}" y="{y - 14:.1f}" width="16" height="16" fill="{fill}" stroke="{PALETTE["accent"]}"/>')
            out.append(f'<text x="{legend_x + 24:.1f}" y="{y:.1f}" font-size="16" fill="{PALETTE["ink"]}">{escape(value["label"])}: {shown}</text>')
    else:
        highest = max(v["value"] for v in values) or 1.0
        bar_h = rect.h / len(values)
        for index, value in enumerate(values):
            y = rect.y + index * bar_h
            length = (rect.w * 0.6) * value["value"] / highest
            out.append(f'<rect x="{rect.x + rect.w * 0.35:.1f}" y="{y + bar_h * 0.2:.1f}" width="{length:.1f}" height="{bar_h * 0.6:.1f}" fill="{PALETTE["accent"]}"/>')
            out.append(f'<text x="{rect.x + rect.w * 0.34:.1f}" y="{y + bar_h * 0.6:.1f}" font-size="14" text-anchor="end" fill="{PALETTE["ink"]}">{escape(value["label"])}</text>')
    return "\n".join(out)
