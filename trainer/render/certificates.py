"""Certificates of participation and daily sign-in sheets, when course.yaml lists participants.

Names may be in any script: the fonts cover Latin, Arabic and Cyrillic, and each name's
direction is taken from its own text (`dir="auto"`).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from . import Job, Output
from .agenda import _facts
from .common import BuildContext, RenderEnv, html_to_pdf, render_html
from .sandbox import certificate_values

KIND = "certificates"
TEMPLATES = ("certificates.html", "sign-in.html")


def view(context: BuildContext) -> dict[str, Any]:
    course = context.course_input.course
    _ = context.translator.gettext
    facts = dict(_facts(context))
    days = []
    for day in context.agenda.days:
        label = _("Day {number}", number=day.number)
        if day.date:
            label += f" · {context.translator.date(day.date)}"
        days.append(label)
    when = facts.get(_("Dates"), "")
    place = certificate_values(course, "", "", when)["place"]
    custom: list[str] = []
    if course.certificate_template and context.course_input.folder is not None:
        from .sandbox import render_course_template

        values = [certificate_values(course, p.name, p.organisation, when) | {"course": context.title} for p in course.participants]
        path = context.course_input.folder / course.certificate_template
        custom = [str(text) for text in render_course_template(path, course.certificate_template, values)]
    return {
        "title": context.title,
        "participants": [{"name": p.name, "organisation": p.organisation} for p in course.participants],
        "custom": custom,
        "when": when,
        "place": place,
        "organisers": "; ".join(course.organisers),
        "days": days,
    }


def jobs(context: BuildContext) -> list[Job]:
    if not context.course_input.course.participants:
        return []
    return [Job(KIND, "certificates", view(context), weight=1)]


def run(env: RenderEnv, job: Job) -> list[Output]:
    values = dict(job.view)
    custom = [Markup(text) for text in values.pop("custom")]
    days = values.pop("days")
    certificates = render_html(env, "certificates.html", custom=custom, **values)
    sign_in = render_html(env, "sign-in.html", title=values["title"], participants=values["participants"], days=days)
    return [
        Output("certificates/certificates.pdf", html_to_pdf(env, certificates)),
        Output("certificates/sign-in-sheets.pdf", html_to_pdf(env, sign_in)),
    ]
