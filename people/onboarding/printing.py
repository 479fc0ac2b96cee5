"""The workflow's printed documents: their PDFs, and the masking of ID numbers on public notices.

A document is one template (``templates/onboarding/print/``) shown as an A4 page with a print
button, or rendered by WeasyPrint into a PDF of the same layout. The PDF is made from the
rendered HTML and ``static/css/print_a4.css`` read from disk: no request goes over HTTP and no
web font is fetched; the Chinese glyphs come from the fonts fontconfig finds (Noto CJK from the
Debian package ``fonts-noto-cjk``, see the Makefile and Dockerfile).
"""

from __future__ import annotations

import io
import logging
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse
from django.template.loader import render_to_string

#: The stylesheet of every printed document, on screen, on paper and in the PDF.
PRINT_CSS = "css/print_a4.css"

# WeasyPrint logs every step of every document at INFO ("Step 1 - Fetching and parsing HTML"):
# noise in the server's log. Its warnings (an unknown CSS property, a missing image) still show.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _css_path() -> Path:
    """The stylesheet on disk: from the app's static folders, or the collected files."""
    found = finders.find(PRINT_CSS)
    return Path(found) if found else Path(settings.STATIC_ROOT) / PRINT_CSS


@cache
def _stylesheet(path: str, mtime: float):
    """The parsed stylesheet, once per process (and again when the file changes)."""
    from weasyprint import CSS

    return CSS(filename=path)


def static_files_only(root: Path):
    """A WeasyPrint URL fetcher that reads files under ``root`` and nothing else: a document
    never reaches the network (no web fonts, no remote images) nor other files on the server,
    whatever its text says."""
    from weasyprint.urls import URLFetcher

    root = root.resolve()

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = Path(unquote(parts.path)).resolve()
            if parts.scheme != "file" or not path.is_relative_to(root):
                raise ValueError(f"printed documents read only the static files, not {url}")
            return super().fetch(url, headers)

    return StaticFilesOnly(allowed_protocols=("file",))


def render_pdf(html: str) -> bytes:
    """The PDF of a rendered document. Relative addresses resolve against the static folder, and
    nothing outside it is read (``static_files_only``)."""
    from weasyprint import HTML

    css = _css_path()
    static_root = css.parent.parent
    document = HTML(
        string=html,
        base_url=static_root.as_uri() + "/",
        url_fetcher=static_files_only(static_root),
    )
    return document.write_pdf(stylesheets=[_stylesheet(str(css), css.stat().st_mtime)])


def document_html(request, template: str, context: dict, *, pdf: bool) -> str:
    """The document's HTML: for the screen and the printer (with its stylesheet link, the print
    button and the script), or for WeasyPrint (none of those; the stylesheet is given apart)."""
    return render_to_string(template, {**context, "pdf": pdf}, request=request)


def pdf_response(request, template: str, context: dict, filename: str) -> FileResponse:
    """The document as a PDF shown in the browser (``inline``), saved under ``filename``."""
    data = render_pdf(document_html(request, template, context, pdf=True))
    response = FileResponse(
        io.BytesIO(data), content_type="application/pdf", filename=filename, as_attachment=False
    )
    response["Cache-Control"] = "private, no-store"
    return response
