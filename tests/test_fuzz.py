"""Fuzzing the inputs a course folder carries: every run ends in success or a clean message.

Generated and mutated course.yaml, assessment.yaml, local session and activity files and
questionnaire exports go through `trainer check` (and `plan`); the property is that the
command exits 0 or 1 with a message, never with a traceback (an internal error, exit 70),
a hang, or a half-written file. Symbolic links, FIFOs, folders and zip packages (bombs
among them) planted in a course folder and its build folder go through `check` and
`build`, which must also leave everything outside the course folder as it was.
`benchmarks/fuzz.py` runs the same properties for longer.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import shutil
import signal
import stat
import zipfile
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOTS = Path(__file__).parent / "roots"
GOOD = {name: (ROOTS / "course-good" / name).read_text(encoding="utf-8") for name in ("course.yaml", "assessment.yaml")}
SESSION = (ROOTS / "library" / "modules" / "sessions" / "session-1.yaml").read_text(encoding="utf-8")
ACTIVITY = (ROOTS / "library" / "activities" / "people-bingo.yaml").read_text(encoding="utf-8")

YAML_BITS = st.sampled_from(
    ["", ":", "- ", "{", "}", "[", "]", "&a", "*a", "!!python/object:os.system", "~", "NO", "1:30", "010",
     "\t", "\n", "  ", "'", '"', "#", "<<: *a", "%YAML 1.1", "---", "...", "é", "\u202e", "\x00", "\ufffe",
     "-1", "99999999999999999999", "1e400", ".nan", "2027-02-30", "25:00", "sesions", "minutes", "plan"]
)


@st.composite
def mutated(draw, text: str) -> str:  # type: ignore[no-untyped-def]
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            lines.append("")
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["insert", "replace", "delete", "duplicate", "indent"]))
        line = lines[index]
        if action == "insert":
            position = draw(st.integers(0, len(line)))
            lines[index] = line[:position] + draw(YAML_BITS) + line[position:]
        elif action == "replace":
            lines[index] = draw(st.text(max_size=30)) if draw(st.booleans()) else draw(YAML_BITS)
        elif action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, line)
        else:
            lines[index] = "  " + line
    return "\n".join(lines) + "\n"


def run_check(cli, folder: Path, *extra: str) -> None:  # type: ignore[no-untyped-def]
    from trainer.cli import app
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["check", str(folder), *extra])
    assert result.exit_code in (0, 1), (result.exit_code, result.output, repr(result.exception))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    if result.exit_code == 1:
        assert result.stderr.strip(), "an error exit must say why"
        assert "Traceback" not in result.stderr


FUZZ = settings(
    max_examples=int(os.environ.get("TRAINER_FUZZ_EXAMPLES", "120")), deadline=None, suppress_health_check=list(HealthCheck)
)


@FUZZ
@given(course=mutated(GOOD["course.yaml"]), assessment=mutated(GOOD["assessment.yaml"]))
def test_mutated_course_and_assessment(tmp_path_factory, test_library, cli, course, assessment):
    folder = tmp_path_factory.mktemp("fuzz") / "c"
    shutil.copytree(ROOTS / "course-good", folder)
    (folder / "course.yaml").write_text(course, encoding="utf-8", errors="surrogatepass")
    (folder / "assessment.yaml").write_text(assessment, encoding="utf-8", errors="surrogatepass")
    run_check(cli, folder)


@FUZZ
@given(session=mutated(SESSION), activity=mutated(ACTIVITY))
def test_mutated_local_session_and_activity(tmp_path_factory, test_library, cli, session, activity):
    folder = tmp_path_factory.mktemp("fuzz") / "c"
    shutil.copytree(ROOTS / "course-good", folder)
    (folder / "local/sessions").mkdir(parents=True, exist_ok=True)
    (folder / "local/sessions/session-1.yaml").write_text(session, encoding="utf-8", errors="surrogatepass")
    (folder / "local/activities/people-bingo.yaml").write_text(activity, encoding="utf-8", errors="surrogatepass")
    run_check(cli, folder)


@FUZZ
@given(raw=st.binary(max_size=400))
def test_random_bytes_as_course_yaml(tmp_path_factory, test_library, cli, raw):
    folder = tmp_path_factory.mktemp("fuzz") / "c"
    shutil.copytree(ROOTS / "course-good", folder)
    (folder / "course.yaml").write_bytes(raw)
    run_check(cli, folder)


@FUZZ
@given(
    rows=st.lists(
        st.lists(st.sampled_from(["government", "ngo", "woman", "man", "1", "9", "x", "", "cmw terms", "é", "=1+1", ";", ","]), min_size=0, max_size=6),
        max_size=30,
    )
)
def test_questionnaire_exports(tmp_path_factory, rows):
    from trainer.assess import ResponsesError, summarise

    path = tmp_path_factory.mktemp("fuzz") / "answers.csv"
    header = "sector,gender,hr_experience,migration_experience,topics,expectations\n"
    path.write_text(header + "\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
    try:
        summary = summarise(path)
    except ResponsesError as error:
        assert str(error)
        return
    assert summary.used + len({p.line for p in summary.problems}) == summary.rows


@st.composite
def day_templates(draw) -> str:  # type: ignore[no-untyped-def]
    """course.yaml with generated days (hours, breaks, lunch, recap, wrap-up) and sessions."""

    def clock(minutes: int) -> str:
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    lines = ["title: Generated", f"sessions: [{', '.join(draw(st.lists(st.sampled_from(['session-1', 'session-2']), min_size=1, max_size=2, unique=True)))}]", "days:"]
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(6 * 60, 11 * 60))
        end = draw(st.integers(start + 15, min(start + 10 * 60, 21 * 60)))
        lines.append(f"  - start: '{clock(start)}'")
        lines.append(f"    end: '{clock(end)}'")
        if draw(st.booleans()):
            lunch = draw(st.integers(start, end))
            lines.append(f"    lunch: {{start: '{clock(lunch)}', minutes: {draw(st.integers(5, 90))}}}")
        breaks = draw(st.lists(st.integers(start - 30, end), max_size=3))
        if breaks:
            lines.append("    breaks:")
            lines.extend(f"      - {{start: '{clock(b)}', minutes: {draw(st.integers(5, 30))}}}" for b in breaks)
        for key in ("recap", "wrap_up", "close"):
            if draw(st.booleans()):
                lines.append(f"    {key}: {draw(st.integers(0, 45))}")
    return "\n".join(lines) + "\n"


@settings(max_examples=int(os.environ.get("TRAINER_FUZZ_EXAMPLES", "120")) // 3 or 1, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(course=day_templates())
def test_what_check_accepts_plan_and_build_can_do(tmp_path_factory, test_library, course):
    """The property of `trainer check`: when it passes, `plan` and `build` succeed."""
    from typer.testing import CliRunner

    from trainer.cli import app

    folder = tmp_path_factory.mktemp("fuzz") / "c"
    folder.mkdir()
    (folder / "course.yaml").write_text(course, encoding="utf-8")
    runner = CliRunner()
    checked = runner.invoke(app, ["check", str(folder)])
    assert checked.exit_code in (0, 1), (checked.exit_code, checked.output)
    if checked.exit_code == 1:
        assert "error(s); nothing was written" in checked.stderr and "Traceback" not in checked.stderr
        return
    from hypothesis import event

    event("check passed")
    planned = runner.invoke(app, ["plan", str(folder)])
    assert planned.exit_code == 0, (course, planned.stderr)
    built = runner.invoke(app, ["build", str(folder), "--only", "agenda", "--quiet"])
    assert built.exit_code == 0, (course, built.stderr)


# ----------------------------------------------------------------- the filesystem and archives
#
# A course folder and its build folder may arrive with symbolic links, FIFOs, folders where
# files belong, and zip packages that are bombs (docs/SECURITY.md). The properties: `check`
# and `build` end with exit 0 or 1 and a message, never a traceback or a hang (a time limit
# turns a blocked open() into a failure), and nothing outside the course folder is created,
# changed or deleted.

PLACES = [
    "course.yaml", "assessment.yaml", "local", "local/handouts", "local/handouts/bingo-card.yaml",
    "local/handouts/extra.yaml", "local/activities", "local/activities/local-visit.yaml", "ours.pptx", "local/c.html",
    "build", "build/manifest.json", "build/.trainer.lock", "build/agenda", "build/agenda/agenda.html",
    "build/agenda/agenda.pdf",
]
ODDITIES = ["link-out-file", "link-out-dir", "dangling", "link-in", "loop", "fifo", "dir", "empty", "bytes", "zip", "bomb"]
CASE_SECONDS = 60


@contextmanager
def time_limit(seconds: int = CASE_SECONDS):  # type: ignore[no-untyped-def]
    """Fail the case (instead of hanging the suite) when a command blocks, e.g. on a FIFO."""

    def stop(signum, frame):  # type: ignore[no-untyped-def]
        raise TimeoutError(f"the command did not finish within {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under a folder, not following links: kind and content hash."""
    out = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            out[str(path)] = "link:" + os.readlink(path)
        elif stat.S_ISREG(info.st_mode):
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[str(path)] = oct(stat.S_IFMT(info.st_mode))
    return out


