"""The long fuzz run: the properties of tests/test_fuzz.py with many more generated cases.

Usage: python benchmarks/fuzz.py [CASES_PER_PROPERTY]   (default 5000)

Prints how many cases each property ran and what failed (the falsifying example, as
hypothesis reports it). Exit status 1 when any property failed. The run's address space is
capped at 3 GB, so that a memory blow-up fails a case (MemoryError) instead of the machine;
the filesystem and archive properties fail a case that blocks for a minute.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    cases = sys.argv[1] if len(sys.argv) > 1 else "5000"
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--hypothesis-show-statistics", str(REPO / "tests/test_fuzz.py")],
        cwd=REPO,
        env={**os.environ, "TRAINER_FUZZ_EXAMPLES": cases},
        capture_output=True,
        text=True,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3)),
    )
    elapsed = time.perf_counter() - start
    total = failing = 0
    # each property's statistics (hypothesis's "N passing, M failing"); a reuse phase
    # (examples saved by an earlier run) may come before the generate phase
    for block in result.stdout.split("tests/test_fuzz.py::")[1:]:
        name = block.split(":", 1)[0]
        generated = re.search(r"- during generate phase .*?- (\d+) passing(?: examples)?, (\d+) failing", block, flags=re.S)
        if generated:
            print(f"  {name:<45} {int(generated.group(1)):>7} passing, {int(generated.group(2))} failing")
            total += int(generated.group(1)) + int(generated.group(2))
            failing += int(generated.group(2))
    print(f"fuzz: {total} cases in {elapsed:.0f} s, {failing} failing")
    if result.returncode != 0:
        print(result.stdout[-6000:])
        raise SystemExit(1)


if __name__ == "__main__":
    main()
