"""What every renderer shares: the build context, Jinja templates, HTML to PDF, fixed timestamps."""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import __version__
from ..i18n import Translator
from ..loader import CourseInput
from ..schedule import Agenda, PlannedSession

PAPER = {"a4": "A4", "letter": "letter"}


@dataclass
class BuildContext:
    """Everything a renderer reads: the loaded course, its agenda, its language, the paper."""

    course_input: CourseInput
    agenda: Agenda
    translator: Translator
    plan: list[PlannedSession] = field(default_factory=list)
    large_print: bool = False
    conditions: dict[str, str] = field(default_factory=dict)
    """The conditions the needs assessment established (see adapt.conditions)."""
    adaptations: list[Any] = field(default_factory=list)
    examples: dict[str, list[Any]] = field(default_factory=dict)
    """Session id -> the practice examples the adaptation step matched to this course."""
    out: Path | None = None
    """The build folder, where earlier outputs can be read back."""
    produced: dict[str, bytes] = field(default_factory=dict)
    """Outputs rendered so far in this build, by path."""

    def read_output(self, path: str) -> bytes:
        """An output of this build, or the one a previous build left in the build folder."""
        if path in self.produced:
            return self.produced[path]
        assert self.out is not None
        return (self.out / path).read_bytes()
    paper: str = "a4"
    created: datetime = field(default_factory=lambda: datetime(2023, 1, 1, tzinfo=timezone.utc))

    @property
    def title(self) -> str:
        return self.course_input.course.title or self.course_input.library.programme.title

    @property
    def templates(self) -> Path:
        from ..library import templates_root

        return templates_root()


