"""The build: load, adapt and schedule everything first, then render what is stale, then write.

Each renderer lists its jobs with the data they depend on; a job whose fingerprint and
files match the manifest of the previous build is skipped, and this is decided before any
renderer library (WeasyPrint, python-pptx) is imported. Stale jobs render in memory, in
parallel worker processes where there are several cores; the files are then written to a
temporary folder beside the output folder and moved into place, with a manifest.json that
lists each file with its size, sha256, job and the input files it was made from.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import TrainerError
from .render import KINDS, Job, Output

MANIFEST = "manifest.json"


class BuildError(TrainerError):
    """Raised when the build cannot write its output (an unknown kind, a folder it does not own)."""


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

    @property
    def files(self) -> list[str]:
        return [path for result in self.results for path in result.outputs]

    @property
    def rendered(self) -> list[JobResult]:
        return [result for result in self.results if not result.skipped]


Progress = Callable[[str, int, int], None]
"""progress(label, done, total), called as jobs finish."""


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


def _templates_digest() -> str:
    from .library import templates_root

    digest = hashlib.sha256()
    root = templates_root()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    package = Path(__file__).parent
    # the catalogues and the renderers' own code: a new release (or a fix in a checkout)
    # renders again, even under the same version number
    for path in [*sorted((package / "locale").glob("*.po")), *sorted((package / "render").glob("*.py"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(job: Job, templates: str) -> str:
    data = json.dumps([__version__, templates, job.kind, job.key, job.inputs], sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def build(
    course_dir: Path | None,
    out: Path | None = None,
    only: str | None = None,
    paper: str | None = None,
    force: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    from .adapt import plan_course
    from .i18n import Translator
    from .loader import load_course
    from .render.common import BuildContext, creation_time
    from .schedule import schedule

    kinds = parse_kinds(only)
    course_input = load_course(course_dir)
    if course_dir is not None:
        os.environ["TRAINER_COURSE_FOLDER"] = str(course_dir.resolve())
    else:
        os.environ.pop("TRAINER_COURSE_FOLDER", None)
    course = course_input.course
    course_plan = plan_course(course_input)
    agenda = schedule(course_plan.sessions, course_plan.days, course_plan.start_date)
    out = out or ((course_dir / "build") if course_dir is not None else Path("build"))
    context = BuildContext(
        course_input,
        agenda,
        Translator(course_plan.language, course.time_style),
        plan=course_plan.sessions,
        paper=paper or course.paper,
        created=creation_time(course_input),
        large_print=course_plan.large_print,
        conditions=course_plan.conditions,
        adaptations=course_plan.adaptations,
        examples=course_plan.examples,
        out=out,
    )
    templates = _templates_digest()
    _check_ownership(out, force)
    with _locked(out):
        return _build_locked(context, kinds, out, force, workers, progress, templates, agenda)


def _build_locked(context, kinds, out, force, workers, progress, templates, agenda):  # type: ignore[no-untyped-def]
    from .render import renderer

    previous = _read_manifest(out)
    known = {entry["path"]: entry for entry in previous.get("files", [])}
    all_jobs = [job for kind in kinds for job in renderer(kind).jobs(context)]
    prints = {job.id: fingerprint(job, templates) for job in all_jobs}
    stale, fresh = [], []
    for job in all_jobs:
        files = [entry for entry in known.values() if entry.get("job") == job.id]
        current = bool(files) and all(
            entry.get("fingerprint") == prints[job.id] and _intact(out / entry["path"], entry) for entry in files
        )
        (fresh if current and not force else stale).append(job)
    result = BuildResult(out, warnings=list(agenda.warnings))
    context.out = out
    for job in fresh:
        paths = [path for path, entry in known.items() if entry.get("job") == job.id]
        result.results.append(JobResult(job, sorted(paths), 0.0, True))
    produced: dict[str, tuple[Output, Job]] = {}
    if stale:
        first = [job for job in stale if not job.after]
        later = [job for job in stale if job.after]
        done = len(fresh)
        total = len(all_jobs)
        for batch in (first, later):
            for job, outputs, seconds, refused in _run(context, batch, workers):
                result.warnings.extend(refused)
                for output in outputs:
                    produced[output.path] = (output, job)
                    context.produced[output.path] = output.data
                result.results.append(JobResult(job, [o.path for o in outputs], seconds, False))
                done += 1
                if progress:
                    progress(job.id, done, total)
    current_paths = {path for r in result.results for path in r.outputs}
    obsolete = [path for path, entry in known.items() if path not in current_paths and entry.get("job", "").split(":")[0] in kinds]
    if produced or obsolete:
        _write(out, produced, prints, previous, obsolete)
    result.results.sort(key=lambda r: (list(KINDS).index(r.job.kind), r.job.key))
    return result


def _check_ownership(out: Path, force: bool) -> None:
    """Refuse an output folder holding files this tool did not make (unless --force)."""
    if not out.exists():
        return
    if not out.is_dir():
        raise BuildError(f"{out} exists and is not a folder")
    manifest = _read_manifest(out)
    ours = {entry["path"] for entry in manifest.get("files", [])} | {MANIFEST, LOCK}
    foreign = [
        str(path.relative_to(out))
        for path in sorted(out.rglob("*"))
        if path.is_file() and str(path.relative_to(out)) not in ours and ".trainer-staging-" not in str(path)
    ]
    if foreign and not force:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise BuildError(
            f"{out} holds files trainer did not make ({shown}): choose another --out folder, "
            "or use --force to build there anyway (trainer will not delete them)"
        )


LOCK = ".trainer.lock"


class _locked:
    """An exclusive lock on the output folder: two builds of one course wait for each other."""

    def __init__(self, out: Path):
        self.out = out
        self.handle: Any = None

    def __enter__(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        self.handle = (self.out / LOCK).open("a")
        try:
            import fcntl

            fcntl.flock(self.handle, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - Windows: no advisory locks, builds are not serialised
            pass

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def _intact(path: Path, entry: dict[str, Any]) -> bool:
    try:
        return path.stat().st_size == entry.get("size")
    except OSError:
        return False


# ---------------------------------------------------------------------------- rendering

_CONTEXT: Any = None


def _render_one(job: Job) -> tuple[Job, list[Output], float, list[str]]:
    from .render import renderer
    from .render.common import REFUSED

    start = time.perf_counter()
    REFUSED.clear()
    outputs = renderer(job.kind).run(_CONTEXT, job)
    return job, outputs, time.perf_counter() - start, [f"{job.id}: left out {item}" for item in REFUSED]


def _run(context: Any, jobs: list[Job], workers: int | None) -> list[tuple[Job, list[Output], float, list[str]]]:
    """Render jobs; with several jobs and cores, in worker processes forked after the heavy imports."""
    global _CONTEXT
    _CONTEXT = context
    if workers is None and os.environ.get("TRAINER_WORKERS", "").isdigit():
        workers = int(os.environ["TRAINER_WORKERS"])
    count = workers if workers is not None else min(len(jobs), os.cpu_count() or 1)
    if count <= 1 or len(jobs) <= 1 or not hasattr(os, "fork"):
        return [_render_one(job) for job in jobs]
    import multiprocessing

    import weasyprint  # noqa: F401 - imported once here, so each forked worker has it already
    import pptx  # noqa: F401
    import docx  # noqa: F401

    # longest first: the per-session plans and the handout pack dominate
    order = sorted(jobs, key=lambda job: len(json.dumps(job.inputs, default=str)), reverse=True)
    with multiprocessing.get_context("fork").Pool(count) as pool:
        return list(pool.imap_unordered(_render_one, order))


# ---------------------------------------------------------------------------- writing


def _write(out: Path, produced: dict[str, tuple[Output, Job]], prints: dict[str, str], previous: dict, obsolete: list[str]) -> None:  # type: ignore[type-arg]
    """Write every new output to a temporary folder inside `out`, then move each file into place.

    An interrupted build leaves the previous files and manifest as they were; files of the
    previous build that this one no longer makes are removed (only files the manifest lists).
    """
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".trainer-staging-", dir=out))
    try:
        entries = {entry["path"]: entry for entry in previous.get("files", []) if entry["path"] not in obsolete}
        for path, (output, job) in produced.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(output.data)
            entries[path] = {
                "path": path,
                "size": len(output.data),
                "sha256": hashlib.sha256(output.data).hexdigest(),
                "job": job.id,
                "fingerprint": prints[job.id],
                "inputs": sorted({s for s in job.sources if s}),
            }
        manifest = {"trainer": __version__, "files": sorted(entries.values(), key=lambda entry: entry["path"])}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        for path in [*produced, MANIFEST]:
            target = out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / path, target)
        for path in obsolete:
            (out / path).unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _read_manifest(out: Path) -> dict:  # type: ignore[type-arg]
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"files": []}
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        return {"files": []}
    # a manifest is read back from disk: keep only well-formed entries inside the folder
    safe = []
    for entry in data["files"]:
        path = entry.get("path") if isinstance(entry, dict) else None
        if isinstance(path, str) and path and not Path(path).is_absolute() and ".." not in Path(path).parts:
            safe.append(entry)
    return {**data, "files": safe}
