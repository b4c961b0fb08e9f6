"""Mixed directions in HTML documents: every run of text in the other direction is set in
an element with its own `dir`, as `dir="auto"` and `<bdi>` would do in a browser.

WeasyPrint (70) does not implement `dir="auto"`, `<bdi>`'s automatic direction or
`unicode-bidi: plaintext`, and it orders inline boxes itself; but it follows an explicit
`dir` on any element. So, for a page in one direction (Arabic: right to left), this pass:

- gives a text block (a paragraph, list item, table cell, heading...) whose first strong
  character is of the other direction that direction, as `dir="auto"` would: an English
  paragraph left untranslated in an Arabic handout reads left to right with its full stop
  at its end, not at its start;
- wraps each run of the other direction inside a block (an English title after an Arabic
  "Session 1:", an Arabic name in a French certificate) in `<span dir="...">`, so that its
  brackets and punctuation stay with it.

The pass changes nothing else: a document with no character of the other direction comes
back byte for byte.
"""

from __future__ import annotations

import html as html_module
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

RTL_CHARACTERS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
LTR_CHARACTERS = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u052f]")

TEXT_BLOCKS = {
    "p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "caption", "figcaption",
    "ul", "ol", "dl", "blockquote",
}
"""Elements that take their direction from their text (`dir="auto"`). Layout containers
(body, sections, tables, rows, divs) keep the page's direction, so tables and forms mirror."""

INLINE = {
    "a", "abbr", "b", "bdi", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "samp", "small",
    "span", "strong", "sub", "sup", "u", "var", "time",
}
"""Elements a run of the other direction may span."""

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIP = {"style", "script", "title", "head", "svg", "math"}

OPENING = "([{«“‘"
CLOSING = ")]}»”’"
PAIRS = dict(zip(CLOSING, OPENING))


def strong(character: str) -> str | None:
    """"ltr" or "rtl" for a strongly directional character, else None."""
    kind = unicodedata.bidirectional(character)
    if kind == "L":
        return "ltr"
    if kind in ("R", "AL"):
        return "rtl"
    return None


# ---------------------------------------------------------------------------- a faithful tree


@dataclass
class Text:
    value: str
    """The text, entity references resolved (written back escaped)."""


@dataclass
class Element:
    tag: str
    start: str
    """The start tag exactly as written."""
    children: list[Text | Element | str] = field(default_factory=list)
    end: str = ""
    """The end tag as written, or "" (void elements, end tags left implied)."""

    def set_dir(self, direction: str) -> None:
        self.start = re.sub(r"^<([A-Za-z0-9]+)", lambda m: f'<{m.group(1)} dir="{direction}"', self.start, count=1)

    @property
    def own_dir(self) -> str | None:
        match = re.search(r"""\sdir\s*=\s*["']?(ltr|rtl)""", self.start, re.I)
        return match.group(1).lower() if match else None


