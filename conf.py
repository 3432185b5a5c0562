"""Sphinx configuration for the guide.

The book lives in ``source/``; this file stays at the repository root, so every
build passes ``-c .`` (see the Makefile): ``sphinx-build -c . source build/html``.
"""

from __future__ import annotations

import html
import os
import re
import sys
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jinja2
from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ConfigError
from sphinx.util import logging
from sphinx.util.index_entries import split_index_msg

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

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


# -- PDF and EPUB (`make pdf`, `make epub`, `make site`) ----------------------

# One file name for both exports; `make site` offers them under these names.
export_basename = "plain-guide"
export_description = "A plain guide to heroin addiction for people affected and their families."

latex_engine = "pdflatex"
latex_documents = [(root_doc, f"{export_basename}.tex", project, author, "manual")]
latex_show_urls = "footnote"
latex_show_pagerefs = False
latex_use_xindy = False
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
    # Sphinx's own hyperref setup, then the language a screen reader reads the PDF in and
    # what the file is about.
    "hyperref": "\n".join([
        r"\usepackage{hyperref}",
        r"\usepackage{hypcap}",
        r"\urlstyle{same}",
        rf"\hypersetup{{pdflang={{{language}}}, pdfsubject={{{export_description}}}}}",
    ]),
}

# The EPUB 3 package metadata asks for an edition number.
version = release = "1.0"

epub_basename = export_basename
epub_title = project
epub_description = export_description
epub_author = epub_contributor = epub_publisher = author
epub_copyright = copyright
# One fixed identifier, wherever the book is hosted and whenever it is built. Sphinx
# writes epub_uid both as the OPF id and as the NCX dtb:uid, which must equal the
# identifier, so the identifier is also a valid XML id.
epub_identifier = epub_uid = "plain-guide-heroin-addiction"
epub_scheme = "uid"
epub_show_urls = "footnote"
# The chapters' toctree on the home page is hidden on the web (the sidebar lists them);
# the book's table of contents lists them all the same.
epub_tocscope = "includehidden"
# Files for web browsers and crawlers, not for reading systems; the 404 page links from
# the site's root, which a book does not have.
epub_exclude_files = [
    "favicon.ico", "_static/favicon.ico", "sitemap.xml", "robots.txt", "404.xhtml",
    "_static/print.css",
]
epub_tocdepth = 2
# Drawn by draw_epub_cover from the title and author; no cover page, only the image.
EPUB_COVER = "_static/cover.svg"
epub_cover = (EPUB_COVER, "")

# Index pages Sphinx generates; the HTML toctree may list them.
GENERATED_PAGES = frozenset({"genindex", "modindex", "search"})


def drop_generated_pages_from_book_toctrees(app: Sphinx, doctree: nodes.document) -> None:
    """Keep `genindex` in the web navigation only: a book prints its own index at the end.

    Left in, the LaTeX builder warns that the page does not exist and the EPUB spine
    lists the index twice (Sphinx issue #13733).
    """
    if app.builder.format == "html" and app.builder.name not in {"epub"}:
        return
    for toctree in doctree.findall(addnodes.toctree):
        toctree["entries"] = [
            (title, ref) for title, ref in toctree["entries"] if ref not in GENERATED_PAGES
        ]
        toctree["includefiles"] = [
            name for name in toctree["includefiles"] if name not in GENERATED_PAGES
        ]


def open_the_book_with_the_home_page(app: Sphinx, doctree: nodes.document) -> None:
    """Make the home page the PDF's first chapter, and every page after it a chapter.

    LaTeX takes the home page's title for the book's title and its sections for chapters,
    and the chapters its toctree includes would become sections of the section holding the
    toctree. So the home page's content moves into a chapter under the same title, and the
    toctree follows that chapter.
    """
    if app.builder.name != "latex" or app.env.current_document.docname != root_doc:
        return
    home = next(iter(doctree.findall(nodes.section)))
    toctrees = [wrapper for wrapper in home.findall(nodes.compound)
                if "toctree-wrapper" in wrapper["classes"]]
    for wrapper in toctrees:
        wrapper.parent.remove(wrapper)
    title, *content = home.children
    chapter = nodes.section("", title.deepcopy(), *content)
    home.children = []
    home += [title, chapter, *toctrees]


