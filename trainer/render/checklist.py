"""The preparation checklist: a timeline (two weeks before, the week before, the day before,
each morning and evening, after the course), one print list, and the room's equipment and
materials.

The **print list** names every document the build makes for paper once, with how many
copies and why (per participant, per group, per table, spares), under the day it is first
needed: handouts by their number ("Handout 4.2"), forms, certificates and sign-in sheets,
printables. A handout several sessions use is printed once, for the most its uses need. The
answer sheet is printed on its own, to hand out after its debrief; a handout participants
read beforehand (the Liberto brief) is handed out the evening before.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from ..quantities import Counts, counts
from . import Job, Output
from .common import BuildContext, RenderEnv, html_to_pdf, render_html

KIND = "checklist"
TEMPLATES = ("checklist.html",)


def spares(participants: int) -> int:
    """Spare copies of what each participant gets: one in ten, at least two."""
    return max(2, math.ceil(participants / 10))


@dataclass
class PrintItem:
    """One line of the print list: a file, how many copies, and when it is needed."""

    key: str
    """The file (the print list names each file once)."""
    what: str
    count: int
    why: str
    when: tuple[int, int]
    """(day, moment): day 0 is before the course; moment 0 the morning, 1 the evening before."""
    note: str = ""
    optional: bool = False


@dataclass
class Plan:
    """What the checklist is built from, gathered once."""

    items: dict[str, PrintItem] = field(default_factory=dict)

    def add(self, item: PrintItem) -> None:
        """Add a file to the print list, or raise its count and bring it forward when it is
        already there (the same handout for two sessions is printed once)."""
        known = self.items.get(item.key)
        if known is None:
            self.items[item.key] = item
            return
        if item.count > known.count:
            known.count, known.why = item.count, item.why
        known.when = min(known.when, item.when)


def _for(context: BuildContext, numbers: Counts, per: str, quantity: int) -> tuple[int, str]:
    """(copies, why) for a quantity rule: participants get spares."""
    _ = context.translator.gettext
    base = numbers.of(per, quantity)
    unit = {
        "participant": _("per participant"), "group": _("per group"), "table": _("per table"),
        "facilitator": _("per facilitator"), "room": _("for the room"),
    }[per]
    why = f"{quantity} {unit}"
    if per == "participant":
        extra = spares(numbers.participants)
        return base + extra, why + " + " + _("{count} spares", count=extra)
    return base, why


def _starts(text: str, words: list[str]) -> bool:
    lowered = text.strip().lower()
    return any(lowered.startswith(word.lower()) for word in words)


def _session_first_day(context: BuildContext) -> dict[str, int]:
    first: dict[str, int] = {}
    for day in context.agenda.days:
        for item in day.items:
            if item.kind == "session" and item.session:
                first.setdefault(item.session, day.number)
    return first


# ---------------------------------------------------------------------------- the print list


def _handouts(context: BuildContext, plan: Plan, numbers: Counts) -> list[dict[str, Any]]:
    """Handouts into the print list; returns the evening tasks for handouts read beforehand."""
    from .handouts import _session_handouts, handout_places
    from .printables import segment_day

    _ = context.translator.gettext
    library = context.course_input.library
    course = context.course_input.course
    places = {place.id: place for place in handout_places(context)}
    evening: list[dict[str, Any]] = []
    uses: dict[str, list[tuple[int, str, int]]] = {}
    for planned in context.plan:
        session = planned.session
        for segment in session.segments():
            if not planned.runs(segment):
                continue
            day = segment_day(context, session.id, segment.id)
            for handout_id in segment.handouts:
                if handout_id in library.handouts:
                    uses.setdefault(handout_id, []).append((day, library.handouts[handout_id].per, 1))
            for activity_id in planned.activities_for(segment):
                activity = library.activities.get(activity_id)
                for use in activity.handouts if activity else []:
                    uses.setdefault(use.handout, []).append((day, use.per, use.quantity))
        first = _session_first_day(context).get(session.id, 1)
        for handout_id in _session_handouts(context, planned):
            if handout_id in library.handouts and handout_id not in uses:
                uses.setdefault(handout_id, []).append((first, library.handouts[handout_id].per, 1))
    if course.handouts_printed == "pack":
        in_pack = [h for h in places if library.handouts[h].given != "after-debrief"]
        if in_pack:
            count, why = _for(context, numbers, "participant", 1)
            plan.add(PrintItem("handouts/participant-pack.pdf", _("Participant pack (every handout but the answer sheets)"),
                               count, why, (1, 0), _("Hand it out at the start of day 1.")))
    for handout_id, place in places.items():
        handout = library.handouts[handout_id]
        label = _("Handout {number}", number=place.number) + f" · {_('Agenda') if handout.generated == 'agenda' else handout.title}"
        day = min(d for d, _per, _q in uses.get(handout_id, [(1, "participant", 1)]))
        if handout.given == "day-before":
            text = (_("Remind participants to read {handout} in their pack tonight.", handout=label)
                    if course.handouts_printed == "pack" else _("Give participants {handout} to read tonight.", handout=label))
            evening.append({"day": day, "text": text})
        if course.handouts_printed == "pack" and handout.given != "after-debrief":
            continue
        best = max((_for(context, numbers, per, quantity) for _d, per, quantity in uses.get(handout_id, [(day, handout.per, 1)])),
                   key=lambda pair: pair[0])
        note = ""
        when = (day, 0)
        if handout.given == "after-debrief":
            note = _("Printed on its own, not in the pack: hand it out only after the debrief.")
        elif handout.given == "day-before":
            when = (day, 1) if day > 1 else (0, 0)
            note = _("Handed out the evening before, to read beforehand.")
        plan.add(PrintItem(f"handouts/{handout_id}.pdf", label, best[0], best[1], when, note))
    return evening


def _forms(context: BuildContext, plan: Plan, numbers: Counts) -> list[str]:
    """Forms into the print list; returns the forms that are not printed (and why)."""
    from .forms import form_instances

    _ = context.translator.gettext
    last = len(context.agenda.days)
    count, why = _for(context, numbers, "participant", 1)
    kept_off: list[str] = []
    for stem, title, form, day in form_instances(context):
        path = f"forms/{stem}.pdf"
        if form.kind == "pre-course":
            plan.add(PrintItem(path, title, count, why, (0, 0), _("Two weeks before: for participants who answer on paper.")))
        elif form.kind in ("self-inventory", "knowledge-check"):
            twice, _why = _for(context, numbers, "participant", 2)
            plan.add(PrintItem(path, title, twice, f"2 {_('per participant')} + {2 * spares(numbers.participants)} {_('spares')}",
                               (1, 0), _("One in session 1, one at the close.")))
        elif form.kind == "end-of-day" and day is not None:
            plan.add(PrintItem(path, title, count, why, (day, 0), _("For the wrap-up at the end of the day.")))
        elif form.kind == "end-of-course":
            plan.add(PrintItem(path, title, count, why, (last, 0), _("For the final evaluation and close.")))
        elif form.kind == "follow-up":
            kept_off.append(_("{file}: sent three to six months after the course.", file=path))
        else:
            kept_off.append(_("{file}: the participants' own journal, printed as a handout.", file=path))
    return kept_off


def _certificates(context: BuildContext, plan: Plan, numbers: Counts) -> None:
    from .certificates import view as certificate_view

    _ = context.translator.gettext
    certificates = certificate_view(context)
    last = len(context.agenda.days)
    if certificates["participants"]:
        plan.add(PrintItem("certificates/certificates.pdf", _("Certificates of participation"), len(certificates["participants"]),
                           _("one per listed participant"), (last, 0), _("Signed before the close.")))
    else:
        plan.add(PrintItem("certificates/certificates.pdf", _("Certificates of participation (blank)"), 1,
                           _("{count} blank certificates in the file", count=certificates["blank_certificates"]),
                           (last, 0), _("Write the names by hand, and sign them before the close.")))
    plan.add(PrintItem("certificates/sign-in-sheets.pdf", _("Sign-in sheets"), 1,
                       _("one sheet per day, {rows} blank rows each", rows=certificates["blank_rows"]), (1, 0),
                       _("At the door each morning; collect them each evening.")))


def _printables(context: BuildContext, plan: Plan) -> None:
    from .printables import printable_items

    _ = context.translator.gettext
    for item in printable_items(context):
        if item.copies > 1:
            why = _("a one-page card, one copy each") + f": {item.per_text}"
        else:
            why = _("{cards} on {sheets} sheet(s)", cards=item.cards, sheets=item.sheets) + f": {item.per_text}"
        when = (0, 0) if item.path in ("printables/time-cards.pdf", "printables/name-tents.pdf") else (item.day, 0)
        plan.add(PrintItem(item.path, item.title, item.copies, why, when, item.note, item.optional))


def _team(context: BuildContext, plan: Plan, numbers: Counts) -> None:
    _ = context.translator.gettext
    per = _("per facilitator")
    plan.add(PrintItem("facilitator-guide.pdf", _("Facilitator guide (every session plan)"), numbers.facilitators, f"1 {per}", (0, 0)))
    plan.add(PrintItem("handouts/facilitator-annex.pdf", _("Facilitator annex: the handouts"), numbers.facilitators, f"1 {per}",
                       (0, 0), _("Sources, fiction and when each handout is given: not for participants.")))


# ---------------------------------------------------------------------------- the timeline


def slides_to_prepare(context: BuildContext) -> list[dict[str, Any]]:
    """The country and region slides the course has not filled, from the slides renderer
    when it says (`to_prepare`), else from the sessions' adaptations with a slide whose
    condition holds (as the adaptation step reads them)."""
    from . import slides

    if hasattr(slides, "to_prepare"):
        return [{"session": entry["session_number"], "deck": entry["deck"], "title": entry["title"], "what": entry.get("what", "")}
                for entry in slides.to_prepare(context)]
    assessment = context.course_input.assessment
    country = assessment.context.country or context.course_input.course.country
    out = []
    for planned in context.plan:
        seen: set[str] = set()
        for segment in planned.session.segments():
            if not planned.runs(segment):
                continue
            for adaptation in segment.adapt:
                if not adaptation.slide or adaptation.when not in context.conditions:
                    continue
                if adaptation.when == "country" and adaptation.lists_treaties and assessment.context.treaties_ratified:
                    continue  # the assessment fills it
                title = adaptation.slide.replace("<country>", country or "").replace("<region>", assessment.context.region or "")
                if title in seen:
                    continue
                seen.add(title)
                out.append({"session": planned.session.number, "deck": f"slides/session-{planned.session.number}.pptx",
                            "title": title, "what": context.inline(adaptation.do)})
    return out


def _materials(context: BuildContext, day: int | None) -> list[dict[str, Any]]:
    """What to bring (not printed by trainer) for the activities first run on a day, or for
    the whole course: each item once, with the most any activity needs."""
    from .printables import activity_days

    _ = context.translator.gettext
    library = context.course_input.library
    numbers = counts(context.course_input)
    found: dict[str, dict[str, Any]] = {}
    for activity_id, first in activity_days(context).items():
        if day is not None and first != day:
            continue
        activity = library.activities.get(activity_id)
        for material in activity.materials if activity else []:
            if material.printable or ("no_internet" in context.conditions and library.needs_internet(material.item)):
                continue
            key = re.sub(r"\W+", " ", material.item.lower()).strip()
            count = numbers.of(material.per, material.quantity)
            entry = found.setdefault(key, {"what": context.inline(material.item), "count": count, "for": [], "day": first})
            entry["count"] = max(entry["count"], count)
            entry["day"] = min(entry["day"], first)
            if activity.title not in entry["for"]:
                entry["for"].append(activity.title)
    ordered = sorted(found.values(), key=lambda e: e["day"])
    return [{"what": e["what"], "count": str(e["count"]),
             "why": _("Day {number}", number=e["day"]) + ": " + ", ".join(e["for"])} for e in ordered]


def _equipment(context: BuildContext) -> list[dict[str, Any]]:
    library = context.course_input.library
    found: dict[str, dict[str, Any]] = {}
    for planned in context.plan:
        for text in planned.session.equipment:
            if "no_internet" in context.conditions and library.needs_internet(text):
                continue
            key = re.sub(r"\W+", " ", text.lower()).strip()
            entry = found.setdefault(key, {"what": context.inline(text), "sessions": []})
            if planned.session.number not in entry["sessions"]:
                entry["sessions"].append(planned.session.number)
    _ = context.translator.gettext
    return [{"what": e["what"], "count": "", "why": _("Sessions {numbers}", numbers=", ".join(map(str, e["sessions"])))}
            for e in found.values()]


def checklist(context: BuildContext) -> dict[str, Any]:
    """The checklist's content: the timeline, the print list, equipment and materials."""
    _ = context.translator.gettext
    library = context.course_input.library
    course = context.course_input.course
    numbers = counts(context.course_input)
    plan = Plan()
    evening = _handouts(context, plan, numbers)
    not_printed = _forms(context, plan, numbers)
    _certificates(context, plan, numbers)
    _printables(context, plan)
    _team(context, plan, numbers)
    day_names = {day.number: _("Day {number}", number=day.number) + (f" · {context.translator.date(day.date)}" if day.date else "")
                 for day in context.agenda.days}
    last = len(context.agenda.days)

    # the print list, grouped by when each file is first needed
    groups: dict[tuple[int, int], list[PrintItem]] = {}
    for item in plan.items.values():
        if not item.optional:
            groups.setdefault(item.when, []).append(item)
    print_list = []
    for when in sorted(groups, key=lambda when: (when[0], -when[1])):  # the evening before comes first
        day, moment = when
        if day == 0:
            heading = _("Before the course")
        elif moment == 1:
            heading = _("End of day {number}, to hand out for the next day", number=day - 1)
        else:
            heading = day_names.get(day, _("Day {number}", number=day))
        print_list.append({"heading": heading, "items": [vars(item) for item in groups[when]]})
    optional = [vars(item) for item in plan.items.values() if item.optional]

    # the sessions' own preparation, by when it is done
    vocabulary = library.vocabulary
    print_words = [w for v in vocabulary for w in v.print_task]
    before_words = [w for v in vocabulary for w in v.day_before_task]
    mornings: dict[int, list[dict[str, Any]]] = {}
    evenings: dict[int, list[dict[str, Any]]] = {}
    print_tasks: list[dict[str, Any]] = []
    first_day = _session_first_day(context)
    for planned in context.plan:
        session = planned.session
        day = first_day.get(session.id, 1)
        name = _("Session {number}", number=session.number)
        for text in session.preparation:
            if "no_internet" in context.conditions and library.needs_internet(text):
                continue
            task = {"what": context.inline(text), "why": name}
            if _starts(text, print_words):
                print_tasks.append(task)
            elif _starts(text, before_words) and day > 1:
                evenings.setdefault(day - 1, []).append(task)
            else:
                mornings.setdefault(day, []).append(task)
    for entry in evening:
        if entry["day"] > 1:
            evenings.setdefault(entry["day"] - 1, []).append({"what": entry["text"], "why": ""})

    days = []
    for day in context.agenda.days:
        today = [vars(item)["what"] for item in plan.items.values() if item.when == (day.number, 0) and not item.optional]
        closes = any(item.kind == "close" for item in day.items)
        late = [{"what": _("Collect the end-of-course forms and the self-inventories; keep the sign-in sheets."), "why": ""}] \
            if closes else [{"what": _("Collect the sign-in sheet and the end-of-day forms; read the forms together and agree what to change tomorrow."), "why": ""}]
        days.append({
            "heading": day_names[day.number],
            "morning": mornings.get(day.number, []),
            "printed": today,
            "evening": late + evenings.get(day.number, []),
        })

    slides = slides_to_prepare(context)
    before = []
    if any(form.kind == "pre-course" for form in library.forms.values()):
        before.append({"what": _("Send the pre-course questionnaire (forms/pre-course.pdf, or forms/pre-course.xlsform.xlsx on KoboToolbox or ODK); type paper answers into forms/pre-course.data-entry.xlsx and run trainer assess."), "why": ""})
    if not course.participants:
        before.append({"what": _("List the participants in course.yaml to print their names on the certificates, sign-in sheets and name tents; until then they are printed blank."), "why": ""})
    if not course.signatories:
        before.append({"what": _("Agree who signs the certificates and add them to course.yaml (signatories), with the organisers' logos (logos)."), "why": ""})
    if slides:
        before.append({"what": _("Prepare the slides this course has not filled (listed below)."), "why": ""})
    after = [
        {"what": _("Type the paper forms into the data-entry sheets (forms/*.data-entry.xlsx) and run trainer evaluate."), "why": ""},
        {"what": _("Send the participant pack (handouts/participant-pack.pdf) and anything else agreed, such as the slides."), "why": ""},
        {"what": _("Send certificates to participants who missed the close."), "why": ""},
    ]
    if any(form.kind == "follow-up" for form in library.forms.values()):
        after.append({"what": _("In three to six months: send the follow-up questionnaire (forms/follow-up.pdf or its XLSForm)."), "why": ""})
    not_printed = [
        _("slides/*.pptx: projected, not printed."),
        _("sessions/*.docx, agenda/agenda.docx: Word copies to edit."),
        _("forms/*.xlsform.xlsx, forms/*.data-entry.xlsx: for phones and for typing in paper answers."),
        *not_printed,
    ]
    if course.handouts_printed == "by-session":
        not_printed.append(_("handouts/participant-pack.pdf: every handout in one file, to send after the course; print it instead of the single handouts if you hand everything out on day 1 (course.yaml: handouts_printed: pack)."))
    return {
        "before": before,
        "print_tasks": print_tasks,
        "print_list": print_list,
        "optional": optional,
        "equipment": _equipment(context),
        "materials": _materials(context, None),
        "days": days,
        "after": after,
        "slides": slides,
        "not_printed": not_printed,
    }


def view(context: BuildContext) -> dict[str, Any]:
    _ = context.translator.gettext
    numbers = counts(context.course_input)
    text = _(
        "{participants} participants in {groups} working groups at {tables} tables, {facilitators} facilitators.",
        participants=numbers.participants,
        groups=numbers.groups,
        tables=numbers.tables,
        facilitators=numbers.facilitators,
    )
    return {"title": context.title, "counts_text": text, **checklist(context)}


def jobs(context: BuildContext) -> list[Job]:
    return [Job(KIND, "checklist", view(context), weight=1)]


def run(env: RenderEnv, job: Job) -> list[Output]:
    return [Output("checklist.pdf", html_to_pdf(env, render_html(env, "checklist.html", **job.view)))]
