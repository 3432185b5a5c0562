"""The guide's safety content, checked on the built pages a reader gets.

Each test guards one fix of the second edition (issue 11) and fails if the wrong claim
or the missing step comes back: the overdose steps and their order, naloxone's repeat
doses and its wearing off, no "most overdoses happen with someone nearby", naltrexone's
overdose danger, test strips never "safe", withdrawal's real dangers, 988's options and
its line to 911, dated figures, the paid line's whole notice in one block.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import guide_helplines
from test_book import CHAPTERS, article, prose

# The overdose steps in the order of meaning every place must keep (S17, S18).
OVERDOSE_STEPS = [
    ("call 911", r"\b911\b"),
    ("give naloxone", r"\bnaloxone\b"),
    ("not breathing or only gasping", r"not breathing,? or only gasping"),
    ("rescue breaths or CPR", r"rescue breaths or CPR"),
    ("the dispatcher coaches you", r"dispatcher"),
    ("the side position once they breathe", r"once they breathe,? lay them on their side"),
    ("stay with them", r"stay with them"),
]
# Sphinx prints curly quotes; the checks read them plain.
PLAIN_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
DEATH_COUNT = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def page_soup(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / f"{name}.html").read_text(encoding="utf-8"), "lxml")


def words(element: Tag) -> str:
    """An element's text as one line, the way a reader reads it (no pilcrows)."""
    return re.sub(r"\s+", " ", element.get_text(" ")).replace("¶", "").strip().translate(PLAIN_QUOTES)


def section_titled(soup: BeautifulSoup, title: str) -> Tag:
    for heading in article(soup).find_all(["h1", "h2", "h3"]):
        if words(heading) == title:
            section = heading.find_parent("section")
            assert section is not None
            return section
    raise AssertionError(f"no section titled {title!r}")


def sentences(text: str) -> list[str]:
    return [sentence.strip() for sentence in re.split(r"(?<=[.!?])\s+", text) if sentence.strip()]


def all_prose(site: Path) -> dict[str, str]:
    """Every chapter's own prose, Sources and helpline notices left out."""
    return {chapter: re.sub(r"\s+", " ", prose(site / f"{chapter}.html")).translate(PLAIN_QUOTES)
            for chapter in CHAPTERS}


def steps_in_order(text: str, steps: list[tuple[str, str]] = OVERDOSE_STEPS) -> list[str]:
    """The steps missing from `text` or found out of order; empty when all is well."""
    problems, position = [], 0
    for name, pattern in steps:
        found = re.compile(pattern, re.IGNORECASE).search(text, position)
        if found is None:
            problems.append(f"{name!r} missing or out of order")
        else:
            position = found.end()
    return problems


def overdose_step_places(site: Path) -> dict[str, str]:
    """The three places that tell a reader what to do in an overdose."""
    chapter = section_titled(page_soup(site, "overdose"), "What to do, step by step").find("ol")
    home = section_titled(page_soup(site, "index"), "If someone may be overdosing").find("ol")
    purpose = page_soup(site, "getting-help").select_one(".helpline-emergency .helpline-purpose")
    assert chapter is not None and home is not None and purpose is not None
    return {"overdose.md": words(chapter), "index.md": words(home), "conf.py (911's purpose)": words(purpose)}


def test_the_step_check_catches_a_wrong_order() -> None:
    assert steps_in_order("Call 911 and give naloxone. Lay them on their side. Stay with them.")
    assert not steps_in_order(
        "Call 911 and give naloxone. If they are not breathing, or only gasping, give rescue "
        "breaths or CPR; the dispatcher helps. Once they breathe, lay them on their side. Stay with them.")


def test_overdose_steps_say_the_same_thing_in_the_same_order_everywhere(site: Path) -> None:
    places = overdose_step_places(site)
    problems = {place: found for place, text in places.items() if (found := steps_in_order(text))}
    assert not problems, f"overdose steps out of order (S17, S18): {problems}"
    assert places["overdose.md"] == places["index.md"], "the home page's steps differ from the chapter's"


def test_naloxone_use_is_described_exactly(site: Path) -> None:
    text = words(section_titled(page_soup(site, "overdose"), "Naloxone (Narcan)"))
    for must_say in ("one dose", "Do not test", "other nostril", "2 to 3 minutes",
                     "30 to 90 minutes", "call 911 even if the person wakes up", "withdrawal",
                     "more than one dose", "xylazine"):
        assert must_say.lower() in text.lower(), f"overdose.md's naloxone section lacks {must_say!r} (S19-S21)"


