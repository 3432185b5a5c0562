"""Sphinx extension: the guide's helplines from one source of truth in conf.py.

Provides the `helpline` directive (see docs/helpline.md) and a compact banner
on every page through furo's `announcement` option. Every number is parsed and
formatted by `phonenumbers`; a bad setting or a bad directive stops the build.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import get_translation
from sphinx.util.typing import ExtensionMetadata

from helpline import nodes
from helpline.directive import Helpline
from helpline.lines import HelpLine, HelplineConfigError, load_lines, select_lines

__version__ = "1.0.0"

HERE = Path(__file__).resolve().parent
_ = get_translation("helpline")


def banner_html(lines: list[HelpLine]) -> str:
    """The banner's HTML: one tap-to-call link per line, every text escaped."""
    links = " ".join(
        f'<a class="helpline-banner-link" href="{escape(line.number.tel_uri)}">'
        f"{escape(line.short_name)} <strong>{escape(line.number.display)}</strong></a>"
        for line in lines
    )
    intro = escape(str(_("Help now:")))
    return f'<p class="helpline-banner"><span class="helpline-banner-intro">{intro}</span> {links}</p>'


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
    app.add_message_catalog("helpline", str(HERE / "locales"))
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
    return {"version": __version__, "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
