"""The Spanish edition: never stale, no typed numbers, plain and person-first, the helpline in Spanish.

- An English edit stops the Spanish build, naming the catalog, its line and the text,
  until the Spanish is brought up to date (`make update-po`, then translate): pages,
  conf.py's texts (conf.po) and the helpline's labels (helpline.po).
- No translation types a number that its English does not have.
- Every Spanish page reads at Fernández-Huerta 70 or more, uses person-first words, and
  has its review date and its sources, like the English.
- The helpline notices, the banner and the PDF's title page are in Spanish, with the
  same tel: and sms: links as the English; the overdose steps keep their order everywhere.
"""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import textstat
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from bs4 import BeautifulSoup, Tag

from conftest import GUIDE_CONF, ROOT, sphinx_build
from test_book import CHAPTERS, NOT_CHAPTERS, Edition, article, is_web_address, parse, prose, sources_section
from test_content import steps_in_order
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
        [sys.executable, "-m", "sphinx", "-c", str(guide), "-W", "--keep-going", "-n", "-q", "--no-color", "-b", "dummy",
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
    """A translated paragraph of more than 100 characters (a warning cuts it) that is one
    whole line of the page, and that line's number."""
    translated = {message.id for message in catalog(po) if message.id and message.string}
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        if line in translated and len(line) > 100:
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


# -- Every Spanish page: plain, person-first, dated and sourced --------------------------------


@pytest.fixture
def spanish_syllables() -> Iterator[None]:
    """textstat counts syllables in Spanish (Fernández-Huerta), then in English again."""
    textstat.set_lang("es")
    yield
    textstat.set_lang("en")


def spanish_page(site: Path, name: str) -> Path:
    return site / "es" / f"{name}.html"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_spanish_prose_is_plain(site: Path, chapter: str, spanish_syllables: None) -> None:
    score = textstat.fernandez_huerta(prose(spanish_page(site, chapter), SPANISH))
    assert score >= MIN_FERNANDEZ_HUERTA, (
        f"es/{chapter}.html reads at Fernández-Huerta {score:.1f} (at least {MIN_FERNANDEZ_HUERTA}: "
        "shorter sentences, shorter words)")


def labels_of_people(text: str) -> list[str]:
    return sorted({found.group(0) for found in LABELS_OF_PEOPLE.finditer(QUOTED.sub("", text))})


def test_the_word_check_catches_a_label_but_not_a_quoted_street_word() -> None:
    assert labels_of_people("Un adicto no es un número. La persona está limpia.") == ["adicto", "limpia"]
    assert labels_of_people("Hay quien dice «estar limpio». Dar negativo en la prueba.") == []


@pytest.mark.parametrize("page", [*CHAPTERS, *NOT_CHAPTERS])
def test_spanish_pages_use_person_first_words(site: Path, page: str) -> None:
    text = article(parse(spanish_page(site, page))).get_text(" ")
    assert labels_of_people(text) == [], (
        f"es/{page}.html: say 'persona con trastorno por consumo de opioides', 'consumo', 'en "
        "recuperación', 'da negativo/positivo' (docs/translating.md)")


def spanish_date(text: str) -> datetime.date:
    day, month, year = re.fullmatch(r"(\d{1,2}) de (\w+) de (\d{4})", text).groups()  # type: ignore[union-attr]
    return datetime.date(int(year), MONTHS.index(month) + 1, int(day))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_spanish_chapter_is_dated_and_sourced(site: Path, chapter: str) -> None:
    main = article(parse(spanish_page(site, chapter)))
    review = SPANISH.review_line.search(main.get_text(" "))
    assert review, f"es/{chapter}.html has no 'Última revisión: <día> de <mes> de <año>' line"
    try:
        reviewed = spanish_date(review["date"])
    except ValueError:
        pytest.fail(f"es/{chapter}.html: 'Última revisión: {review['date']}' is not a real date")
    assert reviewed <= datetime.date.today(), f"es/{chapter}.html: review date {reviewed} is in the future"
    section = sources_section(main, SPANISH)
    assert section is not None, f"es/{chapter}.html has no 'Fuentes' section"
    assert any(is_web_address(link["href"]) for link in section.find_all("a", href=True)), (
        f"es/{chapter}.html: its Fuentes section links no external source")


# -- The helpline in Spanish ---------------------------------------------------------------------

PLAIN_QUOTES = str.maketrans({"\u2019": "'", "\u201c": '"', "\u201d": '"'})


def words(element: Tag) -> str:
    return " ".join(element.get_text(" ").replace("¶", "").split()).translate(PLAIN_QUOTES)


def spanish_for(english: str) -> str:
    """What the Spanish edition must show for a text of a helpline notice or of the banner:
    conf.py's texts from conf.po, the extension's labels from helpline.po."""
    conf_texts = {message.id: message.string for message in catalog(ROOT / CATALOGS / "conf.po") if message.id}
    labels = {message.id: message.string for message in catalog(ROOT / HELPLINE_CATALOG) if message.id}
    if english in conf_texts:
        return str(conf_texts[english])
    if english in labels:
        return str(labels[english])
    for label, spanish in labels.items():
        if "{number}" in label and (number := re.fullmatch(re.escape(label).replace(r"\{number\}", "(.+)"), english)):
            return str(spanish).format(number=number.group(1))
    raise AssertionError(f"{english!r} is in no Spanish catalog")


def notice_texts(notice: Tag) -> list[str]:
    """Each heading, label, text, field name and button of a notice, in order."""
    return [words(element).removesuffix(":").strip() if element.name == "dt" else words(element)
            for element in notice.select("h2, h3, h4, h5, h6, p, dt")]


def links(element: Tag) -> list[str]:
    return [link["href"] for link in element.select("a[href]")]


def pages_with_notices(site: Path) -> list[str]:
    names = [page.stem for page in sorted(site.glob("*.html")) if parse(page).select("section.helpline")]
    assert "getting-help" in names and "index" in names
    return names


def test_every_helpline_notice_reads_in_spanish_with_the_english_links(site: Path) -> None:
    for name in pages_with_notices(site):
        english = parse(site / f"{name}.html").select("section.helpline")
        spanish = parse(spanish_page(site, name)).select("section.helpline")
        assert [links(notice) for notice in spanish] == [links(notice) for notice in english], name
        for english_notice, spanish_notice in zip(english, spanish, strict=True):
            expected = [spanish_for(text) for text in notice_texts(english_notice)]
            assert notice_texts(spanish_notice) == expected, f"es/{name}.html"


def test_the_banner_reads_in_spanish_with_the_english_links(site: Path) -> None:
    for name in ("index", "getting-help", "overdose"):
        english = parse(site / f"{name}.html").select_one(".helpline-banner")
        spanish = parse(spanish_page(site, name)).select_one(".helpline-banner")
        assert english is not None and spanish is not None
        assert links(spanish) == links(english)
        expected = [spanish_for(words(english.select_one(".helpline-banner-intro")))]
        expected += [f"{spanish_for(words(link).removesuffix(link.strong.get_text()).strip())} {link.strong.get_text()}"
                     for link in english.select("a")]
        assert [words(spanish.select_one(".helpline-banner-intro"))] + [words(link) for link in spanish.select("a")] \
            == expected


def test_the_spanish_notice_gives_988s_spanish_options_and_the_paid_lines_whole_disclosure(site: Path) -> None:
    """Written out on purpose, like the English tests' words: a translation must not weaken them."""
    page = parse(spanish_page(site, "getting-help"))
    lifeline = words(page.select_one(".helpline-full .helpline-lifeline"))
    assert "oprima el 2" in lifeline and "AYUDA" in lifeline and "llame al 911, no al 988" in lifeline
    assert page.select_one('.helpline-lifeline a[href="sms:988"]') is not None
    for _, block in [(name, block) for name in pages_with_notices(site)
                     for block in parse(spanish_page(site, name)).select(".helpline-kind-paid")]:
        label = words(block.select_one(".helpline-label"))
        assert label == "Línea pagada: la atiende un anunciante. No es un servicio público."
        disclosure = " ".join(words(text) for text in block.select(".helpline-disclosure"))
        for must_say in ("puede pasar a una empresa de tratamiento", "devolverle la llamada",
                         "paga por anunciarse", "servicio público"):
            assert must_say in disclosure, must_say
        assert "confidencial" not in disclosure, "'privadas y confidenciales' is the provider's claim"
        assert "confidenciales" in words(block.select_one(".helpline-claims"))
        assert words(block).index("El proveedor dice:") < words(block).index("No hemos comprobado estas afirmaciones.")


def test_the_spanish_pdf_title_page_prints_the_lines_in_spanish(tmp_path: Path) -> None:
    """The LaTeX source of the Spanish PDF (`make pdf` runs pdflatex on it)."""
    tex = next(sphinx_build("latex", tmp_path / "latex", "-D", "language=es", "-d", str(tmp_path / "doctrees"))
               .glob("*.tex")).read_text(encoding="utf-8").replace(r"\sphinxhyphen{}", "-")
    assert rf"\title{{{spanish_for(GUIDE_CONF['project'])}}}" in tex
    assert r"\authoraddress{\textbf{Ayuda ahora:}\\ \textbf{Servicios de emergencia 911}: Llame al 911" in tex
    assert "Envíe un mensaje de texto al 988" in tex and "Llame al 1-800-662-HELP (4357), TTY 1-800-487-4889" in tex


# The overdose steps in Spanish, in the order of meaning every place must keep (S17, S18).
SPANISH_OVERDOSE_STEPS = [
    ("llame al 911", r"\bllame al 911\b"),
    ("naloxona", r"\bnaloxona\b"),
    ("no respira, o solo da bocanadas", r"no respira,? o solo da bocanadas"),
    ("respiraciones de rescate o RCP", r"respiraciones de rescate o RCP"),
    ("el operador del 911 le dice cómo", r"operador del 911"),
    ("de lado, cuando ya respire", r"cuando ya respire,? póngala de lado"),
    ("quédese con la persona", r"quédese con la persona"),
]


def test_spanish_overdose_steps_say_the_same_thing_in_the_same_order_everywhere(site: Path) -> None:
    """The chapter's steps, the home page's, and 911's purpose in conf.po."""
    def ordered_list(page: str, section: str) -> str:
        found = parse(spanish_page(site, page)).find(id=section)
        assert found is not None and found.find("ol") is not None, f"es/{page}.html#{section}"
        return words(found.find("ol"))

    purpose = parse(spanish_page(site, "getting-help")).select_one(".helpline-emergency .helpline-purpose")
    assert purpose is not None
    places = {
        "overdose.po": ordered_list("overdose", "what-to-do-step-by-step"),
        "index.po": ordered_list("index", "if-someone-may-be-overdosing"),
        "conf.po (911's purpose)": words(purpose),
    }
    problems = {place: found for place, text in places.items()
                if (found := steps_in_order(text, SPANISH_OVERDOSE_STEPS))}
    assert not problems, f"overdose steps out of order (S17, S18): {problems}"
    assert places["overdose.po"] == places["index.po"], "the home page's steps differ from the chapter's"
