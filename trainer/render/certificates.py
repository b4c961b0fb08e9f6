"""Certificates of participation and daily sign-in sheets, when course.yaml lists participants.

Names may be in any script: the fonts cover Latin, Arabic and Cyrillic, and each name's
direction is taken from its own text (`dir="auto"`).
"""

from __future__ import annotations

from markupsafe import Markup

from . import Job, Output
from .agenda import _facts
from .common import BuildContext, course_inputs, course_sources, dump, html_to_pdf, render_html
from .sandbox import certificate_values

KIND = "certificates"


def jobs(context: BuildContext) -> list[Job]:
    course = context.course_input.course
    if not course.participants:
        return []
    days = [(d.number, d.date.isoformat() if d.date else None) for d in context.agenda.days]
    inputs = {"common": course_inputs(context), "participants": [dump(p) for p in course.participants], "days": days}
    if course.certificate_template and context.course_input.folder is not None:
        path = context.course_input.folder / course.certificate_template
        inputs["template"] = path.read_text(encoding="utf-8", errors="replace")
    return [Job(KIND, "certificates", inputs, course_sources(context))]


def run(context: BuildContext, job: Job) -> list[Output]:
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
    custom: list[Markup] = []
    if course.certificate_template and context.course_input.folder is not None:
        from .sandbox import render_course_template

        values = [certificate_values(course, p.name, p.organisation, when) | {"course": context.title} for p in course.participants]
        path = context.course_input.folder / course.certificate_template
        custom = [Markup(text) for text in render_course_template(path, course.certificate_template, values)]
    certificates = render_html(
        context,
        "certificates.html",
        title=context.title,
        participants=course.participants,
        custom=custom,
        when=when,
        place=place,
        organisers="; ".join(course.organisers),
    )
    sign_in = render_html(context, "sign-in.html", title=context.title, participants=course.participants, days=days)
    return [
        Output("certificates/certificates.pdf", html_to_pdf(context, certificates)),
        Output("certificates/sign-in-sheets.pdf", html_to_pdf(context, sign_in)),
    ]
