"""Every page is valid HTML, as the Nu Html Checker (the W3C validator) reads it.

Errors fail the test. Warnings are advice (e.g. "Article lacks heading" for furo's
<article role="main">): they are reported in pytest's warnings summary, not failed.
"""

from __future__ import annotations

import json
import subprocess
import warnings
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import require_tool

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The checker reads each page as a file, where the policy's 'self' and hashes match nothing,
# so it reports every script and stylesheet as blocked. Chromium checks the policy instead
# (tests/test_privacy.py).
UNCHECKABLE_WARNINGS = ("violates Content Security Policy (meta tag)",)


class HtmlCheckerWarning(UserWarning):
    """A warning from the Nu Html Checker: worth reading, not a reason to fail."""


@pytest.fixture(scope="module")
def checker_messages(site: Path, site_pages: list[Path]) -> list[dict[str, object]]:
    """The checker's messages on every page, from one run of the checker."""
    java = require_tool("java", "apt-get install --no-install-recommends default-jre-headless")
    if not VNU.is_file():
        pytest.fail(f"{VNU} is missing; install it with: make node_modules/.package-lock.json")
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--stdout", "--exit-zero-always",
         *map(str, site_pages)],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"the Nu Html Checker did not run:\n{result.stderr}")
    messages: list[dict[str, object]] = json.loads(result.stdout)["messages"]
    for message in messages:
        message["page"] = Path(str(message.get("url", "")).removeprefix("file:")).relative_to(site)
    return messages


def describe(message: dict[str, object]) -> str:
    return f"{message['page']}:{message.get('lastLine', '?')}: {message['message']}"


def test_every_page_is_valid_html(checker_messages: list[dict[str, object]]) -> None:
    pages_by_warning: dict[str, list[str]] = defaultdict(list)
    for message in checker_messages:
        if message.get("subType") == "warning" and not any(
                text in str(message["message"]) for text in UNCHECKABLE_WARNINGS):
            pages_by_warning[str(message["message"])].append(str(message["page"]))
    for text, pages in sorted(pages_by_warning.items()):
        warnings.warn(f"{text} ({len(pages)} times, on {', '.join(sorted(set(pages)))})",
                      HtmlCheckerWarning, stacklevel=1)
    errors = [describe(message) for message in checker_messages if message["type"] != "info"]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
