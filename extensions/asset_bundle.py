"""One stylesheet and one script for every web page, with the rules no page uses removed.

A reader on a slow phone pays a round trip for every file, and sees nothing until every
stylesheet has arrived. So each page of the HTML builders loads:

- ``_static/site.css``: every local stylesheet the pages would load (furo's, the
  helpline's, ours, the code colours, the copy button's), in the order Sphinx gives them,
  the print stylesheet inside ``@media print``. PurgeCSS then removes every rule, custom
  property and keyframe that no built page and no script they load uses, and esbuild
  minifies the rest; both are pinned in package.json and run from ``node_modules``. What
  a script adds under a name no page or script spells out (``kind-${kind}``) is kept by
  ``bundle_safelist`` in conf.py. PurgeCSS keeps a selector whose names all appear
  somewhere (``.sidebar-tree .reference.external``: each name is on some page, never in
  that order); between the two, each selector is matched against every built page
  (tinycss2 reads the rules, soupsieve matches them) and the selectors no page has are
  dropped. A selector that names what a script adds (a name in a script's strings that no
  page has, like ``scrolled``) or holds ``:is()``, ``:where()`` or ``:has()`` is kept;
  states (``:hover``) and attribute values (``[data-theme=dark]``) are left out of the
  match, so a selector is kept if any state of a page could match it.
- one script, minified by esbuild (licence comments kept), deferred, at the end of the
  page: ``_static/site.js`` (furo's theme toggle and scrolling, the phone sidebars'
  keyboard buttons). furo's script is rebuilt from its own sources, which its source map
  carries, with ``source/_static/toc-spy.js`` in place of gumshoe, the scrollspy that was
  three fifths of its weight. A reader who arrives from a search result (``?highlight=``) also
  gets ``_static/site-highlight.js``, Sphinx's scripts that mark their words
  (source/_static/search-words.js loads it); no other visit pays for it. A page with a
  code block (extensions/hosting.py decides) gets ``_static/site-code.js`` instead, with
  Sphinx's scripts and sphinx-copybutton.

Any other script (the search page's index and search code) keeps its own tag. The bundles
are written once the pages are; each page's links then get the checksum of the final
bundle, as Sphinx gives its own links, so a browser never keeps a stale copy. The pages
lose, at the same time, their comments and the indentation and blank lines furo's
templates give their markup (3% of a page gzipped), outside ``pre``, ``textarea``,
``script`` and ``style``, where whitespace means something: a browser draws the page the
same.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import zlib
from importlib.resources import files
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import soupsieve
import tinycss2
from bs4 import BeautifulSoup, Tag
from editions import own_pages
from hosting import CODE_ONLY_FILES
from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript
from sphinx.errors import ExtensionError
from sphinx.locale import _

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

BUNDLING_BUILDERS = frozenset({"html", "dirhtml", "singlehtml"})
STYLESHEET = "_static/site.css"
OPTIONS = "_static/documentation_options.js"
# The one message of their own that Sphinx's scripts here show (sphinx_highlight.js).
SCRIPT_MESSAGES = ("Hide Search Matches",)
# Sphinx gives a translation's pages the whole catalog of its scripts' messages,
# translations.js, which builds its plural rule with `new Function`: the Content-Security-
# Policy (no 'unsafe-eval') stops it, and every script after it in a bundle. The pages go
# without it; the bundles carry SCRIPT_MESSAGES in the page's language instead, written by
# write_messages where doctools.js looks them up.
SPHINX_TRANSLATIONS = "_static/translations.js"
MESSAGES = "_static/script-messages.js"
# Sphinx's options, helpers, messages and search-word highlighting, and the script that lets
# its "Hide Search Matches" work under the site's Content-Security-Policy (conf.py:
# html_js_files): only pages that run Sphinx's highlighting need it.
SPHINX_SCRIPTS = (OPTIONS, "_static/doctools.js", MESSAGES, "_static/sphinx_highlight.js",
                  "_static/hide-search-matches.js")
# furo's theme toggle and scroll handling; the phone sidebars' keyboard buttons.
FURO_SCRIPT = "_static/scripts/furo.js"
THEME_SCRIPTS = (FURO_SCRIPT, "_static/sidebar-keys.js")
# furo's script as its wheel ships it, webpack-built, with the sources in its map; the one
# module the bundle takes from them, and the one it replaces (source/_static/toc-spy.js).
FURO_SOURCE_MAP = files("furo") / "theme" / "furo" / "static" / "scripts" / "furo.js.map"
FURO_MODULE = "src/furo/assets/scripts/furo.js"
FURO_SCROLLSPY = "gumshoe-patched.js"
TOC_SPY = "_static/toc-spy.js"
FURO_LICENCE = (b"/*! furo's script: MIT License, (c) 2020 Pradyun Gedam, github.com/pradyunsg/furo;"
                b" its scrollspy replaced by toc-spy.js */\n")
CODE_SCRIPTS = ("_static/clipboard.min.js", "_static/copybutton.js")
PAGE_SCRIPT = "_static/site.js"
CODE_SCRIPT = "_static/site-code.js"
HIGHLIGHT_SCRIPT = "_static/site-highlight.js"
# Each page loads Sphinx's scripts once at most: a page whose bundle holds them does not
# load the highlighting bundle as well (their constants cannot be declared twice).
SCRIPT_BUNDLES = {
    PAGE_SCRIPT: (*THEME_SCRIPTS, "_static/search-words.js"),
    # sphinx-copybutton reads Sphinx's options.
    CODE_SCRIPT: (*SPHINX_SCRIPTS, *THEME_SCRIPTS, *CODE_SCRIPTS),
    HIGHLIGHT_SCRIPT: SPHINX_SCRIPTS,
}
BUNDLED_SCRIPTS = frozenset(name for names in SCRIPT_BUNDLES.values() for name in names)
LEFT_OUT_SCRIPTS = BUNDLED_SCRIPTS | {SPHINX_TRANSLATIONS}
# The index Sphinx still writes for its own search.
SEARCH_INDEX = "searchindex.js"
# Scripts whose strings are the guide's words or a library's messages, not classes: Sphinx's
# search index, and the search page's data and search library (extensions/reader_search.py).
WORD_SCRIPTS = (SEARCH_INDEX, "search-data.js", "minisearch/index.js")
# The bundles' members whose strings are words too: Sphinx's messages in the page's language.
WORD_MEMBERS = frozenset({MESSAGES})
NODE_TOOLS = Path("node_modules")
# Source map comments: the maps stay behind, and a comment mid-bundle would point nowhere.
SOURCE_MAP = re.compile(rb"^//# sourceMappingURL=.*$", re.MULTILINE)
CSS_SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/")
SCRIPT_SOURCE = re.compile(r'<script[^>]*\ssrc="([^"]+)"')
CARRIAGE_RETURN = b"\r"
# Markup whose whitespace counts, kept whole; and a line break's indentation and blank lines
# after it elsewhere, which a browser reads as one space, as it reads the line break alone.
WHITESPACE_KEPT = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)", re.DOTALL | re.IGNORECASE)
INDENTATION = re.compile(r"\n\s+")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# PurgeCSS reads the pages with its HTML parser (tags, classes, ids, attributes; not the
# words of the text), and in the scripts the words of their strings, where the classes
# they add are ("scroll-current", `<button class="copybtn">`), not every name in the code.
PURGECSS_CONFIG = """\
const wordsInStrings = (script) =>
  (script.match(/(["'`])(?:\\\\.|(?!\\1)[^\\\\])*\\1/g) || []).join(" ").match(/[\\w-]+/g) || [];
module.exports = {{
  css: {css},
  content: {content},
  safelist: {safelist},
  variables: true,
  keyframes: true,
  extractors: [
    {{extractor: require({extractor}), extensions: ["html"]}},
    {{extractor: wordsInStrings, extensions: ["js"]}},
  ],
}};
"""


# The structural match (drop_unmatched_selectors): the names a selector spells (classes,
# ids, attributes); the pseudo-classes and pseudo-elements left out of the match, and
# the functions it cannot leave out; an attribute's value, left out too.
SELECTOR_NAMES = re.compile(r"[.#]([\w-]+)|\[\s*([\w-]+)")
# In a selector left without states: its tags, classes, ids and attributes, spelt as
# drop_unmatched_selectors spells each page's names.
SELECTOR_PARTS = re.compile(r"(?:^|(?<=[\s>+~]))[a-z][\w-]*|[.#][\w-]+|\[[\w-]+\]")
# Its last part, the element it styles.
SELECTOR_SUBJECT = re.compile(r"[^\s>+~]+")
SELECTOR_STATE = re.compile(r"::?[\w-]+(\((?:[^()]|\([^()]*\))*\))?")
SELECTOR_KEPT_WHOLE = re.compile(r":(is|where|has)\(")
ATTRIBUTE_VALUE = re.compile(r"\[\s*([\w-]+)[^\]]*\]")
LEFT_OUT = "\0"
EMPTY_COMPOUND = re.compile(r"(^|[\s>+~])\0+")
STRING_LITERAL = re.compile(r"([\"'`])((?:\\.|(?!\1)[^\\])*)\1")
WORD = re.compile(r"[\w-]+")


def is_local(filename: str) -> bool:
    return "://" not in filename and not filename.startswith("//")


def add_web_scripts(app: Sphinx) -> None:
    """Our two scripts, for the web pages only (the EPUB has no sidebars and no search)."""
    if app.builder.name in BUNDLING_BUILDERS:
        app.add_js_file("sidebar-keys.js")
        app.add_js_file("search-words.js")


def script_bundle(scripts: list[str]) -> str:
    if all(name in scripts for name in CODE_SCRIPTS):
        return CODE_SCRIPT
    return PAGE_SCRIPT


def use_bundles(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Point the page at the bundles instead of the files they hold."""
    if app.builder.name not in BUNDLING_BUILDERS:
        return
    context["css_files"] = [
        _CascadingStyleSheet(STYLESHEET, priority=0),
        *(css for css in context["css_files"] if not is_local(str(css.filename))),
    ]
    scripts = [str(script.filename) for script in context["script_files"]]
    bundle = script_bundle(scripts)
    # Deferred, the script runs once the page is parsed and the first paint need not wait
    # for it (the search page defers its own scripts after it: source/_templates/search.html).
    context["script_files"] = [
        _JavaScript(bundle, priority=0, defer="defer"),
        *(script for script in context["script_files"]
          if str(script.filename) not in LEFT_OUT_SCRIPTS),
    ]


def node_tool(app: Sphinx, *path: str) -> Path:
    tool = Path(app.confdir, NODE_TOOLS, *path)
    if not tool.exists():
        raise ExtensionError(
            f"{tool} is missing: the web pages' stylesheet is built with PurgeCSS and "
            "esbuild. Install them with: make node_modules/.package-lock.json (npm ci)")
    return tool


def run_tool(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ExtensionError(f"{what} failed:\n{result.stdout}{result.stderr}")


def joined_stylesheets(app: Sphinx, with_code: bool) -> str:
    """Every local stylesheet the builder gives its pages, in order, each for its media;
    the code colours and the copy button's only if a page has code."""
    outdir = Path(app.outdir)
    parts = []
    for css in app.builder._css_files:  # type: ignore[attr-defined]  # Sphinx keeps no public list
        if not is_local(str(css.filename)) or (css.filename in CODE_ONLY_FILES and not with_code):
            continue
        text = CSS_SOURCE_MAP.sub("", (outdir / str(css.filename)).read_text(encoding="utf-8"))
        media = css.attributes.get("media")
        parts.append(f"@media {media}{{\n{text}\n}}" if media and media != "all" else text)
    return "\n".join(parts)


def loaded_scripts(app: Sphinx) -> list[Path]:
    """Every local script a built page loads, and the one search-words.js loads; not the
    search index and data or the search library, whose strings are not classes."""
    outdir = Path(app.outdir).resolve()
    # The 404 page's addresses start from where the edition is served (notfound_urls_prefix).
    served = PurePosixPath(app.config.notfound_urls_prefix)
    found = {outdir / HIGHLIGHT_SCRIPT}
    for page in own_pages(app):
        for source in SCRIPT_SOURCE.findall(page.read_text(encoding="utf-8")):
            path = PurePosixPath(unquote(urlsplit(source).path))
            if is_local(source) and not str(path).endswith(WORD_SCRIPTS):
                found.add(outdir / path.relative_to(served) if path.is_absolute()
                          else (page.parent / path).resolve())
    return sorted(found)


def class_sources(app: Sphinx, scripts: list[Path]) -> list[Path]:
    """The scripts whose strings name the classes they add: each bundle's members but the
    ones whose strings are words."""
    outdir = Path(app.outdir).resolve()
    bundles = {outdir / name: members for name, members in SCRIPT_BUNDLES.items()}
    sources = []
    for script in scripts:
        members = bundles.get(script, (str(script.relative_to(outdir)),))
        sources += [outdir / member for member in members if member not in WORD_MEMBERS]
    return sources


def minify(app: Sphinx, source: Path, scratch: Path) -> bytes:
    """A stylesheet or script, minified by esbuild; licence comments (/*! */) stay."""
    minified = scratch / f"min{source.suffix}"
    run_tool([str(node_tool(app, ".bin", "esbuild")), str(source), "--minify",
              "--log-level=warning", f"--outfile={minified}"], f"esbuild on {source.name}")
    return minified.read_bytes()


def words_in_strings(script: str) -> set[str]:
    """The words of a script's string literals, where the classes it adds are named."""
    return {word for _quote, text in STRING_LITERAL.findall(script) for word in WORD.findall(text)}


def selector_list(prelude: str) -> list[str]:
    """A rule's selectors: its prelude split at the commas outside brackets."""
    selectors, depth, start = [], 0, 0
    for index, character in enumerate(prelude):
        depth += (character in "([") - (character in ")]")
        if character == "," and depth == 0:
            selectors.append(prelude[start:index])
            start = index + 1
    return [*selectors, prelude[start:]]


def structure_of(selector: str) -> str:
    """The selector without its states and attribute values; an emptied part matches any element."""
    bare = ATTRIBUTE_VALUE.sub(r"[\1]", SELECTOR_STATE.sub(LEFT_OUT, selector.strip()))
    return EMPTY_COMPOUND.sub(r"\1*", bare).replace(LEFT_OUT, "")


def drop_unmatched_selectors(css: str, pages: list[Path], scripts: list[Path],
                             safelist: list[str]) -> str:
    """The stylesheet without the selectors that match no element of any page, in any state."""
    # Each page's elements by name: "tag", ".class", "#id", "[attribute]", and all of them
    # as "*". A selector is tried only on the pages that have every name it needs, and there
    # only on the elements named as its last part is.
    pages_elements: list[dict[str, list[Tag]]] = []
    for page in pages:
        elements: dict[str, list[Tag]] = {}
        for element in BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").find_all(True):
            for name in ("*", element.name,
                         *(f".{name}" for name in element.get_attribute_list("class") if name),
                         *(f"#{name}" for name in element.get_attribute_list("id") if name),
                         *(f"[{name}]" for name in element.attrs)):
                elements.setdefault(name, []).append(element)
        pages_elements.append(elements)
    on_pages = {name.lstrip(".#[").rstrip("]") for elements in pages_elements for name in elements}
    added_by_scripts = set().union(*(words_in_strings(script.read_text(encoding="utf-8"))
                                     for script in scripts)) - on_pages
    kept_names = added_by_scripts | set(safelist)
    matched: dict[str, bool] = {}

    def matches_a_page(structure: str) -> bool:
        needed = set(SELECTOR_PARTS.findall(structure))
        subject = SELECTOR_PARTS.findall(SELECTOR_SUBJECT.findall(structure)[-1])
        pattern = soupsieve.compile(structure)
        return any(any(pattern.match(element) for element in elements[(subject or ["*"])[0]])
                   for elements in pages_elements if needed <= elements.keys())

    def used(selector: str) -> bool:
        if selector not in matched:
            names = {name for pair in SELECTOR_NAMES.findall(selector) for name in pair if name}
            matched[selector] = bool(names & kept_names) or bool(
                SELECTOR_KEPT_WHOLE.search(selector)) or matches_a_page(structure_of(selector))
        return matched[selector]

    def rules(nodes: list[Any]) -> str:
        kept = []
        for rule in nodes:
            if rule.type == "qualified-rule":
                selectors = [selector for selector in selector_list(tinycss2.serialize(rule.prelude))
                             if used(selector)]
                if selectors:
                    kept.append(f"{','.join(selectors)}{{{tinycss2.serialize(rule.content)}}}")
            elif rule.type == "at-rule" and rule.lower_at_keyword in {"media", "supports"}:
                inside = rules(tinycss2.parse_blocks_contents(rule.content))
                if inside:
                    kept.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inside}}}")
            else:
                kept.append(tinycss2.serialize([rule]))
        return "".join(kept)

    return rules(tinycss2.parse_stylesheet(css))


def build_stylesheet(app: Sphinx, scratch: Path) -> bytes:
    """The joined stylesheets, without what no page uses, minified."""
    outdir = Path(app.outdir).resolve()
    scripts = loaded_scripts(app)
    joined, purged = scratch / "site.css", scratch / "purged"
    joined.write_text(joined_stylesheets(app, outdir / CODE_SCRIPT in scripts), encoding="utf-8")
    config = scratch / "purgecss.config.cjs"
    config.write_text(PURGECSS_CONFIG.format(
        css=json.dumps([str(joined)]),
        content=json.dumps([*map(str, own_pages(app)), *map(str, class_sources(app, scripts))]),
        safelist=json.dumps(list(app.config.bundle_safelist)),
        extractor=json.dumps(str(node_tool(app, "purgecss-from-html"))),
    ), encoding="utf-8")
    run_tool([str(node_tool(app, ".bin", "purgecss")), "--config", str(config),
              "--output", str(purged)], "PurgeCSS")
    matched = scratch / "matched.css"
    matched.write_text(drop_unmatched_selectors(
        (purged / joined.name).read_text(encoding="utf-8"), list(own_pages(app)),
        class_sources(app, scripts), list(app.config.bundle_safelist)), encoding="utf-8")
    return minify(app, matched, scratch)


def furo_script(app: Sphinx, scratch: Path) -> bytes:
    """furo's script, bundled by esbuild from furo's own module, with toc-spy.js for gumshoe."""
    sources = json.loads(FURO_SOURCE_MAP.read_text(encoding="utf-8"))
    modules = {path.removeprefix("webpack:///").removeprefix("./"): text
               for path, text in zip(sources["sources"], sources["sourcesContent"], strict=True)}
    if FURO_MODULE not in modules or f'from "./{FURO_SCROLLSPY}"' not in modules[FURO_MODULE]:
        raise ExtensionError(
            f"{FURO_SOURCE_MAP} no longer holds {FURO_MODULE} importing ./{FURO_SCROLLSPY}: "
            "furo's script changed; see extensions/asset_bundle.py and source/_static/toc-spy.js")
    folder = scratch / "furo"
    folder.mkdir()
    (folder / "furo.js").write_text(modules[FURO_MODULE], encoding="utf-8")
    (folder / FURO_SCROLLSPY).write_bytes((Path(app.outdir) / TOC_SPY).read_bytes())
    bundled = folder / "bundled.js"
    run_tool([str(node_tool(app, ".bin", "esbuild")), str(folder / "furo.js"), "--bundle",
              "--format=iife", "--log-level=warning", f"--outfile={bundled}"],
             "esbuild on furo's script")
    return FURO_LICENCE + bundled.read_bytes()


def build_script(app: Sphinx, names: tuple[str, ...], scratch: Path, furo: bytes) -> bytes:
    """The scripts joined in order, minified, furo's as furo_script built it. Each ends its
    last statement (the next one may start with a parenthesis); their top-level names stay
    global, as in their own files."""
    outdir = Path(app.outdir)
    joined = scratch / "site.js"
    members = [furo if name == FURO_SCRIPT else SOURCE_MAP.sub(b"", (outdir / name).read_bytes())
               for name in names]
    joined.write_bytes(b";\n".join(member.rstrip() for member in members) + b"\n")
    return minify(app, joined, scratch)


def write_messages(app: Sphinx) -> None:
    """SCRIPT_MESSAGES that the page's language says otherwise, as doctools.js keeps them."""
    translated = {message: str(_(message)) for message in SCRIPT_MESSAGES}
    messages = {message: text for message, text in translated.items() if text != message}
    (Path(app.outdir) / MESSAGES).write_text(
        f"Object.assign(Documentation.TRANSLATIONS, {json.dumps(messages, ensure_ascii=False)});\n",
        encoding="utf-8")


def checksum(content: bytes) -> str:
    """The checksum Sphinx puts in an asset's address (sphinx.builders.html._assets)."""
    return f"{zlib.crc32(content.translate(None, CARRIAGE_RETURN)):08x}"


def write_bundles(app: Sphinx, exception: Exception | None) -> None:
    """Write the bundles, then point every page's links at their final checksums."""
    if exception is not None or app.builder.name not in BUNDLING_BUILDERS:
        return
    outdir = Path(app.outdir)
    write_messages(app)
    bundles: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="site-assets-") as scratch:
        furo = furo_script(app, Path(scratch))
        for name, members in SCRIPT_BUNDLES.items():
            bundles[name] = build_script(app, members, Path(scratch), furo)
            (outdir / name).write_bytes(bundles[name])
        # The stylesheet last: PurgeCSS reads the scripts for the classes they add.
        bundles[STYLESHEET] = build_stylesheet(app, Path(scratch))
    (outdir / STYLESHEET).write_bytes(bundles[STYLESHEET])
    links = re.compile(
        "(" + "|".join(re.escape(name) for name in bundles) + r')(\?v=[0-9a-f]+)?"')
    sums = {name: checksum(content) for name, content in bundles.items()}
    for page in own_pages(app):
        text = page.read_text(encoding="utf-8")
        linked = links.sub(lambda link: f'{link[1]}?v={sums[link[1]]}"', text)
        lean = without_indentation(linked)
        if lean != text:
            page.write_text(lean, encoding="utf-8")


def without_indentation(page: str) -> str:
    """The page without its comments, or the indentation of its lines and its blank lines
    where whitespace is only space between tags and words."""
    parts = WHITESPACE_KEPT.split(page)
    # split() gives each kept element, then its tag name, between the parts around them.
    return "".join(INDENTATION.sub("\n", COMMENT.sub("", part)) if index % 3 == 0 else part
                   for index, part in enumerate(parts) if index % 3 != 2)


def setup(app: Sphinx) -> dict[str, Any]:
    # Which pages are this build's, and which edition it makes.
    app.setup_extension("editions")
    app.add_config_value("bundle_safelist", [], "html", list)
    app.connect("builder-inited", add_web_scripts)
    # After every other handler has chosen the page's files (extensions/hosting.py: 500).
    app.connect("html-page-context", use_bundles, priority=900)
    app.connect("build-finished", write_bundles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
