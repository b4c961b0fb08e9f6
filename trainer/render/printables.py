"""Printables: the cut-out cards, signs and tents the activities use, time cards for the
facilitator, and name and table tents, each print-ready on A4 with cut marks.

A card set is declared in an activity's `cards` (model `CardSet`): its cards written out, or
taken from where the content already holds them (a numbered list in an activity's setup,
the sections of a handout), so that a card's text is written once. Only the activities the
course runs are printed. Each PDF holds every card the course needs (as many sets as the
group takes), so that it is printed once and cut; the checklist lists each file with its
count (`printable_items`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from ..quantities import counts
from . import Job, Output
from .common import BuildContext, RenderEnv, html_to_pdf, render_html

KIND = "printables"
TEMPLATES = ("printables.html",)

GRID = {1: (1, 1), 2: (1, 2), 4: (2, 2), 8: (2, 4)}
"""Cards per A4 sheet -> (columns, rows) of the sheet's grid."""


@dataclass(frozen=True)
class PrintableItem:
    """One printable file, as the checklist lists it."""

    path: str
    title: str
    """What it is ("People bingo: bingo card", "Time cards")."""
    cards: int
    """Cards, signs or tents in the file."""
    sheets: int
    """A4 sheets the file prints on (once)."""
    day: int
    """The day it is first needed."""
    per_text: str
    """How the count was reached ("1 per participant + 2 spares")."""
    note: str = ""
    optional: bool = False
    """For a variant the course does not plan to run: printed only if the team uses it."""
    copies: int = 1
    """Copies of the file to print (a bingo card: one page, printed for everyone)."""


# ---------------------------------------------------------------------------- card texts


def _tokens(text: str) -> list[Any]:
    from .markdown import _parser

    return _parser().parse(text or "")


def _starts_bold(inline: str, start: str) -> bool:
    return inline.startswith("**" + start) or inline.startswith("**" + start.upper())


def list_after(text: str, after: str) -> list[str]:
    """The items (Markdown) of the first numbered list after the paragraph of `text` that
    starts with the bold `after`."""
    tokens = _tokens(text)
    found = False
    items: list[str] = []
    depth = 0
    for index, token in enumerate(tokens):
        if not found:
            if token.type == "inline" and _starts_bold(token.content, after):
                found = True
            continue
        if token.type == "ordered_list_open":
            depth += 1
        elif token.type == "ordered_list_close":
            depth -= 1
            if depth == 0:
                break
        elif token.type == "inline" and depth == 1 and tokens[index - 1].type == "paragraph_open":
            if tokens[index - 2].type == "list_item_open":
                items.append(token.content)
    return items


def handout_sections(body: str, start: str) -> list[tuple[str, str]]:
    """(heading, Markdown) of each section of a handout that starts with a bold paragraph
    beginning with `start`; a section runs to the next bold paragraph."""
    blocks = re.split(r"\n\s*\n", body.strip())
    sections: list[tuple[str, list[str]]] = []
    current: tuple[str, list[str]] | None = None
    for block in blocks:
        stripped = block.strip()
        if stripped.startswith("**"):
            current = None
            if _starts_bold(stripped, start):
                heading = stripped.split("**")[1]
                current = (heading, [])
                sections.append(current)
            continue
        if current is not None:
            current[1].append(stripped)
    return [(heading, "\n\n".join(parts)) for heading, parts in sections]


_SOURCE = re.compile(r"\s*\*\([^*]*\)\*\s*$")
_PAIR = re.compile(r"^\*\*(?P<term>.+?)\*\*\s*:\s*(?P<text>.+)$", re.S)


