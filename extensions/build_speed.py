"""Keep the compiled page templates beside the doctrees, for the next build.

Sphinx compiles every Jinja template anew in each build, which is about a tenth of a
``make html`` after one chapter changes. Jinja checks a template's source before it
reuses the compiled one, so a changed template is compiled again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def cache_compiled_templates(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is None:
        return
    cache = Path(app.doctreedir) / "jinja2"
    cache.mkdir(parents=True, exist_ok=True)
    templates.environment.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", cache_compiled_templates)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
