"""The command line: thin commands that parse options, call a stage and print its result.

Nothing heavy is imported at module level: each command imports its stage inside the
function, so `trainer --help` starts as fast as a bare Typer app.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__

app = typer.Typer(
    name="trainer",
    help=(
        "Build the OHCHR course 'Towards a Human Rights-Based Approach to Migration': "
        "agenda, session plans, slides, handouts and forms.\n\n"
        "Example: trainer check my-course"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def run() -> None:
    """The console script: the app, with a last guard so that no user ever sees a traceback."""
    import sys

    try:
        app()
    except KeyboardInterrupt:
        print("interrupted; nothing more was written", file=sys.stderr)
        raise SystemExit(130) from None
    except Exception as error:  # noqa: BLE001 - the guard of last resort
        print(
            f"trainer: internal error ({type(error).__name__}: {error}). "
            "This is a bug in trainer, not in your course: please report it with the command you ran.",
            file=sys.stderr,
        )
        raise SystemExit(70) from None

CourseDir = Annotated[
    Optional[Path],
    typer.Argument(
        help="A course folder (with course.yaml). Leave out to use the current folder when it holds a "
        "course.yaml, else the guide's built-in sample course.",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"trainer {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Build the OHCHR course 'Towards a Human Rights-Based Approach to Migration'."""


MAX_SHOWN = 40
"""At most this many problems are printed; the count of the rest follows."""


