"""The book's own rules, checked on the built site a reader gets.

Every chapter is in the navigation, every internal link lands, nothing loads from
another host, every chapter is dated and sourced, its prose reads at grade 8 or
below with no paragraph above grade 12, and chapters and glossary link each other.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import textstat
from bs4 import BeautifulSoup, Tag

SOURCE = Path(__file__).resolve().parent.parent / "source"
# Source files that are not chapters, and why.
NOT_CHAPTERS = {"404": "the not-found page: served for any missing address, so in no toctree"}
CHAPTERS = sorted(path.stem for path in SOURCE.glob("*.md") if path.stem not in NOT_CHAPTERS)
# Pages about the book itself rather than a topic: they need not use a glossary term.
PAGES_WITHOUT_TERMS = {"index", "glossary", "about"}
GLOSSARY_PAGE = "glossary.html"
MAX_GRADE = 8.0
# A page's average can hide one hard paragraph; none may read above this grade.
MAX_PARAGRAPH_GRADE = 12.0
# Fewer words than this give the formula too little to go on ("Call 911 now." reads grade 0 or 12).
MIN_PARAGRAPH_WORDS = 12
REVIEW_LINE = re.compile(r"Last reviewed: (?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})")


@dataclass(frozen=True)
class Edition:
    """How a chapter's fixed parts read in one language: its sources' heading, its review line."""

    sources: str
    review_line: re.Pattern[str]


ENGLISH = Edition(sources="Sources", review_line=REVIEW_LINE)
# The root of every notice the `helpline` directive renders (helpline/directive.py).
HELPLINE_NOTICE = ".helpline"
# <link rel> values that make the browser fetch something; "next", "author"... only point.
FETCHING_LINK_RELS = {
    "stylesheet", "preload", "modulepreload", "prefetch", "prerender", "preconnect",
    "dns-prefetch", "icon", "shortcut", "apple-touch-icon", "mask-icon", "manifest",
}
# Elements and attributes through which a page fetches a file.
FETCHING_ATTRIBUTES = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "source": ("src", "srcset"),
    "track": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")


@functools.cache
def parse(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")


def chapter_page(site: Path, chapter: str) -> Path:
    return site / f"{chapter}.html"


def generated_pages(site: Path, site_pages: list[Path]) -> list[Path]:
    """Pages Sphinx writes without a source file: the index, search, and the like."""
    chapters = {chapter_page(site, chapter) for chapter in CHAPTERS}
    return [page for page in site_pages if page not in chapters]


def article(soup: BeautifulSoup) -> Tag:
    main = soup.select_one("article[role=main]")
    assert main is not None, "no <article role=main> in the page"
    return main


def sources_section(main: Tag, edition: Edition = ENGLISH) -> Tag | None:
    for heading in main.find_all("h2"):
        if heading.get_text(strip=True).rstrip("¶") == edition.sources:
            return heading.find_parent("section")
    return None


def is_other_host(url: str) -> bool:
    """True for a URL that names a host (https://x, //x); data: URLs and paths stay local."""
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme not in ("", "data")


def is_web_address(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def resolve(page: Path, href: str) -> tuple[Path, str] | None:
    """The local file and fragment an internal href points to; None for an external URL.

    A path from the root ("/_static/...", as on the 404 page) starts at the site's root.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    base = site_root(page) if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve() if path else page.resolve()
    if parts.path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def site_root(page: Path) -> Path:
    """The built site's folder: the nearest folder above the page holding index.html."""
    return next(folder for folder in page.parents if (folder / "index.html").is_file())


def css_urls(css: str) -> list[str]:
    return [url or imported for url, imported in CSS_URL.findall(css)]


def attribute_urls(attribute: str, value: str) -> list[str]:
    if attribute == "srcset":
        return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
    return [value] if value else []


def fetched_urls(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """(what, url) for everything the page makes the browser fetch."""
    found: list[tuple[str, str]] = []
    for link in soup.find_all("link", href=True):
        if FETCHING_LINK_RELS & {rel.lower() for rel in link.get("rel", [])}:
            found.append((f"<link rel={' '.join(link['rel'])}>", link["href"]))
    for name, attributes in FETCHING_ATTRIBUTES.items():
        for element in soup.find_all(name):
            for attribute in attributes:
                urls = attribute_urls(attribute, element.get(attribute, ""))
                found += [(f"<{name} {attribute}>", url) for url in urls]
    for styled in soup.find_all(style=True):
        found += [(f"<{styled.name} style>", url) for url in css_urls(styled["style"])]
    for style in soup.find_all("style"):
        found += [("<style>", url) for url in css_urls(style.get_text())]
    return found


def other_host_loads(page: Path) -> list[str]:
    return [f"{what} {url}" for what, url in fetched_urls(parse(page)) if is_other_host(url)]


def broken_links(page: Path) -> list[str]:
    broken: list[str] = []
    for element in parse(page).find_all(True):
        for attribute in ("href", "src", "xlink:href"):
            value = element.get(attribute)
            target = resolve(page, value) if value and element.name != "base" else None
            if target is None:
                continue
            path, fragment = target
            where = f"<{element.name} {attribute}={value!r}>"
            if not path.is_file():
                broken.append(f"{where}: no file {path.name}")
            elif fragment and path.suffix == ".html":
                html = parse(path)
                if html.find(id=fragment) is None and html.find(attrs={"name": fragment}) is None:
                    broken.append(f"{where}: no id {fragment!r} in {path.name}")
    return broken


def prose(page: Path, edition: Edition = ENGLISH) -> str:
    """The chapter's own prose: the article without Sources, review line or helpline notice."""
    return prose_of(page, edition).get_text(" ")


def paragraphs(page: Path) -> list[str]:
    """The chapter's own paragraphs and list items, one string each."""
    return [" ".join(block.get_text(" ").split()) for block in prose_of(page).find_all(["p", "dd"])]


def prose_of(page: Path, edition: Edition = ENGLISH) -> Tag:
    main = article(BeautifulSoup(page.read_text(encoding="utf-8"), "lxml"))
    section = sources_section(main, edition)
    if section is not None:
        section.decompose()
    for paragraph in main.find_all("p"):
        if edition.review_line.search(paragraph.get_text()):
            paragraph.decompose()
    for element in main.select(f"{HELPLINE_NOTICE}, .headerlink"):
        element.decompose()
    return main


def glossary_links(site: Path, page: Path) -> set[str]:
    """The ids of the glossary terms a page's article links to."""
    glossary = (site / GLOSSARY_PAGE).resolve()
    terms: set[str] = set()
    for link in article(parse(page)).find_all("a", href=True):
        target = resolve(page, link["href"])
        if target is not None and target[0] == glossary and target[1]:
            terms.add(target[1])
    return terms


def links_home(site: Path, page: Path) -> bool:
    brand = parse(page).select_one("a.sidebar-brand[href]")
    home = ((site / "index.html").resolve(), "")
    return brand is not None and resolve(page, brand["href"]) == home


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_is_in_the_navigation(site: Path, chapter: str) -> None:
    if chapter == "index":
        lost = [name for name in CHAPTERS
                if name != "index" and not links_home(site, chapter_page(site, name))]
        assert not lost, f"these pages have no sidebar link back to index.html: {lost}"
        return
    home = site / "index.html"
    toctree = parse(home).select(".sidebar-tree a[href]")
    targets = {target[0] for link in toctree if (target := resolve(home, link["href"]))}
    assert chapter_page(site, chapter).resolve() in targets, (
        f"{chapter}.html is not linked from the sidebar navigation of index.html; "
        "add it to the toctree in source/index.md"
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_internal_links_resolve(site: Path, chapter: str) -> None:
    broken = broken_links(chapter_page(site, chapter))
    assert not broken, f"{chapter}.html has broken internal links:\n" + "\n".join(broken)


def test_internal_links_resolve_on_generated_pages(site: Path, site_pages: list[Path]) -> None:
    broken = {page.name: links for page in generated_pages(site, site_pages)
              if (links := broken_links(page))}
    assert not broken, f"broken internal links on generated pages: {broken}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_nothing_loads_from_another_host(site: Path, chapter: str) -> None:
    loads = other_host_loads(chapter_page(site, chapter))
    assert not loads, f"{chapter}.html loads from another host:\n" + "\n".join(loads)


def test_generated_pages_load_nothing_from_another_host(site: Path, site_pages: list[Path]) -> None:
    loads = {page.name: found for page in generated_pages(site, site_pages)
             if (found := other_host_loads(page))}
    assert not loads, f"generated pages load from another host: {loads}"


def test_stylesheets_load_nothing_from_another_host(site: Path) -> None:
    stylesheets = sorted((site / "_static").rglob("*.css"))
    assert stylesheets, "no CSS files in _static"
    loads = {
        str(css.relative_to(site)): remote
        for css in stylesheets
        if (remote := [url for url in css_urls(css.read_text(encoding="utf-8"))
                       if is_other_host(url)])
    }
    assert not loads, f"stylesheets load from another host: {loads}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_is_dated_and_sourced(site: Path, chapter: str) -> None:
    main = article(parse(chapter_page(site, chapter)))
    review = REVIEW_LINE.search(main.get_text(" "))
    assert review, f"{chapter}.html has no 'Last reviewed: <Month> <day>, <year>' line"
    try:
        reviewed = datetime.datetime.strptime(review["date"], "%B %d, %Y").date()
    except ValueError:
        pytest.fail(f"{chapter}.html: 'Last reviewed: {review['date']}' is not a real date")
    assert reviewed <= datetime.date.today(), (
        f"{chapter}.html: review date {reviewed} is in the future"
    )
    section = sources_section(main)
    assert section is not None, f"{chapter}.html has no 'Sources' section"
    assert any(is_web_address(link["href"]) for link in section.find_all("a", href=True)), (
        f"{chapter}.html: its Sources section links no external source"
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_prose_is_plain(site: Path, chapter: str) -> None:
    grade = textstat.flesch_kincaid_grade(prose(chapter_page(site, chapter)))
    assert grade <= MAX_GRADE, (
        f"{chapter}.html reads at Flesch-Kincaid grade {grade:.1f} (at most {MAX_GRADE})"
    )


def hard_paragraphs(texts: list[str]) -> list[str]:
    return [
        f"grade {grade:.1f}: {text[:80]}..."
        for text in texts
        if len(text.split()) >= MIN_PARAGRAPH_WORDS
        and (grade := textstat.flesch_kincaid_grade(text)) > MAX_PARAGRAPH_GRADE
    ]


def test_the_paragraph_check_catches_one_hard_paragraph_that_the_average_hides() -> None:
    easy = ["Call for help. Stay with them. Give the spray. Wait two or three minutes. "
            "Then give one more if they do not wake up."] * 12
    hard = ("Pharmacological interventions notwithstanding, comprehensive multidisciplinary "
            "rehabilitation necessitates individualized, longitudinal psychosocial coordination "
            "among interdisciplinary practitioners.")
    assert textstat.flesch_kincaid_grade(" ".join([*easy, hard])) <= MAX_GRADE
    assert hard_paragraphs([*easy, hard]) and not hard_paragraphs(easy)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_paragraph_is_plain(site: Path, chapter: str) -> None:
    hard = hard_paragraphs(paragraphs(chapter_page(site, chapter)))
    assert not hard, (
        f"{chapter}.html has paragraphs above grade {MAX_PARAGRAPH_GRADE}:\n" + "\n".join(hard)
    )


@pytest.mark.parametrize("chapter", sorted(set(CHAPTERS) - PAGES_WITHOUT_TERMS))
def test_chapter_links_a_glossary_term(site: Path, chapter: str) -> None:
    assert glossary_links(site, chapter_page(site, chapter)), (
        f"{chapter}.html links no glossary term; use {{term}}`...` the first time a term appears"
    )


def test_every_glossary_term_is_used(site: Path) -> None:
    terms = {term["id"] for term in parse(site / GLOSSARY_PAGE).select("dl.glossary dt[id]")}
    assert terms, f"no terms in {GLOSSARY_PAGE}"
    linked = set().union(*(glossary_links(site, chapter_page(site, chapter))
                           for chapter in CHAPTERS if chapter != "glossary"))
    unused = sorted(terms - linked)
    assert not unused, f"glossary terms no chapter links to: {unused}"
