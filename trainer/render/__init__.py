"""Renderers: one module per document kind, each with the same small interface.

A renderer module defines `KIND` (its name for `--only`), `TEMPLATES` (the templates its
writer uses), `jobs(context) -> list[Job]` (each document with its view: cheap, imports
nothing heavy) and `run(env, job) -> list[Output]` (the writing, from the view alone). The
build compares each job's fingerprint (the hash of its view, code, templates and fixed
words) with the manifest's and runs only the stale ones.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

KINDS: dict[str, str] = {
    "agenda": "trainer.render.agenda",
    "session-plans": "trainer.render.session_plans",
    "run-sheets": "trainer.render.run_sheets",
    "slides": "trainer.render.slides",
    "handouts": "trainer.render.handouts",
    "forms": "trainer.render.forms",
    "checklist": "trainer.render.checklist",
    "certificates": "trainer.render.certificates",
    "printables": "trainer.render.printables",
    "site": "trainer.render.site",
}


@dataclass(frozen=True)
class Output:
    """A file a renderer produced: its path inside the build folder, and its bytes."""

    path: str
    data: bytes


@dataclass
class Job:
    """One unit of rendering: a kind, a key within it, and the view its outputs are written from."""

    kind: str
    key: str
    view: Any
    """Plain data (text, numbers, lists, mappings, Markup): everything the document shows. The
    writer reads nothing else about the course, so a change here is exactly what makes the
    job stale."""
    after: bool = False
    """Run after the other jobs (it reads their outputs: the combined facilitator guide)."""
    weight: int = 0
    """A rough measure of the work (for ordering: the heaviest jobs start first)."""

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.key}"


def renderer(kind: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(KINDS[kind])
