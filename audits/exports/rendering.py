"""HTML to archival PDF with WeasyPrint, without touching the network.

Every document is PDF/A-3a: tagged (so screen readers can read it), with its title and
language in the metadata and its fonts embedded from the installed font packages.
Resources resolve only to our own static files; any other URL is refused, so a
rendering never makes a request (public-sector privacy, and no slow or hanging
rendering because some server is down).
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/a-3a"
# A base URL on a name that can never resolve (RFC 2606); static files are asked for
# below it and served from disk by the fetcher.
BASE_URL = "https://tracker.invalid/"

Progress = Callable[[int, str], None]


class RefusedURL(ValueError):
    """A resource outside our own static files was asked for."""


class StaticOnlyFetcher(URLFetcher):
    """Serves our static files and inline `data:` URLs; refuses everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"})
        self.static_prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(self.static_prefix):
            relative = url.removeprefix(self.static_prefix).split("?")[0].split("#")[0]
            path = _static_file(relative)
            if path is not None:
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, body=path.read_bytes(), headers={"Content-Type": kind}
                )
        self.refused.append(url)
        logger.warning("PDF rendering refused a resource: %s", url)
        raise RefusedURL(f"Not one of our static files: {url}")


def _static_file(relative: str) -> Path | None:
    """The file behind a static URL: collected (production names carry a content hash)
    or, in development, found where it lives in the source tree."""
    if ".." in Path(relative).parts:
        return None
    collected = Path(settings.STATIC_ROOT) / relative
    if collected.is_file():
        return collected
    found = finders.find(relative)
    if found:
        return Path(found if isinstance(found, str) else found[0])
    return None


def html_to_pdf(html: str, *, progress: Progress | None = None) -> bytes:
    """Lay out `html` and write it as PDF/A; `progress` hears of each stage."""
    report = progress or (lambda percent, stage: None)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    report(40, "layout")
    laid_out = document.render(pdf_variant=PDF_VARIANT)
    report(80, "writing")
    # The variant brings the file identifier, the sRGB output intent and the XMP
    # metadata that PDF/A asks for.
    data = laid_out.write_pdf(pdf_variant=PDF_VARIANT)
    report(100, "done")
    return data
