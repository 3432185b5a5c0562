"""The EPUB (`make epub`): each edition a valid EPUB 3 book of its own, in its language,
with every chapter and every helpline. Each is checked against its own pages in the
published site; no translator's sentence is written out here."""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from book_exports import COVER_LINE_CHARACTERS
from conftest import (
    EDITIONS, SOURCE_DATE_EPOCH, SPANISH_DESCRIPTION, SPANISH_TITLE, Edition, Exports,
    build_spanish_sample, guide_helplines, require_tool,
)
from test_pdf import contains, paid_line_disclosures

EPUBCHECK_INSTALL = "apt-get install --no-install-recommends epubcheck"


@pytest.fixture(scope="module")
def epubcheck_report(epub: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """epubcheck's JSON report. Debian's `epubcheck` command is a link to the jar itself,
    which only runs as `java -jar`."""
    java = require_tool("java", "apt-get install --no-install-recommends default-jre-headless")
    jar = os.path.realpath(require_tool("epubcheck", EPUBCHECK_INSTALL))
    if not jar.endswith(".jar"):
        pytest.fail(f"epubcheck at {jar} is not the jar; reinstall with: {EPUBCHECK_INSTALL}")
    report = tmp_path_factory.mktemp("epubcheck") / "report.json"
    result = subprocess.run(
        [java, "-jar", jar, str(epub), "--json", str(report)],
        capture_output=True, text=True, check=False,
    )
    if not report.exists():
        pytest.fail(f"epubcheck wrote no report:\n{result.stdout}\n{result.stderr}")
    return json.loads(report.read_text())


def read_book(epub: Path) -> dict[str, str]:
    """The book's text files by name: pages, package, table of contents, cover."""
    with zipfile.ZipFile(epub) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()
                if name.endswith((".xhtml", ".opf", ".ncx", ".svg"))}


@pytest.fixture(scope="module")
def book(epub: Path) -> dict[str, str]:
    return read_book(epub)


def test_epubcheck_finds_no_error_and_no_warning(epubcheck_report: dict) -> None:
    problems = [
        f"{message['severity']} {message['ID']}: {message['message']} "
        f"({', '.join(location['path'] for location in message['locations'])})"
        for message in epubcheck_report["messages"]
        if message["severity"] in {"FATAL", "ERROR", "WARNING"}
    ]
    assert not problems, "\n".join(problems)
    assert epubcheck_report["publication"]["ePubVersion"].startswith("3")


def test_metadata_names_the_book_and_its_date(book: dict[str, str], edition: Edition) -> None:
    package = BeautifulSoup(book["content.opf"], "xml")
    assert package.find("dc:language").text == edition.language
    assert package.package["xml:lang"] == edition.language
    assert package.find("dc:identifier").text == package.package["unique-identifier"]
    assert package.find("dc:publisher").text.strip()
    assert package.find("dc:description").text.strip() not in {"", "unknown"}
    built = datetime.fromtimestamp(int(SOURCE_DATE_EPOCH), tz=timezone.utc)
    assert package.find("dc:date").text == built.strftime("%Y-%m-%dT%H:%M:%SZ")
    cover = package.find("meta", attrs={"name": "cover"})
    assert package.find("item", id=cover["content"])["media-type"] == "image/svg+xml"


def test_each_edition_is_a_book_of_its_own(exports: Exports) -> None:
    """Two books, not two copies of one: a reading app or a library keeps both."""
    packages = [BeautifulSoup(read_book(exports.editions[language].epub)["content.opf"], "xml")
                for language in EDITIONS]
    identifiers = [package.find("dc:identifier").text for package in packages]
    assert len(set(identifiers)) == len(EDITIONS), identifiers
    names = [exports.editions[language].epub.name for language in EDITIONS]
    assert len(set(names)) == len(EDITIONS), names


def test_table_of_contents_lists_every_chapter(book: dict[str, str], edition: Edition) -> None:
    """Every chapter in the contents; the index closes the reading order (Sphinx puts it
    there and nowhere else, or the spine would list it twice)."""
    home = BeautifulSoup((edition.pages / "index.html").read_text(), "lxml")
    pages = [link["href"].replace(".html", ".xhtml")
             for link in home.select(".sidebar-tree:not(.sidebar-downloads) li.toctree-l1 > a")]
    chapters = [page for page in pages if page != "genindex.xhtml"]
    assert len(chapters) >= 10 and len(pages) == len(chapters) + 1
    nav = BeautifulSoup(book["nav.xhtml"], "xml")
    listed = {link["href"] for link in nav.select("nav a")}
    missing = [chapter for chapter in chapters if chapter not in listed]
    assert not missing, f"chapters missing from the EPUB's table of contents: {missing}"
    package = BeautifulSoup(book["content.opf"], "xml")
    files = {item["id"]: item["href"] for item in package.select("manifest > item")}
    reading_order = [files[itemref["idref"]] for itemref in package.select("spine > itemref")
                     if itemref.get("linear") != "no"]
    assert reading_order[-1] == "genindex.xhtml"


def test_every_helpline_number_and_disclosure_is_in_the_book(
    book: dict[str, str], edition: Edition
) -> None:
    text = "\n".join(BeautifulSoup(page, "xml").get_text("\n")
                     for name, page in book.items() if name.endswith(".xhtml"))
    for line in guide_helplines():
        for number in (line.number, line.text, line.tty):
            if number is not None:
                assert contains(text, number.display), f"{line.key}: {number.display} missing"
    disclosures = paid_line_disclosures(edition.pages)
    assert len(disclosures) >= 2, "the site shows no paid line's disclosure"
    missing = [disclosure for disclosure in disclosures if not contains(text, disclosure)]
    assert not missing, f"disclosure missing from the EPUB: {missing}"


def test_a_spanish_title_fits_the_cover_and_names_the_book(tmp_path: Path) -> None:
    """A sample page built as the Spanish edition, with a Spanish title longer than the
    English one: it names the book and wraps to fit the cover."""
    book = read_book(build_spanish_sample("epub", tmp_path) / "plain-guide-es.epub")
    package = BeautifulSoup(book["content.opf"], "xml")
    assert package.find("dc:title").text == SPANISH_TITLE
    assert package.find("dc:description").text == SPANISH_DESCRIPTION
    assert package.find("dc:language").text == "es"
    cover = BeautifulSoup(book["_static/cover.svg"], "xml")
    title_lines = [text.get_text() for text in cover.find_all("text", attrs={"font-size": "52"})]
    assert " ".join(title_lines) == SPANISH_TITLE
    too_long = [line for line in title_lines if len(line) > COVER_LINE_CHARACTERS]
    assert not too_long, f"wider than the cover: {too_long}"
