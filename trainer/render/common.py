"""What every renderer shares: the two contexts, Jinja templates, HTML to PDF, fixed timestamps.

A renderer works in two steps (docs/DESIGN: "views, then writers"):

- `jobs(context)` builds, for each document, its **view**: plain data (text, numbers,
  lists, Markup) saying everything the document shows, from the prepared course in the
  `BuildContext`. The view is the document's cache key.
- `run(env, job)` writes the document from `job.view` alone, with the `RenderEnv` (the
  course's language, paper, dates and the folders files may come from). A writer never
  sees the prepared course, so it cannot read anything the view does not hold.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .. import __version__
from ..i18n import Translator

if TYPE_CHECKING:
    from ..adapt import Adaptation
    from ..loader import CourseInput
    from ..models import Example
    from ..prepare import PreparedCourse
    from ..schedule import Agenda, PlannedSession

PAPER = {"a4": "A4", "letter": "letter"}
MAX_PREVIOUS_OUTPUT_BYTES = 200 * 1024 * 1024
"""The largest output of a previous build a writer reads back (a session plan PDF is well
under 1 MB)."""

LANGUAGE_TAGS = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "ar": "ar-SA", "ru": "ru-RU", "zh": "zh-CN"}
"""The language tag Word files carry per course language (spelling and hyphenation follow it)."""


@dataclass(frozen=True)
class BuildContext:
    """What the views are built from: the prepared course and the document settings."""

    prepared: PreparedCourse
    paper: str = "a4"
    created: datetime = datetime(2023, 1, 1, tzinfo=timezone.utc)

    @cached_property
    def translator(self) -> Translator:
        return Translator(self.prepared.plan.language, self.prepared.course.time_style)

    @property
    def course_input(self) -> CourseInput:
        return self.prepared.input

    @property
    def agenda(self) -> Agenda:
        return self.prepared.agenda

    @property
    def plan(self) -> list[PlannedSession]:
        """The sessions as scheduled (with the optional segments the scheduler added or cut)."""
        return self.prepared.agenda.plan

    @property
    def conditions(self) -> dict[str, str]:
        return self.prepared.plan.conditions

    @property
    def adaptations(self) -> list[Adaptation]:
        return self.prepared.plan.adaptations

    @property
    def examples(self) -> dict[str, list[Example]]:
        return self.prepared.plan.examples

    @property
    def large_print(self) -> bool:
        return self.prepared.plan.large_print

    @property
    def title(self) -> str:
        return self.prepared.title

    @cached_property
    def markdown_base(self) -> Path:
        """Where a relative image path in Markdown points: the course folder, else the library."""
        return self.prepared.input.folder or self.prepared.input.library.root

    def html(self, text: str | None) -> Markup:
        from .markdown import to_html

        return to_html(text, self.markdown_base)

    def inline(self, text: str | None) -> Markup:
        from .markdown import inline

        return inline(text, self.markdown_base)

    @property
    def translation_draft(self) -> bool:
        """Whether the documents carry translations no reviewer has marked reviewed yet (they
        then say "Translation prepared for this course"): any course not in English, until
        every catalogue it uses and its fixed words are reviewed."""
        if self.translator.language == "en":
            return False
        report = self.prepared.input.translation
        if report is None:
            return True
        from ..translate import documents_of_course

        return not report.reviewed_for(documents_of_course(self.prepared.library, [p.id for p in self.plan]))

    def env(self, out: Path | None = None) -> RenderEnv:
        """The writers' environment for this course."""
        from ..library import library_root, templates_root

        folder = self.prepared.input.folder
        return RenderEnv(
            language=self.translator.language,
            time_style=self.translator.time_style,
            paper=self.paper,
            created=self.created,
            templates=templates_root(),
            roots=tuple(root.resolve() for root in (templates_root(), library_root(), folder) if root is not None),
            out=out,
            translation_draft=self.translation_draft,
        )