@functools.lru_cache(maxsize=None)
def template_bytes() -> bytes:
    """A valid slide template (python-pptx's default, with its layouts)."""
    from pptx import Presentation

    buffer = io.BytesIO()
    Presentation().save(buffer)
    return buffer.getvalue()


@functools.lru_cache(maxsize=None)
def bomb_bytes(kind: str) -> bytes:
    """A package of the kind's parts plus one member of 300 MB of zeros (about 300 KB)."""
    buffer = io.BytesIO()
    names = ["[Content_Types].xml", "ppt/presentation.xml"] if kind == "pptx" else ["[Content_Types].xml", "xl/workbook.xml"]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for name in names:
            package.writestr(name, "<x/>")
        with package.open("zz/bomb.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(300):
                member.write(block)
    return buffer.getvalue()


@functools.lru_cache(maxsize=None)
def built_agenda(library: str) -> Path:
    """A real build of the test course's agenda, made once, copied into cases that build:
    with nothing to render, a case costs what checking the build folder costs."""
    import tempfile

    from trainer.build import build

    folder = Path(tempfile.mkdtemp(prefix="trainer-fuzz-")) / "c"
    shutil.copytree(ROOTS / "course-good", folder)
    build(folder, folder / "build", only="agenda", workers=1)
    return folder / "build"


def plant(path: Path, oddity: str, root: Path, data: bytes) -> None:
    """Put an oddity where a course or build file or folder belongs."""
    if path.is_symlink() or path.is_file() or (path.exists() and not path.is_dir()):
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # its folder is itself an oddity
    if oddity == "link-out-file":
        path.symlink_to(root / "outside" / "precious.txt")
    elif oddity == "link-out-dir":
        path.symlink_to(root / "outside" / "dir", target_is_directory=True)
    elif oddity == "dangling":
        path.symlink_to(root / f"nowhere-{path.name}")
    elif oddity == "link-in":
        path.symlink_to(os.path.relpath(root / "c" / "course.yaml", path.parent))
    elif oddity == "loop":
        path.symlink_to(path.name)
    elif oddity == "fifo":
        os.mkfifo(path)
    elif oddity == "dir":
        path.mkdir()
    elif oddity == "empty":
        path.write_bytes(b"")
    elif oddity == "bytes":
        path.write_bytes(data)
    elif oddity == "zip":
        path.write_bytes(template_bytes())
    else:
        path.write_bytes(bomb_bytes("pptx"))


def run_command(*args: str) -> None:
    """Run the CLI in-process under a time limit: exit 0, or exit 1 with a message."""
    from typer.testing import CliRunner

    from trainer.cli import app

    with time_limit():
        result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1), (args, result.exit_code, result.output[-2000:])
    if result.exit_code == 1:
        assert result.stderr.strip() and "Traceback" not in result.stderr, result.stderr[-2000:]


