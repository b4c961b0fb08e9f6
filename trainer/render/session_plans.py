"""Facilitator session plans: each session as PDF and DOCX, and the combined facilitator guide.

Each session plan is one tree of blocks (trainer/render/document.py), written by the HTML
writer (laid out as PDF) and by the DOCX writer, so that the two say the same. In reading
order: the run sheet; the overview; before the session (preparation, notes, tips); the
plans of the day's recap, wrap-up or close that the agenda places next to the session; the
timed session plan; the optional segments the course could add, one line each; additional
resources and practice examples; the annexes (activities, optional segments, about the
timings); sources.

The guide is one document: a cover, the contents (with links and the page numbers its
footers print), how the course was adapted, then every session plan, its pages numbered
through, with a bookmark per session and per segment.
"""

from __future__ import annotations

from typing import Any

from ..models import Activity, Session
from ..models.content import Segment, SegmentPart
from ..schedule import Item, PlannedSession, ScheduledSegment
from . import Job, Output
from .common import BuildContext, RenderEnv, docx_bytes, layout, render_html, sources_text
from .document import (
    Block,
    Box,
    Column,
    Heading,
    Items,
    Para,
    Row,
    Section,
    Span,
    Table,
    from_markdown,
    inline_markdown,
    label_para,
    text,
)
from .run_sheets import (
    fixed_between,
    placed_segments,
    session_items,
    session_table,
    slide_text,
    slot_format,
    slot_title,
    spare_after,
)

KIND = "session-plans"
TEMPLATES = ("facilitator-guide.html",)
USES = ("run_sheets", "document", "document_html", "document_docx")

CONDITIONS = {
    "country": "If the course is held in, or focuses on, a particular country",
    "region": "If the course focuses on a region",
    "no_internet": "If there is no internet connection",
    "no_projector": "If there is no projector",
    "low_experience": "If participants have little experience of human rights or migration",
    "high_experience": "If participants are experienced",
    "more_than_three_days": "If the course lasts more than three days",
    "consecutive_interpretation": "With consecutive interpretation",
    "lived_experience": "If participants have lived experience of migration",
    "sensitive_context": "In a sensitive context",
    "large_group": "With more than 24 participants",
    "sector_government": "For government participants",
    "sector_ngo": "For NGO participants",
    "sector_nhri": "For NHRI participants",
    "sector_un": "For UN participants",
    "accessibility": "If participants have accessibility needs",
}

SEGMENT_BOOKMARK = 3
"""Segments are bookmarked under their session (1) and its "Session plan" heading (2)."""


# ---------------------------------------------------------------------------- when


def when(context: BuildContext, items: list[tuple[int, Item]]) -> str:
    """"Day 2, 10:15–13:00" for a session's agenda lines (spans of one day merged)."""
    _ = context.translator.gettext
    by_day: dict[int, list[tuple[int, int]]] = {}
    for day, item in items:
        spans = by_day.setdefault(day, [])
        if spans and spans[-1][1] == item.start:
            spans[-1] = (spans[-1][0], item.end)
        else:
            spans.append((item.start, item.end))
    merged = [
        f"{_('Day {number}', number=day)}, {'; '.join(context.translator.span(a, b) for a, b in spans)}"
        for day, spans in by_day.items()
    ]
    return " · ".join(merged) or _("Not in this course's agenda")


def _first_lower(value: str) -> str:
    return value[:1].lower() + value[1:] if value[:2] != value[:2].upper() else value


def _condition(context: BuildContext, condition: str) -> str:
    return context.translator.gettext(CONDITIONS[condition])


# ---------------------------------------------------------------------------- the plan table


