"""The published site's downloads (`make site`) and every page's print stylesheet.

Each edition's pages offer that edition's own PDF and EPUB, in its own words.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import (
    EDITIONS, ROOT, SOURCE, TRANSLATIONS, Edition, Exports, guide_helplines, serve_folder,
)

# The download links' words in each edition (sidebar/downloads.html, sphinx.po): a size in
# the edition's own decimals.
DOWNLOAD_LABEL = {
    "en": r"Download {kind} \(\d+(\.\d)? [KM]B\)",
    "es": r"Descargar {kind} \(\d+(,\d)? [KM]B\)",
}


def download_links(page: Path) -> list[str]:
    return [link["href"] for link in
            BeautifulSoup(page.read_text(), "lxml").select(".sidebar-downloads a")]


def edition_pages(edition: Edition) -> list[Path]:
    """The edition's pages in the published site: the root edition's (English) are those
    outside the translations' folders."""
    translations = [edition.pages / language for language in TRANSLATIONS]
    others = translations if edition.language == EDITIONS[0] else []
    return [page for page in edition.pages.rglob("*.html") if "_static" not in page.parts
            and not any(page.is_relative_to(folder) for folder in others)]


def test_every_page_offers_its_own_editions_pdf_and_epub(edition: Edition, exports: Exports) -> None:
    pages = edition_pages(edition)
    assert len(pages) >= 12
    for page in pages:
        links = download_links(page)
        # The 404 page links from the site's root: it is served at any depth.
        published = [(exports.site / link.lstrip("/") if link.startswith("/")
                      else page.parent / link).resolve() for link in links]
        assert published == [edition.pages / edition.pdf.name, edition.pages / edition.epub.name], (
            f"{page.relative_to(exports.site)} links {links}")
    assert (edition.pages / edition.pdf.name).read_bytes() == edition.pdf.read_bytes()
    assert (edition.pages / edition.epub.name).read_bytes() == edition.epub.read_bytes()


def test_download_links_name_the_format_and_size_in_the_editions_words(edition: Edition) -> None:
    home = BeautifulSoup((edition.pages / "index.html").read_text(), "lxml")
    labels = [link.get_text(strip=True) for link in home.select(".sidebar-downloads a")]
    label = DOWNLOAD_LABEL[edition.language]
    assert len(labels) == 2, labels
    assert re.fullmatch(label.format(kind="PDF"), labels[0]), labels
    assert re.fullmatch(label.format(kind="EPUB"), labels[1]), labels


def test_plain_html_build_links_no_download(site: Path) -> None:
    """`make html` holds no PDF or EPUB, so it links none: no link can 404."""
    for home in [site, *(site / language for language in TRANSLATIONS)]:
        assert not download_links(home / "index.html"), home
    assert not list(site.rglob("*.pdf")) and not list(site.rglob("*.epub"))


# The page that holds the full helpline notice, and one that only has the banner.
NOTICE_PAGE = "getting-help.html"
BANNER_ONLY_PAGE = "what-is-addiction.html"

SCREEN_ONLY = [
    ".sidebar-drawer", ".toc-drawer", ".mobile-header", ".theme-toggle-container",
    ".back-to-top", ".related-pages", ".headerlink", ".skip-to-content",
]

DARKNESS = """element => {
    const [r, g, b] = getComputedStyle(element).color.match(/\\d+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


@pytest.fixture(scope="module")
def printed(browser, exports: Exports):
    """Open a page of the published site as a browser prints it."""
    context = browser.new_context()
    page = context.new_page()
    page.emulate_media(media="print")
    with serve_folder(exports.site) as url:
        def open_page(name: str):
            page.goto(f"{url}/{name}")
            return page
        yield open_page
    context.close()


@pytest.mark.parametrize("name", [NOTICE_PAGE, BANNER_ONLY_PAGE])
def test_printed_page_has_no_navigation(printed, name: str) -> None:
    page = printed(name)
    shown = [selector for selector in SCREEN_ONLY
             if any(element.is_visible() for element in page.query_selector_all(selector))]
    assert not shown, f"printed {name} shows {shown}"
    assert page.locator("article").is_visible()


def test_printed_helpline_numbers_are_black_and_in_full(printed) -> None:
    """Browsers drop background colours on paper: a light number on a coloured button
    would print white on white."""
    page = printed(NOTICE_PAGE)
    notice_text = page.locator("article .helpline").first.inner_text()
    for line in guide_helplines():
        for number in (line.number, line.text, line.tty):
            if number is not None:
                assert number.display in notice_text, number.display
    numbers = page.query_selector_all("article .helpline a")
    assert numbers
    for number in numbers:
        assert number.is_visible() and number.evaluate(DARKNESS) < 0.3, number.inner_text()


def test_banner_prints_once_and_only_where_the_page_has_no_notice(printed) -> None:
    assert not printed(NOTICE_PAGE).locator(".announcement").is_visible()
    page = printed(BANNER_ONLY_PAGE)
    banner = page.locator(".announcement")
    assert banner.is_visible()
    for link in banner.locator("a").all():
        assert link.evaluate(DARKNESS) < 0.3, link.inner_text()


def test_a_wrong_downloads_folder_stops_the_build(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not the guide")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-c", str(ROOT), "-b", "html", str(SOURCE),
         str(tmp_path / "html")],
        capture_output=True, text=True, check=False,
        env={**os.environ, "GUIDE_DOWNLOADS": str(tmp_path)},
    )
    assert result.returncode != 0
    assert f"GUIDE_DOWNLOADS={tmp_path}" in result.stderr and "notes.txt" in result.stderr


def test_an_edition_refuses_another_editions_downloads(tmp_path: Path) -> None:
    """The Spanish pages never offer the English book, nor the English pages the Spanish one."""
    english = tmp_path / "downloads"
    english.mkdir()
    (english / "plain-guide.pdf").write_bytes(b"%PDF-1.5")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-c", str(ROOT), "-b", "html", "-D", "language=es",
         str(SOURCE), str(tmp_path / "html")],
        capture_output=True, text=True, check=False,
        env={**os.environ, "GUIDE_DOWNLOADS": str(english)},
    )
    assert result.returncode != 0
    assert "plain-guide-es.pdf" in result.stderr and "holds: plain-guide.pdf" in result.stderr


def test_printing_leaves_no_sheet_blank(printed, exports: Exports) -> None:
    """Every page prints its title on the first sheet and text on every sheet but the last
    (which may hold only the copyright line)."""
    blank = []
    for path in sorted(exports.site.glob("*.html")):
        page = printed(path.name)
        title = " ".join(page.locator("article h1").first.inner_text().removesuffix("¶").split())
        sheets = [" ".join(sheet.extract_text().split())
                  for sheet in PdfReader(io.BytesIO(page.pdf())).pages]
        if title not in sheets[0]:
            blank.append(f"{path.name}: first sheet lacks the title {title!r}")
        blank += [f"{path.name}: sheet {number} is nearly empty"
                  for number, sheet in enumerate(sheets[:-1], 1) if len(sheet.split()) < 25]
    assert not blank, "\n".join(blank)
