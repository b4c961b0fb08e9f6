"""The HTML writer of the document model (trainer/render/document.py): blocks to escaped
HTML for the templates, which WeasyPrint lays out as PDF.

Every text is escaped here; class names come from the blocks' `css` (the project's own
values, never content). Bookmarks (the PDF outline) are set with CSS classes `bm1`-`bm4`.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from .document import Block, Box, Heading, Items, Para, Row, Section, Span, Table


def to_html(blocks: list[Block]) -> Markup:
    """The blocks as HTML."""
    return Markup("").join(_block(block) for block in blocks)


def spans_html(spans: list[Span]) -> Markup:
    out = []
    for span in spans:
        if span.image:
            out.append(Markup('<img src="{}" alt="{}">').format(span.image, span.text))
            continue
        if span.text == "\n":
            out.append(Markup("<br>"))
            continue
        html = escape(span.text)
        if span.code:
            html = Markup("<code>{}</code>").format(html)
        if span.italic:
            html = Markup("<em>{}</em>").format(html)
        if span.bold:
            html = Markup("<strong>{}</strong>").format(html)
        if span.muted:
            html = Markup('<span class="muted">{}</span>').format(html)
        if span.href:
            html = Markup('<a href="{}">{}</a>').format(span.href, html)
        out.append(html)
    return Markup("").join(out)


def _attrs(css: str, id: str = "", bookmark: int = 0, extra: str = "") -> Markup:
    classes = " ".join(part for part in (css, f"bm{bookmark}" if bookmark > 0 else "", extra) if part)
    out = Markup("")
    if id:
        out += Markup(' id="{}"').format(id)
    if classes:
        out += Markup(' class="{}"').format(classes)
    return out


def _block(block: Block) -> Markup:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 6)
        bookmark = level if block.bookmark == -1 else block.bookmark
        return Markup("<h{0}{1}>{2}</h{0}>\n").format(level, _attrs(block.css, block.id, bookmark, "nobm" if not bookmark else ""),
                                                   spans_html(block.text))
    if isinstance(block, Para):
        extra = "keep" if block.keep_with_next else ""
        return Markup("<p{}>{}</p>\n").format(_attrs(block.css, block.id, block.bookmark, extra), spans_html(block.text))
    if isinstance(block, Items):
        tag = "ol" if block.ordered else "ul"
        start = ""
        if block.ordered and block.start != 1:
            # WeasyPrint ignores `start`: the counter is set as well
            start = Markup(' start="{0}" style="counter-reset: list-item {1}"').format(block.start, block.start - 1)
        items = Markup("").join(Markup("<li>{}</li>").format(_cell(entry)) for entry in block.items)
        return Markup("<{0}{1}{2}>{3}</{0}>\n").format(tag, _attrs(block.css), Markup(start), items)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Box):
        title = Markup('<p class="box-title keep">{}</p>').format(block.title) if block.title else Markup("")
        return Markup('<aside class="box {}">{}{}</aside>\n').format(block.css, title, to_html(block.blocks))
    if isinstance(block, Section):
        attrs = _attrs(block.css, block.id, 0, "page-break" if block.page_break else "")
        title = Markup(' data-title="{}"').format(block.title) if block.title else Markup("")
        return Markup("<section{}{}>\n{}</section>\n").format(attrs, title, to_html(block.blocks))
    raise TypeError(f"not a block: {type(block).__name__}")


def _cell(blocks: list[Block]) -> Markup:
    """A list item or table cell: a lone paragraph is written without its <p>, so that it
    takes no margin."""
    if len(blocks) == 1 and isinstance(blocks[0], Para) and not blocks[0].css and not blocks[0].bookmark:
        return spans_html(blocks[0].text)
    return to_html(blocks)


def _table(table: Table) -> Markup:
    columns = Markup("").join(
        Markup('<col style="width: {}%">').format(column.width) for column in table.columns
    )
    head = Markup("")
    if table.header:
        head = Markup("<thead><tr>{}</tr></thead>").format(
            Markup("").join(Markup("<th{}>{}</th>").format(_attrs(column.css), column.label) for column in table.columns)
        )
    body = Markup("").join(_row(row, table) for row in table.rows)
    return Markup("<table{}><colgroup>{}</colgroup>{}<tbody>{}</tbody></table>\n").format(
        _attrs("doc " + table.css), columns, head, body
    )


def _row(row: Row, table: Table) -> Markup:
    cells = []
    for index, cell in enumerate(row.cells):
        css = table.columns[index].css if index < len(table.columns) else ""
        tag = "th" if row.head and index == 0 else "td"
        cells.append(Markup("<{0}{1}>{2}</{0}>").format(tag, _attrs(css), _cell(cell)))
    return Markup("<tr{}>{}</tr>\n").format(_attrs(row.css), Markup("").join(cells))


def fitted_pdf(env: Any, view: dict[str, Any], template: str, *, pages: int) -> bytes:
    """The document at the largest of its type sizes that keeps it within `pages` pages (at
    the smallest, however many pages it takes)."""
    from .common import layout, render_html

    body = to_html(view["blocks"])
    sizes = list(view["sizes"])
    document = None
    while sizes:
        size = sizes.pop(0)
        html = render_html(env, template, title=view["title"], body=body, size=size)
        document = layout(env, html)
        if len(document.pages) <= pages:
            break
        # skip the sizes that cannot fit: text area shrinks about with the square of the size
        guess = size * (pages / len(document.pages)) ** 0.5 * 1.06
        while len(sizes) > 1 and sizes[0] > guess:
            sizes.pop(0)
    assert document is not None
    return document.write_pdf()
