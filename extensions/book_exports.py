"""The guide as a book: the PDF's chapters, the EPUB's cover and dates, the site's downloads.

- The web navigation lists ``genindex``; a book prints its own index, so builders that
  inline the toctree (LaTeX, EPUB, single page) drop it.
- In the PDF the home page becomes chapter 1, and every page after it a chapter.
- Each edition (English, or a translation built with ``-D language=<code>``) names, titles
  and describes its own PDF and EPUB in its language: ``plain-guide.pdf`` for English,
  ``plain-guide-es.pdf`` for Spanish, with the PDF's language and the EPUB's identifier to match.
- The EPUB gets a cover drawn from the title and author, and, with SOURCE_DATE_EPOCH set,
  every file in it dated by it, so two builds of the same sources are byte-identical.
- ``make site`` names the folder holding the edition's PDF and EPUB in the GUIDE_DOWNLOADS
  environment variable: the edition's site then publishes them at its root and its sidebar
  (``sidebar/downloads.html``) links them. Other builds link no download, so no build
  ever links a file it does not hold.
- Web pages get the print stylesheet; the EPUB gets its own small fixes instead.
"""

from __future__ import annotations

import html
import os
import textwrap
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.numbers import format_decimal
from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ConfigError
from sphinx.util.texescape import escape as escape_tex

from editions import this_edition

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

# Index pages Sphinx generates; the web toctree may list them.
GENERATED_PAGES = frozenset({"genindex", "modindex", "search"})
# Builders whose toctree is navigation (links), not content to inline.
NAVIGATING_BUILDERS = frozenset({"html", "dirhtml"})
DOWNLOAD_KINDS = {".pdf": ("PDF", "application/pdf"), ".epub": ("EPUB", "application/epub+zip")}
# The oldest date a zip file can hold (1980-01-01).
ZIP_EPOCH = 315532800
# The longest line of the cover's title, in characters, that fits its width at its size.
COVER_LINE_CHARACTERS = 18


def drop_generated_pages_from_book_toctrees(app: Sphinx, doctree: nodes.document) -> None:
    """Keep `genindex` in the web navigation only: a book prints its own index at the end.

    Left in, the LaTeX and single-page builders fail on a page that does not exist and the
    EPUB spine lists the index twice (Sphinx issue #13733).
    """
    if app.builder.name in NAVIGATING_BUILDERS:
        return
    for toctree in doctree.findall(addnodes.toctree):
        toctree["entries"] = [
            (title, ref) for title, ref in toctree["entries"] if ref not in GENERATED_PAGES
        ]
        toctree["includefiles"] = [
            name for name in toctree["includefiles"] if name not in GENERATED_PAGES
        ]


def open_the_book_with_the_home_page(app: Sphinx, doctree: nodes.document) -> None:
    """Make the home page the PDF's first chapter, and every page after it a chapter.

    LaTeX takes the home page's title for the book's title and its sections for chapters,
    and the chapters its toctree includes would become sections of the section holding the
    toctree. So the home page's content moves into a chapter under the same title, and the
    toctree follows that chapter.
    """
    if app.builder.name != "latex" or app.env.current_document.docname != app.config.root_doc:
        return
    home = next(iter(doctree.findall(nodes.section)))
    toctrees = [wrapper for wrapper in home.findall(nodes.compound)
                if "toctree-wrapper" in wrapper["classes"]]
    for wrapper in toctrees:
        wrapper.parent.remove(wrapper)
    title, *content = home.children
    chapter = nodes.section("", title.deepcopy(), *content)
    home.children = []
    home += [title, chapter, *toctrees]


def edition_basename(config: Config) -> str:
    """This edition's PDF and EPUB file name, without the suffix: the edition at the site's
    root keeps the plain name (plain-guide), every other one adds its language (plain-guide-es)."""
    if not this_edition(config).folder:
        return str(config.export_basename)
    return f"{config.export_basename}-{config.language}"


def title_the_edition_exports(app: Sphinx, config: Config) -> None:
    """Name, title and describe this edition's PDF and EPUB, in its language.

    Connected after the other config-inited handlers, so the title and description are the
    edition's own once conf.py's texts are translated.
    """
    basename = edition_basename(config)
    config.latex_documents = [
        (config.root_doc, f"{basename}.tex", config.project, config.author, "manual")]
    # The language a screen reader reads the PDF in, and what the file is about.
    metadata = (rf"\hypersetup{{pdflang={{{config.language}}}, "
                rf"pdfsubject={{{escape_tex(config.export_description)}}}}}")
    config.latex_elements = {**config.latex_elements,
                             "hyperref": f"{config.latex_elements['hyperref']}\n{metadata}"}
    config.epub_basename = basename
    config.epub_title = config.project
    config.epub_description = config.export_description
    if this_edition(config).folder:
        # Another book: its own identifier, still a valid XML id (see conf.py).
        config.epub_identifier = f"{config.epub_identifier}-{config.language}"
        config.epub_uid = f"{config.epub_uid}-{config.language}"


