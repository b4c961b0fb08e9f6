"""Certificates of participation and daily sign-in sheets.

A certificate carries the organisers' logos, the course's dates, place and hours (the
session hours the agenda schedules), and a signature line for each signatory of
course.yaml. A sign-in sheet per day has a morning and an afternoon signature column (one
column for a day without a lunch break), an optional gender column, and blank rows for
walk-ins and substitutes.

A course that lists no participants still gets both, blank, for the expected number: the
facilitator writes the names on the certificates by hand (or has them written), and
participants write their names on the sheets as they sign in.

Names may be in any script: the fonts cover Latin, Arabic and Cyrillic, and each name's
direction is taken from its own text (`dir="auto"`).
"""

from __future__ import annotations

import math
from typing import Any

from markupsafe import Markup

from ..quantities import counts
from . import Job, Output
from .agenda import _facts
from .common import MAX_RESOURCE_BYTES, BuildContext, RenderEnv, file_digest, html_to_pdf, render_html
from .sandbox import certificate_values

KIND = "certificates"
TEMPLATES = ("certificates.html", "sign-in.html")

LUNCH_NOON = 13 * 60
"""A day without a lunch break is split into morning and afternoon at 13:00."""


def session_minutes(context: BuildContext) -> int:
    """The minutes of sessions the agenda schedules (breaks, lunch, recaps and the close left out)."""
    return sum(item.minutes for day in context.agenda.days for item in day.items if item.kind == "session")


def hours_text(context: BuildContext) -> str:
    """"18 hours of training": the scheduled session hours, to the half hour below."""
    from babel.numbers import format_decimal

    _ = context.translator.gettext
    hours = math.floor(session_minutes(context) / 30) / 2
    return _("{hours} hours of training", hours=format_decimal(hours, locale=context.translator.locale))


def blank_rows(context: BuildContext) -> int:
    """Empty rows on each sign-in sheet: as course.yaml says, else one in ten (at least three)."""
    course = context.course_input.course
    if course.sign_in.blank_rows is not None:
        return course.sign_in.blank_rows
    return max(3, math.ceil(counts(context.course_input).participants / 10))


def _sign_in_days(context: BuildContext) -> list[dict[str, Any]]:
    _ = context.translator.gettext
    out = []
    for day in context.agenda.days:
        label = _("Day {number}", number=day.number)
        if day.date:
            label += f" · {context.translator.date(day.date)}"
        lunch = next((item for item in day.items if item.kind == "lunch"), None)
        split = lunch.start if lunch else LUNCH_NOON
        halves = day.start < split and day.end > split
        columns = [_("Morning"), _("Afternoon")] if halves else [_("Signature")]
        out.append({"label": label, "columns": columns, "hours": context.translator.span(day.start, day.end)})
    return out


def view(context: BuildContext) -> dict[str, Any]:
    course = context.course_input.course
    _ = context.translator.gettext
    facts = dict(_facts(context))
    when = facts.get(_("Dates"), "")
    place = certificate_values(course, "", "", when)["place"]
    numbers = counts(context.course_input)
    custom: list[str] = []
    if course.certificate_template and context.course_input.folder is not None and course.participants:
        from .sandbox import render_course_template

        values = [certificate_values(course, p.name, p.organisation, when) | {"course": context.title} for p in course.participants]
        path = context.course_input.folder / course.certificate_template
        custom = [str(text) for text in render_course_template(path, course.certificate_template, values)]
    logos = []
    folder = context.course_input.folder
    for logo in course.logos:
        if folder is None:
            continue
        path = (folder / logo).resolve()
        # the file's hash in the view: a new logo under the same name renders again
        logos.append(path.as_uri() + "#sha256=" + file_digest(path, MAX_RESOURCE_BYTES))
    people = [{"name": p.name, "organisation": p.organisation} for p in course.participants]
    spares = max(2, math.ceil(numbers.participants / 10))
    return {
        "title": context.title,
        "participants": people,
        "blank_certificates": 0 if people else numbers.participants + spares,
        "custom": custom,
        "when": when,
        "place": place,
        "hours": hours_text(context),
        "organisers": context.translator.semicolon.join(course.organisers),
        "logos": logos,
        "signatories": [{"name": s.name, "title": s.title} for s in course.signatories],
        "days": _sign_in_days(context),
        "gender": course.sign_in.gender,
        "blank_rows": blank_rows(context) if people else numbers.participants + blank_rows(context),
    }


def jobs(context: BuildContext) -> list[Job]:
    return [Job(KIND, "certificates", view(context), weight=1)]


def run(env: RenderEnv, job: Job) -> list[Output]:
    values = dict(job.view)
    custom = [Markup(text) for text in values.pop("custom")]
    certificates = render_html(env, "certificates.html", custom=custom, **values)
    sign_in = render_html(env, "sign-in.html", title=values["title"], participants=values["participants"], days=values["days"],
                          gender=values["gender"], blank_rows=values["blank_rows"], place=values["place"])
    return [
        Output("certificates/certificates.pdf", html_to_pdf(env, certificates)),
        Output("certificates/sign-in-sheets.pdf", html_to_pdf(env, sign_in)),
    ]
