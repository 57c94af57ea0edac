"""Which documents exist, what each needs, and how a request for one is checked.

A `DocumentRequest` names a document (kind plus the audit, body, region or question
set it is about). It is plain data so that it can travel to a Celery task as JSON.
`build` loads what the document shows through the user's scope, never around it:
an audit the scope does not show is `NotFound`, exactly as the pages answer 404.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from regions.access import Scope


class Kind(StrEnum):
    REPORT = "report"
    COVER_LETTER = "cover-letter"
    RESPONSE = "response"
    FOLLOWUP = "followup"
    COMPARISON = "comparison"


# What each document is called, at the head of its title (xgettext cannot see a
# translated string written inside an f-string, so the builders take it from here).
KIND_LABELS = {
    Kind.REPORT: _("Audit report"),
    Kind.COVER_LETTER: _("Cover letter"),
    Kind.RESPONSE: _("Response summary"),
    Kind.FOLLOWUP: _("Follow-up report"),
    Kind.COMPARISON: _("Comparison memo"),
}


class NotFound(LookupError):
    """The document is about something the user may not see, or that does not exist."""


@dataclass(frozen=True)
class DocumentRequest:
    kind: Kind
    audit: int | None = None
    # Cover letter: one addressed body (all of them when None). Follow-up: a filter.
    body: int | None = None
    region: str | None = None
    question_set: int | None = None
    year: int | None = None
    status: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocumentRequest:
        return cls(**{**data, "kind": Kind(data["kind"])})


@dataclass
class Document:
    """What a template needs to become a PDF."""

    template: str
    title: str
    filename: str
    # The running header: the reference number (or the title when there is none).
    running_header: str
    context: dict[str, Any] = field(default_factory=dict)
    # Drafts carry "Draft" on every page, so a printed copy cannot pass as issued.
    draft: bool = False


def build(request: DocumentRequest, scope: Scope, *, today: datetime.date) -> Document:
    # Imported here: each builder pulls in its own models and querysets.
    from . import comparison, cover_letter, followup, report, response_summary

    builders = {
        Kind.REPORT: report.build,
        Kind.COVER_LETTER: cover_letter.build,
        Kind.RESPONSE: response_summary.build,
        Kind.FOLLOWUP: followup.build,
        Kind.COMPARISON: comparison.build,
    }
    return builders[request.kind](request, scope, today=today)


def safe_filename(*parts: object) -> str:
    """An ASCII file name from the parts: reference numbers hold slashes and spaces."""
    text = "-".join(str(part) for part in parts if part not in (None, ""))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text).strip("-._")
    return (cleaned or "document")[:120] + ".pdf"
