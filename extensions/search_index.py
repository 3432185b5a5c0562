"""The search index readers get: their words as index entries, complete after every build.

- Index entries are the words readers search for (``{index} !dope sick, !cold turkey``).
  Each must be its own entry and marked main: search lists an entry that is not main
  after every page that merely mentions the word. Anything else is a warning naming the
  file and line, so the strict build stops.
- Sphinx 9 restores an unchanged page's words and titles from the last searchindex.js,
  but not its index entries (the words readers type, the glossary's terms), so every
  incremental build, as ``make html`` and ``make serve`` make, ships an index without
  them (sphinx#12599). This extension gives them back from the index domain, which keeps
  every page's entries current across builds.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.index_entries import split_index_msg

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

# An index entry that holds a second entry type, as in `single: dope sick; single: cold turkey`.
NESTED_INDEX_ENTRY = re.compile(r"[;,]\s*(single|pair|triple|see|seealso)\s*:")


def check_index_entries(app: Sphinx, doctree: nodes.document) -> None:
    """Each index entry is one word or phrase, marked main."""
    for node in doctree.findall(addnodes.index):
        for entry_type, value, _target, main, _key in node["entries"]:
            if NESTED_INDEX_ENTRY.search(value):
                problem = "holds several entries in one"
            elif main != "main" and entry_type not in {"see", "seealso"}:
                problem = "is not marked main"
            else:
                continue
            logger.warning(
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

    Runs after the changed pages are written and before the index is dumped (this
    event), and feeds every page's entries in page order, as a fresh build does.
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


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", check_index_entries)
    app.connect("html-collect-pages", restore_search_index_entries)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