def readable_size(size: int, language: str) -> str:
    """A file's size as readers of the language write it: 1.2 MB, 1,2 MB."""
    if size >= 1_000_000:
        return f"{format_decimal(size / 1_000_000, format='0.0', locale=language)} MB"
    return f"{format_decimal(size // 1000, locale=language)} KB"


def offer_downloads(app: Sphinx, config: Config) -> None:
    """Publish the edition's files in GUIDE_DOWNLOADS and list them for sidebar/downloads.html."""
    folder = os.environ.get("GUIDE_DOWNLOADS")
    if not folder:
        return
    basename = edition_basename(config)
    files = sorted(Path(folder).glob("*")) if Path(folder).is_dir() else []
    if not files or any(path.stem != basename or path.suffix not in DOWNLOAD_KINDS
                        for path in files):
        raise ConfigError(
            f"GUIDE_DOWNLOADS={folder} must be a folder holding only this edition's PDF and "
            f"EPUB, {basename}.pdf and {basename}.epub (`make site` makes it); it holds: "
            f"{', '.join(path.name for path in files) or 'nothing'}")
    files.sort(key=lambda path: list(DOWNLOAD_KINDS).index(path.suffix))
    # Relative to the configuration folder, like the rest of html_extra_path: the build's
    # record of its settings (.buildinfo) then holds no path of this machine.
    config.html_extra_path.append(os.path.relpath(Path(folder).resolve(), app.confdir))
    config.html_context["downloads"] = [
        {"file": path.name, "label": DOWNLOAD_KINDS[path.suffix][0],
         "type": DOWNLOAD_KINDS[path.suffix][1],
         "size": readable_size(path.stat().st_size, config.language)}
        for path in files
    ]


def draw_epub_cover(app: Sphinx) -> None:
    """A plain cover for reading apps' shelves (epub_cover): the title and author as SVG text."""
    if app.builder.name != "epub":
        return
    project, author = app.config.project, app.config.author
    lines = [html.escape(line) for part in project.replace(": ", ":\n").splitlines()
             for line in textwrap.wrap(part, COVER_LINE_CHARACTERS)]
    title = "".join(
        f'<text x="300" y="{330 + 90 * number}" font-size="52" font-weight="bold">{line}</text>'
        for number, line in enumerate(lines))
    cover = Path(app.outdir) / app.config.epub_cover[0]
    cover.parent.mkdir(parents=True, exist_ok=True)
    cover.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 900" width="600" height="900">'
        '<rect width="600" height="900" fill="#1d3f8f"/>'
        '<g fill="#ffffff" font-family="sans-serif" text-anchor="middle">'
        f'{title}<text x="300" y="800" font-size="30">{html.escape(author)}</text></g></svg>\n')


def date_the_epub_files(app: Sphinx, exception: Exception | None) -> None:
    """Date every file in the EPUB by SOURCE_DATE_EPOCH, as Sphinx dates the book itself.

    Sphinx zips each file with the time it wrote it, so two builds of the same sources
    would give two different EPUBs. Order and compression stay as Sphinx made them (the
    mimetype first, uncompressed); permissions become a plain file's, whatever the umask.
    """
    source_date_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if exception is not None or app.builder.name != "epub" or source_date_epoch is None:
        return
    epub = Path(app.outdir) / f"{app.config.epub_basename}.epub"
    date_time = time.gmtime(max(int(source_date_epoch), ZIP_EPOCH))[:6]
    with zipfile.ZipFile(epub) as book:
        files = [(info, book.read(info)) for info in book.infolist()]
    with zipfile.ZipFile(epub, "w") as book:
        for info, data in files:
            info.date_time = date_time
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            book.writestr(info, data)


def style_printed_pages(app: Sphinx) -> None:
    """The web pages' print stylesheet; a book has no browser's print button (and
    epubcheck's CSS parser rejects its :has() selector). The book has its own fixes."""
    if app.builder.name == "epub":
        app.add_css_file("book.css")
    else:
        app.add_css_file("print.css", media="print")


def setup(app: Sphinx) -> dict[str, Any]:
    # Before Sphinx's toctree collector (priority 500) records the entries.
    app.connect("doctree-read", drop_generated_pages_from_book_toctrees, priority=400)
    app.connect("doctree-read", open_the_book_with_the_home_page)
    app.add_config_value("export_basename", "guide", "", types=frozenset({str}))
    app.add_config_value("export_description", "", "", types=frozenset({str}))
    app.connect("config-inited", title_the_edition_exports, priority=900)
    app.connect("config-inited", offer_downloads)
    app.connect("builder-inited", style_printed_pages)
    app.connect("builder-inited", draw_epub_cover)
    app.connect("build-finished", date_the_epub_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
