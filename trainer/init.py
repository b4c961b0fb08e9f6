"""`trainer init`: a new course folder whose files explain every field in comments."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import TrainerError
from .files import UnsafeFile, read_bytes, write_new
from .library import templates_root
from .yamlfile import MAX_BYTES

FILES = ("course.yaml", "assessment.yaml")
FOLDERS = ("local/sessions", "local/activities", "local/handouts", "local/forms")


class CourseExists(TrainerError):
    """Raised when `trainer init` would overwrite a facilitator's files without --force."""


def init_course(folder: Path, force: bool = False) -> list[Path]:
    """Create the course folder; return the files written. Existing files are kept as .bak with --force.

    The folder may hold files from someone else: trainer never reads or writes through a
    symbolic link here (a planted `course.yaml.bak` link would otherwise make it overwrite a
    file elsewhere), and refuses before writing anything."""
    existing = [folder / name for name in FILES if os.path.lexists(folder / name)]
    if existing and not force:
        names = ", ".join(str(path) for path in existing)
        raise CourseExists(f"{names} already exist(s): nothing was written. Use --force to replace (a .bak copy is kept).")
    if folder.exists() and not folder.is_dir():
        raise CourseExists(f"{folder} exists and is not a folder")
    for name in FILES:
        for path in (folder / name, folder / f"{name}.bak"):
            if path.is_symlink():
                raise CourseExists(f"{path} is a symbolic link: trainer does not write through links; remove it (nothing was written)")
            if os.path.lexists(path) and not path.is_file():
                raise CourseExists(f"{path} is not a regular file: move it away (nothing was written)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        source = templates_root() / "init"
        for name in FILES:
            target = folder / name
            if target.exists():
                backup = target.with_name(target.name + ".bak")
                backup.unlink(missing_ok=True)
                write_new(backup, read_bytes(target, MAX_BYTES, folder))
            _replace(target, (source / name).read_bytes())
            written.append(target)
        for sub in FOLDERS:
            (folder / sub).mkdir(parents=True, exist_ok=True)
    except UnsafeFile as error:
        raise CourseExists(f"{error} (nothing more was written)") from None
    except OSError as error:
        raise CourseExists(f"cannot write to {error.filename or folder}: {error.strerror or error}") from None
    return written


def _replace(target: Path, data: bytes) -> None:
    """Write a file through a new temporary file moved into place (never through a link)."""
    descriptor, staging = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(staging, 0o644)
        os.replace(staging, target)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