class _Builder(HTMLParser):
    """Builds the tree, keeping every tag as written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", "")
        self.stack = [self.root]

    def _add(self, node: Text | Element | str) -> None:
        self.stack[-1].children.append(node)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, self.get_starttag_text() or f"<{tag}>")
        self._add(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(Element(tag, self.get_starttag_text() or f"<{tag}/>"))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                self.stack[index].end = f"</{tag}>"
                del self.stack[index:]
                return
        self._add(f"</{tag}>")  # a stray end tag, kept as it was

    def handle_data(self, data: str) -> None:
        # style and script content arrives as written; other text with its references resolved
        self._add(data if self.stack[-1].tag in ("style", "script") else Text(data))

    def handle_comment(self, data: str) -> None:
        self._add(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._add(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._add(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._add(f"<![{data}]>")


def _serialise(node: Text | Element | str, out: list[str]) -> None:
    if isinstance(node, str):
        out.append(node)
    elif isinstance(node, Text):
        out.append(html_module.escape(node.value, quote=False))
    else:
        out.append(node.start)
        for child in node.children:
            _serialise(child, out)
        out.append(node.end)


# ---------------------------------------------------------------------------- directions


def first_strong(node: Text | Element | str) -> str | None:
    """The direction of the first strong character of a node's text (`dir="auto"`),
    skipping elements that set their own direction."""
    if isinstance(node, str):
        return None
    if isinstance(node, Text):
        for character in node.value:
            direction = strong(character)
            if direction:
                return direction
        return None
    if node.tag in SKIP or node.own_dir:
        return None
    for child in node.children:
        direction = first_strong(child)
        if direction:
            return direction
    return None


def _directions(node: Text | Element | str) -> set[str]:
    if isinstance(node, str):
        return set()
    if isinstance(node, Text):
        return {d for d in map(strong, node.value) if d}
    if node.tag in SKIP:
        return set()
    found: set[str] = set()
    for child in node.children:
        found |= _directions(child)
        if len(found) == 2:
            break
    return found


_RUNNING = re.compile(r'(\sdata-title=")([^"]*)(")')
"""The attribute the running heads are taken from (`string-set: ... attr(data-title)`)."""

FSI, PDI = "\u2068", "\u2069"


def _isolate_attribute(element: Element, direction: str) -> None:
    """A running head's text in the other direction (or mixed) is wrapped in Unicode's
    first-strong isolate: a page margin knows no `dir`, but it follows the isolate."""
    other = RTL_CHARACTERS if direction == "ltr" else LTR_CHARACTERS

    def wrap(match: re.Match[str]) -> str:
        value = match.group(2)
        if not other.search(html_module.unescape(value)) or value.startswith(FSI):
            return match.group(0)
        return f"{match.group(1)}{FSI}{value}{PDI}{match.group(3)}"

    element.start = _RUNNING.sub(wrap, element.start)


def _process(element: Element, direction: str) -> None:
    _isolate_attribute(element, direction)
    _isolate_runs(element, direction)
    for child in element.children:
        if isinstance(child, Element) and child.tag not in SKIP:
            inner = child.own_dir or direction
            if child.tag in TEXT_BLOCKS and not child.own_dir:
                found = first_strong(child)
                if found and found != direction:
                    child.set_dir(found)
                    inner = found
            _process(child, inner)


Atom = tuple[int, int, "str | None", str]
"""(child index, offset in its text or -1 for an element, direction, character)."""


def _isolate_runs(element: Element, direction: str) -> None:
    """Wrap each run of the other direction among the element's children in a span."""
    other = "ltr" if direction == "rtl" else "rtl"
    atoms: list[Atom] = []
    for index, child in enumerate(element.children):
        if isinstance(child, Text):
            atoms.extend((index, offset, strong(character), character) for offset, character in enumerate(child.value))
        elif isinstance(child, Element) and child.tag in INLINE and not child.own_dir:
            found = _directions(child)
            kind = other if found == {other} else (None if not found else "boundary")
            atoms.append((index, -1, kind, ""))
        else:
            atoms.append((index, -1, "boundary", ""))
    if not any(atom[2] == other for atom in atoms):
        return
    runs: list[tuple[int, int]] = []  # atom ranges [start, end)
    position = 0
    while position < len(atoms):
        if atoms[position][2] != other:
            position += 1
            continue
        start, end, cursor = position, position + 1, position + 1
        while cursor < len(atoms) and atoms[cursor][2] not in (direction, "boundary"):
            if atoms[cursor][2] == other:
                end = cursor + 1
            cursor += 1
        end = _extend(atoms, start, end, cursor, direction)
        start = _extend_back(atoms, start, end, runs[-1][1] if runs else 0)
        start, end = _enclosing(atoms, start, end, cursor, runs[-1][1] if runs else 0)
        runs.append((start, end))
        position = end
    element.children = _wrapped(element.children, atoms, runs, other)


def _extend(atoms: list[Atom], start: int, end: int, limit: int, direction: str) -> int:
    """Where a run ends: after its last strong character and the brackets that close what it
    opened, with the punctuation that follows it up to the next space, except the page
    script's own punctuation (an Arabic comma belongs to the Arabic text) and, on a
    left-to-right page, a sentence's full stop or comma after the run."""
    end = _balance_end(atoms, start, end, limit)
    cursor = end
    while cursor < limit:
        character = atoms[cursor][3]
        if not character or character.isspace() or character in OPENING or character in CLOSING:
            break
        if direction == "rtl" and RTL_CHARACTERS.match(character):
            break
        if direction == "ltr":
            break
        cursor += 1
    return cursor


