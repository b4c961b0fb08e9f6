"""Markdown in content (notes, handout bodies, steps) to HTML, with raw HTML switched off."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

MAX_DEPTH = 12
"""Markdown nested deeper than this (lists, quotes) is refused by `trainer check`: WeasyPrint
fails with RecursionError on a few hundred nested tags, and no handout needs more."""

_QUOTE = re.compile(r"^\s*((?:>\s*)+)")
_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s")


def markdown_depth(text: str) -> int:
    """How deeply a piece of Markdown nests lists and block quotes, line by line."""
    deepest = 0
    for line in text.splitlines():
        depth = 0
        quotes = _QUOTE.match(line)
        if quotes:
            depth += quotes.group(1).count(">")
            line = line[quotes.end():]
        item = _ITEM.match(line)
        if item:
            depth += len(item.group(1).expandtabs(4)) // 2 + 1
        deepest = max(deepest, depth)
    return deepest


def _image_source(src: str) -> str:
    """A relative image path names a file in the course folder (or the library): make it a
    file URL there, for the documents' fetcher to check."""
    if not src or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src) or src.startswith("/"):
        return src
    folder = os.environ.get("TRAINER_COURSE_FOLDER")
    if folder:
        base = Path(folder)
    else:
        from ..library import library_root

        base = library_root()
    return (base / src).absolute().as_uri()


@lru_cache(maxsize=1)
def _parser():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    default_image = parser.renderer.rules["image"]

    def image(self, tokens, index, options, env):  # type: ignore[no-untyped-def]
        token = tokens[index]
        token.attrSet("src", _image_source(token.attrGet("src") or ""))
        return default_image(tokens, index, options, env)

    parser.add_render_rule("image", image)
    return parser


_OL_START = re.compile(r'<ol start="(\d+)">')


def to_html(text: str | None) -> Markup:
    """Render Markdown; raw HTML in the text is shown as text, never passed through. A list
    that starts at 5 (numbered paragraphs continued after a heading) keeps its numbers:
    WeasyPrint ignores `start`, so the counter is set as well."""
    if not text:
        return Markup("")
    html = _parser().render(text)
    html = _OL_START.sub(lambda m: f'<ol start="{m.group(1)}" style="counter-reset: list-item {int(m.group(1)) - 1}">', html)
    return Markup(html)


def inline(text: str | None) -> Markup:
    """Render one line of Markdown without a surrounding paragraph."""
    if not text:
        return Markup("")
    return Markup(_parser().renderInline(text))
