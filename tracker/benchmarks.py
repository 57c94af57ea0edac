"""What the benchmark commands share: percentiles, where they ran, and BENCHMARKS.md."""

from __future__ import annotations

import math
import os
import platform
import statistics
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

BENCHMARKS_FILE = Path(settings.BASE_DIR) / "BENCHMARKS.md"


@dataclass
class Sample:
    """Seconds of repeated runs of one thing."""

    seconds: list[float] = field(default_factory=list)

    def p50(self) -> float:
        return statistics.median(self.seconds)

    def p95(self) -> float:
        """Nearest rank: with 20 runs the 19th fastest, with fewer the slowest."""
        ordered = sorted(self.seconds)
        return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


def database_version() -> str:
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{minor}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def planner() -> str:
    """The PostgreSQL planner settings that decide between index lookups and scans."""
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('random_page_cost'), current_setting('shared_buffers')"
        )
        random_page_cost, shared_buffers = cursor.fetchone()
    return f" (random_page_cost {random_page_cost}, shared_buffers {shared_buffers})"


def database_place() -> str:
    """Where the database is, without its address (which may carry a password)."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        path = Path(name)
        if path.is_relative_to(settings.BASE_DIR):
            path = path.relative_to(settings.BASE_DIR)
        return f", file `{path}`"
    host = connection.settings_dict.get("HOST") or "localhost"
    where = "the same host" if host in ("localhost", "127.0.0.1", "::1") else "another host"
    return f" on {where}, database `{name}`"


def database_option() -> str:
    """The DATABASE_URL part of a command line, naming only the database."""
    if connection.vendor == "sqlite":
        return ""
    return f"DATABASE_URL={connection.vendor}://…/{connection.settings_dict['NAME']} "


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    return (
        f"{os.cpu_count()} CPUs ({cpu_model()}), {platform.system()} {platform.release()} "
        f"{platform.machine()}, Python {platform.python_version()}, {database_version()}"
        f"{planner()}"
    )


def load() -> str:
    # Other work on the machine (tests, a browser) slows everything; say how busy it was.
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) before the runs"


def wrapped(text: str, indent: str = "") -> list[str]:
    # The file's prose is wrapped at 88 columns; table rows are left whole.
    return textwrap.wrap(
        text,
        width=88,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def write_section(heading: str, text: str, path: Path = BENCHMARKS_FILE) -> None:
    """Replace the section under `heading` (up to the next ## heading), or append it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == heading), None)
    if start is None:
        while lines and not lines[-1].strip():
            lines.pop()
        before, after = [*lines, ""], []
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        before, after = lines[:start], lines[end:]
    new = [*before, *text.split("\n")]
    if after:
        new += ["", *after]
    path.write_text("\n".join(new) + "\n", encoding="utf-8")
