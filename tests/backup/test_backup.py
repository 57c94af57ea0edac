"""Backup and restore: a restored copy has the same rows, the same history, working
history triggers and the same uploaded files; a live database, a changed backup and an
unsafe archive are refused."""

from __future__ import annotations

import datetime
import io
import json
import re
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg import sql

from audits.demo import content, load_demo
from audits.models import Assessment, Audit
from recommendations.models import Response
from regions.management.backups import libpq_params, sha256
from tracker.history.models import HistoryEvent

from ..conftest import ensure_rating_scales

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="backup and restore use pg_dump and pg_restore: PostgreSQL only",
)

TODAY = datetime.date(2026, 3, 16)
APP_TABLES = ("audits_", "recommendations_", "regions_", "tracker_")
# A minimal one-page PDF (no xref table: readers rebuild it); only its bytes matter here.
PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
HISTORY = (
    "SELECT id, table_name, object_pk, action, before::text, after::text, audit_id, "
    "occurred_at, user_id, context::text, db_user FROM tracker_historyevent ORDER BY id"
)


def _server(dbname: str) -> dict[str, str]:
    return {**libpq_params(connection.settings_dict), "dbname": dbname}


@pytest.fixture(scope="module")
def scratch_database() -> Iterator[str]:
    """A database of the module's own on the test server, dropped after the module."""
    name = f"tracker_restore_{uuid.uuid4().hex[:12]}"
    server = _server("postgres")
    with psycopg.connect(**server, autocommit=True) as admin:
        # template0: whatever someone put into template1 would make it not empty.
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(**server, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def empty_database(scratch_database: str) -> str:
    """The scratch database, emptied. A new public schema rather than a new database:
    DROP DATABASE waits for a checkpoint, which makes each one cost seconds."""
    with psycopg.connect(**_server(scratch_database), autocommit=True) as scratch:
        scratch.execute("DROP SCHEMA IF EXISTS public CASCADE")
        scratch.execute("CREATE SCHEMA public")
    return scratch_database


@pytest.fixture
def uploads(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def _url(dbname: str) -> str:
    database = connection.settings_dict
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    user = quote(database["USER"], safe="")
    return f"postgres://{user}{password}@{database['HOST']}:{database['PORT']}/{dbname}"


def _backup(out: Path) -> Path:
    call_command("backup", out=out, stdout=io.StringIO())
    (folder,) = out.iterdir()
    return folder


def _restore(folder: Path, dbname: str, uploads_to: Path | None = None) -> str:
    output = io.StringIO()
    call_command(
        "restore", str(folder), database_url=_url(dbname), uploads_to=uploads_to, stdout=output
    )
    return output.getvalue()


def _restore_unreachable(folder: Path, uploads_to: Path) -> None:
    """restore with a database URL where no server listens."""
    call_command(
        "restore",
        str(folder),
        database_url="postgres://nobody@127.0.0.1:1/none",
        uploads_to=uploads_to,
        stdout=io.StringIO(),
    )


def _source_counts() -> dict[str, int]:
    tables = [t for t in connection.introspection.table_names() if t.startswith(APP_TABLES)]
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            # The names come from the database catalogue, not from input.
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _restored_counts(cursor: psycopg.Cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def _source_history() -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(HISTORY)
        return [tuple(row) for row in cursor.fetchall()]


def _upload_a_response() -> Response:
    """The committee's response to the follow-up audit the demo leaves unanswered, with
    its signed PDF saved through the model's storage."""
    audit = Audit.objects.get(
        region__code="vasterbotten", title=content.VASTERBOTTEN_FOLLOW_UP["title"]
    )
    response = Response(audit=audit, body=audit.audited_bodies.get(), received_date=TODAY)
    response.document.save("yttrande.pdf", ContentFile(PDF))
    return response


def _change_an_assessment() -> None:
    assessment = Assessment.objects.select_related("level").order_by("pk").first()
    assessment.level = assessment.level.scale.levels.exclude(pk=assessment.level_id).first()
    assessment.save()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_has_the_same_rows_history_triggers_and_files(
    uploads, tmp_path, empty_database
):
    ensure_rating_scales()
    load_demo(today=TODAY)
    response = _upload_a_response()
    _change_an_assessment()
    assert HistoryEvent.objects.filter(table_name="audits_assessment", action="update").exists()

    folder = _backup(tmp_path / "backups")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d{4}", folder.name)
    assert sorted(p.name for p in folder.iterdir()) == [
        "database.dump",
        "manifest.json",
        "uploads.tar.gz",
    ]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["history_events"] == HistoryEvent.objects.count()
    assert manifest["migrations"]["tracker"].startswith("00")

    report = _restore(folder, empty_database, uploads_to=tmp_path / "restored")
    assert "OK" in report

    source = _source_counts()
    history = _source_history()
    assert source["audits_audit"] > 0 and len(history) > 100
    with psycopg.connect(**_server(empty_database)) as restored, restored.cursor() as cursor:
        assert _restored_counts(cursor, list(source)) == source
        cursor.execute(HISTORY)
        assert cursor.fetchall() == history
        _assert_the_history_triggers_work(restored, cursor)

    restored_file = tmp_path / "restored" / response.document.name
    assert restored_file.read_bytes() == PDF


def _assert_the_history_triggers_work(restored: psycopg.Connection, cursor: psycopg.Cursor):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        cursor.execute("DELETE FROM tracker_historyevent")
    restored.rollback()

    cursor.execute("SELECT max(id) FROM tracker_historyevent")
    last = cursor.fetchone()[0]
    cursor.execute(
        "UPDATE audits_auditquestion SET text = text || ' (efter återläsning)' "
        "WHERE id = (SELECT min(id) FROM audits_auditquestion) RETURNING id"
    )
    question_id = cursor.fetchone()[0]
    restored.commit()
    cursor.execute(
        "SELECT table_name, object_pk, action FROM tracker_historyevent WHERE id > %s", [last]
    )
    assert cursor.fetchall() == [("audits_auditquestion", question_id, "update")]


# The refusals need a backup, not data: their tests run in a rolled-back transaction
# (no flush afterwards), and the backup's own connection sees the committed, empty tables.


@postgres_only
@pytest.mark.django_db
def test_restore_refuses_a_database_that_has_tables(uploads, tmp_path):
    folder = _backup(tmp_path / "backups")
    with pytest.raises(CommandError, match="is not empty"):
        # The test database itself: a live database must never be overwritten.
        _restore(folder, connection.settings_dict["NAME"], uploads_to=tmp_path / "restored")
    assert not (tmp_path / "restored").exists()


@postgres_only
@pytest.mark.django_db
def test_restore_refuses_a_changed_dump_before_touching_anything(uploads, tmp_path):
    folder = _backup(tmp_path / "backups")
    dump = folder / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))

    # The checksum is checked before any database is reached: the URL points at nothing,
    # and connecting would fail with another message.
    with pytest.raises(CommandError, match="does not match the sha256"):
        _restore_unreachable(folder, tmp_path / "restored")
    assert not (tmp_path / "restored").exists()


@postgres_only
@pytest.mark.django_db
def test_restore_fails_when_the_row_counts_differ_from_the_manifest(
    uploads, tmp_path, empty_database
):
    folder = _backup(tmp_path / "backups")
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    backed_up = manifest["tables"]["audits_audit"]
    manifest["tables"]["audits_audit"] = backed_up + 1
    manifest_path.write_text(json.dumps(manifest))

    difference = f"table audits_audit: backup {backed_up + 1}, restored {backed_up}"
    with pytest.raises(CommandError, match=difference):
        _restore(folder, empty_database)


def _fake_backup(folder: Path, members: list[tarfile.TarInfo]) -> Path:
    """A backup folder whose archive holds the given members (the dump is never read:
    the archive is refused first)."""
    folder.mkdir()
    with tarfile.open(folder / "uploads.tar.gz", "w:gz") as tar:
        for member in members:
            tar.addfile(member, io.BytesIO(PDF) if member.isfile() else None)
    (folder / "database.dump").write_bytes(b"PGDMP")
    files = {
        name: {"sha256": sha256(folder / name)} for name in ("database.dump", "uploads.tar.gz")
    }
    (folder / "manifest.json").write_text(
        json.dumps({"format": 1, "files": files, "tables": {}, "migrations": {}})
    )
    return folder


def _file(name: str) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.size = len(PDF)
    return member


def _link(name: str, target: str) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type = tarfile.SYMTYPE
    member.linkname = target
    return member


@pytest.mark.parametrize(
    "member",
    [
        _file("../utanfor.pdf"),
        _file("responses/../../utanfor.pdf"),
        _file("/tmp/utanfor.pdf"),  # noqa: S108 - a path the archive must not write to
        _link("responses/lank.pdf", "/etc/passwd"),
    ],
    ids=["parent", "nested-parent", "absolute", "symlink"],
)
def test_restore_refuses_an_archive_that_writes_outside_the_folder(tmp_path, member):
    folder = _fake_backup(tmp_path / "backup", [_file("responses/ok.pdf"), member])
    target = tmp_path / "area" / "restored"
    # Refused before any database is reached: the URL points at nothing.
    with pytest.raises(CommandError, match="nothing was restored"):
        _restore_unreachable(folder, target)
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite refusal")
@pytest.mark.django_db
def test_backup_on_sqlite_says_to_copy_the_database_file(tmp_path):
    with pytest.raises(CommandError, match=r"copy var/db\.sqlite3 .* while the server is stopped"):
        call_command("backup", out=tmp_path)
