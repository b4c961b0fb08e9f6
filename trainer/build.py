"""The build: prepare the course, build every document's view, render what is stale, write.

Each renderer lists its jobs, each with its view: the plain data the document shows. A
job's fingerprint is the hash of its view, its renderer's code and templates, the fixed
words of the course language and the document settings, so a change to anything a
document is made from renders it again, and nothing else does (docs/DESIGN.md, "the view
is the cache key"). This is decided before any renderer library (WeasyPrint, python-pptx)
is imported.

Stale jobs render in memory, in parallel worker processes where there are several cores,
and are written as they finish... into a staging folder inside the output folder; at the
end, or when the build is interrupted, the finished files are moved into place with a
manifest.json that lists each file with its size, sha256, job and fingerprint.

A file in the output folder whose bytes differ from what the manifest recorded was edited
by hand: it is kept under another name (`session-1.edited.docx`) before the document is
written again, and the build says so. A previous output is trusted only when its sha256 is
the manifest's.

The output folder may have come with the course folder, so it is input too (docs/SECURITY.md):
a `build` that is a symbolic link, or any link inside the output folder, is refused before
anything is read or written there; the lock, the manifest and every file the manifest lists
must be regular files (a FIFO there would block the build); the lock is created with
O_EXCL and O_NOFOLLOW; and a folder trainer cannot write to is one line, not a traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .errors import TrainerError
from .files import UnsafeFile, kind_of, read_bytes, write_new
from .render import KINDS, Job, Output

MANIFEST = "manifest.json"
LOCK = ".trainer.lock"
STAGING = ".trainer-staging-"
MAX_MANIFEST_BYTES = 20 * 1024 * 1024
"""A manifest larger than this is not one trainer wrote (a big course's is about 50 KB)."""


class BuildError(TrainerError):
    """Raised when the build cannot write its output (an unknown kind, a folder it does not own)."""


class BuildInterrupted(TrainerError):
    """Raised when the user interrupts a build (Ctrl-C); the documents finished are kept."""

    exit_code = 130


@dataclass
class JobResult:
    job: Job
    outputs: list[str]
    seconds: float
    skipped: bool


@dataclass
class BuildResult:
    out: Path
    results: list[JobResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)
    """(edited file, where it was kept) for every hand-edited output the build set aside."""
    seconds: float = 0.0
    """Wall time of the build, from start to the last file written."""
    translation: Any = None
    """For a course not in English: the TranslationReport of the library's text (what stays
    English is listed in the build summary)."""
    translation_documents: set[str] = field(default_factory=set)
    """The catalogues this course's documents print from."""

    @property
    def files(self) -> list[str]:
        return [path for result in self.results for path in result.outputs]

    @property
    def rendered(self) -> list[JobResult]:
        return [result for result in self.results if not result.skipped]


Progress = Callable[[int, int, Job, float], None]
"""progress(done, total, job, seconds), called as each stale job finishes."""


def parse_kinds(only: str | None) -> list[str]:
    if not only:
        return list(KINDS)
    kinds = [kind.strip() for kind in only.split(",") if kind.strip()]
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        from .validation import suggest

        raise BuildError(
            f"--only: unknown document kind '{unknown[0]}'{suggest(unknown[0], KINDS)}; "
            f"the kinds are: {', '.join(KINDS)}"
        )
    return kinds


# ---------------------------------------------------------------------------- fingerprints


def _jsonable(value: Any) -> Any:
    """What json.dumps cannot write itself, for views: only plain, stable data is allowed."""
    from dataclasses import asdict, is_dataclass

    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"a view holds a {type(value).__name__}, which has no stable form")


