"""What a trainer checks in a deck before projecting it, as functions the deck tests share."""

from __future__ import annotations

from typing import Any

from trainer.render.textfit import LINE_SPACING, wrap

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
SLIDE_LAYOUTS = {"Title", "Content", "Two content", "Section", "Quote", "Image", "Blank"}


def hidden(slide: Any) -> bool:
    return slide._element.get("show") == "0"


def slide_texts(slide: Any) -> list[str]:
    """Every piece of text on the slide itself (shapes, placeholders, charts' categories)."""
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame and shape.text_frame.text:
            out.append(shape.text_frame.text)
        if getattr(shape, "has_chart", False) and shape.has_chart:
            out.extend(str(c) for c in shape.chart.plots[0].categories)
    return out


def notes_paragraphs(slide: Any) -> list[str]:
    return [p.text for p in slide.notes_slide.notes_text_frame.paragraphs] if slide.has_notes_slide else []


def needed_height(frame: Any, width_pt: float) -> float:
    """The height a text frame's paragraphs need at their own sizes, wrapped to its width."""
    body = frame._txBody.find(f"{A}bodyPr")
    inset = lambda name, default: int(body.get(name, default)) / 12700  # noqa: E731
    width = width_pt - inset("lIns", 91440) - inset("rIns", 91440)
    total = inset("tIns", 45720) + inset("bIns", 45720)
    for paragraph in frame.paragraphs:
        runs = paragraph.runs
        sizes = [int(p.get("sz")) / 100 for p in paragraph._p.iter(f"{A}rPr") if p.get("sz")]
        size = max(sizes, default=18.0)
        bold = bool(runs and runs[0].font.bold)
        indent = 27.0 * (paragraph.level + 1) if frame._parent.is_placeholder and paragraph.level is not None and _bulleted(frame) else 0.0
        lines = len(wrap(paragraph.text, width - indent, size, bold))
        total += lines * size * LINE_SPACING + (size * 0.2 if indent else 0)
    return total


def _bulleted(frame: Any) -> bool:
    from pptx.enum.shapes import PP_PLACEHOLDER as P

    shape = frame._parent
    return shape.placeholder_format.type in (P.BODY, P.OBJECT) and not any(
        p._p.pPr is not None and p._p.pPr.find(f"{A}buNone") is not None for p in frame.paragraphs
    )


def overflows(deck: Any) -> list[str]:
    """Text frames whose text needs more room than the frame has, or shapes off the slide."""
    problems = []
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            if shape.left is not None and (
                shape.left < 0 or shape.top < 0
                or shape.left + shape.width > deck.slide_width + 12700
                or shape.top + shape.height > deck.slide_height + 12700
            ):
                problems.append(f"slide {number}: '{shape.name}' lies outside the slide")
            if not shape.has_text_frame or not shape.text_frame.text:
                continue
            need = needed_height(shape.text_frame, shape.width / 12700)
            have = shape.height / 12700
            if need > have + 1.5:
                problems.append(f"slide {number}: '{shape.text_frame.text[:50]}' needs {need:.0f} pt of {have:.0f}")
    return problems


def runs_without_language(part_element: Any) -> int:
    """Text runs (and fields) that carry no `lang`."""
    count = 0
    for run in part_element.iter(f"{A}r", f"{A}fld"):
        properties = run.find(f"{A}rPr")
        if properties is None or not properties.get("lang"):
            count += 1
    return count