# `make site` names the folder holding the PDF and EPUB in GUIDE_DOWNLOADS: the site then
# publishes them at its root and its sidebar links them. Other builds link no download,
# so no build ever links a file it does not hold.
DOWNLOAD_KINDS = {".pdf": ("PDF", "application/pdf"), ".epub": ("EPUB", "application/epub+zip")}
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/downloads.html",
        "sidebar/scroll-end.html",
        "sidebar/variant-selector.html",
    ],
}


def readable_size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size // 1000} KB"


def offer_downloads(app: Sphinx, config: Config) -> None:
    """Publish the files in GUIDE_DOWNLOADS and list them for sidebar/downloads.html."""
    folder = os.environ.get("GUIDE_DOWNLOADS")
    if not folder:
        return
    files = sorted(Path(folder).glob("*")) if Path(folder).is_dir() else []
    if not files or any(path.suffix not in DOWNLOAD_KINDS for path in files):
        raise ConfigError(
            f"GUIDE_DOWNLOADS={folder} must be a folder holding only the guide's PDF and "
            f"EPUB (`make site` makes it); it holds: "
            f"{', '.join(path.name for path in files) or 'nothing'}")
    files.sort(key=lambda path: list(DOWNLOAD_KINDS).index(path.suffix))
    config.html_extra_path.append(str(Path(folder).resolve()))
    config.html_context["downloads"] = [
        {"file": path.name, "label": DOWNLOAD_KINDS[path.suffix][0],
         "type": DOWNLOAD_KINDS[path.suffix][1], "size": readable_size(path.stat().st_size)}
        for path in files
    ]


def draw_epub_cover(app: Sphinx) -> None:
    """A plain cover for reading apps' shelves: the title and author, drawn as SVG text."""
    if app.builder.name != "epub":
        return
    lines = [html.escape(part) for part in project.replace(": ", ":\n").splitlines()]
    title = "".join(
        f'<text x="300" y="{330 + 90 * number}" font-size="52" font-weight="bold">{line}</text>'
        for number, line in enumerate(lines))
    cover = Path(app.outdir) / EPUB_COVER
    cover.parent.mkdir(parents=True, exist_ok=True)
    cover.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 900" width="600" height="900">'
        '<rect width="600" height="900" fill="#1d3f8f"/>'
        '<g fill="#ffffff" font-family="sans-serif" text-anchor="middle">'
        f'{title}<text x="300" y="800" font-size="30">{html.escape(author)}</text></g></svg>\n')


def style_printed_pages(app: Sphinx) -> None:
    """The web pages' print stylesheet; a book has no browser's print button (and
    epubcheck's CSS parser rejects its :has() selector). The book has its own fixes."""
    if app.builder.name == "epub":
        app.add_css_file("book.css")
    else:
        app.add_css_file("print.css", media="print")


def connect_exports(app: Sphinx) -> None:
    """This section's event handlers; `setup` at the end of this file calls it."""
    # Before Sphinx's toctree collector (priority 500) records the entries.
    app.connect("doctree-read", drop_generated_pages_from_book_toctrees, priority=400)
    app.connect("doctree-read", open_the_book_with_the_home_page)
    app.connect("config-inited", offer_downloads)
    app.connect("builder-inited", style_printed_pages)
    app.connect("builder-inited", draw_epub_cover)

# -- Hosting: GitHub Pages, canonical links, sitemap, social cards, 404 ------

# The published address: a GitHub Pages organisation site (repository
# plain-guide/plain-guide.github.io), served at the host's root. The canonical links,
# the sitemap, robots.txt and the social cards all derive from this one setting.
html_baseurl = "https://plain-guide.github.io/"

extensions += ["sphinx_sitemap", "sphinxext.opengraph", "notfound.extension"]

# One language, one version: page addresses without sphinx-sitemap's /en/ segment.
sitemap_url_scheme = "{link}"
sitemap_filename = "sitemap.xml"
sitemap_excludes = ["search.html", "404.html"]
# sitemap_show_lastmod stays off: dates read from git would make a build from a
# shallow clone or from a folder without git differ from one in a full checkout.

