"""Cross-checks between items: references exist, sessions belong to modules, timings fit."""

from __future__ import annotations

from pathlib import Path
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
        _check_cards(activity, located, refs, problems)
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
    _check_logos(course_input, problems)
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
        if segment.menu is not None:
            _check_menu(segment, base, located, problems)
        if segment.parts:
            fixed = [part for part in segment.parts if not (segment.menu and part.optional)]
            total_low = sum(part.minutes.low for part in fixed) + (segment.menu.budget if segment.menu else 0)
            total_high = sum(part.minutes.high for part in fixed) + (segment.menu.budget if segment.menu else 0)
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


def _check_menu(segment, base: Path_, located: Located, problems: list[Problem]) -> None:  # type: ignore[no-untyped-def]
    """A menu names optional parts of its own segment."""
    items = {part.id for part in segment.parts if part.optional}
    menu = segment.menu
    named = [(("menu", "default", i), item) for i, item in enumerate(menu.default)]
    named += [(("menu", "by_condition", condition, i), item) for condition, ids in menu.by_condition.items() for i, item in enumerate(ids)]
    for path, item in named:
        if item not in items:
            problems.append(located.problem((*base, *path), f"{describe_path((*base, *path), 'menu')}: '{item}' is not an optional part "
                                                            f"of this segment{suggest(item, items)}"))
    if menu.choose[0] > menu.choose[1]:
        problems.append(located.problem((*base, "menu", "choose"), "menu.choose: the fewest items is more than the most"))


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
    if segment.diagram:
        refs.expect(located, (*base, "diagram"), segment.diagram, "diagram")


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
    """A course's own .pptx must be a regular .pptx file inside the course folder, of a sane
    size, whose zip package is not a bomb and that has slide layouts to build decks on."""
    from .files import UnsafeFile, archive_problem, megabytes, regular
    from .render.slides import MAX_SLIDE_TEMPLATE_BYTES

    template = course_input.course.slides.template
    folder = course_input.folder
    located = course_input.course_located
    if not template or folder is None or located is None:
        return
    where = ("slides", "template")
    if Path(template).suffix.lower() != ".pptx":
        problems.append(located.problem(where, f"slides.template: '{template}' is not a .pptx file"))
        return
    try:
        path, info = regular(folder / template, folder)
    except UnsafeFile as error:
        problems.append(located.problem(where, f"slides.template: {_file_problem(folder, template, error, '.pptx')}"))
        return
    if info.st_size > MAX_SLIDE_TEMPLATE_BYTES:
        problems.append(located.problem(
            where, f"slides.template: '{template}' is {megabytes(info.st_size)}; the limit is {megabytes(MAX_SLIDE_TEMPLATE_BYTES)}"))
        return
    problem = archive_problem(path)
    if problem is None and not _is_pptx(path):
        problem = "not a PowerPoint (.pptx) file: open and save it again in PowerPoint or LibreOffice"
    elif problem is None:
        layouts = _has_layouts(path)
        if layouts is None:
            problem = "a damaged zip package (its parts cannot be read): open and save it again in PowerPoint or LibreOffice"
        elif not layouts:
            problem = "has no slide layouts to build the decks on: save it from PowerPoint or LibreOffice as a template with layouts"
    if problem:
        problems.append(located.problem(where, f"slides.template: '{template}': {problem}"))


def _file_problem(folder: Path, name: str, error: Exception, kind: str) -> str:
    """What is wrong with a file course.yaml names, as the rest of a message about the field."""
    from .files import UnsafeFile

    assert isinstance(error, UnsafeFile)
    if error.reason == "does not exist":
        return f"no {kind} file '{name}' in the course folder"
    if error.path == folder / name:
        return f"'{name}' {error.reason}"
    return f"'{name}': {error.path} {error.reason}"


