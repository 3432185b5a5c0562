"""The helpline extension, as every builder renders it, and the errors that stop a build.

The expected numbers below are written out on purpose: they check what
phonenumbers and the extension make of conf.py, so they must not be read from it.
"""

from __future__ import annotations

import re
import runpy
import subprocess
import sys
from pathlib import Path

import phonenumbers
import pytest
from bs4 import BeautifulSoup
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp

from conftest import GUIDE_CONF, guide_helplines

ROOT = Path(__file__).resolve().parent.parent
# The test books' conf.py imports the extension to find the guide's conf.py.
sys.path.insert(0, str(ROOT))

# (display text, dial link) for every number the guide's conf.py defines.
CALL_LINKS = {
    "911": "tel:911",
    "988": "tel:988",
    "1-800-662-HELP (4357)": "tel:+18006624357",
    "1-800-487-4889": "tel:+18004874889",
    "888-905-9004": "tel:+18889059004",
}
TEXT_LINKS = {"988": "sms:988"}
LABELS = ["Public emergency service", "Free public service", "Paid line: an advertiser answers. Not a public service."]
# The paid line's notice as conf.py words it: its disclosure, and the provider's claims.
PAID_LINE = next(line for line in guide_helplines() if line.is_paid)
DISCLOSURE = [text for heading_and_text in PAID_LINE.disclosure for text in heading_and_text]
CLAIMS = ["The provider says:", *PAID_LINE.claims, "We have not checked these claims."]
HTML_BUILDERS = ["html", "dirhtml", "singlehtml", "epub"]


def sphinx_book(builder: str) -> pytest.MarkDecorator:
    """The helpline test book, in a folder of its own per builder (one environment each)."""
    return pytest.mark.sphinx(builder, testroot="helpline", srcdir=f"helpline-{builder}")


def plain(text: str) -> str:
    """Text with typographic quotes and whitespace runs made plain, for comparing."""
    return re.sub(r"\s+", " ", text.replace("\u2019", "'"))


def in_every_form(expected: list[str], text: str) -> list[str]:
    """The expected strings missing from `text`."""
    return [item for item in expected if item not in plain(text)]


def html_pages(app: SphinxTestApp) -> str:
    pages = [*app.outdir.rglob("*.html"), *app.outdir.rglob("*.xhtml")]
    return "\n".join(page.read_text() for page in pages if "_static" not in page.parts)


def notices(html: str) -> list[BeautifulSoup]:
    return BeautifulSoup(html, "html.parser").select("section.helpline")


@pytest.mark.parametrize(
    "builder", [pytest.param(name, marks=sphinx_book(name)) for name in HTML_BUILDERS]
)
def test_html_builders_render_labelled_regions_with_call_links(app: SphinxTestApp, builder: str) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    html = html_pages(app)
    regions = notices(html)
    # index: the full notice and two chosen lines; compact: two compact notices.
    assert len(regions) >= 4
    for region in regions:
        if region.get("aria-labelledby"):
            heading = region.find(id=region["aria-labelledby"])
            assert heading is not None and re.fullmatch(r"h[2-6]", heading.name), region
        else:
            assert region.get("aria-label"), region
    links = {a.get_text(): a["href"] for region in regions for a in region.select("a[href]")}
    for display, uri in CALL_LINKS.items():
        assert links.get(f"Call {display}", links.get(f"TTY {display}")) == uri
    for display, uri in TEXT_LINKS.items():
        if builder == "epub":  # an e-reader cannot text: the words stay, the sms: link goes
            assert f"Text {display}" in html and uri not in html
        else:
            assert links[f"Text {display}"] == uri
    text = " ".join(region.get_text(" ") for region in regions)
    assert in_every_form(LABELS + DISCLOSURE + CLAIMS, text) == []


