"""The page's outline as browsers, screen readers and the Nu Html Checker read it.

Docutils writes a page's title section as ``<section>`` and furo puts the page in an
``<article role="main">``, so each page's ``<h1>`` sits two sectioning elements deep: the
checker warns that the article lacks a heading and that the ``<h1>`` is not a top-level
heading. The title section becomes a ``<div>`` (with the same id and classes), so the
``<h1>`` heads the article itself; the sections below it stay ``<section>`` elements.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def is_title_section(node: nodes.section) -> bool:
    return isinstance(node.parent, nodes.document)


def visit_section(translator: HTML5Translator, node: nodes.section) -> None:
    if not is_title_section(node):
        HTML5Translator.visit_section(translator, node)
        return
    translator.section_level += 1
    translator.body.append(translator.starttag(node, "div"))


def depart_section(translator: HTML5Translator, node: nodes.section) -> None:
    if not is_title_section(node):
        HTML5Translator.depart_section(translator, node)
        return
    translator.section_level -= 1
    translator.body.append("</div>\n")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(nodes.section, override=True, html=(visit_section, depart_section))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
