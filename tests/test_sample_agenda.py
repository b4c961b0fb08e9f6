"""The built-in course reproduces the guide's sample agenda (HR/P/PT/26, p. 15), derived by the
scheduler from the sessions' plans and the sample course's day template and pins."""

from __future__ import annotations

import pytest

from trainer.adapt import plan_course
from trainer.prepare import load as load_course
from trainer.schedule import clock, schedule

# The guide's sample agenda, row by row: (day, start, end, item).
GUIDE = [
    (1, "09:00", "10:30", "Module 1, session 1: Course introduction and overview"),
    (1, "10:30", "10:45", "Break"),
    (1, "10:45", "12:15", "Module 1, session 2: An introduction to international migration"),
    (1, "12:15", "13:15", "Lunch break"),
    (1, "13:15", "14:45", "Module 2, session 3: International human rights and migration"),
    (1, "14:45", "15:00", "Break"),
    (1, "15:00", "16:00", "Module 2, session 3 – continued"),
    (1, "16:00", "17:00", "Module 2, session 4: The Convention on Migrant Workers"),
    (1, "17:00", "17:15", "Wrap-up for Day 1"),
    (2, "08:45", "09:00", "Daily recap"),
    (2, "09:00", "10:00", "Module 2, session 4 – continued"),
    (2, "10:00", "10:15", "Break"),
    (2, "10:15", "13:00", "Module 2, session 5: The United Nations human rights system (includes break)"),
    (2, "13:00", "14:00", "Lunch break"),
    (2, "14:00", "17:30", "Module 3, session 6: A human rights-based approach to migration (includes break)"),
    (2, "17:30", "17:45", "Wrap-up for Day 2"),
    (3, "09:00", "09:15", "Daily recap"),
    (3, "09:15", "09:45", "Module 3, session 7: Protecting rights in practice"),
    (3, "09:45", "10:15", "Instructions"),
    (3, "10:15", "12:00", "Group work"),
    (3, "12:00", "13:00", "Lunch break"),
    (3, "13:00", "13:45", "Presentations"),
    (3, "13:45", "14:30", "Debrief"),
    (3, "14:30", "15:00", "Final evaluation and close"),
]


def agenda_rows() -> list[tuple[int, str, str, str]]:
    course_input = load_course(None)
    plan = plan_course(course_input)
    agenda = schedule(plan.sessions, plan.days, plan.start_date)
    modules = course_input.library.modules
    rows = []
    for day in agenda.days:
        for item in day.items:
            if item.kind != "session":
                rows.append((day.number, clock(item.start), clock(item.end), item.title))
                continue
            if item.label:
                name = item.label
            else:
                module = modules[item.module].number
                name = f"Module {module}, session {item.number}: {item.title}"
                if item.continued:
                    name = f"Module {module}, session {item.number} – continued"
                elif item.includes_break:
                    name += " (includes break)"
            rows.append((day.number, clock(item.start), clock(item.end), name))
    return rows


def _forthcoming() -> list[str]:
    from trainer.checks import forthcoming
    from trainer.loader import load_library

    return forthcoming(load_library()[0])


@pytest.mark.xfail(
    bool(_forthcoming()),
    reason=f"sessions not yet written for the library: {', '.join(_forthcoming())}",
    strict=True,
)
def test_the_sample_course_reproduces_the_guides_sample_agenda():
    rows = agenda_rows()
    for expected, actual in zip(GUIDE, rows):
        assert actual == expected
    assert len(rows) == len(GUIDE)
