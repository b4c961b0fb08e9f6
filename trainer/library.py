"""Where the built-in library lives, and the folders each kind of item is read from."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import LibraryNotFound

# kind -> folder inside the library (and inside a course's local/ folder)
FOLDERS: dict[str, str] = {
    "module": "modules",
    "session": "modules/sessions",
    "activity": "activities",
    "handout": "handouts",
    "form": "forms",
    "example": "examples",
    "slot": "modules/slots",
    "vocabulary": "vocabulary",
    "diagram": "diagrams",
}
LOCAL_FOLDERS: dict[str, str] = {
    "module": "local/modules",
    "session": "local/sessions",
    "activity": "local/activities",
    "handout": "local/handouts",
    "form": "local/forms",
    "example": "local/examples",
    "context": "local/context",
    "diagram": "local/diagrams",
}
PROGRAMME_FILE = "modules/course.yaml"


def library_root() -> Path:
    """The library: $TRAINER_LIBRARY if set, else the one shipped inside the package, else the checkout's."""
    override = os.environ.get("TRAINER_LIBRARY")
    if override:
        root = Path(override)
        if not (root / PROGRAMME_FILE).is_file():
            raise LibraryNotFound(f"TRAINER_LIBRARY={override}: no {PROGRAMME_FILE} there")
        return root
    package = Path(__file__).resolve().parent
    for candidate in (package / "library", package.parent):
        if (candidate / PROGRAMME_FILE).is_file():
            return candidate
    raise LibraryNotFound(
        f"the built-in course library was not found next to {package} "
        "(expected library/modules/course.yaml): reinstall trainer"
    )


def templates_root() -> Path:
    """The project's own document templates (shipped with the package, never taken from a course)."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "library" / "templates", package.parent / "templates"):
        if (candidate / "document.css").is_file():
            return candidate
    raise LibraryNotFound(f"the document templates were not found next to {package}: reinstall trainer")