FS_FUZZ = settings(
    max_examples=int(os.environ.get("TRAINER_FUZZ_EXAMPLES", "120")), deadline=None, suppress_health_check=list(HealthCheck)
)


@FS_FUZZ
@given(
    oddities=st.lists(st.tuples(st.sampled_from(PLACES), st.sampled_from(ODDITIES)), min_size=1, max_size=3,
                      unique_by=lambda pair: pair[0]),
    template=st.booleans(),
    certificate=st.booleans(),
    command=st.sampled_from(["check", "build"]),
    data=st.binary(max_size=200),
)
def test_links_fifos_and_folders_in_a_course_and_its_build(tmp_path_factory, test_library, oddities, template,
                                                           certificate, command, data):
    root = tmp_path_factory.mktemp("fs")
    (root / "outside" / "dir").mkdir(parents=True)
    (root / "outside" / "precious.txt").write_text("not trainer's\n")
    (root / "outside" / "dir" / "x.pdf").write_bytes(b"%PDF-1.4 not trainer's\n")
    folder = root / "c"
    shutil.copytree(ROOTS / "course-good", folder)
    extra = ""
    if template:
        (folder / "ours.pptx").write_bytes(template_bytes())
        extra += "slides:\n  template: ours.pptx\n"
    if certificate:
        (folder / "local/c.html").write_text("<p>{{ name }}</p>")
        extra += "certificate_template: local/c.html\nparticipants:\n  - {name: Ana Silva}\n"
    (folder / "course.yaml").write_text((folder / "course.yaml").read_text() + extra)
    if command == "build":
        shutil.copytree(built_agenda(str(test_library)), folder / "build")
    for place, oddity in oddities:
        plant(folder / place, oddity, root, data)
    outside = snapshot(root / "outside")
    neighbours = sorted(path.name for path in root.iterdir())
    if command == "check":
        run_command("check", str(folder))
    else:
        run_command("build", str(folder), "--only", "agenda", "--quiet")
    assert snapshot(root / "outside") == outside, "a file outside the course folder changed"
    assert sorted(path.name for path in root.iterdir()) == neighbours, "a file was created outside the course folder"