def set_cards(library: Any, activity: Any, card_set: Any) -> list[dict[str, str]]:
    """The cards of a set as {text (Markdown), note, colour, lower_exposure}; for `pairs`, each
    item gives a term card and a definition card (`pair` numbers them)."""
    if card_set.cards:
        return [{"text": c.text, "note": c.note, "colour": c.colour or "", "lower_exposure": c.lower_exposure, "pair": ""}
                for c in card_set.cards]
    source = card_set.cards_from
    if source.handout:
        handout = library.handouts.get(source.handout)
        sections = handout_sections(handout.body, source.sections) if handout else []
        return [{"text": text, "note": "", "colour": "", "lower_exposure": "", "pair": "", "heading": heading}
                for heading, text in sections]
    owner = library.activities.get(source.activity or activity.id)
    items = list_after(owner.setup, source.after) if owner else []
    if card_set.layout != "pairs":
        return [{"text": _SOURCE.sub("", item), "note": "", "colour": "", "lower_exposure": "", "pair": ""} for item in items]
    cards = []
    for number, item in enumerate(items, start=1):
        match = _PAIR.match(item.strip())
        if not match:
            continue
        cards.append({"text": match["term"], "note": "", "colour": "", "lower_exposure": "", "pair": f"{number}t"})
        cards.append({"text": _SOURCE.sub("", match["text"]).strip(), "note": "", "colour": "", "lower_exposure": "", "pair": f"{number}d"})
    return cards


# ---------------------------------------------------------------------------- what the course uses


def activity_days(context: BuildContext) -> dict[str, int]:
    """Activity id -> the day the course first runs it."""
    days: dict[str, int] = {}
    for planned in context.plan:
        for segment in planned.session.segments():
            if not planned.runs(segment):
                continue
            day = segment_day(context, planned.session.id, segment.id)
            for activity in planned.activities_for(segment):
                days.setdefault(activity, day)
    return days


def segment_day(context: BuildContext, session: str, segment: str) -> int:
    """The day a segment is placed on; a segment the agenda does not show: the session's first day."""
    first = 0
    for day in context.agenda.days:
        for item in day.items:
            if item.kind != "session" or item.session != session:
                continue
            first = first or day.number
            for placed in item.segments:
                if placed.id == segment or any(part.id == segment for part in placed.parts):
                    return day.number
    return first or 1


def _card_view(context: BuildContext, card: dict[str, str], lower: bool) -> dict[str, Any]:
    text = card["lower_exposure"] if lower and card["lower_exposure"] else card["text"]
    long = "\n" in text.strip() or len(text) > 260
    html = context.html(text) if long else context.inline(text)
    size = "short" if len(text) <= 32 else ("medium" if len(text) <= 120 else "")
    if card.get("pair", "").endswith("t"):
        html = Markup("<strong>") + html + Markup("</strong>")  # terms in bold, definitions plain
    return {"html": html, "heading": card.get("heading", ""), "note": card["note"], "colour": card["colour"],
            "long": long, "top": "", "blank": False, "size": size}


def _spares(participants: int) -> int:
    """Spare name tents, bingo cards and the like: one in ten, at least two."""
    return max(2, math.ceil(participants / 10))


