"""Spanish search: the Spanish edition's search page (site/es/) finds what Spanish readers type.

The Spanish ranking table (search_queries_es.csv), accents, typo correction and the
no-results page run in headless Chromium against the built Spanish edition; the Spanish
reader words file is checked like the English one. test_search.py holds the English tests
and the helpers used here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import guide_helplines
from playwright.sync_api import Page
from sphinx.testing.util import SphinxTestApp
from test_search import (
    assert_reader_word_warnings,
    KINDS,
    MIN_RIGHT_FIRST,
    page,  # noqa: F401  (the browser tab fixture, used by name)
    page_name,
    ranking_misses,
    ranking_table,
    read_search_data,
    results_for,
    search,
    table_problems,
)

RANKING_TABLE = Path(__file__).with_name("search_queries_es.csv")
MIN_QUERIES = 60
# The English table's kinds, and English words typed into the Spanish page.
SPANISH_KINDS = [*KINDS, "english"]
# Far from every word the Spanish edition uses, even after correction; three letters from "metadona".
NOTHING_MATCHES = "mxtxdxna"


@pytest.fixture(scope="module")
def spanish_url(site_url: str) -> str:
    return f"{site_url}/es"


def page_texts(page: Page, url: str) -> dict[str, str]:
    """What the search page's script writes (its template's data-* texts), by name."""
    page.goto(f"{url}/search.html")
    texts = dict(page.locator("#search-results").evaluate("results => ({...results.dataset})"))
    del texts["query"]  # the script's own record of the query it shows
    return texts


def filled(text: str, **values: str) -> str:
    """A page text with its {placeholders} filled, as the script fills them."""
    return re.sub(r"\{(\w+)\}", lambda match: values[match[1]], text)


def test_spanish_ranking_table_holds_readers_queries() -> None:
    rows = ranking_table(RANKING_TABLE)
    assert len(rows) >= MIN_QUERIES
    assert not table_problems(rows, SPANISH_KINDS)


def test_spanish_queries_lead_to_their_chapter(page: Page, spanish_url: str) -> None:
    page.goto(f"{spanish_url}/search.html")
    empty, wrong, right_first = ranking_misses(page, ranking_table(RANKING_TABLE))
    assert not empty, f"no result for {empty}"
    assert right_first >= MIN_RIGHT_FIRST, f"{right_first:.0%} right first; wrong: {wrong}"


@pytest.mark.parametrize(("plain", "accented"), [
    ("heroina", "heroína"), ("recaida", "recaída"), ("sintomas de abstinencia", "síntomas de abstinencia"),
    ("cuanto dura", "¿Cuánto dura?"),
])
def test_accents_do_not_matter(page: Page, spanish_url: str, plain: str, accented: str) -> None:
    results = search(page, spanish_url, accented)
    assert results
    assert search(page, spanish_url, plain) == results
    # The word without its accent is the guide's word, not a correction of it.
    assert page.locator(".guide-search-correction").count() == 0


def test_every_text_of_the_search_page_is_in_spanish(page: Page, site_url: str, spanish_url: str) -> None:
    english, spanish = page_texts(page, site_url), page_texts(page, spanish_url)
    assert english.keys() == spanish.keys()
    assert not [name for name in english if english[name] == spanish[name]], spanish
    for name, text in english.items():
        placeholders = re.findall(r"\{\w+\}", text)
        assert sorted(re.findall(r"\{\w+\}", spanish[name])) == sorted(placeholders), name
    search(page, spanish_url, NOTHING_MATCHES)
    english_page = {"Search this guide", "Need help now?", "Every chapter",
                    "Words this guide uses that look like yours:"}
    main = page.locator("article").inner_text()
    assert not [text for text in english_page if text in main]


def test_a_spanish_typo_is_corrected_in_spanish(page: Page, spanish_url: str) -> None:
    texts = page_texts(page, spanish_url)
    results = search(page, spanish_url, "metadna")
    assert page_name(results[0]) == "medicines"
    assert page.locator("#search-results h2").inner_text() == texts["resultsHeading"]
    correction = page.locator(".guide-search-correction")
    assert correction.locator("em").inner_text() == "metadona"
    assert correction.inner_text() == filled(texts["corrected"], words="metadona", typed="metadna")
    correction.get_by_role("link", name="metadna").click()
    assert results_for(page, "metadna") == []
    assert page.locator("#search-results h2").first.inner_text() == texts["noResultsHeading"]


def test_a_query_that_holds_a_readers_phrase_leads_to_its_section(page: Page, spanish_url: str) -> None:
    # "pastillas falsas" is a keyword of the dangerous mixes; "fentanilo" alone is the
    # fentanyl section's, whose text also speaks of fake pills.
    results = search(page, spanish_url, "pastillas falsas con fentanilo")
    assert (page_name(results[0]), urlsplit(results[0]).fragment) == ("fentanyl-and-mixes", "dangerous-mixes")


def test_spanish_no_results_page_shows_words_helplines_and_chapters(page: Page, spanish_url: str) -> None:
    texts = page_texts(page, spanish_url)
    assert search(page, spanish_url, NOTHING_MATCHES) == []
    results = page.locator("#search-results")
    assert results.locator("p.search-summary").inner_text() == filled(texts["nothing"], query=NOTHING_MATCHES)
    assert results.locator(".guide-search-suggestions a").first.inner_text() == "metadona"
    free_lines = [line for line in guide_helplines() if not line.is_paid]
    calls = [str(link.get_attribute("href")) for link in results.locator('a[href^="tel:"]').all()]
    assert calls == [line.number.tel_uri for line in free_lines]
    # The chapters under their Spanish titles, as the Spanish sidebar lists them.
    chapters = [link.inner_text() for link in results.locator(".guide-search-chapters a").all()]
    navigation = [link.inner_text() for link in page.locator(".sidebar-tree a.reference").all()
                  if link.get_attribute("href") != "genindex.html"]
    assert chapters and chapters == navigation


def test_spanish_landing_page_highlights_the_searched_word(page: Page, spanish_url: str) -> None:
    search(page, spanish_url, "heroina")
    page.locator("#search-results ul.search > li > a").first.click()
    page.wait_for_url("**/es/what-is-addiction.html*")
    highlighted = page.locator('[role="main"] span.highlighted').first
    highlighted.wait_for()
    # The page's spelling, accent and all: the reader's "heroina" found "heroína".
    assert highlighted.inner_text().casefold() == "heroína"


def test_only_common_spanish_words_find_nothing_but_show_the_chapters(page: Page, spanish_url: str) -> None:
    assert search(page, spanish_url, "¿Qué puedo hacer yo?") == []
    assert page.locator("#search-results .guide-search-chapters a").count() > 5


def test_spanish_search_data_holds_spanish_words(site: Path) -> None:
    spanish, english = read_search_data(site / "es"), read_search_data(site)
    pages = [uri for uri, _title in spanish["pages"]]  # type: ignore[index]
    keywords = {(pages[page], anchor): words for page, anchor, _t, words, _x, _w in spanish["sections"]}  # type: ignore[index]
    assert "malilla" in keywords[("withdrawal.html", "#signs-of-withdrawal")]
    assert "malilla" not in json.dumps(english)
    # Sphinx's Spanish stop words, spelled without accents as readers type them.
    assert {"que", "como", "donde", "cuanto", "esta"} <= set(spanish["stopWords"])  # type: ignore[arg-type]
    assert "que" not in english["stopWords"]  # type: ignore[operator]


@pytest.mark.sphinx("html", testroot="search-words", confoverrides={
    "language": "es", "search_words_files": {"es": "locales/es/search-words.txt"}})
def test_spanish_reader_words_are_checked_in_spanish(app: SphinxTestApp) -> None:
    app.build()
    assert_reader_word_warnings(app, "locales/es/search-words.txt", {
        4: "'¿Qué hago?' is only common words, which search ignores",
        5: "'heroína' is given to a section already, at line 3",
        6: "[abstinencia] names no page of the guide",
    }, kept="heroina")


@pytest.mark.sphinx("html", testroot="search-words", confoverrides={"language": "es"})
def test_an_edition_without_reader_words_file_stops_the_build(app: SphinxTestApp) -> None:
    app.build()
    assert "WARNING: reader words: conf.py's search_words_files names no file for the 'es' edition" \
        in app.warning.getvalue()
