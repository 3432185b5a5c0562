"""`make bench` section: how well and how soon search answers, ours beside the search of today.

"Today" is the guide as it was before its search page (run.py's TODAY, with Sphinx's own
search), built from git in the same run with the same packages (run.py's `today_html`); "bare" is the bare furo
build of run.py. Every site is served over loopback by gzip_server.py.

- Ranking: every query of tests/search_queries.csv, opened as search.html?q=<query>; per
  kind, how many lead first to their chapter and how many find nothing.
- Speed: each of QUERIES in a fresh Chromium context (nothing cached, as on a reader's
  first visit), timed on the page's own clock from navigation start to the first result
  in the list; runs of the three sites alternate, so all see the same machine load.
- Weight: the search page and every file it loads to answer, gzipped as a host sends them.
- The Spanish edition (built into <ours>/es as `make html` builds it): its ranking table
  (tests/search_queries_es.csv) per kind, the time to its first result beside the English
  page's, and its search page's weight beside the English one's.
"""

from __future__ import annotations

import csv
import gzip
import re
import statistics
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlsplit

from gzip_server import serve
from playwright.sync_api import Browser, Page, sync_playwright
from run import RUNS, ROOT, Bench, ratio

sys.path.append(str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

RANKING_TABLE = ROOT / "tests" / "search_queries.csv"
SPANISH_TABLE = ROOT / "tests" / "search_queries_es.csv"
# Street words, medicines and a number: index entries and full text both.
QUERIES = ["naloxone", "dope sick", "fentanyl", "cold turkey", "rehab", "988"]
SPANISH_QUERIES = ["naloxona", "malilla", "fentanilo", "piel de gallina", "metadona", "988"]
TIME_GOAL_MS = 180  # today's median on this machine when the issue was filed

# performance.now() counts from navigation start. Both search pages write the status line
# once the search is over, so a query without results ends the wait too.
FIRST_RESULT_CLOCK = """
new MutationObserver((_, observer) => {
  if (document.querySelector("#search-results ul.search > li")) {
    window.firstResultMs = performance.now();
    observer.disconnect();
  } else if (document.querySelector("#search-results p.search-summary")?.innerText) {
    window.firstResultMs = -1;
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true, characterData: true });
"""
SEARCH_DONE = "() => document.querySelector('#search-results p.search-summary')?.innerText"


def first_result_ms(browser: Browser, site_url: str, query: str) -> float:
    context = browser.new_context()
    try:
        context.add_init_script(FIRST_RESULT_CLOCK)
        page = context.new_page()
        page.goto(f"{site_url}search.html?q={quote(query)}")
        milliseconds = float(page.wait_for_function("() => window.firstResultMs").json_value())
        # Let the results' snippets load, so closing the page cuts no download short.
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    if milliseconds < 0:
        raise SystemExit(f"search for {query!r} found nothing on {site_url}")
    return milliseconds


def first_chapter(page: Page, site_url: str, query: str) -> str | None:
    """The page of the first result for a query, or None when nothing is found."""
    page.goto(f"{site_url}search.html?q={quote(query)}")
    page.wait_for_function(SEARCH_DONE, timeout=20_000)
    first = page.locator("#search-results ul.search > li > a").first
    if not first.count():
        return None
    href = str(first.get_attribute("href"))
    return urlsplit(href).path.rpartition("/")[2].removesuffix(".html")


def ranking(browser: Browser, site_url: str, rows: list[dict[str, str]]) -> tuple[Counter[str], Counter[str]]:
    """Per kind: how many queries lead first to their chapter, and how many find nothing."""
    right, empty = Counter[str](), Counter[str]()
    context = browser.new_context()
    page = context.new_page()
    for row in rows:
        chapter = first_chapter(page, site_url, row["query"])
        right[row["kind"]] += chapter == row["chapter"]
        empty[row["kind"]] += chapter is None
    context.close()
    return right, empty


def print_ranking(rows: list[dict[str, str]], right: Counter[str], empty: Counter[str],
                  before: tuple[Counter[str], Counter[str]] | None = None) -> None:
    """Per kind and in all: queries, right first and no result (beside today's, if given)."""
    kinds = list(dict.fromkeys(row["kind"] for row in rows))
    totals = Counter(row["kind"] for row in rows)
    today = f"{'today':>7}" if before else ""
    print(f"{'kind':<10}{'queries':>8}{'right now':>11}{today}{'empty now':>11}{today}")
    for kind in [*kinds, "all"]:
        pick = (lambda counter: sum(counter.values())) if kind == "all" else (lambda counter: counter[kind])
        right_today, empty_today = (f"{pick(counter):>7}" for counter in before) if before else ("", "")
        print(f"{kind:<10}{pick(totals):>8}{pick(right):>11}{right_today}{pick(empty):>11}{empty_today}")


def median_first_result_ms(browser: Browser, site_url: str, query: str) -> float:
    return statistics.median(first_result_ms(browser, site_url, query) for _ in range(RUNS))


def spanish_html(bench: Bench) -> Path:
    """The Spanish edition of our build, in <ours>/es as `make html` builds it."""
    outdir = bench.ours_html / "es"
    if not (outdir / "search.html").is_file():
        bench.sphinx("html", outdir, "-D", "language=es", "-d", str(bench.scratch / "doctrees-es"))
    return outdir


def search_page_bytes(site: Path) -> dict[str, int]:
    """The search page and each script and stylesheet it names, gzipped as a host sends them."""
    html = (site / "search.html").read_text(encoding="utf-8")
    files = ["search.html"] + [
        source.split("?")[0] for source in re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)
        if re.search(r"\.(js|css)(\?|$)", source) and not source.startswith(("http:", "https:", "//"))]
    return {name: len(gzip.compress((site / name).read_bytes(), 9)) for name in dict.fromkeys(files)}


