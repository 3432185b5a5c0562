"""The PDF (`make pdf`): what a reader gets when they print or save the whole guide.

Read with pypdf: its text, its outline (bookmarks) and its links. Each edition's PDF is
checked against its own pages in the published site: the chapter titles, the contents'
caption, the helpline's disclosure come from there, the helpline numbers from conf.py,
never retyped here. The words LaTeX and Sphinx print themselves ("Capítulo", "Índice") are
the only words of an edition written out below: no translator's sentence is.
"""

from __future__ import annotations

import math
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import (
    GUIDE_CONF, ROOT, SPANISH_DESCRIPTION, SPANISH_TITLE, Edition, build_spanish_sample,
    guide_helplines, sphinx_build,
)

# A letter page in 11 pt holds about 500 words of running text; chapters end part-way down
# a page and lists and headings take room, so half of that is the least a page may hold.
WORDS_PER_PAGE_AT_LEAST = 250
# Title page, contents (up to 3 pages) and index, around the chapters.
FRONT_AND_BACK_PAGES = 6


# What opens each chapter (babel) and heads the index (Sphinx's catalog), in each edition.
CHAPTER_WORD = {"en": "Chapter", "es": "Cap\u00edtulo"}
INDEX_WORD = {"en": "Index", "es": "\u00cdndice"}

only_english = pytest.mark.parametrize("edition", ["en"], indirect=True)

# conf.py writes plain quotes; print sets them curly.
PLAIN_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def squeeze(text: str) -> str:
    """Text compared without line breaks, spacing, ligatures ("ﬁ" reads "fi") or curly quotes."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(PLAIN_QUOTES))


def contains(pdf_text: str, phrase: str) -> bool:
    """Whether the phrase is printed, even across a line break or a hyphenated word."""
    unhyphenated = re.sub(r"(?<=[^\W\d_])-\n(?=[^\W\d_])", "", unicodedata.normalize("NFKC", pdf_text))
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
def home(edition: Edition) -> BeautifulSoup:
    """The edition's home page, as the published site shows it."""
    return BeautifulSoup((edition.pages / "index.html").read_text(), "lxml")


