"""Sphinx extension: a translated edition never ships a stale or missing translation.

Writers change the English; `make update-po` carries each change into the catalogs
(source/locales/<language>/LC_MESSAGES/<page>.po), where a changed sentence becomes
"fuzzy" and a new one empty. Sphinx would quietly show the English for either. In a
build of a language that has catalogs (`make html` builds the Spanish edition with
`-D language=es`), this extension makes each such text a warning, so the strict build
(`-W`) fails, naming the catalog, its line and the text::

    …/locales/es/LC_MESSAGES/withdrawal.po:88: WARNING: fuzzy: the English changed; check the translation, then remove the "fuzzy" flag: "Withdrawal is…" [i18n.stale]
    …/source/withdrawal.md:12: WARNING: not in source/locales/es/LC_MESSAGES/withdrawal.po: run `make update-po`, then translate it: "Withdrawal is…" [i18n.stale]

- The pages: every text that Sphinx's Locale transform left in English on a page (or an
  index entry), looked up in the page's catalog to say why. The warnings come again in
  every build, not only when the page is read again.
- The helpline extension's labels: helpline/locales/<language>/LC_MESSAGES/helpline.po
  against its template, helpline/locales/helpline.pot.
- conf.py's texts: checked where they are translated, by extensions/conf_texts.py, with
  `catalog_problems` below.

docs/translating.md describes the workflow.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, cast

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain
from sphinx.util.index_entries import split_index_msg
from sphinx.util.nodes import extract_messages, traverse_translatable_index

from helpline import catalog as helpline_catalog

logger = logging.getLogger(__name__)

# Where this extension keeps each page's problems in the build environment.
ENV_KEY = "stale_translations"


# Where a warning points: "path:line" (a catalog's entry), or (docname, line) in the English.
Location = str | tuple[str, int | None]


class Problem(NamedTuple):
    """A text a reader would see untranslated, and where to fix it."""

    location: Location
    message: str


def catalog_paths(srcdir: Path, locale_dirs: Iterable[str], language: str, domain: str) -> list[Path]:
    """The catalogs of `domain` in `language`, in the order Sphinx looks them up."""
    return [srcdir / folder / language / "LC_MESSAGES" / f"{domain}.po" for folder in locale_dirs]


def has_catalogs(srcdir: Path, locale_dirs: Iterable[str], language: str) -> bool:
    """True when the build's language has catalogs: a translated edition, not the English."""
    return any((srcdir / folder / language / "LC_MESSAGES").is_dir() for folder in locale_dirs)


def read_catalog(path: Path, language: str) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language)


def shorten(text: str, width: int = 100) -> str:
    """A text as a warning quotes it: on one line, long ones cut."""
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= width else f'"{text[: width - 1]}…"'


def catalog_problems(
    catalog: Catalog, catalog_path: Path, display_path: str,
    texts: Iterable[tuple[str, Location]],
) -> Iterator[Problem]:
    """A problem for each (text, where it is in the English) that `catalog` does not
    translate: missing, empty or fuzzy. A text found twice is reported once."""
    first_seen: dict[str, Location] = {}
    for text, english_location in texts:
        first_seen.setdefault(text, english_location)
    for text, english_location in first_seen.items():
        message = catalog.get(text)
        if message is None:
            yield Problem(english_location, f"not in {display_path}: run `make update-po`, "
                          f"then translate it: {shorten(text)}")
        elif message.fuzzy:
            yield Problem(f"{catalog_path}:{message.lineno}", "fuzzy: the English changed; check the "
                          f'translation, then remove the "fuzzy" flag: {shorten(text)}')
        elif not str(message.string).strip():
            yield Problem(f"{catalog_path}:{message.lineno}", f"not translated: {shorten(text)}")


def report(problems: Iterable[Problem]) -> None:
    for problem in problems:
        logger.warning(problem.message, location=problem.location, type="i18n", subtype="stale")


def untranslated_texts(document: nodes.document, docname: str) -> Iterator[tuple[str, tuple[str, int | None]]]:
    """The texts Sphinx's Locale transform left in English, each with its line in the English."""
    for node, text in extract_messages(document):
        if node.get("translated") is False and not in_substitution_definition(node):
            yield text, (docname, node.line)
    for node, entries in traverse_translatable_index(document):
        if "raw_entries" in node:  # the English entries, kept by Locale beside their translations
            for entry_type, value, _target, _main, _key in entries:
                for part in split_index_msg(entry_type, value):
                    yield part, (docname, node.line)


def in_substitution_definition(node: nodes.Node | None) -> bool:
    """`make gettext` leaves out the texts of substitution definitions."""
    while node is not None:
        if isinstance(node, nodes.substitution_definition):
            return True
        node = node.parent
    return False


def find_stale_translations(app: Sphinx, document: nodes.document) -> None:
    """Record the page's texts that its catalog does not translate."""
    config, env = app.config, app.env
    language = config.language
    if not has_catalogs(env.srcdir, config.locale_dirs, language):
        return
    docname = env.current_document.docname
    domain = docname_to_domain(docname, config.gettext_compact)
    candidates = catalog_paths(env.srcdir, config.locale_dirs, language, domain)
    paths = [path for path in candidates if path.is_file()]
    display_path = os.path.relpath(candidates[0])
    if not paths:
        problems = [Problem((docname, None), f"no catalog {display_path} for this page: run "
                            "`make update-po`, then translate it")]
    else:
        # The first catalog found wins, as in Sphinx's own lookup.
        problems = list(catalog_problems(read_catalog(paths[0], language), paths[0], display_path,
                                         untranslated_texts(document, docname)))
    stale_translations(env)[docname] = problems


def stale_translations(env: BuildEnvironment) -> dict[str, list[Problem]]:
    """Each page's problems, kept with the environment between builds."""
    if not hasattr(env, ENV_KEY):
        setattr(env, ENV_KEY, {})
    return cast("dict[str, list[Problem]]", getattr(env, ENV_KEY))


def forget_page(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    stale_translations(env).pop(docname, None)


def merge_pages(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    found = stale_translations(other)
    stale_translations(env).update({docname: found[docname] for docname in docnames if docname in found})


def report_every_build(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn about every page's problems, whether or not it was read again in this build."""
    problems = stale_translations(env)
    for docname in sorted(env.found_docs & problems.keys()):
        report(problems[docname])


def check_helpline_labels(app: Sphinx) -> None:
    """The helpline extension's own labels ("Call {number}"...), against its template."""
    language, srcdir = app.config.language, Path(app.srcdir)
    if "helpline" not in app.extensions or not has_catalogs(srcdir, app.config.locale_dirs, language):
        return
    template, path = helpline_catalog.TEMPLATE, helpline_catalog.catalog_path(language)
    display_path = os.path.relpath(path)
    if not path.is_file():
        report([Problem(f"{template}:1", f"no catalog {display_path} for the helpline's labels: "
                        "run `make update-po`, then translate it")])
        return
    labels = ((label.id, f"{template}:{label.lineno}")
              for label in read_catalog(template, language) if isinstance(label.id, str) and label.id)
    report(catalog_problems(read_catalog(path, language), path, display_path, labels))


def setup(app: Sphinx) -> dict[str, Any]:
    # After Sphinx's own handlers (500) take the page's metadata out of its text.
    app.connect("doctree-read", find_stale_translations, priority=900)
    app.connect("builder-inited", check_helpline_labels)
    app.connect("env-purge-doc", forget_page)
    app.connect("env-merge-info", merge_pages)
    app.connect("env-updated", report_every_build)
    return {"env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