@sphinx_book("latex")
def test_latex_prints_numbers_in_full_in_a_box_without_link_footnotes(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    tex = next(app.outdir.glob("*.tex")).read_text()
    printed = tex.replace(r"\sphinxhyphen{}", "-")
    assert "\\begin{sphinxShadowBox}" in tex
    for display in CALL_LINKS:
        assert display in printed
    # latex_show_urls = "footnote" in the test book: a tel: link would add one.
    assert "tel:" not in tex and "sms:" not in tex
    assert in_every_form(LABELS + DISCLOSURE + CLAIMS, printed.replace("\\&", "&").replace("\\%", "%")) == []


@pytest.mark.parametrize(
    ("builder", "suffix"),
    [
        pytest.param("text", "txt", marks=sphinx_book("text")),
        pytest.param("man", "1", marks=sphinx_book("man")),
        pytest.param("texinfo", "texi", marks=sphinx_book("texinfo")),
    ],
)
def test_plain_text_builders_keep_numbers_and_paragraphs(app: SphinxTestApp, builder: str, suffix: str) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    output = "\n".join(path.read_text() for path in app.outdir.glob(f"*.{suffix}"))
    readable = output.replace("\\-", "-").replace("\\(aq", "'").replace("@footnote", " ")
    for display in CALL_LINKS:
        assert display in readable
    assert in_every_form(LABELS + DISCLOSURE + CLAIMS, readable) == []
    if builder == "text":
        # Each label, heading and text stands in its own paragraph.
        for paragraph in ["Free public service", "Where do calls go?", "Who answers?"]:
            assert f"\n\n{paragraph}\n\n" in output


def configured_line_texts(line: dict) -> list[str]:
    """A line's texts in conf.py: everything but its number, kind and key."""
    texts = [line["name"], line.get("short_name"), line["purpose"], line.get("hours"), line.get("languages")]
    texts += [*line.get("claims", []), *line.get("notes", [])]
    texts += [part for pair in line.get("disclosure", {}).items() for part in pair]
    return [text for text in texts if text]


def catalog_entries(pot: Path) -> dict[str, list[str]]:
    """msgid -> its "#:" locations, as a translator's tools read them."""
    from babel.messages.pofile import read_po

    with pot.open("rb") as file:
        return {message.id: [f"{path}:{line}" for path, line in message.locations]
                for message in read_po(file) if message.id}


def test_gettext_puts_conf_py_texts_in_their_own_catalog_with_their_lines(build) -> None:
    """`make gettext`: every text from conf.py once, in conf.pot, located at its line of
    conf.py; none of them, nor the extension's labels, in a page's catalog."""
    catalogs = build("gettext")
    conf_pot = catalog_entries(catalogs / "conf.pot")
    texts = [GUIDE_CONF["project"], GUIDE_CONF["export_description"], GUIDE_CONF["helpline_title"],
             *GUIDE_CONF["generated_page_descriptions"].values()]
    texts += [text for line in GUIDE_CONF["helpline_lines"].values() for text in configured_line_texts(line)]
    assert [text for text in texts if text not in conf_pot] == []
    conf_lines = (ROOT / "conf.py").read_text().splitlines()
    for text in texts:
        [location] = conf_pot[text]
        path, line = location.rsplit(":", 1)
        assert (catalogs / path).resolve() == ROOT / "conf.py", location
        assert text[:20] in conf_lines[int(line) - 1], f"conf.pot puts {text!r} at conf.py:{line}"
    labels = ["Hours", "Languages", "Free public service", "Call {number}"]
    in_pages = {pot.name: found for pot in catalogs.glob("*.pot") if pot.name != "conf.pot"
                if (found := sorted(set(catalog_entries(pot)) & {*texts, *labels}))}
    assert in_pages == {}, "a page's catalog holds conf.py's texts or the extension's labels"


@sphinx_book("dummy")
def test_compact_doctree_matches_the_reviewed_one(app: SphinxTestApp, file_regression) -> None:
    """The nodes a builder gets; review the .xml diff when the markup changes on purpose."""
    app.build()
    doctree = re.sub(r' source="[^"]*"', "", app.env.get_doctree("compact").pformat())
    file_regression.check(doctree, fullpath=ROOT / "tests" / "helpline_regression" / "compact-doctree.xml")


def test_the_translations_template_lists_every_label(tmp_path: Path) -> None:
    """helpline/locales/helpline.pot must be refreshed when a label changes (see docs/helpline.md)."""
    fresh = tmp_path / "helpline.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "--no-location", "-o", str(fresh), str(ROOT / "helpline")],
        check=True, capture_output=True,
    )

    def msgids(path: Path) -> set[str]:
        return set(re.findall(r'^msgid "(.+)"$', path.read_text(), flags=re.MULTILINE))

    assert msgids(ROOT / "helpline" / "locales" / "helpline.pot") == msgids(fresh)


def test_bad_directives_stop_the_build_naming_file_and_line(rootdir: Path, tmp_path: Path) -> None:
    source = rootdir / "test-helpline-bad"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-b", "html", str(source), str(tmp_path)],
        capture_output=True, text=True, check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    page = source / "index.md"
    expected = [
        f"{page}:3: ERROR: helpline: unknown line name(s) 'emergncy'; known: emergency, general, lifeline, samhsa",
        f"{page}:7: WARNING: 'helpline': Invalid option value for 'style': tiny: \"tiny\" unknown; "
        'choose from "full", or "compact"',
        f"{page}:11: WARNING: 'helpline': Unknown option key: 'colour' (allowed: ['style', 'title'])",
        f"{page}:14: ERROR: helpline: a paid line must be shown beside a free public line; add one of: lifeline, samhsa",
        f"{page}:18: WARNING: 'helpline': Invalid option value for 'title': None: argument required but none supplied",
        f"{page}:21: ERROR: helpline: line name(s) given twice: 'emergency'",
        f"{page}:24: WARNING: 'helpline': Has content, but none permitted",
        f"{page}:28: ERROR: helpline: the title is empty; set :title: or helpline_title in conf.py",
    ]
    assert [line for line in expected if line not in result.stderr] == [], result.stderr


