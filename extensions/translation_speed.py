"""Translated texts parse as fast as the pages they come from.

A translation's build parses each translated text of a page on its own, with MyST (Sphinx's
i18n transform). For every one of them MyST first makes a document that it throws away
(``options.get("document", make_document())`` makes it even when the caller gives one),
with docutils' default settings, which docutils builds from an option parser of all its
components: about half of the Spanish edition's build. Those settings are the same every
time, so docutils computes them once here and MyST gets a copy each time.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from docutils.frontend import Values, get_default_settings
from myst_parser.mdit_to_docutils import base

if TYPE_CHECKING:
    from sphinx.application import Sphinx


@functools.cache
def computed_default_settings(*components: Any) -> Values:
    return get_default_settings(*components)


def default_settings(*components: Any) -> Values:
    """docutils' default settings for these components: computed once, copied each time,
    as each document may change its own."""
    return computed_default_settings(*components).copy()


def setup(app: Sphinx) -> dict[str, Any]:
    # The name MyST's make_document calls, imported from docutils.frontend.
    base.get_default_settings = default_settings  # type: ignore[attr-defined]
    return {"parallel_read_safe": True, "parallel_write_safe": True}
