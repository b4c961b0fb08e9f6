"""Start-up benchmark: how fast the light commands answer.

Prints the median wall time over RUNS runs of `trainer --help`, of a minimal three-command
Typer app's `--help` (the reference), of `trainer check --help`, and of `trainer check` on
the full built-in library; the ratio of `trainer --help` to the reference; and the
modules `trainer --help` imports that take over 10 ms (python -X importtime).

Usage: python benchmarks/startup.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 10
PYTHON = sys.executable
REFERENCE = '''
import typer
app = typer.Typer()
@app.command()
def one(name: str = "x") -> None:
    """First."""
@app.command()
def two(name: str = "x") -> None:
    """Second."""
@app.command()
def three(name: str = "x") -> None:
    """Third."""
app()
'''


def median_seconds(args: list[str]) -> float:
    times = []
    env = dict(os.environ)
    subprocess.run(args, capture_output=True, env=env)  # warm the file cache
    for _ in range(RUNS):
        start = time.perf_counter()
        result = subprocess.run(args, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0,):
            raise SystemExit(f"{' '.join(args)} failed: {result.stderr.decode()[-2000:]}")
    return statistics.median(times)


def slow_imports(args: list[str], threshold_us: int = 10_000) -> list[tuple[int, str]]:
    result = subprocess.run([PYTHON, "-X", "importtime", *args], capture_output=True, text=True)
    rows = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self_us, cumulative, name = (part.strip() for part in line.split(":", 1)[1].split("|"))
        if int(cumulative) >= threshold_us:
            rows.append((int(cumulative), name))
    return sorted(rows, reverse=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        reference = Path(folder, "reference_app.py")
        reference.write_text(REFERENCE)
        trainer = [PYTHON, "-m", "trainer"]
        results = {
            "trainer --help": median_seconds([*trainer, "--help"]),
            "reference Typer app --help (3 commands)": median_seconds([PYTHON, str(reference), "--help"]),
            "trainer check --help": median_seconds([*trainer, "check", "--help"]),
            "trainer check (full library)": median_seconds([*trainer, "check"]),
        }
    print(f"median wall time over {RUNS} runs (python {sys.version.split()[0]}, {os.cpu_count()} cores)")
    for name, seconds in results.items():
        print(f"  {name:<42} {seconds:6.3f} s")
    ratio = results["trainer --help"] / results["reference Typer app --help (3 commands)"]
    print(f"  ratio trainer --help / reference:          {ratio:6.2f}x  (target <= 1.2x)")
    print(f"  trainer check under 0.8 s:                 {'yes' if results['trainer check (full library)'] < 0.8 else 'NO'}")
    print("modules imported by `trainer --help` taking over 10 ms (cumulative):")
    for micros, name in slow_imports(["-m", "trainer", "--help"]):
        print(f"  {micros / 1000:7.1f} ms  {name}")


if __name__ == "__main__":
    main()
