"""Uploaded documents (signed responses, reports): PDF or Word, judged by content, not name."""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF, DOCX = "pdf", "docx"


def document_kind(upload: UploadedFile) -> str | None:
    """'pdf' or 'docx' by the file's own bytes, None for anything else."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None


def validate_document(upload: UploadedFile) -> str:
    """Check an upload and name it by what it is; returns the kind."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is too large (at most %(limit)s).") % {"limit": filesizeformat(limit)}
        )
    kind = document_kind(upload)
    if kind is None:
        raise ValidationError(_("Upload a PDF or a Word document (.docx)."))
    stem = (upload.name or "document").rsplit(".", 1)[0][:80] or "document"
    upload.name = f"{stem}.{kind}"
    return kind
