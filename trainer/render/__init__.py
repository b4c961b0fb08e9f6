"""Renderers: one module per document kind, each with the same small interface.

A renderer module defines `KIND` (its name for `--only`) and `render(context) -> list[Output]`.
Modules are imported only when their kind is built, so heavy libraries load only then.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

KINDS: dict[str, str] = {
    "agenda": "trainer.render.agenda",
    "session-plans": "trainer.render.session_plans",
    "slides": "trainer.render.slides",
    "handouts": "trainer.render.handouts",
    "forms": "trainer.render.forms",
    "checklist": "trainer.render.checklist",
    "certificates": "trainer.render.certificates",
}


@dataclass(frozen=True)
class Output:
    """A file a renderer produced: its path inside the build folder, and its bytes."""

    path: str
    data: bytes


def renderer(kind: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(KINDS[kind])
