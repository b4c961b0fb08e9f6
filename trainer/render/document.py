"""One document model, several writers: a small tree of blocks that a view holds, and that
an HTML writer (for the PDF) and a DOCX writer both write, so that a session plan's PDF and
its Word file cannot drift apart (Sphinx's doctree and its builders; pandoc's AST).

The tree is plain data (dataclasses of text, numbers and lists), so it is part of a job's
view and of its fingerprint. Markdown from the content is read into the same blocks once
(`from_markdown`), never rendered twice by two different code paths.

Blocks: `Heading`, `Para`, `Items` (bullet or numbered list), `Table` (with `Column`s and
`Row`s whose cells hold blocks), `Box` (an aside with a title), `Section` (a group with an
anchor, a running head and an optional page break before it). Inline text is a list of
`Span`s (bold, italic, code, link, image).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

# ---------------------------------------------------------------------------- the model


@dataclass
class Span:
    """A run of inline text with its emphasis; `href` makes it a link, `image` an image
    (whose alternative text is `text`)."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str = ""
    image: str = ""
    muted: bool = False
    """Secondary text (a note after a title): grey in print, still at the text's contrast."""


@dataclass
class Heading:
    level: int
    text: list[Span]
    id: str = ""
    bookmark: int = -1
    """The level of its PDF bookmark: -1 the heading's own level, 0 none."""
    css: str = ""
    block: str = field(default="heading", init=False)


@dataclass
class Para:
    text: list[Span]
    css: str = ""
    id: str = ""
    bookmark: int = 0
    """A PDF bookmark at this level (0: none), e.g. a segment's title inside the plan table."""
    keep_with_next: bool = False
    """A label that must not be left alone at the foot of a page."""
    block: str = field(default="para", init=False)


@dataclass
class Items:
    items: list[list[Block]]
    ordered: bool = False
    start: int = 1
    css: str = ""
    block: str = field(default="items", init=False)


@dataclass
class Column:
    label: str
    width: int
    """Percent of the text width."""
    css: str = ""


@dataclass
class Row:
    cells: list[list[Block]]
    css: str = ""
    head: bool = False
    """The first cell is a row heading (a definition table such as the session overview)."""


@dataclass
class Table:
    columns: list[Column]
    rows: list[Row]
    css: str = ""
    header: bool = True
    """Whether the column labels head the table (and repeat on every page it runs over)."""
    block: str = field(default="table", init=False)


@dataclass
class Box:
    title: str
    blocks: list[Block]
    css: str = ""
    block: str = field(default="box", init=False)


@dataclass
class Section:
    blocks: list[Block]
    css: str = ""
    id: str = ""
    title: str = ""
    """The running head of the pages it is on (the session's title)."""
    page_break: bool = False
    block: str = field(default="section", init=False)


Block = Union[Heading, Para, Items, Table, Box, Section]


# ---------------------------------------------------------------------------- building blocks


def text(value: str, **style: bool | str) -> list[Span]:
    """One span of plain text, or nothing when the text is empty."""
    return [Span(value, **style)] if value else []  # type: ignore[arg-type]


def para(value: str, css: str = "", **style: bool | str) -> Para:
    return Para(text(value, **style), css)


def label_para(label: str, value: list[Span], css: str = "") -> Para:
    """"Label: value" with the label in bold."""
    return Para([Span(label + ": ", bold=True), *value], css)


def plain(blocks: list[Block] | list[Span]) -> str:
    """The text of blocks or spans, without formatting (for tests, titles and measures)."""
    out: list[str] = []
    for item in blocks:
        if isinstance(item, Span):
            out.append(item.text)
        elif isinstance(item, (Heading, Para)):
            out.append(plain(item.text))
        elif isinstance(item, Items):
            out.append(" ".join(plain(entry) for entry in item.items))
        elif isinstance(item, Table):
            out.append(" ".join(plain(cell) for row in item.rows for cell in row.cells))
        elif isinstance(item, Box):
            out.append(item.title + " " + plain(item.blocks))
        elif isinstance(item, Section):
            out.append(plain(item.blocks))
    return " ".join(part for part in out if part)


def walk(blocks: list[Block]):  # type: ignore[no-untyped-def]
    """Every block of a tree, depth first, in document order."""
    for block in blocks:
        yield block
        if isinstance(block, Section):
            yield from walk(block.blocks)
        elif isinstance(block, Box):
            yield from walk(block.blocks)
        elif isinstance(block, Items):
            for entry in block.items:
                yield from walk(entry)
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    yield from walk(cell)


# ---------------------------------------------------------------------------- Markdown reader


