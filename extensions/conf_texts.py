"""Sphinx extension: the texts a reader sees that conf.py sets, translated once, in one catalog.

conf.py sets the guide's title (`project`, and `html_title`, `epub_title`, the PDF's title
in `latex_documents` where conf.py repeats it), its description (`export_description`,
`epub_description`), the PDF's "Version" (`latex_elements['releasename']`), the
descriptions of the pages Sphinx writes itself (`generated_page_descriptions`) and every
helpline text (`helpline_title`; in `helpline_lines` each line's names, purpose, hours,
languages, notes, claims and disclosure, never a number). `TEXTS` below says where each
setting keeps its texts; only the settings conf.py itself sets are read.

- `make gettext` writes them into build/gettext/conf.pot, each with its line in conf.py,
  beside the pages' catalogs; `make update-po` turns that into
  source/locales/<language>/LC_MESSAGES/conf.po.
- A build in another language (`-D language=es`) puts conf.po's translations into the
  settings as soon as conf.py is read (`config-inited`, before the helpline extension
  checks its lines and draws the banner), so the titles, banner, helpline notices, page
  descriptions and the PDF's title page are all in that language. The pages' catalogs do
  not hold these texts (the helpline directive gives them no source line).
- A text that conf.po does not translate (missing, empty or fuzzy) is a warning naming
  conf.po's line, or conf.py's, and the text, so the strict build stops
  (extensions/translation_check.py).
"""

from __future__ import annotations

import ast
import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.builders.gettext import I18nBuilder, MsgOrigin
from sphinx.config import Config

from helpline.lines import translate_lines
from translation_check import Problem, catalog_paths, catalog_problems, has_catalogs, read_catalog, report

# The catalog's name: build/gettext/conf.pot, source/locales/<language>/LC_MESSAGES/conf.po.
DOMAIN = "conf"

Translate = Callable[[str], str]


def _text(value: object, translate: Translate) -> object:
    return translate(value) if isinstance(value, str) else value


def _values(value: object, translate: Translate) -> object:
    """A dict's values: generated_page_descriptions (page name -> description)."""
    if not isinstance(value, Mapping):
        return value
    return {key: _text(text, translate) for key, text in value.items()}


def _latex_titles(value: object, translate: Translate) -> object:
    """latex_documents: (start document, file name, title, author, theme, ...) tuples."""
    if not isinstance(value, list):
        return value
    return [(*entry[:2], _text(entry[2], translate), *entry[3:])
            if isinstance(entry, tuple) and len(entry) > 2 else entry for entry in value]


def _releasename(value: object, translate: Translate) -> object:
    """latex_elements: only 'releasename' is a text ("Version" on the PDF's title page)."""
    if not isinstance(value, Mapping) or "releasename" not in value:
        return value
    return {**value, "releasename": _text(value["releasename"], translate)}


# Each setting that may hold texts a reader sees, and how to reach them. Only the ones that
# conf.py sets count: a value Sphinx or an extension derives (epub_title from project) is
# derived from the translated text.
TEXTS: dict[str, Callable[[object, Translate], object]] = {
    "project": _text,
    "html_title": _text,
    "epub_title": _text,
    "latex_documents": _latex_titles,
    "latex_elements": _releasename,
    "export_description": _text,
    "epub_description": _text,
    "generated_page_descriptions": _values,
    "helpline_title": _text,
    "helpline_lines": translate_lines,
}


@dataclass(frozen=True)
class ConfPy:
    """What conf.py writes: each string literal and each setting, with the line it starts on."""

    path: Path
    literals: dict[str, int]
    settings: dict[str, int]

    @classmethod
    def read(cls, confdir: str | os.PathLike[str]) -> ConfPy:
        path = Path(confdir) / "conf.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        literals: dict[str, int] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.setdefault(node.value, node.lineno)
        settings: dict[str, int] = {}
        for statement in tree.body:
            targets = statement.targets if isinstance(statement, ast.Assign) else (
                [statement.target] if isinstance(statement, ast.AnnAssign) else [])
            for target in targets:
                if isinstance(target, ast.Name):
                    settings.setdefault(target.id, statement.lineno)
        return cls(path, literals, settings)

    def settings_with_texts(self, config: Config) -> list[str]:
        return [name for name in TEXTS if name in config and name in self.settings]


def translated_settings(config: Config, conf: ConfPy, translate: Translate) -> dict[str, object]:
    """Each setting of TEXTS that conf.py sets, with its texts passed through `translate`."""
    def text_only(text: str) -> str:
        return translate(text) if text.strip() else text

    return {name: TEXTS[name](config[name], text_only) for name in conf.settings_with_texts(config)}


def english_texts(config: Config, conf: ConfPy) -> dict[str, int]:
    """Every text in the settings, each with the line of conf.py it starts on (that of
    its string literal, or else of its setting)."""
    found: dict[str, int] = {}

    def record(setting: str, text: str) -> str:
        if text.strip():
            found.setdefault(text, conf.literals.get(text, conf.settings[setting]))
        return text

    for name in conf.settings_with_texts(config):
        TEXTS[name](config[name], functools.partial(record, name))
    return found


def translate_conf_texts(app: Sphinx, config: Config) -> None:
    """In a build of a translated edition, every text of TEXTS from conf.po."""
    srcdir = Path(app.srcdir)
    language = config.language
    if not has_catalogs(srcdir, config.locale_dirs, language):
        return
    conf = ConfPy.read(app.confdir)
    english = english_texts(config, conf)
    candidates = catalog_paths(srcdir, config.locale_dirs, language, DOMAIN)
    display_path = os.path.relpath(candidates[0])
    path = next((path for path in candidates if path.is_file()), None)
    if path is None:
        report([Problem(f"{conf.path}:1", f"no catalog {display_path} for conf.py's texts: "
                        "run `make update-po`, then translate it")])
        return
    catalog = read_catalog(path, language)
    report(catalog_problems(catalog, path, display_path,
                            ((text, f"{conf.path}:{line}") for text, line in english.items())))
    use_fuzzy = config.gettext_allow_fuzzy_translations
    translations = {message.id: message.string for message in catalog
                    if isinstance(message.id, str) and message.id and isinstance(message.string, str)
                    and message.string.strip() and (use_fuzzy or not message.fuzzy)}
    for name, value in translated_settings(config, conf, lambda text: translations.get(text, text)).items():
        config[name] = value


def extract_conf_texts(app: Sphinx) -> None:
    """`make gettext`: conf.py's texts into their own catalog, conf.pot."""
    if not isinstance(app.builder, I18nBuilder):
        return
    conf = ConfPy.read(app.confdir)
    catalog = app.builder.catalogs[DOMAIN]
    for text, line in english_texts(app.config, conf).items():
        catalog.add(text, MsgOrigin(str(conf.path), line))


def setup(app: Sphinx) -> dict[str, Any]:
    # Before every other extension reads the settings: the helpline extension checks its
    # lines and draws the banner at the default priority, 500.
    app.connect("config-inited", translate_conf_texts, priority=200)
    app.connect("builder-inited", extract_conf_texts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
