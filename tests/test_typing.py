"""The extensions are typed: mypy in strict mode (pyproject.toml) finds nothing."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_extensions_pass_mypy_strict() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
