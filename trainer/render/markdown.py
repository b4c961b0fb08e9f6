"""Markdown in content (notes, handout bodies, steps) to HTML, with raw HTML switched off."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

MAX_MARKDOWN_DEPTH = 12
"""Markdown nested deeper than this (lists, quotes) is refused by `trainer check`: WeasyPrint
fails with RecursionError on a few hundred nested tags, and no handout needs more."""
MAX_MARKDOWN_LINES = 2_000
"""A piece of Markdown (a handout's body, a segment's notes) may have at most this many lines
(the library's longest has under 400): a list of 100,000 one-word items is a few hundred KB of
text but thousands of pages to lay out. Its length in characters is limited by the models
(`MAX_TEXT_CHARACTERS`)."""

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


def _image_source(src: str, base: Path | None) -> str:
    """A relative image path names a file in the course folder (or the library): make it a
    file URL there, for the documents' fetcher to check. The URL carries the file's sha256
    as a fragment, so that a changed image changes the document's view (and its cache key)."""
    if not src or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src) or src.startswith("/"):
        return src
    if base is None:
        from ..library import library_root

        base = library_root()
    path = (base / src).absolute()
    url = path.as_uri()
    from ..files import UnsafeFile, read_bytes
    from .common import MAX_RESOURCE_BYTES

    try:  # only a regular file inside the folder is read; the documents' fetcher says why not
        url += "#sha256=" + hashlib.sha256(read_bytes(path, MAX_RESOURCE_BYTES, base)).hexdigest()
    except UnsafeFile:
        pass
    return url


@lru_cache(maxsize=2)
def _parser(linkify: bool = False):  # type: ignore[no-untyped-def]
    """The Markdown parser; with `linkify`, bare addresses ("www.ohchr.org",
    "https://...") become links too (linkify-it-py), as printed handouts need them."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "linkify": linkify, "typographer": False}).enable("table")
    if linkify:
        parser.enable("linkify")
    default_image = parser.renderer.rules["image"]

    def image(self, tokens, index, options, env):  # type: ignore[no-untyped-def]
        token = tokens[index]
        token.attrSet("src", _image_source(token.attrGet("src") or "", (env or {}).get("base")))
        return default_image(tokens, index, options, env)

    parser.add_render_rule("image", image)
    return parser


_BARE_LINK = re.compile(r'<a href="http://([^"]+)">(\1</a>)')
_TRAILING_STOP = re.compile(r'<a href="([^"]+?)[.,;:]">([^<]+?)[.,;:]</a>')
_OL_START = re.compile(r'<ol start="(\d+)">')


def to_html(text: str | None, base: Path | None = None, linkify: bool = False) -> Markup:
    """Render Markdown; raw HTML in the text is shown as text, never passed through. A list
    that starts at 5 (numbered paragraphs continued after a heading) keeps its numbers:
    WeasyPrint ignores `start`, so the counter is set as well. With `linkify`, bare web
    addresses become links."""
    if not text:
        return Markup("")
    html = _parser(linkify).render(text, {"base": base})
    if linkify:
        # a bare "www.ohchr.org" is linked over https, as the sites it names are served
        html = _BARE_LINK.sub(r'<a href="https://\1">\2', html)
        # a sentence's full stop is not part of the address (linkify keeps it before a "*")
        html = _TRAILING_STOP.sub(r'<a href="\1">\2</a>.', html)
    html = _OL_START.sub(lambda m: f'<ol start="{m.group(1)}" style="counter-reset: list-item {int(m.group(1)) - 1}">', html)
    return Markup(html)


def inline(text: str | None, base: Path | None = None) -> Markup:
    """Render one line of Markdown without a surrounding paragraph."""
    if not text:
        return Markup("")
    return Markup(_parser().renderInline(text, {"base": base}))
