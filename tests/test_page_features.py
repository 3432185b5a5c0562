"""What the one stylesheet and one script (extensions/asset_bundle.py) must keep doing.

PurgeCSS removes every rule it believes no page uses, and furo's script now runs from a
deferred bundle: these tests prove in Chromium that furo's dark theme, its theme toggle,
its phone sidebars, its "Back to top" button and its "On this page" list's mark on the
section being read (source/_static/toc-spy.js, in gumshoe's place) still work, that a
page still prints as the chapter alone, and that no page title breaks a word on a small
phone. (Search highlighting: test_search.py; the copy button on a page
with code: test_hosting.py.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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


def test_on_this_page_marks_the_section_being_read(tab: Page, site_url: str) -> None:
    """toc-spy.js, in gumshoe's place in furo's script: the entry of the section at the top
    of the screen is marked, and the last one once the page is scrolled to its end."""
    tab.goto(f"{site_url}/{CHAPTER}")
    # A function, not an expression: Playwright evaluates an expression from a string,
    # which the page's Content-Security-Policy forbids.
    marked = """expected => document.querySelector('.toc-tree li.scroll-current > a')?.hash
                          === expected"""
    sections = tab.evaluate("""() => Array.from(document.querySelectorAll('.toc-tree a'),
                                               link => link.hash).filter(Boolean)""")
    assert len(sections) >= 3, sections
    tab.evaluate("hash => document.getElementById(hash.slice(1)).scrollIntoView()", sections[1])
    tab.wait_for_function(marked, arg=sections[1])
    tab.evaluate("() => scrollTo(0, document.documentElement.scrollHeight)")
    tab.wait_for_function(marked, arg=sections[-1])


def test_no_page_title_breaks_a_word_on_a_small_phone(
    browser: Browser, site: Path, site_pages: list[Path], site_url: str,
) -> None:
    """Each word of each page's title stays on one line on a 320px screen: a word drawn on
    two lines has two boxes."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    tab = context.new_page()
    broken = []
    for page in site_pages:
        tab.goto(f"{site_url}/{page.relative_to(site).as_posix()}")
        broken += [f"{page.relative_to(site)}: {word!r}" for word in tab.evaluate("""() => {
          const words = [];
          const texts = [...document.querySelector("h1").childNodes]
            .filter(node => node.nodeType === Node.TEXT_NODE);
          for (const text of texts) {
            for (const match of text.textContent.matchAll(/\\S+/g)) {
              const range = document.createRange();
              range.setStart(text, match.index);
              range.setEnd(text, match.index + match[0].length);
              if (range.getClientRects().length > 1) words.push(match[0]);
            }
          }
          return words;
        }""")]
    context.close()
    assert not broken, "page titles that break a word at 320px:\n" + "\n".join(broken)
