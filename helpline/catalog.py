"""The extension's own labels in other languages ("Call {number}", "Free public service"...).

`helpline/locales/helpline.pot` lists every label (`make gettext` refreshes it from the
code); each language's translations are in `helpline/locales/<language>/LC_MESSAGES/helpline.po`
(`make update-po` merges the template into it). Sphinx loads a catalog as a compiled
`.mo` file, which git does not keep: the build compiles the `.po` when it is newer.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "helpline"
LOCALES = Path(__file__).resolve().parent / "locales"
TEMPLATE = LOCALES / f"{DOMAIN}.pot"


def catalog_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalog(language: str) -> None:
    """Compile the language's helpline.po into helpline.mo beside it, unless it is up to date.

    Fuzzy translations are left out, as Sphinx leaves them out of the pages' catalogs.
    """
    po = catalog_path(language)
    mo = po.with_suffix(".mo")
    if not po.is_file() or mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        return
    with po.open("rb") as file:
        catalog = read_po(file, locale=language)
    # Written aside, then moved into place: two builds at once never read half a file.
    with tempfile.NamedTemporaryFile(dir=mo.parent, suffix=".mo.tmp", delete=False) as compiled:
        write_mo(compiled, catalog)
    os.replace(compiled.name, mo)
