"""The library in the course language: the participant-facing text of every content file,
as gettext messages, and the merge of their translations at load time.

This is how documentation projects translate (Sphinx's gettext builder): the English
library is the source; each content file has a catalogue template
(`locale/content/<folder>/<file>.pot`) holding every text participants read, one message
per field or per Markdown paragraph, with the field's path as its context (msgctxt) so
that equal words in two places may be translated differently; translators fill one `.po`
per language (`locale/content/<language>/<folder>/<file>.po`) in Poedit or Weblate; and
the loader returns the library with those translations merged in, before adaptation, so
that every later stage and every document sees the course language. A text without a
translation stays English and is counted in the `TranslationReport`, which the build
prints: a missing translation is never silent.

Which fields participants read (the rest, such as facilitator notes, activity steps and
set-up, stays English in every language; the facilitator guide says so on its cover):

- the course programme: its title and objectives; modules: their titles;
- sessions: title, learning objectives, key messages; in the session plan, the titles of
  segments shown on slides, their `slide_points`, their `agenda` labels, and the titles of
  the country slides (`adapt[].slide`);
- activities: their title, debrief questions and the questions of their variants (asked
  of participants, printed on slides and cards);
- handouts: title and body (Markdown, one message per paragraph, list item, heading or
  table cell);
- forms: title, introduction, section titles and introductions, every question, choice
  and scale label;
- the fixed slots of the day (recap, wrap-up, close): their titles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .models.base import Strict, Text

CONTENT_DIR = Path("locale") / "content"
"""Where the content catalogues live, inside the library root."""

STATUS_FILE = "status.yaml"
"""Per language, the catalogues a reviewer has marked reviewed (locale/content/<lang>/status.yaml)."""

FIXED_WORDS = "fixed-words"
"""The name the status file and the reports give to the documents' fixed words (trainer/locale)."""


# ---------------------------------------------------------------------------- which fields


@dataclass(frozen=True)
class Translatable:
    """A participant-facing field of a model: its name, how it holds text, and what it is for."""

    name: str
    shape: str
    """"text" (one string), "list" (a list or pair of strings), "markdown" (one message per
    paragraph), or "nested" (a model or a list of models, walked in turn)."""
    comment: str = ""
    """What the text is, for translators (an extracted comment in the catalogue)."""
    when: Callable[[Any], bool] | None = None
    """Only when this holds for the item (a segment's title only when it is shown on a slide)."""


def _on_slide(item: Any) -> bool:
    """Whether the decks print a segment's title: on its own slides, on the "Group work until
    11:05" slide of a group-work segment, or above the activity's questions on the slide of a
    debrief segment (the rules of `trainer/render/slides.py`, `add_segment`)."""
    if getattr(item, "slides", False):
        return True
    return getattr(item, "kind", None) in ("group-work", "debrief") and not getattr(item, "parts", None)


_SEGMENT = (
    Translatable("title", "text", "Slide title (the segment is shown on a slide)", _on_slide),
    Translatable("agenda", "text", "A line of the participants' agenda"),
    Translatable("slide_points", "list", "A bullet point on a slide: keep it short"),
    Translatable("adapt", "nested"),
    Translatable("parts", "nested"),
)

