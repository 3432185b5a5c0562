"""``make gettext`` extracts every text a page shows around its content: the templates'
(ours and the theme's) and the few that Sphinx writes itself.

Sphinx's gettext builder looks for ``templates_path`` under the source folder, while the
HTML builders (and Sphinx's documentation) read it from the configuration folder. The
guide's templates sit in ``source/_templates``, named from conf.py at the repository's
root, so the builder found none of them. This builder reads them where the HTML builders
do, and adds the theme's own templates (furo's), whose texts every page shows too ("Skip
to content", "Back to top", "Next"...), and the texts of Sphinx's HTML writer in
``SPHINX_TEXTS``: Sphinx's catalogs translate few of them. They go to ``sphinx.pot``,
each at a place a translator can look up (``furo/page.html:14``, ``sphinx/...``); each
translation's ``sphinx.po`` translates them, and Sphinx reads it before its own catalog.
"""

from __future__ import annotations

import importlib.util
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sphinx
from sphinx.builders.gettext import MessageCatalogBuilder, MsgOrigin
from sphinx.errors import ExtensionError, ThemeError

if TYPE_CHECKING:
    from sphinx.application import Sphinx

THEME_SETTINGS = ("theme.toml", "theme.conf")
# Texts Sphinx writes into the pages that its Spanish catalog leaves out: the titles of
# the links to each heading and to each glossary term.
SPHINX_TEXTS = ("Link to this heading", "Link to this term")
SPHINX_FOLDER = Path(sphinx.__file__).parent


def sphinx_places(text: str) -> list[tuple[Path, int]]:
    """Where Sphinx's code asks for a text's translation: each file and line."""
    calls = (f"_('{text}')", f'_("{text}")')
    places = [(path, number) for path in sorted(SPHINX_FOLDER.rglob("*.py"))
              for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if any(call in line for call in calls)]
    if not places:
        raise ExtensionError(f"Sphinx no longer writes {text!r}: take it out of SPHINX_TEXTS "
                             "in extensions/page_messages.py")
    return places


def theme_folder(name: str) -> Path:
    """An installed HTML theme's templates, found from the package its entry point names.

    Not loaded as the HTML builders load it: its extension is for HTML builds only.
    """
    found = [entry for entry in entry_points(group="sphinx.html_themes") if entry.name == name]
    spec = importlib.util.find_spec(found[0].module) if found else None
    if spec is None or spec.origin is None:
        raise ThemeError(f"html_theme {name!r} is not an installed theme package")
    folders = {settings.parent for pattern in THEME_SETTINGS
               for settings in Path(spec.origin).parent.rglob(f"{name}/{pattern}")}
    if len(folders) != 1:
        raise ThemeError(f"the package of html_theme {name!r} holds no one folder {name}/")
    return folders.pop()


class TemplateMessageCatalogBuilder(MessageCatalogBuilder):
    """Sphinx's gettext builder, reading the templates the HTML builders use."""

    def _collect_templates(self) -> set[str]:
        folders = [Path(self.confdir, path) for path in self.config.templates_path]
        folders.append(theme_folder(self.config.html_theme))
        return {template.as_posix() for folder in folders for template in folder.rglob("*.html")}

    def _extract_from_template(self) -> None:
        """The templates' texts and Sphinx's. A theme's or Sphinx's place reads as
        ``furo/page.html:14``: where they are installed differs from one machine to the next."""
        super()._extract_from_template()
        catalog = self.catalogs["sphinx"]
        for text in SPHINX_TEXTS:
            for path, line in sphinx_places(text):
                catalog.add(text, MsgOrigin(str(path), line))
        installed = [theme_folder(self.config.html_theme), SPHINX_FOLDER]
        for message, places in catalog.metadata.items():
            catalog.metadata[message] = [
                (self.shown_place(Path(source), installed), line, uid)
                for source, line, uid in places]

    def shown_place(self, source: Path, installed: list[Path]) -> str:
        for folder in installed:
            if source.is_relative_to(folder):
                return str(self.outdir / folder.name / source.relative_to(folder))
        return str(source)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_builder(TemplateMessageCatalogBuilder, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