@dataclass
class RenderEnv:
    """What a writer needs besides its view: fixed words and formats of the course language,
    the paper, the documents' fixed date, and the folders resources may be read from."""

    language: str
    time_style: str
    paper: str
    created: datetime
    templates: Path
    roots: tuple[Path, ...]
    """Folders a document may read files from (templates, library, course folder)."""
    out: Path | None = None
    """The build folder, where a previous build's outputs can be read back."""
    produced: dict[str, bytes] = field(default_factory=dict)
    """Outputs rendered so far in this build, by path (the guide reads the session plans)."""
    refused: list[str] = field(default_factory=list)
    """Resources the fetcher refused while rendering the current job (reported as warnings)."""
    translation_draft: bool = False
    """Whether the documents say "Translation prepared for this course" (see BuildContext)."""

    @cached_property
    def translator(self) -> Translator:
        return Translator(self.language, self.time_style)

    def read_output(self, path: str) -> bytes:
        """An output of this build, or the one a previous build left in the build folder."""
        from ..files import read_bytes

        if path in self.produced:
            return self.produced[path]
        assert self.out is not None
        return read_bytes(self.out / path, MAX_PREVIOUS_OUTPUT_BYTES, self.out, "the output folder")

    def settings(self) -> dict[str, Any]:
        """What, besides the view, changes a document: part of every fingerprint."""
        return {
            "language": self.language,
            "time_style": self.time_style,
            "paper": self.paper,
            "created": self.created.isoformat(),
            "translation_draft": self.translation_draft,
        }

    @property
    def translation_note(self) -> str:
        """The words every document of a draft translation carries, in the course language."""
        _ = self.translator.gettext
        return _("Translation prepared for this course") if self.translation_draft else ""

    @property
    def language_tag(self) -> str:
        """The course language as a BCP 47 tag for Office files ("fr-FR", "ar-SA", "zh-CN")."""
        return LANGUAGE_TAGS.get(self.language, self.language)


def creation_time(course_input: CourseInput) -> datetime:
    """The timestamp written into documents: $SOURCE_DATE_EPOCH, else the course's first day,
    else the guide's year, so that the same inputs give byte-identical files. A
    SOURCE_DATE_EPOCH that is not a time between 1990 and 2100 is an error (as the
    reproducible-builds specification asks), never silently replaced."""
    from ..errors import TrainerError
    from ..models.base import MAX_YEAR, MIN_YEAR

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        low = datetime(MIN_YEAR, 1, 1, tzinfo=timezone.utc).timestamp()
        high = datetime(MAX_YEAR, 12, 31, 23, 59, 59, tzinfo=timezone.utc).timestamp()
        if not (epoch.isdigit() and len(epoch) <= 12 and low <= int(epoch) <= high):
            raise TrainerError(
                f"SOURCE_DATE_EPOCH={epoch[:30]}: expected the seconds since 1970 of a time between {MIN_YEAR} and "
                f"{MAX_YEAR} (the documents' fixed date); unset it to use the course's start date"
            )
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    start = course_input.course.start_date
    if start is not None:
        return datetime(start.year, start.month, start.day, tzinfo=timezone.utc)
    return datetime(2023, 1, 1, tzinfo=timezone.utc)


_TAG = re.compile(r"<[^>]*>")


def text_direction(text: Any) -> str:
    """"rtl" or "ltr": the direction of a piece of text (or HTML), from its first strong
    character, as `dir="auto"` would give it. WeasyPrint ignores `dir="auto"`, and the
    library's English text stands in right-to-left documents (an Arabic course's handouts
    and forms), where it must still read left to right; an Arabic name in an English
    document the other way round. Text with no letters gives 'auto' (the document's direction)."""
    import unicodedata

    for character in _TAG.sub("", str(text or "")):
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "auto"