FIELDS: dict[str, tuple[Translatable, ...]] = {
    "Programme": (
        Translatable("title", "text", "The course title, on every document"),
        Translatable("objectives", "list", "A learning objective of the course (agenda, forms)"),
        Translatable("sample_agenda", "nested"),
    ),
    "Course": (
        Translatable("title", "text", "The sample course's title"),
        Translatable("subtitle", "text", "The sample course's subtitle"),
    ),
    "Module": (Translatable("title", "text", "A module title"),),
    "Session": (
        Translatable("title", "text", "A session title: agenda, slides, forms"),
        Translatable("objectives", "list", "A learning objective: slides, end-of-day forms"),
        Translatable("key_messages", "list", "A key message, on the session's last slide"),
        Translatable("plan", "nested"),
    ),
    "Segment": _SEGMENT,
    "SegmentPart": _SEGMENT,
    "Adaptation": (Translatable("slide", "text", "Title of a country slide; keep <country>, <region>, <date> and <year> as they are"),),
    "Activity": (
        Translatable("title", "text", "An activity's name"),
        Translatable("debrief", "list", "A debrief question put to participants"),
        Translatable("variants", "nested"),
    ),
    "Variant": (Translatable("questions", "list", "A question put to participants in this variant"),),
    "Handout": (
        Translatable("title", "text", "A handout's title"),
        Translatable("body", "markdown", "A paragraph of a handout (Markdown: keep **bold**, *italics*, links and list markers)"),
        Translatable("sources", "nested"),
    ),
    "Source": (
        Translatable("doc", "text", "A source named by its title, printed under a handout: give the document's official title in your language where one exists",
                     lambda source: " " in source.doc),  # a bare symbol ("A/HRC/31/80") stays as it is
        Translatable("note", "text", "What a handout takes from a source, printed under the handout: keep document symbols"),
    ),
    "Form": (
        Translatable("title", "text", "A form's title"),
        Translatable("intro", "markdown", "The form's introduction (Markdown)"),
        Translatable("sections", "nested"),
    ),
    "FormSection": (
        Translatable("title", "text", "A section title of a form"),
        Translatable("intro", "markdown", "A section's introduction (Markdown)"),
        Translatable("questions", "nested"),
    ),
    "Question": (
        Translatable("text", "text", "A question of a form; keep {item} as it is"),
        Translatable("options", "nested"),
        Translatable("scale_labels", "list", "What an end of the answer scale means", lambda question: question.type == "scale"),
    ),
    "Option": (Translatable("label", "text", "An answer to choose"),),
    "Slot": (Translatable("title", "text", "A fixed item of the day (recap, wrap-up, close)"),),
    "Diagram": (
        Translatable("title", "text", "The title of a diagram's slide (and of the figure in the printed documents)"),
        Translatable("description", "text", "What the diagram shows: read aloud by screen readers"),
        Translatable("centre", "text", "A line in the middle of a cycle diagram"),
        Translatable("boxes", "nested"),
        Translatable("arrows", "nested"),
        Translatable("groups", "nested"),
        Translatable("chart", "nested"),
    ),
    "Box": (
        Translatable("label", "text", "A box's label in a diagram: keep it short"),
        Translatable("text", "text", "The line or two under a box's label in a diagram"),
    ),
    "Arrow": (Translatable("label", "text", "The label on an arrow of a diagram"),),
    "Group": (Translatable("label", "text", "The label of a group of boxes in a diagram"),),
    "Chart": (
        Translatable("unit", "text", "What a chart's figures count"),
        Translatable("note", "text", "A short line shown with a chart's source"),
        Translatable("source", "text", "Where a chart's figures come from, shown under it: keep document symbols"),
        Translatable("values", "nested"),
    ),
    "ChartValue": (Translatable("label", "text", "The label of one figure of a chart"),),
}
"""Per content model, the fields participants read. Fields not named stay in English."""

KEYS = ("id", "value", "when")
"""The attribute that names an item of a list in a message's context (ids are stable; list
positions are not)."""


# ---------------------------------------------------------------------------- messages


@dataclass(frozen=True)
class Message:
    """One text to translate: its context (the field's path), the English text, a comment."""

    context: str
    source: str
    comment: str = ""
    line: int | None = None
    """The line of the content file it comes from (for translators' tools)."""


def _key(item: Any) -> str | None:
    for name in KEYS:
        value = getattr(item, name, None)
        if isinstance(value, str) and value:
            return value
    return None


def walk(item: Any, path: str = "", yaml_path: tuple[Any, ...] = ()) -> Iterator[tuple[str, Translatable, Any, tuple[Any, ...]]]:
    """Every participant-facing field of `item` (a content model), depth first, in file
    order: (context path, field, value, path in the YAML file)."""
    for spec in FIELDS.get(type(item).__name__, ()):
        if spec.when is not None and not spec.when(item):
            continue
        value = getattr(item, spec.name, None)
        if value is None:
            continue
        here = f"{path}.{spec.name}" if path else spec.name
        where = (*yaml_path, spec.name)
        if spec.shape == "nested":
            children = value if isinstance(value, (list, tuple)) else [value]
            for index, child in enumerate(children):
                key = _key(child)
                child_path = f"{here}.{key}" if key and isinstance(value, (list, tuple)) else here
                child_where = (*where, index) if isinstance(value, (list, tuple)) else where
                yield from walk(child, child_path, child_where)
        else:
            yield here, spec, value, where


def item_messages(item: Any, located: Any = None) -> list[Message]:
    """The messages of one content item (a session, handout, form ...), in file order."""
    out: list[Message] = []
    seen: set[tuple[str, str]] = set()

    def add(context: str, text: str, comment: str, line: int | None) -> None:
        if not text.strip() or (context, text) in seen:
            return
        seen.add((context, text))
        out.append(Message(context, text, comment, line))

    for context, spec, value, where in walk(item):
        line = located.where(where)[0] if located is not None else None
        if spec.shape == "text":
            add(context, value, spec.comment, line)
        elif spec.shape == "list":
            for index, text in enumerate(value):
                here = located.where((*where, index))[0] if located is not None else line
                add(context, text, spec.comment, here)
        elif spec.shape == "markdown":
            offset = _block_offset(located, where) if located is not None else None
            for block in markdown_blocks(value):
                add(context, block.text, spec.comment, None if offset is None else offset + block.start)
    return out


