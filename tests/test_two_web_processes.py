"""Web processes hold no state: two gunicorn processes against one PostgreSQL database,
as behind a load balancer. A user signs in on one and is signed in on the other; a signed
response uploaded through one downloads, byte for byte, through the other; signing out on
one ends the session on both. Uploads in a folder both share, then in an S3 bucket (a real
S3 endpoint on loopback, moto's server) with nothing on either process's own disk."""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pypdf
import pytest
import requests
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from audits.models import Audit
from recommendations.models import Recommendation, Response
from regions.models import Body, Membership, User

from .reminders.smtp import free_port
from .s3 import S3Server, without_storage_settings
from .services import database_url, wait_until

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="several web processes share a PostgreSQL server (SQLite is the one-process demo)",
    ),
]

ROOT = Path(django_settings.BASE_DIR)
BIN = Path(sys.executable).parent
PASSWORD = "rätt-lösenord-2021"


class WebProcess:
    """One gunicorn process serving the app on a loopback port of its own."""

    def __init__(self, name: str, env: dict[str, str], folder: Path) -> None:
        self.name = name
        self.port = free_port()
        self.log = folder / f"{name}.log"
        # gunicorn >= 25.1 opens a control socket in XDG_RUNTIME_DIR (else ~/.gunicorn):
        # one each, as on two servers, rather than one master taking over the other's.
        runtime = folder / name / "run"
        runtime.mkdir(parents=True)
        env = {**env, "XDG_RUNTIME_DIR": str(runtime)}
        self.process = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
            [
                str(BIN / "gunicorn"),
                "tracker.wsgi",
                f"--bind=127.0.0.1:{self.port}",
                "--workers=1",
                "--access-logfile=-",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            # Its own process group, so that stopping it takes its worker too.
            start_new_session=True,
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"{self.name} exited:\n{self.log.read_text(errors='replace')}")
        try:
            return requests.get(self.url("/login/"), timeout=5).status_code == 200
        except (requests.ConnectionError, requests.Timeout):
            return False

    def terminate(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)

    def wait(self) -> None:
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class _Forms(HTMLParser):
    """A page's forms as a browser submits them unchanged: each field's name and value."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: dict[str, Any] | None = None
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self._form = {"action": found.get("action") or "", "fields": [], "files": []}
            self.forms.append(self._form)
            return
        name = found.get("name")
        if self._form is None:
            return
        if tag == "input" and name:
            kind = (found.get("type") or "text").lower()
            if kind == "file":
                self._form["files"].append(name)
            elif kind in {"checkbox", "radio"}:
                if "checked" in found:
                    self._form["fields"].append((name, found.get("value") or "on"))
            elif kind not in {"submit", "button", "image", "reset"}:
                self._form["fields"].append((name, found.get("value") or ""))
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "chosen": []}
        elif tag == "option" and self._select is not None:
            value = found.get("value") or ""
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in found:
                self._select["chosen"].append(value)
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = self._select["chosen"] or [self._select["first"] or ""]
            self._form["fields"] += [(self._select["name"], value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, value = self._textarea
            # A browser drops the newline right after <textarea>.
            self._form["fields"].append((name, value.removeprefix("\n")))
            self._textarea = None


def form_with(page: requests.Response, field: str) -> list[tuple[str, str]]:
    """The fields of the page's form that has `field` (a file input or another)."""
    parser = _Forms()
    parser.feed(page.text)
    for form in parser.forms:
        if field in form["files"] or any(name == field for name, _value in form["fields"]):
            return form["fields"]
    raise AssertionError(f"no form with {field!r} in {page.url}")


