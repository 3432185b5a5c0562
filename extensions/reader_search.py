"""The search page's data: every section of the guide, with the words readers use for it.

The search page (source/_templates/search.html, source/_static/guide-search.js) searches
with MiniSearch in the reader's browser. This extension gives it ``search-data.js``: one
record per section (and per glossary term) with its title, its text, and its keywords,
which are the section's index entries plus the reader words its edition's file gives it.
docs/search.md explains the design.

Each edition searches in its own language: with the stemmer and stop words Sphinx's own
search uses for it, and with its own reader words file (``search_words_files``:
``source/search-words.txt`` for English, ``source/locales/es/search-words.txt`` for Spanish).

The reader words are checked on every build, by every builder: a word under a page or
section that does not exist, a word given twice, or a word made only of common words is a
warning naming the file and line, so the strict build stops.

The data is made from every page's doctree on every HTML build, so an incremental build
ships the same data as a fresh one.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.search import IndexBuilder
from sphinx.util import logging
from sphinx.util.index_entries import split_index_msg

from helpline import banner_html
from helpline.lines import load_lines
from helpline.nodes import helpline_notice

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.search import SearchLanguage

logger = logging.getLogger(__name__)

DATA_FILE = "_static/search-data.js"
# Pages a reader never looks for an answer in.
UNSEARCHED_PAGES = {"404"}
# Sections that list where the facts come from, not what they say.
UNSEARCHED_SECTIONS = {"sources"}
# Words that carry no meaning in a question ("how do I get suboxone"), besides the stop words
# of Sphinx's search for the edition's language.
MORE_STOP_WORDS = {
    "en": {"can", "will", "just", "also", "please", "really", "ok", "okay", "get", "gets",
           "getting", "got"},
    # "¿Cuánto dura…?", "¿Qué hago si…?", "¿Dónde consigo…?", "¿Alguien puede…?"
    "es": {"cuánto", "cuánta", "cuántos", "cuántas", "cuáles", "alguien", "algún", "alguna",
           "alguno", "usted", "ustedes", "puedo", "puede", "pueden", "podría", "hago", "hacer",
           "hace", "debo", "debe", "debería", "quiero", "quiere", "consigo", "conseguir",
           "consigue", "obtener", "voy", "va", "van", "favor", "hola", "ok"},
}
# The people a question is about ("my son is overdosing", "mi esposo recayó"): search weighs
# them less than what happens to them.
PERSON_WORDS = {
    "en": {"son", "daughter", "child", "kid", "husband", "wife", "partner", "boyfriend",
           "girlfriend", "friend", "mom", "mother", "dad", "father", "brother", "sister"},
    "es": {"hijo", "hija", "niño", "niña", "esposo", "esposa", "marido", "pareja", "novio",
           "novia", "amigo", "amiga", "mamá", "madre", "papá", "padre", "hermano", "hermana"},
}
WORD = re.compile(r"[^\W_]+")
INVALID = ("", "")
HEADER = re.compile(r"^\[(?P<page>[^\]#\s]+)(?:#(?P<section>[^\]\s]+))?\]$")


def search_words(text: str) -> list[str]:
    """The words of a text as the search page splits them (guide-search.js: `words`)."""
    text = unicodedata.normalize("NFKD", text.lower())
    return WORD.findall("".join(char for char in text
                                if char not in "'\u2019" and unicodedata.category(char) != "Mn"))


def search_language(app: Sphinx) -> SearchLanguage:
    """The language of the edition's search: its stemmer and stop words, as Sphinx's own
    search chooses them (sphinx.search.es for Spanish, English for a language it lacks)."""
    config = app.config
    language = config.html_search_language or config.language
    return IndexBuilder(app.env, language, config.html_search_options, "").lang


def stop_words(app: Sphinx) -> set[str]:
    """The words search ignores, spelled as search_words spells them ("don't" is "dont",
    "qué" is "que")."""
    language = search_language(app)
    return {word for stop_word in language.stopwords | MORE_STOP_WORDS.get(language.lang, set())
            for word in search_words(stop_word)}


def word_stems(texts: list[str], language: SearchLanguage) -> dict[str, str]:
    """Each word of the texts whose stem differs from it, with its stem.

    The same Snowball stemmer as Sphinx's language_data.js, which stems the reader's query:
    the page gets the guide's stems ready-made instead of computing them on load. Words
    are stemmed without their accents, as the reader's are ("heroina" and "heroína" are one).
    """
    found = {word for text in texts for word in search_words(text)}
    return {word: stem for word in sorted(found) if (stem := language.stem(word)) != word}


@dataclass
class Section:
    """One search result: a section of a page, or a glossary term."""

    docname: str
    anchor: str
    title: str
    text: str
    keywords: list[str] = field(default_factory=list)


def own_text(section: nodes.section) -> str:
    """A section's own words: not its subsections, index entries, helpline notices or glossary."""
    skipped = (nodes.section, nodes.title, addnodes.index, helpline_notice, addnodes.glossary,
               nodes.comment, nodes.target, nodes.raw, nodes.system_message)
    parts = []
    for child in section.children:
        holds_toctree = any(isinstance(node, addnodes.toctree) for node in child.findall())
        if isinstance(child, skipped) or holds_toctree:
            continue
        parts.append(child.astext())
    return " ".join(" ".join(parts).split())


