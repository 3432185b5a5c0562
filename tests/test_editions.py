"""The editions find each other: every page says its language, links the same page in the
other edition, and names every edition's address for search engines and social cards.

The editions are conf.py's `editions`: the first at the site's root, each other one in its
language's folder, as `make html` builds them (the `site` fixture).
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pytest
import sphinx
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Tag
from conftest import (
    GUIDE_CONF, ROOT, TRANSLATIONS, Exports, make_variable, run_make, serve_folder, sphinx_build,
)
from playwright.sync_api import Browser

BASE_URL: str = GUIDE_CONF["html_baseurl"]
EDITIONS: dict[str, dict[str, str]] = GUIDE_CONF["editions"]
ROOT_LANGUAGE = next(iter(EDITIONS))
NOT_FOUND_PAGE = "404.html"
SEARCH_PAGE = "search.html"
VIEWPORTS = {
    "phone 375x667": {"width": 375, "height": 667},
    "desktop 1280x800": {"width": 1280, "height": 800},
}


def folder(language: str) -> str:
    return "" if language == ROOT_LANGUAGE else f"{language}/"


def edition_pages(site: Path, language: str) -> list[str]:
    """An edition's pages, each as its address below the edition's folder."""
    top = site / folder(language)
    others = {top / other for other in TRANSLATIONS if language == ROOT_LANGUAGE}
    return sorted(page.relative_to(top).as_posix() for page in top.rglob("*.html")
                  if "_static" not in page.parts
                  and not any(page.is_relative_to(other) for other in others))


@functools.cache
def parse(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")


def test_the_makefile_builds_the_editions_conf_py_lists() -> None:
    assert tuple(make_variable("TRANSLATIONS").split()) == TRANSLATIONS, (
        "the Makefile's TRANSLATIONS must be conf.py's editions after the first")
    assert GUIDE_CONF["language"] == ROOT_LANGUAGE, "conf.py's language is the root edition's"


def test_every_edition_has_every_page(site: Path) -> None:
    pages = {language: edition_pages(site, language) for language in EDITIONS}
    assert len(pages[ROOT_LANGUAGE]) >= 12
    for language, found in pages.items():
        assert found == pages[ROOT_LANGUAGE], f"{language} has not the same pages"


@pytest.mark.parametrize("language", EDITIONS)
def test_every_page_says_its_language_and_locale(site: Path, language: str) -> None:
    others = sorted(settings["locale"] for other, settings in EDITIONS.items()
                    if other != language)
    for address in edition_pages(site, language):
        soup = parse(site / folder(language) / address)
        assert soup.html is not None and soup.html["lang"] == language, address
        if soup.find("meta", property="og:title") is None:
            continue  # Sphinx's generated pages (genindex, search) have no social card
        locale = soup.find("meta", property="og:locale")
        assert isinstance(locale, Tag) and locale["content"] == EDITIONS[language]["locale"]
        alternate = [tag["content"] for tag in soup.find_all("meta", property="og:locale:alternate")]
        assert sorted(alternate) == others, address


@pytest.mark.parametrize("language", EDITIONS)
def test_every_page_names_its_address_in_every_edition(site: Path, language: str) -> None:
    """<link rel=alternate hreflang> to each edition's page, itself included, and x-default."""
    for address in edition_pages(site, language):
        soup = parse(site / folder(language) / address)
        alternates = {tag["hreflang"]: tag["href"]
                      for tag in soup.find_all("link", rel="alternate", hreflang=True)}
        expected = {other: f"{BASE_URL}{folder(other)}{address}" for other in EDITIONS}
        assert alternates == {**expected, "x-default": expected[ROOT_LANGUAGE]}, address


