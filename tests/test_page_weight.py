"""Every page's weight on a first visit, and its requests, within the budget (issue 13).

Chromium opens every built page, each in a fresh context (nothing cached), from the
bench's loopback server; every file it asks for is weighed gzipped, as the host sends it.
A page may make five requests: itself, one stylesheet, at most one script and its icon;
the search page may add its index and its search code, which are weighed apart.

Each file has its budget: the stylesheet, the script and the icon a fixed one; a page's
HTML what its own text weighs (the main article, gzipped on its own) plus a fixed allowance
for furo's navigation, icons and the helpline banner around it. A long chapter may weigh
more than a short one; the markup around it may not grow. A page over budget fails naming
the page, the file over its budget, and every file the page loads.
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

from conftest import serve_folder

LOOPBACK = "127.0.0.1"
# Gzipped bytes.
FILE_BUDGETS = {
    "stylesheet": 7_200,  # _static/site.css
    "script": 2_700,  # _static/site.js or site-code.js
    "icon": 400,
}
# A page's HTML beyond its own text: furo's navigation and icons, the helpline banner, the
# head's links and descriptions.
AROUND_THE_TEXT = 4_300
MAX_REQUESTS = 5
SEARCH_PAGE = "search.html"
# The script bundles a page loads (extensions/asset_bundle.py); on the search page, any other
# script is its search code.
PAGE_SCRIPTS = {"_static/site.js", "_static/site-code.js"}


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


def html_budget(site: Path, page: str) -> int:
    """What the page's own text weighs, plus the allowance for what furo puts around it."""
    article = BeautifulSoup((site / page).read_text(encoding="utf-8"), "lxml").find(
        "article", role="main")
    return gzipped(str(article).encode()) + AROUND_THE_TEXT


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


def test_every_page_weighs_at_most_its_budget(
    site: Path, first_visits: dict[str, list[Fetched]],
) -> None:
    heavy = []
    for page, files in first_visits.items():
        counted = [file for file in files if file.kind != "search code"]
        budgets = {**FILE_BUDGETS, "page": html_budget(site, page)}
        over = [f"{file.path} {file.gzip_bytes:,} > {budgets[file.kind]:,}"
                for file in counted if file.gzip_bytes > budgets.get(file.kind, 0)]
        if over:
            total = sum(file.gzip_bytes for file in counted)
            heavy.append(f"{page} ({total:,} bytes gzipped): over budget: {'; '.join(over)}; "
                         f"loads {describe(counted)}")
    assert not heavy, "pages over their weight budget:\n" + "\n".join(heavy)


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