def index_words(section: nodes.section) -> list[str]:
    """The words of the index entries written right in this section."""
    found: list[str] = []
    for index in section.children:
        if isinstance(index, addnodes.index):
            for entry_type, value, _target, _main, _key in index["entries"]:
                found += split_index_msg(entry_type, value)
    return found


def page_sections(docname: str, doctree: nodes.document) -> list[Section]:
    """A page's sections, each with its own text, and the glossary's terms one by one."""
    sections = []
    for section in doctree.findall(nodes.section):
        is_page = section.parent is doctree
        # A builder may have changed the doctree (the PDF's home page has no title id).
        anchor = section["ids"][0] if section["ids"] else ""
        title = section[0].astext() if isinstance(section[0], nodes.title) else ""
        if anchor not in UNSEARCHED_SECTIONS and (anchor or is_page):
            sections.append(Section(docname, "" if is_page else f"#{anchor}", title,
                                    own_text(section), index_words(section)))
    for glossary in doctree.findall(addnodes.glossary):
        for item in glossary.findall(nodes.definition_list_item):
            [term, *_others] = item.findall(nodes.term)
            [definition] = item.findall(nodes.definition)
            sections.append(
                Section(docname, f"#{term['ids'][0]}", term.astext(), definition.astext()))
    return sections


def section_ids(doctree: nodes.document) -> set[str]:
    """Every id a reader word may point to: sections and glossary terms."""
    ids: set[str] = set()
    for node in doctree.findall(nodes.Element):
        if isinstance(node, (nodes.section, nodes.term)):
            ids.update(node["ids"])
    return ids


def reader_words_path(app: Sphinx) -> Path | None:
    """The edition's reader words file, from ``search_words_files`` (by language)."""
    files = app.config.search_words_files
    if app.config.language not in files:
        logger.warning("reader words: conf.py's search_words_files names no file for the %r "
                       "edition", app.config.language)
        return None
    return Path(app.srcdir, files[app.config.language])


def read_reader_words(app: Sphinx) -> dict[tuple[str, str], list[str]]:
    """The edition's reader words file: ``[page#section]`` then one word or phrase per line.

    Returns the words by (page, "#section" or "" for the page's top); a book without the
    file has none. Every mistake is a warning with the file and line.
    """
    env = app.env
    path = reader_words_path(app)
    words: dict[tuple[str, str], list[str]] = {}
    first_line: dict[str, int] = {}
    ignored = stop_words(app)
    indexed = {" ".join(search_words(word)): f"{docname}{section.anchor}"
               for docname in sorted(env.found_docs - UNSEARCHED_PAGES)
               for section in page_sections(docname, env.get_doctree(docname))
               for word in section.keywords}
    # None before the first [...] line; INVALID under one that was named as wrong already.
    target: tuple[str, str] | None = None
    lines = path.read_text(encoding="utf-8").splitlines() if path and path.is_file() else []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        location = f"{path}:{number}"
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            target = INVALID
            header = HEADER.match(line)
            if header is None:
                logger.warning("reader words: %r is not a [page] or [page#section] line", line,
                               location=location)
                continue
            page, section = header["page"], header["section"]
            if page not in env.found_docs or page in UNSEARCHED_PAGES:
                logger.warning("reader words: [%s] names no page of the guide", page,
                               location=location)
                continue
            if section:
                known = section_ids(env.get_doctree(page))
                if section not in known or section in UNSEARCHED_SECTIONS:
                    logger.warning(
                        "reader words: page %r has no section %r; its sections are: %s",
                        page, section, ", ".join(sorted(known - UNSEARCHED_SECTIONS)),
                        location=location)
                    continue
            target = (page, f"#{section}" if section else "")
            words.setdefault(target, [])
            continue
        key = " ".join(search_words(line))
        if target is INVALID:
            continue
        if target is None:
            logger.warning("reader words: %r has no [page] or [page#section] line above it", line,
                           location=location)
        elif key in indexed:
            logger.warning("reader words: %r is an index entry of %s already; give each word "
                           "to one section", line, indexed[key], location=location)
        elif not key or set(key.split()) <= ignored:
            logger.warning("reader words: %r is only common words, which search ignores", line,
                           location=location)
        elif key in first_line:
            logger.warning("reader words: %r is given to a section already, at line %d",
                           line, first_line[key], location=location)
        else:
            first_line[key] = number
            words[target].append(line)
    return words


