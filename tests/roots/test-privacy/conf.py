"""A page with an inline event handler, which the policy blocks, and an inline script."""

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "extensions"))

extensions = ["myst_parser", "privacy"]
