"""The parts of a load run (bench_load): who signs in, which pages they open, a gunicorn of
production settings on loopback, and wrk driving it through a generated Lua script.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from urllib.parse import quote, urlencode

import dj_database_url
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.test.utils import override_settings
from django.urls import reverse

from regions.access import scope_for
from regions.models import Membership, Region, User
from tracker.sessions import LOGIN_AT, SEEN_AT

ROOT = Path(settings.BASE_DIR)
HOST = "127.0.0.1"
# wrk prints this before the JSON line of the script's done(); everything else is wrk's.
RESULT_MARK = "BENCH_LOAD_RESULT "
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


# Who signs in, and what they open -----------------------------------------------------


@dataclass
class Visitor:
    """One signed-in user and the pages the load cycles through on their behalf."""

    role: str
    user: User
    region: Region
    pages: list[tuple[str, str]] = field(default_factory=list)  # (what, path)
    session_key: str = ""


def _recommendation_list(region: Region) -> str:
    # What an auditor opens first on a Monday: the region's late ones, earliest deadline first.
    query = urlencode({"region": region.pk, "overdue": "true", "o": "deadline"})
    return f"{reverse('recommendation-list')}?{query}"


def _audit_pages(user: User, region: Region, count: int) -> list[tuple[str, str]]:
    """The user's largest audits of the region (most recommendations) and the newest."""
    audits = scope_for(user).audits().filter(region=region)
    largest = list(
        audits.annotate(size=Count("recommendations")).order_by("-size", "pk")[: count // 2 or 1]
    )
    newest = audits.exclude(pk__in=[a.pk for a in largest]).order_by("-year", "-pk")
    chosen = [*largest, *newest[: count - len(largest)]]
    return [("audit page", reverse("audit-detail", args=[audit.pk])) for audit in chosen]


def pick_visitors(audits_per_visitor: int = 3) -> list[Visitor]:
    """An auditor of the region with the most audits and the secretary of its body with
    the most recommendations: the busiest people of the busiest region in the data."""
    active = Membership.objects.filter(region=OuterRef("pk"), user__is_active=True)
    regions = (
        Region.objects.filter(
            Exists(active.filter(role=Membership.Role.AUDITOR)),
            Exists(active.filter(role=Membership.Role.SECRETARY, bodies__isnull=False)),
        )
        .annotate(size=Count("audits"))
        .order_by("-size", "pk")
    )
    region = regions.first()
    if region is None:
        raise CommandError(
            "No region has both an auditor and a body secretary: load data first "
            "(generate_national_data or load_demo)."
        )
    auditor = _member(region, Membership.Role.AUDITOR)
    secretary = _member(region, Membership.Role.SECRETARY, busiest_body=True)
    home, measures = reverse("home"), reverse("measure-list")
    dashboard = reverse("region-dashboard", args=[region.code])
    return [
        Visitor(
            "auditor",
            auditor,
            region,
            [
                ("start page", home),
                ("recommendations: region, overdue, by deadline", _recommendation_list(region)),
                ("measures", measures),
                ("region dashboard", dashboard),
                *_audit_pages(auditor, region, audits_per_visitor),
            ],
        ),
        Visitor(
            "secretary",
            secretary,
            region,
            [
                ("start page", home),
                ("inbox", reverse("inbox")),
                ("recommendations: region, overdue, by deadline", _recommendation_list(region)),
                ("measures", measures),
                ("region dashboard", dashboard),
                *_audit_pages(secretary, region, max(audits_per_visitor - 1, 1)),
            ],
        ),
    ]


def _member(region: Region, role: str, *, busiest_body: bool = False) -> User:
    memberships = Membership.objects.filter(region=region, role=role, user__is_active=True)
    if busiest_body:
        acts_for = Membership.bodies.through.objects.filter(membership=OuterRef("pk"))
        memberships = (
            memberships.filter(Exists(acts_for))
            .annotate(size=Count("bodies__recommendations"))
            .order_by("-size", "pk")
        )
    else:
        memberships = memberships.order_by("pk")
    membership = memberships.select_related("user").first()
    if membership is None:
        raise CommandError(f"{region} has no active {role}.")
    return membership.user


# Sessions -----------------------------------------------------------------------------


def open_sessions(visitors: list[Visitor], secret_key: str) -> None:
    """A signed-in session for each visitor, as django.contrib.auth.login() leaves it, but
    without its side effects (last_login, signals) and without knowing a password. Signed
    with the server's SECRET_KEY, which is not this process's."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    now = int(time.time())
    with override_settings(SECRET_KEY=secret_key):
        for visitor in visitors:
            session = store_class()
            session[SESSION_KEY] = visitor.user._meta.pk.value_to_string(visitor.user)
            session[BACKEND_SESSION_KEY] = MODEL_BACKEND
            session[HASH_SESSION_KEY] = visitor.user.get_session_auth_hash()
            # What tracker.sessions stamps at sign-in, so the idle limit starts now.
            session[LOGIN_AT] = session[SEEN_AT] = now
            session.save(must_create=True)
            visitor.session_key = session.session_key or ""


def close_sessions(visitors: list[Visitor]) -> None:
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    for visitor in visitors:
        if visitor.session_key:
            store_class(visitor.session_key).delete()
            visitor.session_key = ""


# The server -----------------------------------------------------------------------------


def database_url() -> str:
    """The address of this process's database for the server process. The configured
    DATABASE_URL as given when it names the same database (it may carry options)."""
    db = connection.settings_dict
    configured = os.environ.get("DATABASE_URL", "")
    if configured and dj_database_url.parse(configured)["NAME"] == db["NAME"]:
        return configured
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            raise CommandError("The server processes need a database file, not SQLite in memory.")
        return f"sqlite:///{name}"
    if connection.vendor != "postgresql":
        raise CommandError(f"Set DATABASE_URL for the server; {connection.vendor} is not known.")
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    auth = f"{user}{password}@" if user or password else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}{quote(db['HOST'] or '', safe='')}{port}/{quote(db['NAME'])}"


def production_env(*, secret_key: str, static_root: Path) -> dict[str, str]:
    """The environment the production settings need (tracker/settings.py); nothing that
    weakens them. HTTPS is what a TLS proxy in front would tell: X-Forwarded-Proto."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url(),
        "STATIC_ROOT": str(static_root),
    }


