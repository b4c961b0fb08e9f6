"""Build benchmark: how long `trainer build` takes on the built-in sample course.

Prints, each as the median of RUNS runs (separate processes, like a facilitator's):
  - a cold full build (empty output folder),
  - a rebuild with no changed input,
  - a rebuild after one session changed (a word added to session 3's notes, in a copy of
    the library pointed to by TRAINER_LIBRARY),
the time per document kind (from the cold build's summary), the peak memory of a cold build
(max RSS of the process and its workers), and the ratio of the cold build's time to the
time WeasyPrint alone spends laying out and writing the same HTML documents.

Usage: python benchmarks/build.py [RUNS]
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
REPO = Path(__file__).resolve().parents[1]
TRAINER = [sys.executable, "-m", "trainer"]


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return elapsed


def weasyprint_only(out: Path) -> float:
    """Lay out and write every HTML document the build renders, with WeasyPrint alone."""
    code = f"""
import sys, time
sys.argv = ['x']
from trainer.build import build
import trainer.render.common as common
captured = []
original = common.layout
def spy(context, html):
    captured.append((context, html))
    return original(context, html)
common.layout = spy
original_pdf = common.html_to_pdf
def spy_pdf(context, html):
    captured.append((context, html))
    return original_pdf(context, html)
common.html_to_pdf = spy_pdf
for module in ('agenda', 'session_plans', 'handouts', 'forms', 'checklist', 'certificates'):
    mod = __import__('trainer.render.' + module, fromlist=['x'])
    if hasattr(mod, 'layout'): mod.layout = spy
    if hasattr(mod, 'html_to_pdf'): mod.html_to_pdf = spy_pdf
from pathlib import Path
build(None, Path({str(out)!r}), force=True, workers=1)
from weasyprint import HTML, CSS
start = time.perf_counter()
for context, html in captured:
    page = CSS(string='@page {{ size: A4; }}')
    HTML(string=html, base_url=str(context.templates)).render(stylesheets=[page]).write_pdf()
print(time.perf_counter() - start)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ))
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return float(result.stdout.strip().splitlines()[-1])


def main() -> None:
    env = dict(os.environ)
    env.pop("TRAINER_LIBRARY", None)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        out = root / "build"
        cold, nochange, onechange, kinds = [], [], [], {}
        library = root / "library"
        for name in ("modules", "activities", "handouts", "forms", "templates"):
            shutil.copytree(REPO / name, library / name)
        env_lib = {**env, "TRAINER_LIBRARY": str(library)}
        session = library / "modules" / "sessions" / "session-3.yaml"
        original = session.read_text(encoding="utf-8")
        for run in range(RUNS):
            shutil.rmtree(out, ignore_errors=True)
            session.write_text(original, encoding="utf-8")
            cold.append(timed([*TRAINER, "build", "--out", str(out), "-q"], env_lib))
            nochange.append(timed([*TRAINER, "build", "--out", str(out), "-q"], env_lib))
            session.write_text(original.replace("notes: |\n", f"notes: |\n  Benchmark edit {run}.\n", 1), encoding="utf-8")
            onechange.append(timed([*TRAINER, "build", "--out", str(out), "-q"], env_lib))
        session.write_text(original, encoding="utf-8")
        shutil.rmtree(out, ignore_errors=True)
        code = (
            "import json, time; from pathlib import Path; from trainer.build import build\n"
            f"r = build(None, Path({str(out)!r}), force=True)\n"
            "k = {}\n"
            "for x in r.results: k[x.job.kind] = k.get(x.job.kind, 0) + x.seconds\n"
            "print(json.dumps(k))"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env_lib)
        kinds = json.loads(result.stdout.strip().splitlines()[-1])
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        shutil.rmtree(out, ignore_errors=True)
        timed([*TRAINER, "build", "--out", str(out), "-q"], env_lib)
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        weasy = weasyprint_only(root / "w")
        serial = timed([*TRAINER, "build", "--out", str(root / "serial"), "-q", "--force"], {**env_lib, "TRAINER_WORKERS": "1"})
    print(f"trainer build of the sample course, median of {RUNS} run(s), {os.cpu_count()} cores")
    print(f"  cold full build:              {statistics.median(cold):6.2f} s   (target < 15 s)")
    print(f"  no-change rebuild:            {statistics.median(nochange):6.2f} s   (target < 1 s)")
    print(f"  rebuild, one session changed: {statistics.median(onechange):6.2f} s   (target < 4 s)")
    print(f"  peak memory (max RSS):        {peak:6.0f} MB  (target < 600 MB)")
    print("  render time per kind (summed over jobs, one cold build):")
    for kind, seconds in kinds.items():
        print(f"    {kind:<16} {seconds:6.2f} s")
    print(f"  WeasyPrint alone, same HTML:  {weasy:6.2f} s (one process)")
    print(f"  full build, one worker:       {serial:6.2f} s")
    print(f"  overhead ratio (one-worker build / WeasyPrint alone): {serial / weasy:5.2f}  (target < 1.3)")


if __name__ == "__main__":
    main()