ogp_site_url = html_baseurl
# Social cards are drawn with matplotlib; a text card needs no image at all.
ogp_social_cards = {"enable": False}
ogp_custom_meta_tags = ['<meta name="twitter:card" content="summary" />']
# Every page's description is written by hand (front matter or below), never cut from the text.
ogp_enable_meta_description = False

# The 404 page (source/404.md) is served for a missing address at any depth, so its links
# are absolute: from the site's root here, from /<language>/<version>/ on Read the Docs.
notfound_urls_prefix = urlsplit(os.environ.get("READTHEDOCS_CANONICAL_URL", html_baseurl)).path

# source/_extra/ is copied to the site's root: /favicon.ico, which browsers ask for by name.
html_extra_path = ["source/_extra"]
html_favicon = "source/_extra/favicon.ico"

# The pages Sphinx writes without a source file, and so without front matter.
generated_page_descriptions = {
    "genindex": "Every topic in this guide from A to Z, with links to the pages about "
    "heroin, overdose, withdrawal, treatment and getting help.",
    "search": "Search this plain guide to heroin addiction for a word, such as naloxone, "
    "withdrawal, methadone or overdose.",
}


def describe_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Give every page its meta description, and its social card the same words."""
    if doctree is None:
        if pagename in generated_page_descriptions:
            description = html.escape(generated_page_descriptions[pagename])
            metatag = f'<meta name="description" content="{description}" />'
            context["metatags"] = context.get("metatags", "") + metatag
        return
    descriptions = [node["content"] for node in doctree.findall(nodes.meta)
                    if node.get("name") == "description"]
    if not descriptions:
        logging.getLogger(__name__).warning(
            "no description: give the page one in its front matter, under "
            "myst: html_meta: description:", location=pagename)
        return
    context["meta"] = {**(context["meta"] or {}), "og:description": descriptions[0]}


# What only a page with a code block uses: sphinx-copybutton's button (7 kB gzipped, three
# requests) and the code colours (2 kB, render-blocking). The guide has almost no code, and a
# reader on a slow phone pays for every byte and every request.
CODE_ONLY_FILES = frozenset({
    "_static/pygments.css",
    "_static/copybutton.css", "_static/clipboard.min.js", "_static/copybutton.js",
})


def load_code_files_only_with_code(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Leave the code block styles and copy button off every page without a code block."""
    if doctree is not None and any(doctree.findall(nodes.literal_block)):
        return
    for assets in ("css_files", "script_files"):
        context[assets] = [asset for asset in context[assets]
                           if asset.filename not in CODE_ONLY_FILES]


