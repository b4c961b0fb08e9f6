"""The exceptions trainer raises, and the problems it reports with their place in a file.

Only the CLI turns these into messages and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class Problem:
    """Something wrong (or worth a warning) at a place in an input file."""

    file: Path | None
    line: int | None
    column: int | None
    message: str
    severity: Literal["error", "warning"] = "error"

    def location(self, relative_to: Path | None = None) -> str:
        if self.file is None:
            return ""
        name = str(self.file)
        base = relative_to or Path.cwd()
        try:
            name = str(self.file.resolve().relative_to(base.resolve()))
        except (ValueError, OSError, RuntimeError):  # elsewhere, or a loop of symbolic links
            pass
        if self.line is None:
            return name
        return f"{name}:{self.line}:{self.column or 1}"

    def format(self, relative_to: Path | None = None) -> str:
        where = self.location(relative_to)
        prefix = f"{where}: " if where else ""
        label = "warning: " if self.severity == "warning" else ""
        return f"{prefix}{label}{self.message}"


class TrainerError(Exception):
    """Base of every error trainer reports to the user (never a traceback)."""

    exit_code = 1


class InputError(TrainerError):
    """Raised when the library or a course folder holds invalid input; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [problem for problem in problems if problem.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in the input")


class CourseNotFound(TrainerError):
    """Raised when a course folder does not exist or has no course.yaml."""


class LibraryNotFound(TrainerError):
    """Raised when the built-in library (modules/, activities/, handouts/) cannot be found."""


class UnknownItem(TrainerError):
    """Raised when `trainer show` is given an id that no item has."""
