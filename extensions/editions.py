"""The guide's editions: English at the site's root, each translation in a folder of its own.

``editions`` in conf.py lists them, the root edition first; every other one lives in
``<language>/`` (``/es/``). A build makes one edition: Sphinx's ``language`` names it
(``-D language=es``, as ``make html`` and Read the Docs build it). Every edition is built
from the same sources, so every page exists in every edition.

- **Its address.** ``html_baseurl`` (conf.py: the site's address) becomes the edition's
  (``…/es/``), so the canonical links and the social cards' ``og:url`` name the page's own
  edition; the 404 page links from the edition's folder.
- **Its locale.** The social card says ``og:locale`` and names the others as
  ``og:locale:alternate``.
- **The other editions.** Each page links the same page in every other edition: the
  templates show ``edition_links`` (source/_templates/edition-links.html), and the head
  lists every edition's address as ``<link rel="alternate" hreflang>``, plus ``x-default``
  (the root edition's) for readers of any other language.
- **On Read the Docs** each edition is a project of its own, served at
  ``/<language>/<version>/`` (READTHEDOCS_CANONICAL_URL names this build's): the links
  between editions and the 404 page's follow. Canonical addresses stay the site's.
- Sphinx marks each translatable ``<meta>`` of a translated page ``translated="True"`` or
  ``"False"``, its own bookkeeping; written out, it is invalid HTML. The pages drop it.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.config import Config

# The builders whose pages link each other; the EPUB is one edition's book.
WEB_BUILDERS = frozenset({"html", "dirhtml"})
# Read the Docs names the address and the language of the project it builds.
READTHEDOCS_URL = "READTHEDOCS_CANONICAL_URL"
READTHEDOCS_LANGUAGE = "READTHEDOCS_LANGUAGE"
SETTINGS = ("name", "locale")


@dataclass(frozen=True)
class Edition:
    """One edition of the guide, as conf.py's ``editions`` describes it."""

    language: str  # Sphinx's language code, and the pages' lang and hreflang
    name: str  # the language's name in itself, as its readers look for it
    locale: str  # OpenGraph's og:locale
    folder: str  # where it lives below the site's root: "" or "<language>/"


def all_editions(config: Config) -> list[Edition]:
    """Every edition, the root edition first. A book without ``editions`` has one: the
    build's language, at the root."""
    if not config.editions:
        return [Edition(config.language, "", "", "")]
    editions = []
    for number, (language, settings) in enumerate(config.editions.items()):
        missing = [key for key in SETTINGS if not settings.get(key)]
        if missing:
            raise ConfigError(f"conf.py: editions[{language!r}] needs {' and '.join(missing)}")
        editions.append(Edition(language, settings["name"], settings["locale"],
                                "" if number == 0 else f"{language}/"))
    return editions


def this_edition(config: Config) -> Edition:
    """The edition this build makes: the one of Sphinx's ``language``."""
    for edition in all_editions(config):
        if edition.language == config.language:
            return edition
    raise ConfigError(
        f"language {config.language!r} has no edition in conf.py's editions "
        f"({', '.join(config.editions)}): add it there, or build one of those")


def other_editions(config: Config) -> Iterator[Edition]:
    this = this_edition(config)
    return (edition for edition in all_editions(config) if edition != this)


def site_address(config: Config) -> str:
    """The site's address: the edition's (html_baseurl, see set_edition_address) without
    the edition's folder."""
    address: str = config.html_baseurl
    return address.removesuffix(this_edition(config).folder)


def served_root(config: Config, edition: Edition) -> str:
    """The path an edition's root is served at: its folder on the site's host; on Read the
    Docs, its own project's /<language>/<version>/."""
    readthedocs = os.environ.get(READTHEDOCS_URL)
    if readthedocs:
        project = os.environ.get(READTHEDOCS_LANGUAGE, this_edition(config).language)
        return urlsplit(readthedocs).path.replace(f"/{project}/", f"/{edition.language}/", 1)
    return urlsplit(site_address(config)).path + edition.folder


def published_url(config: Config, edition: Edition, page_uri: str) -> str:
    """A page's canonical address in an edition: on the site's host, wherever it is served."""
    return site_address(config) + edition.folder + page_uri


def alternates(config: Config, page_uri: str) -> list[tuple[str, str]]:
    """(hreflang, address) of a page in every edition, and for readers of any other
    language (x-default) in the root edition."""
    editions = all_editions(config)
    addresses = [(edition.language, published_url(config, edition, page_uri))
                 for edition in editions]
    return [*addresses, ("x-default", addresses[0][1])]


def set_edition_address(app: Sphinx, config: Config) -> None:
    """The edition's address, from the site's; the social cards' and 404 page's follow."""
    edition = this_edition(config)
    config.html_baseurl += edition.folder
    config.ogp_site_url = config.html_baseurl
    config.notfound_urls_prefix = served_root(config, edition)
    if edition.locale:
        locales = [f'<meta property="og:locale" content="{edition.locale}" />']
        locales += [f'<meta property="og:locale:alternate" content="{other.locale}" />'
                    for other in other_editions(config)]
        config.ogp_custom_meta_tags = [*config.ogp_custom_meta_tags, *locales]


def link_the_other_editions(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """The page's address in every edition, and a link to it in every other one."""
    if app.builder.name not in WEB_BUILDERS:
        return
    config = app.config
    page_uri = app.builder.get_target_uri(pagename)
    context["edition_alternates"] = alternates(config, page_uri)
    here = posixpath.dirname(served_root(config, this_edition(config)) + page_uri)
    links = []
    for edition in other_editions(config):
        there = served_root(config, edition) + page_uri
        # The 404 page is served at any depth, so its links start from the host's root.
        href = there if pagename == config.notfound_pagename else posixpath.relpath(there, here)
        links.append({"href": href, "language": edition.language, "name": edition.name})
    context["edition_links"] = links


def drop_translation_marks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Drop Sphinx's marks from the written page only: the stored doctree keeps them."""
    for meta in doctree.findall(nodes.meta):
        meta.attributes.pop("translated", None)


def other_editions_folders(app: Sphinx) -> set[Path]:
    """The folders inside this build's output that hold the other editions: a build of the
    root edition into build/html finds the translations' pages there."""
    outdir = Path(app.outdir)
    return {outdir / edition.folder for edition in other_editions(app.config) if edition.folder}


def own_pages(app: Sphinx) -> list[Path]:
    """Every HTML file this build wrote (not another edition's), sorted."""
    others = other_editions_folders(app)
    return sorted(page for page in Path(app.outdir).rglob("*.html")
                  if not any(page.is_relative_to(folder) for folder in others))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("editions", {}, "html", types=frozenset({dict}))
    # After conf.py's settings, before the extensions that read them.
    app.connect("config-inited", set_edition_address, priority=100)
    app.connect("html-page-context", link_the_other_editions)
    app.connect("doctree-resolved", drop_translation_marks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