class _PlanWriter:
    """Builds one session's blocks from the prepared course."""

    def __init__(self, context: BuildContext, planned: PlannedSession, slots: dict[str, list[tuple[int, Item]]]) -> None:
        self.context = context
        self.planned = planned
        self.session = planned.session
        self._ = context.translator.gettext
        self.items = session_items(context, planned.id)
        self.placed = placed_segments(self.items)
        self.day_of = {s.id: day for day, item in self.items for placed in item.segments for s in (placed, *placed.parts)}
        """Segment id -> the day it runs on (a session may run over a night)."""
        self.spare = spare_after(self.items)
        self.slots = slots
        self.library = context.course_input.library
        from .slides import slide_numbers

        self.slides = slide_numbers(context, planned)

    def md(self, source: str | None) -> list[Block]:
        return from_markdown(source, self.context.markdown_base)

    def inline(self, source: str | None) -> list[Span]:
        return inline_markdown(source, self.context.markdown_base)

    @property
    def anchor(self) -> str:
        return self.session.id

    # ------------------------------------------------------------------ the whole session

    def blocks(self, module_heading: str) -> Section:
        _ = self._
        session = self.session
        heading = _("Session {number}", number=session.number) + self.context.translator.colon + session.title
        meta = " · ".join(x for x in (when(self.context, self.items), session.duration.describe(), session.methods) if x)
        blocks: list[Block] = []
        if module_heading:
            blocks.append(Para(text(module_heading), "module-line"))
        blocks += [
            Heading(1, text(heading), id=self.anchor, bookmark=1),
            Para(text(meta), "session-meta"),
            Heading(2, text(_("Run sheet")), id=f"{self.anchor}-run-sheet"),
            session_table(self.context, self.planned),
            *self.overview(),
            *self.before(),
        ]
        before, after = self.slot_sections()
        blocks += before
        blocks += self.plan_table()
        blocks += after
        blocks += self.optional_menu()
        blocks += self.additional()
        blocks += self.examples()
        blocks += self.activities_annex()
        blocks += self.optional_annex()
        blocks += self.timings_annex()
        blocks.append(Para(text(f"{_('Sources')}: {sources_text(session.sources)}"), "sources"))
        return Section(blocks, "session", id=f"{self.anchor}-section", title=heading)

    # ------------------------------------------------------------------ overview and preparation

    def overview(self) -> list[Block]:
        _ = self._
        session = self.session
        rows = [Row([[Para(text(_("Aim")))], self.md(session.aim)], head=True)]
        for label, values in (
            (_("Content"), session.content),
            (_("Learning objectives"), session.objectives),
            (_("Key messages"), session.key_messages),
        ):
            if values:
                rows.append(Row([[Para(text(label))], [Items([[Para(self.inline(v))] for v in values])]], head=True))
        return [Heading(2, text(_("Overview")), id=f"{self.anchor}-overview"),
                Table([Column("", 24, "ov-label"), Column("", 76, "ov-value")], rows, "overview", header=False)]

    def before(self) -> list[Block]:
        _ = self._
        session = self.session
        library = self.library
        blocks: list[Block] = [Heading(2, text(_("Before the session")), id=f"{self.anchor}-before")]
        running = {p.id for p in self.context.plan}
        for dependency in session.builds_on:
            if dependency.session in library.sessions and dependency.session not in running:
                number = library.sessions[dependency.session].number
                inner: list[Block] = [Para([Span(dependency.what[:1].upper() + dependency.what[1:] + ". ", bold=True),
                                            Span(_("Instead") + ":")]), *self.md(dependency.instead)]
                if dependency.minutes:
                    inner.append(Para(text(_("{minutes} min, taken from this session's time", minutes=dependency.minutes)), "note"))
                blocks.append(Box(_("Session {number} is not in this course", number=number), inner, "reminder"))
        blocks += self.md(session.notes)
        if session.preparation:
            blocks += [Para(text(_("Preparation"), bold=True), "label", keep_with_next=True),
                       Items([[Para(self.inline(x))] for x in session.preparation])]
        needs: list[Row] = []
        equipment = [x for x in session.equipment if not self._unavailable(x)]
        for label, values in (
            (_("Equipment"), [self.inline(x) for x in equipment]),
            (_("Handouts"), [text(t) for t in self._titles(session.handouts, library.handouts)]),
            (_("Activities"), [text(t) for t in self._titles(session.activities, library.activities)]),
            (_("Other resources"), [self.inline(x) for x in session.other_resources if not self._unavailable(x)]),
        ):
            if values:
                needs.append(Row([[Para(text(label))], [Items([[Para(v)] for v in values])]], head=True))
        if needs:
            blocks.append(Table([Column("", 24, "ov-label"), Column("", 76, "ov-value")], needs, "overview", header=False))
        for entry in library.local_context.values():
            if entry.session == session.id:
                blocks.append(self._local_box(entry))
        if session.tips:
            blocks.append(Box(_("Tips"), [Items([[Para(self.inline(t))] for t in session.tips])], "tip"))
        for reminder in session.reminders:
            blocks.append(Box(_("Reminder"), self.md(reminder), "reminder"))
        return blocks

    def _titles(self, ids: list[str], table: dict[str, Any]) -> list[str]:
        return [table[i].title if i in table else i for i in ids]

    def _unavailable(self, value: str) -> bool:
        """An item a course without internet cannot have (the offline rule removes it everywhere)."""
        return "no_internet" in self.context.conditions and self.library.needs_internet(value)

    def _local_box(self, entry: Any) -> Box:
        _ = self._
        inner: list[Block] = [Para(text(entry.title, bold=True)), *self.md(entry.body),
                              Para(text(f"{_('Source')}: {entry.source} · "
                                        + _("checked on {date} by {name}", date=entry.checked_on.isoformat(), name=entry.checked_by)),
                                   "sources")]
        if entry.departs_from_guide:
            inner.append(Para([Span(_("departs from the guide") + ": ", bold=True), *self.inline(entry.departs_from_guide)]))
        return Box(_("Local material"), inner, "local")

    # ------------------------------------------------------------------ the timed plan

    def plan_table(self) -> list[Block]:
        """The timed plan: each segment under a heading with its clock time (a bookmark in
        the PDF, a heading in Word), then what to do; breaks and fixed items in their place."""
        _ = self._
        blocks: list[Block] = [Heading(2, text(_("Session plan")), id=f"{self.anchor}-plan")]
        pauses = [(day, s.start, s.end, _("Break")) for day, item in self.items for s in item.segments if s.id == "break"]
        for day, item in fixed_between(self.context, self.items):
            title = slot_title(self.context, item, day)
            if item.kind in ("recap", "wrap-up", "close"):
                title += " · " + _("its plan follows the session plan")
            pauses.append((day, item.start, item.end, title))
        pauses.sort()
        last_day = self.items[0][0] if self.items else 0
        for segment in self.session.plan:
            where = self.placed.get(segment.id)
            if where is None:
                continue  # optional and not run: one line in the menu after the plan
            at = (self.day_of.get(segment.id, last_day), where.start)
            while pauses and (pauses[0][0], pauses[0][2]) <= at:
                day, start, end, title = pauses.pop(0)
                if day != last_day:
                    blocks.append(Para(text(_("Day {number}", number=day), bold=True), "pause day keep"))
                    last_day = day
                blocks.append(self._pause(start, end, title))
            if at[0] != last_day:
                blocks.append(Para(text(_("Day {number}", number=at[0]), bold=True), "pause day keep"))
                last_day = at[0]
            blocks += self._segment(segment, where, 3)
            menu_left: list[SegmentPart] = []
            for part in segment.parts:
                part_where = self.placed.get(part.id)
                if part_where is not None:
                    blocks += self._segment(part, part_where, 4)
                elif part.optional and segment.menu is not None:
                    menu_left.append(part)
            if menu_left:
                blocks.append(self._menu_left(menu_left))
            spare = self.spare.get(segment.id)
            if spare:
                blocks.append(self._pause(where.end, where.end + spare, _("Time in hand")))
        return blocks

    def _pause(self, start: int, end: int, title: str) -> Para:
        minutes = self._("{minutes} min", minutes=end - start)
        return Para([Span(self.context.translator.span(start, end) + "  ", bold=True), Span(title, bold=True),
                     Span(f" · {minutes}", muted=True)], "pause")

    def _segment(self, segment: SegmentPart, where: ScheduledSegment, level: int) -> list[Block]:
        _ = self._
        context = self.context
        planned = self.planned
        heading = Heading(level, [Span(context.translator.span(where.start, where.end) + "  ", muted=True), Span(segment.title)],
                          id=f"{self.anchor}-{segment.id}", css="segment" if level == 3 else "segment part")
        facts = [self._minutes_text(segment, where)]
        if segment.optional:
            facts.append(_("optional, included"))
        numbers = self.slides.get(segment.id)
        if numbers:
            facts.append(_("slides {numbers}", numbers=slide_text(numbers)))
        if segment.id in planned.offline:
            facts.append(_("offline alternative in this course"))
        activity = planned.activity_for(segment)
        if segment.activity and segment.activity in self.library.activities:
            facts.append(_("activity: {title}", title=self.library.activities[segment.activity].title))
        if segment.lead:
            from .run_sheets import lead_text

            facts.append(lead_text(self.context, segment.lead))
        blocks: list[Block] = [heading, Para(text(" · ".join(facts)), "segment-meta keep")]
        reason = planned.menu_reasons.get(segment.id)
        if reason:
            blocks.append(Para([Span(_("Chosen for this course") + ": ", bold=True), Span(reason)], "note"))
        blocks += self.md(segment.notes)
        if segment.choice:
            choices: list[list[Block]] = []
            for alternative in segment.choice:
                name = alternative.label or (self.library.activities[alternative.activity].title
                                             if alternative.activity in self.library.activities else alternative.activity)
                chosen = alternative.activity == activity
                spans = [Span(("☑ " if chosen else "☐ ") + name, bold=chosen)]
                detail = alternative.notes if chosen and alternative.notes else alternative.when
                if detail:
                    spans += [Span(" — "), *self.inline(detail)]
                choices.append([Para(spans)])
            blocks.append(Items(choices, css="choice"))
        blocks += self._adaptations(segment)
        for reminder in segment.reminders:
            blocks.append(Box(_("Reminder"), self.md(reminder), "reminder"))
        resources = [r for r in segment.resources if not self._unavailable(r)]
        if resources:
            blocks.append(label_para(_("Resources"), text("; ".join(resources)), "resources"))
        return blocks

    def _adaptations(self, segment: SegmentPart) -> list[Block]:
        """The variants that apply to this course in full; the others named in one line."""
        _ = self._
        conditions = self.context.conditions
        blocks: list[Block] = []
        others: list[str] = []
        for adaptation in segment.adapt:
            label = _condition(self.context, adaptation.when)
            if adaptation.when in conditions:
                blocks.append(Box(f"{label} · {_('applies to this course')}", self.md(adaptation.do), "applies"))
            elif label not in others:
                others.append(label)
        if segment.offline:
            offline = segment.id in self.planned.offline or "no_internet" in conditions or "no_projector" in conditions
            if offline:
                blocks.append(Box(f"{_('Without internet or projector')} · {_('applies to this course')}",
                                  self.md(segment.offline), "applies"))
            else:
                others.append(_("Without internet or projector"))
        if others:
            blocks.append(Para([Span(_("Also covered for other courses") + ": ", bold=True),
                                Span("; ".join(_first_lower(o) for o in others) + ".")], "note"))
        return blocks

    def _menu_left(self, parts: list[SegmentPart]) -> Block:
        _ = self._
        lines = [[Para([Span(part.title), Span(f" · {part.minutes.describe()}", muted=True)])] for part in parts]
        return Box(_("Also on the menu, not chosen"), [Items(lines)], "menu")

    def _minutes_text(self, segment: SegmentPart, placed: ScheduledSegment) -> str:
        guide = segment.minutes.describe()
        if placed.minutes == segment.minutes.high and not segment.minutes.is_range:
            return guide
        return f"{self._('{minutes} min', minutes=placed.minutes)} ({self._('guide')}: {guide})"

    # ------------------------------------------------------------------ slots

    def slot_sections(self) -> tuple[list[Block], list[Block]]:
        """The plans of the fixed items the agenda places next to this session: a recap just
        before its first part goes before the timed plan; the others after it."""
        before: list[Block] = []
        after: list[Block] = []
        first = self.items[0] if self.items else None
        for day, item in self.slots.get(self.session.id, []):
            blocks = slot_blocks(self.context, item, day, self.anchor)
            if first is not None and item.kind == "recap" and day == first[0] and item.end <= first[1].start:
                before += blocks
            else:
                after += blocks
        return before, after

    # ------------------------------------------------------------------ optional segments

    def _not_run(self) -> list[Segment | SegmentPart]:
        out: list[Segment | SegmentPart] = []
        for segment in self.session.plan:
            if segment.id not in self.placed:
                if segment.optional:
                    out.append(segment)
                continue
            if segment.menu is None:
                out.extend(part for part in segment.parts if part.optional and part.id not in self.placed)
        return out

    def optional_menu(self) -> list[Block]:
        """Optional segments the course does not run: one line each."""
        _ = self._
        left = self._not_run()
        if not left:
            return []
        lines = []
        for segment in left:
            when_ = "; ".join(_first_lower(_condition(self.context, c)) for c in segment.include_if) or _("if there is time")
            why = _("excluded in this course") if segment.id in self.planned.excluded else _("add {when}", when=when_)
            lines.append([Para([Span(segment.title, bold=True), Span(f" · {segment.minutes.describe()} · "), Span(why)])])
        return [Heading(2, text(_("Optional segments not in this plan")), id=f"{self.anchor}-optional"),
                Para(text(_("Their notes are in the annex at the end of this session.")), "note"), Items(lines)]

    def optional_annex(self) -> list[Block]:
        _ = self._
        left = [s for s in self._not_run()]
        menu_left = [p for s in self.session.plan if s.menu is not None and s.id in self.placed
                     for p in s.parts if p.optional and p.id not in self.placed]
        left += menu_left
        if not left:
            return []
        blocks: list[Block] = [Heading(2, text(_("Annex: optional segments not in this plan")), id=f"{self.anchor}-annex-optional")]
        for segment in left:
            blocks.append(Heading(3, text(f"{segment.title} · {segment.minutes.describe()}"), id=f"{self.anchor}-optional-{segment.id}"))
            blocks += self.md(segment.notes)
            applying = [a for a in segment.adapt if a.when in self.context.conditions]
            for adaptation in applying:
                blocks.append(Box(f"{_condition(self.context, adaptation.when)} · {_('applies to this course')}",
                                  self.md(adaptation.do), "applies"))
        return blocks

    # ------------------------------------------------------------------ resources and examples

    def additional(self) -> list[Block]:
        _ = self._
        resources = self.session.additional_resources
        if not resources:
            return []
        lines = []
        for resource in resources:
            meta = ", ".join(x for x in (resource.by, resource.published, resource.language) if x)
            spans = [Span(resource.title, bold=True)]
            if meta:
                spans.append(Span(f" ({meta})"))
            if resource.description:
                spans.append(Span(". " + resource.description.strip()))
            if resource.url:
                spans += [Span("\n"), Span(resource.url, href=resource.url)]
            lines.append([Para(spans)])
        return [Heading(2, text(_("Additional resources")), id=f"{self.anchor}-resources"), Items(lines, css="resources-list")]

    def examples(self) -> list[Block]:
        _ = self._
        examples = self.context.examples.get(self.session.id, [])
        if not examples:
            return []
        blocks: list[Block] = [
            Heading(2, text(_("Practice examples for this course")), id=f"{self.anchor}-examples"),
            Para(text(_("Chosen from the source documents for this course's country, region or themes. Each is dated: check what has happened since before you use it.")), "note"),
        ]
        for example in examples:
            cited = example.source
            pages = cited.pages or ""
            where = cited.doc + (f", para. {cited.paragraphs}" if cited.paragraphs
                                 else (f", p. {pages}" if pages[:1].isdigit() else f", {pages}"))
            place = example.country or ", ".join(example.regions)
            as_of = cited.as_of.isoformat() if cited.as_of else ""
            blocks.append(Box(example.title + (f" · {place}" if place else ""),
                              [*self.md(example.summary),
                               Para(text(f"{_('Source')}: {where} · {_('as of {date}', date=as_of)}"), "sources")], "example"))
        return blocks

    # ------------------------------------------------------------------ annexes

    def activities_annex(self) -> list[Block]:
        _ = self._
        used: list[str] = []
        for segment in self.session.segments():
            if segment.id in self.placed:
                for activity in self.planned.activities_for(segment):
                    if activity not in used and activity in self.library.activities:
                        used.append(activity)
        if not used:
            return []
        blocks: list[Block] = [Heading(2, text(_("Annex: activities used in this session")), id=f"{self.anchor}-annex-activities")]
        for activity_id in used:
            blocks += self._activity(self.library.activities[activity_id])
        return blocks

    def _activity(self, activity: Activity) -> list[Block]:
        _ = self._
        library = self.library
        careful = activity.id in self.planned.do_no_harm
        chosen_variant = self.planned.variants.get(activity.id)
        blocks: list[Block] = [
            Heading(3, text(activity.title), id=f"{self.anchor}-activity-{activity.id}"),
            label_para(_("Purpose"), self.inline(activity.purpose)),
            Para([Span(_("Duration") + ": ", bold=True), Span(activity.minutes.describe()),
                  Span(" · " + _("Grouping") + ": ", bold=True), Span(activity.grouping)]),
        ]
        if activity.materials:
            blocks.append(label_para(_("Materials"), text("; ".join(f"{m.item} ({m.quantity} per {m.per})" for m in activity.materials))))
        if activity.handouts:
            blocks.append(label_para(_("Handouts"), text("; ".join(
                f"{library.handouts[h.handout].title if h.handout in library.handouts else h.handout} ({h.quantity} per {h.per})"
                for h in activity.handouts))))
        if activity.setup:
            blocks += [Para(text(_("Set-up"), bold=True), "label", keep_with_next=True), *self.md(activity.setup)]
        blocks += [Para(text(_("Steps"), bold=True), "label", keep_with_next=True),
                   Items([self.md(step) for step in activity.steps], ordered=True)]
        if activity.debrief:
            blocks += [Para(text(_("Debrief"), bold=True), "label", keep_with_next=True),
                       Items([[Para(self.inline(q))] for q in activity.debrief])]
        others = []
        for variant in activity.variants:
            if variant.id == chosen_variant:
                inner: list[Block] = [*self.md(variant.notes)]
                if variant.steps:
                    inner.append(Items([self.md(s) for s in variant.steps], ordered=True))
                if variant.questions:
                    inner.append(Items([[Para(self.inline(q))] for q in variant.questions]))
                blocks.append(Box(f"{_('Variant')}: {variant.title} · {_('used in this course')}", inner, "applies"))
            else:
                others.append(variant.title)
        if others:
            blocks.append(Para([Span(_("Other variants in the content") + ": ", bold=True), Span("; ".join(others) + ".")], "note"))
        if activity.do_no_harm:
            title = _("Do no harm") + (f" · {_('applies to this course')}" if careful else "")
            blocks.append(Box(title, self.md(activity.do_no_harm), "reminder applies" if careful else "reminder"))
        if activity.lower_exposure:
            if careful:
                blocks.append(Box(f"{_('Lower-exposure variant')} · {_('recommended for this course')}",
                                  self.md(activity.lower_exposure), "applies"))
            else:
                blocks.append(Para([Span(_("Lower-exposure variant") + ": ", bold=True),
                                    Span(_("in the content, for groups with lived experience of migration or in a sensitive context."))],
                                   "note"))
        if activity.tips:
            blocks.append(Box(_("Tips"), [Items([[Para(self.inline(t))] for t in activity.tips])], "tip"))
        return blocks

    def timings_annex(self) -> list[Block]:
        _ = self._
        session = self.session
        if not (session.timing_notes or session.duration_note):
            return []
        return [Heading(2, text(_("Annex: about the timings")), id=f"{self.anchor}-annex-timings"),
                *self.md(session.duration_note), *self.md(session.timing_notes)]


