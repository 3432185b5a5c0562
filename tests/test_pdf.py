"""The PDF (`make pdf`): what a reader gets when they print or save the whole guide.

Read with pypdf: its text, its outline (bookmarks) and its links. The chapter titles
come from the built site and the helpline numbers from conf.py, never retyped here.
"""

from __future__ import annotations

import math
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import GUIDE_CONF, ROOT, guide_helplines, sphinx_build

# A letter page in 11 pt holds about 500 words of running text; chapters end part-way down
# a page and lists and headings take room, so half of that is the least a page may hold.
WORDS_PER_PAGE_AT_LEAST = 250
# Title page, contents (up to 3 pages) and index, around the chapters.
FRONT_AND_BACK_PAGES = 6


# conf.py writes plain quotes; print sets them curly.
PLAIN_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def squeeze(text: str) -> str:
    """Text compared without line breaks, spacing, ligatures ("ﬁ" reads "fi") or curly quotes."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(PLAIN_QUOTES))


def contains(pdf_text: str, phrase: str) -> bool:
    """Whether the phrase is printed, even across a line break or a hyphenated word."""
    unhyphenated = re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", unicodedata.normalize("NFKC", pdf_text))
    return squeeze(phrase) in squeeze(pdf_text) or squeeze(phrase) in squeeze(unhyphenated)


@pytest.fixture(scope="module")
def reader(pdf: Path) -> PdfReader:
    return PdfReader(pdf)


@pytest.fixture(scope="module")
def pages_text(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


@pytest.fixture(scope="module")
def text(pages_text: list[str]) -> str:
    return "\n".join(pages_text)


@pytest.fixture(scope="module")
def chapter_titles(site: Path) -> list[str]:
    """The chapters as the site's navigation lists them (the index page included)."""
    home = BeautifulSoup((site / "index.html").read_text(), "lxml")
    return [link.get_text(" ", strip=True) for link in home.select(".sidebar-tree li.toctree-l1 > a")]


def outline_titles(outline: list) -> list[str]:
    titles = []
    for entry in outline:
        titles.extend(outline_titles(entry) if isinstance(entry, list) else [entry.title])
    return titles


def test_every_chapter_title_is_printed(text: str, chapter_titles: list[str]) -> None:
    assert len(chapter_titles) >= 10
    missing = [title for title in chapter_titles if not contains(text, title)]
    assert not missing, f"chapters missing from the PDF: {missing}"


def test_outline_has_every_chapter_and_section(
    reader: PdfReader, chapter_titles: list[str], site: Path
) -> None:
    bookmarks = {squeeze(title) for title in outline_titles(reader.outline)}
    missing = [title for title in chapter_titles if squeeze(title) not in bookmarks]
    assert not missing, f"chapters missing from the PDF outline: {missing}"
    sections = {
        heading.get_text(" ", strip=True).removesuffix("¶").strip()
        for page in site.glob("*.html")
        if page.stem not in {"genindex", "search", "404"}
        for heading in BeautifulSoup(page.read_text(), "lxml").select("article section > h2")
        if heading.select_one("a.headerlink")
    }
    assert len(sections) >= 20
    missing = sorted(title for title in sections if squeeze(title) not in bookmarks)
    assert not missing, f"sections missing from the PDF outline: {missing}"


def test_every_helpline_number_is_printed_in_full(text: str) -> None:
    numbers = [
        number.display
        for line in guide_helplines()
        for number in (line.number, line.text, line.tty)
        if number is not None
    ]
    assert numbers
    missing = [number for number in numbers if not contains(text, number)]
    assert not missing, f"helpline numbers missing from the PDF: {missing}"


def test_every_paid_line_prints_its_whole_disclosure(text: str) -> None:
    paid = [line for line in guide_helplines() if line.is_paid]
    assert paid, "conf.py has no paid line: this test would check nothing"
    for line in paid:
        for heading, explanation in line.disclosure:
            assert contains(text, heading), f"{line.key}: disclosure heading {heading!r} missing"
            assert contains(text, explanation), f"{line.key}: disclosure {explanation!r} missing"


def test_no_reference_is_left_unresolved(text: str) -> None:
    assert "??" not in text


def test_typography_is_curly_and_markup_free(text: str) -> None:
    assert "\u201c" in text and "\u2019" in text, "no curly quotes: smart quotes are off"
    straight = [line for line in text.splitlines() if '"' in line]
    assert not straight, f"straight double quotes printed: {straight[:3]}"
    leaked = [line for line in text.splitlines() if re.search(r"\b(single|pair|see):\s", line)]
    assert not leaked, f"index or role markup printed as text: {leaked[:3]}"