def _environment(templates: Path) -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(["html", "htm", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["direction"] = text_direction
    return environment


def render_html(env: RenderEnv, template: str, *, directions: bool = True, **values: Any) -> str:
    """Render one of the project's templates with autoescaping and StrictUndefined; then give
    every run of text in the other direction than the page's its own (render/bidi.py), for
    WeasyPrint, which ignores `dir="auto"`. Pages for a browser (the companion site) pass
    `directions=False`: browsers isolate `dir="auto"` text themselves."""
    from .bidi import set_directions

    translator = env.translator
    html = _environment(env.templates).get_template(template).render(
        _=translator.gettext,
        language=translator.language,
        direction=translator.direction,
        version=__version__,
        created=env.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        translation_note=css_string(env.translation_note),
        **values,
    )
    return set_directions(html, translator.direction) if directions else html


def css_string(text: str) -> Markup:
    """Text as a CSS string literal (for `content:` in a style sheet), quotes included."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,;:!?'()-" or ord(ch) > 127 else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{escaped}"') if text else Markup("")


def templates_used(templates: Path, names: tuple[str, ...]) -> list[str]:
    """The templates `names` use, with every template they extend, import or include."""
    from jinja2 import meta

    environment = _environment(templates)
    seen: list[str] = []
    pending = list(names)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.append(name)
        source = (templates / name).read_text(encoding="utf-8")
        if name.endswith((".html", ".htm", ".xml")):
            pending.extend(ref for ref in meta.find_referenced_templates(environment.parse(source)) if ref)
    return sorted(seen)


# ---------------------------------------------------------------------------- resources

MAX_RESOURCE_BYTES = 5 * 1024 * 1024
"""The largest file (an image) a document may use."""
MAX_DATA_URI_BYTES = 1024 * 1024
"""The largest data: URI a document may use, once decoded."""
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".tif", ".tiff"}
MAX_IMAGE_PIXELS = 25_000_000
"""About 5000 x 5000: far above any printed handout's needs, far below Pillow's bomb limit."""
MAX_IMAGE_SIDE = 10_000
"""The longest side of an image, in pixels (an SVG's width and height, in CSS pixels)."""
MAX_SVG_ELEMENTS = 100_000
"""An SVG may draw at most this many elements once its <use> references are expanded (a
<use> bomb repeats a group of ten uses of the group before it: 10 to the 9th elements)."""

_UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0, "em": 16.0, "ex": 8.0}


def image_problem(path: Path) -> str | None:
    """Why an image file may not be used (format, dimensions), or None if it may."""
    with path.open("rb") as handle:
        data = handle.read(MAX_RESOURCE_BYTES if path.suffix.lower() == ".svg" else 64 * 1024)
    return image_data_problem(data, svg=path.suffix.lower() == ".svg")


def image_data_problem(data: bytes, svg: bool = False) -> str | None:
    """Why image bytes may not be used, checked from the header only (the format by its magic
    bytes, the dimensions), or for an SVG from its markup (its size, its <use> expansion)."""
    text = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if svg or text.startswith(b"<?xml") or text.startswith(b"<svg") or b"<svg" in text:
        return svg_problem(data)
    kinds = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF87a": "GIF", b"GIF89a": "GIF"}
    if not any(data.startswith(magic) for magic in kinds) and not (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "not a PNG, JPEG, GIF or WebP image"
    import warnings

    from PIL import Image

    too_big = f"more pixels than a document needs (at most {MAX_IMAGE_PIXELS // 1_000_000} million)"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                width, height = image.size
    except Image.DecompressionBombError:
        return too_big
    except Exception:  # noqa: BLE001 - any decoder complaint means the file is not usable
        return "a damaged image"
    if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
        return f"{width} x {height} pixels: {too_big}"
    return None


FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2", ".pfb"}


@lru_cache(maxsize=1)
def system_font_folders() -> tuple[Path, ...]:
    """Where the system's fonts are (fontconfig's usual folders on Linux, and macOS's and
    Windows'): the documents' style sheet names fonts with `local()`, which WeasyPrint reads
    from these files."""
    home = Path.home()
    candidates = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts", home / ".local/share/fonts",
                  Path("/Library/Fonts"), Path("/System/Library/Fonts"), home / "Library/Fonts"]
    windows = os.environ.get("WINDIR")
    if windows:
        candidates.append(Path(windows) / "Fonts")
    return tuple(folder.resolve() for folder in candidates if folder.is_dir())


def is_system_font(path: Path) -> bool:
    """Whether a file is a font installed on the system (which documents may embed)."""
    return path.suffix.lower() in FONT_SUFFIXES and any(path.is_relative_to(folder) for folder in system_font_folders())
def _svg_length(value: str | None) -> float | None:
    match = re.fullmatch(r"\s*([0-9.]+(?:e[+-]?\d+)?)\s*([a-z]*)\s*", value or "", flags=re.I)
    if not match or match.group(2).lower() not in _UNITS:
        return None
    try:
        return float(match.group(1)) * _UNITS[match.group(2).lower()]
    except ValueError:
        return None


def svg_problem(data: bytes) -> str | None:
    """Why an SVG may not be used: not SVG, a DTD or entities (refused by defusedxml), a width
    or height over MAX_IMAGE_SIDE pixels, or <use> references that expand to more than
    MAX_SVG_ELEMENTS elements."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data)
    except DefusedXmlException:
        return "an SVG with a DTD or entities, which documents do not need"
    except Exception:  # noqa: BLE001 - any parser complaint means the file is not usable
        return "not an SVG image"
    if not isinstance(root.tag, str) or root.tag.rsplit("}", 1)[-1] != "svg":
        return "not an SVG image"
    width, height = _svg_length(root.get("width")), _svg_length(root.get("height"))
    if (width and width > MAX_IMAGE_SIDE) or (height and height > MAX_IMAGE_SIDE):
        return f"{root.get('width')} x {root.get('height')} pixels: larger than a document needs (at most {MAX_IMAGE_SIDE:,} a side)"
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    sizes: dict[int, int] = {}
    active: set[int] = set()
    too_many = (f"an SVG whose <use> references expand to more than {MAX_SVG_ELEMENTS:,} elements "
                "(a <use> bomb)")

    def size(element: Any, depth: int) -> int:
        key = id(element)
        if key in sizes:
            return sizes[key]
        if key in active or depth > 200:
            raise ValueError("an SVG whose <use> references refer to themselves or nest too deeply")
        active.add(key)
        total = 1
        for child in element:
            total += size(child, depth + 1)
        if isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] == "use":
            reference = element.get("{http://www.w3.org/1999/xlink}href") or element.get("href") or ""
            target = by_id.get(reference[1:]) if reference.startswith("#") else None
            if target is not None:
                total += size(target, depth + 1)
        active.discard(key)
        sizes[key] = min(total, MAX_SVG_ELEMENTS + 1)
        if total > MAX_SVG_ELEMENTS:
            raise ValueError(too_many)
        return sizes[key]

    try:
        size(root, 0)
    except ValueError as error:
        return str(error)
    except RecursionError:
        return "an SVG nested too deeply"
    return None


def _data_uri_bytes(url: str) -> tuple[str, bytes] | None:
    """The media type and bytes of a data: URI, or None when it cannot be decoded."""
    import base64
    from urllib.parse import unquote_to_bytes

    header, _, payload = url[5:].partition(",")
    media = header.split(";")[0].strip().lower()
    try:
        if header.lower().endswith(";base64"):
            return media, base64.b64decode(payload + "=" * (-len(payload) % 4))
        return media, unquote_to_bytes(payload)
    except (ValueError, TypeError):
        return None


def check_url(env: RenderEnv, url: str) -> str:
    """The URL to fetch, if documents may use it; raises ValueError (and records why) if not."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme == "data":
        if len(url) > MAX_DATA_URI_BYTES * 4 // 3 + 100:
            env.refused.append(f"a data: URI of {len(url) // 1024} KB (the limit is {MAX_DATA_URI_BYTES // 1024} KB)")
            raise ValueError("data URI too large")
        decoded = _data_uri_bytes(url)
        if decoded is None:
            env.refused.append("a data: URI that cannot be decoded")
            raise ValueError("bad data URI")
        media, data = decoded
        if media.startswith("image/") or media == "":
            problem = image_data_problem(data, svg=media == "image/svg+xml")
            if problem:
                env.refused.append(f"a data: image ({media or 'no type'}): {problem}")
                raise ValueError(problem)
        return url
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path))
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError):
            env.refused.append(f"{url}: no such file")
            raise ValueError("missing file") from None
        inside = any(resolved.is_relative_to(root) for root in env.roots) or is_system_font(resolved)
        if not inside or not resolved.is_file():
            env.refused.append(f"{url}: outside the course and library folders, or not a regular file")
            raise ValueError("refused")
        if resolved.stat().st_size > MAX_RESOURCE_BYTES:
            env.refused.append(f"{url}: larger than {MAX_RESOURCE_BYTES // 1024 // 1024} MB")
            raise ValueError("too large")
        if resolved.suffix.lower() in IMAGE_SUFFIXES:
            problem = image_problem(resolved)
            if problem:
                env.refused.append(f"{resolved.name}: {problem}")
                raise ValueError(problem)
        return resolved.as_uri()
    env.refused.append(f"{url}: trainer does not fetch anything from the network")
    raise ValueError(f"trainer does not fetch {url!r}")