@pytest.fixture(scope="module")
def guide_lines() -> dict:
    """The guide's own helpline_lines; a test changes a copy."""
    return runpy.run_path(str(ROOT / "conf.py"))["helpline_lines"]


CONF = str(ROOT / "tests" / "roots" / "test-helpline" / "conf.py")
BAD_SETTINGS = [
    (("general", "number", "555-0100"), f"{CONF}: helpline_lines['general']['number']: '555-0100' is not a valid, dialable number in region US"),
    (("general", "number", "+44 20 7946 0958"), "'+44 20 7946 0958' is not a valid, dialable number in region US"),
    (("general", "number", "call us"), "helpline_lines['general']['number']: 'call us' is not a phone number"),
    (("general", "number", "888-905-9004 ext. 12"), "helpline_lines['general']['number']: '888-905-9004 ext. 12' has an extension"),
    (("lifeline", "number", "9 8 8"), "'9 8 8': write a short number as its digits only, e.g. '988'"),
    (("samhsa", "tty", "12345"), "helpline_lines['samhsa']['tty']: '12345' is not a valid, dialable number in region US"),
    (("general", "disclosure", {}), f"{CONF}: helpline_lines['general']['disclosure']: a paid line needs its disclosure"),
    (("general", "disclosure", {"Who answers?": " "}), "helpline_lines['general']['disclosure']: must be a dict of heading -> non-empty text"),
    (("samhsa", "name", ""), f"{CONF}: helpline_lines['samhsa']['name']: must be a non-empty string"),
    (("samhsa", "purpose", "  "), "helpline_lines['samhsa']['purpose']: must be a non-empty string"),
    (("samhsa", "kind", "free"), "helpline_lines['samhsa']['kind']: must be one of ['paid', 'public', 'emergency'], not 'free'"),
    (("samhsa", "colour", "red"), "helpline_lines['samhsa']: unknown key(s) ['colour']"),
    (("samhsa", "number", "1-800-F1OWERS"), "'1-800-F1OWERS': vanity letters must come at the end of the number"),
    (("samhsa", "hours", ""), "helpline_lines['samhsa']['hours']: must be a non-empty string"),
]


