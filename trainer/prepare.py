"""One pipeline: load -> check -> adapt -> schedule, into one prepared course.

`plan`, `build`, `show` and `check` all start here, so that what `check` accepts, `plan`
and `build` can do. Each stage returns a new value and leaves its input as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .adapt import CoursePlan, plan_course
from .checks import check_days, check_dependencies, check_overrides, cross_check, dependants, schedule_problem
from .errors import InputError, Problem
from .loader import CourseInput, read_course
from .schedule import Agenda, ScheduleError, schedule


@dataclass(frozen=True)
class PreparedCourse:
    """A course ready to show, plan or build: loaded, checked, adapted and scheduled."""

    input: CourseInput
    plan: CoursePlan
    """The adaptation: sessions with their choices, conditions, and what was changed and why."""
    agenda: Agenda
    """The schedule: days, items, segments with clock times, and the scheduler's changes."""
    warnings: tuple[Problem, ...] = ()

    @property
    def course(self):  # type: ignore[no-untyped-def]
        return self.input.course

    @property
    def library(self):  # type: ignore[no-untyped-def]
        return self.input.library

    @property
    def folder(self) -> Path | None:
        return self.input.folder

    @property
    def title(self) -> str:
        return self.input.course.title or self.input.library.programme.title


def _raise_if_errors(problems: list[Problem]) -> None:
    if any(problem.severity == "error" for problem in problems):
        raise InputError(problems)


def load(folder: Path | None = None, library_dir: Path | None = None) -> CourseInput:
    """The library and a course folder, read and checked against each other.

    Raises InputError with every problem found (files, fields, references, day templates).
    """
    course_input, problems = read_course(folder, library_dir)
    problems.extend(cross_check(course_input))
    problems.extend(check_days(course_input))
    problems.extend(check_overrides(course_input))
    problems.extend(check_dependencies(course_input))
    _raise_if_errors(problems)
    course_input.warnings = problems
    return course_input


def prepare(folder: Path | None = None, library_dir: Path | None = None) -> PreparedCourse:
    """Load, check, adapt and schedule a course folder (or the guide's sample course).

    Raises InputError with every problem found; a course that cannot be scheduled is one
    problem, placed at the course.yaml field to change.
    """
    course_input = load(folder, library_dir)
    problems = list(course_input.warnings)
    course_plan = plan_course(course_input)
    running = [choice.id for choice in course_input.course.sessions]
    try:
        agenda = schedule(course_plan.sessions, course_plan.days, course_plan.start_date,
                          dependants(course_input.library, running))
    except ScheduleError as error:
        raise InputError([*problems, schedule_problem(course_input, str(error))]) from None
    agenda.warnings = _sample_agenda_warnings(course_input, agenda.warnings)
    return PreparedCourse(course_input, course_plan, agenda, tuple(problems))


def _sample_agenda_warnings(course_input: CourseInput, warnings: list[str]) -> list[str]:
    """Warnings about the guide's own sample agenda say so, and the untouched sample course
    (the guide's days and sessions) has none: they are the guide's, not the facilitator's."""
    data = course_input.course_located.data if course_input.course_located is not None else None
    own = set(data) if isinstance(data, dict) else set()
    if "days" in own:
        return warnings
    if "sessions" not in own:
        return []
    return [f"{warning} (as in the guide's sample agenda)" for warning in warnings]