# ---------------------------------------------------------------------------- slot plans


def slot_blocks(context: BuildContext, item: Item, day: int, anchor: str) -> list[Block]:
    """The plan of a recap, wrap-up or close as the agenda places it: its purpose and running
    order, the format of the day in full (recaps and wrap-ups rotate), the other formats in
    one line, the materials and forms."""
    _ = context.translator.gettext
    slot, chosen = slot_format(context, item.kind, item)
    title = slot_title(context, item, day)
    heading = f"{title} · {_('Day {number}', number=day)}, {context.translator.span(item.start, item.end)}"
    if slot is None:
        return []  # a library without slot plans (modules/slots/): the agenda names the item, nothing more
    blocks: list[Block] = [Heading(2, text(heading), id=f"{anchor}-{item.kind}-day-{day}", css="slot")]
    base = context.markdown_base
    blocks.append(Para(inline_markdown(" ".join(slot.purpose.split()), base)))
    blocks += from_markdown(slot.notes, base)
    library = context.course_input.library
    forms = [library.forms[f].title for f in slot.forms if f in library.forms]
    if forms:
        blocks.append(label_para(_("Forms"), text("; ".join(forms))))
    inner: list[Block] = []
    if chosen.materials:
        inner.append(label_para(_("Materials"), text("; ".join(m.item for m in chosen.materials))))
    inner.append(Items([from_markdown(step, base) for step in chosen.steps], ordered=True))
    inner += from_markdown(chosen.notes, base)
    blocks.append(Box(f"{_('Today')}: {chosen.title} · {chosen.minutes.describe()}", inner, "applies"))
    others = [f"{f.title} ({f.minutes.describe()})" for f in slot.formats if f.id != chosen.id]
    if others:
        key = _("Formats on other days") if item.kind != "close" else _("Another format")
        blocks.append(Para([Span(key + ": ", bold=True), Span("; ".join(others) + ".")], "note"))
    blocks.append(Para(text(f"{_('Sources')}: {sources_text(slot.sources)}"), "sources"))
    return blocks


