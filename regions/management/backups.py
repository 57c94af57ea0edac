"""What the backup and restore commands share: the files of a backup, how the PostgreSQL
client tools are reached, and what the manifest records to check a restore against.

Connection details go to pg_dump and pg_restore through libpq's environment variables,
never as arguments: arguments are visible to every user of the machine (ps), and
nothing here prints them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import psycopg
from django.core.management.base import CommandError
from psycopg import sql

DUMP = "database.dump"
UPLOADS = "uploads.tar.gz"
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
HISTORY_TABLE = "tracker_historyevent"

# libpq's connection keywords we pass on, each with the environment variable libpq reads.
# Django's own OPTIONS (pool, isolation_level, ...) are not libpq's and are left out.
LIBPQ_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "dbname": "PGDATABASE",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "channel_binding": "PGCHANNELBINDING",
    "gssencmode": "PGGSSENCMODE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}

# The stderr of a failed client is shown to the operator; a whole log would bury the cause.
_STDERR_TAIL = 2000


def libpq_params(database: Mapping[str, Any]) -> dict[str, str]:
    """libpq keywords for a Django database settings dict (or a parsed DATABASE_URL)."""
    params: dict[str, Any] = {
        "dbname": database.get("NAME"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": database.get("PORT"),
    }
    options = database.get("OPTIONS") or {}
    params.update({key: value for key, value in options.items() if key in LIBPQ_ENV})
    return {key: str(value) for key, value in params.items() if value not in (None, "")}


def connect(params: Mapping[str, str], **kwargs: Any) -> psycopg.Connection:
    try:
        return psycopg.connect(**params, **kwargs)
    except psycopg.OperationalError as error:
        # libpq's message names host, port and user, never the password.
        raise CommandError(f"Cannot connect to the database: {error}") from error


def program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(
            f"{name} was not found. Install the PostgreSQL client tools, of the server's "
            "major version or newer."
        )
    return path


def run_client(arguments: list[str], params: Mapping[str, str]) -> str:
    """Run pg_dump or pg_restore with the connection in its environment; its stdout."""
    env = {**os.environ, **{LIBPQ_ENV[key]: value for key, value in params.items()}}
    result = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
        arguments, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        name = Path(arguments[0]).name
        detail = result.stderr.strip()[-_STDERR_TAIL:]
        raise CommandError(f"{name} failed (exit status {result.returncode}):\n{detail}")
    return result.stdout


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def public_tables(cursor: psycopg.Cursor, *, kinds: str = "rp") -> list[str]:
    """Names of the relations in the public schema: tables and partitioned tables by
    default, or the pg_class kinds given."""
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind = ANY(%s) ORDER BY c.relname",
        [list(kinds)],
    )
    return [row[0] for row in cursor.fetchall()]


def row_counts(cursor: psycopg.Cursor) -> dict[str, int]:
    counts = {}
    for table in public_tables(cursor):
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("public", table))
        cursor.execute(query)
        counts[table] = cursor.fetchone()[0]
    return counts


def migration_state(cursor: psycopg.Cursor) -> dict[str, str]:
    """The latest applied migration of every app (the highest id is the latest applied)."""
    cursor.execute(
        "SELECT DISTINCT ON (app) app, name FROM django_migrations ORDER BY app, id DESC"
    )
    return dict(cursor.fetchall())


def differences(label: str, expected: Mapping[str, Any], actual: Mapping[str, Any]) -> list[str]:
    """One line per key whose value differs, including keys only one side has."""
    lines = []
    for key in sorted(expected.keys() | actual.keys()):
        want, got = expected.get(key, "missing"), actual.get(key, "missing")
        if want != got:
            lines.append(f"{label} {key}: backup {want}, restored {got}")
    return lines


# Uploads -------------------------------------------------------------------------------


def upload_paths(root: Path) -> tuple[list[Path], list[Path]]:
    """Folders and regular files under root, in a stable order, and anything else found
    (links, sockets), which the backup leaves out: the restore would refuse it."""
    kept: list[Path] = []
    skipped: list[Path] = []
    if not root.is_dir():
        return kept, skipped
    for folder, folders, files in os.walk(root, followlinks=False):
        base = Path(folder)
        folders.sort()
        for name in [*folders, *sorted(files)]:
            path = base / name
            if path.is_symlink() or not (path.is_dir() or path.is_file()):
                skipped.append(path)
            else:
                kept.append(path)
    return kept, skipped


def write_uploads(root: Path, archive: Path) -> tuple[int, list[Path]]:
    """Archive the uploads folder; the number of files archived and the paths left out."""
    kept, skipped = upload_paths(root)
    files = 0
    with tarfile.open(archive, "w:gz") as tar:
        for path in kept:
            try:
                tar.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
            except FileNotFoundError:
                # Deleted while the backup ran: the database dump was taken before.
                skipped.append(path)
                continue
            files += path.is_file()
    return files, skipped


def _member_parts(member: tarfile.TarInfo) -> tuple[str, ...]:
    """The path parts of a safe member; refuses anything that could land outside the
    target folder or is not a plain file or folder (links, devices)."""
    if not (member.isfile() or member.isdir()):
        raise CommandError(
            f"{UPLOADS} holds {member.name!r}, which is not a regular file or folder; "
            "nothing was restored."
        )
    path = PurePosixPath(member.name)
    outside = path.is_absolute() or ".." in path.parts or "\\" in member.name
    if outside or (not path.parts and member.isfile()):
        raise CommandError(
            f"{UPLOADS} holds {member.name!r}, a path outside the uploads folder; "
            "nothing was restored."
        )
    return path.parts


def checked_members(archive: Path) -> list[tuple[tarfile.TarInfo, tuple[str, ...]]]:
    """Every member of the archive with its path parts, checked before anything is
    written, so a bad archive leaves neither database nor folder half restored."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            return [(member, _member_parts(member)) for member in tar.getmembers()]
    except tarfile.TarError as error:
        raise CommandError(f"{UPLOADS} cannot be read: {error}") from error