def _is_pptx(path) -> bool:  # type: ignore[no-untyped-def]
    """Whether the file is a zip package with a presentation part (checked without python-pptx)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    return "[Content_Types].xml" in names and "ppt/presentation.xml" in names


def _has_layouts(path) -> bool | None:  # type: ignore[no-untyped-def]
    """Whether the package's slide master lists at least one layout part that it holds; None
    when its parts cannot be read (damaged compressed data)."""
    import zipfile
    import zlib

    try:
        return _lists_layouts(path)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, KeyError, ValueError):
        return None


def _lists_layouts(path) -> bool:  # type: ignore[no-untyped-def]
    import re
    import zipfile

    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        masters = sorted(name for name in names if re.fullmatch(r"ppt/slideMasters/slideMaster\d+\.xml", name))
        for master in masters:
            rels = f"ppt/slideMasters/_rels/{master.rsplit('/', 1)[1]}.rels"
            if rels not in names or package.getinfo(master).file_size > 10 * 1024 * 1024:
                continue
            listed = re.search(rb"<p:sldLayoutIdLst>\s*<p:sldLayoutId\b", package.read(master))
            targets = re.findall(rb'Target="\.\./slideLayouts/(slideLayout\d+\.xml)"', package.read(rels))
            if listed and any(f"ppt/slideLayouts/{target.decode()}" in names for target in targets):
                return True
    return False


def _check_markdown_depth(located: Located, value: object, path: Path_, problems: list[Problem]) -> None:
    """Markdown nested hundreds of levels deep (lists, quotes) or thousands of lines long is
    refused here, with its place, before it can reach WeasyPrint (which fails with
    RecursionError on a few hundred nested tags, and takes minutes over thousands of lines)."""
    from .render.markdown import MAX_MARKDOWN_DEPTH, MAX_MARKDOWN_LINES, markdown_depth

    if isinstance(value, str):
        if (lines := value.count("\n") + 1) > MAX_MARKDOWN_LINES:
            problems.append(
                located.problem(
                    path,
                    f"{describe_path(path, 'text')}: {lines:,} lines of text; at most {MAX_MARKDOWN_LINES:,} lines are allowed",
                )
            )
        elif ("\n" in value or ">" in value) and (depth := markdown_depth(value)) > MAX_MARKDOWN_DEPTH:
            problems.append(
                located.problem(
                    path,
                    f"{describe_path(path, 'text')}: Markdown nested {depth} levels deep (lists or quotes); "
                    f"at most {MAX_MARKDOWN_DEPTH} levels are allowed",
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
    from .files import UnsafeFile, regular
    from .render.sandbox import TemplateProblem, certificate_values, render_course_template

    course = course_input.course
    template = course.certificate_template
    folder = course_input.folder
    located = course_input.course_located
    if not template or folder is None or located is None:
        return
    where = ("certificate_template",)
    if Path(template).suffix.lower() not in (".html", ".htm"):
        problems.append(located.problem(where, f"certificate_template: '{template}' is not an .html file"))
        return
    try:
        path, _info = regular(folder / template, folder)
    except UnsafeFile as error:
        problems.append(located.problem(where, f"certificate_template: {_file_problem(folder, template, error, '.html')}"))
        return
    people = course.participants or []
    values = [certificate_values(course, person.name, person.organisation, course.start_date.isoformat() if course.start_date else "")
              for person in people] or [certificate_values(course, "Participant", "", "")]
    try:
        render_course_template(path, template, values)
    except TemplateProblem as error:
        problems.append(located.problem(where, f"certificate_template: {error}"))



def _days_source(course_input: CourseInput) -> tuple[Located | None, Path_]:
    """Where the course's days are written: course.yaml's `days`, else the sample agenda's."""
    located = course_input.course_located
    if located is not None and isinstance(located.data, dict) and "days" in located.data:
        return located, ("days",)
    return course_input.library.programme_located, ("sample_agenda", "days")


def check_days(course_input: CourseInput) -> list[Problem]:
    """Every day of the course can hold its fixed items: recap, breaks, lunch, wrap-up or close
    inside the day's hours and not on top of each other."""
    from .schedule import day_problems

    located, base = _days_source(course_input)
    days = course_input.course.days
    problems: list[Problem] = []
    for index, day in enumerate(days):
        for path, message in day_problems(day, index + 1, index == len(days) - 1):
            where: Path_ = (*base, index, *path)
            field = describe_path(where, "days")
            if located is None:
                problems.append(Problem(None, None, None, f"{field}: {message}"))
            else:
                problems.append(located.problem(where, f"{field}: {message}"))
    return problems


def schedule_problem(course_input: CourseInput, message: str) -> Problem:
    """A course that cannot be scheduled, placed at the course.yaml field to change (its days,
    else its sessions), or at the sample agenda."""
    located = course_input.course_located
    if located is not None and isinstance(located.data, dict):
        for key in ("days", "sessions"):
            if key in located.data:
                return located.problem((key,), f"{key}: {message}", key=True)
        return Problem(located.file, None, None, message)
    return course_input.library.programme_located.problem(("sample_agenda",), f"sample_agenda: {message}", key=True)


def check_overrides(course_input: CourseInput) -> list[Problem]:
    """assessment.yaml values that course.yaml overrides: warnings that name both places."""
    assessment = course_input.assessment_located
    course_located = course_input.course_located
    if assessment is None or not isinstance(assessment.data, dict):
        return []
    logistics = assessment.data.get("logistics")
    if not isinstance(logistics, dict):
        return []
    course = course_input.course
    course_data = course_located.data if course_located is not None and isinstance(course_located.data, dict) else {}
    problems: list[Problem] = []

    def where(key: str) -> str:
        if course_located is not None and key in course_data:
            line, _ = course_located.where((key,), key=True)
            return f"course.yaml:{line}"
        return "the guide's sample agenda"

    days = course_input.assessment.logistics.days
    if "days" in logistics and days != len(course.days):
        problems.append(
            assessment.problem(
                ("logistics", "days"),
                f"logistics.days: {days}, but the course has {len(course.days)} day(s) ({where('days')}): "
                "course.yaml decides; change one of them so that they agree",
                severity="warning",
            )
        )
    start = course_input.assessment.logistics.start_date
    if "start_date" in logistics and start is not None and course.start_date is not None and start != course.start_date:
        problems.append(
            assessment.problem(
                ("logistics", "start_date"),
                f"logistics.start_date: {start.isoformat()}, but course.yaml's start_date is "
                f"{course.start_date.isoformat()} ({where('start_date')}): course.yaml decides",
                severity="warning",
            )
        )
    hours = course_input.assessment.logistics.hours_per_day
    if "hours_per_day" in logistics and hours is not None and course.days:
        lengths = sorted({(d.end.hour * 60 + d.end.minute) - (d.start.hour * 60 + d.start.minute) for d in course.days})
        if all(abs(length - hours * 60) > 30 for length in lengths):
            shown = ", ".join(format_minutes(length) for length in lengths)
            problems.append(
                assessment.problem(
                    ("logistics", "hours_per_day"),
                    f"logistics.hours_per_day: {hours:g}, but the course's days run {shown} ({where('days')}): "
                    "course.yaml decides",
                    severity="warning",
                )
            )
    return problems


