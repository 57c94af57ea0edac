"""Uploaded documents (signed responses, reports): PDF or Word, judged by content, not name."""

from __future__ import annotations

import mimetypes
import re
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .forms import DocumentInput

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
    upload.name = storage_name(upload.name, kind)
    return kind


def storage_name(name: str | None, extension: str, fallback: str = "document") -> str:
    """What the storage keeps of an uploaded file's name (letters, digits, "-", "_",
    "."), with the extension of what the file was found to be, whatever the name said.
    Leading dots go: a stem of nothing else would leave a hidden ".pdf"."""
    stem = (name or "").rsplit(".", 1)[0]
    stem = re.sub(r"[^-\w.]", "", stem.replace(" ", "_")).lstrip(".")[:80] or fallback
    return f"{stem}.{extension}"


def serve(document: FieldFile) -> FileResponse:
    """An uploaded file as a download. Callers load its row through the access scope
    first: files live outside any public URL and reach users only this way.

    Read through the storage API only, never a path on this server, so that every web
    process finds the file whichever stored it (a shared folder or an S3 bucket)."""
    if not document:
        raise Http404
    try:
        handle = document.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = document.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


class ChecksDocuments:
    """For model forms with file fields: a new upload must be a PDF or Word document
    within the size limit (judged by content); a stored file is left as it is, and named
    without a link: the admin's own widget would link the storage's URL (with S3, a
    signed address of the bucket), around the views that check access."""

    document_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name in self.document_fields:
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is not None and not isinstance(field.widget, DocumentInput):
                field.widget = DocumentInput()

    def clean(self) -> dict:
        cleaned = super().clean()  # type: ignore[misc]
        for name in self.document_fields:
            upload = cleaned.get(name)
            if upload and hasattr(upload, "content_type"):
                try:
                    validate_document(upload)
                except ValidationError as error:
                    self.add_error(name, error)  # type: ignore[attr-defined]
        return cleaned
