"""`make bench` section: how long `make html` takes, beside a bare Sphinx + furo build.

Full build: `make html` into a fresh folder, against the bare build (bare/conf.py) of
the same sources into a fresh folder. Rebuild: `make html` again after touching one
chapter, against our own full build. The runs alternate (bare, ours, rebuild), so a
machine that gets busier slows all three alike; each figure is the median of RUNS.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from run import ROOT, RUNS, SOURCE, Bench, ratio

# One chapter, as an author saves it.
TOUCHED_CHAPTER = SOURCE / "withdrawal.md"
FULL_BUILD_GOAL = 1.25  # at most this times the bare build
REBUILD_GOAL = 0.8  # at most this times our full build


def make_html(builddir: Path) -> None:
    """What `make html` does, into `builddir`/html."""
    result = subprocess.run(["make", "--no-print-directory", "html", f"BUILDDIR={builddir}"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"make html failed:\n{result.stdout}\n{result.stderr}")


def seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def verdict(value: float, goal: float) -> str:
    return f"goal <= {goal:.2f}x: {'met' if value <= goal else 'MISSED'}"


def run(bench: Bench) -> None:
    bare, full, rebuild = [], [], []
    before = TOUCHED_CHAPTER.stat()
    try:
        for number in range(RUNS):
            bare.append(seconds(lambda: bench.sphinx(
                "html", bench.scratch / f"build-bare-{number}", bare=True)))
            ours = bench.scratch / f"build-ours-{number}"
            full.append(seconds(lambda: make_html(ours)))
            TOUCHED_CHAPTER.touch()
            rebuild.append(seconds(lambda: make_html(ours)))
    finally:
        os.utime(TOUCHED_CHAPTER, ns=(before.st_atime_ns, before.st_mtime_ns))
    bare_s, full_s, rebuild_s = map(statistics.median, (bare, full, rebuild))
    print(f"bare Sphinx + furo, full build:   {bare_s:6.2f} s  (median of {RUNS})")
    print(f"make html, full build:            {full_s:6.2f} s  {ratio(full_s, bare_s)} the bare"
          f" build  ({verdict(full_s / bare_s, FULL_BUILD_GOAL)})")
    print(f"make html, after touching {TOUCHED_CHAPTER.name}: {rebuild_s:6.2f} s"
          f"  {ratio(rebuild_s, full_s)} our full build"
          f"  ({verdict(rebuild_s / full_s, REBUILD_GOAL)})")