def search_data(app: Sphinx) -> dict[str, Any]:
    """What search-data.js holds: the pages, their sections, the stop words and person words."""
    env = app.env
    reader_words = read_reader_words(app)
    docnames = [name for name in sorted(env.found_docs) if name not in UNSEARCHED_PAGES]
    weights = app.config.search_page_weights
    pages, sections = [], []
    for page_number, docname in enumerate(docnames):
        title = env.titles[docname].astext()
        # Addresses from the search page, which every result link starts from.
        pages.append([app.builder.get_relative_uri("search", docname), title])
        for section in page_sections(docname, env.get_doctree(docname)):
            keywords = section.keywords + reader_words.get((docname, section.anchor), [])
            sections.append([page_number, section.anchor, section.title, keywords, section.text,
                             weights.get(docname, 1)])
    texts = [title for _uri, title in pages]
    texts += [" ".join([title, *keywords, text]) for _p, _a, title, keywords, text, _w in sections]
    language = search_language(app)
    return {"stopWords": sorted(stop_words(app)),
            "personWords": sorted(word for person in PERSON_WORDS.get(language.lang, set())
                                  for word in search_words(person)),
            "stems": word_stems(texts, language), "pages": pages, "sections": sections}


def write_search_data(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """Write search-data.js beside the pages, before the search page is written."""
    if app.builder.name not in {"html", "dirhtml"}:
        return []
    text = "globalThis.guideSearchData = " + json.dumps(
        search_data(app), ensure_ascii=False, separators=(",", ":")) + ";\n"
    out = Path(app.outdir, DATA_FILE)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    app.builder.reader_words_checked = True  # type: ignore[attr-defined]
    version = hashlib.sha256(text.encode()).hexdigest()[:8]
    app.builder.search_data_version = version  # type: ignore[attr-defined]
    return []


def check_reader_words(app: Sphinx, exception: Exception | None) -> None:
    """Builders without a search page (PDF, EPUB, text) check the reader words too."""
    if exception is None and not getattr(app.builder, "reader_words_checked", False):
        read_reader_words(app)


def search_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object,
) -> None:
    """The search page's free and emergency lines (conf.py, through the helpline extension)
    and chapters, shown when nothing matches."""
    if pagename != "search" or app.builder.name not in {"html", "dirhtml"}:
        return
    config = app.config
    lines = load_lines(config.helpline_lines, config.helpline_region, "conf.py")
    context["search_helplines"] = banner_html([line for line in lines.values() if not line.is_paid])
    chapters = [name for name in app.env.toctree_includes.get(config.root_doc, [])
                if name in app.env.titles]
    context["search_chapters"] = [
        (app.builder.get_relative_uri(pagename, name), app.env.titles[name].astext())
        for name in chapters]
    context["search_data_file"] = DATA_FILE
    context["search_data_version"] = getattr(app.builder, "search_data_version", "")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("search_words_files", {"en": "search-words.txt"}, "env",
                         types=frozenset({dict}))
    app.add_config_value("search_page_weights", {}, "html", types=frozenset({dict}))
    app.connect("html-collect-pages", write_search_data)
    app.connect("html-page-context", search_page_context)
    app.connect("build-finished", check_reader_words)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
