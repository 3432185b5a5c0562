"""Read the Docs builds what `make html` builds, at the same addresses, plus the PDF and EPUB.

Each edition is a Read the Docs project of its own, the Spanish one a translation of the
English one, served at /<language>/<version>/. The build runs .readthedocs.yaml's own
commands in a copy of the checkout, once per edition, as Read the Docs does: with
READTHEDOCS_OUTPUT pointing at a temporary folder and the project's language and address in
READTHEDOCS_LANGUAGE and READTHEDOCS_CANONICAL_URL. The copy shares this machine's .venv and
node_modules, so make's install steps find the pinned packages already there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import GUIDE_CONF, ROOT, TRANSLATIONS

CONFIG = ROOT / ".readthedocs.yaml"
NOT_IN_A_CHECKOUT = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "build", "_readthedocs", ".pytest_cache", "__pycache__",
)
EDITIONS = list(GUIDE_CONF["editions"])
ROOT_LANGUAGE = EDITIONS[0]
SITE_URL: str = GUIDE_CONF["html_baseurl"]


def project_url(language: str) -> str:
    """Where Read the Docs serves a project: its language, then its version."""
    return f"https://plain-guide.readthedocs.io/{language}/latest/"


def folder(language: str) -> str:
    return "" if language == ROOT_LANGUAGE else f"{language}/"


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load(CONFIG.read_text())


@pytest.fixture(scope="module", params=EDITIONS)
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def readthedocs_output(
    config: dict, language: str, tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    checkout = tmp_path_factory.mktemp(f"readthedocs-{language}") / "checkout"
    shutil.copytree(ROOT, checkout, ignore=NOT_IN_A_CHECKOUT)
    (checkout / ".venv").symlink_to(ROOT / ".venv")
    (checkout / "node_modules").symlink_to(ROOT / "node_modules")
    output = checkout / "_readthedocs"
    env = {**os.environ, "READTHEDOCS": "True", "READTHEDOCS_OUTPUT": str(output),
           "READTHEDOCS_LANGUAGE": language, "READTHEDOCS_CANONICAL_URL": project_url(language)}
    for command in config["build"]["commands"]:
        result = subprocess.run(["bash", "-c", command], cwd=checkout, env=env,
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            pytest.fail(f"{command!r} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return output


def test_build_image_is_pinned(config: dict) -> None:
    assert config["version"] == 2
    assert config["build"]["os"].startswith("ubuntu-") and config["build"]["os"] != "ubuntu-lts-latest"
    assert config["build"]["tools"]["python"] == "3.11"
    assert "sphinx" not in config, "Read the Docs' own Sphinx step would build from source/"


def test_same_page_addresses_as_make_html(
    readthedocs_output: Path, site: Path, language: str,
) -> None:
    def pages(top: Path, skipped: set[Path]) -> set[str]:
        return {str(page.relative_to(top)) for page in top.rglob("*.html")
                if "_static" not in page.parts
                and not any(page.is_relative_to(folder) for folder in skipped)}

    hosted = pages(readthedocs_output / "html", set())
    assert len(hosted) >= 12
    others = {site / other for other in TRANSLATIONS} if language == ROOT_LANGUAGE else set()
    assert hosted == pages(site / folder(language), others)


def test_the_editions_link_each_other_across_projects(
    readthedocs_output: Path, language: str,
) -> None:
    """The language link leads to the other project's page; the canonical address stays the
    site's; the 404 page links from the project's own path."""
    html = readthedocs_output / "html"
    page = BeautifulSoup((html / "withdrawal.html").read_text(encoding="utf-8"), "lxml")
    here = urljoin(project_url(language), "withdrawal.html")
    links = {str(link["hreflang"]): urljoin(here, str(link["href"]))
             for link in page.select(".sidebar-drawer a.edition-link")}
    assert links == {other: urljoin(project_url(other), "withdrawal.html")
                     for other in EDITIONS if other != language}
    canonical = page.find("link", rel="canonical")
    assert canonical is not None and canonical["href"] == f"{SITE_URL}{folder(language)}withdrawal.html"
    missing = BeautifulSoup((html / "404.html").read_text(encoding="utf-8"), "lxml")
    stylesheet = missing.find("link", rel="stylesheet")
    assert stylesheet is not None
    assert str(stylesheet["href"]).startswith(urlsplit(project_url(language)).path + "_static/")


def test_pdf_and_epub_are_published(readthedocs_output: Path) -> None:
    [pdf] = (readthedocs_output / "pdf").iterdir()
    [epub] = (readthedocs_output / "epub").iterdir()
    assert pdf.suffix == ".pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert epub.suffix == ".epub" and epub.read_bytes().startswith(b"PK")
    # The site's own download links point at copies inside the html folder.
    assert (readthedocs_output / "html" / pdf.name).is_file()
    assert (readthedocs_output / "html" / epub.name).is_file()
