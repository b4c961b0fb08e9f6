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
        line = "course: the current folder" if course_dir == Path(".") else f"course: {course_dir}"
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
    actual: Annotated[bool, typer.Option("--actual", help="Compare the planned with the actual times that 'trainer facilitate' logged.")] = False,
) -> None:
    """Schedule the course and show the agenda, day by day, with what was changed and why.

    Example: trainer plan my-course --detail
    """
    course_dir = _course_dir(course_dir)
    _announce(course_dir, stderr=as_json)
    prepared = _prepare(course_dir)
    if actual:
        _plan_actual(course_dir, prepared, as_json)
        return
    from .schedule import agenda_json

    agenda = prepared.agenda
    course_plan = prepared.plan
    title = prepared.title
    if as_json:
        import json

        data = agenda_json(agenda, title)
        from .adapt import time_effect

        data["adaptations"] = [
            {**adaptation.__dict__, "segments": list(adaptation.segments), "time": time_effect(adaptation, agenda)}
            for adaptation in course_plan.adaptations
        ]
        from .adapt import condition_fields

        data["conditions"] = condition_fields(prepared.input)
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from .show import adaptations_table, agenda_lines, agenda_tables, plan_summary

    _warn(prepared.warnings)
    console = _console()
    if detail:
        for renderable in agenda_tables(agenda, title, detail=True):
            console.print(renderable)
        if course_plan.adaptations:
            console.print(adaptations_table(course_plan.adaptations, agenda))
        return
    for renderable in [*agenda_lines(prepared), *plan_summary(prepared)]:
        console.print(renderable)


