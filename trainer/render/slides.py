"""Slide decks: one 16:9 PPTX per session, with the facilitator notes as speaker notes.

A deck has a title slide, the objectives, a slide for each segment marked `slides`, the key
messages, and the local-context slides the course asks for. Text is measured (textfit) and
a list too long for its box continues on a second slide. A course may name its own .pptx
(`slides.template`); its first layout is used for titles and its second for content. A
template comes from the course folder, so it is untrusted (docs/SECURITY.md): its size and
zip package are checked before python-pptx opens it, and every external relationship it
holds (a hyperlink, an image linked from a URL, a linked OLE object) is dropped from the
decks built on it, so that opening a deck fetches nothing.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from ..models.base import XML_INVALID
from ..models.content import SegmentPart
from ..schedule import PlannedSession
from . import Job, Output
from .common import BuildContext, RenderEnv, file_digest, fixed_zip
from .textfit import bullets_height, wrap

KIND = "slides"
TEMPLATES: tuple[str, ...] = ()

EMU_PER_POINT = 12700
WIDTH, HEIGHT = 13.333 * 72, 7.5 * 72  # points, 16:9
MARGIN = 48
TITLE_SIZE = 30
BODY_SIZES = (24, 22, 20)
BODY_TOP = 130
BODY_BOTTOM = HEIGHT - 60
MAX_SLIDE_TEMPLATE_BYTES = 50 * 1024 * 1024
"""A course's own slide template may be at most 50 MB (its media are copied into every deck)."""


def clean(text: str) -> str:
    """Text python-pptx can store: no XML-invalid characters."""
    return XML_INVALID.sub("", text)


def plain(markdown: str) -> str:
    """Markdown notes as plain text for the speaker notes pane."""
    text = re.sub(r"\*\*(.+?)\*\*|\*(.+?)\*", lambda m: m.group(1) or m.group(2), markdown or "")
    text = re.sub(r"^\s*[-*]\s+", "• ", text, flags=re.M)
    return clean(text.strip())


@dataclass
class Slide:
    title: str
    points: list[str]
    notes: str = ""
    kind: str = "content"  # "title", "content", "section"
    subtitle: str = ""


def _points_from_notes(notes: str) -> list[str]:
    points = [m.group(1).strip() for m in re.finditer(r"^\s*[-*]\s+(.+)$", notes or "", flags=re.M)]
    return [plain(p)[:160] for p in points[:5]]


def _local_slide(context: BuildContext, adaptation: Any) -> Slide:
    """A local-context slide: the treaties ratified from the assessment, or a slot to fill."""
    _ = context.translator.gettext
    assessment = context.course_input.assessment
    country = assessment.context.country or context.course_input.course.country
    checked = assessment.context.treaties_checked_on
    treaties = assessment.context.treaties_ratified
    about_treaties = adaptation.lists_treaties
    date = checked.isoformat() if (checked and about_treaties and treaties) else _("date to be added")
    title = adaptation.slide
    for slot, value in (("<country>", country), ("<region>", assessment.context.region or _("the region")),
                        ("<date checked>", date), ("<date>", date), ("<year>", _("year to be added"))):
        title = title.replace(slot, value)
    title = clean(title)
    if adaptation.when == "country" and treaties and about_treaties:
        points = [f"{t.name}" + (f" ({t.ratified})" if t.ratified else "") for t in treaties]
        source = (
            _("As listed in the course's needs assessment, checked on {date} against the OHCHR ratification database.", date=checked.isoformat())
            if checked
            else _("As listed in the course's needs assessment: not yet checked against the OHCHR ratification database; check before the course.")
        )
        return Slide(title, [*points, source], plain(adaptation.do))
    return Slide(title, [_("To be supplied by the course team from the needs assessment (see the session plan).")], plain(adaptation.do))


