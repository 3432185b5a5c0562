"""What the one stylesheet and one script (extensions/asset_bundle.py) must keep doing.

PurgeCSS removes every rule it believes no page uses, and furo's script now runs from a
deferred bundle: these tests prove in Chromium that furo's dark theme, its theme toggle,
its phone sidebars and its "Back to top" button still work, and that a page still prints
as the chapter alone. (Search highlighting: test_search.py; the copy button on a page
with code: test_hosting.py.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

CHAPTER = "withdrawal.html"
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}

BACKGROUND = "getComputedStyle(document.body).backgroundColor"
BRIGHTNESS = """() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
  return (r + g + b) / 3;
}"""


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_theme_follows_the_system_and_the_dark_theme_is_dark(
    browser: Browser, site_url: str, scheme: str,
) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{site_url}/{CHAPTER}")
    brightness = page.evaluate(BRIGHTNESS)
    context.close()
    if scheme == "dark":
        assert brightness < 64, f"the auto theme on a dark system is not dark: {brightness}"
    else:
        assert brightness > 192, f"the auto theme on a light system is not light: {brightness}"


def test_the_theme_toggle_cycles_the_themes_and_remembers_the_choice(
    tab: Page, site_url: str,
) -> None:
    tab.emulate_media(color_scheme="light")
    tab.goto(f"{site_url}/{CHAPTER}")
    toggle = tab.locator(".theme-toggle-content .theme-toggle")
    seen = []
    for _ in range(3):
        toggle.click()
        seen.append((tab.evaluate("document.body.dataset.theme"), tab.evaluate(BRIGHTNESS)))
    assert [theme for theme, _ in seen] == ["dark", "light", "auto"], seen
    assert seen[0][1] < 64 and seen[1][1] > 192, f"the toggle does not recolour the page: {seen}"
    toggle.click()
    tab.goto(f"{site_url}/index.html")
    assert tab.evaluate("document.body.dataset.theme") == "dark", "the choice is not remembered"
    assert tab.evaluate(BRIGHTNESS) < 64


# Each sidebar's button, the sidebar, and a point beside the open sidebar (on furo's overlay).
SIDEBARS = {
    "navigation": (".nav-overlay-icon", ".sidebar-drawer", PHONE["width"] - 20),
    "on this page": (".toc-header-icon", ".toc-drawer", 20),
}


@pytest.mark.parametrize("sidebar", SIDEBARS)
def test_a_tap_opens_a_phone_sidebar_and_a_tap_beside_it_closes_it(
    browser: Browser, site_url: str, sidebar: str,
) -> None:
    icon, drawer, beside = SIDEBARS[sidebar]
    context = browser.new_context(viewport=PHONE, reduced_motion="reduce", has_touch=True)
    page = context.new_page()
    page.goto(f"{site_url}/{CHAPTER}")
    box = f"document.querySelector('{drawer}').getBoundingClientRect()"
    assert page.evaluate(f"{box}.right <= 0 || {box}.left >= innerWidth"), "open before a tap"
    page.locator(icon).tap()
    opened = page.evaluate(f"[{box}.left, {box}.right]")
    assert opened[0] >= 0 and opened[1] <= PHONE["width"] and opened[1] > opened[0], (
        f"{drawer} is not on screen after a tap on {icon}: {opened}")
    page.touchscreen.tap(beside, PHONE["height"] // 2)
    page.wait_for_function(f"{box}.right <= 0 || {box}.left >= innerWidth")
    context.close()


def test_back_to_top_shows_when_the_reader_scrolls_back_up(tab: Page, site_url: str) -> None:
    tab.set_viewport_size(PHONE)
    tab.goto(f"{site_url}/{CHAPTER}")
    button = tab.locator(".back-to-top")
    assert not button.is_visible()
    tab.mouse.wheel(0, 3000)
    tab.wait_for_timeout(300)
    tab.mouse.wheel(0, -400)
    button.wait_for(state="visible")
    button.click()
    tab.wait_for_function("scrollY === 0")


def test_a_printed_page_is_the_chapter_in_black_on_white(tab: Page, site_url: str) -> None:
    tab.goto(f"{site_url}/{CHAPTER}")
    tab.emulate_media(media="print", color_scheme="dark")
    shown = tab.evaluate("""() => Object.fromEntries(
      [".sidebar-drawer", ".toc-drawer", ".mobile-header", ".theme-toggle-container",
       ".related-pages", "article", "article .helpline"].map(selector => [selector,
        getComputedStyle(document.querySelector(selector)).display !== "none"]))""")
    assert shown == {".sidebar-drawer": False, ".toc-drawer": False, ".mobile-header": False,
                     ".theme-toggle-container": False, ".related-pages": False,
                     "article": True, "article .helpline": True}, shown
    assert tab.evaluate(BACKGROUND) == "rgb(255, 255, 255)"
    assert tab.evaluate("getComputedStyle(document.querySelector('article')).color") == "rgb(0, 0, 0)"
