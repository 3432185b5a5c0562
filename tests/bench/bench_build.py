"""`make bench` section: how long `make html` takes, beside a bare Sphinx + furo build and
beside `make html` before the Spanish edition.

- English alone: our build of the root edition into a fresh folder, against the bare build
  (bare/conf.py) of the same sources.
- Both editions: `make html` into a fresh folder (English, then every translation), against
  today's single-edition `make html`: the guide at run.SINGLE_EDITION, built from a git
  archive of that commit as its Makefile built it (one strict sphinx-build).
- Rebuild: `make html` again after touching one chapter, against our own full build.

The runs alternate (bare, single edition, English alone, make html, rebuild), so a machine
that gets busier slows all of them alike; each figure is the median of RUNS.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from run import ROOT, RUNS, SINGLE_EDITION, SOURCE, Bench, ratio

# One chapter, as an author saves it.
TOUCHED_CHAPTER = SOURCE / "withdrawal.md"
ENGLISH_GOAL = 1.25  # the root edition alone: at most this times the bare build
EDITIONS_GOAL = 2.2  # make html, both editions: at most this times today's single edition
REBUILD_GOAL = 0.8  # at most this times our full build


def make_html(builddir: Path) -> None:
    """What `make html` does, into `builddir`/html."""
    result = subprocess.run(["make", "--no-print-directory", "html", f"BUILDDIR={builddir}"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"make html failed:\n{result.stdout}\n{result.stderr}")


def single_edition_html(guide: Path, outdir: Path) -> None:
    """What `make html` did at SINGLE_EDITION: one strict build of the English pages."""
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-c", str(guide), "-W", "--keep-going",
                    "-n", "-b", "html", str(guide / "source"), str(outdir)],
                   check=True, capture_output=True)


def seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def verdict(value: float, goal: float) -> str:
    return f"goal <= {goal:.2f}x: {'met' if value <= goal else 'MISSED'}"


def run(bench: Bench) -> None:
    single = bench.checkout(SINGLE_EDITION)
    if single is None:
        print(f"(no git or no commit {SINGLE_EDITION} here: no single-edition figure)")
    bare, today, english, full, rebuild = [], [], [], [], []
    before = TOUCHED_CHAPTER.stat()
    try:
        for number in range(RUNS):
            bare.append(seconds(lambda: bench.sphinx(
                "html", bench.scratch / f"build-bare-{number}", bare=True)))
            if single is not None:
                today.append(seconds(lambda: single_edition_html(
                    single, bench.scratch / f"build-single-{number}")))
            english.append(seconds(lambda: bench.sphinx(
                "html", bench.scratch / f"build-english-{number}")))
            ours = bench.scratch / f"build-ours-{number}"
            full.append(seconds(lambda: make_html(ours)))
            TOUCHED_CHAPTER.touch()
            rebuild.append(seconds(lambda: make_html(ours)))
    finally:
        os.utime(TOUCHED_CHAPTER, ns=(before.st_atime_ns, before.st_mtime_ns))
    bare_s, english_s, full_s, rebuild_s = map(statistics.median, (bare, english, full, rebuild))
    print(f"bare Sphinx + furo, English, full build:   {bare_s:6.2f} s  (median of {RUNS})")
    print(f"our English edition alone, full build:     {english_s:6.2f} s  "
          f"{ratio(english_s, bare_s)} the bare build  ({verdict(english_s / bare_s, ENGLISH_GOAL)})")
    if today:
        today_s = statistics.median(today)
        print(f"make html at {SINGLE_EDITION} (English only):    {today_s:6.2f} s")
        print(f"make html, both editions, full build:      {full_s:6.2f} s  "
              f"{ratio(full_s, today_s)} today's single edition  "
              f"({verdict(full_s / today_s, EDITIONS_GOAL)})")
    else:
        print(f"make html, both editions, full build:      {full_s:6.2f} s")
    print(f"make html, after touching {TOUCHED_CHAPTER.name}:   {rebuild_s:6.2f} s  "
          f"{ratio(rebuild_s, full_s)} our full build  ({verdict(rebuild_s / full_s, REBUILD_GOAL)})")