def ensure_empty_folder(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise CommandError(f"{target} is not a folder.")
    if target.is_dir() and any(target.iterdir()):
        raise CommandError(
            f"{target} is not empty. Restore the uploads into a new or empty folder, so "
            "that no uploaded file is overwritten."
        )


def extract_uploads(archive: Path, target: Path) -> int:
    """Extract the archive under target, writing only files and folders (no links, no
    permissions or owners from the archive); the number of files written."""
    root = target.resolve()
    files = 0
    try:
        with tarfile.open(archive, "r:gz") as tar:
            # All members are checked before the first is written.
            members = [(member, _member_parts(member)) for member in tar.getmembers()]
            for member, parts in members:
                files += _extract_member(tar, member, root.joinpath(*parts), root)
    except tarfile.TarError as error:
        raise CommandError(f"{UPLOADS} cannot be read: {error}") from error
    return files


def _extract_member(
    tar: tarfile.TarFile, member: tarfile.TarInfo, destination: Path, root: Path
) -> int:
    # Second line of defence: the parts were checked, the resulting path is checked too.
    if not destination.resolve().is_relative_to(root):
        raise CommandError(f"{member.name!r} in {UPLOADS} would land outside {root}.")
    if member.isdir():
        destination.mkdir(parents=True, exist_ok=True)
        return 0
    destination.parent.mkdir(parents=True, exist_ok=True)
    _copy_member(tar, member, destination)
    return 1


def _copy_member(tar: tarfile.TarFile, member: tarfile.TarInfo, destination: Path) -> None:
    source = tar.extractfile(member)
    if source is None:
        raise CommandError(f"{member.name!r} in {UPLOADS} cannot be read.")
    try:
        # "x": a second member of the same name must not overwrite the first silently.
        with source, destination.open("xb") as sink:
            shutil.copyfileobj(source, sink)
    except FileExistsError as error:
        raise CommandError(f"{UPLOADS} holds {member.name!r} twice.") from error
