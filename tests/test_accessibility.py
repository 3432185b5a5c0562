"""Accessibility of every page, in a real browser: axe-core, the keyboard, the focus ring.

axe-core runs all of its rules (WCAG and best practice) on every page, in furo's light
and dark themes, on a phone screen and on a desktop screen, after scrolling each page to
its end and part of the way back up (where furo shows its "Back to top" button). The keyboard tests press Tab
through every page as a reader would.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

THEMES = ["light", "dark"]
VIEWPORTS = {
    "phone 375x667": {"width": 375, "height": 667},
    "desktop 1280x800": {"width": 1280, "height": 800},
}
# Search results are part of what a reader sees, so axe checks pages of them too: results,
# results for a corrected word, and the page shown when nothing matches, in both editions.
SEARCH_RESULTS = ["search.html?q=overdose", "search.html?q=methodone", "search.html?q=mxthxdxne",
                  "es/search.html?q=sobredosis", "es/search.html?q=metadna",
                  "es/search.html?q=mxthxdxne"]
# Someone in crisis who uses a keyboard reaches the helpline within this many presses of Tab.
HELPLINE_WITHIN_TABS = 3
# Far more stops than any page has: a walk that gets this far is going round in circles.
MAX_TAB_STOPS = 1000

RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(violation => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map(node => node.target.join(" ")),
  }));
}"""

# A reader scrolls to the end of the page and part of the way back up, where furo shows
# its "Back to top" button; axe then sees every control a page can show.
SCROLL_DOWN_AND_BACK_UP = """async () => {
  const frame = () => new Promise(resolve => requestAnimationFrame(() => resolve()));
  scrollTo(0, document.documentElement.scrollHeight);
  await frame(); await frame();
  scrollTo(0, document.documentElement.scrollHeight / 2);
  await frame(); await frame();
}"""

SEARCH_FINISHED = """() => {
  const summary = document.querySelector("#search-results .search-summary");
  return summary !== null && summary.textContent.trim() !== "";
}"""

DESCRIBE_FOCUS = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  const name = (element.getAttribute("aria-label") || element.textContent || "")
    .trim().replace(/\\s+/g, " ").slice(0, 40);
  return {
    element: [element.tagName.toLowerCase(), ...element.classList].join(".") + ` "${name}"`,
    href: element.getAttribute("href"),
    is_body: element === document.body,
    is_main: element.id === "furo-main-content",
    on_screen: style.visibility === "visible" && box.width > 0 && box.height > 0
      && box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
    ring: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2)
      || style.boxShadow !== "none",
  };
}"""


@dataclass(frozen=True)
class FocusStop:
    """Where the keyboard focus is, and whether a reader can see it there."""

    element: str
    href: str | None
    is_body: bool
    is_main: bool
    on_screen: bool
    ring: bool


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing; install it with: make node_modules/.package-lock.json")
    return AXE.read_text()


@pytest.fixture(scope="module")
def addresses(site: Path, site_pages: list[Path]) -> list[str]:
    """Every page, as its path below the site's root."""
    return [page.relative_to(site).as_posix() for page in site_pages]


@pytest.fixture(scope="module")
def open_tab(browser: Browser) -> Callable[[str, str], AbstractContextManager[Page]]:
    """Open a browser tab in one of furo's themes at one screen size.

    With reduced motion, so that nothing is half-way through sliding in when measured.
    """

    @contextmanager
    def open_with(theme: str, viewport: str) -> Iterator[Page]:
        context = browser.new_context(viewport=VIEWPORTS[viewport], reduced_motion="reduce")
        context.add_init_script(f"localStorage.setItem('theme', {json.dumps(theme)})")
        try:
            yield context.new_page()
        finally:
            context.close()

    return open_with


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("theme", THEMES)
def test_axe_finds_no_violations(
    open_tab: Callable[[str, str], AbstractContextManager[Page]], site_url: str,
    addresses: list[str], axe_source: str, theme: str, viewport: str,
) -> None:
    found = []
    with open_tab(theme, viewport) as tab:
        for address in [*addresses, *SEARCH_RESULTS]:
            tab.goto(f"{site_url}/{address}")
            if address in SEARCH_RESULTS:
                tab.wait_for_function(SEARCH_FINISHED)
            shown = tab.evaluate("document.body.dataset.theme")
            assert shown == theme, f"{address} shows the {shown} theme, not {theme}"
            tab.evaluate(SCROLL_DOWN_AND_BACK_UP)
            tab.evaluate(axe_source)
            found += [
                f"{address} [{theme}, {viewport}]: {violation['rule']}"
                f" ({violation['impact']}: {violation['help']}) at {target}"
                for violation in tab.evaluate(RUN_AXE)
                for target in violation["targets"]
            ]
    assert not found, f"axe-core found {len(found)} violations:\n" + "\n".join(found)


@dataclass(frozen=True)
class TabWalk:
    """A page's focus stops, in order, from the top to the end, and then its skip link."""

    stops: list[FocusStop]
    skip_link: FocusStop
    after_skip_link: FocusStop