def card_set_views(context: BuildContext) -> list[dict[str, Any]]:
    """Every card set of the activities the course runs, with the cards it needs."""
    _ = context.translator.gettext
    library = context.course_input.library
    numbers = counts(context.course_input)
    lowered = {activity for planned in context.plan for activity in planned.do_no_harm}
    chosen_variants = {activity: variant for planned in context.plan for activity, variant in planned.variants.items()}
    per_text = {
        "participant": _("per participant"), "group": _("per group"), "table": _("per table"),
        "facilitator": _("per facilitator"), "room": _("for the room"),
    }
    out = []
    for activity_id, day in activity_days(context).items():
        activity = library.activities.get(activity_id)
        if activity is None:
            continue
        for card_set in activity.cards:
            cards = set_cards(library, activity, card_set)
            if not cards:
                continue
            lower = activity_id in lowered
            optional = False
            if card_set.variant:
                variant = next((v for v in activity.variants if v.id == card_set.variant), None)
                optional = not (chosen_variants.get(activity_id) == card_set.variant
                                or (variant is not None and any(c in context.conditions for c in variant.for_conditions)))
            units = numbers.of(card_set.per, card_set.quantity)
            rule = f"{card_set.quantity} {per_text[card_set.per]}"
            copies = 1
            if card_set.layout == "bingo":
                # a card is the whole grid, the same for everyone: one page, printed once per
                # participant and for the spares
                squares = [_card_view(context, card, lower) for card in cards]
                chosen = [{"squares": squares, "text": "", "note": "", "colour": "", "lower_exposure": ""}]
                copies = units + _spares(units)
            elif card_set.layout == "pairs" and card_set.deal:
                # one card each, the first pairs first: half the group holds terms, half definitions
                pairs = min(len(cards) // 2, max(1, math.ceil(units / 2)))
                chosen = cards[: 2 * pairs] + cards * card_set.spares
                rule = _("pairs 1 to {last}, one card each", last=pairs)
            elif card_set.layout == "tents" and card_set.per in ("group", "table"):
                chosen = [cards[index % len(cards)] | {"top": _("Group {number}", number=index + 1)} for index in range(units)]
            elif card_set.deal:
                chosen = cards * (math.ceil(units / len(cards)) + card_set.spares)
                rule = _("one card each")
            else:
                spares = card_set.spares + (_spares(units) if card_set.per == "participant" else 0)
                chosen = cards * (units + spares)
            if any(card["colour"] for card in cards) or (card_set.layout == "pairs" and card_set.deal):
                # printed on coloured paper: all the cards of one colour (terms, definitions) together
                order = {id(card): index for index, card in enumerate(cards)}
                key = (lambda card: 0 if card.get("pair", "").endswith("t") else 1) if card_set.layout == "pairs" else (lambda card: order.get(id(card), 0))
                chosen = sorted(chosen, key=key)
            if card_set.spares:
                rule += " + " + _("{count} spare set(s)", count=card_set.spares)
            elif card_set.per == "participant" and not card_set.deal:
                rule += " + " + _("{count} spares", count=_spares(units))
            views = []
            for card in chosen:
                if "squares" in card:
                    views.append({"squares": card["squares"], "html": "", "heading": "", "note": "", "colour": "", "long": False,
                                  "top": "", "blank": False, "size": ""})
                    continue
                view = _card_view(context, card, lower)
                view["top"] = card.get("top", "")
                views.append(view)
            out.append(
                {
                    "path": f"printables/{activity.id}-{card_set.id}.pdf",
                    "title": f"{activity.title}: {card_set.title}",
                    "layout": card_set.layout,
                    "per_page": 1 if card_set.layout in ("bingo", "signs") else (2 if card_set.layout == "tents" else card_set.per_page),
                    "heading": card_set.heading,
                    "free": card_set.free,
                    "cards": views,
                    "footer": _footer(context),
                    "day": day,
                    "rule": rule,
                    "note": card_set.note,
                    "optional": optional,
                    "copies": copies,
                }
            )
    return out


def _footer(context: BuildContext) -> str:
    course = context.course_input.course
    place = context.translator.comma.join(part for part in (course.city, course.country) if part)
    return context.title + (f" · {place}" if place else "")


def generic_views(context: BuildContext) -> list[dict[str, Any]]:
    """Time cards for the facilitator, name tents for everyone in the room, table tents."""
    _ = context.translator.gettext
    course = context.course_input.course
    numbers = counts(context.course_input)
    sets = max(1, numbers.facilitators)
    time_cards = [
        {"html": escape(_("{count} minutes", count=15)), "colour": "green"},
        {"html": escape(_("{count} minutes", count=5)), "colour": "yellow"},
        {"html": escape(_("1 minute")), "colour": "red"},
        {"html": escape(_("STOP")), "colour": "red"},
    ]
    people = [(p.name, p.organisation) for p in course.participants]
    blank = numbers.participants if not people else 0
    spares = _spares(numbers.participants)
    tents = [{"html": escape(name), "note": organisation, "colour": "", "blank": False} for name, organisation in people]
    tents += [{"html": escape(t.name), "note": t.organisation or t.role, "colour": "", "blank": False} for t in course.trainers]
    tents += [{"html": Markup(""), "note": "", "colour": "", "blank": True} for _ in range(blank + spares)]
    tables = [{"html": escape(_("Group {number}", number=n)), "note": "", "colour": "", "blank": False} for n in range(1, numbers.tables + 1)]
    first_day = 1
    base = {"heading": "", "free": "", "footer": "", "day": first_day, "note": "", "optional": False, "copies": 1}
    return [
        base | {"path": "printables/time-cards.pdf", "title": _("Time cards for the facilitator"), "layout": "time",
                "per_page": 2, "cards": [card | {"top": "", "long": False, "heading": "", "note": "", "blank": False, "size": ""} for card in time_cards] * sets,
                "rule": _("one set per facilitator")},
        base | {"path": "printables/name-tents.pdf", "title": _("Name tents"), "layout": "name-tents", "per_page": 2,
                "cards": [card | {"top": "", "long": False, "heading": "", "size": ""} for card in tents],
                "rule": (_("one per participant and trainer") if people else _("blank, one per expected participant"))
                + " + " + _("{count} blank", count=spares)},
        base | {"path": "printables/table-tents.pdf", "title": _("Table tents"), "layout": "tents", "per_page": 2,
                "cards": [card | {"top": "", "long": False, "heading": "", "size": ""} for card in tables], "rule": _("one per table")},
    ]


def views(context: BuildContext) -> list[dict[str, Any]]:
    return [*generic_views(context), *card_set_views(context)]


def sheets(view: dict[str, Any]) -> int:
    return math.ceil(len(view["cards"]) / view["per_page"]) if view["cards"] else 0


def printable_items(context: BuildContext) -> list[PrintableItem]:
    """Every printable file with its count and day, for the checklist."""
    return [
        PrintableItem(view["path"], view["title"], len(view["cards"]) * view["copies"], sheets(view), view["day"], view["rule"],
                      view["note"], view["optional"], view["copies"])
        for view in views(context)
        if view["cards"]
    ]


def jobs(context: BuildContext) -> list[Job]:
    return [Job(KIND, view["path"].removeprefix("printables/").removesuffix(".pdf"), view, weight=1)
            for view in views(context) if view["cards"]]


# ---------------------------------------------------------------------------- writing

MARGIN_MM = 10.0
"""The unprinted margin round each sheet's grid, where the cut marks stand."""


def _pages(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The sheets of a printable: the cards placed on each sheet's grid, and the cut marks."""
    per_page = view["per_page"]
    columns, rows = GRID[per_page]
    landscape = view["layout"] in ("signs",)
    width, height = (297.0, 210.0) if landscape else (210.0, 297.0)
    cell_w = (width - 2 * MARGIN_MM) / columns
    cell_h = (height - 2 * MARGIN_MM) / rows
    marks = []
    if per_page > 1:
        for column in range(columns + 1):
            x = MARGIN_MM + column * cell_w
            marks.append({"x": x, "y": 3.0, "w": 0, "h": MARGIN_MM - 4.5})
            marks.append({"x": x, "y": height - MARGIN_MM + 1.5, "w": 0, "h": MARGIN_MM - 4.5})
        for row in range(rows + 1):
            y = MARGIN_MM + row * cell_h
            marks.append({"x": 3.0, "y": y, "w": MARGIN_MM - 4.5, "h": 0})
            marks.append({"x": width - MARGIN_MM + 1.5, "y": y, "w": MARGIN_MM - 4.5, "h": 0})
    pages = []
    cards = view["cards"]
    for start in range(0, len(cards), per_page):
        cells = []
        for index, card in enumerate(cards[start : start + per_page]):
            column, row = index % columns, index // columns
            cells.append(card | {"x": MARGIN_MM + column * cell_w, "y": MARGIN_MM + row * cell_h, "w": cell_w, "h": cell_h})
        pages.append({"cells": cells, "marks": marks, "landscape": landscape})
    return pages


def run(env: RenderEnv, job: Job) -> list[Output]:
    view = job.view
    html = render_html(env, "printables.html", view=view, pages=_pages(view))
    return [Output(view["path"], html_to_pdf(env, html))]