def test_no_page_is_blank(pages_text: list[str]) -> None:
    """openany/oneside: no empty left-hand page before a chapter."""
    blank = [number for number, page in enumerate(pages_text, 1) if len(page.split()) < 3]
    assert not blank, f"blank pages: {blank}"


def test_page_count_fits_the_text(reader: PdfReader, text: str, chapter_titles: list[str]) -> None:
    """At least a page per chapter plus the front and back matter; at most what the words
    need at half a page's usual load: more means blank space or a broken layout."""
    words = len(text.split())
    least = len(chapter_titles) + 3
    most = math.ceil(words / WORDS_PER_PAGE_AT_LEAST) + FRONT_AND_BACK_PAGES
    assert least <= len(reader.pages) <= most, (len(reader.pages), least, most, words)


def test_links_are_clickable_and_web_addresses_printed(reader: PdfReader, text: str) -> None:
    internal, external = 0, []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A", {})
            if action.get("/S") == "/URI":
                external.append(str(action["/URI"]))
            elif action.get("/S") == "/GoTo" or "/Dest" in annotation.get_object():
                internal += 1
    assert internal >= 20, f"only {internal} internal links"
    web = [uri for uri in external if uri.startswith("http")]
    assert web, "no clickable web addresses"
    unprinted = sorted({uri for uri in web if not contains(text, uri)})
    assert not unprinted, f"web addresses not printed as footnotes: {unprinted[:5]}"


def test_nothing_runs_into_the_margin(pdf: Path) -> None:
    """TeX's log names every line wider than the text block (a long web address, say)."""
    log = pdf.with_suffix(".log").read_text(errors="replace")
    overfull = [float(width) for width in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide", log)]
    assert not [width for width in overfull if width > 3], f"lines too wide (pt): {overfull}"


def test_document_properties_name_the_guide_and_its_language(reader: PdfReader) -> None:
    assert reader.metadata.title == GUIDE_CONF["project"]
    assert reader.metadata.author == GUIDE_CONF["author"]
    assert reader.metadata.subject == GUIDE_CONF["export_description"]
    assert reader.trailer["/Root"]["/Lang"] == GUIDE_CONF["language"]


def test_title_page_carries_the_free_and_emergency_lines(pages_text: list[str]) -> None:
    """A printed copy handed out at a clinic has them on its cover: the banner's lines."""
    banner = [line for line in guide_helplines() if line.key in GUIDE_CONF["helpline_banner"]]
    assert banner
    missing = [line.number.display for line in banner if not contains(pages_text[0], line.number.display)]
    assert not missing, f"the PDF's title page lacks {missing}"


def test_title_page_contents_and_index(pages_text: list[str]) -> None:
    assert GUIDE_CONF["project"] in pages_text[0]
    assert any("Chapters" in page or "Contents" in page for page in pages_text[1:3])
    assert "Index" in pages_text[-1] or "Index" in pages_text[-2]


def test_make_pdf_without_tex_names_the_packages(tmp_path: Path) -> None:
    result = subprocess.run(
        ["/usr/bin/make", "--no-print-directory", "pdf", f"BUILDDIR={tmp_path}"],
        cwd=ROOT, capture_output=True, text=True, check=False, env={"PATH": "/nonexistent"},
    )
    assert result.returncode != 0
    for package in ("texlive-latex-recommended", "texlive-fonts-recommended",
                    "texlive-latex-extra", "latexmk", "tex-gyre"):
        assert package in result.stderr
    assert "--no-install-recommends" in result.stderr


def test_quotes_dashes_and_accents_print_correctly(tmp_path: Path) -> None:
    """The chapters are plain ASCII today; a sample page typeset with the guide's own LaTeX
    settings shows what a quote, a dash or an accent will look like."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "index.md").write_text(
        "---\nmyst:\n  html_meta:\n    description: Typography sample.\n---\n\n"
        "# Typography\n\n"
        "\"Cold turkey\" and 'kicking the habit': it's 24--48 hours -- or more --- for the "
        "caf\u00e9 owner, se\u00f1or Mu\u00f1oz, in Z\u00fcrich.\n"
    )
    latex = sphinx_build("latex", tmp_path / "latex", source=source)
    result = subprocess.run(["make", "-C", str(latex), "all-pdf", "LATEXMKOPTS=-silent"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    [sample] = latex.glob("*.pdf")
    printed = unicodedata.normalize("NFC", "\n".join(
        page.extract_text() for page in PdfReader(sample).pages))
    for expected in ("\u201cCold turkey\u201d", "\u2018kicking the habit\u2019", "it\u2019s",
                     "24\u201348", "\u2013 or more \u2014", "caf\u00e9", "se\u00f1or Mu\u00f1oz",
                     "Z\u00fcrich"):
        assert expected in printed, f"{expected!r} not printed; page reads: {printed[-400:]!r}"
