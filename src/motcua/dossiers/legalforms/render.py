"""Render a snapshot to printable HTML and to PDF (WeasyPrint, bundled fonts, no network)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.template import Context, Engine

import motcua.core
import motcua.dossiers
from motcua.dossiers.legalforms.context import build_context
from motcua.dossiers.legalforms.schema import validate_snapshot

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

FONTS_DIR = Path(motcua.core.__file__).resolve().parent / "fonts"
TEMPLATES_DIR = Path(motcua.dossiers.__file__).resolve().parent / "templates"
FONT_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bold_italic": "LiberationSerif-BoldItalic.ttf",
}


@cache
def _engine() -> Engine:
    # A private engine: the forms never depend on the project's template settings or overrides.
    return Engine(dirs=[str(TEMPLATES_DIR)], app_dirs=False, autoescape=True, debug=False)


def render_html(
    snapshot: Mapping[str, Any], *, font_url: Callable[[str], str] | None = None
) -> str:
    """The form as a complete, printable A4 HTML page; raises ValueError on a bad snapshot.
    ``font_url`` maps a bundled font's file name to the URL the page links (a web page passes
    its static URL); by default the fonts are linked as local files, for the PDF renderer."""
    validate_snapshot(snapshot)
    context = build_context(snapshot)
    to_url = font_url or (lambda name: (FONTS_DIR / name).as_uri())
    context["fonts"] = {key: to_url(name) for key, name in FONT_FILES.items()}
    template = _engine().get_template(f"{context['template_dir']}/form_{snapshot['form']}.html")
    return template.render(Context(context, autoescape=True))


def render_pdf(snapshot: Mapping[str, Any]) -> bytes:
    """The form as an A4 PDF, rendered from ``render_html`` with the bundled fonts only."""
    from weasyprint import HTML  # heavy import, kept off the module import path

    html = render_html(snapshot)
    document = HTML(
        string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=local_fonts_fetcher()
    )
    # The identifier derives from the content, so the same snapshot gives the same bytes.
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    return document.write_pdf(pdf_identifier=identifier)


def local_fonts_fetcher() -> URLFetcher:
    """A WeasyPrint URL fetcher that serves files from the bundled fonts folder and refuses
    everything else (remote URLs, data: URLs, any other local file)."""
    from weasyprint.urls import URLFetcher

    class LocalFontsFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise ValueError(f"Refusing to fetch a non-file URL: {url}")
            path = Path(url2pathname(parts.path)).resolve()
            if not path.is_relative_to(FONTS_DIR):
                raise ValueError(f"Refusing to read a file outside the bundled fonts: {url}")
            return super().fetch(url, headers)

    return LocalFontsFetcher(allowed_protocols=("file",), fail_on_errors=False)