def deck_slides(context: BuildContext, planned: PlannedSession) -> list[Slide]:
    """What a session's deck says, slide by slide, before any layout."""
    _ = context.translator.gettext
    session = planned.session
    slides = [
        Slide(
            f"{_('Session {number}', number=session.number)}: {session.title}",
            [],
            plain(session.aim),
            "title",
            context.title,
        ),
        Slide(_("Learning objectives"), [plain(o) for o in session.objectives], _("After this session, participants will be able to:")),
    ]
    scheduled = {
        s.id
        for day in context.agenda.days
        for item in day.items
        if item.session == session.id
        for s in item.segments
    }

    def add(segment: SegmentPart) -> None:
        if not segment.slides:
            return
        points = [plain(p) for p in segment.slide_points] or _points_from_notes(segment.notes) or [plain(segment.title)]
        slides.append(Slide(clean(segment.title), points, plain(segment.notes)))
        for adaptation in segment.adapt:
            if adaptation.slide and adaptation.when in context.conditions:
                slides.append(_local_slide(context, adaptation))

    for segment in session.plan:
        if segment.optional and segment.id not in scheduled:
            continue
        add(segment)
        for part in segment.parts:
            add(part)
    if session.key_messages:
        slides.append(Slide(_("Key messages"), [plain(m) for m in session.key_messages]))
    return slides


def fit_box(text: str, width: float, height: float, sizes: tuple[int, ...], bold: bool) -> tuple[str, int]:
    """The largest of `sizes` at which `text` fits the box; at the smallest, the text cut with
    an ellipsis to what fits (slide titles are short: the full text is in the session plan)."""
    text = clean(text)
    for size in sizes:
        if bullets_height([text], width - 24, size, bold=bold) <= height:
            return text, size
    size = sizes[-1]
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if bullets_height([text[:middle] + "…"], width - 24, size, bold=bold) <= height:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…", size


def _shown(points: list[str]) -> list[str]:
    """Points as the slide shows them, bullet included, for measuring."""
    return [f"•  {point}" for point in points]


def _fit_alone(point: str, width: float, size: int, available: float) -> str:
    """A point too long for a slide of its own is cut, with an ellipsis, to what fits: the
    full text stays in the speaker notes and the session plan."""
    if bullets_height(_shown([point]), width, size) <= available:
        return point
    low, high = 1, len(point)
    while low < high:
        middle = (low + high + 1) // 2
        if bullets_height(_shown([point[:middle] + "…"]), width, size) <= available:
            low = middle
        else:
            high = middle - 1
    return point[:low].rstrip() + "…"


def paginate(slide: Slide, width: float = WIDTH - 2 * MARGIN) -> list[tuple[Slide, int]]:
    """Split a slide whose points do not fit into continuation slides; return each with its font size."""
    available = BODY_BOTTOM - BODY_TOP
    for size in BODY_SIZES:
        if bullets_height(_shown(slide.points), width - 24, size) <= available:
            return [(slide, size)]
    size = BODY_SIZES[-1]
    pages: list[list[str]] = [[]]
    for point in (_fit_alone(point, width - 24, size, available) for point in slide.points):
        if pages[-1] and bullets_height(_shown([*pages[-1], point]), width - 24, size) > available:
            pages.append([])
        pages[-1].append(point)
    out = []
    for index, points in enumerate(pages):
        title = slide.title if index == 0 else f"{slide.title} ({index + 1}/{len(pages)})"
        out.append((Slide(title, points, slide.notes, slide.kind), size))
    return out


def jobs(context: BuildContext) -> list[Job]:
    from dataclasses import asdict

    template = context.course_input.course.slides.template
    folder = context.course_input.folder
    template_view = None
    if template and folder is not None:
        path = folder / template
        template_view = {"name": template, "path": str(path.resolve()), "sha256": file_digest(path, MAX_SLIDE_TEMPLATE_BYTES)}
    out = []
    for planned in context.plan:
        slides = [asdict(slide) for slide in deck_slides(context, planned)]
        view = {
            "file": f"slides/session-{planned.session.number}.pptx",
            "title": context.title,
            "deck_title": f"{context.title} · Session {planned.session.number}",
            "slides": slides,
            "template": template_view,
        }
        out.append(Job(KIND, planned.id, view, weight=2))
    return out


def run(env: RenderEnv, job: Job) -> list[Output]:
    return [Output(job.view["file"], _deck(env, job.view))]


