"""Shared fixtures: the small test library, course folders copied into tmp_path, the CLI."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOTS = Path(__file__).parent / "roots"
TEST_LIBRARY = ROOTS / "library"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def nothing_written_into_the_checkout():
    """No test leaves files in the project folder (a stray `build/` made `make demo` refuse
    to build there after `make test`): commands under test write in temporary folders."""
    watched = [REPO / "build", REPO / "delivery", REPO / "course.yaml", REPO / "assessment.yaml"]
    before = {path: path.exists() for path in watched}
    yield
    appeared = [str(path.relative_to(REPO)) for path in watched if path.exists() and not before[path]]
    assert not appeared, f"tests wrote into the checkout: {appeared}"


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


@dataclass
class Bounded:
    """What a trainer command did in a process of its own: exit code, output, and the CPU
    time and peak memory it used (None when it had to be stopped: a hang)."""

    code: int | None
    out: str
    err: str
    cpu: float
    """User plus system CPU seconds."""
    peak_mb: float
    """Peak resident memory in MB (VmHWM of the trainer process itself, read as it exits)."""

    @property
    def line(self) -> str:
        """The first line of stderr that is not the course announcement or a progress line."""
        return next((line for line in self.err.splitlines() if line.strip()), "")


_REPORT_PEAK = """
import atexit, os, sys

def report_peak():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    with open(os.environ["TRAINER_PEAK_FILE"], "w") as out:
                        out.write(line.split()[1])
    except OSError:
        pass

atexit.register(report_peak)
sys.argv = ["trainer", *sys.argv[1:]]
from trainer.cli import run
run()
"""
"""Runs trainer's console script and, as the process exits, records its peak resident memory."""


@pytest.fixture
def bounded(test_library: Path, request: pytest.FixtureRequest):
    """Run `python -m trainer ...` in a child process with a generous time limit and an address
    space cap (so that a hang or a memory blow-up fails the test instead of the machine), and
    measure its CPU time and peak memory with wait4's resource usage. With
    $TRAINER_MEASUREMENTS set (benchmarks/hostile.py), each measurement is appended there."""

    def run(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 120, as_user: bool = False) -> Bounded:
        """`as_user`: without root's power to write where permissions forbid it (for tests of
        read-only folders when the suite runs as root)."""

        def limits() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))

        prefix = []
        if as_user and os.geteuid() == 0:
            prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]

        peak_file = tempfile.NamedTemporaryFile(delete=False)
        peak_file.close()
        environment = {**os.environ, "TRAINER_WORKERS": "1", "COLUMNS": "200", "PYTHONPATH": str(REPO),
                       "TRAINER_PEAK_FILE": peak_file.name, **(env or {})}
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            process = subprocess.Popen(
                [*prefix, sys.executable, "-c", _REPORT_PEAK, *map(str, args)], stdout=out, stderr=err,
                stdin=subprocess.DEVNULL, env=environment, preexec_fn=limits, cwd=str(REPO),
            )
            deadline = time.monotonic() + timeout
            status = usage = None
            while time.monotonic() < deadline:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                time.sleep(0.05)
            else:
                process.kill()
                _, status, usage = os.wait4(process.pid, 0)
                status = None
            process.returncode = -1  # reaped here; keep Popen from waiting again
            out.seek(0)
            err.seek(0)
            code = os.waitstatus_to_exitcode(status) if status is not None else None
            peak = Path(peak_file.name).read_text().strip()
            os.unlink(peak_file.name)
            # wait4's ru_maxrss would count the pages of this test process copied by fork
            # before exec; the child's own high-water mark is its VmHWM (or, if it was
            # stopped before it could say, the larger figure)
            result = Bounded(code, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                             usage.ru_utime + usage.ru_stime, int(peak) / 1024 if peak.isdigit() else usage.ru_maxrss / 1024)
        record = os.environ.get("TRAINER_MEASUREMENTS")
        if record:
            import json

            with open(record, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"test": request.node.nodeid, "command": str(args[0]), "code": result.code,
                                         "cpu": round(result.cpu, 2), "peak_mb": round(result.peak_mb, 1)}) + "\n")
        return result

    return run
