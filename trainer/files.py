"""Reading files from folders trainer does not trust, and writing into its output folder.

A course folder (and a build folder inside it) may come from someone else, as a zip or on a
shared drive, and trainer often runs as root; the filesystem is input like the YAML in it
(docs/SECURITY.md). So every path trainer reads is resolved and must stay inside its folder
(the course folder, the library, the output folder): a symbolic link that leaves it is refused,
naming the link. Only regular files are read, checked with stat() before they are opened
(a FIFO would block, a device never ends), opened so that a link or a FIFO swapped in since
cannot be followed or block (O_NOFOLLOW, O_NONBLOCK), and never read past their limit: the
size is known before a byte is read, so a sparse 3 GB file costs nothing. Files trainer
creates are created with O_EXCL and O_NOFOLLOW, never through a link.

Zip packages (slide templates, questionnaire exports) are checked from their central
directory before any library opens them: how many members, how large once inflated, and
how much each member inflates.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from .errors import TrainerError

MAX_ARCHIVE_BYTES = 100 * 1024 * 1024
"""A zip package (a slide template, an XLSX export) may inflate to at most 100 MB in all:
python-pptx and openpyxl hold what they read in memory, and a real template or export is a
few MB."""
MAX_ARCHIVE_MEMBERS = 10_000
"""At most this many members in a zip package (a slide template has a few hundred)."""
MAX_COMPRESSION_RATIO = 100
"""A member larger than 1 MB once inflated may inflate at most 100 times (Office XML inflates
5 to 20 times; a zip bomb a thousand times or more)."""
MAX_ARCHIVE_XML_BYTES = 20 * 1024 * 1024
"""An XML member (a slide layout, a sheet's shared strings) may be at most 20 MB once
inflated: python-pptx and openpyxl parse such parts whole, at several times their size."""

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class UnsafeFile(TrainerError):
    """Raised when a path may not be used: a link out of its folder, a FIFO, device or folder
    where a file is expected, a file over its size limit, a zip bomb. The message names the
    path (the link itself, for a link) and says what is wrong."""

    def __init__(self, path: Path, message: str):
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}")

    def __reduce__(self) -> tuple[type, tuple[Path, str]]:  # raised in a build's worker process, it crosses back by pickle
        return (type(self), (self.path, self.reason))


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a special file"


def megabytes(size: int) -> str:
    """1,572,864 -> '1.5 MB'; whole numbers without decimals ('5 MB')."""
    value = size / (1024 * 1024)
    return f"{value:,.0f} MB" if value == int(value) else f"{value:,.1f} MB"


def inside(path: Path, root: Path, where: str = "the course folder") -> Path:
    """The real path of `path`, which must stay inside `root`; raises UnsafeFile naming the
    symbolic link that leads out of it (a file or one of its folders)."""
    real_root = root.resolve()
    try:
        real = path.resolve()
    except (OSError, RuntimeError) as error:  # a loop of links
        raise UnsafeFile(path, f"cannot be followed ({getattr(error, 'strerror', None) or 'a loop of symbolic links'})") from None
    if real == real_root or real.is_relative_to(real_root):
        return real
    link, target = _leaving_link(path, root, real_root)
    if link is not None:
        raise UnsafeFile(link, f"is a symbolic link to {target}, outside {where}; trainer reads only what is inside it")
    raise UnsafeFile(path, f"is outside {where}")


def _leaving_link(path: Path, root: Path, real_root: Path) -> tuple[Path | None, Path | None]:
    """The first link on the way from `root` to `path` whose target is outside `root`."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        try:
            parts = path.absolute().relative_to(root.absolute()).parts
        except ValueError:
            return None, None
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            target = current.resolve()
            if not (target == real_root or target.is_relative_to(real_root)):
                return current, target
    return None, None


def regular(path: Path, root: Path | None = None, where: str = "the course folder") -> tuple[Path, os.stat_result]:
    """The real path and status of a regular file, checked without opening it: inside `root`
    when one is given, and not a FIFO, device, socket or folder."""
    if root is not None:
        real = inside(path, root, where)
    else:
        try:
            real = path.resolve()
        except (OSError, RuntimeError):
            raise UnsafeFile(path, "cannot be followed (a loop of symbolic links)") from None
    try:
        info = os.stat(real)
    except FileNotFoundError:
        if os.path.lexists(real):
            raise UnsafeFile(path, "is a symbolic link to a file that does not exist") from None
        raise UnsafeFile(path, "does not exist") from None
    except OSError as error:
        raise UnsafeFile(path, f"cannot be read ({error.strerror or error})") from None
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFile(path, f"is not a regular file but {kind_of(info.st_mode)}; trainer reads only ordinary files")
    return real, info


def read_bytes(path: Path, limit: int, root: Path | None = None, where: str = "the course folder") -> bytes:
    """Read a regular file of at most `limit` bytes (see the module's docstring)."""
    real, info = regular(path, root, where)
    if info.st_size > limit:
        raise UnsafeFile(path, f"the file is {megabytes(info.st_size)}; the limit is {megabytes(limit)}")
    try:
        descriptor = os.open(real, _READ_FLAGS)
    except OSError as error:
        raise UnsafeFile(path, f"cannot be read ({error.strerror or error})") from None
    with os.fdopen(descriptor, "rb") as handle:
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise UnsafeFile(path, "changed while trainer was reading it")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnsafeFile(path, f"the file is over {megabytes(limit)}, the limit")
    return data


def digest(path: Path) -> str:
    """The sha256 of a regular file, read in blocks, never through a link or from a FIFO."""
    import hashlib

    real, info = regular(path)
    descriptor = os.open(real, _READ_FLAGS)
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise UnsafeFile(path, "changed while trainer was reading it")
        hashed = hashlib.sha256()
        for block in iter(lambda: handle.read(1 << 20), b""):
            hashed.update(block)
    return hashed.hexdigest()


def write_new(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Create a file that does not exist yet, never through a symbolic link (O_EXCL, O_NOFOLLOW)."""
    descriptor = os.open(path, _CREATE_FLAGS, mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def archive_problem(path: Path) -> str | None:
    """Why a zip package may not be opened (too many members, too large once inflated, a member
    that inflates like a bomb), or None. Reads only the end of the file and its central
    directory, after checking from the end record how many members it declares."""
    try:
        with open(path, "rb") as handle:
            end = zipfile._EndRecData(handle)  # type: ignore[attr-defined]  # the end record only
            if end is None:
                return "not a zip package"
            if end[zipfile._ECD_ENTRIES_TOTAL] > MAX_ARCHIVE_MEMBERS:  # type: ignore[attr-defined]
                return f"a zip package of {end[zipfile._ECD_ENTRIES_TOTAL]:,} members; the limit is {MAX_ARCHIVE_MEMBERS:,}"  # type: ignore[attr-defined]
            handle.seek(0)
            with zipfile.ZipFile(handle) as package:
                members = package.infolist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        return "not a readable zip package"
    if len(members) > MAX_ARCHIVE_MEMBERS:
        return f"a zip package of {len(members):,} members; the limit is {MAX_ARCHIVE_MEMBERS:,}"
    total = 0
    for member in members:
        total += member.file_size
        if total > MAX_ARCHIVE_BYTES:
            return f"it inflates to more than {megabytes(MAX_ARCHIVE_BYTES)} (the limit for a zip package)"
        if member.filename.lower().endswith((".xml", ".rels")) and member.file_size > MAX_ARCHIVE_XML_BYTES:
            return (f"its XML member {member.filename[:80]} is {megabytes(member.file_size)} once inflated "
                    f"(the limit is {megabytes(MAX_ARCHIVE_XML_BYTES)})")
        if member.file_size > 1024 * 1024 and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            return (f"its member {member.filename[:80]} inflates {member.file_size // max(member.compress_size, 1):,} times "
                    f"(the limit is {MAX_COMPRESSION_RATIO} times): a zip bomb")
    return None