def view_digest(view: Any) -> str:
    data = json.dumps(view, sort_keys=True, default=_jsonable, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def kind_digest(kind: str, language: str) -> str:
    """The hash of what renders a kind besides its views: its writer's code, the render
    package's shared code, the templates it uses, and the fixed words of the language."""
    from .library import templates_root
    from .render import renderer
    from .render.common import templates_used

    package = Path(__file__).parent
    render = package / "render"
    module = renderer(kind)
    digest = hashlib.sha256(f"{__version__}\n{kind}\n".encode())
    kind_files = {Path(renderer(other).__file__).name for other in KINDS}  # type: ignore[arg-type]
    own = Path(module.__file__).name  # type: ignore[arg-type]
    code = [render / own, *sorted(p for p in render.glob("*.py") if p.name not in kind_files), package / "i18n.py"]
    from . import i18n

    code.extend(render / f"{name}.py" for name in getattr(module, "USES", ()))
    root = templates_root()
    files = [*code, *(root / name for name in templates_used(root, getattr(module, "TEMPLATES", ())))]
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    # the fixed words the writer itself prints (in its templates and code), as translated:
    # the words the views hold are already in the views
    translator = i18n.Translator(language)
    words = sorted(messages_in((files)))
    digest.update(json.dumps([(word, translator.gettext(word)) for word in words], ensure_ascii=False).encode())
    return digest.hexdigest()


def messages_in(files: list[Path]) -> set[str]:
    from .messages import CALL, GETTEXT, _unescape

    found: set[str] = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        for match in CALL.finditer(text):
            found.add(_unescape(match.group(1) if match.group(1) is not None else match.group(2)))
        for match in GETTEXT.finditer(text):
            found.add(_unescape(match.group(1)))
    return found


def fingerprints(jobs: list[Job], settings: dict[str, Any], language: str) -> dict[str, str]:
    kinds = {kind: kind_digest(kind, language) for kind in {job.kind for job in jobs}}
    base = json.dumps(settings, sort_keys=True)
    out = {}
    for job in jobs:
        text = f"{kinds[job.kind]}\n{base}\n{job.id}\n{view_digest(job.view)}"
        out[job.id] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return out


# ---------------------------------------------------------------------------- the build


def build(
    course_dir: Path | None,
    out: Path | None = None,
    only: str | None = None,
    paper: str | None = None,
    force: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the course's documents; see the module's docstring. Raises InputError for bad
    input (before anything is written), BuildError, or BuildInterrupted on Ctrl-C."""
    from .prepare import prepare
    from .render import renderer
    from .render.common import BuildContext, creation_time

    started = time.perf_counter()
    kinds = parse_kinds(only)
    prepared = prepare(course_dir)
    context = BuildContext(prepared, paper or prepared.course.paper, creation_time(prepared.input))
    out = output_folder(out, course_dir)
    env = context.env(out)
    jobs = [job for kind in kinds for job in renderer(kind).jobs(context)]
    prints = fingerprints(jobs, env.settings(), env.language)
    _check_links(out)
    _check_ownership(out, force)
    with _locked(out):
        result = _build_locked(env, jobs, kinds, out, force, workers, progress, prints)
    result.warnings[:0] = [str(warning) for warning in prepared.agenda.warnings]
    if prepared.input.translation is not None:
        from .translate import documents_of_course

        result.translation = prepared.input.translation
        result.translation_documents = documents_of_course(prepared.library, [p.id for p in prepared.plan.sessions])
    result.seconds = time.perf_counter() - started
    return result


def output_folder(out: Path | None, course_dir: Path | None) -> Path:
    """The folder a build writes to. The default `build` inside a course folder came with the
    course, so it may not be a symbolic link; a folder given with --out is the user's choice,
    and a link there is followed (unless it leads nowhere)."""
    if out is None:
        out = (course_dir / "build") if course_dir is not None else Path("build")
        if os.path.islink(out):
            raise BuildError(
                f"{out} is a symbolic link to {os.readlink(out)}: trainer builds only into a real folder inside "
                "the course folder; remove the link, or choose the folder with --out"
            )
    elif os.path.islink(out):
        if not out.exists():
            raise BuildError(f"{out} is a symbolic link to {os.readlink(out)}, which does not exist: choose another --out folder")
        out = out.resolve()
    if os.path.lexists(out) and not out.is_dir():
        raise BuildError(f"{out} exists and is not a folder: choose another --out folder")
    return out


def _check_links(out: Path) -> None:
    """Refuse an output folder that holds symbolic links: trainer neither reads nor writes
    through them (a planted `build/handouts` link would send the PDFs, and the deletion of
    obsolete files, elsewhere)."""
    if not out.is_dir():
        return
    links: list[Path] = []
    for folder, folders, files in os.walk(out, followlinks=False):
        for name in [*folders, *files]:
            if os.path.islink(os.path.join(folder, name)):
                links.append(Path(folder, name))
    if links:
        first = links[0]
        more = f" (and {len(links) - 1} more)" if len(links) > 1 else ""
        raise BuildError(
            f"{first} is a symbolic link (to {os.readlink(first)}){more}: trainer does not read or write through "
            f"links in its output folder {out}; remove it, or choose another --out folder"
        )


def _check_listed(out: Path, known: dict[str, Any]) -> None:
    """Every path the previous manifest lists, and the manifest and lock, must be a regular
    file where it exists: a folder or a FIFO there is refused before the build reads it."""
    for path in [MANIFEST, LOCK, *known]:
        try:
            info = os.lstat(out / path)
        except OSError:  # missing (or under a file: writing there says so)
            continue
        if not stat.S_ISREG(info.st_mode):
            raise BuildError(
                f"{out / path} is {kind_of(info.st_mode)} where trainer keeps a file of its build: move it away, "
                "or choose another --out folder"
            )


def _build_locked(env, jobs, kinds, out, force, workers, progress, prints) -> BuildResult:  # type: ignore[no-untyped-def]
    previous = _read_manifest(out)
    known = {entry["path"]: entry for entry in previous.get("files", [])}
    _check_listed(out, known)
    edited = {path for path, entry in known.items() if _edited(out / path, entry)}
    stale, fresh = [], []
    for job in jobs:
        files = [entry for entry in known.values() if entry.get("job") == job.id]
        current = bool(files) and all(
            entry.get("fingerprint") == prints[job.id] and entry["path"] not in edited and (out / entry["path"]).is_file()
            for entry in files
        )
        (fresh if current and not force else stale).append(job)
    result = BuildResult(out)
    for job in fresh:
        paths = [path for path, entry in known.items() if entry.get("job") == job.id]
        result.results.append(JobResult(job, sorted(paths), 0.0, True))
    produced: dict[str, tuple[Output, Job]] = {}
    interrupted = None
    try:
        done = 0
        for batch in ([job for job in stale if not job.after], [job for job in stale if job.after]):
            for job, outputs, seconds, refused in _run(env, batch, workers):
                result.warnings.extend(refused)
                for output in outputs:
                    produced[output.path] = (output, job)
                    env.produced[output.path] = output.data
                result.results.append(JobResult(job, [o.path for o in outputs], seconds, False))
                done += 1
                if progress:
                    progress(done, len(stale), job, seconds)
    except KeyboardInterrupt as error:
        interrupted = error
    current_paths = {path for r in result.results for path in r.outputs}
    obsolete = [] if interrupted else [
        path for path, entry in known.items()
        if path not in current_paths and str(entry.get("job", "")).split(":")[0] in kinds
    ]
    if produced or obsolete or edited:
        result.kept = _write(out, produced, prints, previous, obsolete, edited)
    if interrupted is not None:
        finished = len(result.rendered)
        raise BuildInterrupted(
            f"interrupted: {finished} of {len(stale)} document job(s) finished and were kept; "
            "run the build again to render the rest"
        )
    result.results.sort(key=lambda r: (list(KINDS).index(r.job.kind), r.job.key))
    return result


def _edited(path: Path, entry: dict[str, Any]) -> bool:
    """Whether a file the manifest lists now holds other bytes than the build wrote: only a
    sha256 equal to the manifest's makes a previous output trusted, not its size."""
    from .files import digest

    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode):
            return False
        if info.st_size != entry.get("size"):
            return True
        return digest(path) != entry.get("sha256")
    except (OSError, UnsafeFile):
        return False


def _check_ownership(out: Path, force: bool) -> None:
    """Refuse an output folder holding files this tool did not make (unless --force)."""
    if not out.exists():
        return
    if not out.is_dir():
        raise BuildError(f"{out} exists and is not a folder")
    manifest = _read_manifest(out)
    ours = {entry["path"] for entry in manifest.get("files", [])} | {MANIFEST, LOCK}
    ours |= {entry["path"] for entry in manifest.get("kept", []) if isinstance(entry, dict) and "path" in entry}
    found = [
        Path(folder, name).relative_to(out).as_posix()
        for folder, _folders, files in os.walk(out, followlinks=False)
        for name in files
    ]
    foreign = [path for path in sorted(found) if path not in ours and STAGING not in path]
    if foreign and not force:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise BuildError(
            f"{out} holds files trainer did not make ({shown}): choose another --out folder, "
            "or use --force to build there anyway (trainer will not delete them)"
        )


class _locked:
    """An exclusive lock on the output folder: two builds of one course wait for each other."""

    def __init__(self, out: Path):
        self.out = out
        self.handle: Any = None

    def __enter__(self) -> None:
        path = self.out / LOCK
        flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            try:
                descriptor = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                info = os.lstat(path)
                if not stat.S_ISREG(info.st_mode):
                    raise BuildError(
                        f"{path} is {kind_of(info.st_mode)}, not a regular file: trainer keeps its lock there; remove it"
                    ) from None
                descriptor = os.open(path, flags)
        except OSError as error:
            raise _cannot_write(error, self.out) from None
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            raise BuildError(f"{path} is not a regular file: trainer keeps its lock there; remove it")
        self.handle = os.fdopen(descriptor, "r+b")
        try:
            import fcntl

            fcntl.flock(self.handle, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - Windows: no advisory locks, builds are not serialised
            pass

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def _cannot_write(error: OSError, out: Path) -> BuildError:
    """An operating-system refusal to write in the output folder, as one line."""
    where = error.filename or out
    return BuildError(f"cannot write to {where}: {error.strerror or error}; choose another --out folder")


# ---------------------------------------------------------------------------- rendering

_WORKER_ENV: Any = None
"""The render environment inside a worker process (set once, by the pool's initializer)."""


def _render(env: Any, job: Job) -> tuple[Job, list[Output], float, list[str]]:
    from .render import renderer

    start = time.perf_counter()
    env.refused.clear()
    outputs = renderer(job.kind).run(env, job)
    return job, outputs, time.perf_counter() - start, [f"{job.id}: left out {item}" for item in env.refused]


_WORKER_JOBS: list[Job] = []
"""The jobs, inherited by the forked workers: the pool sends them only an index."""


def _init_worker(env: Any, jobs: list[Job]) -> None:
    """Workers leave Ctrl-C to the main process, which stops them and keeps what finished."""
    global _WORKER_ENV, _WORKER_JOBS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_ENV, _WORKER_JOBS = env, jobs


def _render_in_worker(index: int) -> tuple[Job, list[Output], float, list[str]]:
    return _render(_WORKER_ENV, _WORKER_JOBS[index])


def _run(env: Any, jobs: list[Job], workers: int | None) -> Iterator[tuple[Job, list[Output], float, list[str]]]:
    """Render jobs, yielding each as it finishes; with several jobs and cores, in worker
    processes forked after the heavy imports."""
    if not jobs:
        return
    if workers is None and os.environ.get("TRAINER_WORKERS", "").isdigit():
        workers = int(os.environ["TRAINER_WORKERS"])
    count = workers if workers is not None else min(len(jobs), os.cpu_count() or 1)
    if count <= 1 or len(jobs) <= 1 or not hasattr(os, "fork"):
        for job in jobs:
            yield _render(env, job)
        return
    import multiprocessing

    import docx  # noqa: F401 - imported once here, so each forked worker has it already
    import pptx  # noqa: F401
    import weasyprint  # noqa: F401

    # longest first: the per-session plans and the handout pack dominate
    order = sorted(jobs, key=lambda job: (-job.weight, job.id))
    # The workers are forked with the jobs in memory and get only their index: a job's view
    # can be large, and the pool's feeder thread, blocked writing a large task into a pipe
    # that no worker reads any more, made terminate() hang when a job failed (found by the
    # long fuzz run: a damaged slide template).
    pool = multiprocessing.get_context("fork").Pool(count, initializer=_init_worker, initargs=(env, order))
    try:
        yield from pool.imap_unordered(_render_in_worker, range(len(order)))
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


# ---------------------------------------------------------------------------- writing


def _kept_name(out: Path, path: str, taken: set[str]) -> str:
    """Where an edited file is kept: `session-1.edited.docx`, then `.edited-2.docx` ..."""
    pure = Path(path)
    stem, suffix = pure.stem, pure.suffix
    for number in range(1, 1000):
        tag = "edited" if number == 1 else f"edited-{number}"
        candidate = str(pure.with_name(f"{stem}.{tag}{suffix}"))
        if candidate not in taken and not os.path.lexists(out / candidate):
            return candidate
    raise BuildError(f"{out / path}: too many kept edits beside it; move them away")


def _write(out: Path, produced: dict[str, tuple[Output, Job]], prints: dict[str, str], previous: dict,  # type: ignore[type-arg]
           obsolete: list[str], edited: set[str]) -> list[tuple[str, str]]:
    """Write every new output to a staging folder inside `out`, then move each file into place.

    Hand-edited files that would be replaced or removed are first moved aside (and listed in
    the manifest as kept). An interrupted write leaves the previous files and manifest as
    they were; files of the previous build that this one no longer makes are removed (only
    files the manifest lists).
    """
    try:
        return _write_staged(out, produced, prints, previous, obsolete, edited)
    except OSError as error:
        raise _cannot_write(error, out) from None


def _write_staged(out: Path, produced: dict[str, tuple[Output, Job]], prints: dict[str, str], previous: dict,  # type: ignore[type-arg]
                  obsolete: list[str], edited: set[str]) -> list[tuple[str, str]]:
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=out))
    kept: list[tuple[str, str]] = []
    try:
        entries = {entry["path"]: entry for entry in previous.get("files", []) if entry["path"] not in obsolete}
        kept_entries = {entry["path"]: entry for entry in previous.get("kept", []) if isinstance(entry, dict) and "path" in entry}
        for path, (output, job) in produced.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            write_new(target, output.data)
            entries[path] = {
                "path": path,
                "size": len(output.data),
                "sha256": hashlib.sha256(output.data).hexdigest(),
                "job": job.id,
                "fingerprint": prints[job.id],
            }
        for path in sorted(edited & (set(produced) | set(obsolete))):
            name = _kept_name(out, path, set(kept_entries))
            os.replace(out / path, out / name)
            kept.append((path, name))
            kept_entries[name] = {"path": name, "edited_from": path}
        manifest = {
            "trainer": __version__,
            "files": sorted(entries.values(), key=lambda entry: entry["path"]),
            "kept": sorted(kept_entries.values(), key=lambda entry: entry["path"]),
        }
        write_new(staging / MANIFEST, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        for path in [*sorted(produced), MANIFEST]:
            target = out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / path, target)
        for path in obsolete:
            if path not in edited:
                (out / path).unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return kept


