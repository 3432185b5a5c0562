"""Sphinx extension: the guide's helplines from one source of truth in conf.py.

Provides the `helpline` directive (see docs/helpline.md), a compact banner
on every page through furo's `announcement` option, and the banner's lines on
the PDF's title page. Every number is parsed and
formatted by `phonenumbers`; a bad setting or a bad directive stops the build.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path
from typing import cast

from sphinx.application import Sphinx
from sphinx.builders.latex import LaTeXBuilder
from sphinx.config import Config
from sphinx.locale import get_translation
from sphinx.util.texescape import escape as escape_tex
from sphinx.util.typing import ExtensionMetadata

from helpline import nodes
from helpline.catalog import DOMAIN, LOCALES, compile_catalog
from helpline.directive import Helpline, ways_to_reach
from helpline.lines import HelpLine, HelplineConfigError, load_lines, select_lines

__version__ = "1.0.0"

HERE = Path(__file__).resolve().parent
_ = get_translation(DOMAIN)


def banner_html(lines: list[HelpLine]) -> str:
    """The banner's HTML: one tap-to-call link per line, every text escaped."""
    links = " ".join(
        f'<a class="helpline-banner-link" href="{escape(line.number.tel_uri)}">'
        f"{escape(line.short_name)} <strong>{escape(line.number.display)}</strong></a>"
        for line in lines
    )
    intro = escape(str(_("Help now:")))
    return f'<p class="helpline-banner"><span class="helpline-banner-intro">{intro}</span> {links}</p>'


def title_page_latex(lines: list[HelpLine]) -> str:
    r"""The lines as LaTeX for the foot of the PDF's title page (\authoraddress), so a
    printed copy handed out at a clinic carries them."""
    rows = [
        rf"\textbf{{{escape_tex(line.name)}}}: {escape_tex(', '.join(way.label for way in ways_to_reach(line)))}"
        for line in lines
    ]
    intro = escape_tex(str(_("Help now:")))
    return rf"\authoraddress{{\textbf{{{intro}}}" + "".join(rf"\\ {row}" for row in rows) + "}"


def print_lines_on_title_page(app: Sphinx) -> None:
    """The banner's lines (free and emergency) on the PDF's title page."""
    if app.builder.name != "latex" or not app.config.helpline_banner:
        return
    lines = load_lines(app.config.helpline_lines, app.config.helpline_region, "conf.py")
    chosen = select_lines(list(app.config.helpline_banner), lines)
    builder = cast(LaTeXBuilder, app.builder)
    builder.context["preamble"] += "\n" + title_page_latex(chosen)


def check_config(app: Sphinx, config: Config) -> None:
    """Read and check every helpline setting once, before any page is read."""
    conf_file = str(Path(app.confdir) / "conf.py")
    lines = load_lines(config.helpline_lines, config.helpline_region, conf_file)
    if not config.helpline_notice:
        config.helpline_notice = list(lines)
    for key in ("helpline_notice", "helpline_banner"):
        names = getattr(config, key)
        if not names:
            continue
        try:
            chosen = select_lines(list(names), lines)
        except ValueError as error:
            raise HelplineConfigError(f"{conf_file}: {key}: {error}") from None
        if key == "helpline_banner" and any(line.is_paid for line in chosen):
            raise HelplineConfigError(
                f"{conf_file}: helpline_banner: the banner has no room for a paid line's disclosure; "
                "use public or emergency lines only"
            )
    if not config.helpline_title.strip():
        raise HelplineConfigError(f"{conf_file}: helpline_title: must be a non-empty string")
    if config.helpline_banner and config.html_theme == "furo":
        if "announcement" in config.html_theme_options:
            raise HelplineConfigError(
                f"{conf_file}: html_theme_options['announcement'] is set; the helpline banner fills it "
                "(set helpline_banner = [] to use your own announcement)"
            )
        banner = banner_html(select_lines(list(config.helpline_banner), lines))
        config.html_theme_options = {**config.html_theme_options, "announcement": banner}
    # Relative to the configuration folder, as Sphinx reads it: an absolute path would go
    # into the build's record of its settings (.buildinfo), which would then differ with
    # the folder the guide is checked out in.
    config.html_static_path.append(os.path.relpath(HERE / "static", app.confdir))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_config_value("helpline_lines", {}, "env", types=frozenset({dict}))
    app.add_config_value("helpline_notice", [], "env", types=frozenset({list, tuple}))
    app.add_config_value("helpline_banner", [], "html", types=frozenset({list, tuple}))
    app.add_config_value("helpline_title", "Get help now", "env", types=frozenset({str}))
    app.add_config_value("helpline_region", "US", "env", types=frozenset({str}))
    # The build's language is known here (conf.py and -D are read), and Sphinx loads the
    # catalog now, so it is compiled first.
    compile_catalog(app.config.language)
    app.add_message_catalog(DOMAIN, str(LOCALES))
    app.add_node(
        nodes.helpline_notice,
        html=(nodes.visit_notice_html, nodes.depart_notice_html),
        latex=(nodes.visit_notice_latex, nodes.depart_notice_latex),
    )
    app.add_node(
        nodes.helpline_heading,
        html=(nodes.visit_heading_html, nodes.depart_heading_html),
        latex=(nodes.visit_heading_latex, nodes.depart_heading_latex),
    )
    app.add_node(
        nodes.helpline_number,
        html=(nodes.visit_number_html, nodes.depart_number_html),
        latex=(nodes.visit_number_latex, None),
    )
    app.add_directive("helpline", Helpline)
    app.add_css_file("helpline.css")
    app.connect("config-inited", check_config)
    app.connect("builder-inited", print_lines_on_title_page)
    return {"version": __version__, "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