def _deck(env: RenderEnv, view: dict[str, Any]) -> bytes:
    from pptx import Presentation
    from pptx.util import Pt

    template = view["template"]
    if not template:
        presentation = Presentation()
        presentation.slide_width, presentation.slide_height = Pt(WIDTH), Pt(HEIGHT)
        return _fill(presentation, env, view, own_layouts=False)
    from ..errors import TrainerError

    try:
        return _fill(_open_template(template), env, view, own_layouts=True)
    except TrainerError:
        raise
    except Exception as error:  # noqa: BLE001 - python-pptx resolves a template's parts lazily, and fails in many ways
        raise TrainerError(
            f"slides.template: '{template['name']}' cannot be used: a part of it is damaged or missing "
            f"({type(error).__name__}); open and save it again in PowerPoint or LibreOffice"
        ) from None


def _fill(presentation: Any, env: RenderEnv, view: dict[str, Any], own_layouts: bool) -> bytes:
    """Add the deck's slides to a presentation (the course's template, or a blank one) and save it."""
    for data in view["slides"]:
        slide = Slide(**data)
        pages = [(slide, TITLE_SIZE)] if slide.kind == "title" else paginate(slide)
        for page, size in pages:
            if own_layouts:
                _template_slide(presentation, page, size)
            else:
                _drawn_slide(presentation, page, size, view["title"])
    properties = presentation.core_properties
    properties.title = clean(view["deck_title"])[:255]
    properties.author = properties.last_modified_by = "trainer"
    properties.created = properties.modified = env.created.replace(tzinfo=None)
    properties.revision = 1
    buffer = io.BytesIO()
    presentation.save(buffer)
    return fixed_zip(buffer.getvalue(), env.created)


def _open_template(template: dict[str, Any]) -> Any:
    """The course's template as a python-pptx Presentation, checked before it is opened and
    with its external relationships dropped; a TrainerError names it when it cannot be used."""
    from pathlib import Path

    from pptx import Presentation

    from ..errors import TrainerError
    from ..files import archive_problem

    path = Path(template["path"])
    problem = None
    try:
        if path.stat().st_size > MAX_SLIDE_TEMPLATE_BYTES:
            problem = f"larger than {MAX_SLIDE_TEMPLATE_BYTES // 1024 // 1024} MB"
    except OSError as error:
        problem = f"cannot be read ({error.strerror})"
    problem = problem or archive_problem(path)
    if problem:
        raise TrainerError(f"slides.template: '{template['name']}': {problem}")
    try:
        presentation = Presentation(str(path))
    except Exception as error:  # noqa: BLE001 - python-pptx raises many kinds on a broken file
        raise TrainerError(f"slides.template: '{template['name']}' cannot be opened as a presentation ({type(error).__name__})") from None
    if len(presentation.slide_layouts) == 0:
        raise TrainerError(f"slides.template: '{template['name']}' has no slide layouts to build the decks on")
    drop_external_links(presentation)
    return presentation


_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_HYPERLINKS = {"hlinkClick", "hlinkHover", "hlinkMouseOver"}
_SHAPES = {"sp", "pic", "graphicFrame", "cxnSp", "grpSp", "contentPart"}


def drop_external_links(presentation: Any) -> int:
    """Remove every relationship to something outside the package (URLs, files elsewhere),
    and what refers to it: a hyperlink loses its link (the text stays), a linked image loses
    its link, any other element that refers to one (a linked OLE object, a linked movie) is
    removed with the shape that holds it. Returns how many relationships were dropped."""
    dropped = 0
    for part in list(presentation.part.package.iter_parts()):
        external = {rid for rid, rel in part.rels.items() if rel.is_external}
        if not external:
            continue
        root = getattr(part, "_element", None)
        if root is not None:
            for element in list(root.iter()):
                if not isinstance(element.tag, str):
                    continue
                refs = [name for name, value in element.attrib.items() if name.startswith(_R) and value in external]
                if not refs:
                    continue
                local = element.tag.rsplit("}", 1)[-1]
                if local in _HYPERLINKS:
                    element.getparent().remove(element)
                elif local == "blip":
                    for name in refs:
                        del element.attrib[name]
                else:
                    victim = element
                    while victim.getparent() is not None and victim.tag.rsplit("}", 1)[-1] not in _SHAPES:
                        victim = victim.getparent()
                    if victim.getparent() is not None:
                        victim.getparent().remove(victim)
                    else:
                        for name in refs:
                            del element.attrib[name]
        for rid in external:
            part.rels.pop(rid)
            dropped += 1
    return dropped


