"""CPU time and peak memory of every hostile case of docs/SECURITY.md, worst first.

Usage: python benchmarks/hostile.py

Runs the tests of the hostile cases (tests/test_untrusted_filesystem.py,
tests/test_input_limits.py, tests/test_clean_errors.py); each runs trainer in a process of
its own, whose CPU time (user + system) and peak resident memory the test fixture measures
with wait4 and records. Prints the ten worst of each, and exit status 1 when a case took
10 s of CPU or more, or 500 MB or more, or a test failed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FILES = ["tests/test_untrusted_filesystem.py", "tests/test_input_limits.py", "tests/test_clean_errors.py"]
CPU_SECONDS = 10
PEAK_MB = 500


def main() -> None:
    with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as handle:
        record = Path(handle.name)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *FILES],
        cwd=REPO, env={**os.environ, "TRAINER_MEASUREMENTS": str(record)}, capture_output=True, text=True,
    )
    rows = [json.loads(line) for line in record.read_text().splitlines() if line.strip()]
    record.unlink()
    print(f"{len(rows)} hostile cases run in processes of their own; tests: {result.stdout.strip().splitlines()[-1]}")
    for key, unit in (("cpu", "s CPU"), ("peak_mb", "MB peak")):
        print(f"\nworst by {unit}:")
        for row in sorted(rows, key=lambda row: -row[key])[:10]:
            print(f"  {row[key]:>7} {unit:<8} exit {row['code']}  {row['command']:<6} {row['test'].split('::', 1)[1]}")
    over = [row for row in rows if row["cpu"] >= CPU_SECONDS or row["peak_mb"] >= PEAK_MB or row["code"] is None]
    print(f"\n{len(over)} case(s) at or over {CPU_SECONDS} s or {PEAK_MB} MB")
    if over or result.returncode != 0:
        print(result.stdout[-4000:])
        raise SystemExit(1)


if __name__ == "__main__":
    main()
