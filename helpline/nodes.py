"""The notice's nodes and the visitors that differ from the standard ones.

Each node subclasses a standard docutils node. Sphinx's translators look up a
visitor along the node's class hierarchy, so a builder with no visitor of its
own (text, man, texinfo) renders the standard parent: a container, a
paragraph, a reference. Only HTML (a labelled <section> with real headings) and
LaTeX (a framed box; numbers as plain text, never a "tel:" footnote) differ.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator
from sphinx.writers.latex import LaTeXTranslator


class helpline_notice(nodes.container):
    """A helpline region: `style` is "full" or "compact"; `label` names it for
    assistive technology when it has no visible title."""


class helpline_heading(nodes.paragraph):
    """A heading inside the notice; `level` counts from the enclosing section
    (1 = one below the section's own heading)."""


class helpline_number(nodes.reference):
    """A tel: or sms: link to a number; its text is the number in full."""


def visit_notice_html(self: HTML5Translator, node: helpline_notice) -> None:
    # A labelled <section> is a region landmark. A labelled <aside> inside <main>
    # would be a complementary landmark, which belongs at the top level.
    attributes = {"aria-labelledby": node["title_id"]} if node.get("title_id") else {"aria-label": node["label"]}
    self.body.append(self.starttag(node, "section", "", **attributes))


def depart_notice_html(self: HTML5Translator, node: helpline_notice) -> None:
    self.body.append("</section>\n")


def _html_heading_tag(self: HTML5Translator, node: helpline_heading) -> str:
    return f"h{min(6, self.section_level + node['level'])}"


def visit_heading_html(self: HTML5Translator, node: helpline_heading) -> None:
    self.body.append(self.starttag(node, _html_heading_tag(self, node), ""))


def depart_heading_html(self: HTML5Translator, node: helpline_heading) -> None:
    self.body.append(f"</{_html_heading_tag(self, node)}>\n")


def visit_number_html(self: HTML5Translator, node: helpline_number) -> None:
    # An e-reader cannot send a text message, and EPUBCheck warns about sms: links.
    if self.builder.name == "epub" and node["refuri"].startswith("sms:"):
        self.body.append(self.encode(node.astext()))
        raise nodes.SkipNode
    self.visit_reference(node)


def depart_number_html(self: HTML5Translator, node: helpline_number) -> None:
    self.depart_reference(node)


def visit_notice_latex(self: LaTeXTranslator, node: helpline_notice) -> None:
    self.body.append("\n\n\\begin{sphinxShadowBox}\n")


def depart_notice_latex(self: LaTeXTranslator, node: helpline_notice) -> None:
    self.body.append("\n\\end{sphinxShadowBox}\n\n")


def visit_heading_latex(self: LaTeXTranslator, node: helpline_heading) -> None:
    size = "\\large" if node["level"] == 1 else "\\normalsize"
    self.body.append(f"\n\n\\medskip\\noindent{{{size}\\sphinxstylestrong{{")


def depart_heading_latex(self: LaTeXTranslator, node: helpline_heading) -> None:
    self.body.append("}}\\par\\nobreak\n")


def visit_number_latex(self: LaTeXTranslator, node: helpline_number) -> None:
    # Printed in full as plain text: a link here would make latex_show_urls
    # add a "tel:+1..." footnote, and paper cannot dial.
    self.body.append(self.encode(node.astext()))
    raise nodes.SkipNode