def run(bench: Bench) -> None:
    today_html = bench.today_html
    if today_html is None:
        sys.exit("make bench needs the git history: today's guide is built from it")
    rows = list(csv.DictReader(RANKING_TABLE.open(encoding="utf-8", newline="")))
    with (
        sync_playwright() as playwright,
        serve(bench.ours_html) as ours_url,
        serve(today_html) as today_url,
        serve(bench.bare_html) as bare_url,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        print(f"ranking table ({len(rows)} queries): right first and no result, per kind")
        ours_right, ours_empty = ranking(browser, ours_url, rows)
        today_right, today_empty = ranking(browser, today_url, rows)
        print_ranking(rows, ours_right, ours_empty, (today_right, today_empty))

        print(f"\nms from navigation to the first search result, median of {RUNS} cold loads "
              f"(goal: at most {TIME_GOAL_MS} ms, today's median when the issue was filed)")
        print(f"{'query':<14}{'ours':>8}{'today':>8}{'bare':>8}{'ours/today':>12}")
        medians: dict[str, list[float]] = {"ours": [], "today": [], "bare": []}
        for query in QUERIES:
            times: dict[str, list[float]] = {"ours": [], "today": [], "bare": []}
            for _ in range(RUNS):
                for name, url in (("ours", ours_url), ("today", today_url), ("bare", bare_url)):
                    times[name].append(first_result_ms(browser, url, query))
            for name in medians:
                medians[name].append(statistics.median(times[name]))
            ours, today, bare = (medians[name][-1] for name in ("ours", "today", "bare"))
            print(f"{query:<14}{ours:>8.0f}{today:>8.0f}{bare:>8.0f}{ratio(ours, today):>12}")
        ours, today, bare = (statistics.median(medians[name]) for name in ("ours", "today", "bare"))
        print(f"{'median':<14}{ours:>8.0f}{today:>8.0f}{bare:>8.0f}{ratio(ours, today):>12}")
        browser.close()

    ours_bytes, today_bytes = search_page_bytes(bench.ours_html), search_page_bytes(today_html)
    print("\nthe search page and what it loads, KB gzipped (today also fetches each result's page)")
    for name in dict.fromkeys([*today_bytes, *ours_bytes]):
        print(f"  {name:<44}{ours_bytes.get(name, 0) / 1024:>7.1f}{today_bytes.get(name, 0) / 1024:>7.1f}")
    ours_kb, today_kb = sum(ours_bytes.values()) / 1024, sum(today_bytes.values()) / 1024
    print(f"  {'total (ours, today)':<44}{ours_kb:>7.1f}{today_kb:>7.1f}  {ratio(ours_kb, today_kb)}")
    run_spanish(bench)


def run_spanish(bench: Bench) -> None:
    """The Spanish edition's search: its ranking table, speed and weight, beside the English."""
    spanish = spanish_html(bench)
    rows = list(csv.DictReader(SPANISH_TABLE.open(encoding="utf-8", newline="")))
    with sync_playwright() as playwright, serve(bench.ours_html) as english_url:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        spanish_url = f"{english_url}es/"
        print(f"\nSpanish edition: ranking table ({len(rows)} queries), right first and no result, per kind")
        print_ranking(rows, *ranking(browser, spanish_url, rows))

        print(f"\nSpanish edition: ms from navigation to the first search result, median of {RUNS} "
              "cold loads, beside the English page's median over its queries")
        print(f"{'query':<18}{'ms':>8}")
        times = [median_first_result_ms(browser, spanish_url, query) for query in SPANISH_QUERIES]
        for query, milliseconds in zip(SPANISH_QUERIES, times):
            print(f"{query:<18}{milliseconds:>8.0f}")
        english = statistics.median(median_first_result_ms(browser, english_url, query) for query in QUERIES)
        spanish_median = statistics.median(times)
        print(f"{'median':<18}{spanish_median:>8.0f}   English {english:.0f}  {ratio(spanish_median, english)}")
        browser.close()

    spanish_bytes, english_bytes = search_page_bytes(spanish), search_page_bytes(bench.ours_html)
    print("\nSpanish edition: the search page and what it loads, KB gzipped (Spanish, English)")
    for name in dict.fromkeys([*english_bytes, *spanish_bytes]):
        print(f"  {name:<44}{spanish_bytes.get(name, 0) / 1024:>7.1f}{english_bytes.get(name, 0) / 1024:>7.1f}")
    spanish_kb, english_kb = sum(spanish_bytes.values()) / 1024, sum(english_bytes.values()) / 1024
    print(f"  {'total (Spanish, English)':<44}{spanish_kb:>7.1f}{english_kb:>7.1f}  {ratio(spanish_kb, english_kb)}")