def creation_time(course_input: CourseInput) -> datetime:
    """The timestamp written into documents: $SOURCE_DATE_EPOCH, else the course's first day,
    else the guide's year, so that the same inputs give byte-identical files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    start = course_input.course.start_date
    if start is not None:
        return datetime(start.year, start.month, start.day, tzinfo=timezone.utc)
    return datetime(2023, 1, 1, tzinfo=timezone.utc)


def render_html(context: BuildContext, template: str, **values: Any) -> str:
    """Render one of the project's templates with autoescaping and StrictUndefined."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(str(context.templates)),
        autoescape=select_autoescape(["html", "htm", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    translator = context.translator
    return environment.get_template(template).render(
        _=translator.gettext,
        language=translator.language,
        direction=translator.direction,
        version=__version__,
        created=context.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        **values,
    )


MAX_RESOURCE_BYTES = 5 * 1024 * 1024
MAX_DATA_URI_BYTES = 1024 * 1024
REFUSED: list[str] = []
"""Resources the fetcher refused during this process's rendering (reported as warnings)."""


def _allowed_roots() -> list[Path]:
    from ..errors import LibraryNotFound
    from ..library import library_root, templates_root

    roots = [templates_root()]
    try:
        roots.append(library_root())
    except LibraryNotFound:
        pass
    folder = os.environ.get("TRAINER_COURSE_FOLDER")
    if folder:
        roots.append(Path(folder))
    return [root.resolve() for root in roots]


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


def _check_url(url: str) -> str:
    """The URL to fetch, if documents may use it; raises ValueError (and records why) if not."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme == "data":
        if len(url) > MAX_DATA_URI_BYTES * 4 // 3 + 100:
            REFUSED.append(f"a data: URI of {len(url) // 1024} KB (the limit is {MAX_DATA_URI_BYTES // 1024} KB)")
            raise ValueError("data URI too large")
        return url
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path))
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError):
            REFUSED.append(f"{url}: no such file")
            raise ValueError("missing file") from None
        inside = any(resolved.is_relative_to(root) for root in _allowed_roots())
        if not inside or not resolved.is_file():
            REFUSED.append(f"{url}: outside the course and library folders, or not a regular file")
            raise ValueError("refused")
        if resolved.stat().st_size > MAX_RESOURCE_BYTES:
            REFUSED.append(f"{url}: larger than {MAX_RESOURCE_BYTES // 1024 // 1024} MB")
            raise ValueError("too large")
        if resolved.suffix.lower() in IMAGE_SUFFIXES:
            problem = image_problem(resolved)
            if problem:
                REFUSED.append(f"{resolved.name}: {problem}")
                raise ValueError(problem)
        return resolved.as_uri()
    REFUSED.append(f"{url}: trainer does not fetch anything from the network")
    raise ValueError(f"trainer does not fetch {url!r}")


_FETCHER: Any = None


def safe_fetcher() -> Any:
    """A WeasyPrint URL fetcher for every HTML and CSS object: files inside the course, library
    and template folders, and small data: URIs; never the network, never a redirect."""
    global _FETCHER
    if _FETCHER is None:
        from weasyprint.urls import URLFetcher

        class SafeFetcher(URLFetcher):  # type: ignore[misc]
            def fetch(self, url: str, headers: Any = None) -> Any:
                return super().fetch(_check_url(url), headers)

        _FETCHER = SafeFetcher(allowed_protocols=("file", "data"), allow_redirects=False, timeout=5)
    return _FETCHER


def layout(context: BuildContext, html: str) -> Any:
    """Lay out HTML once (a WeasyPrint Document), so that page ranges can be copied out of it."""
    from weasyprint import CSS, HTML

    page = CSS(string=f"@page {{ size: {PAPER[context.paper]}; }}", url_fetcher=safe_fetcher())
    return HTML(string=html, base_url=str(context.templates), url_fetcher=safe_fetcher()).render(stylesheets=[page])


def html_to_pdf(context: BuildContext, html: str) -> bytes:
    """Lay out HTML as a PDF on the context's paper, with fixed metadata dates."""
    from weasyprint import CSS, HTML

    page = CSS(string=f"@page {{ size: {PAPER[context.paper]}; }}", url_fetcher=safe_fetcher())
    document = HTML(string=html, base_url=str(context.templates), url_fetcher=safe_fetcher())
    return document.write_pdf(stylesheets=[page], uncompressed_pdf=False)


FIXED_ZIP_TIME = (2023, 1, 1, 0, 0, 0)


def fixed_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite an Office file (a zip) with the same timestamp on every entry, in a fixed order."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def new_docx(context: BuildContext) -> Any:
    """A python-docx Document on the course's paper, with the documents' margins and font."""
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    if context.paper == "letter":
        section.page_width, section.page_height = Cm(21.59), Cm(27.94)
    else:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.8)
    document.styles["Normal"].font.name = "DejaVu Sans"
    document.styles["Normal"].font.size = Pt(10)
    return document


def docx_bytes(document: Any, context: BuildContext, title: str) -> bytes:
    """Save a python-docx Document with fixed core properties and zip timestamps."""
    properties = document.core_properties
    properties.title = title[:255]
    properties.author = "trainer"
    properties.last_modified_by = "trainer"
    properties.created = context.created.replace(tzinfo=None)
    properties.modified = context.created.replace(tzinfo=None)
    properties.revision = 1
    properties.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue(), context.created)


def dump(model: Any) -> Any:
    """A model as JSON-able data, for job fingerprints."""
    return model.model_dump(mode="json")


def course_inputs(context: BuildContext) -> dict[str, Any]:
    """What every document depends on: the course settings, language, paper and templates."""
    course = dump(context.course_input.course)
    course.pop("participants", None)
    return {
        "course": course,
        "programme": context.course_input.library.programme.title,
        "language": context.translator.language,
        "time_style": context.translator.time_style,
        "paper": context.paper,
        "created": context.created.isoformat(),
        "large_print": context.large_print,
        "conditions": context.conditions,
        "adaptations": [a.__dict__ for a in context.adaptations],
        "examples": {session: [e.id for e in chosen] for session, chosen in context.examples.items()},
    }


def source(context: BuildContext, item_id: str) -> str:
    """The file an item was read from, relative to its library or course folder."""
    entry = context.course_input.library.entries.get(item_id)
    if entry is None:
        return ""
    file = entry.located.file
    for root in (context.course_input.folder, context.course_input.library.root):
        if root is not None:
            try:
                return str(file.resolve().relative_to(root.resolve()))
            except ValueError:
                continue
    return str(file)


def course_sources(context: BuildContext) -> list[str]:
    return [name for name in ("course.yaml", "assessment.yaml") if context.course_input.folder is not None and (context.course_input.folder / name).is_file()]