@pytest.mark.parametrize("language", EDITIONS)
def test_every_page_links_the_same_page_in_the_other_editions(site: Path, language: str) -> None:
    """A real link in the sidebar (wide screens) and in the header (phones), which reads as
    the language's own name, in that language, and leads to a page that exists."""
    for address in edition_pages(site, language):
        page = site / folder(language) / address
        soup = parse(page)
        for place in (".sidebar-drawer", ".mobile-header"):
            links = soup.select(f"{place} a.edition-link")
            assert sorted(str(link["hreflang"]) for link in links) == sorted(
                other for other in EDITIONS if other != language), f"{address}: {place}"
            for link in links:
                other = str(link["hreflang"])
                assert link["lang"] == other and link.get_text(strip=True) == EDITIONS[other]["name"]
                href = str(link["href"])
                if address == NOT_FOUND_PAGE:
                    # Served at any depth: an address from the host's root.
                    target = site / href.removeprefix(urlsplit(BASE_URL).path)
                else:
                    assert not urlsplit(href).scheme and not href.startswith("/"), href
                    target = page.parent / href
                assert target.resolve() == (site / folder(other) / address).resolve(), (
                    f"{language}/{address} links {href} for {other}")
                assert target.is_file()


def test_the_sitemap_gives_every_address_its_alternates(site: Path) -> None:
    sitemap = BeautifulSoup((site / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    urls = sitemap.find_all("url")
    assert urls
    for url in urls:
        loc = url.find("loc").text
        address = loc.removeprefix(BASE_URL)
        for language in TRANSLATIONS:
            address = address.removeprefix(folder(language))
        alternates = {link["hreflang"]: link["href"] for link in url.find_all("link")}
        expected = {other: f"{BASE_URL}{folder(other)}{address}" for other in EDITIONS}
        assert alternates == {**expected, "x-default": expected[ROOT_LANGUAGE]}, loc
        assert loc in expected.values()
    for language in TRANSLATIONS:
        assert not (site / language / "sitemap.xml").exists(), "the site has one sitemap"
        assert not (site / language / "robots.txt").exists(), "robots.txt lives at the root"


def test_make_site_publishes_every_edition(exports: Exports) -> None:
    """What GitHub Pages and Read the Docs publish holds every edition, as `make html` does."""
    pages = {language: edition_pages(exports.site, language) for language in EDITIONS}
    assert len(pages[ROOT_LANGUAGE]) >= 12
    for language, found in pages.items():
        assert found == pages[ROOT_LANGUAGE], f"make site: {language} has not the same pages"
        index = parse(exports.site / folder(language) / "index.html")
        assert index.html is not None and index.html["lang"] == language


def test_rebuilding_the_root_edition_leaves_both_editions_as_they_were(
    site: Path, tmp_path: Path,
) -> None:
    """`make html` builds the root edition into the folder that holds the others: its
    stylesheet, policies and links must not take the others' pages for its own."""
    copy = tmp_path / "html"
    shutil.copytree(site, copy)
    sphinx_build("html", copy)
    differing = [path.relative_to(site).as_posix() for path in sorted(site.rglob("*"))
                 if path.is_file() and ".doctrees" not in path.parts
                 and path.read_bytes() != (copy / path.relative_to(site)).read_bytes()]
    assert not differing, f"building again changed: {differing}"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_reader_switches_language_with_the_keyboard(
    browser: Browser, site: Path, viewport: str,
) -> None:
    """One link shows at each screen size, named in its language; Tab reaches it, Enter
    follows it to the same page in the other edition, and back."""
    other = TRANSLATIONS[0]
    route = [(ROOT_LANGUAGE, other), (other, ROOT_LANGUAGE)]
    with serve_folder(site) as url:
        context = browser.new_context(viewport=VIEWPORTS[viewport], reduced_motion="reduce")
        tab = context.new_page()
        tab.goto(f"{url}/{folder(ROOT_LANGUAGE)}withdrawal.html")
        for here, there in route:
            link = tab.get_by_role("link", name=EDITIONS[there]["name"], exact=True)
            assert link.count() == 1, f"{here} [{viewport}]: {link.count()} links to {there} shown"
            assert link.get_attribute("lang") == there
            for _ in range(30):
                tab.keyboard.press("Tab")
                if tab.evaluate("document.activeElement.hreflang") == there:
                    break
            else:
                pytest.fail(f"{here} [{viewport}]: Tab never reaches the link to {there}")
            with tab.expect_navigation():
                tab.keyboard.press("Enter")
            assert PurePosixPath(urlsplit(tab.url).path) == PurePosixPath(
                f"/{folder(there)}withdrawal.html"), tab.url
            assert tab.evaluate("document.documentElement.lang") == there
        context.close()



# -- The texts around each page's content, in the edition's language ------------------


def catalog_of(language: str) -> Catalog:
    path = ROOT / "source" / "locales" / language / "LC_MESSAGES" / "sphinx.po"
    with path.open("rb") as file:
        return read_po(file)


def test_make_gettext_extracts_the_texts_around_every_page(tmp_path: Path) -> None:
    """Our templates', the theme's, and the few Sphinx writes itself, each at a place that
    reads the same on every machine."""
    result = run_make("gettext", tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with (tmp_path / "gettext" / "sphinx.pot").open("rb") as file:
        template = read_po(file)
    places = {message.id: {path for path, _line in message.locations} for message in template}
    assert {"Skip to content", "Back to top", "Next"} <= places.keys(), "furo's texts"
    assert "furo/page.html" in places["Skip to content"]
    assert {"Navigation", "Copyright &#169; %(copyright)s",
            "Toggle Light / Dark / Auto color theme"} <= places.keys(), "our templates' texts"
    assert any(path.endswith("/source/_templates/page.html") for path in places["Navigation"])
    assert "sphinx/writers/html5.py" in places["Link to this heading"]
    machine = [path for paths in places.values() for path in paths
               if path.startswith("/") or ".venv" in path or "site-packages" in path]
    assert not machine, f"places that depend on the machine: {machine}"


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_the_texts_around_each_page_are_in_its_language(site: Path, language: str) -> None:
    """No text of the catalog's (a skip link, a button's label, an icon's title, the footer)
    shows in English on a translation's page."""
    english = {message.id for message in catalog_of(language)
               if message.id and message.string != message.id
               and "%(" not in message.id and "<" not in message.id}
    assert {"Skip to content", "Back to top", "Navigation", "On this page"} <= english
    found = []
    for address in edition_pages(site, language):
        soup = BeautifulSoup((site / folder(language) / address).read_text(encoding="utf-8"),
                             "lxml")
        # A page's own content is its page catalog's (docs/translating.md); the search
        # page's is its template's.
        if address != SEARCH_PAGE:
            for content in soup.select("article[role=main] > :not(.back-to-top)"):
                content.decompose()
        texts = {text.strip() for text in soup.find_all(string=True)}
        texts |= {str(value).strip() for tag in soup.find_all(True)
                  for name, value in tag.attrs.items()
                  if name in {"aria-label", "title", "placeholder", "alt"}}
        found += [f"{address}: {text!r}" for text in sorted(texts & english)]
        if "Made with" in soup.get_text():
            found.append(f"{address}: 'Made with'")
    assert not found, "English on the pages of the " + language + " edition:\n" + "\n".join(found)



def test_a_search_result_highlights_its_words_and_names_its_button_in_the_page_language(
    browser: Browser, site: Path,
) -> None:
    """Sphinx's highlighting runs on a translation's page under the Content-Security-Policy
    (Sphinx's translations.js would not: it builds code from a string), and its one button,
    "Hide Search Matches", reads as Sphinx's catalog says it in the page's language."""
    language = TRANSLATIONS[0]
    with (Path(sphinx.__file__).parent / "locale" / language / "LC_MESSAGES"
          / "sphinx.po").open("rb") as file:
        expected = read_po(file)["Hide Search Matches"].string
    errors: list[str] = []
    with serve_folder(site) as url:
        context = browser.new_context()
        tab = context.new_page()
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.on("console", lambda message: errors.append(message.text)
               if message.type == "error" else None)
        tab.goto(f"{url}/{language}/withdrawal.html?highlight=metadona")
        tab.locator('[role="main"] span.highlighted').first.wait_for()
        hide = tab.locator("#searchbox .highlight-link a")
        assert hide.evaluate("link => link.textContent") == expected != "Hide Search Matches"
        hide.evaluate("link => link.click()")
        assert tab.locator("span.highlighted").count() == 0
        context.close()
    assert not errors, errors
