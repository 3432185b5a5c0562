"""Shared fixtures: the guide built once per session, a local web server, and Chromium.

Every test inspects what a reader gets: the built output, not the sources.
"""

from __future__ import annotations

import contextlib
import functools
import os
import runpy
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest_plugins = ["sphinx.testing.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
# The guide's packages and extensions, and the bench's server, importable by the tests.
sys.path[:0] = [str(ROOT), str(ROOT / "extensions"), str(ROOT / "tests" / "bench")]

from gzip_server import serve  # noqa: E402  (found through the path above)
from helpline.lines import HelpLine, load_lines  # noqa: E402

# The guide's configuration as Sphinx reads it: tests check what it promises, never a retyped copy.
GUIDE_CONF = runpy.run_path(str(ROOT / "conf.py"))
CHROMIUM = "/usr/bin/chromium"
# Chromium as root on a machine with no network but the package registries.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def guide_helplines() -> list[HelpLine]:
    """Every helpline the guide configures, parsed as the extension parses it."""
    return list(load_lines(
        GUIDE_CONF["helpline_lines"], GUIDE_CONF["helpline_region"], "conf.py").values())


def sphinx_build(
    builder: str, outdir: Path, *options: str, source: Path = SOURCE,
    env: Mapping[str, str] | None = None,
) -> Path:
    """Build the guide strictly, as the Makefile does; fail the test with Sphinx's output.

    `env` adds environment variables to the build's (e.g. SOURCE_DATE_EPOCH).
    """
    command = [
        sys.executable, "-m", "sphinx", "-c", str(ROOT), "-W", "--keep-going", "-n",
        "-b", builder, *options, str(source), str(outdir),
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, check=False,
        env={**os.environ, **env} if env else None,
    )
    if result.returncode != 0:
        pytest.fail(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return outdir


def build_book(folder: Path, pages: Mapping[str, str]) -> Path:
    """A small book of `pages` (name -> MyST text) built with the guide's conf.py into
    folder/html; return that folder."""
    source = folder / "source"
    source.mkdir()
    for name, text in pages.items():
        (source / f"{name}.md").write_text(text, encoding="utf-8")
    return sphinx_build("html", folder / "html", source=source)


# A sample Spanish edition with texts of its own, for what the guide's own text cannot be
# relied on to show: a long title and a description with accents in place of conf.py's,
# Spanish words to hyphenate, accented index words and a question.
SPANISH_TITLE = "La adicción a la heroína: una guía sencilla"
SPANISH_DESCRIPTION = ("Una guía sencilla sobre la adicción a la heroína, "
                       "para quienes la viven y sus familias.")
SPANISH_PAGE = """---
myst:
  html_meta:
    description: Muestra del libro en español.
---

# ¿Qué es la adicción?

```{index} !suboxone, !sobredosis, !síntomas, !adicción, !ácido, !abstinencia
```

```{raw} latex
\\showhyphens{tratamiento naloxona abstinencia buprenorfina}
```

La naloxona revierte una sobredosis de opioides.
"""


def build_spanish_sample(builder: str, folder: Path) -> Path:
    """SPANISH_PAGE built as the guide's Spanish edition, with SPANISH_TITLE and
    SPANISH_DESCRIPTION as conf.py's translated texts, into folder/<builder>."""
    source = folder / "source"
    source.mkdir(exist_ok=True)
    (source / "index.md").write_text(SPANISH_PAGE, encoding="utf-8")
    return sphinx_build(
        builder, folder / builder, "-D", "language=es", "-D", f"project={SPANISH_TITLE}",
        "-D", f"export_description={SPANISH_DESCRIPTION}", "-d", str(folder / f"doctrees-{builder}"),
        source=source)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Test projects for the sphinx.testing fixtures: tests/roots/test-<name>/."""
    return Path(__file__).resolve().parent / "roots"


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Build the guide with a builder once per session; return its output folder."""

    @functools.cache
    def build_with(builder: str) -> Path:
        return sphinx_build(builder, tmp_path_factory.mktemp(builder))

    return build_with


# The editions besides the root one (conf.py's editions), each built into its own folder of
# the site, <language>/, as the Makefile's TRANSLATIONS are (tests/test_editions.py checks).
TRANSLATIONS = tuple(GUIDE_CONF["editions"])[1:]
# Every edition: English, at the site's root, then each translation.
EDITIONS = tuple(GUIDE_CONF["editions"])


@pytest.fixture(scope="session")
def site(build: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML site, as `make html` builds it: English at the root, each translation in <language>/."""
    english = build("html")
    for language in TRANSLATIONS:
        doctrees = tmp_path_factory.mktemp(f"doctrees-{language}")
        sphinx_build("html", english / language, "-D", f"language={language}", "-d", str(doctrees))
    return english


@pytest.fixture(scope="session")
def site_pages(site: Path) -> list[Path]:
    """Every HTML page a reader can open."""
    return sorted(path for path in site.rglob("*.html") if "_static" not in path.parts)


@pytest.fixture(scope="session")
def site_url(site: Path) -> Iterator[str]:
    """The built site served over loopback, as a host would serve it."""
    with serve_folder(site) as url:
        yield url


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve any built folder over loopback as a host does (gzip, the site's 404 page);
    yield its URL (no trailing slash)."""
    with serve(folder) as url:
        yield url.rstrip("/")


def require_tool(path: str, install: str) -> str:
    """Fail (never skip) when a tool the tests need is missing, naming how to install it."""
    found = shutil.which(path)
    if found is None:
        pytest.fail(f"{path} is missing; install it with: {install}")
    return found


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (browser downloads are impossible here)."""
    from playwright.sync_api import sync_playwright

    executable = require_tool(CHROMIUM, "apt-get install --no-install-recommends chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass(frozen=True)
class Edition:
    """One edition as `make site` builds it: its PDF, its EPUB, and its pages that offer both."""

    language: str
    pdf: Path
    epub: Path
    # The edition's folder of the published site: the root for English, <language>/ otherwise.
    pages: Path


@dataclass(frozen=True)
class Exports:
    """What `make site` builds: the site, and each edition's exports and pages in it."""

    site: Path
    editions: dict[str, Edition]


# A fixed build date, so the exports' dates are checkable (the EPUB's dc:date honours it).
SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def make_variable(name: str) -> str:
    """A variable's value as the Makefile sets it."""
    return subprocess.run(
        ["make", "--no-print-directory", "--eval", f"print: ; @echo $({name})", "print"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def run_make(target: str, builddir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`make <target>` exactly as a maintainer runs it, building into `builddir`."""
    return subprocess.run(
        ["make", "--no-print-directory", target, f"BUILDDIR={builddir}"],
        cwd=ROOT, capture_output=True, text=True, check=False, env={**os.environ, **env},
    )


@pytest.fixture(scope="session")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Exports:
    """`make site` once per session: each edition's PDF (latexmk + pdflatex) and EPUB, and
    the site. English builds into latex/ and epub/, a translation into latex-<language>/..."""
    require_tool("latexmk", "make system-deps")
    builddir = tmp_path_factory.mktemp("exports")
    result = run_make("site", builddir, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
    if result.returncode != 0:
        pytest.fail(f"make site failed:\n{result.stdout[-5000:]}\n{result.stderr[-5000:]}")
    site = builddir / "site"
    editions = {}
    for language in EDITIONS:
        suffix = "" if language == EDITIONS[0] else f"-{language}"
        [pdf] = (builddir / f"latex{suffix}").glob("*.pdf")
        [epub] = (builddir / f"epub{suffix}").glob("*.epub")
        pages = site if language == EDITIONS[0] else site / language
        editions[language] = Edition(language=language, pdf=pdf, epub=epub, pages=pages)
    return Exports(site=site, editions=editions)


@pytest.fixture(scope="session", params=EDITIONS)
def edition(request: pytest.FixtureRequest, exports: Exports) -> Edition:
    """Each edition in turn: a test that takes it runs once per edition. A test of one
    edition only says so with `@pytest.mark.parametrize("edition", ["en"], indirect=True)`."""
    return exports.editions[request.param]


@pytest.fixture(scope="session")
def pdf(edition: Edition) -> Path:
    """The edition's PDF as `make pdf` builds it."""
    return edition.pdf


@pytest.fixture(scope="session")
def epub(edition: Edition) -> Path:
    """The edition's EPUB as `make epub` builds it."""
    return edition.epub
