"""Shared fixtures: the small test library, course folders copied into tmp_path, the CLI."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOTS = Path(__file__).parent / "roots"
TEST_LIBRARY = ROOTS / "library"


@pytest.fixture
def test_library(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point trainer at the small test library instead of the built-in one."""
    monkeypatch.setenv("TRAINER_LIBRARY", str(TEST_LIBRARY))
    return TEST_LIBRARY


@pytest.fixture
def course(tmp_path: Path, test_library: Path):
    """Copy a course folder from tests/roots into tmp_path; optionally overwrite files in it.

    Usage: folder = course("course-good", {"course.yaml": "..."})
    """

    def make(root: str = "course-good", files: dict[str, str] | None = None) -> Path:
        folder = tmp_path / root
        shutil.copytree(ROOTS / root, folder)
        for name, text in (files or {}).items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return folder

    return make


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch):
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""
    from trainer.cli import app

    runner = CliRunner()

    def run(*args: str | Path) -> tuple[int, str, str]:
        monkeypatch.setenv("COLUMNS", "200")
        result = runner.invoke(app, [str(arg) for arg in args])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    return run
