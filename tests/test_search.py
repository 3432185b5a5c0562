"""Search: Sphinx's own search, in the reader's browser, finds the words readers type.

The ranking, snippet, highlight and file:// checks run in headless Chromium against
the built site; the stale-index check compares an incremental rebuild with a fresh one.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from conftest import SOURCE, sphinx_build
from playwright.sync_api import Browser, Page
from sphinx.testing.util import SphinxTestApp

# What a reader types, and the chapter that must be the first result: street and lay words,
# and the glossary's words, whose definition comes second to the chapter that answers them.
FIRST_RESULT = {
    # What heroin addiction is
    "heroin": "what-is-addiction",
    "smack": "what-is-addiction",
    "junk": "what-is-addiction",
    "H": "what-is-addiction",
    "horse": "what-is-addiction",
    "dope": "what-is-addiction",
    "black tar": "what-is-addiction",
    "chasing the dragon": "what-is-addiction",
    "shooting up": "what-is-addiction",
    "snorting": "what-is-addiction",
    "track marks": "what-is-addiction",
    "hooked": "what-is-addiction",
    "habit": "what-is-addiction",
    "junkie": "what-is-addiction",
    "addiction": "what-is-addiction",
    # Tolerance and physical dependence
    "needing more": "tolerance-and-dependence",
    "physically dependent": "tolerance-and-dependence",
    "tolerance": "tolerance-and-dependence",
    "physical dependence": "tolerance-and-dependence",
    # Withdrawal
    "withdrawal": "withdrawal",
    "withdrawals": "withdrawal",
    "dope sick": "withdrawal",
    "dopesick": "withdrawal",
    "the shakes": "withdrawal",
    "sick without it": "withdrawal",
    "cold turkey": "withdrawal",
    "kicking the habit": "withdrawal",
    # Craving and relapse
    "craving": "craving-and-relapse",
    "urges": "craving-and-relapse",
    "relapse": "craving-and-relapse",
    "slip": "craving-and-relapse",
    "using again": "craving-and-relapse",
    # Pain treatment
    "painkillers": "pain-treatment",
    "pain pills": "pain-treatment",
    "prescription opioids": "pain-treatment",
    # Overdose
    "overdose": "overdose",
    "OD": "overdose",
    "OD'ing": "overdose",
    "nodding off": "overdose",
    "blue lips": "overdose",
    "pinpoint pupils": "overdose",
    "not breathing": "overdose",
    "Narcan": "overdose",
    "naloxone": "overdose",
    "nasal spray": "overdose",
    "fentanyl": "overdose",
    "fent": "overdose",
    "laced": "overdose",
    "test strips": "overdose",
    "fentanyl test strip": "overdose",
    "Good Samaritan law": "overdose",
    # Treatment and recovery
    "rehab": "treatment",
    "detox": "treatment",
    "MAT": "treatment",
    "MOUD": "treatment",
    "Suboxone": "treatment",
    "subs": "treatment",
    "bupe": "treatment",
    "Sublocade": "treatment",
    "methadone clinic": "treatment",
    "methadone": "treatment",
    "buprenorphine": "treatment",
    "naltrexone": "treatment",
    "behavioral therapy": "treatment",
    "recovery": "treatment",
    "Vivitrol": "treatment",
    "counseling": "treatment",
    "CBT": "treatment",
    "treatment near me": "treatment",
    # Getting help
    "helpline": "getting-help",
    "hotline": "getting-help",
    "crisis line": "getting-help",
    "988": "getting-help",
    "SAMHSA": "getting-help",
    "talk to someone": "getting-help",
    "help for family": "getting-help",
}

# Words the answering section's first paragraph uses, so its snippet shows them.
SNIPPET_QUERIES = {"naloxone": "naloxone", "fentanyl": "fentanyl", "relapse": "relaps"}


def search(page: Page, url: str, query: str) -> list[str]:
    """Run a search as a reader does; return the result links, best first."""
    page.goto(f"{url}/search.html?q={quote(query)}")
    # Sphinx writes the status line once every result is listed, or none is found.
    page.wait_for_function(
        "() => document.querySelector('#search-results p.search-summary')?.innerText", timeout=10_000
    )
    return [
        str(link.get_attribute("href"))
        for link in page.locator("#search-results ul.search > li > a").all()
    ]


def page_name(href: str) -> str:
    return href.partition("#")[0].removesuffix(".html")


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(("query", "chapter"), FIRST_RESULT.items())
def test_lay_word_leads_to_its_chapter(page: Page, site_url: str, query: str, chapter: str) -> None:
    results = search(page, site_url, query)
    assert results, f"no result for {query!r}"
    assert page_name(results[0]) == chapter, f"{query!r}: results {results[:3]}"


def test_general_index_lists_every_lay_word(site: Path) -> None:
    soup = BeautifulSoup((site / "genindex.html").read_text(encoding="utf-8"), "lxml")
    entries = {
        link.get_text(" ", strip=True).casefold()
        for link in soup.select("table.indextable li > a:first-child")
    }
    missing = sorted(word for word in FIRST_RESULT if word.casefold() not in entries)
    assert len(FIRST_RESULT) >= 40
    assert not missing, f"not in the general index: {missing}"


@pytest.mark.parametrize(("query", "stem"), SNIPPET_QUERIES.items())
def test_result_shows_a_snippet_with_the_word(page: Page, site_url: str, query: str, stem: str) -> None:
    search(page, site_url, query)
    snippet = page.locator("#search-results ul.search > li").first.locator("p.context")
    snippet.wait_for()
    assert stem in snippet.inner_text().casefold()


def test_landing_page_highlights_the_searched_word(page: Page, site_url: str) -> None:
    search(page, site_url, "naloxone")
    page.locator("#search-results ul.search > li > a").first.click()
    page.wait_for_url("**/overdose.html*")
    highlighted = page.locator('[role="main"] span.highlighted').first
    highlighted.wait_for()
    assert highlighted.inner_text().casefold() == "naloxone"
    # furo colours Sphinx's highlight, so the reader sees where the word is.
    assert highlighted.evaluate("span => getComputedStyle(span).backgroundColor") != "rgba(0, 0, 0, 0)"


def test_highlight_link_parameter_highlights_the_word(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/withdrawal.html?highlight=withdrawal")
    page.locator('[role="main"] span.highlighted').first.wait_for()
    # Sphinx drops the parameter, so a shared or bookmarked link stays clean.
    assert "highlight=" not in page.url


def test_search_works_from_a_file_url(page: Page, site: Path) -> None:
    results = search(page, site.as_uri(), "naloxone")
    assert results and page_name(results[0]) == "overdose"


def read_search_index(outdir: Path) -> dict[str, object]:
    """The data of searchindex.js, which wraps it in `Search.setIndex(...)`."""
    text = (outdir / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def test_incremental_rebuild_gives_the_fresh_search_index(tmp_path: Path) -> None:
    source = shutil.copytree(SOURCE, tmp_path / "source")
    fresh = sphinx_build("html", tmp_path / "fresh", source=source)
    rebuilt = shutil.copytree(fresh, tmp_path / "rebuilt")
    # A page the rebuild must neither read again nor write again.
    untouched = [rebuilt / ".doctrees" / "about.doctree", rebuilt / "about.html"]
    before = [path.stat().st_mtime_ns for path in untouched]

    (source / "withdrawal.md").touch()
    sphinx_build("html", rebuilt, source=source)

    assert [path.stat().st_mtime_ns for path in untouched] == before, "not an incremental build"
    assert read_search_index(rebuilt) == read_search_index(fresh)


@pytest.mark.sphinx("html", testroot="search-index-entries")
def test_index_entries_written_wrong_are_named_with_their_line(app: SphinxTestApp) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert "index.md:10: WARNING: index entry 'dope sick; single: cold turkey' holds several" in warnings
    assert "index.md:15: WARNING: index entry 'the shakes' is not marked main" in warnings
    assert "nodding off" not in warnings
