"""`make bench` section: how soon search answers, ours beside the bare furo build.

Each run opens search.html?q=<query> in a fresh Chromium context (nothing cached, as on
a reader's first visit), served over loopback by gzip_server.py, and reads on the page's
own clock the milliseconds from navigation start to the first result in the list.
Runs of ours and of the baseline alternate, so both see the same machine load.
"""

from __future__ import annotations

import statistics
import sys
from urllib.parse import quote

from gzip_server import serve
from playwright.sync_api import Browser, sync_playwright
from run import RUNS, ROOT, Bench, ratio

sys.path.append(str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

# Street words, medicines and a number: index entries and full text both.
QUERIES = ["naloxone", "dope sick", "fentanyl", "cold turkey", "rehab", "988"]

# performance.now() counts from navigation start. Sphinx writes the status line
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


def run(bench: Bench) -> None:
    with (
        sync_playwright() as playwright,
        serve(bench.ours_html) as ours_url,
        serve(bench.bare_html) as bare_url,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print(f"ms from navigation to the first search result, median of {RUNS} cold loads")
        print(f"{'query':<14}{'ours':>8}{'bare':>8}{'ratio':>8}")
        ours_medians, bare_medians = [], []
        for query in QUERIES:
            ours_times, bare_times = [], []
            for _ in range(RUNS):
                ours_times.append(first_result_ms(browser, ours_url, query))
                bare_times.append(first_result_ms(browser, bare_url, query))
            ours_medians.append(statistics.median(ours_times))
            bare_medians.append(statistics.median(bare_times))
            print(f"{query:<14}{ours_medians[-1]:>8.0f}{bare_medians[-1]:>8.0f}"
                  f"{ratio(ours_medians[-1], bare_medians[-1]):>8}")
        ours, bare = statistics.median(ours_medians), statistics.median(bare_medians)
        print(f"{'median':<14}{ours:>8.0f}{bare:>8.0f}{ratio(ours, bare):>8}")
        browser.close()
