"""Sphinx configuration for the guide.

The book lives in ``source/``; this file stays at the repository root, so every
build passes ``-c .`` (see the Makefile): ``sphinx-build -c . source build/html``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

# -- Project ------------------------------------------------------------------

project = "Heroin Addiction: A Plain Guide"
author = "The Plain Guide team"
copyright = "2026, The Plain Guide team"
language = "en"

# -- General ------------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx_copybutton",
]

root_doc = "index"
templates_path = ["source/_templates"]
exclude_patterns: list[str] = []
source_suffix = {".md": "markdown"}

myst_enable_extensions = [
    "colon_fence",
    "deflist",
]
myst_heading_anchors = 3

# A reference that does not resolve is an error, never a silent gap.
nitpicky = True

# -- HTML ---------------------------------------------------------------------

html_theme = "furo"
html_title = project
html_static_path = ["source/_static"]
html_show_sourcelink = False
html_copy_source = False
html_show_search_summary = True