def test_no_page_says_naloxone_reverses_any_opioid(site: Path) -> None:
    claims = {chapter: text for chapter, text in all_prose(site).items()
              if re.search(r"\bany opioid\b", text, re.IGNORECASE)}
    assert not claims, f"'any opioid' overstates naloxone: very strong opioids may need several doses: {list(claims)}"


def test_no_page_says_most_overdoses_happen_with_someone_nearby(site: Path) -> None:
    wrong = re.compile(r"most overdoses[^.]*(nearby|friend|family|witness|someone)", re.IGNORECASE)
    found = {chapter: match.group(0) for chapter, text in all_prose(site).items()
             if (match := wrong.search(text))}
    assert not found, f"US data put a bystander at fewer than half of overdose deaths (§21): {found}"


@pytest.mark.parametrize("chapter", ["overdose", "staying-safer"])
def test_pages_about_overdose_say_dont_use_alone(site: Path, chapter: str) -> None:
    assert re.search(r"don't use alone", all_prose(site)[chapter], re.IGNORECASE)


def test_no_page_tells_a_person_to_carry_naloxone_for_their_own_overdose(site: Path) -> None:
    wrong = re.compile(r"if you (use|are at risk)[^.]*carry naloxone", re.IGNORECASE)
    found = [chapter for chapter, text in all_prose(site).items() if wrong.search(text)]
    assert not found, f"a person cannot give themselves naloxone; say who should have it: {found}"
    assert "cannot give yourself naloxone" in all_prose(site)["craving-and-relapse"]


@pytest.mark.parametrize("chapter", ["medicines", "glossary"])
def test_naltrexone_overdose_danger_is_named(site: Path, chapter: str) -> None:
    text = all_prose(site)[chapter].lower()
    for must_say in (r"\bmiss(ed)?\b", "next shot", "stop"):
        assert re.search(must_say, text), f"{chapter}.md: naltrexone's overdose danger lacks {must_say!r} (S23)"


def test_no_page_says_buprenorphine_needs_a_waiver_or_a_visit(site: Path) -> None:
    wrong = [sentence for text in all_prose(site).values() for sentence in sentences(text)
             if "waiver" in sentence.lower() and "no longer" not in sentence.lower()]
    assert not wrong, f"the waiver ended in 2023 (S25): {wrong}"
    assert "telehealth" in all_prose(site)["medicines"]


def test_pain_medicines_figure_says_misused(site: Path) -> None:
    text = all_prose(site)["pain-treatment"]
    assert "misused" in text and "first used opioid pain medicines" not in text


def test_no_page_calls_a_negative_test_strip_safe(site: Path) -> None:
    for chapter, text in all_prose(site).items():
        if "test strip" not in text.lower():
            continue
        for sentence in sentences(text):
            lowered = sentence.lower()
            if "safe" in lowered and ("strip" in lowered or "no fentanyl" in lowered):
                assert re.search(r"\b(not|cannot|never)\b", lowered), (
                    f"{chapter}.md may call a negative strip safe (S22): {sentence!r}")
    # The page that explains test strips says what they miss (S22).
    assert re.search(r"does not (find|test for) xylazine", all_prose(site)["fentanyl-and-mixes"])


def test_withdrawal_names_its_real_dangers_and_when_to_get_help(site: Path) -> None:
    text = all_prose(site)["withdrawal"]
    for must_say in ("dehydration", "lungs", "Get medical help right away"):
        assert must_say in text, f"withdrawal.md lacks {must_say!r}"


def test_988_is_routed_by_location_and_lists_its_options(site: Path) -> None:
    everything = " ".join(all_prose(site).values())
    routed_by_area_code = [sentence for sentence in sentences(everything) if "area code" in sentence
                           and not re.search(r"\b(not|no longer)\b", sentence)]
    assert not routed_by_area_code, f"988 routes by location now (S27): {routed_by_area_code}"
    text = all_prose(site)["getting-help"]
    for must_say in ("Press 1", "Press 2", "AYUDA", "ASL", "call 911, not 988"):
        assert must_say in text, f"getting-help.md lacks {must_say!r}"


