"""Markdown into python-docx paragraphs: paragraphs, bullet and numbered lists, bold and italics."""

from __future__ import annotations

from typing import Any


def add_markdown(document: Any, text: str) -> None:
    """Append `text` (Markdown) to a python-docx document or cell."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": False}).parse(text or "")
    lists: list[str] = []
    for index, token in enumerate(tokens):
        if token.type == "bullet_list_open":
            lists.append("List Bullet")
        elif token.type == "ordered_list_open":
            lists.append("List Number")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "inline":
            style = lists[-1] if lists else None
            paragraph = document.add_paragraph(style=style) if style else document.add_paragraph()
            _add_inline(paragraph, token.children or [])


def _add_inline(paragraph: Any, children: list[Any]) -> None:
    bold = italic = False
    for child in children:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("text", "code_inline"):
            run = paragraph.add_run(child.content)
            run.bold, run.italic = bold or None, italic or None
        elif child.type in ("softbreak", "hardbreak"):
            paragraph.add_run(" ")