def slot_owners(context: BuildContext) -> dict[str, list[tuple[int, Item]]]:
    """Session id -> the fixed items (recap, wrap-up, close) whose plans print with it: a
    recap with the session that follows it, a wrap-up or close with the one before it."""
    owners: dict[str, list[tuple[int, Item]]] = {}
    sequence = [(day.number, item) for day in context.agenda.days for item in day.items]
    sessions = [(index, pair) for index, pair in enumerate(sequence) if pair[1].kind == "session" and pair[1].session]
    for index, (day, item) in enumerate(sequence):
        if item.kind not in ("recap", "wrap-up", "close"):
            continue
        if item.kind == "recap":
            owner = next((pair for i, pair in sessions if i > index), None) or next((pair for i, pair in reversed(sessions) if i < index), None)
        else:
            owner = next((pair for i, pair in reversed(sessions) if i < index), None) or next((pair for i, pair in sessions if i > index), None)
        if owner is not None:
            owners.setdefault(owner[1].session or "", []).append((day, item))
    return owners


# ---------------------------------------------------------------------------- views


def _module_heading(context: BuildContext, session: Session) -> str:
    _ = context.translator.gettext
    module = context.course_input.library.modules.get(session.module)
    return (_("Module {number}", number=module.number) + f": {module.title}") if module else ""