def _block_offset(located: Any, where: tuple[Any, ...]) -> int | None:
    """The file line of a Markdown field's first line (the line after `key: |`)."""
    line = located.where(where)[0]
    if line is None:
        return None
    try:
        text = located.file.read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, IndexError):
        return line
    return line + 1 if re.search(r"[|>][-+0-9]*\s*(#.*)?$", text) else line


# ---------------------------------------------------------------------------- Markdown paragraphs


@dataclass(frozen=True)
class Block:
    """A translatable block of a Markdown text: a paragraph, heading, list item's paragraph
    or table cell, with the source lines it stands on."""

    start: int
    end: int
    text: str
    """The message: the block's inline text, its lines joined (hard breaks kept)."""
    kind: str
    """"paragraph", "heading", "setext" (a heading underlined by === or ---) or "cell"."""
    cell: int = -1
    """For a table cell: its index in the row."""
    raw_first: str = ""
    """The block's first line of inline text as written, to find its prefix (list marker, '>')."""


def _unwrap(content: str) -> str:
    """A block's lines joined with spaces, as Sphinx does; hard line breaks stay."""
    lines = content.split("\n")
    out = lines[0]
    for previous, line in zip(lines, lines[1:]):
        out += ("\n" if previous.endswith(("  ", "\\")) else " ") + line
    return out


def markdown_blocks(text: str) -> list[Block]:
    """The translatable blocks of a Markdown text, in order."""
    from .render.markdown import _parser

    if not text or not text.strip():
        return []
    tokens = _parser().parse(text)
    blocks: list[Block] = []
    parent: Any = None
    row_line = -1
    cell = -1
    for token in tokens:
        if token.type == "tr_open":
            row_line, cell = token.map[0], -1
        elif token.type in ("th_open", "td_open"):
            cell += 1
        if token.type.endswith("_open") and token.type not in ("th_open", "td_open"):
            parent = token
        if token.type != "inline" or token.map is None:
            continue
        content = token.content
        if not content.strip():
            continue
        first = content.split("\n")[0]
        if parent is not None and parent.type == "tr_open":
            blocks.append(Block(row_line, row_line + 1, content, "cell", cell, first))
        elif parent is not None and parent.type == "heading_open" and parent.markup in ("=", "-"):
            blocks.append(Block(token.map[0], token.map[1], _unwrap(content), "setext", -1, first))
        else:
            kind = "heading" if parent is not None and parent.type == "heading_open" else "paragraph"
            blocks.append(Block(token.map[0], token.map[1], _unwrap(content), kind, -1, first))
    return blocks


_PIPE = re.compile(r"(?<!\\)\|")


def translate_markdown(text: str, translate: Callable[[str], str]) -> str:
    """The Markdown text with each block's text replaced by `translate(block text)`, keeping
    the structure (list markers, quotes, headings, table rows) as the source has it."""
    blocks = markdown_blocks(text)
    if not blocks:
        return text
    lines = text.split("\n")
    rows: dict[int, list[Block]] = {}
    for block in blocks:
        if block.kind == "cell":
            rows.setdefault(block.start, []).append(block)
    done_rows: set[int] = set()
    for block in reversed(blocks):
        if block.kind == "cell":
            if block.start in done_rows:
                continue
            done_rows.add(block.start)
            lines[block.start] = _translated_row(lines[block.start], rows[block.start], translate)
            continue
        translated = translate(block.text)
        if translated == block.text:
            continue
        first = lines[block.start]
        at = first.find(block.raw_first)
        prefix = first[:at] if at >= 0 else first[: len(first) - len(first.lstrip())]
        continuation = re.sub(r"[^>\s]", " ", prefix)
        body = translated.replace("\n", "\n" + continuation)
        if block.kind == "heading":
            replacement = [prefix + body]
            end = block.start + 1
        elif block.kind == "setext":
            replacement = [prefix + body]
            end = block.end - 1  # keep the underline
        else:
            replacement = [prefix + body]
            end = block.end
        lines[block.start:end] = replacement
    return "\n".join(lines)


def _translated_row(line: str, cells: list[Block], translate: Callable[[str], str]) -> str:
    pieces = _PIPE.split(line)
    # a row written with outer pipes has an empty piece before the first and after the last
    first = 1 if pieces and not pieces[0].strip() else 0
    for block in cells:
        index = first + block.cell
        if index >= len(pieces):
            break
        translated = translate(block.text)
        if translated != block.text:
            pieces[index] = " " + translated.replace("\n", " ").replace("|", "\\|") + " "
    return "|".join(pieces)


