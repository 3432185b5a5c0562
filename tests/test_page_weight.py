"""Every page's weight on a first visit, and its requests, within the budget (issue 13).

Chromium opens every built page, each in a fresh context (nothing cached), from the
bench's loopback server; every file it asks for is weighed gzipped, as the host sends it
(the bodies: headers depend on the host). A page may make five requests: itself, one
stylesheet, at most one script and its icon; the search page may add its index and its
search code, which are weighed apart.

A page weighs at most 15,000 bytes in all (issue 13's 15 kB). That sum is split into one
budget per file, so a page over it fails naming the file that grew: the stylesheet, the
script and the icon each have a fixed one, shared by every page; a page's HTML gets the
rest. Within its HTML, the markup around the text (furo's navigation and icons, the
helpline banner, the head) has its own allowance, so a page whose frame grew is told
apart from one whose text did.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from asset_bundle import CODE_SCRIPT, PAGE_SCRIPT
from conftest import serve_folder

LOOPBACK = "127.0.0.1"
# Gzipped bytes: a whole page, and each file's share of it.
PAGE_BUDGET = 15_000
FILE_BUDGETS = {
    "stylesheet": 6_250,  # _static/site.css
    "script": 1_600,  # _static/site.js or site-code.js
    "icon": 220,
}
FILE_BUDGETS["page"] = PAGE_BUDGET - sum(FILE_BUDGETS.values())
# A page's HTML beyond its own text: furo's navigation and icons, the helpline banner, the
# head's links and descriptions.
AROUND_THE_TEXT = 2_800
MAX_REQUESTS = 5
SEARCH_PAGE = "search.html"
# The script bundles a page loads; on the search page, any other script is its search code.
PAGE_SCRIPTS = {PAGE_SCRIPT, CODE_SCRIPT}


@dataclass(frozen=True)
class Fetched:
    path: str  # below the site's root
    kind: str  # a FILE_BUDGETS key, or "search code"
    gzip_bytes: int


def gzipped(content: bytes) -> int:
    return len(gzip.compress(content, compresslevel=9, mtime=0))


def weigh(site: Path, path: str) -> int:
    file = site / path
    return gzipped(file.read_bytes()) if file.is_file() else 0


def around_the_text(site: Path, page: str) -> int:
    """What the page's HTML weighs beyond its own text (the main article, gzipped on its own)."""
    html = (site / page).read_bytes()
    article = BeautifulSoup(html.decode("utf-8"), "lxml").find("article", role="main")
    return gzipped(html) - gzipped(str(article).encode())


def kind_of(path: str, page: str, resource_type: str) -> str:
    if path == page:
        return "page"
    if resource_type == "stylesheet":
        return "stylesheet"
    if path.endswith((".ico", ".svg", ".png")):
        return "icon"
    if path in PAGE_SCRIPTS:
        return "script"
    if PurePosixPath(page).name == SEARCH_PAGE:  # each edition's
        return "search code"
    return resource_type


@pytest.fixture(scope="module")
def first_visits(
    browser: Browser, site: Path, site_pages: list[Path],
) -> dict[str, list[Fetched]]:
    """Every file each page fetches on a first visit, by Chromium's own record."""
    visits = {}
    with serve_folder(site) as url:
        for page_path in site_pages:
            page = page_path.relative_to(site).as_posix()
            context = browser.new_context()
            context.route(lambda target: urlsplit(target).hostname != LOOPBACK,
                          lambda route: route.abort())
            tab = context.new_page()
            requests: list[tuple[str, str]] = []
            tab.on("request", lambda request: requests.append((request.url, request.resource_type)))
            tab.goto(f"{url}/{page}", wait_until="networkidle")
            # Headless Chromium asks for no icon; a browser asks for the one the page links.
            icon = BeautifulSoup(page_path.read_text(encoding="utf-8"), "lxml").find(
                "link", rel="icon")
            icon_url = urljoin(f"{url}/{page}", str(icon["href"])) if icon else None
            if icon_url and icon_url not in (address for address, _ in requests):
                requests.append((icon_url, "other"))
            context.close()
            fetched = []
            for address, resource_type in requests:
                if urlsplit(address).scheme not in {"http", "https"}:
                    continue  # data: images inside the stylesheet
                path = unquote(urlsplit(address).path).lstrip("/")
                fetched.append(Fetched(path, kind_of(path, page, resource_type), weigh(site, path)))
            visits[page] = fetched
    return visits


def describe(files: list[Fetched]) -> str:
    return ", ".join(f"{file.path} {file.gzip_bytes:,}"
                     for file in sorted(files, key=lambda file: -file.gzip_bytes))


def test_every_page_weighs_at_most_its_budget(first_visits: dict[str, list[Fetched]]) -> None:
    heavy = []
    for page, files in first_visits.items():
        counted = [file for file in files if file.kind != "search code"]
        total = sum(file.gzip_bytes for file in counted)
        over = [f"{file.path} {file.gzip_bytes:,} > {FILE_BUDGETS[file.kind]:,}"
                for file in counted if file.gzip_bytes > FILE_BUDGETS.get(file.kind, 0)]
        if total > PAGE_BUDGET or over:
            heavy.append(f"{page} ({total:,} of {PAGE_BUDGET:,} bytes gzipped): over budget: "
                         f"{'; '.join(over)}; loads {describe(counted)}")
    assert not heavy, "pages over their weight budget:\n" + "\n".join(heavy)


def test_the_markup_around_each_pages_text_stays_within_its_allowance(
    site: Path, first_visits: dict[str, list[Fetched]],
) -> None:
    grown = [f"{page}: {weight:,} bytes gzipped around the text > {AROUND_THE_TEXT:,}"
             for page in first_visits
             if (weight := around_the_text(site, page)) > AROUND_THE_TEXT]
    assert not grown, "pages whose markup around the text grew:\n" + "\n".join(grown)


def test_every_page_makes_at_most_five_requests(first_visits: dict[str, list[Fetched]]) -> None:
    too_many = []
    for page, files in first_visits.items():
        counted = [file for file in files if file.kind != "search code"]
        kinds = [file.kind for file in counted]
        if len(counted) > MAX_REQUESTS or kinds.count("stylesheet") > 1 or (
                kinds.count("script") + kinds.count("search script") > 1) or (
                set(kinds) - {"page", "stylesheet", "script", "search script", "icon"}):
            too_many.append(f"{page}: {len(counted)} requests: "
                            + ", ".join(f"{file.path} ({file.kind})" for file in counted))
    assert not too_many, (
        f"pages over {MAX_REQUESTS} requests (the page, one stylesheet, at most one script, "
        "its icon):\n" + "\n".join(too_many))


def test_the_weighing_sees_what_a_page_loads(first_visits: dict[str, list[Fetched]]) -> None:
    """The budget tests above would pass on a page that loaded nothing: it does load."""
    kinds: Callable[[str], set[str]] = lambda page: {file.kind for file in first_visits[page]}
    assert {"page", "stylesheet", "script", "icon"} <= kinds("index.html")
    assert "search code" in kinds(SEARCH_PAGE)
