"""Directives a writer could get wrong, each of which must stop the build."""

import runpy
from pathlib import Path

import helpline

ROOT = Path(helpline.__file__).resolve().parent.parent

# The real lines from the guide's conf.py: the tests check the numbers readers get.
globals().update(
    {key: value for key, value in runpy.run_path(str(ROOT / "conf.py")).items() if key.startswith("helpline_")}
)

project = "Helpline test"
extensions = ["myst_parser", "helpline"]
html_theme = "furo"
latex_show_urls = "footnote"
epub_show_urls = "footnote"
man_show_urls = True
texinfo_show_urls = "footnote"
copyright = "2026, test"
version = release = "1.0"
