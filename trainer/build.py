"""The build: load, adapt and schedule everything first, then render, then write.

Nothing is written until every document has been rendered in memory; the files are then
written to a temporary folder beside the output folder and moved into place, with a
manifest.json that lists each file with its size and sha256.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import TrainerError
from .render import KINDS, Output

MANIFEST = "manifest.json"


class BuildError(TrainerError):
    """Raised when the build cannot write its output (an unknown kind, a folder it does not own)."""


@dataclass
class BuildResult:
    out: Path
    files: list[tuple[str, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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


def build(course_dir: Path | None, out: Path | None = None, only: str | None = None, paper: str | None = None) -> BuildResult:
    from .adapt import plan_course
    from .i18n import Translator
    from .loader import load_course
    from .render import renderer
    from .render.common import BuildContext, creation_time
    from .schedule import schedule

    kinds = parse_kinds(only)
    course_input = load_course(course_dir)
    course = course_input.course
    course_plan = plan_course(course_input)
    agenda = schedule(course_plan.sessions, course_plan.days, course_plan.start_date)
    out = out or ((course_dir / "build") if course_dir is not None else Path("build"))
    context = BuildContext(
        course_input,
        agenda,
        Translator(course.language, course.time_style),
        plan=course_plan.sessions,
        paper=paper or course.paper,
        created=creation_time(course_input),
        large_print=course.large_print,
    )
    outputs: list[Output] = []
    for kind in kinds:
        outputs.extend(renderer(kind).render(context))
    _write(out, outputs)
    return BuildResult(out, [(output.path, len(output.data)) for output in outputs], agenda.warnings)


def _write(out: Path, outputs: list[Output]) -> None:
    """Write every output to a temporary folder, then move each file into `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".trainer-build-", dir=out.parent))
    try:
        manifest = {"files": []}
        for output in outputs:
            target = staging / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(output.data)
            manifest["files"].append(
                {"path": output.path, "size": len(output.data), "sha256": hashlib.sha256(output.data).hexdigest()}
            )
        previous = _read_manifest(out)
        (staging / MANIFEST).write_text(json.dumps(_merge(previous, manifest), indent=2) + "\n", encoding="utf-8")
        for output in [*outputs, Output(MANIFEST, b"")]:
            target = out / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / output.path, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _read_manifest(out: Path) -> dict:  # type: ignore[type-arg]
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"files": []}


def _merge(previous: dict, current: dict) -> dict:  # type: ignore[type-arg]
    """Keep earlier entries for files this build did not touch (a build with --only)."""
    written = {entry["path"] for entry in current["files"]}
    kept = [entry for entry in previous.get("files", []) if entry.get("path") not in written]
    return {"files": sorted(kept + current["files"], key=lambda entry: entry["path"])}
