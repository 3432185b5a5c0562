"""The Spanish edition: never stale, no typed numbers, plain and person-first, the helpline in Spanish.

- An English edit stops the Spanish build, naming the catalog, its line and the text,
  until the Spanish is brought up to date (`make update-po`, then translate): pages,
  conf.py's texts (conf.po) and the helpline's labels (helpline.po).
- No translation types a number that its English does not have.
- Every Spanish page reads at Fernández-Huerta 70 or more, uses person-first words, and
  has its review date and its sources, like the English.
- The helpline notices, the banner and the PDF's title page are in Spanish, with the
  same tel: and sms: links as the English.
"""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
from pathlib import Path

import pytest
import textstat
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from bs4 import BeautifulSoup, Tag

from conftest import GUIDE_CONF, ROOT, sphinx_build
from test_book import CHAPTERS, NOT_CHAPTERS, Edition, article, is_web_address, parse, prose, sources_section
from test_helpline import hand_typed_numbers
from test_reproducible import checkout

CATALOGS = Path("source") / "locales" / "es" / "LC_MESSAGES"
HELPLINE_CATALOG = Path("helpline") / "locales" / "es" / "LC_MESSAGES" / "helpline.po"
SPANISH_CATALOGS = sorted((ROOT / CATALOGS).glob("*.po")) + [ROOT / HELPLINE_CATALOG]
MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre"]
SPANISH = Edition(
    sources="Fuentes",
    review_line=re.compile(rf"Última revisión: (?P<date>\d{{1,2}} de (?:{'|'.join(MONTHS)}) de \d{{4}})"),
)
MIN_FERNANDEZ_HUERTA = 70.0
# Labels of people that NIDA's "Words Matter" (and its Spanish pages) ask us not to use:
# docs/translating.md. A street word in quotation marks, as readers say it, may stay.
LABELS_OF_PEOPLE = re.compile(
    r"\b(?:adict[oa]s?|drogadict[oa]s?|toxic[oó]man[oa]s?|yonquis?|limpi[oa]s?|suci[oa]s?|abusos?|vicios?)\b",
    re.IGNORECASE)
QUOTED = re.compile(r"[\"“«][^\"”»]{1,40}[\"”»]")


def catalog(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def translation(path: Path, english: str) -> str:
    """The Spanish for `english` in a catalog (the build uses the same)."""
    message = catalog(path).get(english)
    assert message is not None and message.string and not message.fuzzy, f"{path.name}: {english!r}"
    return str(message.string)


# -- Never stale -------------------------------------------------------------------------


def spanish_build(guide: Path, doctrees: Path) -> subprocess.CompletedProcess[str]:
    """The Spanish step of `make html` on a copy of the guide. The check runs while Sphinx
    reads the pages, so the dummy builder (no HTML written) fails where `make html` would."""
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-c", str(guide), "-W", "--keep-going", "-n", "-q", "-b", "dummy",
         "-D", "language=es", "-d", str(doctrees), str(guide / "source"), str(doctrees.parent / "out")],
        cwd=guide, capture_output=True, text=True, check=False,
    )


