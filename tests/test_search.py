"""Search: the guide's search page, in the reader's browser, finds what readers type.

The ranking table (search_queries.csv), typo correction, the no-results page, results as
you type, snippets, highlights and file:// run in headless Chromium against the built
site; the reader words file and the stale-index checks build the guide.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import GUIDE_CONF, SOURCE, guide_helplines, sphinx_build
from playwright.sync_api import Browser, Page
from reader_search import search_words
from sphinx.testing.util import SphinxTestApp

# What readers type, of six kinds, and the chapter that must be the first result.
RANKING_TABLE = Path(__file__).with_name("search_queries.csv")
KINDS = ["typo", "medical", "street", "symptom", "question", "help"]
MIN_QUERIES, MIN_PER_KIND, MIN_RIGHT_FIRST = 200, 25, 0.95


def ranking_table(path: Path = RANKING_TABLE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as table:
        return list(csv.DictReader(table))


def table_problems(rows: list[dict[str, str]], kinds: list[str]) -> list[str]:
    """What is wrong with a ranking table: a missing or unknown kind, a query twice, a chapter
    the guide does not have."""
    found = Counter(row["kind"] for row in rows)
    twice = [query for query, count in Counter(row["query"].casefold() for row in rows).items() if count > 1]
    chapters = {path.stem for path in SOURCE.glob("*.md")}
    return [
        *([f"kinds {dict(found)}, not {kinds}"] if set(found) != set(kinds) else []),
        *(f"{query!r} is in the table twice" for query in twice),
        *(f"{row['query']!r}: no chapter {row['chapter']!r}" for row in rows if row["chapter"] not in chapters),
    ]


def ranking_misses(page: Page, rows: list[dict[str, str]]) -> tuple[list[str], list[str], float]:
    """Type each query into the open search page: the queries with no result, the ones whose
    first result is not their chapter, and the share right first."""
    empty, wrong = [], []
    for row in rows:
        results = type_query(page, row["query"])
        if not results:
            empty.append(row["query"])
        elif page_name(results[0]) != row["chapter"]:
            wrong.append(f"{row['query']!r} -> {page_name(results[0])}, not {row['chapter']}")
    return empty, wrong, 1 - len(wrong) / len(rows)


RESULTS = "#search-results ul.search > li > a"
# Words the answering section's first lines use, so its snippet shows them.
SNIPPET_QUERIES = {"naloxone": "naloxone", "fentanyl": "fentanyl", "relapse": "relaps"}
# Far from every word the guide uses, even after correction.
NOTHING_MATCHES = "mxthxdxne"


def search(page: Page, url: str, query: str) -> list[str]:
    """Open the search page for a query, as a shared link does; return the result links."""
    page.goto(f"{url}/search.html?q={quote(query)}")
    return results_for(page, query)


def results_for(page: Page, query: str) -> list[str]:
    """The result links once the page shows the results for this query, best first."""
    page.wait_for_function(
        """(query) => document.querySelector("#search-results")?.dataset.query === query
             && document.querySelector("#search-results p.search-summary").innerText""",
        arg=query, timeout=10_000,
    )
    return [str(link.get_attribute("href")) for link in page.locator(RESULTS).all()]


def type_query(page: Page, query: str) -> list[str]:
    """Type a query in the search box and press Enter, as a reader does."""
    page.fill("#guide-search-input", query)
    page.press("#guide-search-input", "Enter")
    return results_for(page, query)


def page_name(href: str) -> str:
    return urlsplit(href).path.rpartition("/")[2].removesuffix(".html")


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_ranking_table_has_every_kind_of_query() -> None:
    rows = ranking_table()
    assert len(rows) >= MIN_QUERIES
    assert not table_problems(rows, KINDS)
    assert min(Counter(row["kind"] for row in rows).values()) >= MIN_PER_KIND


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_query_leads_to_its_chapter(page: Page, site_url: str, kind: str) -> None:
    page.goto(f"{site_url}/search.html")
    empty, wrong, right_first = ranking_misses(page, [row for row in ranking_table() if row["kind"] == kind])
    assert not empty, f"{kind}: no result for {empty}"
    assert right_first >= MIN_RIGHT_FIRST, f"{kind}: {right_first:.0%} right first; wrong: {wrong}"


def test_a_typo_is_corrected_and_the_readers_spelling_is_one_tap_away(page: Page, site_url: str) -> None:
    results = search(page, site_url, "methodone")
    assert page_name(results[0]) == "medicines"
    correction = page.locator(".guide-search-correction")
    assert correction.locator("em").inner_text() == "methadone"
    correction.get_by_role("link", name="methodone").click()
    # The reader's own spelling, searched as typed: nothing holds it, and the page says so.
    assert results_for(page, "methodone") == []
    assert parse_qs(urlsplit(page.url).query) == {"q": ["methodone"], "as_typed": ["1"]}
    assert page.locator(".guide-search-correction").count() == 0


def test_an_exact_word_is_not_corrected(page: Page, site_url: str) -> None:
    # "meth" is a word of the guide, one edit from "method" and the start of "methadone".
    results = search(page, site_url, "meth")
    assert results and page.locator(".guide-search-correction").count() == 0
    assert parse_qs(urlsplit(results[0]).query)["highlight"] == ["meth"]


def test_common_words_are_ignored_not_required(page: Page, site_url: str) -> None:
    with_common_words = search(page, site_url, "what is the best way to stop using methadone")
    assert with_common_words, "common words emptied the results"
    assert page_name(with_common_words[0]) == "medicines"


def test_no_results_page_shows_words_helplines_and_chapters(page: Page, site_url: str) -> None:
    assert search(page, site_url, NOTHING_MATCHES) == []
    results = page.locator("#search-results")
    assert NOTHING_MATCHES in results.locator("p.search-summary").inner_text()
    assert results.locator(".guide-search-suggestions a").first.inner_text() == "methadone"
    # The free and emergency lines from conf.py, never typed by hand.
    free_lines = [line for line in guide_helplines() if not line.is_paid]
    calls = [str(link.get_attribute("href")) for link in results.locator('a[href^="tel:"]').all()]
    assert calls == [line.number.tel_uri for line in free_lines]
    chapters = [link.inner_text() for link in results.locator(".guide-search-chapters a").all()]
    navigation = [link.inner_text() for link in page.locator(".sidebar-tree a.reference").all()]
    assert chapters and chapters == [title for title in navigation if title != "Index"]


@pytest.mark.parametrize(("query", "chapter"), [
    ("my son is overdosing", "overdose"), ("my wife relapsed", "craving-and-relapse"),
    ("how do I help my son", "families"),
    ("mi hijo tiene una sobredosis", "es/overdose"), ("ayudar a mi hijo", "es/families"),
])
def test_a_question_about_a_person_leads_to_what_happens_to_them(
    page: Page, site_url: str, query: str, chapter: str,
) -> None:
    edition, _, chapter = chapter.rpartition("/")
    results = search(page, f"{site_url}/{edition}".rstrip("/"), query)
    assert page_name(results[0]) == chapter, results[:3]


def test_only_common_words_still_show_the_chapters(page: Page, site_url: str) -> None:
    assert search(page, site_url, "how do I") == []
    assert page.locator("#search-results .guide-search-chapters a").count() > 5


def test_results_as_you_type_keep_the_query_in_the_address(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/search.html")
    page.locator("#guide-search-input").press_sequentially("naloxone", delay=20)
    assert page_name(results_for(page, "naloxone")[0]) == "overdose"
    assert parse_qs(urlsplit(page.url).query) == {"q": ["naloxone"]}
    page.fill("#guide-search-input", "")
    page.locator("#guide-search-input").press_sequentially("detox", delay=20)
    assert page_name(results_for(page, "detox")[0]) == "treatment"
    # Back returns to the last query, not to every letter typed.
    page.go_back()
    assert page_name(results_for(page, "naloxone")[0]) == "overdose"
    assert page.locator("#guide-search-input").input_value() == "naloxone"


@pytest.mark.parametrize(("query", "stem"), SNIPPET_QUERIES.items())
def test_result_shows_a_snippet_with_the_word(page: Page, site_url: str, query: str, stem: str) -> None:
    search(page, site_url, query)
    snippet = page.locator("#search-results ul.search > li").first.locator("p.context")
    assert stem in snippet.inner_text().casefold()
    assert stem in snippet.locator("mark").first.inner_text().casefold()


def test_landing_page_highlights_the_searched_word(page: Page, site_url: str) -> None:
    search(page, site_url, "naloxone")
    page.locator(RESULTS).first.click()
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
    results = search(page, site.as_uri(), "narcann")
    assert results and page_name(results[0]) == "overdose"


SEARCH_CODE = ["minisearch/index.js", "guide-search.js", "search-data.js"]


def test_only_the_search_page_loads_the_search_code(site: Path, site_pages: list[Path]) -> None:
    for html in site_pages:
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "lxml")
        sources = [tag.get("src") or tag.get("href") or "" for tag in soup.select("script[src], link[rel~=stylesheet]")]
        loaded = [name for name in SEARCH_CODE if any(name in str(source) for source in sources)]
        if html.name == "search.html":
            assert loaded == SEARCH_CODE
            assert not [source for source in sources if re.match(r"(https?:)?//", str(source))]
            assert "searchindex.js" not in str(sources)
        else:
            assert not loaded, f"{html.name} loads {loaded}"


def test_search_code_stores_nothing_and_runs_no_strings(site: Path) -> None:
    ours = [site / "_static" / "guide-search.js", site / "_static" / "search-data.js"]
    vendored = site / "_static" / "minisearch" / "index.js"
    for script in [*ours, vendored]:
        text = script.read_text(encoding="utf-8")
        assert not re.search(r"\b(localStorage|sessionStorage|indexedDB|document\.cookie|eval\(|new Function)",
                             text), script.name
    assert (site / "_static" / "minisearch" / "LICENSE.txt").read_text().startswith("Copyright")


def read_search_data(outdir: Path) -> dict[str, object]:
    """The data of search-data.js, which assigns it to `globalThis.guideSearchData`."""
    text = (outdir / "_static" / "search-data.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1 :].rstrip().removesuffix(";"))


def test_search_data_holds_reader_words_and_no_sources(site: Path) -> None:
    data = read_search_data(site)
    pages = [uri for uri, _title in data["pages"]]  # type: ignore[index]
    sections = {(pages[page], anchor): keywords for page, anchor, _t, keywords, _x, _w in data["sections"]}  # type: ignore[index]
    assert "chiva" in sections[("what-is-addiction.html", "#what-heroin-is")]
    assert "smack" in sections[("what-is-addiction.html", "#what-heroin-is")]  # an index entry
    assert not [key for key in sections if key[1] == "#sources"]
    assert "404.html" not in pages


@pytest.mark.parametrize("edition", ["", "/es"])
def test_the_page_stems_as_the_build_does(page: Page, site_url: str, site: Path, edition: str) -> None:
    """Every word of the guide is stemmed at build time (snowballstemmer, as Sphinx's Python
    search does), the reader's words in the page (Sphinx's language_data.js): both must
    give each word the same stem, or a reader's word would miss the guide's."""
    data = read_search_data(site / edition.lstrip("/"))
    stems: dict[str, str] = data["stems"]  # type: ignore[assignment]
    texts = [" ".join([title, *keywords, text]) for _p, _a, title, keywords, text, _w in data["sections"]]  # type: ignore[attr-defined]
    words = sorted({word for text in texts for word in search_words(text)})
    page.goto(f"{site_url}{edition}/search.html")
    page.wait_for_function("() => globalThis.Stemmer")
    in_page = page.evaluate(
        "(words) => { const stemmer = new Stemmer(); return words.map((word) => stemmer.stemWord(word)); }",
        words)
    differ = {word: (stems.get(word, word), js) for word, js in zip(words, in_page) if stems.get(word, word) != js}
    assert len(words) > 1000 and not differ, differ


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
    assert read_search_data(rebuilt) == read_search_data(fresh)

    # A change to the reader words alone reaches the search page too.
    words = source / GUIDE_CONF["search_words_files"]["en"]
    words.write_text(words.read_text(encoding="utf-8") + "\n[withdrawal]\nzzz reader word\n", encoding="utf-8")
    sphinx_build("html", rebuilt, source=source)
    assert "zzz reader word" in json.dumps(read_search_data(rebuilt))


@pytest.mark.sphinx("html", testroot="search-index-entries")
def test_index_entries_written_wrong_are_named_with_their_line(app: SphinxTestApp) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert "index.md:10: WARNING: index entry 'dope sick; single: cold turkey' holds several" in warnings
    assert "index.md:15: WARNING: index entry 'the shakes' is not marked main" in warnings
    assert "nodding off" not in warnings


@pytest.mark.sphinx("html", testroot="search-words")
def test_reader_words_that_lead_nowhere_are_named_with_their_line(app: SphinxTestApp) -> None:
    app.build()
    expected = {
        2: "'orphan word' has no [page] or [page#section] line above it",
        5: "[no-such-page] names no page of the guide",
        7: "page 'index' has no section 'no-such-section'; its sections are: signs-of-withdrawal, test-book",
        8: "page 'index' has no section 'sources'",
        10: "'Sweats' is given to a section already, at line 4",
        11: "'how do I' is only common words, which search ignores",
        12: "'Dope Sick' is an index entry of index#signs-of-withdrawal already",
        13: "'[index' is not a [page] or [page#section] line",
    }
    assert_reader_word_warnings(app, "search-words.txt", expected, kept="sweats")


def assert_reader_word_warnings(app: SphinxTestApp, words_file: str, expected: dict[int, str], kept: str) -> None:
    """The build warned exactly `expected` (line -> message) about `words_file`, and kept the
    good word `kept` in the search data."""
    warnings = app.warning.getvalue()
    for line, message in expected.items():
        assert f"{words_file}:{line}: WARNING: reader words: {message}" in warnings, warnings
    assert len(re.findall("WARNING: reader words", warnings)) == len(expected)
    assert kept in (app.outdir / "_static" / "search-data.js").read_text(encoding="utf-8")


@pytest.mark.sphinx("latex", testroot="search-words")
def test_every_builder_checks_the_reader_words(app: SphinxTestApp) -> None:
    app.build()
    assert "search-words.txt:5: WARNING: reader words: [no-such-page]" in app.warning.getvalue()
