"""Back up the PostgreSQL database and the uploaded files, e.g.

python manage.py backup --out /backups

writes /backups/2026-11-29T1830/ with database.dump (pg_dump, custom format),
uploads.tar.gz (the UPLOAD_ROOT folder) and manifest.json (migration state, row counts
and checksums, which `restore` checks). See docs/backup.md.
"""

from __future__ import annotations

import datetime
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils import timezone
from psycopg import IsolationLevel

from regions.management.backups import (
    DUMP,
    HISTORY_TABLE,
    MANIFEST,
    MANIFEST_FORMAT,
    UPLOADS,
    connect,
    libpq_params,
    migration_state,
    program,
    row_counts,
    run_client,
    sha256,
    write_uploads,
)

SQLITE = (
    "backup works with PostgreSQL only. For the SQLite demo, copy var/db.sqlite3 "
    "(and var/uploads/) while the server is stopped."
)


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database (pg_dump) and the uploaded files into a "
        "timestamped folder with a manifest that restore checks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            required=True,
            type=Path,
            help="Folder to write the backup into (created if missing).",
        )

    def handle(self, *args: Any, out: Path, **options: Any) -> None:
        database = connections["default"]
        if database.vendor != "postgresql":
            raise CommandError(SQLITE)
        params = libpq_params(database.settings_dict)
        pg_dump = program("pg_dump")
        started = timezone.localtime()
        out = Path(out)
        partial = _partial_folder(out)
        try:
            manifest = self._write(partial, params, pg_dump, started)
            target = _free_name(out, started)
            partial.rename(target)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        self._report(target, manifest)

    def _write(
        self, folder: Path, params: dict[str, str], pg_dump: str, started: datetime.datetime
    ) -> dict[str, Any]:
        snapshot = _dump(folder / DUMP, params, pg_dump)
        if settings.STORAGE_BACKEND == "s3":
            bucket = settings.STORAGES["default"]["OPTIONS"]["bucket_name"]
            self.stderr.write(
                f"Uploads are kept in the S3 bucket {bucket}, not in UPLOAD_ROOT: this backup "
                "holds none. Back the bucket up with the store's versioning or replication."
            )
        uploads = Path(settings.MEDIA_ROOT)
        files, skipped = write_uploads(uploads, folder / UPLOADS)
        for path in skipped:
            self.stderr.write(
                f"Left out of {UPLOADS} (not a regular file or folder, or gone): {path}"
            )
        manifest = {
            "format": MANIFEST_FORMAT,
            "created_at": started.isoformat(timespec="seconds"),
            "database": {
                "name": params.get("dbname", ""),
                "server_version": snapshot["server_version"],
                "pg_dump_version": run_client([pg_dump, "--version"], {}).strip(),
            },
            "migrations": snapshot["migrations"],
            "tables": snapshot["tables"],
            "history_events": snapshot["tables"].get(HISTORY_TABLE, 0),
            "uploads": {"root": str(uploads), "files": files},
            "files": {name: _describe(folder / name) for name in (DUMP, UPLOADS)},
        }
        text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
        (folder / MANIFEST).write_text(text, encoding="utf-8")
        return manifest

    def _report(self, target: Path, manifest: dict[str, Any]) -> None:
        dump_mb = manifest["files"][DUMP]["bytes"] / 1_000_000
        self.stdout.write(
            self.style.SUCCESS(f"Backup written to {target}")
            + f"\n  {DUMP}: {dump_mb:.1f} MB, {len(manifest['tables'])} tables, "
            f"{manifest['history_events']} history events"
            + f"\n  {UPLOADS}: {manifest['uploads']['files']} files"
            + f"\n  {MANIFEST}: migration state, row counts, sha256"
        )


def _dump(path: Path, params: dict[str, str], pg_dump: str) -> dict[str, Any]:
    """pg_dump the database, and count its rows in the very snapshot pg_dump reads, so
    the manifest matches the dump even while people keep working."""
    with connect(params) as connection:
        connection.isolation_level = IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            tables = row_counts(cursor)
            migrations = migration_state(cursor)
            cursor.execute("SHOW server_version")
            server_version = cursor.fetchone()[0]
            # The exporting transaction stays open until pg_dump is done with it.
            run_client(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    f"--snapshot={snapshot_id}",
                    f"--file={path}",
                ],
                params,
            )
        connection.rollback()
    return {"tables": tables, "migrations": migrations, "server_version": server_version}


def _partial_folder(out: Path) -> Path:
    """A private folder under out to write into. The backup is written under a temporary
    name and renamed when complete: a folder with a timestamp name is always a whole
    backup, never one a crash cut short."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".partial-", dir=out))
    except OSError as error:
        raise CommandError(f"Cannot write the backup into {out}: {error}") from error


def _describe(path: Path) -> dict[str, Any]:
    return {"sha256": sha256(path), "bytes": path.stat().st_size}


def _free_name(out: Path, started: datetime.datetime) -> Path:
    """The timestamped folder name, with a suffix when that minute already has a backup
    (two runs in a minute, or the repeated hour when daylight saving time ends)."""
    stamp = started.strftime("%Y-%m-%dT%H%M")
    candidate, number = out / stamp, 1
    while candidate.exists():
        number += 1
        candidate = out / f"{stamp}-{number}"
    return candidate
