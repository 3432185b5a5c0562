"""What the hosted site adds to every page: a meta description, lean assets; and its sitemap and robots.txt.

- Every page gets a meta description, and its social card the same words: a chapter from
  its front matter (a chapter without one is a warning, so the strict build stops), the
  pages Sphinx generates from ``generated_page_descriptions`` in conf.py.
- sphinx-copybutton's button and the code colours load only on pages with a code block:
  the guide has almost none, and a reader on a slow phone pays for every byte and request.
  (extensions/asset_bundle.py then gives such a page ``site-code.js``, and joins the code
  styles to ``site.css`` only when some page has code.)
- ``sitemap.xml`` lists every page of every edition (extensions/editions.py) but those in
  ``sitemap_excludes``, each with its address in the other editions as ``xhtml:link``
  alternates, as search engines read them. It lists the pages the build knows, not the
  files in the output folder, so an incremental build lists them all and no removed page.
  (sphinx-sitemap places every edition in a language folder, the root one too.)
- ``robots.txt`` lets every crawler in and names the sitemap at ``html_baseurl``.
- Both are the site's, at its root: the root edition's build writes them.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from docutils import nodes
from editions import alternates, this_edition
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

# sphinx-copybutton's button (7 kB gzipped) and the code colours (2 kB, render-blocking).
CODE_ONLY_FILES = frozenset({
    "_static/pygments.css",
    "_static/copybutton.css", "_static/clipboard.min.js", "_static/copybutton.js",
})


def describe_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Give every page its meta description, and its social card the same words."""
    if doctree is None:
        generated = app.config.generated_page_descriptions
        if pagename in generated:
            description = html.escape(generated[pagename])
            metatag = f'<meta name="description" content="{description}" />'
            context["metatags"] = context.get("metatags", "") + metatag
        return
    descriptions = [node["content"] for node in doctree.findall(nodes.meta)
                    if node.get("name") == "description"]
    if not descriptions:
        logger.warning(
            "no description: give the page one in its front matter, under "
            "myst: html_meta: description:", location=pagename)
        return
    context["meta"] = {**(context["meta"] or {}), "og:description": descriptions[0]}


def drop_second_viewport(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """docutils writes a viewport tag of its own beside furo's: the same, twice on every page."""
    if "metatags" in context:
        context["metatags"] = context["metatags"].replace(DOCUTILS_VIEWPORT, "")


def load_code_files_only_with_code(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Leave the code block styles and copy button off every page without a code block,
    and the code colours out of its head (source/_templates/page.html)."""
    context["page_has_code"] = doctree is not None and any(doctree.findall(nodes.literal_block))
    if context["page_has_code"]:
        return
    for assets in ("css_files", "script_files"):
        context[assets] = [asset for asset in context[assets]
                           if asset.filename not in CODE_ONLY_FILES]


DOCUTILS_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
SITEMAP = "sitemap.xml"
SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"


def writes_site_files(app: Sphinx) -> bool:
    """The HTML build of the root edition, which the site's root holds."""
    return app.builder.name == "html" and not this_edition(app.config).folder


def sitemap(app: Sphinx) -> bytes:
    """Every page of every edition, each with its address in every edition."""
    builder = app.builder
    assert isinstance(builder, StandaloneHTMLBuilder)
    generated = [name for name, written in (("genindex", builder.use_index),
                                            ("search", builder.search)) if written]
    pages = sorted(set(app.env.found_docs) | set(generated))
    urlset = ElementTree.Element("urlset", xmlns=SITEMAP_NAMESPACE)
    for pagename in pages:
        if pagename in app.config.sitemap_excludes:
            continue
        addresses = alternates(app.config, builder.get_target_uri(pagename))
        for _language, address in addresses[:-1]:  # every edition; not x-default again
            url = ElementTree.SubElement(urlset, "url")
            ElementTree.SubElement(url, "loc").text = address
            for hreflang, alternate in addresses:
                ElementTree.SubElement(url, f"{{{XHTML_NAMESPACE}}}link", rel="alternate",
                                       hreflang=hreflang, href=alternate)
    ElementTree.indent(urlset)
    xml: bytes = ElementTree.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return xml + b"\n"


def write_site_files(app: Sphinx, exception: Exception | None) -> None:
    """The sitemap, and robots.txt, which lets every crawler in and points it at the sitemap."""
    if exception is not None or not writes_site_files(app):
        return
    ElementTree.register_namespace("xhtml", XHTML_NAMESPACE)
    outdir = Path(app.outdir)
    (outdir / SITEMAP).write_bytes(sitemap(app))
    (outdir / "robots.txt").write_text(
        f"User-agent: *\nAllow: /\n\nSitemap: {app.config.html_baseurl}{SITEMAP}\n")


def setup(app: Sphinx) -> dict[str, Any]:
    # Which pages are this build's, and which edition it makes.
    app.setup_extension("editions")
    app.add_config_value("generated_page_descriptions", {}, "html", dict)
    app.add_config_value("sitemap_excludes", [], "html", list)
    # Before sphinxext-opengraph (priority 500), which reads og:description from context["meta"].
    app.connect("html-page-context", describe_page, priority=400)
    app.connect("html-page-context", load_code_files_only_with_code)
    app.connect("html-page-context", drop_second_viewport)
    app.connect("build-finished", write_site_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
