"""A loopback static server that answers as GitHub Pages does: text gzipped, 404.html on a miss.

`make bench` measures the site through it, so Lighthouse sees the bytes a reader's phone
would download, not the larger uncompressed files.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import mimetypes
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

# What GitHub Pages compresses; images such as favicon.ico go as they are.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml",
                "image/svg+xml")
# GitHub Pages' own header: ten minutes.
CACHE_CONTROL = "max-age=600"


def served_file(directory: Path, translated: str) -> tuple[Path, int]:
    """The file a request's path is answered with, and the status: 404.html on a miss."""
    path = Path(translated)
    if path.is_dir():
        path = path / "index.html"
    return (path, 200) if path.is_file() else (directory / "404.html", 404)


def encoded(path: Path, gzipped: bool) -> bytes:
    body = path.read_bytes()
    return gzip.compress(body, mtime=0) if gzipped else body


def body_bytes(directory: Path, url_path: str) -> int:
    """The bytes of the body this server sends for a path to a browser that takes gzip."""
    path, _status = served_file(directory, str(directory / unquote(url_path).lstrip("/")))
    if not path.is_file():
        return 0
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return len(encoded(path, content_type.startswith(COMPRESSIBLE)))


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serve a folder; gzip what a host would gzip; answer a miss with the site's 404.html."""

    # Keep-alive, as every real host offers; Lighthouse models connection reuse from it.
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path, status = served_file(Path(self.directory), self.translate_path(self.path))
        if not path.is_file():
            self.send_error(404)
            return
        content_type = self.guess_type(str(path))
        gzipped = content_type.startswith(COMPRESSIBLE) and "gzip" in self.headers.get(
            "Accept-Encoding", "")
        body = encoded(path, gzipped)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", CACHE_CONTROL)
        if content_type.startswith(COMPRESSIBLE):
            self.send_header("Vary", "Accept-Encoding")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """A browser that drops a kept-alive connection is no error worth a traceback."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on a free loopback port; yield its base URL (ending in /)."""
    handler = functools.partial(GzipHandler, directory=str(directory))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