@st.composite
def packages(draw) -> tuple[str, bytes]:  # type: ignore[no-untyped-def]
    """A slide template or an XLSX export: valid, mutated (members dropped, replaced, added,
    inflating a thousand times, thousands of members), truncated, with damaged bytes, or a
    zip bomb."""
    kind = draw(st.sampled_from(["pptx", "xlsx"]))
    if draw(st.integers(0, 9)) == 0:
        return kind, bomb_bytes(kind)
    base = template_bytes() if kind == "pptx" else (Path(__file__).parent / "data" / "pre-course-kobo.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["drop", "garbage", "add", "inflate", "many", "external"]))
        if action == "drop" and members:
            members.pop(draw(st.integers(0, len(members) - 1)))
        elif action == "garbage" and members:
            index = draw(st.integers(0, len(members) - 1))
            members[index] = (members[index][0], draw(st.binary(max_size=300)))
        elif action == "add":
            members.append((draw(st.sampled_from(["ppt/slides/slide9.xml", "xl/worksheets/sheet9.xml", "x.bin", "../evil"])),
                            draw(st.binary(max_size=300))))
        elif action == "inflate":
            members.append(("xl/big.xml" if kind == "xlsx" else "ppt/big.xml", b"\0" * draw(st.sampled_from([2, 20, 120])) * 1024 * 1024))
        elif action == "many":
            members.extend((f"m/{n}.xml", b"") for n in range(draw(st.sampled_from([100, 10_500]))))
        else:
            members = [(name, data.replace(b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/'
                                           b'officeDocument/2006/relationships/hyperlink" Target="http://x.example/" '
                                           b'TargetMode="External"/></Relationships>')) for name, data in members]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in dict(members).items():  # a later member of the same name replaces the earlier
            package.writestr(name, data)
    raw = buffer.getvalue()
    if draw(st.integers(0, 9)) == 0:
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif draw(st.integers(0, 4)) == 0:  # damaged compressed data under a sound directory
        damaged = bytearray(raw)
        for offset in draw(st.lists(st.integers(0, max(len(raw) - 1, 0)), min_size=1, max_size=20)):
            if damaged:
                damaged[offset] ^= draw(st.integers(1, 255))
        raw = bytes(damaged)
    return kind, raw


@FS_FUZZ
@given(package=packages(), build_it=st.integers(0, 19))
def test_archives_as_slide_templates_and_exports(tmp_path_factory, test_library, package, build_it):
    from trainer.assess import ResponsesError, summarise

    kind, raw = package
    root = tmp_path_factory.mktemp("zip")
    if kind == "xlsx":
        path = root / "answers.xlsx"
        path.write_bytes(raw)
        with time_limit():
            try:
                summarise(path)
            except ResponsesError as error:
                assert str(error)
        return
    folder = root / "c"
    shutil.copytree(ROOTS / "course-good", folder)
    (folder / "ours.pptx").write_bytes(raw)
    (folder / "course.yaml").write_text((folder / "course.yaml").read_text() + "slides:\n  template: ours.pptx\n")
    from typer.testing import CliRunner

    from trainer.cli import app

    with time_limit():
        checked = CliRunner().invoke(app, ["check", str(folder)])
    if checked.exception and not isinstance(checked.exception, SystemExit):
        raise checked.exception
    assert checked.exit_code in (0, 1), checked.output[-2000:]
    if checked.exit_code == 0 and build_it == 0:
        from hypothesis import event

        event("template accepted and built")
        run_command("build", str(folder), "--only", "slides", "--quiet")