def test_988s_notice_sends_an_overdose_to_911(site: Path) -> None:
    purpose = page_soup(site, "getting-help").select_one(".helpline-lifeline .helpline-purpose")
    assert purpose is not None and "call 911, not 988" in words(purpose)
    notes = " ".join(words(note) for note in page_soup(site, "getting-help").select(".helpline-lifeline .helpline-note"))
    assert "press 1" in notes and "near where the phone is" in notes


def test_every_death_count_gives_its_year_and_whether_it_is_final(site: Path) -> None:
    undated = []
    for chapter, text in all_prose(site).items():
        found = sentences(text)
        for index, sentence in enumerate(found):
            if DEATH_COUNT.search(sentence) and re.search(r"\b(died|deaths?)\b", sentence):
                context = " ".join(found[max(0, index - 1): index + 2])
                if not YEAR.search(sentence) or not re.search(r"\b(final|early|provisional)\b", context):
                    undated.append(f"{chapter}: {sentence}")
    assert not undated, f"give a death count's year and whether final or provisional (S30): {undated}"


def test_about_claims_only_the_checks_that_are_done(site: Path) -> None:
    text = all_prose(site)["about"]
    assert not re.search(r"we check every phone number", text, re.IGNORECASE)
    assert "Last reviewed" in text and "Before the guide goes live" in text
    assert "12Step.com" in text


def test_the_confidentiality_rule_is_limited_to_the_programs_it_covers(site: Path) -> None:
    text = all_prose(site)["getting-help"]
    assert "42 CFR Part 2" in text and "federal help" in text


def test_folk_origins_are_not_stated_as_fact(site: Path) -> None:
    wrong = re.compile(r"(is|are) where[^.]*comes from", re.IGNORECASE)
    found = [chapter for chapter, text in all_prose(site).items() if wrong.search(text)]
    assert not found, f"say 'people say', or drop the origin: {found}"


# -- The paid line's notice ----------------------------------------------------

PAID = [line for line in guide_helplines() if line.is_paid]


def paid_blocks(site: Path) -> list[tuple[str, Tag]]:
    """The paid line's blocks in the English edition (tests/test_translations.py checks the Spanish)."""
    blocks = [(page.name, block) for page in sorted(site.glob("*.html"))
              for block in BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").select(".helpline-kind-paid")]
    assert blocks, "no page shows the paid line: these checks would check nothing"
    return blocks


def test_conf_py_has_a_paid_line() -> None:
    assert PAID, "conf.py has no paid line: the paid-notice tests would check nothing"


def test_paid_number_label_claims_and_disclosure_sit_in_one_block(site: Path) -> None:
    for line in PAID:
        for page, block in paid_blocks(site):
            text = words(block)
            where = f"{page}: the {line.key} block"
            assert block.select_one(f'a[href="{line.number.tel_uri}"]'), f"{where} lacks its number"
            assert block.select_one(".helpline-label") and "Paid line" in words(block.select_one(".helpline-label")), where
            assert "We have not checked these claims." in text, where
            for heading, explanation in line.disclosure:
                assert heading in text and explanation in text, f"{where} lacks its disclosure {heading!r}"


def test_paid_notice_says_the_call_may_be_passed_on(site: Path) -> None:
    for line in PAID:
        disclosure = " ".join(explanation for _, explanation in line.disclosure)
        assert "passed on" in disclosure and "call you back" in disclosure, line.key
        assert "confidential" not in disclosure.lower(), "'private and confidential' is the provider's claim"
        assert any("confidential" in claim for claim in line.claims), "show the provider's privacy claim as a claim"
        for _, block in paid_blocks(site):
            claims = words(block.select_one(".helpline-claims"))
            assert "confidential" in claims


def test_paid_line_comes_after_the_free_lines_and_away_from_the_overdose_steps(site: Path) -> None:
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for notice in soup.select("section.helpline"):
            kinds = [block["class"] for block in notice.select(".helpline-line")]
            paid_at = [index for index, classes in enumerate(kinds) if "helpline-kind-paid" in classes]
            assert all(index == len(kinds) - 1 for index in paid_at), f"{page.name}: the paid line is not last"
    steps = section_titled(page_soup(site, "index"), "If someone may be overdosing")
    assert not steps.select(".helpline-kind-paid"), "index.md: the paid line sits with the overdose steps"


def test_home_page_shows_each_line_once(site: Path) -> None:
    links = [link["href"] for link in article(page_soup(site, "index")).select("a[href^='tel:']")]
    twice = sorted({href for href in links if links.count(href) > 1})
    assert links and not twice, f"index.md shows these lines more than once: {twice}"
