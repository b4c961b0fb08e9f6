"""Markdown in content (notes, handout bodies, steps) to HTML, with raw HTML switched off."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup


@lru_cache(maxsize=1)
def _parser():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def to_html(text: str | None) -> Markup:
    """Render Markdown; raw HTML in the text is shown as text, never passed through."""
    if not text:
        return Markup("")
    return Markup(_parser().render(text))


def inline(text: str | None) -> Markup:
    """Render one line of Markdown without a surrounding paragraph."""
    if not text:
        return Markup("")
    return Markup(_parser().renderInline(text))
