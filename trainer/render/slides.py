"""Slide decks: one 16:9 PPTX per session, every slide on a layout of its template, with
speaker notes on every slide.

A deck has a title slide, the objectives, the slides of each segment marked `slides` (its
points, its quotations and its diagram or chart), a time slide for each stretch of group
work ("Group work until 12:00"), a debrief slide where the plan debriefs an activity, the
country slides the course has filled, and the key messages. What the projector must not
show is a hidden slide: a segment the course does not run (session 5's menu of functions,
to un-hide as chosen) and a country slide the course has not filled yet, which the
checklist lists as to prepare.

The view is the deck's outline (`deck_slides`), paginated against the default template so
that slide numbers do not depend on the writer: the session plans and the checklist name
slides by number (`slide_numbers`, `to_prepare`). The writer fits the text to whichever
template the course uses (its own with `slides.template`: layouts are found by their type and
placeholders, not by position) and draws diagrams with the one diagram renderer.

A template comes from the course folder, so it is untrusted (docs/SECURITY.md): its size and
zip package are checked before python-pptx opens it, and every external relationship it
holds (a hyperlink, an image linked from a URL, a linked OLE object) is dropped from the
decks built on it, so that opening a deck fetches nothing.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from ..models.base import XML_INVALID
from ..models.content import SegmentPart
from ..schedule import PlannedSession
from . import Job, Output
from .common import BuildContext, RenderEnv, file_digest, fixed_zip
from .slide_master import GEOMETRY
from .textfit import LINE_SPACING, wrap

KIND = "slides"
TEMPLATES: tuple[str, ...] = ()

LANGUAGE_TAGS = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "ar": "ar-SA", "ru": "ru-RU"}
"""The `lang` written on every text run (PowerPoint's proofing languages need a region)."""
CONTENT_LANGUAGE = "en"
"""The library's own text is in English until it is translated (README, "language")."""
BODY_SIZES = (24, 22, 20)
"""Bullet sizes the view paginates with: a list that does not fit at 20 pt continues on the
next slide. The writer may go smaller only for a course template with smaller boxes."""
SMALLEST = 14
MAX_SLIDE_TEMPLATE_BYTES = 50 * 1024 * 1024
"""A course's own slide template may be at most 50 MB (its media are copied into every deck)."""
TITLE_SIZES = (32, 28, 24, 22, 20, 18, 16, 14)
FOOTER_SIZES = (12, 11, 10, 9, 8)
BULLET_INDENT = 27.0
"""The default template's hanging indent for bullets, in points."""
PARAGRAPH_GAP = 0.2
"""Space before each bullet, as a share of its size (the master's spcBef of 20 %)."""
CAPTION_SIZE = 14
INSET_X, INSET_Y = 7.2, 3.6
"""python-pptx's (and PowerPoint's) default text-frame margins, in points."""
SLIDE_NUMBER_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"


def clean(text: str) -> str:
    """Text python-pptx can store: no XML-invalid characters."""
    return XML_INVALID.sub("", text or "")


def plain(markdown: str) -> str:
    """One line of Markdown as plain text (emphasis marks dropped)."""
    text = re.sub(r"\*\*(.+?)\*\*|\*(.+?)\*", lambda m: m.group(1) or m.group(2), markdown or "")
    # runs of white space become one space, but a no-break space stays (French puts one
    # before ? : ; ! and inside « »: a line must not start with them)
    return clean(re.sub(r"[^\S\u00a0\u202f]+", " ", text).strip())


# ---------------------------------------------------------------------------- text


def runs(text: str, lang: str) -> list[list[str]]:
    """A piece of text in one language, as the view's list of [text, language] runs."""
    return [[clean(text), lang]] if text else []


def joined(parts: list[list[list[str]]], separator: str = ": ") -> list[list[str]]:
    out: list[list[str]] = []
    for index, part in enumerate(p for p in parts if p):
        if index:
            out.append([separator, out[-1][1]])
        out.extend(part)
    return out


def text_of(value: list[list[str]]) -> str:
    return "".join(run[0] for run in value)


def right_to_left(text: str, default: bool) -> bool:
    """The direction of a paragraph from its first strong character (the Unicode bidi
    algorithm's rule P2), so that English left in an Arabic deck stays left to right."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return default


def markdown_blocks(markdown: str, lang: str) -> list[dict[str, Any]]:
    """Markdown notes as paragraphs of runs with bold and italics, bullet and numbered items;
    the lines of a paragraph joined as they were written (no line breaks inside sentences)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": False}).parse(clean(markdown))
    blocks: list[dict[str, Any]] = []
    lists: list[list[Any]] = []
    item_open = False
    for token in tokens:
        if token.type == "bullet_list_open":
            lists.append(["bullet", 0])
        elif token.type == "ordered_list_open":
            lists.append(["number", int(token.attrGet("start") or 1) - 1])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            if lists and lists[-1][0] == "number":
                lists[-1][1] += 1
            item_open = True
        elif token.type in ("inline", "fence", "code_block"):
            content = _inline_runs(token.children or [], lang) if token.type == "inline" else [[token.content.strip(), lang, False, False]]
            if not any(run[0].strip() for run in content):
                continue
            if lists and item_open:
                block = {"kind": lists[-1][0], "level": len(lists) - 1, "number": lists[-1][1], "runs": content}
                item_open = False
            elif lists:
                block = {"kind": "text", "level": len(lists) - 1, "number": 0, "runs": content}
            else:
                block = {"kind": "text", "level": -1, "number": 0, "runs": content}
            blocks.append(block)
    return blocks


def _inline_runs(children: list[Any], lang: str) -> list[list[Any]]:
    out: list[list[Any]] = []
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
            text = child.content
            if not text:
                continue
            if out and out[-1][2] == bold and out[-1][3] == italic:
                out[-1][0] += text
            else:
                out.append([text, lang, bold, italic])
        elif child.type in ("softbreak", "hardbreak"):
            if out:
                out[-1][0] += " "
        elif child.type == "image":
            out.append([child.content or "", lang, bold, italic])
    for run in out:
        run[0] = re.sub(r" {2,}", " ", run[0])
    if out:
        out[0][0] = out[0][0].lstrip()
        out[-1][0] = out[-1][0].rstrip()
    return out


def note_line(value: list[list[str]], italic: bool = False) -> dict[str, Any]:
    """A plain paragraph of the notes."""
    return {"kind": "text", "level": -1, "number": 0, "runs": [[text, lang, False, italic] for text, lang in value]}


# ---------------------------------------------------------------------------- the outline


@dataclass
class Slide:
    """One slide as the view holds it."""

    layout: str
    """"title", "content", "two-content", "section", "quote" or "image"."""
    title: list[list[str]]
    points: list[dict[str, Any]] = field(default_factory=list)
    """Bullets: {"runs": [[text, language]], "level": 0 or 1}."""
    subtitle: list[list[list[str]]] = field(default_factory=list)
    """Lines under the title (title and section slides)."""
    quote: list[list[str]] = field(default_factory=list)
    attribution: list[list[str]] = field(default_factory=list)
    caption: list[list[str]] = field(default_factory=list)
    """A small line under the points: their source, or that they were written for this course."""
    diagram: dict[str, Any] | None = None
    notes: list[dict[str, Any]] = field(default_factory=list)
    hidden: bool = False
    segment: str | None = None
    role: str = "segment"
    """What the slide is for: "title", "objectives", "segment", "quote", "diagram", "section",
    "time", "debrief", "local", "to-prepare", "key-messages", "continued"."""
    prepare: str = ""
    """For a country slide still to prepare: what the course team puts on it."""


class _Deck:
    """Builds one session's outline."""

    def __init__(self, context: BuildContext, planned: PlannedSession):
        self.context = context
        self.planned = planned
        self.session = planned.session
        self._ = context.translator.gettext
        self.lang = context.translator.language
        self.slides: list[Slide] = []
        self.times = segment_times(context, planned.session.id)
        self.seen_local: set[str] = set()

    # -- helpers

    def fixed(self, text: str) -> list[list[str]]:
        return runs(text, self.lang)

    def content(self, text: str) -> list[list[str]]:
        return runs(plain(text), CONTENT_LANGUAGE)

    def source_line(self, sources: list[Any]) -> dict[str, Any]:
        text = "; ".join(_short_source(source) for source in sources)
        return note_line([[f"{self._('Source')}: ", self.lang], [text, CONTENT_LANGUAGE]], italic=True)

    def when(self, segment_id: str) -> list[list[str]]:
        placed = self.times.get(segment_id)
        if placed is None:
            return []
        day, start, end = placed
        return self.fixed(f"{self._('Day {number}', number=day)}, {self.context.translator.span(start, end)}")

    def segment_notes(self, segment: SegmentPart, hidden: bool) -> list[dict[str, Any]]:
        notes: list[dict[str, Any]] = []
        if hidden:
            notes.append(note_line(self.fixed(self._("Hidden slide: un-hide it to use it in the slide show."))))
        when = self.when(segment.id)
        if when:
            notes.append(note_line(when))
        blocks = markdown_blocks(segment.notes, CONTENT_LANGUAGE)
        offline = getattr(segment, "offline", None)
        if offline and segment.id in self.planned.offline:
            # the course has no internet (or no projector): its way first, as in the session plan
            label = f"{self._('Without internet or projector')} · {self._('applies to this course')}{self.context.translator.colon}"
            notes.append(note_line(self.fixed(label) + self.content(offline)))
        if "no_internet" in self.context.conditions:
            library = self.context.course_input.library
            blocks = [block for block in blocks if not library.needs_internet(" ".join(run[0] for run in block["runs"]))]
        notes.extend(blocks)
        notes.append(self.source_line(self.session.sources[:1]))
        return notes

    def continued(self, hidden: bool) -> list[dict[str, Any]]:
        notes = []
        if hidden:
            notes.append(note_line(self.fixed(self._("Hidden slide: un-hide it to use it in the slide show."))))
        notes.append(note_line(self.fixed(self._("Continued from the previous slide."))))
        return notes

    # -- the deck

    def build(self) -> list[Slide]:
        _ = self._
        session = self.session
        module = self.context.course_input.library.modules.get(session.module)
        subtitle = []
        if module:
            subtitle.append(joined([self.fixed(_("Module {number}", number=module.number)), self.content(module.title)]))
        subtitle.append(runs(self.context.title, self.lang))
        where = self.footer_date()
        place = self.context.course_input.course.city
        if where or place:
            subtitle.append(runs(", ".join(p for p in (where, place) if p), self.lang))
        notes = markdown_blocks(session.aim, CONTENT_LANGUAGE) + markdown_blocks(session.notes, CONTENT_LANGUAGE)
        notes.append(self.source_line(session.sources[:1]))
        self.slides.append(
            Slide(
                "title",
                joined([self.fixed(_("Session {number}", number=session.number)), self.content(session.title)]),
                subtitle=subtitle,
                notes=notes,
                role="title",
            )
        )
        objectives = [{"runs": self.content(o), "level": 0} for o in session.objectives]
        lead = note_line(self.fixed(_("After this session, participants will be able to:")))
        listed = [{"kind": "number", "level": 0, "number": i + 1, "runs": [[plain(o), CONTENT_LANGUAGE, False, False]]} for i, o in enumerate(session.objectives)]
        self.add_points(self.fixed(_("Learning objectives")), objectives, [], [lead, *listed], False, None, "objectives")
        for segment in session.plan:
            hidden = not self.is_run(segment)
            self.add_segment(segment, hidden, parent=None)
            for part in segment.parts:
                self.add_segment(part, hidden or not self.is_run(part), parent=segment)
        if session.key_messages:
            summary = next((s for s in session.plan if s.kind == "summary" and not s.slides and self.is_run(s)), None)
            notes = markdown_blocks(summary.notes, CONTENT_LANGUAGE) if summary else [note_line(self.fixed(_("Sum up the session with these messages.")))]
            notes.append(self.source_line(session.sources[:1]))
            points = [{"runs": self.content(m), "level": 0} for m in session.key_messages]
            self.add_points(self.fixed(_("Key messages")), points, [], notes, False, summary.id if summary else None, "key-messages")
        return self.slides

    def is_run(self, segment: SegmentPart) -> bool:
        """Whether the course runs the segment: an optional one only when it is scheduled."""
        return not segment.optional or segment.id in self.times

    def footer_date(self) -> str:
        from babel.dates import format_date

        first = next(iter(sorted(self.times.values())), None)
        day = first[0] if first else None
        for agenda_day in self.context.agenda.days:
            if agenda_day.number == day and agenda_day.date:
                return format_date(agenda_day.date, "long", locale=self.context.translator.locale)
        return ""

    def add_segment(self, segment: SegmentPart, hidden: bool, parent: SegmentPart | None) -> None:
        start = len(self.slides)
        if segment.slides:
            self.segment_slides(segment, hidden)
        elif segment.kind == "group-work" and not getattr(segment, "parts", []) and segment.id in self.times:
            self.time_slide(segment, hidden)
        elif segment.kind == "debrief" and not getattr(segment, "parts", []):
            self.debrief_slide(segment, hidden, parent)
        if len(self.slides) > start:
            for adaptation in segment.adapt:
                if adaptation.slide and adaptation.when in self.context.conditions:
                    self.local_slide(segment, adaptation, hidden)

    def segment_slides(self, segment: SegmentPart, hidden: bool) -> None:
        title = self.content(segment.title)
        chunks: list[tuple[str, Any]] = []
        captions: list[str] = []
        for point in segment.slide_points:
            text = point.strip()
            if text.startswith(">"):
                chunks.append(("quote", text.lstrip("> ").strip()))
            elif text.lower().startswith("source:") or (text.startswith("(") and text.endswith(")")):
                captions.append(plain(text.strip("()") if text.startswith("(") else text))
            else:
                level = 1 if text.startswith(("– ", "- ")) else 0
                item = {"runs": self.content(text.lstrip("–- ").strip() if level else text), "level": level}
                if chunks and chunks[-1][0] == "points":
                    chunks[-1][1].append(item)
                else:
                    chunks.append(("points", [item]))
        caption = self.content(" · ".join(captions)) if captions else []
        diagram = self.diagram(segment.diagram)
        notes = self.segment_notes(segment, hidden)
        first = len(self.slides)
        beside = diagram is not None and diagram["fit"] == "half" and len(chunks) == 1 and chunks[0][0] == "points"
        if beside and fits(chunks[0][1], GEOMETRY["half-left"][2], GEOMETRY["half-left"][3] - caption_height(caption, GEOMETRY["half-left"][2]), BODY_SIZES[-1]):
            self.slides.append(Slide("two-content", title, points=chunks[0][1], caption=caption, diagram=diagram, notes=notes, hidden=hidden, segment=segment.id))
            return
        last_points = max((i for i, (k, _v) in enumerate(chunks) if k == "points"), default=-1)
        for position, (kind, value) in enumerate(chunks):
            if kind == "quote":
                quote, attribution = split_quote(value)
                self.slides.append(
                    Slide("quote", title, quote=self.content(quote), attribution=self.content(attribution), notes=[], hidden=hidden, segment=segment.id, role="quote")
                )
            else:
                self.add_points(title, value, caption if position == last_points else [], [], hidden, segment.id, "segment")
        if not chunks and diagram is None:
            self.slides.append(Slide("section", title, caption=caption, hidden=hidden, segment=segment.id, role="section"))
        if diagram is not None:
            self.slides.append(
                Slide("image", self.content(diagram["title"]), diagram=diagram, hidden=hidden, segment=segment.id, role="diagram")
            )
        for index, slide in enumerate(self.slides[first:]):
            if index == 0:
                slide.notes = notes
            elif slide.role == "diagram":
                assert diagram is not None
                slide.notes = self.diagram_notes(diagram, hidden)
            else:
                slide.notes = self.continued(hidden)

    def diagram(self, diagram_id: str | None) -> dict[str, Any] | None:
        from .diagrams import diagram_view

        if not diagram_id:
            return None
        diagram = self.context.course_input.library.diagrams.get(diagram_id)
        if diagram is None:
            return None
        return diagram_view(diagram, self._, self.span_of)

    def span_of(self, first: str | None, last: str | None) -> str:
        start = self.times.get(first or "")
        end = self.times.get(last or first or "")
        if start is None or end is None:
            return ""
        return self.context.translator.span(start[1], end[2])

    def diagram_notes(self, diagram: dict[str, Any], hidden: bool) -> list[dict[str, Any]]:
        notes = []
        if hidden:
            notes.append(note_line(self.fixed(self._("Hidden slide: un-hide it to use it in the slide show."))))
        notes.append(note_line(runs(diagram["description"], CONTENT_LANGUAGE)))
        notes.extend(markdown_blocks(diagram["notes"], CONTENT_LANGUAGE))
        notes.append(note_line([[diagram["caption"], self.lang]], italic=True))
        return notes

    def add_points(self, title: list[list[str]], points: list[dict[str, Any]], caption: list[list[str]], notes: list[dict[str, Any]], hidden: bool, segment: str | None, role: str) -> None:
        pages = paginate(points, caption)
        for index, page in enumerate(pages):
            shown = title if len(pages) == 1 else [*title, [f" ({index + 1}/{len(pages)})", title[-1][1]]]
            slide = Slide("content", shown, points=page, caption=caption if index == len(pages) - 1 else [], hidden=hidden, segment=segment, role=role if index == 0 else "continued")
            slide.notes = notes if index == 0 else self.continued(hidden)
            self.slides.append(slide)

    def time_slide(self, segment: SegmentPart, hidden: bool) -> None:
        _ = self._
        day, start, end = self.times[segment.id]
        activity_id = self.planned.activity_for(segment)
        activity = self.context.course_input.library.activities.get(activity_id or "")
        subtitle = [self.content(segment.title)]
        if activity is not None:
            mine, theirs = plain(segment.title).lower(), plain(activity.title).lower()
            if mine in theirs:  # "What are human rights? (part I)" and the activity's fuller title
                subtitle = [self.content(activity.title)]
            elif theirs not in mine:
                subtitle.append(self.content(activity.title))
        self.slides.append(
            Slide(
                "section",
                self.fixed(_("Group work until {time}", time=self.context.translator.time(end))),
                subtitle=subtitle,
                notes=self.segment_notes(segment, hidden),
                hidden=hidden,
                segment=segment.id,
                role="time",
            )
        )

    def debrief_slide(self, segment: SegmentPart, hidden: bool, parent: SegmentPart | None) -> None:
        activity_id = self.planned.activity_for(segment)
        if not activity_id and parent is not None:
            siblings = [parent, *parent.parts[: parent.parts.index(segment)]]
            activity_id = next((self.planned.activity_for(s) for s in reversed(siblings) if self.planned.activity_for(s)), None)
        activity = self.context.course_input.library.activities.get(activity_id or "")
        questions = [{"runs": self.content(q), "level": 0} for q in (activity.debrief if activity else [])]
        title = self.content(segment.title)
        notes = self.segment_notes(segment, hidden)
        if questions:
            self.add_points(title, questions, [], notes, hidden, segment.id, "debrief")
        else:
            self.slides.append(Slide("section", title, notes=notes, hidden=hidden, segment=segment.id, role="debrief"))

    def local_slide(self, segment: SegmentPart, adaptation: Any, hidden: bool) -> None:
        """A country or region slide: filled from the assessment (the treaties ratified), or
        hidden and listed for the course team to prepare, never projected empty."""
        _ = self._
        assessment = self.context.course_input.assessment
        country = assessment.context.country or self.context.course_input.course.country
        checked = assessment.context.treaties_checked_on
        treaties = assessment.context.treaties_ratified
        filled = adaptation.when == "country" and adaptation.lists_treaties and bool(treaties)
        date = checked.isoformat() if (checked and filled) else _("date to be added")
        title = adaptation.slide
        for slot, value in (("<country>", country), ("<region>", assessment.context.region or _("the region")),
                            ("<date checked>", date), ("<date>", date), ("<year>", _("year to be added"))):
            title = title.replace(slot, value)
        if title in self.seen_local:
            return
        self.seen_local.add(title)
        notes = markdown_blocks(adaptation.do, CONTENT_LANGUAGE)
        if filled:
            points = [{"runs": runs(t.name + (f" ({t.ratified})" if t.ratified else ""), self.lang), "level": 0} for t in treaties]
            source = (
                _("As listed in the course's needs assessment, checked on {date} against the OHCHR ratification database.", date=checked.isoformat())
                if checked
                else _("As listed in the course's needs assessment: not yet checked against the OHCHR ratification database; check before the course.")
            )
            self.add_points(runs(title, self.lang), points, self.fixed(source), notes, hidden, segment.id, "local")
            return
        notes.insert(0, note_line(self.fixed(_("To be supplied by the course team from the needs assessment (see the session plan)."))))
        notes.insert(0, note_line(self.fixed(_("Hidden slide: un-hide it to use it in the slide show."))))
        self.slides.append(
            Slide("content", runs(title, self.lang), notes=notes, hidden=True, segment=segment.id, role="to-prepare", prepare=plain(adaptation.do))
        )


def _short_source(source: Any) -> str:
    text = source.doc
    if source.pages:
        text += f", p. {source.pages}"
    return text


def split_quote(text: str) -> tuple[str, str]:
    """“The words” (their source) -> the words with their quotation marks, and the source."""
    match = re.match(r"^(.*[”\"»])\s*\((.+)\)\s*$", text, flags=re.S)
    if match:
        return match.group(1).strip(), match.group(2).strip()
    return text, ""


def segment_times(context: BuildContext, session_id: str) -> dict[str, tuple[int, int, int]]:
    """Each scheduled segment (and part) of a session: its day, start and end in minutes."""
    out: dict[str, tuple[int, int, int]] = {}

    def visit(day: int, segments: list[Any]) -> None:
        for segment in segments:
            if segment.id != "break":
                out[segment.id] = (day, segment.start, segment.end)
            visit(day, segment.parts)

    for day in context.agenda.days:
        for item in day.items:
            if item.session == session_id:
                visit(day.number, item.segments)
    return out


# ---------------------------------------------------------------------------- measuring


def points_height(points: list[dict[str, Any]], width: float, size: int) -> float:
    """Height of bullets in a text frame `width` points wide at `size` (level 1 a size smaller)."""
    total = 0.0
    for point in points:
        level = point.get("level", 0)
        point_size = size if level == 0 else max(size - 4, SMALLEST)
        text_width = width - 2 * INSET_X - BULLET_INDENT * (level + 1)
        lines = len(wrap(text_of(point["runs"]), text_width, point_size))
        total += lines * point_size * LINE_SPACING + point_size * PARAGRAPH_GAP
    return total + 2 * INSET_Y


def caption_height(caption: list[list[str]], width: float) -> float:
    if not caption:
        return 0.0
    lines = len(wrap(text_of(caption), width - 2 * INSET_X, CAPTION_SIZE))
    return lines * CAPTION_SIZE * LINE_SPACING + 2 * INSET_Y + 6


def fits(points: list[dict[str, Any]], width: float, height: float, size: int) -> bool:
    return points_height(points, width, size) <= height


def paginate(points: list[dict[str, Any]], caption: list[list[str]] = []) -> list[list[dict[str, Any]]]:  # noqa: B006
    """Points split into slides that each fit the default template's body at 20 pt or more."""
    x, y, width, height = GEOMETRY["body"]
    available = height - caption_height(caption, width)
    if not points or fits(points, width, available, BODY_SIZES[-1]):
        return [points]
    points = [_fit_alone(p, width, available) for p in points]
    pages: list[list[dict[str, Any]]] = [[]]
    for point in points:
        if pages[-1] and not fits([*pages[-1], point], width, available, BODY_SIZES[-1]):
            pages.append([])
        pages[-1].append(point)
    # the same number of slides, the points shared out evenly (5 + 1 reads worse than 3 + 3)
    count = len(pages)
    cuts = [round(len(points) * i / count) for i in range(count + 1)]
    even = [points[cuts[i] : cuts[i + 1]] for i in range(count)]
    if all(page and fits(page, width, available, BODY_SIZES[-1]) for page in even):
        return even
    return pages


def _fit_alone(point: dict[str, Any], width: float, height: float) -> dict[str, Any]:
    """A point too long for a slide of its own (careless content: a 3,000-character word) is
    cut, with an ellipsis, to what fits: its full text stays in the session plan."""
    if fits([point], width, height, BODY_SIZES[-1]):
        return point
    text = text_of(point["runs"])
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        trial = {**point, "runs": [[text[:middle] + "…", point["runs"][0][1]]]}
        if fits([trial], width, height, BODY_SIZES[-1]):
            low = middle
        else:
            high = middle - 1
    return {**point, "runs": [[text[:low].rstrip() + "…", point["runs"][0][1]]]}


def fitted_title(text: str, width: float, height: float, sizes: tuple[int, ...] = TITLE_SIZES) -> tuple[str, int]:
    """The largest title size at which the title fits its box; a title that fits at none is
    cut with an ellipsis (the session plan keeps it whole)."""
    for size in sizes:
        if len(wrap(text, width, size, True)) * size * LINE_SPACING <= height:
            return text, size
    size = sizes[-1]
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if len(wrap(text[:middle] + "…", width, size, True)) * size * LINE_SPACING <= height:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…", size


# ---------------------------------------------------------------------------- what others read


def deck_slides(context: BuildContext, planned: PlannedSession) -> list[Slide]:
    """What a session's deck shows, slide by slide, in order (hidden slides included)."""
    return _Deck(context, planned).build()


def slide_numbers(context: BuildContext, planned: PlannedSession) -> dict[str, list[int]]:
    """Segment id -> the numbers of its slides in the session's deck (hidden ones included),
    so that a session plan can say "slides 14-15 (hidden: un-hide if you choose it)"."""
    out: dict[str, list[int]] = {}
    for number, slide in enumerate(deck_slides(context, planned), start=1):
        if slide.segment:
            out.setdefault(slide.segment, []).append(number)
    return out


def hidden_slides(context: BuildContext, planned: PlannedSession) -> list[int]:
    """The numbers of the deck's hidden slides."""
    return [number for number, slide in enumerate(deck_slides(context, planned), start=1) if slide.hidden]


def to_prepare(context: BuildContext) -> list[dict[str, Any]]:
    """Country and region slides the course has not filled: hidden in the decks until the
    course team prepares them. Each: session id and number, deck file, slide number, title,
    and what to put on it (for the preparation checklist)."""
    out = []
    for planned in context.plan:
        for number, slide in enumerate(deck_slides(context, planned), start=1):
            if slide.role == "to-prepare":
                out.append(
                    {
                        "session": planned.session.id,
                        "session_number": planned.session.number,
                        "deck": deck_file(planned),
                        "slide": number,
                        "title": text_of(slide.title),
                        "what": slide.prepare,
                    }
                )
    return out


def deck_file(planned: PlannedSession) -> str:
    return f"slides/session-{planned.session.number}.pptx"


# ---------------------------------------------------------------------------- jobs


def jobs(context: BuildContext) -> list[Job]:
    template = context.course_input.course.slides.template
    folder = context.course_input.folder
    template_view = None
    if template and folder is not None:
        path = folder / template
        template_view = {"name": template, "path": str(path.resolve()), "sha256": file_digest(path, MAX_SLIDE_TEMPLATE_BYTES)}
    translator = context.translator
    out = []
    for planned in context.plan:
        deck = _Deck(context, planned)
        slides = [asdict(slide) for slide in deck.build()]
        footer_date = deck.footer_date()
        view = {
            "file": deck_file(planned),
            "deck_title": f"{context.title} · {translator.gettext('Session {number}', number=planned.session.number)}",
            "footer": [context.title, footer_date] if footer_date else [context.title],
            "language": LANGUAGE_TAGS.get(translator.language, translator.language),
            "content_language": LANGUAGE_TAGS[CONTENT_LANGUAGE],
            "rtl": translator.direction == "rtl",
            "slides": slides,
            "template": template_view,
        }
        out.append(Job(KIND, planned.id, view, weight=2))
    return out


def run(env: RenderEnv, job: Job) -> list[Output]:
    return [Output(job.view["file"], _deck(env, job.view))]


# ---------------------------------------------------------------------------- the writer


def _deck(env: RenderEnv, view: dict[str, Any]) -> bytes:
    from .slide_master import default_template

    template = view["template"]
    if not template:
        return _fill(default_template(view["rtl"], view["language"]), env, view)
    from ..errors import TrainerError

    try:
        presentation = _open_template(template)
        _drop_slides(presentation)
        return _fill(presentation, env, view)
    except TrainerError:
        raise
    except Exception as error:  # noqa: BLE001 - python-pptx resolves a template's parts lazily, and fails in many ways
        raise TrainerError(
            f"slides.template: '{template['name']}' cannot be used: a part of it is damaged or missing "
            f"({type(error).__name__}); open and save it again in PowerPoint or LibreOffice"
        ) from None


def _fill(presentation: Any, env: RenderEnv, view: dict[str, Any]) -> bytes:
    """Add the deck's slides to a presentation (the course's template, or the default one) and save it."""
    writer = _Writer(presentation, view)
    for data in view["slides"]:
        writer.slide(data)
    for part in presentation.part.package.iter_parts():
        # a chart's data travels as an embedded workbook stamped with the time it was written
        if str(part.partname).startswith("/ppt/embeddings/") and str(part.partname).endswith(".xlsx"):
            part._blob = fixed_zip(part.blob, env.created)
    properties = presentation.core_properties
    properties.title = clean(view["deck_title"])[:255]
    properties.author = properties.last_modified_by = "trainer"
    properties.language = view["language"]
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


def _drop_slides(presentation: Any) -> None:
    """A course template may hold example slides: the deck starts from its layouts only."""
    slide_ids = presentation.slides._sldIdLst
    for slide_id in list(slide_ids):
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)


