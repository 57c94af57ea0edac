"""Restore a backup written by `backup` into an EMPTY database and an empty folder, e.g.

PGPASSWORD=... python manage.py restore /backups/2026-11-29T1830 \\
    --database-url postgres://tracker@db:5432/tracker_restored --uploads-to /data/restored

Checks the files against the manifest first, refuses a database that has tables (a live
database is never overwritten) and a folder that has files, and compares the restored
row counts with the manifest afterwards. See docs/backup.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.management.base import BaseCommand, CommandError, CommandParser

from regions.management.backups import (
    DUMP,
    HISTORY_TABLE,
    MANIFEST,
    MANIFEST_FORMAT,
    UPLOADS,
    checked_members,
    connect,
    differences,
    ensure_empty_folder,
    extract_uploads,
    libpq_params,
    migration_state,
    program,
    public_tables,
    row_counts,
    run_client,
    sha256,
)


class Command(BaseCommand):
    help = (
        "Restore a backup folder into an empty PostgreSQL database (and the uploads into an "
        "empty folder), then compare the row counts with the backup's manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="A folder written by the backup command.")
        parser.add_argument(
            "--database-url",
            required=True,
            help="postgres://user@host:port/name of an empty database. Leave the password "
            "out and set PGPASSWORD instead: a command line is visible to other users.",
        )
        parser.add_argument(
            "--uploads-to",
            type=Path,
            help="A new or empty folder for the uploaded files (the new UPLOAD_ROOT). "
            "Without it only the database is restored.",
        )

    def handle(
        self, *args: Any, backup: Path, database_url: str, uploads_to: Path | None, **options: Any
    ) -> None:
        backup = Path(backup)
        manifest = _read_manifest(backup)
        # Everything is checked before anything is written.
        _verify_checksums(backup, manifest)
        params = _target(database_url)
        if uploads_to is not None:
            uploads_to = Path(uploads_to)
            ensure_empty_folder(uploads_to)
            checked_members(backup / UPLOADS)
        _ensure_empty_database(params)

        self._restore_database(backup, params)
        if uploads_to is not None:
            files = extract_uploads(backup / UPLOADS, uploads_to)
            self.stdout.write(f"Uploads: {files} files restored into {uploads_to}")
        else:
            self.stdout.write("Uploads not restored (no --uploads-to).")
        self._compare(manifest, params)

    def _restore_database(self, backup: Path, params: dict[str, str]) -> None:
        # One transaction: a restore that fails leaves the database empty, ready for
        # another try, instead of half restored.
        run_client(
            [
                program("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={params['dbname']}",
                str(backup / DUMP),
            ],
            params,
        )
        self.stdout.write(f"Database: {DUMP} restored into {_where(params)}")

    def _compare(self, manifest: dict[str, Any], params: dict[str, str]) -> None:
        with connect(params) as connection, connection.cursor() as cursor:
            tables = row_counts(cursor)
            migrations = migration_state(cursor)
        found = differences("table", manifest["tables"], tables) + differences(
            "migration", manifest["migrations"], migrations
        )
        if found:
            raise CommandError(
                "The restored database differs from the backup's manifest:\n  " + "\n  ".join(found)
            )
        self.stdout.write(
            self.style.SUCCESS("OK")
            + f": row counts of {len(tables)} tables ({tables.get(HISTORY_TABLE, 0)} history "
            "events) and the migration state match the manifest."
        )


def _read_manifest(backup: Path) -> dict[str, Any]:
    path = backup / MANIFEST
    if not path.is_file():
        raise CommandError(f"{backup} is not a backup folder: it has no {MANIFEST}.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise CommandError(f"{path} cannot be read: {error}") from error
    if manifest.get("format") != MANIFEST_FORMAT:
        raise CommandError(f"{path} has format {manifest.get('format')!r}, not {MANIFEST_FORMAT}.")
    return manifest


def _verify_checksums(backup: Path, manifest: dict[str, Any]) -> None:
    for name in (DUMP, UPLOADS):
        path = backup / name
        if not path.is_file():
            raise CommandError(f"{path} is missing; nothing was restored.")
        expected = manifest["files"][name]["sha256"]
        if sha256(path) != expected:
            raise CommandError(
                f"{name} does not match the sha256 in {MANIFEST}: the backup is damaged or "
                "was changed. Nothing was restored; use another backup."
            )


def _target(database_url: str) -> dict[str, str]:
    try:
        database = dj_database_url.parse(database_url)
    except ValueError as error:
        raise CommandError(f"--database-url cannot be read: {error}") from error
    if database.get("ENGINE") != "django.db.backends.postgresql" or not database.get("NAME"):
        raise CommandError("--database-url must be postgres://user@host:port/name.")
    return libpq_params(database)


def _ensure_empty_database(params: dict[str, str]) -> None:
    with connect(params) as connection, connection.cursor() as cursor:
        # Tables, views, materialized views, foreign tables and sequences.
        found = public_tables(cursor, kinds="rpvmfS")
    if found:
        raise CommandError(
            f"The database {_where(params)} is not empty: its public schema has "
            f"{len(found)} tables, views or sequences (e.g. {', '.join(found[:3])}). "
            "restore writes only into an empty database, so that a live one is never "
            "overwritten; create a new one (createdb) and restore into that."
        )


def _where(params: dict[str, str]) -> str:
    """The database for messages: name, host and port, never the user's password."""
    host = params.get("host", "local socket")
    port = params.get("port", "5432")
    return f"{params['dbname']} on {host}:{port}"