def _plan_actual(course_dir: Path | None, prepared, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    """`plan --actual`: per day and session, planned against actual minutes, and what was cut."""
    from .delivery import LOG_FOLDER, delivery_summary
    from .errors import TrainerError

    if course_dir is None:
        raise _fail(TrainerError("--actual reads the delivery logs of a course folder: name one (trainer plan my-course --actual)"))
    try:
        summary = delivery_summary(course_dir, prepared)
    except TrainerError as error:
        raise _fail(error) from None
    if as_json:
        import json
        from dataclasses import asdict

        typer.echo(json.dumps([{**asdict(s), "over": s.over} for s in summary], ensure_ascii=False, indent=2))
        return
    console = _console()
    if not summary:
        console.print(f"no delivery log yet in {course_dir / LOG_FOLDER} (trainer facilitate writes one per day)", markup=False)
        return
    from rich.table import Table

    for day in sorted({s.day for s in summary}):
        table = Table(title=f"Day {day}: planned and actual", title_justify="left")
        for column in ("session", "start (plan)", "start (actual)", "minutes (plan)", "minutes (actual)", "over", "cut"):
            table.add_column(column, justify="left" if column in ("session", "cut") else "right")
        for s in (s for s in summary if s.day == day):
            over = "" if s.over is None else f"{s.over:+d}"
            table.add_row(
                f"{s.number}. {s.title}" if s.number else s.title, s.planned_start, s.actual_start or "-",
                str(s.planned_minutes), "-" if s.actual_minutes is None else str(s.actual_minutes),
                over, ", ".join(s.cut),
            )
        console.print(table)


@app.command()
def facilitate(
    course_dir: CourseDir = None,
    day: Annotated[Optional[int], typer.Option("--day", "-d", help="The day to run (default: the first day not yet finished in the delivery log).", min=1)] = None,
    plain: Annotated[bool, typer.Option("--plain", help="No full screen: read one command per line and print one line per change (for screen readers).")] = False,
) -> None:
    """Run a day of the course: the live run sheet with the time left, the next segment, the
    drift against the agenda, and a delivery log of actual times saved at every change.

    Keys: n next, b back, p pause, + / - five minutes, x cut the next segment, r rebalance, q quit.
    The log is COURSE_DIR/delivery/day-N.yaml; starting again resumes it.

    Example: trainer facilitate my-course --day 2
    """
    from datetime import datetime

    from .delivery import DeliveryError, first_unfinished_day, open_day
    from .errors import TrainerError

    course_dir = _course_dir(course_dir)
    if course_dir is None:
        raise _fail(TrainerError("facilitate keeps its delivery log in a course folder: name one, or create one with 'trainer init my-course'"))
    if not plain:
        _announce(course_dir)
    prepared = _prepare(course_dir)
    try:
        number = day or first_unfinished_day(prepared, course_dir)
        delivery, path, resumed = open_day(prepared, course_dir, number)
    except DeliveryError as error:
        raise _fail(error) from None
    from .facilitate import Session, run_plain

    session = Session(delivery, path, datetime.now)
    try:
        if plain:
            run_plain(session, resumed)
        else:
            from .facilitate_screen import FacilitateApp

            FacilitateApp(session).run()
    except DeliveryError as error:
        raise _fail(error) from None
    except KeyboardInterrupt:
        pass
    if not plain:
        _console().print(f"delivery log: {path}", markup=False)


@app.command()
def site(
    course_dir: CourseDir = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output folder (default: COURSE_DIR/build, or ./build).")] = None,
) -> None:
    """Build the participants' companion site into BUILD/site/: agenda, handouts (pages and
    PDFs), key messages, links, forms, with a search that works offline. It needs no server
    and no network: open site/index.html, or copy the whole build folder to a USB stick.

    Example: trainer site my-course
    """
    from .build import build as run_build
    from .errors import TrainerError

    course_dir = _course_dir(course_dir)
    _announce(course_dir)
    try:
        result = run_build(course_dir, out, "handouts,forms,site")
    except TrainerError as error:
        raise _fail(error) from None
    errors = _console(stderr=True)
    for warning in result.warnings:
        errors.print(f"warning: {warning}", style="yellow", markup=False, highlight=False, soft_wrap=True)
    _console().print(
        f"site: {result.out / 'site' / 'index.html'} ({len(result.rendered)} document job(s) rendered). "
        "To share it, copy the whole build folder: the site links to the PDFs in handouts/ and forms/.",
        markup=False, soft_wrap=True,
    )


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

    Kinds: agenda, session-plans, run-sheets, slides, handouts, forms, checklist, certificates, printables, site.

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
    if result.translation is not None:
        _translation_summary(result)
    rendered = len(result.rendered)
    summary = f"{len(result.files)} file(s) in {result.out}; " + (
        f"{rendered} document job(s) rendered in {result.seconds:.1f} s (wall time)"
        if rendered else "nothing changed, nothing rendered"
    )
    console.print(summary, markup=False)


@app.command()
def evaluate(
    paths: Annotated[
        Optional[list[Path]],
        typer.Argument(
            metavar="[COURSE_DIR] [FILE]...",
            help="The course folder (leave out for the current folder or the guide's sample course), then files of "
            "answers, as with --responses.",
            show_default=False,
        ),
    ] = None,
    responses: Annotated[
        Optional[list[Path]],
        typer.Option("--responses", "-r", help="Files of answers to the course's forms: KoboToolbox or ODK exports "
                     "(CSV, XLSX) or the data-entry sheets. Several may follow one --responses.", show_default=False),
    ] = None,
    history: Annotated[bool, typer.Option("--history", help="Compare the courses recorded so far instead (table and chart).")] = False,
    session: Annotated[Optional[str], typer.Option("--session", help="With --history: compare this session's ratings, e.g. session-5.")] = None,
    db: Annotated[Optional[str], typer.Option("--db", help="The history database: a SQLite file, or postgresql://user@host/db "
                                              "(default: history.sqlite in your data folder).")] = None,
    no_record: Annotated[bool, typer.Option("--no-record", help="Do not record this course in the history.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print report.json (or, with --history, the comparison) to stdout.")] = False,
) -> None:
    """Turn the answers to the course's forms into the evaluation report: report.pdf,
    report.docx and report.json in COURSE_DIR/build/evaluation/; record the course in the
    history; or, with --history, compare the courses recorded so far.

    Each file's form and day are recognised from its columns; every row is checked against
    its form, and each row left out is named with its file and row number.

    Example: trainer evaluate my-course --responses day-1.xlsx day-2.csv end-of-course.xlsx
    """
    from .errors import TrainerError

    given = list(paths or [])
    course_dir: Path | None = None
    if given and (given[0].is_dir() or not given[0].suffix):
        course_dir = given.pop(0)
    course_dir = _course_dir(course_dir)
    files = [*given, *(responses or [])]
    _announce(course_dir, stderr=as_json)
    if history:
        _evaluate_history(course_dir, session, db, as_json)
        return
    if session:
        raise _fail(TrainerError("--session goes with --history (to compare one session across courses)"))
    if not files:
        raise _fail(TrainerError("give the files of answers: trainer evaluate COURSE_DIR --responses FILE [FILE ...]"))
    from .evaluate import evaluate as run_evaluation, report_json

    try:
        result = run_evaluation(course_dir, files, db=db, record=not no_record)
    except TrainerError as error:
        raise _fail(error) from None
    errors = _console(stderr=True)
    problems = result.problems
    for problem in problems[:MAX_SHOWN]:
        errors.print(problem.format(), style="yellow", markup=False, highlight=False, soft_wrap=True)
    if len(problems) > MAX_SHOWN:
        errors.print(f"... and {len(problems) - MAX_SHOWN} more: every one is listed at the end of report.pdf and in report.json",
                     style="yellow", markup=False, highlight=False)
    if as_json:
        typer.echo(report_json(result.report).decode("utf-8"), nl=False)
        return
    from rich.table import Table

    report = result.report
    table = Table(title="Answers used", title_justify="left")
    for column in ("form", "answers used", "participants", "rows left out", "duplicates"):
        table.add_column(column, justify="left" if column == "form" else "right")
    for entry in report["responses"]:
        name = entry["title"] + (f" ({entry['when']})" if entry.get("when") else "")
        table.add_row(name, str(entry["n"]), str(entry["participants"]),
                      str(entry["left_out"]) if entry.get("when") != "end" else "",
                      str(entry["duplicates"]) if entry.get("when") != "end" else "")
    console = _console()
    console.print(table)
    same = [entry for entry in report["files"] if entry["same_as"]]
    for entry in same:
        console.print(f"{entry['file']}: the same file as {entry['same_as']}; read once", markup=False)
    left = sum(entry["left_out"] for entry in report["files"])
    if left:
        console.print(f"{left} row(s) did not fit their form and were left out of the figures (listed above).", markup=False)
    for path in result.written:
        console.print(f"wrote {path}", markup=False, highlight=False, soft_wrap=True)
    if result.recorded:
        console.print(f"recorded in the history: {result.recorded}", markup=False, highlight=False, soft_wrap=True)


def _evaluate_history(course_dir: Path | None, session: str | None, db: str | None, as_json: bool) -> None:
    """`trainer evaluate --history`: the courses recorded, as a table and a chart."""
    import json

    from .errors import TrainerError

    prepared = _prepare(course_dir)
    if session and session not in prepared.library.sessions:
        from .validation import suggest

        raise _fail(TrainerError(f"--session: no session '{session}'{suggest(session, prepared.library.sessions)}; "
                                 f"the sessions are {', '.join(prepared.library.sessions)}"))
    from . import history
    from .render.evaluation import write_history

    try:
        found = history.query(db, session)
        # --json prints the comparison and writes nothing; otherwise the chart goes to the build
        written = write_history(prepared, course_dir, found) if found["courses"] and not as_json else None
    except TrainerError as error:
        raise _fail(error) from None
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    console = _console()
    if not found["courses"]:
        what = f"no recorded course rated {session}" if session else "no course recorded yet"
        console.print(f"{what} in {history.shown(db)}; 'trainer evaluate COURSE_DIR --responses ...' records one", markup=False)
        return
    from rich.table import Table

    title = f"{session}: ratings across courses" if session else "Courses compared"
    table = Table(title=f"{title} ({history.shown(db)})", title_justify="left")
    for column in ("course", "first day", "city", "answers", *found["measures"], ""):
        table.add_column(column, justify="right" if column in found["measures"] or column == "answers" else "left")
    last = found["measures"][-1]
    for course in found["courses"]:
        values = course["values"]
        cells = [f"{values[m]['mean']:.2f} ({values[m]['n']})" if values.get(m) and values[m]["mean"] is not None else "–"
                 for m in found["measures"]]
        mean = values.get(last, {}) and values[last]["mean"]
        bar = "█" * round((mean or 0) * 4) if mean else ""
        table.add_row(course["title"], course["start_date"] or "", course["city"] or "", str(course["responses"]), *cells, bar)
    console.print(table)
    console.print(f"means from 1 to 5 (number of answers); the bar shows '{last}', a block for each quarter point", markup=False)
    if written:
        console.print(f"wrote {written}", markup=False, highlight=False, soft_wrap=True)
# ---------------------------------------------------------------------------- translations


def _translation_summary(result) -> None:  # type: ignore[no-untyped-def]
    """The build's account of the course language: how many of the texts its documents print
    are translated, and each catalogue whose texts stay in English (never silently)."""
    from .adapt import LANGUAGE_NAMES

    report = result.translation
    documents = result.translation_documents
    used = [d for name, d in report.documents.items() if name in documents]
    total = sum(d.total for d in used)
    done = sum(d.translated for d in used)
    name = LANGUAGE_NAMES.get(report.language, report.language)
    console = _console()
    status = "reviewed" if report.reviewed_for(documents) else "not reviewed: the documents say \"Translation prepared for this course\""
    console.print(f"translation into {name}: {done} of {total} texts of this course's documents ({status})",
                  markup=False, highlight=False, soft_wrap=True)
    incomplete = report.incomplete(documents)
    if incomplete:
        listed = ", ".join(f"{d.name} ({len(d.missing)})" for d in incomplete)
        _console(stderr=True).print(
            f"warning: in English instead, for want of a translation ({total - done} texts): {listed}. "
            f"Details: trainer i18n stats --language {report.language}",
            style="yellow", markup=False, highlight=False, soft_wrap=True,
        )

i18n_app = typer.Typer(
    help=(
        "Translate the course library: extract its participant-facing text into catalogues, "
        "update each language's catalogues, report what is translated (docs/TRANSLATING.md).\n\n"
        "Example: trainer i18n stats --language fr"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(i18n_app, name="i18n")


def _library():  # type: ignore[no-untyped-def]
    from .errors import InputError, TrainerError
    from .loader import load_library

    try:
        library, problems = load_library()
    except TrainerError as error:
        raise _fail(error) from None
    if any(problem.severity == "error" for problem in problems):
        raise _fail(InputError(problems))
    return library


@i18n_app.command("extract")
def i18n_extract() -> None:
    """Write a catalogue template (.pot) for each content file of the library, under
    locale/content/: every text participants read, with its field as context.

    Example: trainer i18n extract
    """
    from .catalogues import extract

    library = _library()
    result = extract(library)
    console = _console()
    console.print(
        f"{result.messages} texts in {len(result.written) + len(result.unchanged)} catalogues: "
        f"{len(result.written)} written, {len(result.unchanged)} unchanged, {len(result.removed)} removed "
        f"(in {library.root / 'locale' / 'content'})",
        markup=False, highlight=False, soft_wrap=True,
    )
    for name in result.written:
        console.print(f"  wrote {name}.pot", markup=False, highlight=False)
    for name in result.removed:
        console.print(f"  removed {name}.pot (its content file is gone)", markup=False, highlight=False)


LanguageOption = Annotated[
    Optional[list[str]],
    typer.Option("--language", "-l", help="A language code (fr, es, ar, ru, zh); repeat for several. Default: every language that has catalogues."),
]


@i18n_app.command("update")
def i18n_update(language: LanguageOption = None) -> None:
    """Bring each language's catalogues (.po) in line with the templates, as msgmerge does:
    translations of unchanged texts are kept, changed texts keep theirs marked fuzzy (with the
    previous English beside them), new texts come empty. A new language gets its catalogues.

    Example: trainer i18n update --language fr
    """
    from .catalogues import languages, update
    from .errors import TrainerError

    library = _library()
    chosen = language or languages(library.root)
    console = _console()
    if not chosen:
        console.print("no language has catalogues yet: name one, e.g. trainer i18n update --language fr", markup=False)
        return
    for code in chosen:
        try:
            result = update(library.root, code)
        except TrainerError as error:
            raise _fail(error) from None
        console.print(
            f"{code}: {len(result.created)} created, {len(result.updated)} updated, {len(result.removed)} removed; "
            f"{result.fuzzy} fuzzy (to check)",
            markup=False, highlight=False,
        )


@i18n_app.command("stats")
def i18n_stats(
    language: LanguageOption = None,
    document: Annotated[Optional[str], typer.Option("--document", "-d", help="Only catalogues whose name contains this, e.g. 'handouts/' or 'session-3'.")] = None,
) -> None:
    """How much of each catalogue is translated, per language: translated, fuzzy and missing
    texts, whether a reviewer marked it reviewed, and every translation that does not use the
    official term of the language's glossary (locale/glossary/<language>.yaml).

    Example: trainer i18n stats --language ar --document handouts/
    """
    from rich.table import Table

    from .catalogues import languages, stats

    library = _library()
    console = _console()
    chosen = language or languages(library.root)
    problems = []
    for code in chosen:
        rows = [row for row in stats(library.root, code) if not document or document in row.name]
        from rich import box

        table = Table(title=f"{code}: translation of the course library", title_justify="left", box=box.SIMPLE_HEAD,
                      padding=(0, 1, 0, 0), caption="done: translated; todo: not yet; terms: glossary problems", caption_justify="left")
        table.add_column("catalogue", no_wrap=True, overflow="ellipsis", max_width=32)
        for column in ("texts", "done", "fuzzy", "todo", "%", "status", "terms"):
            table.add_column(column, justify="left" if column == "status" else "right", no_wrap=True, min_width=max(len(column), 3))
        for row in rows:
            table.add_row(row.name, str(row.total), str(row.translated), str(row.fuzzy), str(row.untranslated),
                          f"{row.percent:.0f}", "reviewed" if row.reviewed else "draft", str(len(row.glossary)))
            problems.extend(row.glossary)
        total = sum(row.total for row in rows)
        done = sum(row.translated for row in rows)
        table.add_row("all", str(total), str(done), str(sum(r.fuzzy for r in rows)), str(sum(r.untranslated for r in rows)),
                      f"{100 * done / total:.0f}" if total else "100", "", str(sum(len(r.glossary) for r in rows)), style="bold")
        console.print(table)
    for problem in problems:
        console.print(f"glossary: {problem.format()}", style="yellow", markup=False, highlight=False, soft_wrap=True)