def find_layouts(presentation: Any) -> dict[str, Any]:
    """The layout for each role, found by the layout's type and its placeholders (a course's
    template may name and order its layouts as it likes, in any language)."""
    from pptx.enum.shapes import PP_PLACEHOLDER as P

    found: dict[str, Any] = {}
    facts = []
    for layout in presentation.slide_layouts:
        kinds = [ph.placeholder_format.type for ph in layout.placeholders]
        bodies = [k for k in kinds if k in (P.BODY, P.OBJECT)]
        facts.append(
            {
                "layout": layout,
                "type": layout._element.get("type", ""),
                "title": P.TITLE in kinds or P.CENTER_TITLE in kinds,
                "centre": P.CENTER_TITLE in kinds or P.SUBTITLE in kinds,
                "bodies": len(bodies),
                "picture": P.PICTURE in kinds,
                "name": layout.name.lower(),
            }
        )

    def first(test: Any) -> Any:
        return next((f["layout"] for f in facts if test(f)), None)

    found["title"] = first(lambda f: f["type"] == "title") or first(lambda f: f["centre"] and f["title"]) or presentation.slide_layouts[0]
    found["content"] = (
        first(lambda f: f["type"] in ("obj", "tx") and f["title"] and f["bodies"] == 1)
        or first(lambda f: f["title"] and f["bodies"] == 1 and not f["centre"] and not f["picture"])
        or first(lambda f: f["title"] and f["bodies"] >= 1)
        or found["title"]
    )
    found["two-content"] = first(lambda f: f["type"] == "twoObj" and f["bodies"] >= 2) or first(
        lambda f: f["title"] and f["bodies"] == 2 and not f["picture"] and f["type"] not in ("twoTxTwoObj", "objTx")
    )
    found["section"] = first(lambda f: f["type"] == "secHead") or first(lambda f: f["type"] == "titleOnly") or found["content"]
    found["quote"] = first(lambda f: re.search(r"quot|zitat|citat|cita|цитат|اقتباس", f["name"]) and f["title"])
    # a picture layout only when its picture area is about as large as the content area
    # (many templates' "Picture with Caption" has a small one); else a title-only layout
    body = _body_area(found["content"])
    roomy = lambda f: f["title"] and f["picture"] and _picture_area(f["layout"]) >= 0.8 * body  # noqa: E731
    found["image"] = first(lambda f: f["type"] == "picTx" and roomy(f)) or first(roomy) or first(lambda f: f["type"] == "titleOnly")
    return found


