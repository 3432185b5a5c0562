"""The whole guide builds strictly with every builder a reader or translator may use,
and each output carries the helpline numbers (the helpline tests cover the details)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import guide_helplines

# A file each builder writes that holds the Getting help chapter's text (or, for gettext, its notice's).
GETTING_HELP_OUTPUT = {
    "dirhtml": "getting-help/index.html",
    "singlehtml": "index.html",
    "text": "getting-help.txt",
    "man": "heroinaddictionaplainguide.1",
    "texinfo": "heroinaddictionaplainguide.texi",
    # conf.py's texts, the disclosure among them, have their own catalog (extensions/conf_texts.py).
    "gettext": "conf.pot",
}


# Every configured number as readers see it, and the paid line's disclosure headings.
# Numbers are not messages to translate; the headings are.
DISCLOSURE = [heading for line in guide_helplines() for heading, _text in line.disclosure]
EXPECTED = [line.number.display for line in guide_helplines()] + DISCLOSURE


@pytest.mark.parametrize("builder", sorted(GETTING_HELP_OUTPUT))
def test_the_guide_builds_with(builder: str, build: Callable[[str], Path]) -> None:
    output = build(builder) / GETTING_HELP_OUTPUT[builder]
    assert output.is_file(), f"{builder} wrote no {output.name}"
    text = output.read_text(encoding="utf-8").replace("\\-", "-")  # man escapes hyphens
    for expected in DISCLOSURE if builder == "gettext" else EXPECTED:
        assert expected in text, f"{builder}: {output.name} lacks {expected!r}"