def _parser():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def from_markdown(source: str | None, base: Path | None = None) -> list[Block]:
    """Markdown (raw HTML off) as blocks: paragraphs, lists, tables, quotes as boxes. A
    heading inside content becomes a bold paragraph, so that a document's heading order
    stays its own."""
    if not source or not source.strip():
        return []
    tokens = _parser().parse(source)
    blocks, _ = _read_blocks(tokens, 0, None, base)
    return blocks


def inline_markdown(source: str | None, base: Path | None = None) -> list[Span]:
    """One line of Markdown as spans (a list item, a title with emphasis)."""
    if not source:
        return []
    tokens = _parser().parseInline(source)
    return _spans(tokens[0].children or [], base) if tokens else []


def _read_blocks(tokens, index: int, closing: str | None, base: Path | None):  # type: ignore[no-untyped-def]
    blocks: list[Block] = []
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if closing is not None and kind == closing:
            return blocks, index + 1
        if kind in ("paragraph_open", "heading_open"):
            spans = _spans(tokens[index + 1].children or [], base)
            if kind == "heading_open":
                spans = [_bolder(span) for span in spans]
            if spans:
                blocks.append(Para(spans))
            index += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            start = int(token.attrGet("start") or 1) if ordered else 1
            items, index = _read_items(tokens, index + 1, kind.replace("_open", "_close"), base)
            blocks.append(Items(items, ordered, start))
        elif kind == "blockquote_open":
            inner, index = _read_blocks(tokens, index + 1, "blockquote_close", base)
            blocks.append(Box("", inner, "quote"))
        elif kind == "table_open":
            table, index = _read_table(tokens, index + 1, base)
            blocks.append(table)
        elif kind in ("fence", "code_block"):
            blocks.append(Para([Span(token.content.rstrip("\n"), code=True)], "code"))
            index += 1
        else:  # hr, html (off), anything else: nothing to print
            index += 1
    return blocks, index


def _bolder(span: Span) -> Span:
    return Span(span.text, True, span.italic, span.code, span.href, span.image, span.muted)


def _read_items(tokens, index: int, closing: str, base: Path | None):  # type: ignore[no-untyped-def]
    items: list[list[Block]] = []
    while index < len(tokens):
        token = tokens[index]
        if token.type == closing:
            return items, index + 1
        if token.type == "list_item_open":
            inner, index = _read_blocks(tokens, index + 1, "list_item_close", base)
            items.append(inner)
        else:
            index += 1
    return items, index


def _read_table(tokens, index: int, base: Path | None):  # type: ignore[no-untyped-def]
    header: list[list[Span]] = []
    rows: list[Row] = []
    current: list[list[Block]] | None = None
    in_head = False
    while index < len(tokens):
        token = tokens[index]
        if token.type == "table_close":
            index += 1
            break
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            current = []
        elif token.type == "tr_close" and current is not None:
            if not in_head:
                rows.append(Row(current))
            current = None
        elif token.type == "inline":
            spans = _spans(token.children or [], base)
            if in_head:
                header.append(spans)
            elif current is not None:
                current.append([Para(spans)] if spans else [])
        index += 1
    count = max([len(header), *(len(row.cells) for row in rows)]) or 1
    columns = [Column(plain(header[i]) if i < len(header) else "", 100 // count) for i in range(count)]
    return Table(columns, rows, "content", header=bool(header)), index


def _spans(children, base: Path | None) -> list[Span]:  # type: ignore[no-untyped-def]
    from .markdown import _image_source

    spans: list[Span] = []
    bold = italic = False
    href = ""
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind == "link_open":
            href = child.attrGet("href") or ""
        elif kind == "link_close":
            href = ""
        elif kind == "text":
            _append(spans, Span(child.content, bold, italic, False, href))
        elif kind == "code_inline":
            spans.append(Span(child.content, bold, italic, True, href))
        elif kind == "softbreak":
            _append(spans, Span(" ", bold, italic, False, href))
        elif kind == "hardbreak":
            spans.append(Span("\n", bold, italic, False, href))
        elif kind == "image":
            alt = "".join(grand.content for grand in (child.children or []) if grand.type == "text")
            spans.append(Span(alt, image=_image_source(child.attrGet("src") or "", base)))
    return spans


def _append(spans: list[Span], span: Span) -> None:
    """Join a span to the previous one when they look the same (fewer runs in Word)."""
    if spans:
        last = spans[-1]
        if (last.bold, last.italic, last.code, last.href, last.image, last.muted) == (
            span.bold, span.italic, span.code, span.href, span.image, span.muted
        ) and last.text != "\n":
            spans[-1] = Span(last.text + span.text, last.bold, last.italic, last.code, last.href, "", last.muted)
            return
    spans.append(span)