def _balance_end(atoms: list[Atom], start: int, end: int, limit: int) -> int:
    """After a run, the closing brackets that close what it opened."""
    depth = sum(1 for atom in atoms[start:end] if atom[3] and atom[3] in OPENING)
    depth -= sum(1 for atom in atoms[start:end] if atom[3] and atom[3] in CLOSING)
    cursor = end
    while depth > 0 and cursor < limit:
        character = atoms[cursor][3]
        if character and character in OPENING:
            depth += 1
        elif character and character in CLOSING:
            depth -= 1
        cursor += 1
        if depth == 0:
            return cursor
    return end


def _extend_back(atoms: list[Atom], start: int, end: int, floor: int) -> int:
    """Opening brackets and quotes just before a run join it when the run closes them."""
    closes = sum(1 for atom in atoms[start:end] if atom[3] and atom[3] in CLOSING)
    closes -= sum(1 for atom in atoms[start:end] if atom[3] and atom[3] in OPENING)
    while closes > 0 and start > floor and atoms[start - 1][3] and atoms[start - 1][3] in OPENING:
        start -= 1
        closes -= 1
    return start


def _enclosing(atoms: list[Atom], start: int, end: int, limit: int, floor: int) -> tuple[int, int]:
    """A run inside brackets that hold nothing of the page's direction takes the brackets
    and what else they hold: "(HR/P/PT/26, p. 2)" in an Arabic sentence is one run."""
    before = start - 1
    while before >= floor and atoms[before][2] is None and atoms[before][3] not in OPENING:
        before -= 1
    if before < floor or atoms[before][3] not in OPENING:
        return start, end
    opening = atoms[before][3]
    after = end
    while after < limit and atoms[after][2] is None and atoms[after][3] not in CLOSING:
        after += 1
    if after < limit and atoms[after][3] in CLOSING and PAIRS[atoms[after][3]] == opening:
        return before, after + 1
    return start, end


def _wrapped(children: list[Text | Element | str], atoms: list[Atom], runs: list[tuple[int, int]],
             direction: str) -> list[Text | Element | str]:
    """The children with each run of atoms moved into a `<span dir>`; text is cut at the
    runs' edges."""
    number = {(atom[0], atom[1]): position for position, atom in enumerate(atoms)}
    cuts: dict[int, set[int]] = {}
    for start, end in runs:
        for edge in (start, end):
            if edge < len(atoms) and atoms[edge][1] > 0:
                cuts.setdefault(atoms[edge][0], set()).add(atoms[edge][1])
    pieces: list[tuple[int, Text | Element | str]] = []  # (first atom, piece)
    for index, child in enumerate(children):
        if isinstance(child, Text):
            edges = [0, *sorted(cuts.get(index, ())), len(child.value)]
            for left, right in zip(edges, edges[1:]):
                if right > left:
                    pieces.append((number[(index, left)], Text(child.value[left:right])))
        else:
            pieces.append((number.get((index, -1), -1), child))
    out: list[Text | Element | str] = []
    span: Element | None = None
    span_run = -1
    for first, piece in pieces:
        run = next((r for r, (start, end) in enumerate(runs) if start <= first < end), -1) if first >= 0 else -1
        if run != span_run and span is not None:
            out.append(span)
            span = None
        if run >= 0:
            if span is None:
                span = Element("span", f'<span dir="{direction}">', [], "</span>")
            span.children.append(piece)
        else:
            out.append(piece)
        span_run = run
    if span is not None:
        out.append(span)
    return out


def set_directions(html: str, direction: str) -> str:
    """The document with every run of text in the other direction given its own direction
    (see the module's docstring). `direction` is the page's, "ltr" or "rtl"."""
    other = RTL_CHARACTERS if direction == "ltr" else LTR_CHARACTERS
    body = html.find("<body")
    if not other.search(html, body if body >= 0 else 0):
        return html
    builder = _Builder()
    builder.feed(html)
    builder.close()
    root = builder.root
    body_element = _find(root, "body")
    start = body_element if body_element is not None else root
    _process(start, start.own_dir or direction)
    out: list[str] = []
    for child in root.children:
        _serialise(child, out)
    return "".join(out)


def _find(element: Element, tag: str) -> Element | None:
    for child in element.children:
        if isinstance(child, Element):
            if child.tag == tag:
                return child
            found = _find(child, tag)
            if found is not None:
                return found
    return None
