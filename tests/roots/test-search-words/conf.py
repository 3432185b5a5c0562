"""A book whose reader words file holds every mistake a writer can make, and one good word."""

import runpy
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "extensions"))

# The guide's helplines: the search page shows them when nothing matches.
globals().update(
    {key: value for key, value in runpy.run_path(str(ROOT / "conf.py")).items() if key.startswith("helpline_")}
)

extensions = ["myst_parser", "helpline", "reader_search"]
html_theme = "furo"
