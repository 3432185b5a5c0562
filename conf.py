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
# The guide's own styles (focus rings, hidden drawers): see source/_static/guide.css.
html_css_files = ["guide.css"]
html_show_sourcelink = False
html_copy_source = False
html_show_search_summary = True

# -- Helpline: the one source of truth for every number the guide prints ------
# The `helpline` directive and the banner on every page read these settings;
# chapters never type a number. docs/helpline.md explains each key.

extensions += ["helpline"]

helpline_title = "Get help now"
# The full notice, in this order. The free SAMHSA line stands beside the paid one (S14).
helpline_notice = ["emergency", "lifeline", "samhsa", "general"]
# The banner on every page: public and emergency lines only (no room for a disclosure).
helpline_banner = ["emergency", "lifeline", "samhsa"]
helpline_region = "US"
helpline_lines = {
    "emergency": {
        "name": "911 emergency services",
        "short_name": "Emergency",
        "number": "911",
        "kind": "emergency",
        "purpose": "Call 911 for an overdose or any emergency where a life is at risk. "
        "If you have naloxone, give it, then call.",
        "hours": "Any time, day or night.",
    },
    "lifeline": {
        "name": "988 Suicide & Crisis Lifeline",
        "short_name": "Crisis",
        "number": "988",
        "text": "988",
        "kind": "public",
        "purpose": "For a drug or alcohol crisis, a mental health crisis or thoughts of suicide. "
        "You can also reach out about a loved one you are worried about.",
        "hours": "24 hours a day, 7 days a week, 365 days a year. Free and confidential.",
        "languages": "English and Spanish, with phone interpreters in more than 240 languages.",
    },
    "samhsa": {
        "name": "SAMHSA's National Helpline",
        "short_name": "Free helpline",
        "number": "1-800-662-HELP",
        "tty": "1-800-487-4889",
        "kind": "public",
        "purpose": "Free, confidential help to find treatment, support groups and local services, "
        "for you or your family. It does not ask for personal information.",
        "hours": "24 hours a day, 7 days a week, 365 days a year.",
        "languages": "English and Spanish.",
    },
    "general": {
        "name": "The general helpline",
        "short_name": "General helpline",
        "number": "888-905-9004",
        "kind": "paid",
        "purpose": "A line to talk with someone about treatment now.",
        "claims": ["A response in about 1 minute.", "A 100% response rate."],
        "disclosure": {
            "Where do calls go?": "A call to the number on a treatment center's listing goes to "
            "that center. A call to the general helpline goes to a treatment partner.",
            "Who answers?": "A treatment partner answers the general helpline. The partner is "
            "a paid advertiser on this site. Calls are private and confidential.",
        },
    },
}
