"""PDF renderer on WeasyPrint: Chinese fonts, page header and numbers, and a fetcher that only reads
the project's own static and media files (OUT-4: no SSRF, no local file disclosure)."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_BASE_URL = "https://guanai.invalid/"  # relative URLs resolve here; nothing is ever fetched from it


class RefusedURL(ValueError):
    """Not fatal: WeasyPrint logs it and renders the document without the resource."""


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def resolve_local(url: str) -> Path | None:
    """Map /static/… and /media/… URLs to files under the project's own roots, else None."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or parts.netloc != urlsplit(PDF_BASE_URL).netloc:
        return None
    path = unquote(parts.path)
    if path.startswith(settings.STATIC_URL):
        # Static files are looked up by the staticfiles finders only (project and app static
        # folders); a path that climbs out of them raises SuspiciousFileOperation there.
        relative = path[len(settings.STATIC_URL) :]
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            return None
        candidate = Path(found) if found else Path(settings.STATIC_ROOT) / relative
        if found:
            return candidate if candidate.is_file() else None
        roots = [Path(settings.STATIC_ROOT)]
    elif path.startswith(settings.MEDIA_URL):
        candidate = Path(settings.MEDIA_ROOT) / path[len(settings.MEDIA_URL) :]
        roots = [Path(settings.MEDIA_ROOT)]
    else:
        return None
    if candidate.is_file() and any(_inside(candidate, root) for root in roots):
        return candidate
    return None


class ProjectFilesFetcher(URLFetcher):
    """Serves data: URLs and the project's own files; refuses every other scheme, host and path."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        local = resolve_local(url)
        if local is None:
            raise RefusedURL(f"refused URL in PDF: {url[:100]}")
        return URLFetcherResponse(url, body=local.read_bytes(), headers={"Content-Type": _content_type(local)})


def _content_type(path: Path) -> str:
    return {
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".webp": "image/webp",
    }.get(path.suffix.lower(), "application/octet-stream")


def render_pdf(template_name: str, context: dict, *, header_left: str = "", header_right: str = "") -> bytes:
    """Render a template that extends `stations/pdf/base.html` to PDF bytes."""
    html = render_to_string(
        template_name, {**context, "pdf_header_left": header_left, "pdf_header_right": header_right}
    )
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=ProjectFilesFetcher()).write_pdf()