def _body_area(layout: Any) -> float:
    from pptx.enum.shapes import PP_PLACEHOLDER as P

    areas = [ph.width * ph.height for ph in layout.placeholders if ph.placeholder_format.type in (P.BODY, P.OBJECT) and ph.width]
    return max(areas, default=0)


def _picture_area(layout: Any) -> float:
    from pptx.enum.shapes import PP_PLACEHOLDER as P

    areas = [ph.width * ph.height for ph in layout.placeholders if ph.placeholder_format.type == P.PICTURE and ph.width]
    return max(areas, default=0)


class _Writer:
    """Writes the slides of one deck into a presentation, from the view alone."""

    def __init__(self, presentation: Any, view: dict[str, Any]):
        self.presentation = presentation
        self.view = view
        self.layouts = find_layouts(presentation)
        self.lang = view["language"]
        self.rtl = view["rtl"]
        self.width = presentation.slide_width / 12700
        self.height = presentation.slide_height / 12700
        self.number = 0

    # -- text

    def paragraph_text(self, paragraph: Any, value: list[list[str]], size: float | None, bold: bool | None = None, italic: bool | None = None, align: str | None = None) -> None:
        """Fill a paragraph with runs, each marked with its language; the paragraph's direction
        follows its own text."""
        from pptx.enum.text import PP_ALIGN
        from pptx.util import Pt

        text = text_of(value)
        rtl = right_to_left(text, self.rtl)
        properties = paragraph._p.get_or_add_pPr()
        if self.rtl or rtl:
            properties.set("rtl", "1" if rtl else "0")
            if align is None and rtl != self.rtl:
                paragraph.alignment = PP_ALIGN.RIGHT if rtl else PP_ALIGN.LEFT
        if align is not None:
            paragraph.alignment = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT, "center": PP_ALIGN.CENTER}[align]
        for text_run, lang in value:
            run = paragraph.add_run()
            run.text = clean(text_run)
            run._r.get_or_add_rPr().set("lang", self.tag(lang))
            if size:
                run.font.size = Pt(size)
            if bold is not None:
                run.font.bold = bold
            if italic is not None:
                run.font.italic = italic
        end = paragraph._p.get_or_add_endParaRPr()
        end.set("lang", self.tag(value[-1][1]) if value else self.lang)

    def tag(self, lang: str) -> str:
        return LANGUAGE_TAGS.get(lang, lang) if len(lang) == 2 else lang

    # -- slides

    def slide(self, data: dict[str, Any]) -> None:
        self.number += 1
        layout_name = data["layout"]
        layout = self.layouts.get(layout_name) or self.layouts["content"]
        slide = self.presentation.slides.add_slide(layout)
        used: set[int] = set()
        title = slide.shapes.title
        if title is not None:
            self.fill_title(title, data["title"], bold=None)
            used.add(title.placeholder_format.idx)
        else:  # a template whose layout has no title: a plain title box, still first in reading order
            self.title_box(slide, data["title"])
        bodies = sorted(
            (ph for ph in slide.placeholders if ph.placeholder_format.idx != 0 and _is_body(ph)),
            key=lambda ph: ph.placeholder_format.idx,
        )
        picture = next((ph for ph in slide.placeholders if _is_picture(ph)), None)
        kind = layout_name if self.layouts.get(layout_name) is not None else "fallback-" + layout_name
        if data["layout"] == "title":
            if bodies:
                self.fill_lines(bodies[0], data["subtitle"], (20, 18, 16, 14, 12))
                used.add(bodies[0].placeholder_format.idx)
        elif data["layout"] == "section":
            if bodies and data["subtitle"]:
                self.fill_lines(bodies[0], data["subtitle"], (24, 22, 20, 18, 16, 14, 12))
                used.add(bodies[0].placeholder_format.idx)
            elif data["subtitle"]:  # a section layout without a text placeholder
                from pptx.util import Pt

                x, y, w, h = self.body_rect(None)
                box = slide.shapes.add_textbox(Pt(x), Pt(y), Pt(w), Pt(h))
                box.name = "Subtitle"
                self.fill_lines(box, data["subtitle"], (24, 22, 20, 18, 16, 14, 12))
            if data["caption"]:
                self.caption(slide, data["caption"], self.body_rect(bodies[0] if bodies else None))
        elif data["layout"] == "quote":
            self.quote(slide, bodies, data, used, kind)
        elif data["layout"] == "image":
            area_shape = picture or (bodies[0] if bodies else None)
            area = self.body_rect(area_shape) if area_shape is not None else self.below_title(slide, layout)
            self.diagram(slide, data["diagram"], area)
        else:
            body = bodies[0] if bodies else None
            area = self.body_rect(body)
            diagram_area = None
            if data["layout"] == "two-content":
                if len(bodies) >= 2 and kind == "two-content":
                    diagram_area = self.body_rect(bodies[1])
                else:  # no two-content layout: points on the leading half, diagram on the other
                    half = (area[2] - 24) / 2
                    lead = (area[0] + half + 24, area[1], half, area[3]) if self.rtl else (area[0], area[1], half, area[3])
                    diagram_area = (area[0], area[1], half, area[3]) if self.rtl else (area[0] + half + 24, area[1], half, area[3])
                    area = lead
                    if body is not None:
                        self.place(body, area)
            if body is not None and data["role"] == "to-prepare":
                used.add(body.placeholder_format.idx)  # left empty for the course team to fill
            if body is not None and data["points"]:
                caption_room = min(caption_height(data["caption"], area[2]), area[3] / 2)
                if caption_room:
                    self.place(body, (area[0], area[1], area[2], area[3] - caption_room))
                self.fill_points(body, data["points"])
                used.add(body.placeholder_format.idx)
            if data["caption"]:
                self.caption(slide, data["caption"], area)
            if diagram_area is not None and data["diagram"]:
                self.diagram(slide, data["diagram"], diagram_area, caption=True)
        for placeholder in list(slide.placeholders):
            if placeholder.placeholder_format.idx not in used and placeholder.placeholder_format.idx != 0:
                placeholder._element.getparent().remove(placeholder._element)
        if data["layout"] != "title":
            self.footer(slide, layout)
        if data["hidden"]:
            slide._element.set("show", "0")
        self.notes(slide, data["notes"])

    def body_rect(self, shape: Any) -> tuple[float, float, float, float]:
        if shape is None:
            margin = self.width * 0.05
            return (margin, self.height * 0.22, self.width - 2 * margin, self.height * 0.66)
        return (shape.left / 12700, shape.top / 12700, shape.width / 12700, shape.height / 12700)

    def below_title(self, slide: Any, layout: Any) -> tuple[float, float, float, float]:
        """The free area of a title-only slide: under the title, above the footer."""
        from pptx.enum.shapes import PP_PLACEHOLDER as P

        title = slide.shapes.title
        if title is None:
            return self.body_rect(None)
        top = (title.top + title.height) / 12700 + 12
        footers = [ph.top / 12700 for ph in layout.placeholders if ph.placeholder_format.type in (P.FOOTER, P.SLIDE_NUMBER, P.DATE) and ph.top]
        bottom = min([f for f in footers if f > top] or [self.height * 0.93]) - 8
        return (title.left / 12700, top, title.width / 12700, max(bottom - top, self.height * 0.3))

    def place(self, shape: Any, box: tuple[float, float, float, float]) -> None:
        from pptx.util import Pt

        shape.left, shape.top, shape.width, shape.height = (Pt(v) for v in box)

    def fill_title(self, shape: Any, value: list[list[str]], bold: bool | None) -> None:
        width, height = shape.width / 12700 - 2 * INSET_X, shape.height / 12700 - 2 * INSET_Y
        text = text_of(value)
        shown, size = fitted_title(text, width, height)
        if shown != text:
            value = [[shown, value[0][1]]]
        frame = shape.text_frame
        frame.word_wrap = True
        self.paragraph_text(frame.paragraphs[0], value, size, bold=bold)

    def title_box(self, slide: Any, value: list[list[str]]) -> None:
        from pptx.util import Pt

        box = slide.shapes.add_textbox(Pt(self.width * 0.05), Pt(self.height * 0.04), Pt(self.width * 0.9), Pt(self.height * 0.15))
        box.name = "Title"
        box.text_frame.word_wrap = True
        self.fill_title(box, value, bold=True)

    def fill_lines(self, shape: Any, lines: list[list[list[str]]], sizes: tuple[int, ...]) -> None:
        width, height = shape.width / 12700 - 2 * INSET_X, shape.height / 12700 - 2 * INSET_Y
        size = next(
            (s for s in sizes if sum(len(wrap(text_of(line), width, s)) * s * LINE_SPACING for line in lines) <= height),
            sizes[-1],
        )
        frame = shape.text_frame
        frame.word_wrap = True
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            self.paragraph_text(paragraph, line, size)
            _no_bullet(paragraph)  # lines under a title, never bullets (whatever the layout says)

    def fill_points(self, shape: Any, points: list[dict[str, Any]]) -> None:
        """Bullets as paragraph levels of the body placeholder, at the largest size that fits."""
        width, height = shape.width / 12700, shape.height / 12700
        sizes = [s for s in range(BODY_SIZES[0], SMALLEST - 1, -1)]
        size = next((s for s in sizes if fits(points, width, height, s)), SMALLEST)
        frame = shape.text_frame
        frame.word_wrap = True
        for index, point in enumerate(points):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.level = point.get("level", 0)
            self.paragraph_text(paragraph, point["runs"], size if paragraph.level == 0 else max(size - 4, SMALLEST))

    def caption(self, slide: Any, value: list[list[str]], area: tuple[float, float, float, float]) -> None:
        from pptx.util import Pt

        x, y, w, h = area
        height = caption_height(value, w) - 6
        box = slide.shapes.add_textbox(Pt(x), Pt(y + h - height), Pt(w), Pt(height))
        box.name = "Source"
        frame = box.text_frame
        frame.word_wrap = True
        self.paragraph_text(frame.paragraphs[0], value, CAPTION_SIZE, italic=True)

    def quote(self, slide: Any, bodies: list[Any], data: dict[str, Any], used: set[int], kind: str) -> None:
        from pptx.util import Pt

        if kind == "quote" and len(bodies) >= 2:
            quote_shape, source_shape = bodies[0], bodies[1]
        else:
            quote_shape, source_shape = (bodies[0] if bodies else None), None
        if quote_shape is None:
            x, y, w, h = self.body_rect(None)
            quote_shape = slide.shapes.add_textbox(Pt(x), Pt(y), Pt(w), Pt(h))
        width, height = quote_shape.width / 12700 - 2 * INSET_X, quote_shape.height / 12700 - 2 * INSET_Y
        text = text_of(data["quote"])
        with_source = [data["attribution"]] if (data["attribution"] and source_shape is None) else []
        size = next(
            (s for s in (28, 26, 24, 22, 20, 18) if len(wrap(text, width, s)) * s * LINE_SPACING + sum(len(wrap(text_of(a), width, 18)) * 18 * LINE_SPACING for a in with_source) <= height),
            18,
        )
        frame = quote_shape.text_frame
        frame.word_wrap = True
        paragraph = frame.paragraphs[0]
        self.paragraph_text(paragraph, data["quote"], size, italic=True)
        _no_bullet(paragraph)
        for attribution in with_source:
            line = frame.add_paragraph()
            self.paragraph_text(line, attribution, 18, italic=False, align="left" if self.rtl else "right")
            _no_bullet(line)
        if getattr(quote_shape, "is_placeholder", False):
            used.add(quote_shape.placeholder_format.idx)
        if source_shape is not None and data["attribution"]:
            self.fill_lines(source_shape, [data["attribution"]], (18, 16, 14))
            used.add(source_shape.placeholder_format.idx)

    def diagram(self, slide: Any, view: dict[str, Any], area: tuple[float, float, float, float], caption: bool = True) -> None:
        from .diagrams import Rect, add_to_slide, draw

        drawing = draw(view, Rect(*area), rtl=self.rtl, caption=caption)
        add_to_slide(slide, drawing, clean(view["description"]), self.tag(CONTENT_LANGUAGE), lambda text: right_to_left(text, self.rtl))

    def footer(self, slide: Any, layout: Any) -> None:
        """The course and date in the footer placeholder, and the slide number as a field,
        cloned from the layout (or the master) so that they sit where the template puts them."""
        from pptx.enum.shapes import PP_PLACEHOLDER as P
        from pptx.util import Pt

        sources = {}
        for owner in (layout, layout.slide_master):
            for placeholder in owner.placeholders:
                kind = placeholder.placeholder_format.type
                if kind in (P.FOOTER, P.SLIDE_NUMBER) and kind not in sources:
                    sources[kind] = (placeholder, owner is layout)
        if P.FOOTER in sources:
            origin, inherited = sources[P.FOOTER]
            slide.shapes.clone_placeholder(origin)
            footer = slide.shapes[-1]
            if not inherited:
                self.place(footer, (origin.left / 12700, origin.top / 12700, origin.width / 12700, origin.height / 12700))
            width = footer.width / 12700 - 2 * INSET_X
            height = footer.height / 12700 - 2 * INSET_Y
            parts = self.view["footer"]
            text = " · ".join(parts)
            size = next((s for s in FOOTER_SIZES if len(wrap(text, width, s)) == 1 and s * LINE_SPACING <= height), None)
            if size is None:  # too long for one line: the course title alone
                text = parts[0]
                size = next((s for s in FOOTER_SIZES if len(wrap(text, width, s)) * s * LINE_SPACING <= height), FOOTER_SIZES[-1])
            frame = footer.text_frame
            frame.word_wrap = True
            self.paragraph_text(frame.paragraphs[0], [[text, self.lang]], size)
        if P.SLIDE_NUMBER in sources:
            origin, inherited = sources[P.SLIDE_NUMBER]
            slide.shapes.clone_placeholder(origin)
            number = slide.shapes[-1]
            if not inherited:
                self.place(number, (origin.left / 12700, origin.top / 12700, origin.width / 12700, origin.height / 12700))
            height = number.height / 12700 - 2 * INSET_Y
            _slide_number_field(number, self.number, self.lang, next((s for s in FOOTER_SIZES if s * LINE_SPACING <= height), FOOTER_SIZES[-1]))
        else:
            box = slide.shapes.add_textbox(Pt(self.width - 96), Pt(self.height - 40), Pt(60), Pt(24))
            box.name = "Slide number"
            _slide_number_field(box, self.number, self.lang, 12)

    def notes(self, slide: Any, blocks: list[dict[str, Any]]) -> None:
        frame = slide.notes_slide.notes_text_frame
        frame.clear()
        for index, block in enumerate(blocks):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            _note_paragraph(paragraph, block, self)


