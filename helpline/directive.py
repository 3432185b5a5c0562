"""The `helpline` directive: the configured lines as a notice in the page."""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import OptionSpec

from helpline.catalog import DOMAIN
from helpline.lines import HelpLine, load_lines, select_lines
from helpline.nodes import helpline_heading, helpline_notice, helpline_number

_ = get_translation(DOMAIN)

STYLES = ("full", "compact")


def kind_label(line: HelpLine) -> str:
    """Who the reader is calling, in words: shown with every line."""
    labels = {
        "paid": _("Paid line: an advertiser answers. Not a public service."),
        "public": _("Free public service"),
        "emergency": _("Public emergency service"),
    }
    return str(labels[line.kind])


class WayToReach(NamedTuple):
    label: str  # "Call 988", "Text 988", "TTY 1-800-487-4889"
    uri: str
    css_class: str


def ways_to_reach(line: HelpLine) -> list[WayToReach]:
    """Call, text, TTY: every way to reach a line, each with its label and link."""
    ways = [(_("Call {number}"), line.number, line.number.tel_uri, "helpline-call")]
    if line.text:
        ways.append((_("Text {number}"), line.text, line.text.sms_uri, "helpline-text"))
    if line.tty:
        ways.append((_("TTY {number}"), line.tty, line.tty.tel_uri, "helpline-tty"))
    return [WayToReach(str(label).format(number=number.display), uri, css_class)
            for label, number, uri, css_class in ways]


class Helpline(SphinxDirective):
    """```{helpline} [line names]``` with `:style: full|compact` and `:title:`."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[OptionSpec] = {
        "style": lambda argument: directives.choice(argument, STYLES),
        "title": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        config = self.config
        # Checked at config-inited already, so no error here can name conf.py wrongly.
        lines = load_lines(config.helpline_lines, config.helpline_region, "conf.py")
        names = self.arguments[0].split() if self.arguments else list(config.helpline_notice)
        try:
            chosen = select_lines(names, lines)
        except ValueError as error:
            raise self.error(f"helpline: {error}") from None
        style = self.options.get("style", "full")
        title = self.options.get("title", config.helpline_title).strip()
        if not title:
            raise self.error("helpline: the title is empty; set :title: or helpline_title in conf.py")
        return [self.notice(chosen, style, title)]

    def notice(self, lines: list[HelpLine], style: str, title: str) -> helpline_notice:
        serial = self.env.new_serialno("helpline")
        id_prefix = nodes.make_id(f"helpline-{self.env.docname}-{serial}")
        notice = helpline_notice(classes=["helpline", f"helpline-{style}"], style=style)
        if style == "full":
            notice["title_id"] = f"{id_prefix}-title"
            heading = self.heading(title, level=1, ids=[notice["title_id"]])
            if "title" in self.options:
                # The page's own words: translated with the page, in its catalog.
                self.set_source_info(heading)
            notice += heading
        else:
            # Unique on the page, as each landmark's name should be.
            notice["label"] = f"{title}: {', '.join(line.name for line in lines)}"
        line_level = 2 if style == "full" else 1
        for line in lines:
            notice += self.line_block(line, style, line_level, id_prefix)
        return notice

    def line_block(self, line: HelpLine, style: str, level: int, id_prefix: str) -> nodes.container:
        block = nodes.container(classes=["helpline-line", f"helpline-{line.key}", f"helpline-kind-{line.kind}"])
        block += self.heading(line.name, level=level, ids=[f"{id_prefix}-{line.key}"])
        block += nodes.paragraph("", kind_label(line), classes=["helpline-label"])
        if style == "full":
            block += self.paragraph(line.purpose, "helpline-purpose")
        block += self.actions(line)
        if style == "full":
            block += self.details(line)
        if line.claims:
            block += nodes.paragraph("", str(_("The provider says:")), classes=["helpline-claims-intro"])
            claims = nodes.bullet_list(classes=["helpline-claims"])
            for claim in line.claims:
                claims += nodes.list_item("", self.paragraph(claim))
            block += claims
            block += nodes.paragraph("", str(_("We have not checked these claims.")), classes=["helpline-unchecked"])
        for heading, text in line.disclosure:
            block += self.heading(heading, level=level + 1, classes=["helpline-disclosure-heading"])
            block += self.paragraph(text, "helpline-disclosure")
        return block

    def actions(self, line: HelpLine) -> nodes.bullet_list:
        """One tap target per way to reach the line: call, text, TTY."""
        actions = nodes.bullet_list(classes=["helpline-actions"])
        for way in ways_to_reach(line):
            link = helpline_number(way.label, way.label, refuri=way.uri, classes=[way.css_class])
            actions += nodes.list_item("", nodes.paragraph("", "", link))
        return actions

    def details(self, line: HelpLine) -> list[nodes.Element]:
        fields = nodes.field_list(classes=["helpline-details"])
        for label, value in ((_("Hours"), line.hours), (_("Languages"), line.languages)):
            if value:
                # Sphinx gives a field name its page's source line, which would put the label
                # in the page's catalog: it is the extension's own (helpline.po).
                name = nodes.field_name("", str(label), translatable=False)
                fields += nodes.field("", name, nodes.field_body("", self.paragraph(value)))
        shown: list[nodes.Element] = [fields] if fields.children else []
        return shown + [self.paragraph(note, "helpline-note") for note in line.notes]

    # Texts from conf.py carry no source line, so `make gettext` leaves them out of the
    # page's catalog: they are translated once, in conf.po (extensions/conf_texts.py).

    def heading(self, text: str, *, level: int, **attributes: list[str]) -> helpline_heading:
        heading = helpline_heading(text, text, level=level, **attributes)
        heading["classes"].insert(0, "helpline-heading")
        return heading

    def paragraph(self, text: str, css_class: str = "") -> nodes.paragraph:
        """Text from conf.py as its own paragraph."""
        return nodes.paragraph(text, text, classes=[css_class] if css_class else [])