@dataclass(frozen=True)
class ServerSettings:
    session_cookie: str
    # The header a TLS-terminating proxy sets, e.g. ("X-Forwarded-Proto", "https").
    https_header: tuple[str, str] | None


def server_settings(env: dict[str, str]) -> ServerSettings:
    """Read from the production settings themselves, in a process that has them."""
    script = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_NAME, s.SECURE_PROXY_SSL_HEADER]))"
    )
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise CommandError(f"The production settings do not load:\n{done.stderr[-2000:]}")
    cookie, proxy_header = json.loads(done.stdout.strip().splitlines()[-1])
    https_header = None
    if proxy_header:
        meta_name, value = proxy_header
        name = "-".join(part.title() for part in meta_name.removeprefix("HTTP_").split("_"))
        https_header = (name, value)
    return ServerSettings(cookie, https_header)


def collect_static_manifest(static_root: Path) -> None:
    """The static files and their manifest, which every page's {% static %} reads in
    production. Collected without WhiteNoise's compression (half a minute of gzip for
    files the load never requests); the manifest is the same."""
    collect = import_module("django.contrib.staticfiles.management.commands.collectstatic")
    command = collect.Command()
    command.storage = ManifestStaticFilesStorage(location=str(static_root))
    call_command(command, interactive=False, verbosity=0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path

    def wait_listening(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError(f"gunicorn exited at start:\n{self.log_tail()}")
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise CommandError(f"gunicorn did not listen within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@contextmanager
def run_gunicorn(*, workers: int, env: dict[str, str], folder: Path) -> Iterator[Server]:
    """gunicorn tracker.wsgi on loopback, as the Dockerfile runs it (sync workers, no
    access log); stopped in all cases."""
    port = free_port()
    log = folder / "gunicorn.log"
    with log.open("ab") as output:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tracker.wsgi",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            # Its own process group, so that a kill takes the workers too.
            start_new_session=True,
        )
    try:
        # Not waited for here: the workers boot while the caller prepares the run.
        yield Server(port, process, log)
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        # TERM is gunicorn's graceful shutdown: the master stops its workers.
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def headers_for(visitor: Visitor, server: ServerSettings) -> dict[str, str]:
    headers = {"Cookie": f"{server.session_cookie}={visitor.session_key}"}
    if server.https_header:
        headers[server.https_header[0]] = server.https_header[1]
    return headers


def _get(port: int, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response
    finally:
        conn.close()


def check_pages(port: int, visitors: list[Visitor], server: ServerSettings) -> list[str]:
    """Each page once before the load: what does not answer 200 (say, a 302 to the login
    page: the session did not work) would make every later request an error."""
    failures = []
    for visitor in visitors:
        for what, path in visitor.pages:
            response = _get(port, path, headers_for(visitor, server))
            if response.status != 200:
                where = response.getheader("Location")
                failures.append(
                    f"{visitor.role} {what} {path}: {response.status}"
                    + (f" to {where}" if where else "")
                )
    return failures


def drain(port: int, server: ServerSettings) -> None:
    """Wait out the requests a finished wrk run left queued: wrk closes its connections
    when its time is up, but the workers still answer what they had accepted, which would
    otherwise slow the next run. One request queued behind them returns when they are done."""
    headers = dict([server.https_header]) if server.https_header else {}
    _get(port, reverse("login"), headers)


# The load generator ---------------------------------------------------------------------

LUA = """\
-- Generated by manage.py bench_load: a cycle of signed-in page requests.
local pages = {
%(pages)s
}
local threads = {}

function setup(thread)
  thread:set("first", #threads)
  table.insert(threads, thread)
end

function init(args)
  prepared = {}
  for i, page in ipairs(pages) do
    prepared[i] = wrk.format("GET", page[1], page[2])
  end
  -- Threads start at different points of the cycle.
  position = (first * 7) %% #prepared
  statuses = {}
end

function request()
  position = position %% #prepared + 1
  return prepared[position]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    parts[#parts + 1] = string.format('"%%d": %%d', status, n)
  end
  local e = summary.errors
  io.write(string.format(
    '%(mark)s{"requests": %%d, "duration_us": %%d, "bytes": %%d, '
    .. '"p50_us": %%.0f, "p90_us": %%.0f, "p99_us": %%.0f, "max_us": %%.0f, '
    .. '"connect": %%d, "read": %%d, "write": %%d, "timeout": %%d, "statuses": {%%s}}\\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, table.concat(parts, ", ")))
end
"""


def _lua_string(value: str) -> str:
    # JSON's escapes of printable ASCII (\\ and \") are Lua's too; nothing else occurs.
    if not value.isascii() or not value.isprintable():
        raise ValueError(f"not printable ASCII: {value!r}")
    return json.dumps(value)


def lua_script(visitors: list[Visitor], server: ServerSettings) -> str:
    """The pages of all visitors interleaved: user A's first page, user B's first, ...
    so that every connection works as every user in turn."""
    rows = []
    longest = max(len(visitor.pages) for visitor in visitors)
    for index in range(longest):
        for visitor in visitors:
            if index >= len(visitor.pages):
                continue
            headers = ", ".join(
                f"[{_lua_string(name)}] = {_lua_string(value)}"
                for name, value in headers_for(visitor, server).items()
            )
            rows.append(f"  {{{_lua_string(visitor.pages[index][1])}, {{{headers}}}}},")
    return LUA % {"pages": "\n".join(rows), "mark": RESULT_MARK}


@dataclass(frozen=True)
class LoadResult:
    connections: int
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    socket_errors: dict[str, int]
    statuses: dict[int, int]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def bad_statuses(self) -> dict[int, int]:
        # Every page of the mix answers 200; a 3xx is most likely the login page.
        return {status: n for status, n in self.statuses.items() if not 200 <= status < 300}

    @property
    def errors(self) -> int:
        return sum(self.socket_errors.values()) + sum(self.bad_statuses.values())

    @property
    def failed(self) -> bool:
        return bool(self.errors) or self.requests == 0

    def error_text(self) -> str:
        parts = [] if self.requests else ["no request completed"]
        parts += [f"{kind} {n}" for kind, n in self.socket_errors.items() if n]
        parts += [f"HTTP {status} ×{n}" for status, n in sorted(self.bad_statuses.items())]
        return ", ".join(parts)


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise CommandError("wrk is needed: install Debian's wrk package.")
    return found


def wrk_version(wrk: str) -> str:
    done = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    match = re.search(r"wrk\s+(\S+)", done.stdout + done.stderr)
    return match.group(1) if match else "unknown"


def run_wrk(
    *, wrk: str, port: int, script: Path, connections: int, seconds: int, timeout: int
) -> LoadResult:
    threads = min(connections, 2)
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [
            wrk,
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            f"--timeout={timeout}s",
            f"--script={script}",
            f"http://{HOST}:{port}/",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=seconds + timeout + 60,
    )
    line = next((line for line in done.stdout.splitlines() if line.startswith(RESULT_MARK)), None)
    if done.returncode != 0 or line is None:
        raise CommandError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    data = json.loads(line.removeprefix(RESULT_MARK))
    return LoadResult(
        connections=connections,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        socket_errors={kind: data[kind] for kind in ("connect", "read", "write", "timeout")},
        statuses={int(status): n for status, n in data["statuses"].items()},
    )