def _fail(error: Exception) -> typer.Exit:
    """Print a TrainerError as the user should see it, and give the exit code."""
    from .errors import InputError

    console = _console(stderr=True)
    if isinstance(error, InputError):
        errors = [problem for problem in error.problems if problem.severity == "error"]
        ordered = sorted(error.problems, key=lambda problem: problem.severity != "error")
        for problem in ordered[:MAX_SHOWN]:
            style = "red" if problem.severity == "error" else "yellow"
            console.print(problem.format(), style=style, markup=False, highlight=False, soft_wrap=True)
        if len(ordered) > MAX_SHOWN:
            console.print(
                f"... and {len(ordered) - MAX_SHOWN} more (fix the first ones: one indentation slip often causes many)",
                style="red", highlight=False, markup=False,
            )
        console.print(f"{len(errors)} error(s); nothing was written.", style="bold red", highlight=False, markup=False)
    else:
        console.print(f"error: {error}", style="red", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(getattr(error, "exit_code", 1))


def _console(stderr: bool = False):  # type: ignore[no-untyped-def]
    """A console that prints text as it is: a course's titles and a questionnaire's answers
    are never read as Rich markup (`[/bold]`) or emoji codes (`:smile:`)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, markup=False, emoji=False)


def _course_dir(course_dir: Path | None) -> Path | None:
    """The course a command works on: the folder given, else the current folder when it holds
    a course.yaml, else None (the guide's built-in sample course)."""
    if course_dir is None and Path("course.yaml").is_file():
        return Path(".")
    return course_dir


def _announce(course_dir: Path | None, stderr: bool = False) -> None:
    """Every command's first line names the course it works on."""
    if course_dir is None:
        line = "course: the guide's sample course (built in)"
    else:
        shown = "the current folder" if course_dir == Path(".") else str(course_dir)
        line = f"course: {shown} ({course_dir / 'course.yaml'})"
    _console(stderr=stderr).print(line, markup=False, highlight=False, soft_wrap=True)


def _prepare(course_dir: Path | None):  # type: ignore[no-untyped-def]
    from .errors import TrainerError
    from .prepare import prepare

    try:
        return prepare(course_dir)
    except TrainerError as error:
        raise _fail(error) from None


def _warn(problems) -> None:  # type: ignore[no-untyped-def]
    errors = _console(stderr=True)
    for problem in problems:
        errors.print(problem.format(), style="yellow", markup=False, highlight=False, soft_wrap=True)


@app.command()
def check(course_dir: CourseDir = None) -> None:
    """Validate the library and a course folder: every check that plan and build run, the
    schedule included; list every problem with its file and line.

    Exit 0 when all is well (warnings may be printed), 1 when there are errors.

    Example: trainer check my-course
    """
    from rich.text import Text

    course_dir = _course_dir(course_dir)
    _announce(course_dir)
    prepared = _prepare(course_dir)
    from .models.minutes import format_minutes

    console = _console()
    _warn(prepared.warnings)
    library = prepared.library
    course = prepared.course
    local = [entry for entry in library.entries.values() if entry.local]
    console.print(Text(prepared.title, style="bold"))
    console.print(
        f"library: {len(library.modules)} modules, {len(library.sessions)} sessions, "
        f"{len(library.activities)} activities, {len(library.handouts)} handouts, {len(library.forms)} forms",
        markup=False,
    )
    if prepared.folder is not None:
        console.print(f"course: {len(local)} local item(s)", markup=False)
    minutes = sum(item.minutes for item in prepared.agenda.sessions())
    console.print(
        f"{len(course.sessions)} sessions over {len(course.days)} days: {format_minutes(minutes)} of sessions scheduled",
        markup=False,
    )
    warnings = len(prepared.warnings)
    console.print(Text("ok", style="green") + Text(f" ({warnings} warning(s))" if warnings else ""))


@app.command()
def init(
    course_dir: Annotated[Path, typer.Argument(help="The folder to create (or fill).")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing course.yaml and assessment.yaml (keeping .bak copies).")] = False,
) -> None:
    """Create a course folder: course.yaml and assessment.yaml, every field explained, and local/.

    Example: trainer init my-course
    """
    from .errors import TrainerError
    from .init import init_course

    try:
        written = init_course(course_dir, force)
    except TrainerError as error:
        raise _fail(error) from None
    console = _console()
    for path in written:
        console.print(f"  wrote {path}", markup=False)
    console.print(f"Next: edit {course_dir}/course.yaml and {course_dir}/assessment.yaml, then run 'trainer plan {course_dir}'.", markup=False)


@app.command()
def assess(
    course_dir: Annotated[Path, typer.Argument(help="The course folder whose assessment.yaml to fill.")],
    responses: Annotated[Optional[Path], typer.Option("--responses", "-r", help="Questionnaire answers: CSV or XLSX (KoboToolbox, ODK, or the data-entry sheet).")] = None,
    interactive: Annotated[bool, typer.Option("--interactive", "-i", help="Answer the assessment questions here in the terminal.")] = False,
) -> None:
    """Fill the course's needs assessment from questionnaire answers or by answering questions.

    Example: trainer assess my-course --responses answers.xlsx
    """
    from .assess import apply_summary, interactive as ask_questions, summarise
    from .errors import CourseNotFound, TrainerError

    _announce(course_dir)
    if not (course_dir / "course.yaml").is_file():
        raise _fail(CourseNotFound(f"{course_dir}: not a course folder (no course.yaml); create one with 'trainer init {course_dir}'"))
    if not responses and not interactive:
        raise _fail(TrainerError("say where the answers come from: --responses FILE or --interactive"))
    console = _console()
    try:
        if responses:
            from .prepare import load

            forms = load(course_dir).library.forms
            summary = summarise(responses, forms)
            for problem in summary.problems:
                _console(stderr=True).print(problem.format(), style="yellow", markup=False)
            from rich.table import Table

            table = Table(title=f"Pre-course questionnaire: {summary.used} of {summary.rows} answers used", title_justify="left")
            table.add_column("")
            table.add_column("answers")
            table.add_row("sectors", ", ".join(f"{k} {v}" for k, v in summary.sectors.most_common()))
            table.add_row("gender", ", ".join(f"{k} {v}" for k, v in summary.genders.most_common()))
            table.add_row("human rights experience", str(summary.level(summary.hr_levels)))
            table.add_row("migration experience", str(summary.level(summary.migration_levels)))
            table.add_row("topics of interest", ", ".join(f"{k} {v}" for k, v in summary.topics.most_common(8)))
            table.add_row("expectations", f"{len(summary.expectations)} written")
            console.print(table)
            if summary.problems:
                console.print(f"{len(summary.problems)} row(s) had problems and were left out of the summary (listed above).", markup=False)
            target = apply_summary(course_dir, summary)
        else:
            from rich.prompt import Confirm, Prompt

            target = ask_questions(
                course_dir,
                lambda question, default: Prompt.ask(question, default=str(default)),
                lambda question, default: Confirm.ask(question, default=bool(default)),
                lambda message: console.print(message, style="yellow", markup=False),
            )
    except TrainerError as error:
        raise _fail(error) from None
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise _fail(TrainerError(f"the answers do not make a valid assessment: {error}")) from None
    console.print(f"wrote {target} (the previous version is kept beside it as a dated .bak file)", markup=False)


class Kind(str, Enum):
    modules = "modules"
    sessions = "sessions"
    activities = "activities"
    handouts = "handouts"
    forms = "forms"


@app.command("list")
def list_items(
    kind: Annotated[Kind, typer.Argument(help="What to list.")] = Kind.sessions,
    course_dir: Annotated[
        Optional[Path], typer.Option("--course", "-c", help="A course folder whose local/ items are included.")
    ] = None,
) -> None:
    """List the modules, sessions, activities, handouts or forms as a table.

    Example: trainer list activities
    """
    course_dir = _course_dir(course_dir)
    _announce(course_dir)
    prepared = _prepare(course_dir)
    from .show import list_table

    _console().print(list_table(prepared.library, kind.value))


@app.command()
def show(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="The id of a module, session, activity, handout or form.")],
    course_dir: Annotated[
        Optional[Path], typer.Option("--course", "-c", help="A course folder whose local/ items are included.")
    ] = None,
) -> None:
    """Show one item of the library, readably.

    Example: trainer show session-1
    """
    course_dir = _course_dir(course_dir)
    _announce(course_dir)
    prepared = _prepare(course_dir)
    from .errors import UnknownItem
    from .show import render_item

    try:
        renderables = render_item(prepared.library, item_id)
    except UnknownItem as error:
        raise _fail(error) from None
    console = _console()
    for renderable in renderables:
        console.print(renderable)


@app.command()
def plan(
    course_dir: CourseDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the agenda as JSON (schema in the README).")] = False,
    detail: Annotated[bool, typer.Option("--detail", help="Show every segment with its clock time.")] = False,
) -> None:
    """Schedule the course and show the agenda, day by day, with what was changed and why.

    Example: trainer plan my-course --detail
    """
    course_dir = _course_dir(course_dir)
    _announce(course_dir, stderr=as_json)
    prepared = _prepare(course_dir)
    from .schedule import agenda_json

    agenda = prepared.agenda
    course_plan = prepared.plan
    title = prepared.title
    if as_json:
        import json

        data = agenda_json(agenda, title)
        data["adaptations"] = [adaptation.__dict__ for adaptation in course_plan.adaptations]
        data["conditions"] = course_plan.conditions
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from .show import adaptations_table, agenda_tables

    _warn(prepared.warnings)
    console = _console()
    for renderable in agenda_tables(agenda, title, detail=detail):
        console.print(renderable)
    if course_plan.adaptations:
        console.print(adaptations_table(course_plan.adaptations))


class Paper(str, Enum):
    a4 = "a4"
    letter = "letter"


@app.command()
def build(
    course_dir: CourseDir = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output folder (default: COURSE_DIR/build, or ./build).")] = None,
    only: Annotated[Optional[str], typer.Option("--only", help="Comma-separated document kinds, e.g. 'agenda,slides'.")] = None,
    paper: Annotated[Optional[Paper], typer.Option("--paper", help="Paper size (default: the course's, else A4).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Render every document again, even those that are up to date.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Build the course's documents into its build folder.

    With no course folder, builds the guide's sample course into ./build. Documents whose
    inputs have not changed since the last build are kept as they are.

    Kinds: agenda, session-plans, slides, handouts, forms, checklist, certificates.

    Example: trainer build my-course --only agenda,slides --paper letter
    """
    import sys

    from .build import build as run_build
    from .errors import TrainerError

    course_dir = _course_dir(course_dir)
    if not quiet:
        _announce(course_dir)
    console = _console()
    errors = _console(stderr=True)
    interactive = errors.is_terminal and not quiet
    progress_bar = None
    task = None
    if interactive:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        progress_bar = Progress(
            TextColumn("[bold]building[/bold]"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
            TimeElapsedColumn(), console=errors, transient=True,
        )

    def report(done: int, total: int, job, seconds: float) -> None:  # type: ignore[no-untyped-def]
        nonlocal task
        label = f"{job.kind}: {job.key}"
        if progress_bar is not None:
            if task is None:
                task = progress_bar.add_task("", total=total)
            progress_bar.update(task, completed=done, total=total, description=label)
        elif not quiet:
            print(f"[{done}/{total}] {label} ({seconds:.1f} s)", file=sys.stderr, flush=True)

    try:
        if progress_bar is not None:
            with progress_bar:
                result = run_build(course_dir, out, only, paper.value if paper else None, force, progress=report)
        else:
            result = run_build(course_dir, out, only, paper.value if paper else None, force, progress=report)
    except TrainerError as error:
        raise _fail(error) from None
    for path, kept in result.kept:
        errors.print(
            f"kept your edit of {result.out / path} as {result.out / kept} (the build wrote {path} again)",
            style="yellow", markup=False, highlight=False, soft_wrap=True,
        )
    if quiet:
        return
    for warning in result.warnings:
        errors.print(f"warning: {warning}", style="yellow", markup=False, highlight=False, soft_wrap=True)
    from rich.table import Table

    table = Table(title=f"Build: {result.out}", title_justify="left")
    for column in ("kind", "files", "rendered", "render time (s)"):
        table.add_column(column, justify="right" if column != "kind" else "left")
    kinds: dict[str, list] = {}  # type: ignore[type-arg]
    for job_result in result.results:
        kinds.setdefault(job_result.job.kind, []).append(job_result)
    for kind, results in kinds.items():
        files = sum(len(r.outputs) for r in results)
        rendered = sum(len(r.outputs) for r in results if not r.skipped)
        seconds = sum(r.seconds for r in results)
        table.add_row(kind, str(files), str(rendered), f"{seconds:.1f}")
    console.print(table)
    rendered = len(result.rendered)
    summary = f"{len(result.files)} file(s) in {result.out}; " + (
        f"{rendered} document job(s) rendered in {result.seconds:.1f} s (wall time)"
        if rendered else "nothing changed, nothing rendered"
    )
    console.print(summary, markup=False)
