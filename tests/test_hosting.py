"""Hosting: what a host, a crawler and a reader's browser get from the built site.

The 404 page, the sitemap, robots.txt, the favicon, canonical links and a meta
description on every page; a build that does not depend on git; and, in Chromium,
no request to another host, no cookie, and no page heavier than the same page of a
bare Sphinx + furo build plus 5 kB gzipped.
"""

from __future__ import annotations

import functools
import gzip
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import (
    GUIDE_CONF, ROOT, TRANSLATIONS, build_book, make_variable, serve_folder, sphinx_build,
)
from playwright.sync_api import Browser

BASE_URL: str = GUIDE_CONF["html_baseurl"]
# Pages that are not for a search engine's index.
NOT_IN_SITEMAP = {"search.html", "404.html"}
DESCRIPTION_LENGTH = range(50, 161)
# What each page may weigh, gzipped, beyond the same page of the bare furo build.
WEIGHT_BUDGET_BYTES = 5 * 1024
# The search page carries a search library (MiniSearch, about 18 kB) and every section's
# text for snippets (instead of fetching each result's page): docs/search.md.
SEARCH_PAGE_BUDGET_BYTES = 40 * 1024
LOOPBACK = "127.0.0.1"
# What a build from a clean copy must reproduce byte for byte.
DETERMINISTIC_FILES = ("*.html", "sitemap.xml", "robots.txt")


