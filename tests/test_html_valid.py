"""Every page is valid HTML, as the Nu Html Checker (the W3C validator) reads it.

Errors and warnings both fail the test. Only the checker's notes ("info", such as the
trailing slash Sphinx writes on void elements) pass: they flag nothing wrong; and the one
warning the checker cannot judge from a file (UNCHECKABLE_WARNINGS, with its reason).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import require_tool

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The checker reads each page as a file, where the policy's 'self' and hashes match nothing,
# so it reports every script and stylesheet as blocked. Chromium checks the policy instead
# (tests/test_privacy.py).
UNCHECKABLE_WARNINGS = ("violates Content Security Policy (meta tag)",)


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
    errors = [describe(message) for message in checker_messages if message["type"] != "info"]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)


def test_no_page_draws_a_warning(checker_messages: list[dict[str, object]]) -> None:
    warned = [describe(message) for message in checker_messages
              if message["type"] == "info" and message.get("subType") == "warning"
              and not any(text in str(message["message"]) for text in UNCHECKABLE_WARNINGS)]
    assert not warned, f"{len(warned)} HTML checker warnings:\n" + "\n".join(warned)
