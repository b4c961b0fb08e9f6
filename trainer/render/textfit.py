"""Measuring text so that it fits its box: word wrapping with the real font's advance widths.

python-pptx's `fit_text` is experimental and needs the font file anyway; here each line is
measured with Pillow's FreeType binding, and a list that does not fit is continued on the
next slide instead of overflowing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

FONT_FILES = {
    False: ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"],
    True: ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"],
}
LINE_SPACING = 1.2


@lru_cache(maxsize=64)
def _font(size: int, bold: bool):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    for path in FONT_FILES[bold]:
        if Path(path).is_file():
            return ImageFont.truetype(path, size * 10)
    return ImageFont.load_default(size * 10)


@lru_cache(maxsize=65536)
def text_width(text: str, size: int, bold: bool = False) -> float:
    """Width of `text` in points at `size` points (measured at 10x for precision)."""
    return _font(size, bold).getlength(text) / 10


def pieces(text: str) -> list[tuple[str, str]]:
    """The text's words, each split after its hyphens (where a line may also break), with the
    glue that follows each piece: " " between words, "" inside a hyphenated word."""
    out: list[tuple[str, str]] = []
    for word in text.split():
        parts = re.findall(r"[^-]*-+(?=[^-])|[^-]+-*$|-+$", word) or [word]
        out.extend((part, "") for part in parts[:-1])
        out.append((parts[-1], " "))
    return out


def wrap(text: str, width: float, size: int, bold: bool = False) -> list[str]:
    """Greedy word wrap to `width` points, breaking between words and after hyphens (as
    PowerPoint and LibreOffice do); a word longer than the line is broken by characters."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        glue = ""
        for word, after in pieces(paragraph):
            candidate = f"{line}{glue}{word}" if line else word
            if text_width(candidate, size, bold) <= width:
                line, glue = candidate, after
                continue
            if line:
                lines.append(line)
            while len(word) > 1 and text_width(word, size, bold) > width:
                cut = _longest_fitting(word, width, size, bold)
                lines.append(word[:cut])
                word = word[cut:]
            line, glue = word, after
        lines.append(line)
    return lines


def _longest_fitting(word: str, width: float, size: int, bold: bool) -> int:
    """How many leading characters of `word` fit `width` (at least one), by bisection: a
    3,000-character word takes a dozen measurements per line, not thousands."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(word[:middle], size, bold) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def height(lines: int, size: int) -> float:
    return lines * size * LINE_SPACING


def bullets_height(points: list[str], width: float, size: int, gap: float = 0.35, bold: bool = False) -> float:
    """Height in points of a bulleted list: wrapped lines plus a gap between points."""
    total = 0.0
    for point in points:
        total += height(len(wrap(point, width, size, bold)), size) + size * gap
    return total
