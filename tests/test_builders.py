"""The whole guide builds strictly with every builder a reader or translator may use,
and each output carries the helpline numbers (the helpline tests cover the details)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

# A file each builder writes that holds the Getting help chapter's text.
GETTING_HELP_OUTPUT = {
    "dirhtml": "getting-help/index.html",
    "singlehtml": "index.html",
    "text": "getting-help.txt",
    "man": "heroinaddictionaplainguide.1",
    "texinfo": "heroinaddictionaplainguide.texi",
    "gettext": "getting-help.pot",
}


# Numbers are not messages to translate; the notice's words are.
EXPECTED = ("1-800-662-HELP (4357)", "888-905-9004", "Who answers?")
EXPECTED_IN_CATALOG = ("Where do calls go?", "Who answers?")


@pytest.mark.parametrize("builder", sorted(GETTING_HELP_OUTPUT))
def test_the_guide_builds_with(builder: str, build: Callable[[str], Path]) -> None:
    output = build(builder) / GETTING_HELP_OUTPUT[builder]
    assert output.is_file(), f"{builder} wrote no {output.name}"
    text = output.read_text(encoding="utf-8").replace("\\-", "-")  # man escapes hyphens
    for expected in EXPECTED_IN_CATALOG if builder == "gettext" else EXPECTED:
        assert expected in text, f"{builder}: {output.name} lacks {expected!r}"
