"""Loading: the library's YAML and a course folder's files become validated models.

Every problem in every file is collected before anything stops, each with its file, line,
column and field; then one InputError carries them all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .errors import CourseNotFound, InputError, Problem
from .files import UnsafeFile, inside, regular
from .library import FOLDERS, LOCAL_FOLDERS, PROGRAMME_FILE, library_root
from .models import Activity, Assessment, Course, Example, Form, Handout, LocalContext, Module, Programme, Session, Slot, Vocabulary
from .models.diagram import Diagram
from .validation import validate
from .yamlfile import Located, YamlProblem, read_yaml

if TYPE_CHECKING:
    from .translate import TranslationReport
MAX_FOLDER_FILES = 1_000
"""At most this many YAML files in one folder of items (the library's largest holds about 30)."""

MODELS: dict[str, type[BaseModel]] = {
    "module": Module,
    "session": Session,
    "activity": Activity,
    "handout": Handout,
    "form": Form,
    "context": LocalContext,
    "example": Example,
    "slot": Slot,
    "vocabulary": Vocabulary,
    "diagram": Diagram,
}


@dataclass
class Entry:
    """One item of the library or of a course's local/ folder, with where it was read."""

    kind: str
    item: Any
    located: Located
    local: bool = False
    replaces: Path | None = None
    """The library file a local item overrides."""

    @property
    def id(self) -> str:
        return self.item.id


@dataclass
class Library:
    """Every module, session, activity, handout and form, by id, after any local overlay."""

    root: Path
    programme: Programme
    programme_located: Located
    entries: dict[str, Entry] = field(default_factory=dict)

    def of(self, kind: str) -> dict[str, Any]:
        return {key: entry.item for key, entry in self.entries.items() if entry.kind == kind}

    @property
    def modules(self) -> dict[str, Module]:
        return self.of("module")

    @property
    def sessions(self) -> dict[str, Session]:
        return dict(sorted(self.of("session").items(), key=lambda pair: pair[1].number))

    @property
    def activities(self) -> dict[str, Activity]:
        return self.of("activity")

    @property
    def handouts(self) -> dict[str, Handout]:
        return self.of("handout")

    @property
    def forms(self) -> dict[str, Form]:
        return self.of("form")

    @property
    def examples(self) -> dict[str, Example]:
        return self.of("example")

    @property
    def slots(self) -> dict[str, Slot]:
        """The plans of the agenda's fixed items (recap, wrap-up, close), by id."""
        return self.of("slot")

    @property
    def vocabulary(self) -> list[Vocabulary]:
        """The vocabulary of every language the library has."""
        return list(self.of("vocabulary").values())

    def needs_internet(self, text: str) -> bool:
        """Whether an item's text says it needs the internet, in any language's words."""
        import re

        lowered = text.lower()
        return any(
            re.search(r"(?<!\w)" + re.escape(word.lower()), lowered)
            for vocabulary in self.vocabulary for word in vocabulary.needs_internet
        )

    @property
    def diagrams(self) -> dict[str, Diagram]:
        """The diagrams and charts segments show (`diagram: <id>`), by id."""
        return self.of("diagram")

    @property
    def local_context(self) -> dict[str, LocalContext]:
        return self.of("context")


@dataclass
class CourseInput:
    """Everything a course is built from: its library (with overlay), course and assessment."""

    library: Library
    course: Course
    assessment: Assessment
    folder: Path | None
    """The course folder, or None for the built-in sample course."""
    course_located: Located | None = None
    assessment_located: Located | None = None
    warnings: list[Problem] = field(default_factory=list)
    language: str = "en"
    """The course language: course.yaml's `language`, else the assessment's first language."""
    translation: TranslationReport | None = None
    """For a course in another language than English: which library texts were translated
    and which stay English (the build lists them)."""


def course_language(course: Course, assessment: Assessment) -> str:
    """The course language: course.yaml's `language` when it sets one, else the first
    language of the needs assessment, else English."""
    languages = assessment.context.languages
    if "language" in course.model_fields_set or not languages:
        return course.language
    return languages[0]


def _where(local: bool) -> str:
    return "the course folder" if local else "the library"


def _read(file: Path, problems: list[Problem], root: Path, where: str = "the course folder") -> Located | None:
    """Read a YAML file that must be a regular file inside `root`; a problem if it is not."""
    try:
        return read_yaml(file, root=root, where=where)
    except YamlProblem as error:
        problems.append(error.problem)
        return None


def _yaml_files(folder: Path, root: Path, problems: list[Problem], where: str) -> list[Path]:
    """The YAML files of a folder of items. The folder must be inside `root` (a link out of it
    is one problem, naming the link); a name ending in .yaml that is not a regular file (a
    folder, a FIFO, a device) is a problem too, never skipped silently and never opened."""
    if not os.path.lexists(folder):
        return []
    try:
        inside(folder, root, where)
    except UnsafeFile as error:
        problems.append(Problem(error.path, None, None, error.reason))
        return []
    if not folder.is_dir():
        problems.append(Problem(folder, None, None, "is not a folder; trainer reads the items of this kind from a folder of this name"))
        return []
    files: list[Path] = []
    try:
        names = sorted(path for path in folder.iterdir() if path.suffix in (".yaml", ".yml"))
    except OSError as error:
        problems.append(Problem(folder, None, None, f"cannot be read ({error.strerror or error})"))
        return files
    if len(names) > MAX_FOLDER_FILES:
        problems.append(Problem(folder, None, None, f"holds {len(names):,} YAML files; at most {MAX_FOLDER_FILES:,} are read from one folder"))
        return files
    for path in names:
        try:
            regular(path, root, where)
        except UnsafeFile as error:
            problems.append(Problem(error.path, None, None, error.reason))
            continue
        files.append(path)
    return files


def _load_items(root: Path, folders: dict[str, str], problems: list[Problem], *, local: bool) -> list[Entry]:
    entries: list[Entry] = []
    for kind, folder in folders.items():
        for file in _yaml_files(root / folder, root, problems, _where(local)):
            if not local and f"{folder}/{file.name}" == PROGRAMME_FILE:
                continue
            located = _read(file, problems, root, _where(local))
            if located is None:
                continue
            item, found = validate(MODELS[kind], located, kind)
            problems.extend(found)
            if item is not None:
                entries.append(Entry(kind, item, located, local=local))
    return entries


def _add(library: Library, entries: list[Entry], problems: list[Problem]) -> None:
    for entry in entries:
        existing = library.entries.get(entry.id)
        if existing is None:
            library.entries[entry.id] = entry
            continue
        first = existing.located.problem(("id",), "")
        where = f"{first.location()}"
        if entry.local and not existing.local and existing.kind == entry.kind:
            entry.replaces = existing.located.file
            library.entries[entry.id] = entry
        elif existing.kind != entry.kind:
            problems.append(
                entry.located.problem(
                    ("id",), f"id: '{entry.id}' is already the id of a {existing.kind} ({where}); ids must be unique"
                )
            )
        else:
            problems.append(
                entry.located.problem(("id",), f"id: duplicate {entry.kind} id '{entry.id}' (also in {where})")
            )


def load_library(root: Path | None = None, course_folder: Path | None = None) -> tuple[Library, list[Problem]]:
    """Read the library (and a course's local/ overlay); return it with every problem found.

    Raises InputError only when the library cannot be read at all (no course.yaml).
    """
    root = root or library_root()
    problems: list[Problem] = []
    located = _read(root / PROGRAMME_FILE, problems, root, "the library")
    programme = None
    if located is not None:
        programme, found = validate(Programme, located, "course programme")
        problems.extend(found)
    if programme is None or located is None:
        raise InputError(problems)
    library = Library(root, programme, located)
    _add(library, _load_items(root, FOLDERS, problems, local=False), problems)
    if course_folder is not None:
        _add(library, _load_items(course_folder, LOCAL_FOLDERS, problems, local=True), problems)
    return library, problems


def apply_defaults(course: Course, programme: Programme, sessions: dict[str, Any]) -> Course:
    """Fill what course.yaml leaves out from the guide's sample course."""
    sample = programme.sample_agenda
    updates: dict[str, Any] = {}
    if not course.title:
        updates["title"] = sample.title or programme.title
    if not course.sessions:
        chosen = [choice for choice in sample.sessions if choice.id in sessions]
        if course.days:
            # the sample's pins (session 2's 90 minutes, session 7 on day 3 at 09:15 ...) fit
            # the sample's own days; a course with its own days takes the sessions unpinned
            chosen = [type(choice)(id=choice.id) for choice in chosen]
        updates["sessions"] = chosen
    if not course.days:
        updates["days"] = sample.days
    return course.model_copy(update=updates)


def read_course(folder: Path | None = None, library_dir: Path | None = None) -> tuple[CourseInput, list[Problem]]:
    """Read the library and a course folder (or the built-in sample course when `folder` is
    None) into models, with every problem found in the files themselves. The checks between
    items are the next stage's (`trainer.checks`, run by `trainer.prepare`).

    Raises CourseNotFound if the folder is missing, InputError if the library cannot be read.
    """
    if folder is not None:
        if not folder.is_dir():
            raise CourseNotFound(f"{folder}: no such course folder")
        if not os.path.lexists(folder / "course.yaml"):
            raise CourseNotFound(f"{folder}: not a course folder (no course.yaml); create one with 'trainer init {folder}'")
    library, problems = load_library(library_dir, folder)
    course = Course()
    assessment = Assessment()
    course_located = assessment_located = None
    if folder is not None:
        course_located = _read(folder / "course.yaml", problems, folder)
        if course_located is not None:
            loaded, found = validate(Course, course_located, "course")
            problems.extend(found)
            course = loaded or course
        if os.path.lexists(folder / "assessment.yaml"):
            assessment_located = _read(folder / "assessment.yaml", problems, folder)
            if assessment_located is not None:
                loaded, found = validate(Assessment, assessment_located, "assessment")
                problems.extend(found)
                assessment = loaded or assessment
    language = course_language(course, assessment)
    translation = None
    if language != "en":
        # the library in the course language, before the defaults copy the programme's title
        # and before adaptation reads it (trainer/translate.py)
        from .translate import translate_library

        library, translation = translate_library(library, language)
    course = apply_defaults(course, library.programme, library.sessions)
    course_input = CourseInput(library, course, assessment, folder, course_located, assessment_located,
                               language=language, translation=translation)
    return course_input, problems
