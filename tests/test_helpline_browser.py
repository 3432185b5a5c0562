"""The helpline notice and banner in Chromium: tap targets, focus and contrast, in every theme.

Measured on the built Getting help page (and its Spanish edition), where the full notice lives, as a
reader's browser lays it out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

THEMES = [
    # (furo's data-theme, the system preference); "auto" follows the system.
    ("light", "light"),
    ("dark", "dark"),
    ("auto", "light"),
    ("auto", "dark"),
]
TAP_TARGETS = "section.helpline .helpline-actions a, .helpline-banner a"
MIN_TAP = 44
# Each element that shows text of its own, with its colour and the backgrounds behind it.
COLOURS_SCRIPT = """
(selector) => [...document.querySelectorAll(selector)].flatMap((element) => {
  const ownText = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  if (!ownText) return [];
  const style = getComputedStyle(element);
  const backgrounds = [];
  for (let node = element; node; node = node.parentElement) {
    backgrounds.push(getComputedStyle(node).backgroundColor);
  }
  return [{text: element.textContent.trim().slice(0, 40), colour: style.color, backgrounds,
           size: parseFloat(style.fontSize), weight: parseInt(style.fontWeight, 10)}];
})
"""


def rgba(css: str) -> tuple[float, float, float, float]:
    values = [float(value) for value in re.findall(r"[\d.]+", css)]
    assert css.startswith("rgb") and len(values) in (3, 4), f"unexpected colour {css!r}"
    return (values[0], values[1], values[2], values[3] if len(values) == 4 else 1.0)


def composite(layers: list[str]) -> tuple[float, float, float]:
    """The colour a reader sees through the given backgrounds, innermost first, on a white canvas."""
    red, green, blue = 255.0, 255.0, 255.0
    for layer in reversed(layers):
        r, g, b, alpha = rgba(layer)
        red, green, blue = (r * alpha + red * (1 - alpha), g * alpha + green * (1 - alpha), b * alpha + blue * (1 - alpha))
    return red, green, blue


def luminance(colour: tuple[float, ...]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(foreground: tuple[float, ...], background: tuple[float, ...]) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_contrast(colour: str, backgrounds: list[str]) -> float:
    background = composite(backgrounds)
    r, g, b, alpha = rgba(colour)
    seen = (r * alpha + background[0] * (1 - alpha), g * alpha + background[1] * (1 - alpha), b * alpha + background[2] * (1 - alpha))
    return contrast(seen, background)


@pytest.fixture
def getting_help(browser: Browser, site_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    theme, scheme = request.param
    page = browser.new_page(viewport={"width": 1024, "height": 800}, color_scheme=scheme)
    page.goto(f"{site_url}/getting-help.html")
    page.evaluate("(theme) => { document.body.dataset.theme = theme; }", theme)
    assert page.locator("section.helpline-full").count() == 1, "getting-help.md must use ```{helpline}```"
    yield page
    page.close()


@pytest.mark.parametrize("getting_help", THEMES, indirect=True, ids=[f"{t}-{s}" for t, s in THEMES])
def test_text_meets_wcag_aa_contrast(getting_help: Page) -> None:
    samples = getting_help.evaluate(COLOURS_SCRIPT, "section.helpline *, .helpline-banner, .helpline-banner *")
    assert len(samples) > 20
    failures = []
    for sample in samples:
        large = sample["size"] >= 24 or (sample["size"] >= 18.66 and sample["weight"] >= 700)
        ratio = text_contrast(sample["colour"], sample["backgrounds"])
        if ratio < (3 if large else 4.5):
            failures.append(f"{sample['text']!r}: {ratio:.2f}")
    assert failures == []


@pytest.mark.parametrize("getting_help", THEMES, indirect=True, ids=[f"{t}-{s}" for t, s in THEMES])
def test_keyboard_focus_on_a_call_link_is_visible(getting_help: Page) -> None:
    focused = []
    for _ in range(80):
        getting_help.keyboard.press("Tab")
        state = getting_help.evaluate(
            """() => { const a = document.activeElement; const s = getComputedStyle(a);
               const backgrounds = [];
               for (let n = a.parentElement; n; n = n.parentElement) backgrounds.push(getComputedStyle(n).backgroundColor);
               return {cls: a.className, href: a.getAttribute('href'), style: s.outlineStyle,
                       width: parseFloat(s.outlineWidth), colour: s.outlineColor, backgrounds}; }"""
        )
        if state["href"] and state["href"].startswith("tel:"):
            focused.append(state)
        if "helpline-call" in state["cls"]:
            break
    assert any("helpline-call" in state["cls"] for state in focused), "no call link reached with Tab"
    for state in focused:
        assert state["style"] != "none" and state["width"] >= 2, state
        # A focus indicator needs 3:1 against what surrounds it (WCAG 1.4.11).
        assert text_contrast(state["colour"], state["backgrounds"]) >= 3, state


# The Spanish edition's labels are longer ("Envíe un mensaje de texto al 988").
@pytest.mark.parametrize("edition", ["", "es/"], ids=["en", "es"])
@pytest.mark.parametrize("width", [320, 375, 1024])
def test_tap_targets_are_44_px_and_the_banner_fits(browser: Browser, site_url: str, width: int, edition: str) -> None:
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(f"{site_url}/{edition}getting-help.html")
    boxes = [link.bounding_box() for link in page.locator(TAP_TARGETS).all()]
    assert len(boxes) >= 8
    small = [box for box in boxes if box is None or box["width"] < MIN_TAP or box["height"] < MIN_TAP]
    assert small == []
    # furo lets an announcement scroll sideways; every banner link must show whole instead.
    for link in page.locator(".helpline-banner a, .helpline-banner strong").all():
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, link.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()
