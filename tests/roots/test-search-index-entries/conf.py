"""A page with good and bad index entries, checked by the guide's own rule."""

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "extensions"))

extensions = ["myst_parser", "search_index"]