def replace(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    return [(name, value) for name, value in fields if name not in values] + list(values.items())


def signed_pdf() -> bytes:
    """A one-page PDF with a title of its own, as a scanned signed decision would be."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": f"Yttrande RS 2021-05-18 {secrets.token_hex(8)}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def secretary(issued_audit: Audit, board: Body, settings) -> User:
    # The web processes check passwords with the production hashers, not the tests' MD5.
    from tracker import settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS
    Recommendation.objects.create(
        audit=issued_audit, body=board, number=1, text="Inför systematisk uppföljning."
    )
    user = User.objects.create_user("sekreterare.rs", password=PASSWORD, first_name="Sara")
    membership = Membership.objects.create(
        user=user, region=issued_audit.region, role=Membership.Role.SECRETARY
    )
    membership.bodies.set([board])
    return user


@pytest.fixture
def s3(tmp_path) -> Iterator[S3Server]:
    server = S3Server(tmp_path)
    server.start()
    yield server
    server.stop()


class WebProcesses:
    """The web processes of a test, each stopped after it whatever happened: kept from the
    moment it starts, so one that never answers is stopped too."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: list[WebProcess] = []

    def start_two(self, env: dict[str, str], **own: dict[str, str]) -> list[WebProcess]:
        for name in ("web-a", "web-b"):
            self.processes.append(WebProcess(name, {**env, **own.get(name, {})}, self.folder))
        for process in self.processes:
            wait_until(process.answers, 60, f"{process.name} to answer")
        return self.processes

    def stop(self) -> None:
        # All at once: each master takes a few seconds to see its worker out.
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait()
            # Captured: pytest shows it with a failing test only.
            print(f"== {process.name} ==\n{process.log.read_text(errors='replace')[-3000:]}")


@pytest.fixture
def web_env(tmp_path) -> dict[str, str]:
    """What both processes share besides the database: the key that signs sessions."""
    return {
        **without_storage_settings(dict(os.environ)),
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        # Plain HTTP on loopback: production's Secure, __Host- cookies need TLS.
        "DJANGO_DEBUG": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "VAR_DIR": str(tmp_path / "var"),
    }


@pytest.fixture
def web(tmp_path) -> Iterator[WebProcesses]:
    processes = WebProcesses(tmp_path)
    yield processes
    processes.stop()


def sign_in(browser: requests.Session, web: WebProcess) -> None:
    page = browser.get(web.url("/login/"))
    fields = replace(form_with(page, "username"), username="sekreterare.rs", password=PASSWORD)
    answer = browser.post(web.url("/login/"), data=fields, allow_redirects=False)
    assert answer.status_code == 302, answer.text[-2000:]
    assert answer.headers["Location"] == reverse("home")


def signed_in_as(browser: requests.Session, web: WebProcess) -> str | None:
    page = browser.get(web.url(reverse("account")), allow_redirects=False)
    if page.status_code != 200:
        assert page.status_code == 302 and page.headers["Location"].startswith(reverse("login"))
        return None
    match = re.search(r'<div class="account">\s*<span>([^<]*)</span>', page.text)
    assert match, "no signed-in user in the page header"
    return match.group(1)


def upload_response(browser: requests.Session, web: WebProcess, audit: Audit, body: Body, pdf):
    url = web.url(reverse("response-edit", args=[audit.pk, body.pk]))
    page = browser.get(url)
    assert page.status_code == 200, page.text[-2000:]
    fields = replace(
        form_with(page, "document"),
        kind="narrative",
        narrative="Regionstyrelsen instämmer i rekommendationen.",
        received_date="2021-05-20",
        decision_reference="RS 2021-05-18 §45",
    )
    files = {"document": ("Yttrande RS.pdf", pdf, "application/pdf")}
    answer = browser.post(url, data=fields, files=files, allow_redirects=False)
    assert answer.status_code == 302, answer.text[-3000:]
    return Response.objects.get(audit=audit, body=body)


def sign_out(browser: requests.Session, web: WebProcess) -> None:
    page = browser.get(web.url(reverse("account")))
    fields = form_with(page, "csrfmiddlewaretoken")
    answer = browser.post(web.url(reverse("logout")), data=fields, allow_redirects=False)
    assert answer.status_code == 302


def across_two_processes(
    a: WebProcess, b: WebProcess, audit: Audit, body: Body, secretary: User
) -> tuple[Response, bytes]:
    browser = requests.Session()
    assert signed_in_as(browser, b) is None
    sign_in(browser, a)
    assert signed_in_as(browser, a) == str(secretary)
    # The same cookie on the other process: the session is a row both read.
    assert signed_in_as(browser, b) == str(secretary)

    pdf = signed_pdf()
    response = upload_response(browser, b, audit, body, pdf)
    download = browser.get(a.url(reverse("response-document", args=[response.pk])))
    assert download.status_code == 200
    assert download.content == pdf
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")

    # Signing out on one process ends the session on the other too.
    sign_out(browser, b)
    assert signed_in_as(browser, a) is None
    assert browser.get(a.url(reverse("response-document", args=[response.pk]))).url.startswith(
        a.url(reverse("login"))
    )
    return response, pdf


def test_a_session_and_an_upload_in_a_shared_folder_work_across_two_web_processes(
    tmp_path, web_env, web, secretary, issued_audit, board
):
    shared = tmp_path / "shared-uploads"
    a, b = web.start_two({**web_env, "UPLOAD_ROOT": str(shared)})
    response, pdf = across_two_processes(a, b, issued_audit, board, secretary)
    assert (shared / response.document.name).read_bytes() == pdf


def test_a_session_and_an_upload_in_s3_work_across_two_web_processes(
    tmp_path, web_env, web, s3, secretary, issued_audit, board
):
    own = {
        name: {"UPLOAD_ROOT": str(tmp_path / name / "uploads"), **s3.env()}
        for name in ("web-a", "web-b")
    }
    a, b = web.start_two(web_env, **own)
    response, pdf = across_two_processes(a, b, issued_audit, board, secretary)
    assert s3.stored() == [response.document.name]
    assert (
        s3.client().get_object(Bucket="tracker-uploads", Key=response.document.name)["Body"].read()
        == pdf
    )
    # Neither process wrote the upload to a folder of its own.
    for name in own:
        assert not any((tmp_path / name).rglob("*.pdf")), name
