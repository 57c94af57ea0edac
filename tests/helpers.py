from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction

from .conftest import sv


def assert_invalid(obj: models.Model, message: str, **clean_kwargs) -> None:
    """full_clean() rejects obj and shows the Swedish translation of message."""
    with pytest.raises(ValidationError) as caught:
        obj.full_clean(**clean_kwargs)
    assert sv(message) in caught.value.messages, caught.value.messages


def assert_db_rejects(obj: models.Model, constraint: str) -> None:
    """The database itself refuses obj, even when model validation is skipped.

    PostgreSQL names the violated constraint; SQLite names CHECK constraints but reports
    a unique violation by its columns.
    """
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        obj.save()
    text = str(caught.value)
    if connection.vendor == "sqlite" and "UNIQUE constraint failed" in text:
        return
    assert constraint in text, text


def tiny_pdf() -> bytes:
    """A real one-page PDF with no text on it: readable as a PDF, but like a scan to a
    text reader."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        pdf += b"%010d 00000 n \n" % offset
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


def tiny_docx() -> bytes:
    """A minimal Word document (a zip with Word's parts)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()