def session_sections(context: BuildContext) -> list[tuple[PlannedSession, str, Section]]:
    owners = slot_owners(context)
    return [
        (planned, _module_heading(context, planned.session),
         _PlanWriter(context, planned, owners).blocks(_module_heading(context, planned.session)))
        for planned in context.plan
    ]


def _contents(sections: list[tuple[PlannedSession, str, Section]]) -> list[dict[str, Any]]:
    """The guide's contents: module lines, sessions, and the slot plans inside them."""
    entries: list[dict[str, Any]] = []
    module = None
    for _planned, heading, section in sections:
        if heading and heading != module:
            entries.append({"level": 0, "text": heading, "anchor": ""})
            module = heading
        for block in section.blocks:
            if isinstance(block, Heading) and block.level == 1:
                entries.append({"level": 1, "text": "".join(s.text for s in block.text), "anchor": block.id})
            elif isinstance(block, Heading) and block.css == "slot":
                entries.append({"level": 2, "text": "".join(s.text for s in block.text), "anchor": block.id})
    return entries


def rule_name(context: BuildContext, rule: str) -> str:
    """An adaptation rule's name in the facilitator's words and language."""
    _ = context.translator.gettext
    names = {
        "working groups": _("Working groups"),
        "context choices": _("Choices for this group"),
        "menus": _("Menu choices"),
        "sector variants": _("Variants for the participants' sector"),
        "longer course": _("Longer course"),
        "offline": _("No internet or projector"),
        "interpretation": _("Interpretation"),
        "accessibility": _("Accessibility"),
        "do no harm": _("Do no harm"),
        "country treaties": _("Country slides"),
        "practice examples": _("Practice examples"),
        "language": _("Language"),
    }
    return names.get(rule, rule)


