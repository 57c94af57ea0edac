"""Choosing between rendering at once and in the background, and running the job."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.access import Scope, scope_for
from regions.models import User

from . import render
from .documents import DocumentRequest, Kind, NotFound
from .followup import recommendations_for
from .models import Export

logger = logging.getLogger(__name__)

# Finished exports are kept this long for their download link, then removed.
KEEP_FOR = datetime.timedelta(days=1)


def is_large(request: DocumentRequest, scope: Scope) -> bool:
    """Whether rendering would hold a web worker too long: only follow-up reports over
    many recommendations do (an audit's own documents stay a few pages)."""
    if request.kind != Kind.FOLLOWUP:
        return False
    limit = settings.TRACKER["PDF_INLINE_MAX_RECOMMENDATIONS"]
    return recommendations_for(request, scope)[: limit + 1].count() > limit


def start(request: DocumentRequest, user: User, *, language: str) -> Export:
    """Queue the document for the user; the task starts once this transaction commits."""
    from audits.tasks import render_export

    Export.objects.filter(user=user, created_at__lt=timezone.now() - KEEP_FOR).delete()
    export = Export.objects.create(
        user=user, kind=request.kind, params=request.as_json(), language=language
    )
    transaction.on_commit(lambda: render_export.delay(str(export.pk)))
    return export


def run(export_id: str) -> None:
    """Render a queued export. Claiming it with a conditional update means a task
    delivered twice renders once."""
    claimed = Export.objects.filter(pk=export_id, status=Export.Status.QUEUED).update(
        status=Export.Status.RUNNING, stage="data", progress=5
    )
    if not claimed:
        return
    export = Export.objects.select_related("user").get(pk=export_id)

    def progress(percent: int, stage: str) -> None:
        Export.objects.filter(pk=export_id).update(progress=percent, stage=stage)

    try:
        rendered = render(
            DocumentRequest.from_json(export.params),
            scope_for(export.user),
            language=export.language,
            progress=progress,
        )
    except NotFound:
        _finish(export_id, error=_("The document is about something you may no longer see."))
        return
    except Exception:
        logger.exception("PDF export %s failed", export_id)
        _finish(export_id, error=_("The document could not be rendered."))
        return
    Export.objects.filter(pk=export_id).update(
        status=Export.Status.DONE,
        progress=100,
        stage="done",
        data=rendered.data,
        title=rendered.title[:300],
        filename=rendered.filename,
        finished_at=timezone.now(),
    )


def _finish(export_id: str, *, error: str) -> None:
    Export.objects.filter(pk=export_id).update(
        status=Export.Status.FAILED, error=error, finished_at=timezone.now()
    )