@pytest.mark.parametrize(("change", "message"), BAD_SETTINGS, ids=[message for _, message in BAD_SETTINGS])
def test_bad_line_settings_stop_the_build_naming_conf_py_and_key(
    make_app, rootdir: Path, guide_lines: dict, change: tuple[str, str, object], message: str
) -> None:
    line, key, value = change
    lines = {name: dict(settings) for name, settings in guide_lines.items()}
    if value is None:
        del lines[line][key]
    else:
        lines[line][key] = value
    with pytest.raises(ConfigError) as error:
        make_app("html", srcdir=rootdir / "test-helpline", confoverrides={"helpline_lines": lines})
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("helpline_notice", ["emergency", "911"], f"{CONF}: helpline_notice: unknown line name(s) '911'"),
        ("helpline_banner", ["samhsa", "general"], f"{CONF}: helpline_banner: the banner has no room for a paid line's disclosure"),
        ("helpline_notice", ["general"], "helpline_notice: a paid line must be shown beside a free public line"),
        ("helpline_title", " ", f"{CONF}: helpline_title: must be a non-empty string"),
        ("html_theme_options", {"announcement": "Hello"}, f"{CONF}: html_theme_options['announcement'] is set"),
    ],
)
def test_bad_notice_settings_stop_the_build(make_app, rootdir: Path, key: str, value: object, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        make_app("html", srcdir=rootdir / "test-helpline", confoverrides={key: value})
    assert message in str(error.value)


SCRIPT = "<script>alert(1)</script>"


def test_text_from_conf_py_and_from_options_is_escaped(make_app, rootdir: Path, guide_lines: dict, tmp_path: Path) -> None:
    lines = {name: dict(settings) for name, settings in guide_lines.items()}
    lines["samhsa"]["name"] = SCRIPT
    lines["emergency"]["short_name"] = SCRIPT
    source = tmp_path / "book"
    source.mkdir()
    (source / "conf.py").write_text((rootdir / "test-helpline" / "conf.py").read_text())
    (source / "index.md").write_text(
        f"# Escaping\n\n```{{helpline}} emergency samhsa\n:title: {SCRIPT}\n```\n\n"
        f"```{{helpline}} emergency\n:style: compact\n:title: {SCRIPT}\n```\n"
    )
    app = make_app("html", srcdir=source, confoverrides={"helpline_lines": lines})
    app.build()
    html = (app.outdir / "index.html").read_text()
    assert SCRIPT not in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("section.helpline .helpline-heading").get_text() == SCRIPT  # the title, shown as text
    assert SCRIPT in [heading.get_text() for heading in soup.select(".helpline-samhsa .helpline-heading")]
    assert SCRIPT in soup.select_one(".helpline-banner").get_text()
    assert soup.select_one("section.helpline-compact")["aria-label"].startswith(SCRIPT)
    assert not [script for script in soup.find_all("script") if "alert" in script.get_text()]


def test_every_page_of_the_guide_has_the_banner(site_pages: list[Path]) -> None:
    assert site_pages
    for page in site_pages:
        banner = BeautifulSoup(page.read_text(), "html.parser").select_one(".announcement .helpline-banner")
        assert banner is not None, f"{page.name}: no helpline banner"
        links = {a["href"] for a in banner.select("a[href]")}
        assert {"tel:911", "tel:988", "tel:+18006624357"} <= links, page.name
        assert "tel:+18889059004" not in links  # a paid line never appears without its disclosure


def test_getting_help_chapter_shows_the_full_notice(site: Path) -> None:
    page = BeautifulSoup((site / "getting-help.html").read_text(), "html.parser")
    full = page.select("article section.helpline-full")
    assert full, "getting-help.md does not use the helpline directive (```{helpline}```)"
    hrefs = {a["href"] for a in full[0].select("a[href]")}
    assert set(CALL_LINKS.values()) <= hrefs


# A vanity number: digits in the usual groups, the last of them spelled in capitals.
VANITY = re.compile(r"\b(?:1-)?\d{3}-[0-9A-Z]{3}-?[0-9A-Z]{4}\b")
LINK_SCHEMES = re.compile(r"\]\((?:tel|sms):", re.IGNORECASE)


def hand_typed_numbers(text: str) -> list[str]:
    """Phone numbers typed into a chapter rather than taken from the helpline directive."""
    found = [match.raw_string for match in phonenumbers.PhoneNumberMatcher(text, "US")]
    for candidate in VANITY.findall(text):
        digits = phonenumbers.convert_alpha_characters_in_number(candidate)
        if re.search(r"[A-Z]", candidate) and phonenumbers.is_valid_number(phonenumbers.parse(digits, "US")):
            found.append(candidate)
    return found + LINK_SCHEMES.findall(text)


@pytest.mark.parametrize(
    "typed",
    ["Call 1-800-662-4357 now.", "Call 1-800-662-HELP now.", "Call (888) 905-9004.", "[Call](tel:988)", "+1 800 487 4889"],
)
def test_the_number_check_catches_a_typed_number(typed: str) -> None:
    assert hand_typed_numbers(f"Some text. {typed} More text.")


def test_the_number_check_allows_service_names() -> None:
    assert hand_typed_numbers("Call 911 for an overdose. Call or text 988. In 2021, 9,173 people died; 80,000 of 107,000.") == []


def test_no_chapter_types_a_phone_number() -> None:
    chapters = sorted((ROOT / "source").rglob("*.md"))
    assert chapters
    typed = {str(path.relative_to(ROOT)): found for path in chapters if (found := hand_typed_numbers(path.read_text()))}
    assert typed == {}, "use the helpline directive instead of typing a number"


def configured_texts(value: object) -> list[str]:
    """Every string inside a conf.py value (dicts, lists and tuples opened up)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.items() for text in configured_texts(list(item))]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in configured_texts(item)]
    return []


def test_no_template_or_other_setting_types_a_phone_number() -> None:
    """Only helpline_lines may hold a number: page descriptions, titles and templates may not."""
    places = {
        f"conf.py {key}": "\n".join(configured_texts(value))
        for key, value in GUIDE_CONF.items()
        if key != "helpline_lines" and not key.startswith("_")
    }
    templates = sorted((ROOT / "source" / "_templates").rglob("*.html"))
    assert templates and "conf.py generated_page_descriptions" in places
    places |= {str(path.relative_to(ROOT)): path.read_text() for path in templates}
    typed = {place: found for place, text in places.items() if (found := hand_typed_numbers(text))}
    assert typed == {}, "only helpline_lines in conf.py may hold a number"