def dependants(library: Library, sessions: list[str]) -> dict[str, list[str]]:
    """Session id -> the sessions of the course that build on it ("session 5")."""
    out: dict[str, list[str]] = {}
    for session_id in sessions:
        session = library.sessions.get(session_id)
        if session is None:
            continue
        for dependency in session.builds_on:
            out.setdefault(dependency.session, []).append(f"session {session.number}")
    return out


def check_dependencies(course_input: CourseInput) -> list[Problem]:
    """A course that leaves out a session others build on: a warning naming the dependants
    and what their plans do instead."""
    located = course_input.course_located
    if located is None or not isinstance(located.data, dict) or "sessions" not in located.data:
        return []
    library = course_input.library
    running = {choice.id for choice in course_input.course.sessions}
    problems: list[Problem] = []
    for choice in course_input.course.sessions:
        session = library.sessions.get(choice.id)
        if session is None:
            continue
        for dependency in session.builds_on:
            if dependency.session in running or dependency.session not in library.sessions:
                continue
            left_out = library.sessions[dependency.session]
            minutes = f" ({dependency.minutes} min, taken from its own time)" if dependency.minutes else ""
            problems.append(
                located.problem(
                    ("sessions",),
                    f"sessions: session {session.number} builds on session {left_out.number} ({dependency.what}), "
                    f"which this course leaves out: session {session.number}'s plan says what to do instead{minutes}",
                    key=True,
                    severity="warning",
                )
            )
    return problems


GENERIC_PRINTABLES = ("time-cards", "name-tents", "table-tents")
"""Printables every course gets, which an activity's material may name in `printable`."""


def _check_cards(activity, located: Located, refs: _References, problems: list[Problem]) -> None:  # type: ignore[no-untyped-def]
    """An activity's card sets: unique ids, sources that exist, materials that name a set."""
    _unique(located, [(("cards", i, "id"), c.id) for i, c in enumerate(activity.cards)], "card set", problems)
    own = [card_set.id for card_set in activity.cards]
    variants = [variant.id for variant in activity.variants]
    for index, card_set in enumerate(activity.cards):
        if card_set.variant and card_set.variant not in variants:
            problems.append(located.problem(
                ("cards", index, "variant"),
                f"cards[{index + 1}].variant: '{card_set.variant}' is not a variant of this activity{suggest(card_set.variant, variants)}",
            ))
        source = card_set.cards_from
        if source is None:
            continue
        if source.activity:
            refs.expect(located, ("cards", index, "cards_from", "activity"), source.activity, "activity")
        if source.handout:
            refs.expect(located, ("cards", index, "cards_from", "handout"), source.handout, "handout")
    for index, material in enumerate(activity.materials):
        if material.printable and material.printable not in own and material.printable not in GENERIC_PRINTABLES:
            known = [*own, *GENERIC_PRINTABLES]
            problems.append(located.problem(
                ("materials", index, "printable"),
                f"materials[{index + 1}].printable: '{material.printable}' is neither a card set of this activity "
                f"nor one of {', '.join(GENERIC_PRINTABLES)}{suggest(material.printable, known)}",
            ))


def _check_logos(course_input: CourseInput, problems: list[Problem]) -> None:
    """Logos must be image files inside the course folder that documents may use."""
    folder = course_input.folder
    located = course_input.course_located
    if folder is None or located is None or not course_input.course.logos:
        return
    from .render.common import image_problem

    for index, logo in enumerate(course_input.course.logos):
        where = ("logos", index)
        path = (folder / logo).resolve()
        if not path.is_relative_to(folder.resolve()):
            problems.append(located.problem(where, f"logos[{index + 1}]: '{logo}' is outside the course folder"))
        elif path.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg") or not path.is_file():
            problems.append(located.problem(where, f"logos[{index + 1}]: no PNG, JPEG or SVG file '{logo}' in the course folder"))
        elif path.stat().st_size > 5 * 1024 * 1024:
            problems.append(located.problem(where, f"logos[{index + 1}]: '{logo}' is larger than 5 MB: save a smaller copy"))
        elif problem := image_problem(path):
            problems.append(located.problem(where, f"logos[{index + 1}]: '{logo}' cannot be used: {problem}"))