# ---------------------------------------------------------------------------- catalogues


def catalogue_name(file: Path, root: Path) -> str | None:
    """The catalogue of a library file: its path in the library without the suffix
    ("handouts/case-study", "modules/sessions/session-3"), or None outside the library."""
    try:
        relative = file.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    return relative.with_suffix("").as_posix()


@dataclass
class Translations:
    """The translations of one catalogue in one language, as the build uses them."""

    name: str
    strings: dict[tuple[str, str], str] = field(default_factory=dict)
    """(context, English text) -> translation; only finished ones (not fuzzy, not empty)."""
    fuzzy: int = 0
    reviewed: bool = False


def read_catalogue(path: Path, language: str) -> tuple[dict[tuple[str, str], str], int]:
    """A .po file's finished translations by (context, source), and how many are fuzzy."""
    from babel.messages.pofile import read_po

    from .i18n import LOCALES

    from babel.messages.pofile import PoFileError

    from .errors import InputError, Problem

    try:
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=LOCALES.get(language, language), abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as error:
        line = getattr(error, "lineno", None)
        raise InputError([Problem(path, line, None, f"not a readable gettext catalogue: {error}")]) from None
    strings: dict[tuple[str, str], str] = {}
    fuzzy = 0
    for message in catalogue:
        if not message.id or not isinstance(message.id, str):
            continue
        if message.fuzzy:
            fuzzy += 1
            continue
        if isinstance(message.string, str) and message.string.strip():
            strings[(message.context or "", message.id)] = message.string
    return strings, fuzzy


class Review(Strict):
    """A reviewer's mark on one catalogue of a language."""

    by: Text
    """Who reviewed it (name, organization)."""
    on: date
    """When (YYYY-MM-DD)."""


class Status(Strict):
    """locale/content/<language>/status.yaml: the catalogues a reviewer has checked."""

    reviewed: dict[str, Review] = {}
    """Catalogue name ("handouts/case-study", or "fixed-words" for trainer/locale/<language>.po)
    -> who reviewed it and when. A catalogue not listed is a draft."""


def read_checked(path: Path, model: type, label: str) -> Any:
    """A small YAML file of the translation workflow, read safely and validated; a problem
    becomes an InputError naming its file, line and field."""
    from .errors import InputError
    from .validation import validate
    from .yamlfile import YamlProblem, read_yaml

    try:
        located = read_yaml(path)
    except YamlProblem as error:
        raise InputError([error.problem]) from None
    item, problems = validate(model, located, label)
    if problems:
        raise InputError(problems)
    return item


def reviewed_catalogues(root: Path, language: str) -> dict[str, Review]:
    """The catalogues a reviewer marked reviewed in a language: name -> who and when."""
    path = root / CONTENT_DIR / language / STATUS_FILE
    if not path.is_file():
        return {}
    return read_checked(path, Status, "translation status").reviewed


def load_translations(root: Path, language: str) -> dict[str, Translations]:
    """Every catalogue of a language under the library's locale/content/<language>/."""
    folder = root / CONTENT_DIR / language
    reviewed = reviewed_catalogues(root, language)
    out: dict[str, Translations] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.rglob("*.po")):
        name = path.relative_to(folder).with_suffix("").as_posix()
        strings, fuzzy = read_catalogue(path, language)
        out[name] = Translations(name, strings, fuzzy, name in reviewed)
    return out


# ---------------------------------------------------------------------------- the merge


@dataclass
class DocumentReport:
    """How much of one content file is in the course language."""

    name: str
    total: int = 0
    translated: int = 0
    missing: list[Message] = field(default_factory=list)
    """The texts shown in English instead, with their context."""
    reviewed: bool = False

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass
class TranslationReport:
    """What the merge did: per content file, the texts translated and those left in English."""

    language: str
    documents: dict[str, DocumentReport] = field(default_factory=dict)
    fixed_words_reviewed: bool = False

    @property
    def total(self) -> int:
        return sum(document.total for document in self.documents.values())

    @property
    def translated(self) -> int:
        return sum(document.translated for document in self.documents.values())

    @property
    def missing(self) -> int:
        return self.total - self.translated

    @property
    def reviewed(self) -> bool:
        """Whether everything the library holds in this language was reviewed: every
        catalogue complete and marked reviewed, and the fixed words too."""
        return self.reviewed_for(None)

    def reviewed_for(self, names: set[str] | None) -> bool:
        """Whether the catalogues `names` (a course's documents; all when None) are complete
        and marked reviewed, and the fixed words too."""
        documents = [d for name, d in self.documents.items() if names is None or name in names]
        return self.fixed_words_reviewed and all(d.reviewed and d.complete for d in documents)

    def incomplete(self, names: set[str] | None = None) -> list[DocumentReport]:
        """The documents with texts in English instead, among `names` (all when None)."""
        return [
            document for name, document in sorted(self.documents.items())
            if document.missing and (names is None or name in names)
        ]


