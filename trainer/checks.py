"""Cross-checks between items: references exist, sessions belong to modules, timings fit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import Problem
from .models.minutes import format_minutes
from .validation import describe_path, suggest
from .yamlfile import Located, Path_

if TYPE_CHECKING:
    from .loader import CourseInput, Library


def cross_check(course_input: CourseInput) -> list[Problem]:
    """Every problem between items of the library, its overlay and the course."""
    library = course_input.library
    problems: list[Problem] = []
    refs = _References(library, problems)
    _check_programme(library, refs)
    _check_modules(library, refs, problems)
    for session in library.sessions.values():
        _check_session(session, library.entries[session.id].located, refs, problems)
    for activity in library.activities.values():
        located = library.entries[activity.id].located
        for index, use in enumerate(activity.handouts):
            refs.expect(located, ("handouts", index, "handout"), use.handout, "handout")
        _unique(located, [(("variants", i, "id"), v.id) for i, v in enumerate(activity.variants)], "variant", problems)
    for form in library.forms.values():
        located = library.entries[form.id].located
        ids = [
            (("sections", s, "questions", q, "id"), question.id)
            for s, section in enumerate(form.sections)
            for q, question in enumerate(section.questions)
        ]
        _unique(located, ids, "question", problems)
    waiting = forthcoming(library)
    for example in library.examples.values():
        located = library.entries[example.id].located
        for index, session in enumerate(example.sessions):
            if session not in waiting:
                refs.expect(located, ("sessions", index), session, "session")
    for entry in library.entries.values():
        _check_markdown_depth(entry.located, entry.located.data, (), problems)
    _check_local_context(course_input, refs, problems)
    _check_slide_template(course_input, problems)
    _check_certificate_template(course_input, problems)
    if course_input.course_located is not None and course_input.course_located.data and "sessions" in course_input.course_located.data:
        for index, choice in enumerate(course_input.course.sessions):
            if choice.id in waiting:
                problems.append(
                    course_input.course_located.problem(
                        ("sessions", index),
                        f"sessions[{index + 1}]: '{choice.id}' is announced but not written yet: leave it out for now",
                    )
                )
            else:
                refs.expect(course_input.course_located, ("sessions", index), choice.id, "session")
    skipped = [choice.id for choice in library.programme.sample_agenda.sessions if choice.id in waiting]
    if skipped and not (course_input.course_located and "sessions" in (course_input.course_located.data or {})):
        problems.append(
            library.programme_located.problem(
                ("sample_agenda", "sessions"),
                f"the sample course leaves out the sessions not written yet: {', '.join(skipped)}",
                severity="warning",
            )
        )
    return problems


class _References:
    """Checks that an id names an item of the expected kind, suggesting the nearest one."""

    def __init__(self, library: Library, problems: list[Problem]):
        self.library = library
        self.problems = problems

    def expect(self, located: Located, path: Path_, value: str, kind: str) -> bool:
        entry = self.library.entries.get(value)
        if entry is not None and entry.kind == kind:
            return True
        field = describe_path(path, kind)
        if entry is not None:
            message = f"{field}: '{value}' is a {entry.kind}, not a {kind}"
        else:
            known = [key for key, other in self.library.entries.items() if other.kind == kind]
            message = f"{field}: unknown {kind} '{value}'{suggest(value, known)}"
        self.problems.append(located.problem(path, message))
        return False


def forthcoming(library: Library) -> list[str]:
    """Sessions the modules announce but the library does not hold yet."""
    return [session for module in library.modules.values() for session in module.forthcoming]


def _check_programme(library: Library, refs: _References) -> None:
    located = library.programme_located
    for index, module in enumerate(library.programme.modules):
        refs.expect(located, ("modules", index), module, "module")
    waiting = forthcoming(library)
    for index, choice in enumerate(library.programme.sample_agenda.sessions):
        path: Path_ = ("sample_agenda", "sessions", index)
        if choice.id not in waiting:
            refs.expect(located, path, choice.id, "session")


def _check_modules(library: Library, refs: _References, problems: list[Problem]) -> None:
    listed: dict[str, str] = {}
    for module in library.modules.values():
        located = library.entries[module.id].located
        for index, session_id in enumerate(module.sessions):
            if refs.expect(located, ("sessions", index), session_id, "session"):
                listed[session_id] = module.id
        for index, session_id in enumerate(module.forthcoming):
            if session_id in library.entries:
                problems.append(
                    located.problem(
                        ("forthcoming", index),
                        f"forthcoming: '{session_id}' is in the library now: move it to the module's sessions",
                        severity="warning",
                    )
                )
    numbers: dict[int, str] = {}
    for session in library.sessions.values():
        located = library.entries[session.id].located
        if session.number in numbers:
            problems.append(
                located.problem(("number",), f"number: session {session.number} is also '{numbers[session.number]}'")
            )
        numbers[session.number] = session.id
        if not refs.expect(located, ("module",), session.module, "module"):
            continue
        if listed.get(session.id) != session.module:
            problems.append(
                located.problem(
                    ("module",),
                    f"module: '{session.id}' says it belongs to '{session.module}', "
                    f"but that module's sessions do not list it",
                )
            )


def _check_session(session, located: Located, refs: _References, problems: list[Problem]) -> None:  # type: ignore[no-untyped-def]
    for index, handout in enumerate(session.handouts):
        refs.expect(located, ("handouts", index), handout, "handout")
    for index, activity in enumerate(session.activities):
        refs.expect(located, ("activities", index), activity, "activity")
    ids: list[tuple[Path_, str]] = []
    used: set[str] = set()
    for s, segment in enumerate(session.plan):
        base: Path_ = ("plan", s)
        ids.append(((*base, "id"), segment.id))
        _check_segment(segment, base, located, refs, used)
        if segment.parts:
            total_low = sum(part.minutes.low for part in segment.parts)
            total_high = sum(part.minutes.high for part in segment.parts)
            if total_low > segment.minutes.high or total_high < segment.minutes.low:
                problems.append(
                    located.problem(
                        (*base, "minutes"),
                        f"plan[{s + 1}].minutes: the parts take {total_low}-{total_high} min, "
                        f"but the segment is given {segment.minutes} min",
                        severity="warning",
                    )
                )
        for p, part in enumerate(segment.parts):
            ids.append(((*base, "parts", p, "id"), part.id))
            _check_segment(part, (*base, "parts", p), located, refs, used)
    _unique(located, ids, "segment", problems)
    planned = session.planned_minutes()
    if session.duration_note:
        pass  # the guide's plan and outline disagree, and the note says how; documents show it
    elif planned.low > session.duration.high:
        problems.append(
            located.problem(
                ("duration",),
                f"duration: the plan's segments take at least {format_minutes(planned.low)}, "
                f"more than the session's {session.duration.describe()}; if the guide's own plan says so, "
                "explain it in the session's duration_note",
            )
        )
    elif planned.high < session.duration.low:
        problems.append(
            located.problem(
                ("duration",),
                f"duration: the plan's segments take at most {format_minutes(planned.high)} of the session's "
                f"{session.duration.describe()}",
                severity="warning",
            )
        )
    for index, activity in enumerate(session.activities):
        if activity not in used:
            problems.append(
                located.problem(
                    ("activities", index),
                    f"activities: '{activity}' is named by the session but used by none of its segments",
                    severity="warning",
                )
            )


def _check_segment(segment, base: Path_, located: Located, refs: _References, used: set[str]) -> None:  # type: ignore[no-untyped-def]
    if segment.activity:
        refs.expect(located, (*base, "activity"), segment.activity, "activity")
        used.add(segment.activity)
    for index, also in enumerate(segment.also):
        refs.expect(located, (*base, "also", index), also, "activity")
        used.add(also)
    for index, alternative in enumerate(segment.choice):
        refs.expect(located, (*base, "choice", index, "activity"), alternative.activity, "activity")
        used.add(alternative.activity)
    for index, handout in enumerate(segment.handouts):
        refs.expect(located, (*base, "handouts", index), handout, "handout")


def _unique(located: Located, ids: list[tuple[Path_, str]], what: str, problems: list[Problem]) -> None:
    seen: dict[str, Path_] = {}
    for path, value in ids:
        if value in seen:
            line, _ = located.where(seen[value])
            problems.append(located.problem(path, f"id: duplicate {what} id '{value}' (first on line {line})"))
        seen.setdefault(value, path)


def _check_local_context(course_input: CourseInput, refs: _References, problems: list[Problem]) -> None:
    """Local material names its session, and was checked within a year of the course."""
    from datetime import date, timedelta

    library = course_input.library
    course_date = course_input.course.start_date or date.today()
    for entry in library.local_context.values():
        located = library.entries[entry.id].located
        refs.expect(located, ("session",), entry.session, "session")
        if entry.checked_on < course_date - timedelta(days=365):
            problems.append(
                located.problem(
                    ("checked_on",),
                    f"checked_on: '{entry.title}' was last checked on {entry.checked_on.isoformat()}, more than a year "
                    f"before the course ({course_date.isoformat()}): check it against its source again",
                    severity="warning",
                )
            )


def _check_slide_template(course_input: CourseInput, problems: list[Problem]) -> None:
    """A course's own .pptx must be a .pptx file inside the course folder."""
    template = course_input.course.slides.template
    folder = course_input.folder
    located = course_input.course_located
    if not template or folder is None or located is None:
        return
    path = (folder / template).resolve()
    if not path.is_relative_to(folder.resolve()):
        problems.append(located.problem(("slides", "template"), f"slides.template: '{template}' is outside the course folder"))
    elif path.suffix.lower() != ".pptx" or not path.is_file():
        problems.append(located.problem(("slides", "template"), f"slides.template: no .pptx file '{template}' in the course folder"))
    elif not _is_pptx(path):
        problems.append(
            located.problem(("slides", "template"), f"slides.template: '{template}' is not a PowerPoint (.pptx) file: open and save it again in PowerPoint or LibreOffice")
        )


