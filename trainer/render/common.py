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
from functools import cached_property
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

    @cached_property
    def translator(self) -> Translator:
        return Translator(self.language, self.time_style)

    def read_output(self, path: str) -> bytes:
        """An output of this build, or the one a previous build left in the build folder."""
        if path in self.produced:
            return self.produced[path]
        assert self.out is not None
        return (self.out / path).read_bytes()

    def settings(self) -> dict[str, Any]:
        """What, besides the view, changes a document: part of every fingerprint."""
        return {
            "language": self.language,
            "time_style": self.time_style,
            "paper": self.paper,
            "created": self.created.isoformat(),
        }


def creation_time(course_input: CourseInput) -> datetime:
    """The timestamp written into documents: $SOURCE_DATE_EPOCH, else the course's first day,
    else the guide's year, so that the same inputs give byte-identical files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit() and len(epoch) <= 11 and int(epoch) < 4102444800:  # before 2100
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


def render_html(env: RenderEnv, template: str, **values: Any) -> str:
    """Render one of the project's templates with autoescaping and StrictUndefined."""
    translator = env.translator
    return _environment(env.templates).get_template(template).render(
        _=translator.gettext,
        language=translator.language,
        direction=translator.direction,
        version=__version__,
        created=env.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        **values,
    )


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
MAX_DATA_URI_BYTES = 1024 * 1024
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".tif", ".tiff"}
MAX_IMAGE_PIXELS = 25_000_000
"""About 5000 x 5000: far above any printed handout's needs, far below Pillow's bomb limit."""
MAX_IMAGE_SIDE = 10_000


def image_problem(path: Path) -> str | None:
    """Why an image file may not be used (format, dimensions), or None if it may."""
    with path.open("rb") as handle:
        head = handle.read(512)
    if path.suffix.lower() == ".svg":
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if text.startswith(b"<?xml") or text.startswith(b"<svg") or b"<svg" in text:
            return None
        return "not an SVG image"
    kinds = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF87a": "GIF", b"GIF89a": "GIF"}
    if not any(head.startswith(magic) for magic in kinds) and not (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "not a PNG, JPEG, GIF or WebP image"
    import warnings

    from PIL import Image

    too_big = f"more pixels than a document needs (at most {MAX_IMAGE_PIXELS // 1_000_000} million)"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:  # reads the header only
                width, height = image.size
    except Image.DecompressionBombError:
        return too_big
    except Exception:  # noqa: BLE001 - any decoder complaint means the file is not usable
        return "a damaged image"
    if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
        return f"{width} x {height} pixels: {too_big}"
    return None


def check_url(env: RenderEnv, url: str) -> str:
    """The URL to fetch, if documents may use it; raises ValueError (and records why) if not."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme == "data":
        if len(url) > MAX_DATA_URI_BYTES * 4 // 3 + 100:
            env.refused.append(f"a data: URI of {len(url) // 1024} KB (the limit is {MAX_DATA_URI_BYTES // 1024} KB)")
            raise ValueError("data URI too large")
        return url
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path))
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError):
            env.refused.append(f"{url}: no such file")
            raise ValueError("missing file") from None
        inside = any(resolved.is_relative_to(root) for root in env.roots)
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


def layout(env: RenderEnv, html: str) -> Any:
    """Lay out HTML once (a WeasyPrint Document), so that page ranges can be copied out of it."""
    from weasyprint import CSS, HTML

    fetcher = safe_fetcher(env)
    page = CSS(string=f"@page {{ size: {PAPER[env.paper]}; }}", url_fetcher=fetcher)
    return HTML(string=html, base_url=str(env.templates), url_fetcher=fetcher).render(stylesheets=[page])


def html_to_pdf(env: RenderEnv, html: str) -> bytes:
    """Lay out HTML as a PDF on the course's paper, with fixed metadata dates."""
    return layout(env, html).write_pdf()


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
    """A python-docx Document on the course's paper, with the documents' margins and font."""
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
    return document


def docx_bytes(document: Any, env: RenderEnv, title: str) -> bytes:
    """Save a python-docx Document with fixed core properties and zip timestamps."""
    properties = document.core_properties
    properties.title = title[:255]
    properties.author = "trainer"
    properties.last_modified_by = "trainer"
    properties.created = env.created.replace(tzinfo=None)
    properties.modified = env.created.replace(tzinfo=None)
    properties.revision = 1
    properties.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue(), env.created)


def file_digest(path: Path) -> str:
    """The sha256 of a file a document embeds (a slide template, an image), for its view."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
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