def _is_body(placeholder: Any) -> bool:
    from pptx.enum.shapes import PP_PLACEHOLDER as P

    return placeholder.placeholder_format.type in (P.BODY, P.OBJECT, P.SUBTITLE)


def _is_picture(placeholder: Any) -> bool:
    from pptx.enum.shapes import PP_PLACEHOLDER as P

    return placeholder.placeholder_format.type == P.PICTURE


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _no_bullet(paragraph: Any) -> None:
    from lxml import etree

    properties = paragraph._p.get_or_add_pPr()
    properties.set("marL", "0")
    properties.set("indent", "0")
    for old in properties.findall(f"{{{_A}}}buNone"):
        properties.remove(old)
    properties.insert(0, etree.Element(f"{{{_A}}}buNone"))


def _slide_number_field(shape: Any, number: int, lang: str, size: int) -> None:
    from lxml import etree

    paragraph = shape.text_frame.paragraphs[0]
    field_element = etree.SubElement(paragraph._p, f"{{{_A}}}fld")
    field_element.set("id", SLIDE_NUMBER_FIELD)
    field_element.set("type", "slidenum")
    properties = etree.SubElement(field_element, f"{{{_A}}}rPr")
    properties.set("lang", lang)
    properties.set("sz", str(size * 100))
    etree.SubElement(field_element, f"{{{_A}}}t").text = str(number)
    end = paragraph._p.find(f"{{{_A}}}endParaRPr")
    if end is not None:
        paragraph._p.remove(end)
        paragraph._p.append(end)


