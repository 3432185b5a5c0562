"""Directives a writer could get wrong, each of which must stop the build.

The same settings as the test-helpline book: the guide's own helpline lines.
"""

import runpy
from pathlib import Path

globals().update(
    (key, value)
    for key, value in runpy.run_path(str(Path(__file__).parents[1] / "test-helpline" / "conf.py")).items()
    if not key.startswith("_")
)
