"""What the hosted site adds to every page: a meta description, lean assets, robots.txt.

- Every page gets a meta description, and its social card the same words: a chapter from
  its front matter (a chapter without one is a warning, so the strict build stops), the
  pages Sphinx generates from ``generated_page_descriptions`` in conf.py.
- sphinx-copybutton's button and the code colours load only on pages with a code block:
  the guide has almost none, and a reader on a slow phone pays for every byte and request.
  (extensions/asset_bundle.py then gives such a page ``site-code.js``, and joins the code
  styles to ``site.css`` only when some page has code.)
- ``robots.txt`` lets every crawler in and names the sitemap at ``html_baseurl``.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
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


def load_code_files_only_with_code(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Leave the code block styles and copy button off every page without a code block."""
    if doctree is not None and any(doctree.findall(nodes.literal_block)):
        return
    for assets in ("css_files", "script_files"):
        context[assets] = [asset for asset in context[assets]
                           if asset.filename not in CODE_ONLY_FILES]


def write_robots_txt(app: Sphinx, exception: Exception | None) -> None:
    """Let every crawler in and point it at the sitemap, on the one published address."""
    if exception is None and app.builder.name == "html":
        sitemap = app.config.html_baseurl + app.config.sitemap_filename
        (Path(app.outdir) / "robots.txt").write_text(
            f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("generated_page_descriptions", {}, "html", dict)
    # Before sphinxext-opengraph (priority 500), which reads og:description from context["meta"].
    app.connect("html-page-context", describe_page, priority=400)
    app.connect("html-page-context", load_code_files_only_with_code)
    app.connect("build-finished", write_robots_txt)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