def _cover_view(context: BuildContext) -> dict[str, Any]:
    from ..adapt import time_effect
    from .agenda import _facts

    _ = context.translator.gettext
    numbers = {planned.id: planned.session.number for planned in context.plan}

    def where(session: str | None) -> str:
        return _("Session {number}", number=numbers[session]) if session in numbers else ""

    return {
        "title": context.title,
        "subtitle": context.course_input.course.subtitle,
        "facts": _facts(context),
        "adaptations": [
            {"rule": rule_name(context, a.rule), "change": a.change, "reason": a.reason, "session": where(a.session),
             "time": time_effect(a, context.agenda)}
            for a in context.adaptations
        ],
        "local_entries": [
            {"title": e.title, "session": e.session, "slot": e.slot, "source": e.source,
             "checked_on": e.checked_on.isoformat(), "checked_by": e.checked_by,
             "departs": context.inline(e.departs_from_guide)}
            for e in context.course_input.library.local_context.values()
        ],
        "schedule_changes": _timing_changes(context, where),
        "based_on": _("Based on OHCHR, Towards a Human Rights-Based Approach to Migration: Training Guide (HR/P/PT/26, 2023)."),
    }


def _timing_changes(context: BuildContext, where: Any) -> list[dict[str, str]]:
    """The scheduler's changes against the guide's timings, one line per session, kind of
    change and reason (each session plan shows every segment's minutes against the guide's)."""
    _ = context.translator.gettext
    titles = {(p.id, s.id): s.title for p in context.plan for s in p.session.segments()}
    groups: dict[tuple[str, str, str], list[Any]] = {}
    for change in context.agenda.changes:
        why = change.reason.split(": ", 1)[1] if change.action in ("shortened", "lengthened") and ": " in change.reason else change.reason
        groups.setdefault((change.session, change.action, why), []).append(change)
    out = []
    for (session, action, why), changes in groups.items():
        count, minutes = len(changes), sum(c.minutes for c in changes)
        names = ", ".join(titles.get((session, c.segment or ""), c.segment or "") for c in changes)
        if action == "shortened":
            what = (_("1 segment shortened by {minutes} min", minutes=minutes) if count == 1
                    else _("{count} segments shortened, {minutes} min in all", count=count, minutes=minutes))
        elif action == "lengthened":
            what = (_("1 segment lengthened by {minutes} min", minutes=minutes) if count == 1
                    else _("{count} segments lengthened, {minutes} min in all", count=count, minutes=minutes))
        elif action == "added":
            what = _("optional segments added: {names}", names=names)
        elif action == "cut":
            what = _("optional segments left out: {names}", names=names)
        else:
            what = _("moved whole to a new day")
        out.append({"session": where(session) or session, "change": what, "why": why})
    return out