def write_robots_txt(app: Sphinx, exception: Exception | None) -> None:
    """Let every crawler in and point it at the sitemap, on the one published address."""
    if exception is None and app.builder.name == "html":
        sitemap = app.config.html_baseurl + app.config.sitemap_filename
        (Path(app.outdir) / "robots.txt").write_text(
            f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n")


# -- Search: Sphinx's own search, in the reader's browser, offline ------------

# A word's chapter section ranks above its glossary definition: see the file.
html_search_scorer = str(ROOT / "source/_static/search-scorer.js")

# An index entry that holds a second entry type, as in `single: dope sick; single: cold turkey`.
NESTED_INDEX_ENTRY = re.compile(r"[;,]\s*(single|pair|triple|see|seealso)\s*:")


def check_index_entries(app: Sphinx, doctree: nodes.document) -> None:
    """Index entries are the words readers search for: each its own entry, each marked main.

    Search lists an entry not marked main after every page that merely mentions the word.
    """
    for node in doctree.findall(addnodes.index):
        for entry_type, value, _target, main, _key in node["entries"]:
            if NESTED_INDEX_ENTRY.search(value):
                problem = "holds several entries in one"
            elif main != "main" and entry_type not in {"see", "seealso"}:
                problem = "is not marked main"
            else:
                continue
            logging.getLogger(__name__).warning(
                "index entry %r %s: write each word marked main, comma-separated: "
                "```{index} !dope sick, !cold turkey```", value, problem, location=node)


def search_entries(
    page_entries: list[tuple[str, str, str, str, str | None]],
) -> list[tuple[str, str, str]]:
    """A page's index entries as Sphinx's search indexer records them (IndexBuilder.feed)."""
    found: set[tuple[str, str, str]] = set()
    for entry_type, value, target_id, main, _key in page_entries:
        found |= {(word, target_id or "", main) for word in split_index_msg(entry_type, value)}
    return sorted(found)


def restore_search_index_entries(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """Give the search index the entries of the pages this build did not rewrite.

    Sphinx 9 restores an unchanged page's words and titles from the last searchindex.js,
    but not its index entries (the words readers type, the glossary's terms), so every
    incremental build, as `make html` and `make serve` make, ships an index without them
    (sphinx#12599). The index domain keeps every page's entries current across builds;
    they come from there, after the changed pages are written and before the index is
    dumped (this event), in page order, as a fresh build feeds them.
    """
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None:
        return []
    fed = indexer._index_entries
    page_entries = app.env.domains.index_domain.entries
    restored: dict[str, list[tuple[str, str, str]]] = {}
    for docname, title in sorted(indexer._titles.items()):
        if docname in fed:
            restored[docname] = fed[docname]
        else:  # a page marked no-search is indexed with an empty title and no entries
            restored[docname] = search_entries(page_entries.get(docname, [])) if title else []
    fed.clear()
    fed.update(restored)
    return []


def connect_search(app: Sphinx) -> None:
    app.connect("doctree-read", check_index_entries)
    app.connect("html-collect-pages", restore_search_index_entries)


# -- Reproducible builds: the same sources give the same bytes ---------------

# The oldest date a zip file can hold (1980-01-01).
ZIP_EPOCH = 315532800


def date_the_epub_files(app: Sphinx, exception: Exception | None) -> None:
    """Date every file in the EPUB by SOURCE_DATE_EPOCH, as Sphinx dates the book itself.

    Sphinx zips each file with the time it wrote it, so two builds of the same sources
    would give two different EPUBs. Order and compression stay as Sphinx made them (the
    mimetype first, uncompressed); permissions become a plain file's, whatever the umask.
    """
    source_date_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if exception is not None or app.builder.name != "epub" or source_date_epoch is None:
        return
    epub = Path(app.outdir) / f"{app.config.epub_basename}.epub"
    date_time = time.gmtime(max(int(source_date_epoch), ZIP_EPOCH))[:6]
    with zipfile.ZipFile(epub) as book:
        files = [(info, book.read(info)) for info in book.infolist()]
    with zipfile.ZipFile(epub, "w") as book:
        for info, data in files:
            info.date_time = date_time
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            book.writestr(info, data)


def connect_reproducible_builds(app: Sphinx) -> None:
    app.connect("build-finished", date_the_epub_files)


# -- Build speed ---------------------------------------------------------------


def cache_compiled_templates(app: Sphinx) -> None:
    """Keep the compiled page templates beside the doctrees, for the next build.

    Sphinx compiles every Jinja template anew in each build, which is about a tenth of a
    `make html` after one chapter changes. Jinja checks a template's source before it
    reuses the compiled one, so a changed template is compiled again.
    """
    templates = getattr(app.builder, "templates", None)
    if templates is None:
        return
    cache = Path(app.doctreedir) / "jinja2"
    cache.mkdir(parents=True, exist_ok=True)
    templates.environment.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache))


def connect_build_speed(app: Sphinx) -> None:
    app.connect("builder-inited", cache_compiled_templates)


# -- Event handlers: a conf.py has one setup(); every section connects its own here --


def setup(app: Sphinx) -> None:
    connect_exports(app)
    connect_search(app)
    connect_reproducible_builds(app)
    connect_build_speed(app)
    # Before sphinxext-opengraph (priority 500), which reads og:description from context["meta"].
    app.connect("html-page-context", describe_page, priority=400)
    app.connect("html-page-context", load_code_files_only_with_code)
    app.connect("build-finished", write_robots_txt)
