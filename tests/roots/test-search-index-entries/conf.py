"""A page with good and bad index entries, checked by the guide's own rule."""

import runpy

from conftest import ROOT

GUIDE = runpy.run_path(str(ROOT / "conf.py"))

extensions = ["myst_parser"]


def setup(app):
    app.connect("doctree-read", GUIDE["check_index_entries"])