@functools.cache
def parse(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")


def address(site: Path, page: Path) -> str:
    return page.relative_to(site).as_posix()


def description(page: Path) -> str | None:
    tag = parse(page).find("meta", attrs={"name": "description"})
    return None if tag is None else str(tag["content"])


def edition_of(site: Path, page: Path) -> str:
    """The folder of the edition a page belongs to: "" for the root edition."""
    first = page.relative_to(site).parts[0]
    return f"{first}/" if first in TRANSLATIONS else ""


def test_every_page_has_its_own_description_of_a_search_result_length(
    site: Path, site_pages: list[Path]
) -> None:
    """Each page its own description within its edition (a translation's page says in its
    language what the original says)."""
    descriptions = {address(site, page): description(page) for page in site_pages}
    missing = [page for page, text in descriptions.items() if text is None]
    assert not missing, f"pages without <meta name=description>: {missing}"
    badly_sized = {page: len(text) for page, text in descriptions.items()
                   if text is not None and len(text) not in DESCRIPTION_LENGTH}
    assert not badly_sized, (
        f"descriptions must be {DESCRIPTION_LENGTH.start}-{DESCRIPTION_LENGTH.stop - 1} "
        f"characters (set them in the front matter, myst: html_meta: description): {badly_sized}")
    shared = [(edition, text) for (edition, text), count in Counter(
        (edition_of(site, page), description(page)) for page in site_pages).items() if count > 1]
    assert not shared, f"descriptions used on more than one page of an edition: {shared}"


def test_every_page_names_its_canonical_address_and_social_card(
    site: Path, site_pages: list[Path]
) -> None:
    for page in site_pages:
        soup = parse(page)
        url = BASE_URL + address(site, page)
        canonical = soup.find("link", rel="canonical")
        assert canonical is not None and canonical["href"] == url, page.name
        og_title = soup.find("meta", property="og:title")
        if og_title is None:  # Sphinx's generated pages (genindex, search) have no doctree.
            continue
        card = {tag["property"]: tag["content"] for tag in soup.find_all("meta", property=True)}
        assert card["og:url"] == url, page.name
        assert card["og:description"] == description(page), page.name
        assert soup.find("meta", attrs={"name": "twitter:card"}) is not None, page.name
        assert "og:image" not in card, f"{page.name}: a card image would come from a host"


def test_sitemap_lists_every_page_at_the_published_address(
    site: Path, site_pages: list[Path]
) -> None:
    sitemap = BeautifulSoup((site / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    listed = [loc.text for loc in sitemap.find_all("loc")]
    assert sorted(listed) == sorted(
        BASE_URL + address(site, page) for page in site_pages
        if address(site, page).removeprefix(edition_of(site, page)) not in NOT_IN_SITEMAP
    )
    assert not sitemap.find("lastmod"), "lastmod dates come from git: builds would differ"


def test_robots_txt_lets_crawlers_in_and_points_at_the_sitemap(site: Path) -> None:
    lines = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /" not in lines
    assert f"Sitemap: {BASE_URL}sitemap.xml" in lines


def test_no_page_keeps_search_engines_out(site: Path, site_pages: list[Path]) -> None:
    """A reader searching the web must find every page, the search page included."""
    blocked = [address(site, page) for page in site_pages
               for tag in parse(page).find_all("meta", attrs={"name": "robots"})
               if {"noindex", "none"} & {rule.strip() for rule in tag["content"].split(",")}]
    assert not blocked, f"pages marked noindex: {blocked}"


def test_the_favicon_is_an_icon_at_the_root_and_every_page_links_one(
    site: Path, site_pages: list[Path]
) -> None:
    icon = (site / "favicon.ico").read_bytes()
    reserved, kind, count = (int.from_bytes(icon[i:i + 2], "little") for i in (0, 2, 4))
    assert (reserved, kind) == (0, 1) and count > 0, "favicon.ico is not an ICO file"
    for page in site_pages:
        link = parse(page).find("link", rel="icon")
        assert link is not None, f"{page.name} links no icon"
        href = urlsplit(link["href"]).path
        target = site / href.lstrip("/") if href.startswith("/") else page.parent / href
        assert target.is_file(), f"{page.name} links a missing icon: {href}"


@pytest.mark.parametrize("edition", ["", *(f"{language}/" for language in TRANSLATIONS)])
def test_the_404_page_works_at_any_depth_and_offers_the_helpline(site: Path, edition: str) -> None:
    """Each edition's 404 page links from the edition's folder (GitHub Pages serves the root
    one for every missing address; hosts that serve one per folder, the edition's own)."""
    soup = parse(site / edition / "404.html")
    assert soup.select_one("article .helpline"), "the 404 page has no helpline notice"
    assets = ([tag["href"] for tag in soup.find_all("link", rel="stylesheet")]
              + [tag["src"] for tag in soup.find_all("script", src=True)]
              + [tag["href"] for tag in soup.select(".sidebar-tree a, .sidebar-brand")]
              + [tag["action"] for tag in soup.select("form.sidebar-search-container")])
    root = urlsplit(BASE_URL).path
    broken = [url for url in assets if not url.startswith(root + edition)
              or not (site / urlsplit(url).path.removeprefix(root)).is_file()]
    assert not broken, f"served for /a/b/missing, these would not load: {broken}"


def test_a_clean_clone_and_a_folder_without_git_build_the_same_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Nothing in the site may come from git (sphinx-sitemap's lastmod dates would)."""
    guide = tmp_path_factory.mktemp("snapshot") / "guide"
    shutil.copytree(ROOT, guide, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "build", ".pytest_cache", "__pycache__"))
    (guide / "node_modules").symlink_to(ROOT / "node_modules")  # the stylesheet's build tools
    without_git = sphinx_build("html", guide.parent / "without-git", "-c", str(guide),
                               source=guide / "source")
    git = ["git", "-C", str(guide), "-c", "user.name=Test", "-c", "user.email=test@localhost"]
    for command in (["init", "--quiet"], ["add", "--all"], ["commit", "--quiet", "-m", "clone"]):
        subprocess.run([*git, *command], check=True, capture_output=True)
    in_git = sphinx_build("html", guide.parent / "in-git", "-c", str(guide),
                          source=guide / "source")
    differing = [
        address(in_git, page) for pattern in DETERMINISTIC_FILES for page in in_git.glob(pattern)
        if page.read_bytes() != (without_git / page.relative_to(in_git)).read_bytes()
    ]
    assert not differing, f"a build outside git differs in: {differing}"


CODE_PAGE = """\
---
myst:
  html_meta:
    description: "A page with a code block, so it loads the copy button and the code colours."
---

# With code

```python
print("a line to copy")
```

```{toctree}
plain
```
"""
PLAIN_PAGE = """\
---
myst:
  html_meta:
    description: "A page of words only, so it loads neither the copy button nor code colours."
---

# Words only

Nothing to copy here.
"""

COPY_AND_READ_CLIPBOARD = """async () => {
  const block = document.querySelector("div.highlight");
  block.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
  const button = block.querySelector("button.copybtn");
  button.click();
  await new Promise(resolve => setTimeout(resolve, 200));
  const code = block.querySelector("pre");
  const name = block.querySelector("pre .nb");
  return {
    copied: await navigator.clipboard.readText(),
    success: button.classList.contains("success"),
    button_shown: getComputedStyle(button).position === "absolute",
    code_background: getComputedStyle(code).backgroundColor,
    page_background: getComputedStyle(document.body).backgroundColor,
    name_colour: getComputedStyle(name).color,
    code_colour: getComputedStyle(code).color,
  };
}"""


def test_only_a_page_with_code_loads_the_copy_button_which_copies_in_chromium(
    tmp_path: Path, browser: Browser,
) -> None:
    site = build_book(tmp_path, {"index": CODE_PAGE, "plain": PLAIN_PAGE})

    def scripts(page: str) -> set[str]:
        return {urlsplit(str(tag["src"])).path
                for tag in parse(site / page).find_all("script", src=True)}

    assert scripts("index.html") == {"_static/site-code.js"}
    assert scripts("plain.html") == {"_static/site.js"}
    bundle = (site / "_static" / "site-code.js").read_text(encoding="utf-8")
    assert "ClipboardJS" in bundle and "copybtn" in bundle
    assert "ClipboardJS" not in (site / "_static" / "site.js").read_text(encoding="utf-8")

    with serve_folder(site) as url:
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(f"{url}/index.html")
        found = page.evaluate(COPY_AND_READ_CLIPBOARD)
        context.close()
    assert found["copied"].strip() == 'print("a line to copy")', found
    assert found["success"] and found["button_shown"], found
    assert found["code_background"] != found["page_background"], "code has no background"
    assert found["name_colour"] != found["code_colour"], "code has no colours"


def test_the_pages_workflow_deploys_what_make_site_builds_only_after_make_test() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())
    [(builder, build_job)] = [(name, job) for name, job in workflow["jobs"].items()
                              if any(step.get("run", "").strip() == "make site"
                                     for step in job["steps"])]
    runs = [step.get("run", "").strip() for step in build_job["steps"]]
    assert "make test" in runs, "the job that builds the site does not run make test"
    assert runs.index("make test") < runs.index("make site"), "make site runs before make test"
    actions = {step["uses"].split("@")[0]: step for step in build_job["steps"] if "uses" in step}
    assert actions["actions/upload-pages-artifact"]["with"]["path"] == make_variable("SITEDIR")
    [deploy_job] = [job for job in workflow["jobs"].values()
                    if any(step.get("uses", "").startswith("actions/deploy-pages@")
                           for step in job["steps"])]
    needs = deploy_job.get("needs") or []
    assert builder in ([needs] if isinstance(needs, str) else needs), (
        "the deploy job does not wait for the job that tests and builds the site")


@dataclass(frozen=True)
class PageLoad:
    """What Chromium did to show one page: every URL it asked for, and what it was given."""

    requests: tuple[str, ...]
    gzip_bytes: int
    cookies: tuple[str, ...]


@functools.cache
def gzip_size(file: Path) -> int:
    return len(gzip.compress(file.read_bytes())) if file.is_file() else 0


def load_site(browser: Browser, folder: Path) -> dict[str, PageLoad]:
    """Open every page of a built folder in Chromium; record requests, weight and cookies.

    The weight is each file the page asked for, gzipped on its own as a host sends it.
    """
    pages = sorted(path for path in folder.rglob("*.html") if "_static" not in path.parts)
    loads: dict[str, PageLoad] = {}
    with serve_folder(folder) as url:
        context = browser.new_context()
        # Nothing may leave the machine: a request elsewhere is recorded, then refused at once.
        # (Routing also turns off the cache, so every page fetches everything it uses.)
        context.route(lambda target: urlsplit(target).hostname != LOOPBACK,
                      lambda route: route.abort())
        for page_path in pages:
            page = context.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(f"{url}/{address(folder, page_path)}", wait_until="load")
            # Set-Cookie headers and scripts both land in the cookie jar.
            cookies = [page.evaluate("document.cookie")]
            cookies += [cookie["name"] for cookie in context.cookies()]
            weight = sum(gzip_size(folder / unquote(urlsplit(request).path).lstrip("/"))
                         for request in requests if urlsplit(request).hostname == LOOPBACK)
            loads[address(folder, page_path)] = PageLoad(
                tuple(requests), weight, tuple(cookie for cookie in cookies if cookie))
            page.close()
        context.close()
    return loads


@pytest.fixture(scope="module")
def our_loads(browser: Browser, site: Path) -> dict[str, PageLoad]:
    return load_site(browser, site)


@pytest.fixture(scope="module")
def bare_loads(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> dict[str, PageLoad]:
    """The same sources on a bare Sphinx + furo build (tests/bench/bare/conf.py), each
    edition in its folder, as the site holds them."""
    bare_conf = ROOT / "tests" / "bench" / "bare"
    bare = sphinx_build("html", tmp_path_factory.mktemp("bare-html"), "-c", str(bare_conf))
    for language in TRANSLATIONS:
        sphinx_build("html", bare / language, "-c", str(bare_conf), "-D", f"language={language}",
                     "-d", str(tmp_path_factory.mktemp(f"bare-doctrees-{language}")))
    return load_site(browser, bare)


def test_no_page_loads_from_another_host_or_sets_a_cookie(
    our_loads: dict[str, PageLoad]
) -> None:
    foreign = {page: [url for url in load.requests
                      if urlsplit(url).scheme not in {"data", "blob"}
                      and urlsplit(url).hostname != LOOPBACK]
               for page, load in our_loads.items()}
    assert not any(foreign.values()), f"requests to other hosts: {foreign}"
    cookies = {page: load.cookies for page, load in our_loads.items() if load.cookies}
    assert not cookies, f"cookies set: {cookies}"


def test_no_page_weighs_more_than_bare_furo_plus_5_kb_gzipped(
    our_loads: dict[str, PageLoad], bare_loads: dict[str, PageLoad]
) -> None:
    assert our_loads.keys() == bare_loads.keys()
    heavy = {page: f"+{(load.gzip_bytes - bare_loads[page].gzip_bytes) / 1024:.1f} kB"
             for page, load in our_loads.items()
             if load.gzip_bytes > bare_loads[page].gzip_bytes + (
                 SEARCH_PAGE_BUDGET_BYTES if Path(page).name == "search.html"
                 else WEIGHT_BUDGET_BYTES)}
    assert not heavy, f"pages over bare furo + 5 kB gzipped (search pages: 40 kB): {heavy}"