@pytest.fixture(scope="module")
def chapter_titles(home: BeautifulSoup) -> list[str]:
    """The chapters as the edition's navigation lists them (the index page included)."""
    return [link.get_text(" ", strip=True)
            for link in home.select(".sidebar-tree:not(.sidebar-downloads) li.toctree-l1 > a")]


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
    reader: PdfReader, chapter_titles: list[str], edition: Edition
) -> None:
    bookmarks = {squeeze(title) for title in outline_titles(reader.outline)}
    missing = [title for title in chapter_titles if squeeze(title) not in bookmarks]
    assert not missing, f"chapters missing from the PDF outline: {missing}"
    sections = {
        heading.get_text(" ", strip=True).removesuffix("¶").strip()
        for page in edition.pages.glob("*.html")
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


def paid_line_disclosures(pages: Path) -> set[str]:
    """Every paid line's disclosure, headings and paragraphs, as the edition's pages show it."""
    return {
        " ".join(element.get_text(" ", strip=True).removesuffix("¶").split())
        for page in pages.glob("*.html")
        for element in BeautifulSoup(page.read_text(), "lxml").select(
            ".helpline-kind-paid .helpline-disclosure-heading, .helpline-kind-paid .helpline-disclosure")
    }


def test_every_paid_line_prints_its_whole_disclosure(text: str, edition: Edition) -> None:
    assert any(line.is_paid for line in guide_helplines()), "conf.py has no paid line: nothing to check"
    disclosures = paid_line_disclosures(edition.pages)
    assert len(disclosures) >= 2, "the site shows no paid line's disclosure"
    missing = [disclosure for disclosure in disclosures if not contains(text, disclosure)]
    assert not missing, f"disclosure missing from the PDF: {missing}"


def test_no_reference_is_left_unresolved(text: str) -> None:
    assert "??" not in text


@only_english  # Spanish quotes are the translators' («», “”), if they quote at all
def test_typography_is_curly(text: str) -> None:
    assert "\u201c" in text and "\u2019" in text, "no curly quotes: smart quotes are off"


def test_typography_is_markup_free(text: str) -> None:
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


def site_title(home: BeautifulSoup) -> str:
    """The guide's title as the edition's site shows it beside its logo."""
    return home.select_one(".sidebar-brand-text").get_text(strip=True)


@only_english
def test_english_properties_are_conf_pys(reader: PdfReader, home: BeautifulSoup) -> None:
    assert site_title(home) == GUIDE_CONF["project"]
    assert reader.metadata.subject == GUIDE_CONF["export_description"]


def test_document_properties_name_the_guide_and_its_language(
    reader: PdfReader, home: BeautifulSoup, edition: Edition
) -> None:
    """The edition's title, as its site shows it; what it is about, as its EPUB says; the
    language a screen reader reads it in."""
    assert reader.metadata.title == site_title(home)
    assert reader.metadata.author == GUIDE_CONF["author"]
    package = BeautifulSoup(zipfile.ZipFile(edition.epub).read("content.opf"), "xml")
    assert reader.metadata.subject == package.find("dc:description").text
    assert reader.trailer["/Root"]["/Lang"] == edition.language


def test_title_page_carries_the_free_and_emergency_lines(pages_text: list[str]) -> None:
    """A printed copy handed out at a clinic has them on its cover: the banner's lines."""
    banner = [line for line in guide_helplines() if line.key in GUIDE_CONF["helpline_banner"]]
    assert banner
    missing = [line.number.display for line in banner if not contains(pages_text[0], line.number.display)]
    assert not missing, f"the PDF's title page lacks {missing}"


def test_title_page_contents_and_index(
    pages_text: list[str], home: BeautifulSoup, chapter_titles: list[str], edition: Edition
) -> None:
    """The title page, then the contents under the caption the site gives the chapters,
    then the chapters, each opened by the edition's word for one; the index at the end."""
    assert contains(pages_text[0], site_title(home))
    caption = home.select_one(".sidebar-tree .caption-text").get_text(strip=True)
    assert any(page.startswith(caption) for page in pages_text[1:3]), caption
    openings = [unicodedata.normalize("NFC", page.split("\n", 1)[0]) for page in pages_text]
    chapters = [opening for opening in openings
                if re.fullmatch(rf"{CHAPTER_WORD[edition.language]} \d+", opening)]
    # The home page is chapter 1; then every page in the navigation but the index.
    assert len(chapters) == len(chapter_titles), openings
    index = INDEX_WORD[edition.language]
    assert index in pages_text[-1] or index in pages_text[-2], index


def test_make_pdf_without_tex_names_the_packages(tmp_path: Path) -> None:
    result = subprocess.run(
        ["/usr/bin/make", "--no-print-directory", "pdf", f"BUILDDIR={tmp_path}"],
        cwd=ROOT, capture_output=True, text=True, check=False, env={"PATH": "/nonexistent"},
    )
    assert result.returncode != 0
    for package in ("texlive-latex-recommended", "texlive-fonts-recommended",
                    "texlive-latex-extra", "texlive-lang-spanish", "latexmk", "tex-gyre", "xindy"):
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


# Where Spanish patterns break these words; English patterns break none of them so.
SPANISH_HYPHENATION = ["tra-ta-mien-to", "na-lo-xo-na", "abs-ti-nen-cia", "bu-pre-nor-fi-na"]
# The sample's index words in Spanish order: an accent sorts as its letter.
SPANISH_INDEX_ORDER = ["abstinencia", "ácido", "adicción", "síntomas", "sobredosis", "suboxone"]


def test_spanish_edition_is_typeset_in_spanish(tmp_path: Path) -> None:
    """A sample page built with the guide's settings as the Spanish edition, with its own
    title and description: Spanish chapter word, index order, hyphenation and properties."""
    latex = build_spanish_sample("latex", tmp_path)
    result = subprocess.run(["make", "-C", str(latex), "all-pdf", "LATEXMKOPTS=-silent",
                             "LATEXOPTS=-halt-on-error"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    sample = latex / "plain-guide-es.pdf"
    reader = PdfReader(sample)
    assert reader.metadata.title == SPANISH_TITLE
    assert reader.metadata.subject == SPANISH_DESCRIPTION
    assert reader.trailer["/Root"]["/Lang"] == "es"
    pages = [unicodedata.normalize("NFC", page.extract_text()) for page in reader.pages]
    assert contains(pages[0], SPANISH_TITLE), pages[0]
    assert "Cap\u00edtulo 1\n\u00bfQu\u00e9 es la adicci\u00f3n?" in "\n".join(pages)
    index = pages[-1]
    assert index.startswith("\u00cdndice"), index
    positions = [index.find(f"{word}, 1") for word in SPANISH_INDEX_ORDER]
    assert -1 not in positions and positions == sorted(positions), index
    # TeX's log shows where it may break each word (\showhyphens), in lines of 79 characters.
    log = sample.with_suffix(".log").read_text(errors="replace").replace("\n", "")
    missing = [word for word in SPANISH_HYPHENATION if word not in log]
    assert not missing, f"not hyphenated as Spanish: {missing}"
