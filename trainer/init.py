"""`trainer init`: a new course folder whose files explain every field in comments."""

from __future__ import annotations

import shutil
from pathlib import Path

from .errors import TrainerError
from .library import templates_root

FILES = ("course.yaml", "assessment.yaml")
FOLDERS = ("local/sessions", "local/activities", "local/handouts", "local/forms")


class CourseExists(TrainerError):
    """Raised when `trainer init` would overwrite a facilitator's files without --force."""


def init_course(folder: Path, force: bool = False) -> list[Path]:
    """Create the course folder; return the files written. Existing files are kept as .bak with --force."""
    existing = [folder / name for name in FILES if (folder / name).exists()]
    if existing and not force:
        names = ", ".join(str(path) for path in existing)
        raise CourseExists(f"{names} already exist(s): nothing was written. Use --force to replace (a .bak copy is kept).")
    if folder.exists() and not folder.is_dir():
        raise CourseExists(f"{folder} exists and is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    source = templates_root() / "init"
    for name in FILES:
        target = folder / name
        if target.exists():
            shutil.copy2(target, target.with_name(target.name + ".bak"))
        shutil.copyfile(source / name, target)
        written.append(target)
    for sub in FOLDERS:
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return written