def stale(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The build's warnings about stale or missing translations."""
    return [line for line in result.stderr.splitlines() if "[i18n.stale]" in line]


def make_update_po(guide: Path, builddir: Path) -> None:
    """`make update-po` in the copy, with this checkout's installed tools."""
    result = subprocess.run(
        ["make", "--no-print-directory", "update-po", f"VENV={ROOT / '.venv'}", f"BUILDDIR={builddir}"],
        cwd=guide, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def a_one_line_paragraph(page: Path, po: Path) -> tuple[str, int]:
    """A translated paragraph that is one whole line of the page, and that line's number."""
    translated = {message.id for message in catalog(po) if message.id and message.string}
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        if line in translated and len(line.split()) > 8:
            return line, number
    raise AssertionError(f"no one-line paragraph of {page.name} is translated in {po.name}")


@pytest.fixture(scope="module")
def guide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the guide that a test may edit."""
    return checkout(tmp_path_factory.mktemp("stale") / "guide")


def test_an_english_edit_stops_the_spanish_build_until_the_spanish_is_updated(guide: Path, tmp_path: Path) -> None:
    doctrees = tmp_path / "doctrees"
    assert stale(spanish_build(guide, doctrees)) == [], "the guide's Spanish is stale already"

    page, po = guide / "source" / "withdrawal.md", guide / CATALOGS / "withdrawal.po"
    sentence, line = a_one_line_paragraph(page, po)
    changed = f"{sentence} Ask a doctor before you stop."
    page.write_text(page.read_text(encoding="utf-8").replace(sentence, changed), encoding="utf-8")

    # 1. Straight after the edit: the new sentence is in no catalog.
    for build in ("after the edit", "built again with nothing changed"):
        result = spanish_build(guide, doctrees)
        assert result.returncode != 0, build
        assert stale(result) == [
            f"{page}:{line}: WARNING: not in {CATALOGS / 'withdrawal.po'}: run `make update-po`, "
            f'then translate it: "{changed[:99]}…" [i18n.stale]'
        ], build

    # 2. After `make update-po`: the old Spanish is kept, marked fuzzy, at its line of the catalog.
    make_update_po(guide, tmp_path / "build")
    entry = catalog(po).get(changed)
    assert entry is not None and entry.fuzzy and entry.string, "make update-po did not mark the change fuzzy"
    result = spanish_build(guide, doctrees)
    assert result.returncode != 0
    assert stale(result) == [
        f'{po}:{entry.lineno}: WARNING: fuzzy: the English changed; check the translation, then remove '
        f'the "fuzzy" flag: "{changed[:99]}…" [i18n.stale]'
    ]

    # 3. Once the translator has checked it, the build passes again.
    updated = catalog(po)
    updated[changed].string += " Consulte a un médico antes de dejarlo."
    updated[changed].flags.discard("fuzzy")
    with po.open("wb") as file:
        write_po(file, updated, width=76)
    result = spanish_build(guide, doctrees)
    assert stale(result) == [] and result.returncode == 0, result.stderr


def test_conf_py_texts_and_helpline_labels_are_checked_too(guide: Path, tmp_path: Path) -> None:
    conf = guide / "conf.py"
    english = "It does not ask for personal information."
    changed = "It does not ask for your name."
    assert conf.read_text().count(english) == 1
    conf.write_text(conf.read_text().replace(english, changed))
    samhsa_purpose = GUIDE_CONF["helpline_lines"]["samhsa"]["purpose"].replace(english, changed)
    # The line where the text starts.
    [conf_line] = [number for number, line in enumerate(conf.read_text().splitlines(), start=1)
                   if samhsa_purpose[:30] in line]
    labels = guide / HELPLINE_CATALOG
    label = "We have not checked these claims."
    emptied = catalog(labels)
    emptied[label].string = ""
    with labels.open("wb") as file:
        write_po(file, emptied, width=76)
    result = spanish_build(guide, tmp_path / "doctrees")
    assert result.returncode != 0
    assert stale(result) == [
        f"{conf}:{conf_line}: WARNING: not in {CATALOGS / 'conf.po'}: run `make update-po`, then translate "
        f'it: "{samhsa_purpose[:99]}…" [i18n.stale]',
        f'{labels}:{catalog(labels)[label].lineno}: WARNING: not translated: "{label}" [i18n.stale]',
    ]


# -- No number typed in a translation ------------------------------------------------------

# Digits, with the separators a number may be written with in either language (80,000 / 80.000).
NUMBER = re.compile(r"\d+(?:[.,\u00a0 -]\d+)*")


def numbers(text: str) -> set[str]:
    """Every number and phone number in a text, written as digits only."""
    found = {re.sub(r"\D", "", number) for number in NUMBER.findall(text)}
    return found | set(hand_typed_numbers(text))


def typed_numbers(path: Path) -> list[str]:
    """Each entry whose Spanish has a number (or a phone number, or a tel:/sms: link) that
    its English does not have, as "file:line: [numbers]"."""
    found = []
    for message in catalog(path):
        if message.id and message.string and (extra := numbers(str(message.string)) - numbers(str(message.id))):
            found.append(f"{path}:{message.lineno}: {sorted(extra)}")
    return found


def test_the_number_check_catches_a_typed_number(tmp_path: Path) -> None:
    po = tmp_path / "page.po"
    po.write_text(
        'msgid "Call 988 or text AYUDA to 988. 80,000 people. 2.5 mg."\n'
        'msgstr "Llame al 988 o envíe AYUDA al 988. 80.000 personas. 2,5 mg."\n\n'
        'msgid "Call the helpline."\n'
        'msgstr "Llame al 1-800-662-4357."\n\n'
        'msgid "Call for help."\n'
        'msgstr "[Llame](tel:988) o llame a 1-800-662-HELP."\n', encoding="utf-8")
    found = typed_numbers(po)
    assert [entry.split(": ")[0] for entry in found] == [f"{po}:4", f"{po}:7"]  # the entries' msgid lines
    assert "1-800-662-HELP" in found[1] and "](tel:" in found[1]


@pytest.mark.parametrize("po", SPANISH_CATALOGS, ids=[path.name for path in SPANISH_CATALOGS])
def test_no_translation_types_a_number_its_english_does_not_have(po: Path) -> None:
    assert typed_numbers(po) == [], "numbers live in conf.py and in the English: keep the English's numbers"
