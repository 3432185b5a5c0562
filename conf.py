"""Sphinx configuration for the guide.

The book lives in ``source/``; this file stays at the repository root, so every
build passes ``-c .`` (see the Makefile): ``sphinx-build -c . source build/html``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# helpline/ is the helpline extension; extensions/ holds the site's own, one per file.
sys.path[:0] = [str(ROOT), str(ROOT / "extensions")]

# -- Project ------------------------------------------------------------------

project = "Heroin Addiction: A Plain Guide"
author = "The Plain Guide team"
copyright = "2026, The Plain Guide team"
language = "en"

# -- Editions: English at the root, Spanish at /es/ (docs/translating.md) ----
# A Spanish build is this configuration with `-D language=es`: the Makefile's, and Read
# the Docs'. The translations are gettext catalogs, one per page, in source/locales/.

# The one list of the editions: the first at the site's root, each other one in a folder
# named by its language (/es/). `name`: the language in its own words, as the link to it
# reads on every page; `locale`: the social cards' og:locale. Spanish is es_US: written for
# readers in the US (their helplines, their laws), in neutral Latin American Spanish. The
# Makefile's TRANSLATIONS are the editions after the first (tests/test_hosting.py checks).
# Each edition's address, canonical links and links to the others: extensions/editions.py.
editions = {
    "en": {"name": "English", "locale": "en_US"},
    "es": {"name": "Español", "locale": "es_US"},
}

locale_dirs = ["locales"]  # relative to source/
gettext_compact = False
# Catalogs list each text's file and line, so a translator sees where it comes from.
gettext_location = True
gettext_uuid = False
# Index entries are the words readers search for: each edition has its own.
gettext_additional_targets = ["index"]

# -- General ------------------------------------------------------------------

extensions = [
    # The editions' addresses and links (above); `make gettext` reads the templates' texts.
    "editions",
    "page_messages",
    "translation_speed",
    "myst_parser",
    "sphinx_copybutton",
    "build_speed",
    # Each page's <h1> heads its main article: see extensions/page_outline.py.
    "page_outline",
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

# conf.py's own texts (titles, descriptions, helplines) are translated once, in conf.po, and
# a translated edition's build stops on a stale or missing translation: docs/translating.md.
extensions += ["conf_texts", "translation_check"]

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
        # The overdose steps in the order source/overdose.md gives them (S17, S18).
        "purpose": "Call 911 for an overdose or any emergency where a life is at risk, and give "
        "naloxone if you have it. If the person is not breathing, or only gasping, give rescue "
        "breaths or CPR: the 911 dispatcher will tell you how. Once they breathe, lay them on "
        "their side. Stay with them until help comes.",
    },
    "lifeline": {
        "name": "988 Suicide & Crisis Lifeline",
        "short_name": "Crisis",
        "number": "988",
        "text": "988",
        "kind": "public",
        "purpose": "For a drug or alcohol crisis, a mental health crisis or thoughts of suicide. "
        "You can also reach out about a loved one you are worried about. "
        "For an overdose, call 911, not 988.",
        "hours": "24 hours a day, 7 days a week, 365 days a year. Free and confidential.",
        "languages": "English and Spanish: to talk in Spanish, call and press 2, or text AYUDA "
        "to 988. Phone interpreters for more than 240 languages.",
        "notes": [
            "Veterans: call 988 and press 1, or text 838255.",
            "You can also chat at 988lifeline.org. People who use American Sign Language can "
            "choose ASL Now there.",
            "A call from a cell phone goes to a crisis center near where the phone is, "
            "not by its area code.",
        ],
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
    # The seed page's line (../shared/facts.md section 16): a business answers, so the
    # notice says where a call goes and shows the provider's claims as its own, unchecked.
    "general": {
        "name": "The general helpline",
        "short_name": "General helpline",
        "number": "888-905-9004",
        "kind": "paid",
        "purpose": "A line to talk with someone about treatment now.",
        "claims": [
            "A response in about 1 minute.",
            "A 100% response rate.",
            "Calls are private and confidential.",
        ],
        "disclosure": {
            "Where do calls go?": "A call to the number on a treatment center's listing goes to "
            "that center. A call to the general helpline goes to a treatment partner. Your call, "
            "or your phone number, may be passed on to a treatment business, and that business "
            "may call you back.",
            "Who answers?": "A treatment partner answers the general helpline. The partner is a "
            "treatment business that pays to advertise on this site. For free help from a public "
            "service, call SAMHSA's National Helpline.",
        },
    },
}

# -- PDF and EPUB (`make pdf`, `make epub`, `make site`) ----------------------

# Each edition's PDF and EPUB take their file name, title, description and language from
# these settings and `project`, `author`, `language` (extensions/book_exports.py): English
# plain-guide.pdf and .epub, a translation plain-guide-<language>.pdf and .epub.
export_basename = "plain-guide"
export_description = "A plain guide to heroin addiction for people affected and their families."

latex_engine = "pdflatex"
latex_show_urls = "footnote"
latex_show_pagerefs = False
# xindy sorts the index in the edition's language: makeindex would put "síntomas" after
# "suboxone" and a word that starts with an accent after Z.
latex_use_xindy = True
latex_elements = {
    "papersize": "letterpaper",
    "pointsize": "11pt",
    # Chapters start on the next page, left or right: no blank pages in between.
    "extraclassoptions": "openany,oneside",
    "fncychap": "",
    # A long web address in a footnote may break at its hyphens too, not only at its slashes.
    "passoptionstopackages": r"\PassOptionsToPackage{hyphens}{url}",
    "geometry": r"\usepackage[headheight=14pt]{geometry}",
    # The outline (PDF bookmarks) lists chapters, sections and subsections.
    "sphinxsetup": "hmargin={1in,1in}, vmargin={1in,1in}, bookmarksdepth=2",
    "releasename": "Version",
    "preamble": "\n".join([
        # The printed contents list chapters and their sections, whatever the toctree's maxdepth.
        r"\AtBeginDocument{\setcounter{tocdepth}{1}}",
        # Index words in the text face: they are plain words, not code.
        r"\protected\def\sphinxstyleindexentry#1{#1}",
    ]),
    "printindex": r"\footnotesize\raggedright\printindex",
    # Sphinx's own hyperref setup; each edition adds its language and description.
    "hyperref": "\n".join([
        r"\usepackage{hyperref}",
        r"\usepackage{hypcap}",
        r"\urlstyle{same}",
    ]),
}

# The EPUB 3 package metadata asks for an edition number.
version = release = "1.0"

epub_author = epub_contributor = epub_publisher = author
epub_copyright = copyright
# One fixed identifier, wherever the book is hosted and whenever it is built; a translation,
# another book, adds its language. Sphinx writes epub_uid both as the OPF id and as the NCX
# dtb:uid, which must equal the identifier, so the identifier is also a valid XML id.
epub_identifier = epub_uid = "plain-guide-heroin-addiction"
epub_scheme = "uid"
epub_show_urls = "footnote"
# The chapters' toctree on the home page is hidden on the web (the sidebar lists them);
# the book's table of contents lists them all the same.
epub_tocscope = "includehidden"
# Files for web browsers and crawlers, not for reading systems; the 404 page links from
# the site's root, which a book does not have.
epub_exclude_files = [
    "favicon.ico", "favicon.svg", "_static/favicon.svg",
    "404.xhtml", "_static/print.css", "_static/sidebar-keys.js", "_static/search-words.js",
    "_static/hide-search-matches.js",
    # The search page's code: a book has no search page.
    "_static/guide-search.js",
    "_static/minisearch/index.js", "_static/minisearch/index.js.map", "_static/minisearch/LICENSE.txt",
]
epub_tocdepth = 2
# Drawn by draw_epub_cover from the title and author; no cover page, only the image.
epub_cover = ("_static/cover.svg", "")

# The book's chapters, cover, dates and the site's downloads: see extensions/book_exports.py.
extensions += ["book_exports"]

# furo's sidebar, with the links to the other editions under the title, and the PDF and
# EPUB links (shown by `make site` only) under the chapters.
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/editions.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/downloads.html",
        "sidebar/scroll-end.html",
        "sidebar/variant-selector.html",
    ],
}


# -- Hosting: GitHub Pages, canonical links, sitemap, social cards, 404 ------

# The published address: a GitHub Pages organisation site (repository
# plain-guide/plain-guide.github.io), served at the host's root. The canonical links,
# the sitemap, robots.txt, the social cards and the 404 page's links all derive from this
# one setting; a translation's build gets its folder's address (…/es/), its social cards
# and 404 page follow (extensions/editions.py).
html_baseurl = "https://plain-guide.github.io/"

extensions += ["sphinxext.opengraph", "notfound.extension"]

# The pages a search engine need not index; the sitemap lists every other page of every
# edition (extensions/hosting.py). It has no dates: dates read from git would make a
# build from a shallow clone or from a folder without git differ from one in a full checkout.
sitemap_excludes = ["search", "404"]

# Social cards are drawn with matplotlib; a text card needs no image at all.
ogp_social_cards = {"enable": False}
ogp_custom_meta_tags = ['<meta name="twitter:card" content="summary" />']
# Every page's description is written by hand (front matter or below), never cut from the text.
ogp_enable_meta_description = False

# The 404 page (source/404.md) is served for a missing address at any depth, so its links
# are absolute: from the edition's folder here, from /<language>/<version>/ on Read the
# Docs (notfound_urls_prefix, set by extensions/editions.py).

# source/_extra/ is copied to the site's root: /favicon.ico, which browsers ask for by name.
html_extra_path = ["source/_extra"]
# Pages link the same icon drawn as SVG: a third of the ICO's bytes on every first visit.
html_favicon = "source/_extra/favicon.svg"

# Meta descriptions, lean assets, robots.txt: see extensions/hosting.py.
extensions += ["hosting"]
# One stylesheet (unused rules removed by PurgeCSS) and one script per page: see
# extensions/asset_bundle.py. What scripts add under names no page or script spells out,
# kept all the same: the theme furo sets on <body> (`dataset.theme`), and the classes of
# Sphinx's search results (`kind-${kind}`).
extensions += ["asset_bundle"]
bundle_safelist = ["data-theme", "kind-index", "kind-object", "kind-text", "kind-title"]

# The pages Sphinx writes without a source file, and so without front matter.
generated_page_descriptions = {
    "genindex": "Every topic in this guide from A to Z, with links to the pages about "
    "heroin, overdose, withdrawal, treatment and getting help.",
    "search": "Search this plain guide to heroin addiction for a word, such as naloxone, "
    "withdrawal, methadone or overdose.",
}


# -- Search: MiniSearch over the guide's sections, in the reader's browser, offline --------
# Only the search page loads it (source/_templates/search.html); docs/search.md explains it.

# Index entries checked, and kept after an incremental build: see extensions/search_index.py.
extensions += ["search_index"]

# The search page's data, with the words readers use: see extensions/reader_search.py.
extensions += ["reader_search"]
# Readers' words for each section (street, medical, symptoms...), kept by the writers, one
# file per edition (relative to source/): docs/authoring.md, "Add search terms".
search_words_files = {"en": "search-words.txt", "es": "locales/es/search-words.txt"}
# A chapter's section ranks above the glossary's definition of the same word, and both
# above the home and About pages, which only mention what the chapters answer.
search_page_weights = {"glossary": 0.5, "index": 0.3, "about": 0.3}

# -- Privacy: nothing stored, nothing from other hosts, no referrer -----------

# The search page (source/_static/guide-search.js) keeps its words in the result links,
# never on the device; Sphinx's "Hide Search Matches" link works under the policy: see the file.
html_js_files = ["hide-search-matches.js"]

# A Content-Security-Policy on every page, hashed from the written pages, and no
# referrer: see extensions/privacy.py.
extensions += ["privacy"]