class _Merge:
    """Translates content models field by field from one catalogue, counting what is missing."""

    def __init__(self, translations: Translations | None, report: DocumentReport):
        self.strings = translations.strings if translations is not None else {}
        self.report = report
        self.seen: set[tuple[str, str]] = set()

    def text(self, context: str, source: str) -> str:
        if not source.strip():
            return source
        found = self.strings.get((context, source))
        key = (context, source)
        if key not in self.seen:
            self.seen.add(key)
            self.report.total += 1
            if found:
                self.report.translated += 1
            else:
                self.report.missing.append(Message(context, source))
        return found or source

    def item(self, item: Any, path: str = "") -> Any:
        updates: dict[str, Any] = {}
        for spec in FIELDS.get(type(item).__name__, ()):
            if spec.when is not None and not spec.when(item):
                continue
            value = getattr(item, spec.name, None)
            if value is None:
                continue
            here = f"{path}.{spec.name}" if path else spec.name
            if spec.shape == "text":
                new: Any = self.text(here, value)
            elif spec.shape == "list":
                new = type(value)(self.text(here, text) for text in value)
            elif spec.shape == "markdown":
                new = translate_markdown(value, lambda text, here=here: self.text(here, text))  # type: ignore[misc]
            elif isinstance(value, (list, tuple)):
                new = type(value)(
                    self.item(child, f"{here}.{_key(child)}" if _key(child) else here) for child in value
                )
            else:
                new = self.item(value, here)
            if new != value:
                updates[spec.name] = new
        if not updates:
            return item
        copy = item.model_copy(update=updates)
        if "slide" in updates:  # a country slide: its English title says whether it lists treaties
            copy._english_slide = item._english_slide or item.slide
        return copy


def translate_library(library: Any, language: str) -> tuple[Any, TranslationReport]:
    """The library with its participant-facing text in `language`, and what was missing.

    Items of a course's local/ folder are taken as written (the course team writes them in
    its own language); every library item is translated from its catalogue, falling back to
    English text by text. The library given is left as it was."""
    from dataclasses import replace

    report = TranslationReport(language)
    if language == "en":
        return library, report
    root = library.root
    translations = load_translations(root, language)
    reviewed = reviewed_catalogues(root, language)
    report.fixed_words_reviewed = FIXED_WORDS in reviewed

    def merged(item: Any, file: Path) -> Any:
        name = catalogue_name(file, root)
        if name is None:
            return item
        document = report.documents.setdefault(name, DocumentReport(name))
        found = translations.get(name)
        document.reviewed = bool(found and found.reviewed)
        return _Merge(found, document).item(item)

    entries = {}
    for key, entry in library.entries.items():
        if entry.local or type(entry.item).__name__ not in FIELDS:
            entries[key] = entry
            continue
        entries[key] = replace(entry, item=merged(entry.item, entry.located.file))
    programme = merged(library.programme, library.programme_located.file)
    return replace(library, programme=programme, entries=entries), report


def documents_of_course(library: Any, session_ids: list[str]) -> set[str]:
    """The catalogues whose text this course prints: the programme, the sessions it runs
    with their modules, the activities and handouts they use, the forms and the slots."""
    root = library.root
    ids: set[str] = set(session_ids)
    for session_id in session_ids:
        session = library.sessions.get(session_id)
        if session is None:
            continue
        ids.add(session.module)
        ids.update(session.handouts)
        ids.update(session.activities)
        for segment in session.segments():
            ids.update(segment.handouts)
            ids.update(segment.also)
            if segment.activity:
                ids.add(segment.activity)
            ids.update(alternative.activity for alternative in segment.choice)
    for activity_id in list(ids):
        activity = library.activities.get(activity_id)
        if activity is not None:
            ids.update(use.handout for use in activity.handouts)
    ids.update(library.forms)
    ids.update(library.slots)
    names = {catalogue_name(library.programme_located.file, root)}
    for key in ids:
        entry = library.entries.get(key)
        if entry is not None and not entry.local:
            names.add(catalogue_name(entry.located.file, root))
    return {name for name in names if name}
