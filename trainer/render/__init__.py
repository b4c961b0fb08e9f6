"""Renderers: one module per document kind, each with the same small interface.

A renderer module defines `KIND` (its name for `--only`), `jobs(context) -> list[Job]` (what
it will produce and from which inputs; cheap, imports nothing heavy) and
`run(context, job) -> list[Output]` (the rendering itself). The build compares each job's
fingerprint with the manifest's and runs only the stale ones.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

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


@dataclass
class Job:
    """One unit of rendering: a kind, a key within it, and the data its outputs depend on."""

    kind: str
    key: str
    inputs: Any
    """JSON-able data: a change here makes the job stale."""
    sources: list[str] = field(default_factory=list)
    """The input files it was made from (for the manifest)."""
    after: bool = False
    """Run after the other jobs (it reads their outputs: the combined facilitator guide)."""

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.key}"


def renderer(kind: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(KINDS[kind])
