"""Privacy on a shared phone: nothing stored but the theme, a Content-Security-Policy, no referrer.

The built pages are read for their policy, checked against their inline code by hashes
computed here (not by the extension's code). Then Chromium uses every page as a reader
would, in both themes on a phone and a desktop, searches, follows a result and a source
link, and looks at what the policy blocked and what the device kept.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import build_book, serve_folder, sphinx_build
from playwright.sync_api import Browser, BrowserContext, Locator, Page
from sphinx.testing.util import SphinxTestApp

THEMES = ["light", "dark"]
VIEWPORTS = {
    "phone 375x667": {"width": 375, "height": 667},
    "desktop 1280x800": {"width": 1280, "height": 800},
}
# What a reader may leave on the device: furo's light/dark choice, and nothing else.
ALLOWED_STORAGE_KEYS = {"theme"}
LOOPBACK = "127.0.0.1"
# The directives the issue asks for, exactly; the rest only ever name this site or a hash.
REQUIRED_DIRECTIVES = {
    "default-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
SAFE_SOURCES = {"'self'", "'none'", "'unsafe-hashes'", "data:"}
OUTSIDE = "https://outside.example"

# Every violation of the page's policy, as the browser reports it, from the first byte.
RECORD_VIOLATIONS = """
window.policyViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.policyViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}: ${event.sample}`);
});
"""
SEARCH_FINISHED = "() => document.querySelector('#search-results p.search-summary')?.innerText"
STORED = """async () => ({
  local: Object.keys(localStorage),
  session: Object.keys(sessionStorage),
  cookie: document.cookie,
  indexedDB: (await indexedDB.databases()).map((database) => database.name),
  caches: await caches.keys(),
  serviceWorkers: (await navigator.serviceWorker.getRegistrations()).length,
})"""


def parse(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")


def read_policy(policy: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in
            (directive.split() for directive in policy.split(";"))}


def policy_of(soup: BeautifulSoup) -> dict[str, list[str]]:
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert isinstance(meta, Tag), "no <meta http-equiv=Content-Security-Policy>"
    return read_policy(str(meta["content"]))


def site_headers(site: Path) -> dict[str, str]:
    """The headers _headers gives every page (its one rule, for /*)."""
    lines = [line for line in (site / "_headers").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    assert lines[0] == "/*", f"_headers must give its headers to every page: {lines[0]}"
    return dict(line.strip().split(": ", 1) for line in lines[1:])


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def code_the_policy_blocks(
    soup: BeautifulSoup, policy: dict[str, list[str]] | None = None,
) -> list[str]:
    """Every inline script, style, style attribute or handler a policy (by default, the
    page's own) blocks."""
    policy = policy_of(soup) if policy is None else policy
    allowed = {
        "script": set(policy.get("script-src", [])),
        "style": set(policy.get("style-src", [])),
        "attribute": set(policy.get("style-src-attr", []))
        if "'unsafe-hashes'" in policy.get("style-src-attr", []) else set(),
    }
    blocked = [f"<{tag.name}> {tag.string!r:.60}"
               for tag in soup.find_all(["script", "style"])
               if not tag.get("src") and sha256_source(tag.string or "") not in allowed[tag.name]]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            if name.startswith("on"):
                blocked.append(f"<{tag.name} {name}>")
            elif name == "style" and sha256_source(value or "") not in allowed["attribute"]:
                blocked.append(f'<{tag.name} style="{value}">')
            elif isinstance(value, str) and value.strip().lower().startswith("javascript:"):
                blocked.append(f'<{tag.name} {name}="{value}">')
    return blocked


def test_every_page_has_the_policy_before_anything_it_governs(
    site: Path, site_pages: list[Path]
) -> None:
    for page in site_pages:
        head = parse(page).head
        assert head is not None
        first = [tag for tag in head.find_all(True)][:2]
        assert first[0].name == "meta" and first[0].has_attr("charset"), page.name
        assert first[1].get("http-equiv") == "Content-Security-Policy", (
            f"{page.name}: the policy must come right after <meta charset>, before any "
            f"script, style or link; found <{first[1].name}> first")


def test_the_policy_names_no_other_host_and_no_unsafe_keyword(
    site: Path, site_pages: list[Path]
) -> None:
    for page in site_pages:
        policy = policy_of(parse(page))
        for name, sources in REQUIRED_DIRECTIVES.items():
            assert policy.get(name) == sources, f"{page.name}: {name} is {policy.get(name)}"
        loose = [f"{name} {source}" for name, sources in policy.items() for source in sources
                 if source not in SAFE_SOURCES and not source.startswith("'sha256-")]
        assert not loose, f"{page.name}: the policy allows {loose}"
        assert "data:" not in policy["default-src"] + policy["script-src"], page.name


def test_the_policy_allows_every_inline_script_and_style_on_its_page(
    site: Path, site_pages: list[Path]
) -> None:
    blocked = {page.name: found for page in site_pages
               if (found := code_the_policy_blocks(parse(page)))}
    assert not blocked, f"inline code the pages' own policy blocks: {blocked}"


def test_the_inline_code_check_finds_what_the_policy_blocks() -> None:
    script, style = "alert(1)", "color: red"
    page = BeautifulSoup(
        '<head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="'
        f"default-src 'self'; script-src 'self' {sha256_source(script)}; style-src 'self'\">"
        f"</head><body><script>{script}</script><script>alert(2)</script>"
        f'<p style="{style}" onclick="go()"><a href="javascript:go()">go</a></p></body>',
        "lxml")
    assert code_the_policy_blocks(page) == [
        "<script> 'alert(2)'", '<p style="color: red">', "<p onclick>",
        '<a href="javascript:go()">']


def test_the_headers_file_gives_every_page_the_same_policy(
    site: Path, site_pages: list[Path]
) -> None:
    headers = site_headers(site)
    assert headers["Referrer-Policy"] == "no-referrer"
    policy = read_policy(headers["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'none'"]
    for page in site_pages:
        page_policy = policy_of(parse(page))
        assert {name: policy[name] for name in REQUIRED_DIRECTIVES.keys() | {"img-src"}} == {
            name: page_policy[name] for name in REQUIRED_DIRECTIVES.keys() | {"img-src"}}
        blocked = code_the_policy_blocks(parse(page), policy)
        assert not blocked, f"_headers blocks on {page.name}: {blocked}"


def test_the_epub_runs_no_script(tmp_path: Path) -> None:
    """The EPUB gets no policy: reading systems apply their own, and its pages hold no script."""
    # Its doctrees outside its output, as `make epub` keeps them: the EPUB would pack them.
    book = sphinx_build("epub", tmp_path / "epub", "-d", str(tmp_path / "doctrees"))
    assert not (book / "_headers").exists()
    pages = sorted(book.glob("*.xhtml"))
    assert pages
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "xml")
        assert not soup.find_all("script"), f"{page.name} holds a script"
        assert not [name for tag in soup.find_all(True) for name in tag.attrs
                    if name.startswith("on")], f"{page.name} holds an event handler"


def test_every_page_sends_no_referrer(site: Path, site_pages: list[Path]) -> None:
    for page in site_pages:
        meta = parse(page).find("meta", attrs={"name": "referrer"})
        assert meta is not None and meta["content"] == "no-referrer", page.name


@pytest.mark.sphinx("html", testroot="privacy")
def test_an_inline_handler_stops_the_build_and_an_inline_script_is_hashed(
    app: SphinxTestApp,
) -> None:
    app.build()
    warnings = app.warning.getvalue()
    assert "WARNING: " + str(app.outdir / "index.html") in warnings
    assert ('the Content-Security-Policy blocks <button onclick="…">, an inline event handler'
            in warnings)
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "lxml")
    assert sha256_source("window.addedLater = true;") in policy_of(page)["script-src"]


# -- In Chromium ----------------------------------------------------------------


@dataclass
class Watch:
    """What one browser tab did wrong: policy violations, console errors, requests elsewhere."""

    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def violations(self, tab: Page) -> list[str]:
        return list(tab.evaluate("window.policyViolations"))


# Opens a fresh browser profile: (theme, viewport) -> (context, tab, watch).
OpenContext = Callable[..., tuple[BrowserContext, Page, Watch]]


@pytest.fixture(scope="module")
def open_context(browser: Browser) -> Iterator[OpenContext]:
    """A fresh browser profile per use: the theme, the screen size, and every request watched.

    Requests to another host are recorded and refused, so nothing leaves the machine.
    """
    contexts: list[BrowserContext] = []

    def open_with(theme: str | None = None, viewport: str = "desktop 1280x800",
                  ) -> tuple[BrowserContext, Page, Watch]:
        context = browser.new_context(viewport=VIEWPORTS[viewport], reduced_motion="reduce")
        contexts.append(context)
        watch = Watch()
        context.add_init_script(RECORD_VIOLATIONS)
        if theme is not None:
            context.add_init_script(f"localStorage.setItem('theme', {json.dumps(theme)})")
        context.route(lambda url: urlsplit(url).hostname not in {LOOPBACK, None, ""},
                      lambda route: (watch.outside_requests.append(route.request.url),
                                     route.abort()))
        tab = context.new_page()
        tab.on("console", lambda message: watch.console_errors.append(message.text)
               if message.type == "error" else None)
        tab.on("pageerror", lambda error: watch.console_errors.append(str(error)))
        return context, tab, watch

    yield open_with
    for context in contexts:
        context.close()


def in_the_sidebar(tab: Page, selector: str) -> Locator:
    """An element of furo's left sidebar; on a phone, the navigation drawer opens first."""
    element = tab.locator(f".sidebar-drawer {selector}").first
    if not element.is_visible():
        tab.locator("label[for='__navigation'] [role='button']").first.click()
    return element


def search_from_the_sidebar(tab: Page, query: str) -> None:
    """Type a query in furo's search box, as a reader does."""
    box = in_the_sidebar(tab, ".sidebar-search")
    box.fill(query)
    box.press("Enter")
    tab.wait_for_function(SEARCH_FINISHED, timeout=10_000)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("theme", THEMES)
def test_using_every_page_breaks_no_rule_and_logs_no_error(
    open_context: OpenContext, site_url: str, site: Path, site_pages: list[Path],
    theme: str, viewport: str,
) -> None:
    _context, tab, watch = open_context(theme, viewport)
    problems = []
    for page in site_pages:
        address = page.relative_to(site).as_posix()
        tab.goto(f"{site_url}/{address}")
        # The theme button, as a reader presses it: light, dark and auto in turn.
        toggle = tab.locator(".theme-toggle").locator("visible=true").first
        toggle.click()
        problems += [f"{address}: {violation}" for violation in watch.violations(tab)]
    search_from_the_sidebar(tab, "naloxone")
    tab.locator("#search-results ul.search > li > a").first.click()
    tab.locator('[role="main"] span.highlighted').first.wait_for()
    in_the_sidebar(tab, "#searchbox .highlight-link a").click()
    assert tab.locator("span.highlighted").count() == 0, "Hide Search Matches left highlights"
    problems += [f"search and its result: {violation}" for violation in watch.violations(tab)]
    assert not problems, "the policy blocked part of the guide:\n" + "\n".join(problems)
    assert not watch.console_errors, f"console errors: {watch.console_errors}"
    assert not watch.outside_requests, f"requests to other hosts: {watch.outside_requests}"


def test_the_headers_policy_breaks_no_page_in_chromium(
    open_context: OpenContext, site_url: str, site: Path, site_pages: list[Path],
) -> None:
    """Served with _headers' headers (as Netlify would) as well as its <meta>, every page works."""
    context, tab, watch = open_context()
    headers = site_headers(site)
    context.route(f"{site_url}/**", lambda route: route.fulfill(
        response=(response := route.fetch()), headers={**response.headers, **headers}))
    problems = []
    for page in site_pages:
        address = page.relative_to(site).as_posix()
        response = tab.goto(f"{site_url}/{address}")
        assert response is not None and response.headers["content-security-policy"]
        problems += [f"{address}: {violation}" for violation in watch.violations(tab)]
    search_from_the_sidebar(tab, "withdrawal")
    tab.locator("#search-results ul.search > li > a").first.click()
    tab.locator('[role="main"] span.highlighted').first.wait_for()
    problems += [f"search: {violation}" for violation in watch.violations(tab)]
    assert not problems, "the header policy blocked part of the guide:\n" + "\n".join(problems)
    assert not watch.console_errors, watch.console_errors


def test_an_injected_outside_script_style_and_image_are_blocked(
    open_context: OpenContext, site_url: str,
) -> None:
    _context, tab, watch = open_context()
    tab.goto(f"{site_url}/overdose.html")
    tab.evaluate(f"""() => {{
        const add = (tag, attributes) =>
          document.head.append(Object.assign(document.createElement(tag), attributes));
        add("script", {{src: "{OUTSIDE}/tracker.js"}});
        add("link", {{rel: "stylesheet", href: "{OUTSIDE}/style.css"}});
        add("img", {{src: "{OUTSIDE}/pixel.gif"}});
        add("script", {{textContent: "window.injectedRan = true;"}});
    }}""")
    tab.wait_for_function("window.policyViolations.length >= 4")
    violations = watch.violations(tab)
    for blocked in (f"script-src-elem blocked {OUTSIDE}/tracker.js",
                    f"style-src-elem blocked {OUTSIDE}/style.css",
                    f"img-src blocked {OUTSIDE}/pixel.gif",
                    "script-src-elem blocked inline"):
        assert any(violation.startswith(blocked) for violation in violations), (
            f"not blocked: {blocked}; violations: {violations}")
    assert tab.evaluate("window.injectedRan") is None, "an injected inline script ran"
    assert not watch.outside_requests, f"the browser still asked: {watch.outside_requests}"


def test_a_sources_link_sends_no_referrer(open_context: OpenContext, site_url: str) -> None:
    context, tab, _watch = open_context()
    sent: list[dict[str, str]] = []
    context.on("request", lambda request: sent.append(request.headers)
               if urlsplit(request.url).hostname != LOOPBACK else None)
    tab.goto(f"{site_url}/overdose.html")
    source = tab.locator("section#sources a.reference.external").first
    with tab.expect_request(lambda request: urlsplit(request.url).hostname != LOOPBACK):
        source.click()
    assert sent and all("referer" not in headers for headers in sent), sent


def test_reading_and_searching_leave_nothing_but_the_theme(
    open_context: OpenContext, site_url: str,
) -> None:
    context, tab, watch = open_context(viewport="phone 375x667")
    tab.goto(f"{site_url}/index.html")
    tab.locator(".theme-toggle").locator("visible=true").first.click()
    # A search whose results the reader opens, then reads on.
    search_from_the_sidebar(tab, "naloxone")
    tab.locator("#search-results ul.search > li > a").first.click()
    tab.wait_for_url("**/overdose.html*")
    tab.locator('[role="main"] span.highlighted').first.wait_for()
    assert "highlight=" not in tab.url, "the searched word stays in the address bar"
    tab.goto(f"{site_url}/treatment.html")
    # A search left without opening a result: its words must not follow the reader.
    search_from_the_sidebar(tab, "methadone")
    tab.goto(f"{site_url}/withdrawal.html")
    tab.wait_for_load_state("load")
    assert tab.locator("span.highlighted").count() == 0, "an earlier search is highlighted"

    stored = tab.evaluate(STORED)
    assert set(stored["local"]) <= ALLOWED_STORAGE_KEYS, f"localStorage holds {stored['local']}"
    assert stored == {**stored, "session": [], "cookie": "", "indexedDB": [], "caches": [],
                      "serviceWorkers": 0}, f"the device keeps {stored}"
    assert context.cookies() == []
    assert not watch.violations(tab) and not watch.console_errors


@pytest.mark.parametrize("follow", ["Enter", "middle click"])
def test_a_result_followed_by_keyboard_or_into_a_new_tab_highlights_the_word(
    open_context: OpenContext, site_url: str, follow: str,
) -> None:
    context, tab, _watch = open_context()
    tab.goto(f"{site_url}/search.html?q=methadone")
    tab.wait_for_function(SEARCH_FINISHED, timeout=10_000)
    result = tab.locator("#search-results ul.search > li > a").first
    if follow == "Enter":
        result.focus()
        result.press("Enter")
        landing = tab
    else:
        with context.expect_page() as new_tab:
            result.click(button="middle")
        landing = new_tab.value
    landing.locator('[role="main"] span.highlighted').first.wait_for()
    assert landing.evaluate("Object.keys(localStorage)") == []


def test_a_search_from_a_file_url_breaks_no_rule(open_context: OpenContext, site: Path) -> None:
    _context, tab, watch = open_context()
    tab.goto(f"{site.as_uri()}/search.html?q={quote('naloxone')}")
    tab.wait_for_function(SEARCH_FINISHED, timeout=10_000)
    results = tab.locator("#search-results ul.search > li > a")
    assert results.count() > 0
    results.first.click()
    tab.locator('[role="main"] span.highlighted').first.wait_for()
    assert not watch.violations(tab), watch.violations(tab)
    assert tab.evaluate("Object.keys(localStorage)") == []


CODE_PAGE = """\
---
myst:
  html_meta:
    description: "A page with a code block, so that it loads the copy button and its script."
---

# With code

```text
a line to copy
```
"""


def test_the_copy_button_works_under_the_policy(
    open_context: OpenContext, tmp_path: Path,
) -> None:
    built = build_book(tmp_path, {"index": CODE_PAGE})
    context, tab, watch = open_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    with serve_folder(built) as url:
        tab.goto(f"{url}/index.html")
        tab.locator(".highlight").first.hover()
        tab.locator("button.copybtn").first.click()
        assert tab.evaluate("navigator.clipboard.readText()").strip() == "a line to copy"
        assert not watch.violations(tab) and not watch.console_errors, (
            watch.violations(tab), watch.console_errors)