def _is_pptx(path) -> bool:  # type: ignore[no-untyped-def]
    """Whether the file is a zip package with a presentation part (checked without python-pptx)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    return "[Content_Types].xml" in names and "ppt/presentation.xml" in names


def _check_markdown_depth(located: Located, value: object, path: Path_, problems: list[Problem]) -> None:
    """Markdown nested hundreds of levels deep (lists, quotes) is refused here, with its place,
    before it can reach WeasyPrint (which fails with RecursionError on a few hundred tags)."""
    from .render.markdown import MAX_DEPTH, markdown_depth

    if isinstance(value, str):
        if ("\n" in value or ">" in value) and (depth := markdown_depth(value)) > MAX_DEPTH:
            problems.append(
                located.problem(
                    path,
                    f"{describe_path(path, 'text')}: Markdown nested {depth} levels deep (lists or quotes); "
                    f"at most {MAX_DEPTH} levels are allowed",
                )
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_markdown_depth(located, item, (*path, key), problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_markdown_depth(located, item, (*path, index), problems)


def _check_certificate_template(course_input: CourseInput, problems: list[Problem]) -> None:
    """A course's own certificate template must be an HTML file inside the course folder that
    renders, in the sandbox, for every participant."""
    from .render.sandbox import TemplateProblem, certificate_values, render_course_template

    course = course_input.course
    template = course.certificate_template
    folder = course_input.folder
    located = course_input.course_located
    if not template or folder is None or located is None:
        return
    path = (folder / template).resolve()
    where = ("certificate_template",)
    if not path.is_relative_to(folder.resolve()):
        problems.append(located.problem(where, f"certificate_template: '{template}' is outside the course folder"))
        return
    if path.suffix.lower() not in (".html", ".htm") or not path.is_file():
        problems.append(located.problem(where, f"certificate_template: no .html file '{template}' in the course folder"))
        return
    people = course.participants or []
    values = [certificate_values(course, person.name, person.organisation, course.start_date.isoformat() if course.start_date else "")
              for person in people] or [certificate_values(course, "Participant", "", "")]
    try:
        render_course_template(path, template, values)
    except TemplateProblem as error:
        problems.append(located.problem(where, f"certificate_template: {error}"))

