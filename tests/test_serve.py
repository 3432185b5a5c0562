"""`make serve` serves both editions, rebuilds them after a change, and reloads open pages.

It runs in a copy of the checkout (a catalog is edited there), sharing this machine's
.venv and node_modules, on a free port; Chromium keeps an English and a Spanish page open
while a Spanish translation changes.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from conftest import ROOT, TRANSLATIONS
from playwright.sync_api import Browser

NOT_IN_A_CHECKOUT = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "build", ".pytest_cache", "__pycache__", ".mypy_cache")
START_SECONDS = 240
RELOAD_MS = 120_000
PAGE = "withdrawal"
RECORD_VIOLATIONS = """
window.policyViolations = [];
document.addEventListener("securitypolicyviolation", (event) =>
  window.policyViolations.push(`${event.effectiveDirective}: ${event.sample}`));
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, server: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"make serve stopped:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(1)
    pytest.fail(f"make serve did not serve {url} within {START_SECONDS} s:\n"
                f"{log.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`make serve` running in a copy of the checkout: (its address, the copy)."""
    checkout = tmp_path_factory.mktemp("serve") / "guide"
    shutil.copytree(ROOT, checkout, ignore=NOT_IN_A_CHECKOUT)
    (checkout / ".venv").symlink_to(ROOT / ".venv")
    (checkout / "node_modules").symlink_to(ROOT / "node_modules")
    port = free_port()
    log = checkout.parent / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"PORT={port}"], cwd=checkout,
            stdout=output, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        # The server starts once the first build of every edition is done.
        wait_for(f"{url}/{TRANSLATIONS[0]}/{PAGE}.html", server, log)
        yield url, checkout
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def translate_the_title(checkout: Path, language: str, title: str) -> None:
    """Give the page's title a new translation in the copy's catalog."""
    catalog_path = checkout / "source" / "locales" / language / "LC_MESSAGES" / f"{PAGE}.po"
    with catalog_path.open("rb") as file:
        catalog = read_po(file)
    catalog[PAGE.capitalize()].string = title
    with catalog_path.open("wb") as file:
        write_po(file, catalog)


def test_both_editions_are_served_and_reload_after_a_change(
    served: tuple[str, Path], browser: Browser,
) -> None:
    url, checkout = served
    language = TRANSLATIONS[0]
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    english, translation = context.new_page(), context.new_page()
    english.goto(f"{url}/{PAGE}.html")
    translation.goto(f"{url}/{language}/{PAGE}.html")
    assert english.evaluate("document.documentElement.lang") == "en"
    assert translation.evaluate("document.documentElement.lang") == language
    for tab in (english, translation):
        tab.evaluate("window.notReloadedYet = true")

    title = "Título cambiado mientras se sirve"
    translate_the_title(checkout, language, title)
    translation.wait_for_function(
        "title => document.querySelector('h1')?.textContent.startsWith(title)",
        arg=title, timeout=RELOAD_MS)
    english.wait_for_function("() => window.notReloadedYet === undefined", timeout=RELOAD_MS)
    for tab in (english, translation):
        assert tab.evaluate("window.policyViolations") == [], tab.url
    context.close()