def _read_manifest(out: Path) -> dict:  # type: ignore[type-arg]
    """The previous build's manifest (untrusted: any file may have been planted there)."""
    try:
        info = os.lstat(out / MANIFEST)
    except OSError:
        return {"files": []}
    if not stat.S_ISREG(info.st_mode):
        raise BuildError(
            f"{out / MANIFEST} is {kind_of(info.st_mode)}, not a regular file: trainer keeps its build manifest there; "
            "move it away"
        )
    try:
        data = json.loads(read_bytes(out / MANIFEST, MAX_MANIFEST_BYTES, out, "the output folder").decode("utf-8"))
    except UnsafeFile as error:
        if error.reason == "does not exist":
            return {"files": []}
        if error.reason.startswith("the file is"):
            raise BuildError(f"{error.path}: {error.reason} for a build manifest: it is not one trainer wrote; move it away") from None
        raise BuildError(f"{error}; trainer keeps its build manifest there: move it away") from None  # a loop, a race
    except (OSError, ValueError, RecursionError):
        return {"files": []}
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        return {"files": []}
    # a manifest is read back from disk: keep only well-formed entries inside the folder

    def safe(path: Any) -> bool:
        return isinstance(path, str) and bool(path) and not Path(path).is_absolute() and ".." not in Path(path).parts

    files = [
        entry for entry in data["files"]
        if isinstance(entry, dict) and safe(entry.get("path")) and isinstance(entry.get("job"), str)
    ]
    kept = [entry for entry in data.get("kept", []) if isinstance(entry, dict) and safe(entry.get("path"))] \
        if isinstance(data.get("kept"), list) else []
    return {**data, "files": files, "kept": kept}
