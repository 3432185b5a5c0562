"""Read the Docs builds what `make html` builds, at the same addresses, plus the PDF and EPUB.

The build runs .readthedocs.yaml's own commands in a copy of the checkout, as Read the
Docs does, with READTHEDOCS_OUTPUT pointing at a temporary folder. The copy shares this
machine's .venv and node_modules, so make's install steps find the pinned packages already there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

CONFIG = ROOT / ".readthedocs.yaml"
NOT_IN_A_CHECKOUT = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "build", "_readthedocs", ".pytest_cache", "__pycache__",
)


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load(CONFIG.read_text())


@pytest.fixture(scope="module")
def readthedocs_output(config: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    checkout = tmp_path_factory.mktemp("readthedocs") / "checkout"
    shutil.copytree(ROOT, checkout, ignore=NOT_IN_A_CHECKOUT)
    (checkout / ".venv").symlink_to(ROOT / ".venv")
    (checkout / "node_modules").symlink_to(ROOT / "node_modules")
    output = checkout / "_readthedocs"
    env = {**os.environ, "READTHEDOCS": "True", "READTHEDOCS_OUTPUT": str(output)}
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


def test_same_page_addresses_as_make_html(readthedocs_output: Path, site: Path) -> None:
    def pages(folder: Path) -> set[str]:
        return {str(page.relative_to(folder)) for page in folder.rglob("*.html")
                if "_static" not in page.parts}

    hosted = pages(readthedocs_output / "html")
    assert len(hosted) >= 12
    assert hosted == pages(site)


def test_pdf_and_epub_are_published(readthedocs_output: Path) -> None:
    [pdf] = (readthedocs_output / "pdf").iterdir()
    [epub] = (readthedocs_output / "epub").iterdir()
    assert pdf.suffix == ".pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert epub.suffix == ".epub" and epub.read_bytes().startswith(b"PK")
    # The site's own download links point at copies inside the html folder.
    assert (readthedocs_output / "html" / pdf.name).is_file()
    assert (readthedocs_output / "html" / epub.name).is_file()
