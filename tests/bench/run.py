"""`make bench`: speed and size figures for the guide, each beside a baseline.

The baseline is a bare Sphinx + furo build of the same sources (bare/conf.py),
made in the same run on the same machine, so the ratios hold on a noisy machine
where absolute times do not. Each section lives in its own bench_<topic>.py
module with a `run(bench: Bench) -> None` function that prints its figures.
"""

from __future__ import annotations

import functools
import importlib
import runpy
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SOURCE = ROOT / "source"
RUNS = 5
SECTIONS = ["build", "search", "export", "lighthouse"]
# The guide before its pages were made lighter (issue 13): `make bench` measures it too.
TODAY = "3084578"
# The guide before its Spanish edition (issue 12), when `make html` built English alone.
SINGLE_EDITION = "1c65ce9"
# The editions besides the root one (conf.py), each built into its folder of the site.
TRANSLATIONS = list(runpy.run_path(str(ROOT / "conf.py"))["editions"])[1:]


def median_seconds(action: Callable[[], object], runs: int = RUNS) -> float:
    """The median wall time of `runs` calls of `action`."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ratio(ours: float, baseline: float) -> str:
    return f"{ours / baseline:.2f}x" if baseline else "n/a"


@dataclass
class Bench:
    """What every section shares: a scratch folder and the two HTML builds."""

    scratch: Path

    def sphinx(self, builder: str, outdir: Path, *options: str, bare: bool = False) -> None:
        """One Sphinx build, ours (strict, as the Makefile does it) or the bare baseline."""
        confdir = HERE / "bare" if bare else ROOT
        strict = [] if bare else ["-W", "--keep-going", "-n"]
        subprocess.run(
            [sys.executable, "-m", "sphinx", "-q", "-c", str(confdir), *strict,
             "-b", builder, *options, str(SOURCE), str(outdir)],
            check=True, capture_output=bare,
        )

    def editions(self, name: str, bare: bool = False) -> Path:
        """Every edition, as `make html` builds them: the root one, each translation in its folder."""
        outdir = self.scratch / name
        self.sphinx("html", outdir, bare=bare)
        for language in TRANSLATIONS:
            self.sphinx("html", outdir / language, "-D", f"language={language}",
                        "-d", str(self.scratch / f"{name}-doctrees-{language}"), bare=bare)
        return outdir

    @functools.cached_property
    def ours_html(self) -> Path:
        return self.editions("ours-html")

    @functools.cached_property
    def bare_html(self) -> Path:
        return self.editions("bare-html", bare=True)

    def checkout(self, commit: str) -> Path | None:
        """The guide at `commit`, from a git archive, with this machine's npm tools; None where
        git or the commit is missing."""
        guide = self.scratch / f"guide-{commit}"
        if guide.is_dir():
            return guide
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit],
                                 capture_output=True, check=False)
        if archive.returncode != 0:
            return None
        guide.mkdir()
        subprocess.run(["tar", "-x", "-C", str(guide)], input=archive.stdout, check=True)
        (guide / "node_modules").symlink_to(ROOT / "node_modules")
        return guide

    @functools.cached_property
    def today_html(self) -> Path | None:
        """The guide as it was before issues 10 and 13 (TODAY), built from a git archive of that
        commit with its own configuration; None where git or the commit is missing."""
        guide = self.checkout(TODAY)
        if guide is None:
            return None
        outdir = self.scratch / "today-html"
        subprocess.run(
            [sys.executable, "-m", "sphinx", "-q", "-c", str(guide), "-b", "html",
             str(guide / "source"), str(outdir)],
            check=True, capture_output=True,
        )
        return outdir


def main(sections: list[str]) -> None:
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory(prefix="guide-bench-") as scratch:
        bench = Bench(Path(scratch))
        for name in sections or SECTIONS:
            print(f"\n== {name} ==", flush=True)
            importlib.import_module(f"bench_{name}").run(bench)


if __name__ == "__main__":
    main(sys.argv[1:])