def _note_paragraph(paragraph: Any, block: dict[str, Any], writer: _Writer) -> None:
    """A paragraph of the speaker notes: bold and italics as runs, lists as real bullets."""
    from lxml import etree
    from pptx.util import Pt

    text = "".join(run[0] for run in block["runs"])
    rtl = right_to_left(text, writer.rtl)
    properties = paragraph._p.get_or_add_pPr()
    if writer.rtl or rtl:
        properties.set("rtl", "1" if rtl else "0")
        properties.set("algn", "r" if rtl else "l")
    level = block["level"]
    indent = 342900
    if block["kind"] in ("bullet", "number"):
        properties.set("marL", str(indent * (level + 1)))
        properties.set("indent", str(-indent))
        if block["kind"] == "bullet":
            etree.SubElement(properties, f"{{{_A}}}buFont").set("typeface", "Arial")
            etree.SubElement(properties, f"{{{_A}}}buChar").set("char", "•" if level % 2 == 0 else "–")
        else:
            number = etree.SubElement(properties, f"{{{_A}}}buAutoNum")
            number.set("type", "arabicPeriod")
            number.set("startAt", str(block["number"]))
    else:
        properties.set("marL", str(indent * (level + 1)) if level >= 0 else "0")
        properties.set("indent", "0")
        etree.SubElement(properties, f"{{{_A}}}buNone")
    for text_run, lang, bold, italic in block["runs"]:
        run = paragraph.add_run()
        run.text = clean(text_run)
        run._r.get_or_add_rPr().set("lang", writer.tag(lang))
        run.font.size = Pt(12)
        if bold:
            run.font.bold = True
        if italic:
            run.font.italic = True