def jobs(context: BuildContext) -> list[Job]:
    sections = session_sections(context)
    out = []
    for planned, _heading, section in sections:
        view = {"title": context.title, "number": planned.session.number, "section": section}
        out.append(Job(KIND, planned.id, view, weight=10))
    guide = {"cover": _cover_view(context), "contents": _contents(sections), "sections": [s for _p, _h, s in sections]}
    out.append(Job(KIND, "guide", guide, weight=30))
    return out


def run(env: RenderEnv, job: Job) -> list[Output]:
    from .document_html import to_html

    view = job.view
    if job.key == "guide":
        from dataclasses import replace

        sections = [replace(section, page_break=True) for section in view["sections"]]
        html = render_html(env, "facilitator-guide.html", show_cover=True, body=to_html(sections),
                           contents=view["contents"], **view["cover"])
        return [Output("facilitator-guide.pdf", layout(env, html).write_pdf())]
    section = view["section"]
    html = render_html(env, "facilitator-guide.html", show_cover=False, body=to_html([section]), contents=[],
                       title=view["title"], subtitle="", facts=[], adaptations=[], local_entries=[],
                       schedule_changes=[], based_on="")
    name = f"sessions/session-{view['number']}"
    return [Output(f"{name}.pdf", layout(env, html).write_pdf()), Output(f"{name}.docx", _docx(env, section))]


def _docx(env: RenderEnv, section: Section) -> bytes:
    """The session plan as an editable Word document: the same blocks as the PDF."""
    from .document_docx import new_document, write_docx

    document = new_document(env.paper, direction=env.translator.direction)
    document.sections[0].header.paragraphs[0].text = section.title
    write_docx(document, section.blocks)
    return docx_bytes(document, env, section.title)
