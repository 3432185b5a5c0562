"""`make bench` section: how long `make pdf` and `make epub` take, and how big they are.

Each figure is the median of RUNS fresh builds (`make pdf` / `make epub` into an empty
folder, Sphinx and latexmk included), which build every edition (English and each
translation); the time per edition is that divided by their number. The EPUB stands beside
the bare Sphinx + furo baseline's EPUB of the same sources, one edition. The PDF has no
baseline: the bare configuration cannot typeset the guide's own directives (the helpline
box), so our time per edition stands alone, against the goal of GOAL_PDF_SECONDS.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader
from run import ROOT, RUNS, Bench, ratio

GOAL_PDF_SECONDS = 15.0


def make(target: str, builddir: Path) -> list[Path]:
    """`make <target>` into `builddir`; return the files it built, one per edition
    (latex/, latex-es/...), English first."""
    subprocess.run(["make", "--no-print-directory", target, f"BUILDDIR={builddir}"],
                   cwd=ROOT, check=True, capture_output=True)
    folder, suffix = {"pdf": ("latex", ".pdf"), "epub": ("epub", ".epub")}[target]
    return [*(builddir / folder).glob(f"*{suffix}"), *sorted(builddir.glob(f"{folder}-*/*{suffix}"))]


def timed(action: Callable[[], list[Path]]) -> tuple[float, list[Path]]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def kilobytes(path: Path) -> str:
    return f"{path.stat().st_size / 1000:7.0f} KB"


def run(bench: Bench) -> None:
    pdf_times, epub_times, bare_times = [], [], []
    for number in range(RUNS):
        seconds, pdfs = timed(lambda: make("pdf", bench.scratch / f"pdf-{number}"))
        pdf_times.append(seconds / len(pdfs))
        seconds, epubs = timed(lambda: make("epub", bench.scratch / f"epub-{number}"))
        epub_times.append(seconds / len(epubs))
        bare_dir = bench.scratch / f"bare-epub-{number}"
        bare_doctrees = bench.scratch / f"bare-doctrees-{number}"
        seconds, _ = timed(lambda: bench.sphinx("epub", bare_dir, "-d", str(bare_doctrees),
                                                bare=True))
        bare_times.append(seconds)
    [bare_epub] = bare_dir.glob("*.epub")
    pdf_s, epub_s, bare_s = map(statistics.median, (pdf_times, epub_times, bare_times))
    met = "met" if pdf_s <= GOAL_PDF_SECONDS else "MISSED"
    print(f"make pdf  (latexmk + pdflatex): {pdf_s:6.2f} s an edition  (median of {RUNS}; "
          f"goal <= {GOAL_PDF_SECONDS:.0f} s: {met})")
    for pdf in pdfs:
        print(f"  {pdf.name:28}  {kilobytes(pdf)}, {len(PdfReader(pdf).pages)} pages")
    print(f"make epub:                      {epub_s:6.2f} s an edition  {ratio(epub_s, bare_s)}"
          f" the bare EPUB build")
    for epub in epubs:
        print(f"  {epub.name:28}  {kilobytes(epub)}")
    print(f"bare Sphinx + furo, epub:       {bare_s:6.2f} s  (median of {RUNS})"
          f"               {kilobytes(bare_epub)}")
