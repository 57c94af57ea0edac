"""PDF exports: the audit report, cover letters, the response summary, the follow-up
report and the comparison memo of a coordinated audit.

`render` is the one entry point: views return what it makes, the `export_pdf` command
writes it to a file and the Celery task stores it for large reports. Access goes
through the user's scope, as on the pages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation

from regions.access import Scope

from .documents import DocumentRequest, Kind, NotFound, build
from .rendering import Progress, html_to_pdf

__all__ = [
    "DocumentRequest",
    "Kind",
    "NotFound",
    "Rendered",
    "render",
]


@dataclass(frozen=True)
class Rendered:
    data: bytes
    filename: str
    title: str


def render(
    request: DocumentRequest,
    scope: Scope,
    *,
    language: str,
    today: datetime.date | None = None,
    progress: Progress | None = None,
) -> Rendered:
    """The document as PDF/A bytes, in `language` (sv or en)."""
    report = progress or (lambda percent, stage: None)
    with translation.override(language):
        document = build(request, scope, today=today or timezone.localdate())
        report(10, "data")
        html = render_to_string(
            document.template,
            {
                **document.context,
                "document": document,
                "language": translation.get_language(),
            },
        )
        report(20, "html")
        data = html_to_pdf(html, progress=report)
    return Rendered(data=data, filename=document.filename, title=document.title)