def safe_fetcher(env: RenderEnv) -> Any:
    """A WeasyPrint URL fetcher for every HTML and CSS object: files inside the course, library
    and template folders, and small data: URIs; never the network, never a redirect."""
    from weasyprint.urls import URLFetcher

    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            return super().fetch(check_url(env, url), headers)

    return SafeFetcher(allowed_protocols=("file", "data"), allow_redirects=False, timeout=5)


PDF_OPTIONS = {"pdf_tags": True}
"""Every PDF is tagged (a structure tree of headings, paragraphs, lists, tables and links,
in reading order, with the document's language and title), for screen readers and for
reflow. WeasyPrint 70 writes the tags; its `pdf/ua-1` variant would also claim PDF/UA
conformance, which trainer does not check, so it is not used."""


@lru_cache(maxsize=1)
def _tagged_document_class() -> type:
    from weasyprint.document import Document

    class TaggedDocument(Document):  # type: ignore[misc]
        """A laid-out document whose PDFs are tagged, and its page copies too (copy() keeps
        the class), whoever writes them."""

        def write_pdf(self, target: Any = None, zoom: float = 1, finisher: Any = None, **options: Any) -> Any:
            return super().write_pdf(target, zoom, finisher, **{**PDF_OPTIONS, **options})

    return TaggedDocument