@pytest.fixture(scope="module")
def tab_walks(
    open_tab: Callable[[str, str], AbstractContextManager[Page]], site_url: str,
    addresses: list[str],
) -> Callable[[str], dict[str, TabWalk]]:
    """Every page walked with the keyboard at one screen size, as a reader would."""

    @functools.cache
    def walk(viewport: str) -> dict[str, TabWalk]:
        walks = {}
        with open_tab("light", viewport) as tab:
            for address in addresses:
                tab.goto(f"{site_url}/{address}")
                stops = _press_tab_until_the_end(tab, address)
                # Past the end, Tab starts again at the top: the skip link, then Enter.
                tab.keyboard.press("Tab")
                skip_link = FocusStop(**tab.evaluate(DESCRIBE_FOCUS))
                tab.keyboard.press("Enter")
                walks[address] = TabWalk(stops, skip_link, FocusStop(**tab.evaluate(DESCRIBE_FOCUS)))
        return walks

    return walk


def _press_tab_until_the_end(tab: Page, address: str) -> list[FocusStop]:
    stops = []
    for _ in range(MAX_TAB_STOPS):
        tab.keyboard.press("Tab")
        stop = FocusStop(**tab.evaluate(DESCRIBE_FOCUS))
        if stop.is_body:
            return stops
        stops.append(stop)
    pytest.fail(f"{address}: Tab never leaves the page after {MAX_TAB_STOPS} presses")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_focus_is_always_visible(
    tab_walks: Callable[[str], dict[str, TabWalk]], viewport: str,
) -> None:
    hidden = [
        f"{address} [{viewport}]: Tab stop {number} {stop.element}"
        + ("" if stop.on_screen else " is off screen or hidden")
        + ("" if stop.ring else " has no focus ring (outline or box-shadow)")
        for address, walk in tab_walks(viewport).items()
        for number, stop in enumerate(walk.stops, start=1)
        if not (stop.on_screen and stop.ring)
    ]
    assert not hidden, "the keyboard focus is not visible:\n" + "\n".join(hidden)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_helpline_is_among_the_first_tab_stops(
    tab_walks: Callable[[str], dict[str, TabWalk]], viewport: str,
) -> None:
    late = [
        f"{address} [{viewport}]: the first {HELPLINE_WITHIN_TABS} Tab stops are "
        + ", ".join(stop.element for stop in walk.stops[:HELPLINE_WITHIN_TABS])
        for address, walk in tab_walks(viewport).items()
        if not any(
            (stop.href or "").startswith("tel:") for stop in walk.stops[:HELPLINE_WITHIN_TABS]
        )
    ]
    assert not late, "no helpline (tel:) link among the first Tab stops:\n" + "\n".join(late)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_skip_link_moves_the_focus_to_the_main_content(
    tab_walks: Callable[[str], dict[str, TabWalk]], viewport: str,
) -> None:
    failures = []
    for address, walk in tab_walks(viewport).items():
        first, skip_link, landed = walk.stops[0], walk.skip_link, walk.after_skip_link
        if first != skip_link or skip_link.href != "#furo-main-content" or not skip_link.on_screen:
            failures.append(f"{address} [{viewport}]: the first Tab stop is {first.element}"
                            f"{'' if first.on_screen else ', off screen'}, not the skip link")
        elif not landed.is_main:
            failures.append(f"{address} [{viewport}]: Enter on the skip link leaves the focus"
                            f" on {landed.element}, not on the main content")
    assert not failures, "the skip link does not work:\n" + "\n".join(failures)


# On a phone, furo slides its sidebars in over the page: each opens from an icon button.
SIDEBARS = {
    "navigation": (".nav-overlay-icon [role=button]", ".sidebar-drawer"),
    "table of contents": (".toc-header-icon:not(.no-toc) [role=button]", ".toc-drawer"),
}

SIDEBAR_STATE = """([button, drawer]) => ({
  shown: getComputedStyle(document.querySelector(drawer)).visibility === "visible",
  expanded: document.querySelector(button).getAttribute("aria-expanded"),
  focus_on_button: document.activeElement === document.querySelector(button),
  focus_inside: document.querySelector(drawer).contains(document.activeElement),
})"""


@pytest.mark.parametrize("sidebar", SIDEBARS)
def test_sidebars_open_and_close_with_the_keyboard(
    open_tab: Callable[[str, str], AbstractContextManager[Page]], site_url: str,
    addresses: list[str], sidebar: str,
) -> None:
    button, drawer = SIDEBARS[sidebar]
    with open_tab("light", "phone 375x667") as tab:
        for address in addresses:
            tab.goto(f"{site_url}/{address}")
            if tab.locator(button).count():
                break
        else:
            pytest.fail(f"no page has a {sidebar} button ({button})")
        state = functools.partial(tab.evaluate, SIDEBAR_STATE, [button, drawer])

        tab.focus(button)
        tab.keyboard.press("Enter")
        opened = state()
        assert opened["shown"] and opened["expanded"] == "true", (
            f"{address} [phone]: Enter on the {sidebar} button leaves the sidebar closed: {opened}")
        focus = FocusStop(**tab.evaluate(DESCRIBE_FOCUS))
        assert opened["focus_inside"] and focus.on_screen and focus.ring, (
            f"{address} [phone]: opening the {sidebar} sidebar leaves the focus on {focus.element},"
            " not visibly inside the sidebar")

        tab.keyboard.press("Escape")
        closed = state()
        assert not closed["shown"] and closed["expanded"] == "false", (
            f"{address} [phone]: Escape leaves the {sidebar} sidebar open: {closed}")
        assert closed["focus_on_button"], (
            f"{address} [phone]: after Escape the focus is not back on the {sidebar} button")
