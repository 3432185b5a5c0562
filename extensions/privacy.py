"""What the site lets a page load and tell: a Content-Security-Policy and no referrer.

- Every HTML page gets ``<meta name="referrer" content="no-referrer">``: following a Sources
  link tells the other site nothing about where the reader came from.
- Every HTML page gets a ``<meta http-equiv="Content-Security-Policy">`` as the first tag
  after its ``<meta charset>``: nothing from another host, no plugins, no ``<base>``, forms
  sent only to this site. Inline scripts and styles run only if the policy names their
  sha256 hash. The hashes are computed after the build from each page as written, so a
  script or style that a template, an extension or a theme update inlines later is hashed
  too. Inline event handlers (``onclick=``) and ``javascript:`` links are never allowed:
  each one is a warning naming the page and line, so the strict build stops.
- ``_headers`` at the site's root gives the same policy, for every page at once, plus
  ``Referrer-Policy: no-referrer``, as headers for the hosts that read that file.
- ``make serve`` (sphinx-autobuild) adds to every page it serves a script that reloads
  the page after each build. The Makefile names the address it serves at in
  GUIDE_LIVE_RELOAD, and that build's policies allow exactly that script, by its hash.

The EPUB gets neither: its reading systems apply their own rules, and the book runs no
script (see docs/hosting.md).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from editions import own_pages
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

REFERRER_META = '<meta name="referrer" content="no-referrer" />'
# The builders whose pages a browser opens from a host or from file://.
WEB_BUILDERS = frozenset({"html", "dirhtml", "singlehtml"})
# Everything but inline code comes from this site. furo's stylesheets draw their icons
# from data: images.
IMAGE_SOURCES = ["'self'", "data:"]
# Response headers for the hosts that read them from a file in the site.
HEADERS_FILE = "_headers"
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
CHARSET_META = re.compile(r"<meta charset=[^>]*>", re.IGNORECASE)
LIVE_RELOAD = "GUIDE_LIVE_RELOAD"


def sha256_source(text: str) -> str:
    """A CSP source that allows exactly this script, style or style attribute."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@dataclass
class InlineCode:
    """The inline scripts, styles and style attributes of one page, and what no hash allows."""

    scripts: set[str] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)
    style_attributes: set[str] = field(default_factory=set)
    # (line, what) for each inline event handler and javascript: link: nothing may allow them.
    forbidden: list[tuple[int, str]] = field(default_factory=list)


class InlineCodeFinder(HTMLParser):
    """Collect a page's inline code exactly as a browser hashes it."""

    def __init__(self) -> None:
        super().__init__()
        self.found = InlineCode()
        self._element: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in {"script", "style"} and "src" not in attributes:
            self._element, self._text = tag, []
        for name, value in attrs:
            if name.startswith("on"):
                self.found.forbidden.append((self.getpos()[0], (
                    f'<{tag} {name}="…">, an inline event handler; '
                    "use addEventListener in a script")))
            elif name == "style":
                self.found.style_attributes.add(value or "")
            elif (name in {"href", "src", "action", "formaction"} and value
                  and value.strip().lower().startswith("javascript:")):
                self.found.forbidden.append(
                    (self.getpos()[0], f'<{tag} {name}="{value}">, a javascript: link'))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._element = None

    def handle_data(self, data: str) -> None:
        if self._element is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != self._element:
            return
        text = "".join(self._text)
        (self.found.scripts if tag == "script" else self.found.styles).add(text)
        self._element = None


def find_inline_code(page: str) -> InlineCode:
    finder = InlineCodeFinder()
    finder.feed(page)
    finder.close()
    return finder.found


def content_security_policy(code: InlineCode, *extra_directives: str) -> str:
    """The page's policy: the fixed directives, plus a hash for each piece of inline code."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *sorted(map(sha256_source, code.scripts))],
        "style-src": ["'self'", *sorted(map(sha256_source, code.styles))],
    }
    if code.style_attributes:
        # A style="" attribute is allowed by its hash only with 'unsafe-hashes'.
        directives["style-src-attr"] = [
            "'unsafe-hashes'", *sorted(map(sha256_source, code.style_attributes))]
    directives |= {
        "img-src": IMAGE_SOURCES,
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join([*(f"{name} {' '.join(sources)}" for name, sources in directives.items()),
                      *extra_directives])


def served_scripts() -> set[str]:
    """The inline scripts a local server adds to every page it serves: `make serve`'s
    live reload, at the address GUIDE_LIVE_RELOAD names."""
    address = os.environ.get(LIVE_RELOAD)
    if not address:
        return set()
    from sphinx_autobuild.middleware import web_socket_script  # type: ignore[import-untyped]

    return find_inline_code(str(web_socket_script(address))).scripts


def with_policy(page: str, location: str) -> tuple[str, InlineCode]:
    """The page with its policy as the first tag after <meta charset>, replacing an old one;
    and the inline code the policy allows."""
    page = CSP_META.sub("", page, count=1)
    code = find_inline_code(page)
    code.scripts |= served_scripts()
    for line, problem in code.forbidden:
        logger.warning("%s:%d: the Content-Security-Policy blocks %s", location, line, problem)
    charset = CHARSET_META.search(page)
    if charset is None:
        logger.warning("%s: no <meta charset> to put the Content-Security-Policy after",
                       location)
        return page, code
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(code)}">'
    return page[:charset.end()] + meta + page[charset.end():], code


def headers_file(code: InlineCode) -> str:
    """Netlify's and Cloudflare Pages' ``_headers``: every page's policy at once, as headers.

    A header may also say what a <meta> cannot: no other site may show the guide in a frame.
    """
    policy = content_security_policy(code, "frame-ancestors 'none'")
    return (
        "# The guide's response headers, for hosts that read a _headers file (Netlify,\n"
        "# Cloudflare Pages). Written by extensions/privacy.py: see docs/hosting.md.\n"
        f"/*\n  Content-Security-Policy: {policy}\n  Referrer-Policy: no-referrer\n")


def write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def add_no_referrer(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    if app.builder.name in WEB_BUILDERS:
        context["metatags"] = context.get("metatags", "") + REFERRER_META


def add_content_security_policy(app: Sphinx, exception: Exception | None) -> None:
    """Give every written page its policy, and write all of them as one header policy.

    Only a page whose policy changed is written again: an incremental build leaves the
    pages it did not write alone, byte for byte.
    """
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    outdir = Path(app.outdir)
    site = InlineCode()
    for path in own_pages(app):
        if "_static" in path.relative_to(outdir).parts:
            continue
        protected, code = with_policy(path.read_text(encoding="utf-8"), str(path))
        write_if_changed(path, protected)
        site.scripts |= code.scripts
        site.styles |= code.styles
        site.style_attributes |= code.style_attributes
    write_if_changed(outdir / HEADERS_FILE, headers_file(site))


def setup(app: Sphinx) -> dict[str, Any]:
    # Which pages are this build's, and which edition it makes.
    app.setup_extension("editions")
    app.connect("html-page-context", add_no_referrer)
    app.connect("build-finished", add_content_security_policy)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