def layout(env: RenderEnv, html: str) -> Any:
    """Lay out HTML once (a WeasyPrint Document), so that page ranges can be copied out of it.
    The document's PDFs are tagged (PDF_OPTIONS)."""
    from weasyprint import CSS, HTML

    fetcher = safe_fetcher(env)
    page = CSS(string=f"@page {{ size: {PAPER[env.paper]}; }}", url_fetcher=fetcher)
    document = HTML(string=html, base_url=str(env.templates), url_fetcher=fetcher).render(stylesheets=[page])
    tagged = _tagged_document_class()(
        document.pages, document.metadata, document.url_fetcher, document.font_config,
        document.color_profiles, document.output_intent,
    )
    return tagged


def html_to_pdf(env: RenderEnv, html: str) -> bytes:
    """Lay out HTML as a tagged PDF on the course's paper, with fixed metadata dates."""
    return layout(env, html).write_pdf()


def merge_pdfs(parts: list[bytes], bookmarks: list[tuple[str, int]], title: str, created: datetime) -> bytes:
    """Join tagged PDFs into one, keeping what makes them accessible: the structure tree of
    every part (pypdf copies pages but drops their tags: the parts' trees are joined under one
    Document element and their parent trees renumbered), the language, the title shown in
    the window, and one bookmark per (title, first page). The file's identifier is a hash of
    its parts, so the same parts give the same bytes."""
    from hashlib import sha256

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        ByteStringObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    document = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/Document"),
                                 NameObject("/K"): ArrayObject()})
    document_ref = writer._add_object(document)
    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/K"): ArrayObject([document_ref])})
    root_ref = writer._add_object(root)
    document[NameObject("/P")] = root_ref
    numbers = ArrayObject()
    offset = 0
    language = None
    for data in parts:
        reader = PdfReader(io.BytesIO(data))
        start = len(writer.pages)
        writer.append(reader, import_outline=False)
        catalogue = reader.trailer["/Root"]
        language = language or catalogue.get("/Lang")
        tree = catalogue.get("/StructTreeRoot")
        if tree is None:
            continue
        tree = tree.get_object()
        source_document = tree["/K"][0].get_object() if isinstance(tree["/K"], ArrayObject) else tree["/K"].get_object()
        for child in source_document.get("/K", ArrayObject()):
            copy = child.get_object().clone(writer, ignore_fields=[1, "/P"])
            copy[NameObject("/P")] = document_ref
            document["/K"].append(copy.indirect_reference or writer._add_object(copy))
        highest = -1
        entries = tree["/ParentTree"].get_object().get("/Nums", ArrayObject())
        for key, value in zip(entries[0::2], entries[1::2]):
            numbers.append(NumberObject(offset + int(key)))
            numbers.append(value.clone(writer) if not isinstance(value, IndirectObject) else value.get_object().clone(writer).indirect_reference)
            highest = max(highest, int(key))
        for index, page in enumerate(reader.pages):
            if "/StructParents" in page:
                writer.pages[start + index][NameObject("/StructParents")] = NumberObject(offset + int(page["/StructParents"]))
            for annotation in writer.pages[start + index].get("/Annots", ArrayObject()):
                annotation = annotation.get_object()
                if "/StructParent" in annotation:
                    annotation[NameObject("/StructParent")] = NumberObject(offset + int(annotation["/StructParent"]))
        offset += highest + 1
    root[NameObject("/ParentTree")] = writer._add_object(DictionaryObject({NameObject("/Nums"): numbers}))
    root[NameObject("/ParentTreeNextKey")] = NumberObject(offset)
    catalogue = writer._root_object
    catalogue[NameObject("/StructTreeRoot")] = root_ref
    catalogue[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    catalogue[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    if language is not None:
        catalogue[NameObject("/Lang")] = TextStringObject(str(language))
    for text, page_number in bookmarks:
        writer.add_outline_item(title=text, page_number=page_number)
    writer.add_metadata({"/Title": title, "/Producer": "trainer", "/CreationDate": created.strftime("D:%Y%m%d%H%M%SZ")})
    identifier = sha256(b"".join(parts)).digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- Office files

_MODIFIED = re.compile(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*(</dcterms:(?:modified|created)>)")


def fixed_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite an Office file (a zip) with the same timestamp on every entry and in its core
    properties (openpyxl stamps the save time into docProps/core.xml), in a fixed order."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(lambda m: m.group(1) + iso + m.group(2), content)
            target.writestr(entry, content)
    return out.getvalue()


def new_docx(env: RenderEnv) -> Any:
    """A python-docx Document on the course's paper, with the documents' margins and font, in
    the course language: `w:lang` on the document defaults and the Normal style (spelling
    and hyphenation follow the course language), and for Arabic right-to-left paragraphs."""
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    if env.paper == "letter":
        section.page_width, section.page_height = Cm(21.59), Cm(27.94)
    else:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    document.styles["Normal"].font.name = "DejaVu Sans"
    document.styles["Normal"].font.size = Pt(10)
    _docx_language(document, env)
    return document


def _docx_language(document: Any, env: RenderEnv) -> None:
    """The course language on the document defaults and on every style that names a language."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = []
    if defaults is not None:
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is not None and run_defaults.find(qn("w:rPr")) is not None:
            targets.append(run_defaults.find(qn("w:rPr")))
    targets.append(document.styles["Normal"].element.get_or_add_rPr())
    for style in styles.findall(qn("w:style")):
        properties = style.find(qn("w:rPr"))
        if properties is not None and properties.find(qn("w:lang")) is not None:
            targets.append(properties)
    for properties in targets:
        _set_lang(properties, env)
    if env.language in RTL_LANGUAGES:
        normal = document.styles["Normal"].element
        paragraph = normal.get_or_add_pPr()
        if paragraph.find(qn("w:bidi")) is None:
            _insert_ppr(paragraph, OxmlElement("w:bidi"))
    # font size of complex-script text (Arabic) as of the rest
    normal_run = document.styles["Normal"].element.get_or_add_rPr()
    size = normal_run.find(qn("w:sz"))
    if size is not None and normal_run.find(qn("w:szCs")) is None:
        complex_size = OxmlElement("w:szCs")
        complex_size.set(qn("w:val"), size.get(qn("w:val")))
        _insert_rpr(normal_run, complex_size)


RTL_LANGUAGES = {"ar"}


def _set_lang(properties: Any, env: RenderEnv) -> None:
    """Set `w:lang` in a run-properties element: the course language for Latin and Cyrillic
    text, for complex scripts (w:bidi) and for East Asian text (w:eastAsia)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        _insert_rpr(properties, lang)
    tag = env.language_tag
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:bidi"), tag if env.language in RTL_LANGUAGES else "ar-SA")
    lang.set(qn("w:eastAsia"), tag if env.language == "zh" else "zh-CN")


_RTL_TEXT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _first_strong_rtl(text: str) -> bool | None:
    import unicodedata

    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return None


def _docx_directions(document: Any, env: RenderEnv) -> None:
    """Directions and language on every paragraph, run and table of a Word file: `w:lang` on
    every run; in an Arabic document `w:bidi` on each paragraph whose text starts in a
    right-to-left script (an English paragraph left untranslated stays left to right),
    `w:rtl` on runs of right-to-left text, and mirrored tables (`w:bidiVisual`); in any
    document, a run of Arabic text (a name) is marked `w:rtl` too."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rtl_document = env.language in RTL_LANGUAGES
    parts = [document.element.body]
    for section in document.sections:
        for part in (section.header, section.footer):
            if part is not None and not part.is_linked_to_previous:
                parts.append(part._element)
    for root in parts:
        for paragraph in root.iter(qn("w:p")):
            text = "".join(node.text or "" for node in paragraph.iter(qn("w:t")))
            direction = _first_strong_rtl(text)
            properties = paragraph.find(qn("w:pPr"))
            if rtl_document:
                if properties is None:
                    properties = OxmlElement("w:pPr")
                    paragraph.insert(0, properties)
                bidi = properties.find(qn("w:bidi"))
                if direction is False:
                    # an English paragraph: left to right, though Normal is right to left
                    if bidi is None:
                        bidi = OxmlElement("w:bidi")
                        _insert_ppr(properties, bidi)
                    bidi.set(qn("w:val"), "0")
                elif bidi is None:
                    _insert_ppr(properties, OxmlElement("w:bidi"))
            for run in paragraph.iter(qn("w:r")):
                run_text = "".join(node.text or "" for node in run.iter(qn("w:t")))
                run_properties = run.find(qn("w:rPr"))
                if run_properties is None:
                    run_properties = OxmlElement("w:rPr")
                    run.insert(0, run_properties)
                if _RTL_TEXT.search(run_text) and run_properties.find(qn("w:rtl")) is None:
                    _insert_rpr(run_properties, OxmlElement("w:rtl"))
                _set_lang(run_properties, env)
        if rtl_document:
            for table in root.iter(qn("w:tbl")):
                properties = table.find(qn("w:tblPr"))
                if properties is None:
                    properties = OxmlElement("w:tblPr")
                    table.insert(0, properties)
                if properties.find(qn("w:bidiVisual")) is None:
                    _insert_tblpr(properties, OxmlElement("w:bidiVisual"))


# The order of child elements the Office schema requires (ECMA-376 Part 1, 17.3.1.26,
# 17.3.2.28 and 17.4.60): an element out of order makes Word refuse the file.
_PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
              "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"]
_RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
              "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl",
              "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"]
_TBLPR_ORDER = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW",
                "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
                "tblCaption", "tblDescription"]


def _insert_ordered(parent: Any, child: Any, order: list[str]) -> None:
    """Insert `child` before the first sibling the schema places after it."""
    rank = order.index(child.tag.split("}")[-1])
    for index, existing in enumerate(parent):
        name = existing.tag.split("}")[-1]
        if name in order and order.index(name) > rank:
            parent.insert(index, child)
            return
    parent.append(child)


def _insert_ppr(parent: Any, child: Any) -> None:
    _insert_ordered(parent, child, _PPR_ORDER)


def _insert_rpr(parent: Any, child: Any) -> None:
    _insert_ordered(parent, child, _RPR_ORDER)


def _insert_tblpr(parent: Any, child: Any) -> None:
    _insert_ordered(parent, child, _TBLPR_ORDER)


def docx_bytes(document: Any, env: RenderEnv, title: str) -> bytes:
    """Save a python-docx Document with fixed core properties and zip timestamps, its
    paragraphs, runs and tables marked with the course language and direction, and, for a
    translation not yet reviewed, "Translation prepared for this course" in its footer."""
    properties = document.core_properties
    properties.title = title[:255]
    properties.author = "trainer"
    properties.last_modified_by = "trainer"
    properties.created = env.created.replace(tzinfo=None)
    properties.modified = env.created.replace(tzinfo=None)
    properties.revision = 1
    properties.comments = ""
    properties.language = env.language_tag
    if env.translation_note:
        footer = document.sections[0].footer
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.add_run(env.translation_note).italic = True
    _docx_language(document, env)
    _docx_directions(document, env)
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue(), env.created)


def file_digest(path: Path, limit: int) -> str:
    """The sha256 of a file a document embeds (a slide template, an image), for its view;
    read in blocks, and only when it is a regular file of at most `limit` bytes (else "",
    and the check that refuses the file says why)."""
    from ..files import UnsafeFile, regular

    try:
        real, info = regular(path)
        if info.st_size > limit:
            return ""
        digest = hashlib.sha256()
        with open(real, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except (OSError, UnsafeFile):
        return ""


def sources_text(sources: Any) -> str:
    """A list of `Source`s as one line: "HR/P/PT/26, p. 19-26; A/HRC/31/80, paras. 12-14"."""
    parts = []
    for cited in sources:
        text = cited.doc
        if cited.pages:
            text += f", p. {cited.pages}"
        if cited.paragraphs:
            text += f", paras. {cited.paragraphs}"
        if cited.note:
            text += f" ({cited.note})"
        parts.append(text)
    return "; ".join(parts)


def anchor_pages(document: Any, anchors: list[str]) -> dict[str, int]:
    """The index of the first page of a laid-out document on which each anchor stands."""
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor in anchors and anchor not in found:
                found[anchor] = number
    return found