def _drawn_slide(presentation: Any, slide: Slide, size: int, course_title: str) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Pt

    accent = RGBColor(0x0A, 0x5E, 0x8C)
    page = presentation.slides.add_slide(presentation.slide_layouts[6])
    if slide.kind == "title":
        band = page.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Pt(WIDTH), Pt(HEIGHT))
        band.fill.solid()
        band.fill.fore_color.rgb = accent
        band.line.fill.background()
        title, title_size = fit_box(slide.title, WIDTH - 2 * MARGIN, 150, (36, 30, 24), True)
        _textbox(page, title, MARGIN, 170, WIDTH - 2 * MARGIN, 150, title_size, True, RGBColor(0xFF, 0xFF, 0xFF))
        subtitle, subtitle_size = fit_box(slide.subtitle, WIDTH - 2 * MARGIN, 80, (18, 16, 14), False)
        _textbox(page, subtitle, MARGIN, 330, WIDTH - 2 * MARGIN, 80, subtitle_size, False, RGBColor(0xDD, 0xE8, 0xF0))
    else:
        bar = page.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Pt(12), Pt(HEIGHT))
        bar.fill.solid()
        bar.fill.fore_color.rgb = accent
        bar.line.fill.background()
        title, title_size = fit_box(slide.title, WIDTH - 2 * MARGIN, 84, (TITLE_SIZE, 24, 20), True)
        _textbox(page, title, MARGIN, 36, WIDTH - 2 * MARGIN, 84, title_size, True, accent)
        box = page.shapes.add_textbox(Pt(MARGIN), Pt(BODY_TOP), Pt(WIDTH - 2 * MARGIN), Pt(BODY_BOTTOM - BODY_TOP))
        frame = box.text_frame
        frame.word_wrap = True
        for index, point in enumerate(slide.points):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.text = f"•  {clean(point)}"
            paragraph.font.size = Pt(size)
            paragraph.space_after = Pt(size * 0.35)
        footer, _size = fit_box(course_title, WIDTH - 2 * MARGIN - 60, 14, (10,), False)
        _textbox(page, footer, MARGIN, HEIGHT - 36, WIDTH - 2 * MARGIN - 60, 24, 10, False, RGBColor(0x5B, 0x66, 0x73))
    if slide.notes:
        page.notes_slide.notes_text_frame.text = slide.notes


def _textbox(page: Any, text: str, left: float, top: float, width: float, height: float, size: int, bold: bool, color: Any) -> None:
    from pptx.util import Pt

    box = page.shapes.add_textbox(Pt(left), Pt(top), Pt(width), Pt(height))
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.text = clean(text)
    paragraph.font.size = Pt(size)
    paragraph.font.bold = bold
    paragraph.font.color.rgb = color


def _template_slide(presentation: Any, slide: Slide, size: int) -> None:
    from pptx.util import Pt

    layouts = presentation.slide_layouts
    layout = layouts[0] if slide.kind == "title" or len(layouts) < 2 else layouts[1]  # at least one: _open_template
    page = presentation.slides.add_slide(layout)
    placeholders = list(page.placeholders)
    if page.shapes.title is not None:
        page.shapes.title.text = fit_box(slide.title, WIDTH - 2 * MARGIN, 90, (TITLE_SIZE, 24), True)[0]
    body = next((p for p in placeholders if p.placeholder_format.idx != 0), None)
    if body is not None:
        frame = body.text_frame
        lines = slide.points if slide.kind != "title" else [slide.subtitle]
        for index, point in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.text = clean(point)
            paragraph.font.size = Pt(size if slide.kind != "title" else 20)
    if slide.notes:
        page.notes_slide.notes_text_frame.text = slide.notes
