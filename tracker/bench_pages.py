"""The pages `manage.py bench` times, who opens them, and how each one is measured.

A page is timed through Django's test client in this process: the whole server side
(middleware, sessions, the view, its queries, the template) without a network or a
browser. Its references run on the same data and filter:

- the floor: the very SQL statements the page ran, executed alone on the same
  connection. A page cannot be faster than its own queries.
- the admin: Django's admin changelist of the same model with the same filter, what
  an administrator would otherwise use.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from audits.models import Audit, QuestionSet
from recommendations.models import Measure, Recommendation
from regions.models import Body, Membership, Region, User

from .benchmarks import Sample

# Statements that only frame a transaction: not part of what a page asks the database.
FRAMING = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")


@dataclass
class Measured:
    name: str
    server: Sample = field(default_factory=Sample)
    queries: int = 0
    floor: Sample | None = None
    admin: Sample | None = None
    admin_queries: int = 0
    goal_ms: float | None = None
    goal_queries: int | None = None

    def floor_ratio(self) -> float | None:
        return self.server.p95() / self.floor.p95() if self.floor else None

    def admin_ratio(self) -> float | None:
        return self.admin.p95() / self.server.p95() if self.admin else None


@dataclass(frozen=True)
class Subjects:
    """Who and what the pages are opened for: the busiest region and its people."""

    region: Region
    auditor: User
    secretary: User
    secretary_body: Body
    audit: Audit
    question_set: QuestionSet | None


def pick_subjects() -> Subjects:
    region = (
        Region.objects.annotate(n=Count("audits__recommendations")).order_by("-n", "pk").first()
    )
    if region is None:
        raise LookupError("No region with audits: generate data first (generate_national_data).")
    auditor = _member(region, Membership.Role.AUDITOR)
    busiest = (
        Body.objects.filter(region=region, memberships__role=Membership.Role.SECRETARY)
        .annotate(n=Count("recommendations", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    if busiest is None:
        raise LookupError(f"No body of {region} has a secretary.")
    secretary = User.objects.filter(
        memberships__role=Membership.Role.SECRETARY, memberships__bodies=busiest
    ).first()
    audit = (
        Audit.objects.filter(region=region)
        .exclude(status__in=Audit.DRAFT_STATUSES)
        .annotate(size=Count("questions", distinct=True) + Count("recommendations", distinct=True))
        .order_by("-size", "pk")
        .first()
    )
    question_set = (
        QuestionSet.objects.annotate(n=Count("audits")).filter(n__gt=0).order_by("-n").first()
    )
    if audit is None or secretary is None:
        raise LookupError(f"{region} has no issued audit or no secretary.")
    return Subjects(region, auditor, secretary, busiest, audit, question_set)


def _member(region: Region, role: str) -> User:
    user = User.objects.filter(memberships__region=region, memberships__role=role).first()
    if user is None:
        raise LookupError(f"{region} has no member with the role {role}.")
    return user


def browser(user: User) -> Client:
    """A signed-in client that passes the production host and HTTPS checks."""
    hosts = [h for h in settings.ALLOWED_HOSTS if h not in ("*", "")]
    host = hosts[0].lstrip(".") if hosts else "localhost"
    client = Client(HTTP_HOST=host, secure=True)
    client.force_login(user)
    return client


def fetch(client: Client, url: str) -> int:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}, not 200.")
    # Streamed downloads are produced while they are read: read them, as a server would.
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def time_calls(call: Callable[[], Any], *, warmup: int, runs: int) -> Sample:
    sample = Sample()
    # Query logging off (as in production), whatever DEBUG says: it costs time per query.
    with override_settings(DEBUG=False):
        for _ in range(warmup):
            call()
        for _ in range(runs):
            started = time.perf_counter()
            call()
            sample.seconds.append(time.perf_counter() - started)
    return sample


def statements(call: Callable[[], Any]) -> list[str]:
    """The SQL a call runs, as executed (parameters bound), framing statements left out."""
    with CaptureQueriesContext(connection) as captured:
        call()
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].lstrip().upper().startswith(FRAMING)
    ]


def run_statements(sql: list[str]) -> None:
    # Inside a savepoint rolled back, so a statement that writes (a session's last
    # activity) changes nothing for the next run.
    with transaction.atomic():
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
                if cursor.description is not None:
                    cursor.fetchall()
        transaction.set_rollback(True)


def measure_page(
    measured: Measured,
    client: Client,
    url: str,
    *,
    warmup: int,
    runs: int,
    admin_client: Client | None = None,
    admin_url: str | None = None,
) -> Measured:
    measured.server = time_calls(lambda: fetch(client, url), warmup=warmup, runs=runs)
    sql = statements(lambda: fetch(client, url))
    measured.queries = len(sql)
    measured.floor = time_calls(lambda: run_statements(sql), warmup=warmup, runs=runs)
    if admin_client is not None and admin_url is not None:
        measured.admin = time_calls(
            lambda: fetch(admin_client, admin_url), warmup=warmup, runs=runs
        )
        measured.admin_queries = len(statements(lambda: fetch(admin_client, admin_url)))
    return measured


# The admin's changelists, filtered as our pages are ------------------------------------------


def changelist(model: type, **params: object) -> str:
    """The admin changelist of `model` with `o` given as a field name, not a column number."""
    model_admin = admin.site._registry[model]
    query = {key: value for key, value in params.items() if key != "o"}
    if "o" in params:
        field_name = str(params["o"])
        columns = list(model_admin.list_display)
        query["o"] = columns.index(field_name) + 1
    meta = model._meta
    return f"{reverse(f'admin:{meta.app_label}_{meta.model_name}_changelist')}?{urlencode(query)}"


def list_pages(subjects: Subjects) -> list[tuple[str, User, str, str]]:
    """(name, user, page URL, admin URL) of each list page on the same filter."""
    region = subjects.region.pk
    body = subjects.secretary_body.pk
    return [
        (
            "Recommendation list: region + overdue, by deadline",
            subjects.auditor,
            f"{reverse('recommendation-list')}?region={region}&overdue=true&o=deadline",
            changelist(
                Recommendation,
                audit__region__id__exact=region,
                overdue="yes",
                o="response_deadline",
            ),
        ),
        (
            "Secretary inbox",
            subjects.secretary,
            reverse("inbox"),
            changelist(
                Recommendation,
                body__id__exact=body,
                status__exact=Recommendation.Status.OPEN,
                o="response_deadline",
            ),
        ),
        (
            "Measure list: region + overdue, by due date",
            subjects.auditor,
            f"{reverse('measure-list')}?region={region}&overdue=true&o=due",
            changelist(
                Measure, response__audit__region__id__exact=region, overdue="yes", o="due_date"
            ),
        ),
        (
            "Audit list: region, newest first",
            subjects.auditor,
            f"{reverse('audit-list')}?region={region}",
            changelist(Audit, region__id__exact=region),
        ),
    ]


def one_off_pages(subjects: Subjects) -> list[tuple[str, User, str, float]]:
    """(name, user, URL, goal in ms) of the pages without an admin counterpart."""
    pages = [
        (
            f"Audit page ({subjects.audit.questions.count()} questions, "
            f"{subjects.audit.recommendations.count()} recommendations)",
            subjects.auditor,
            reverse("audit-detail", args=[subjects.audit.pk]),
            50.0,
        ),
        (
            "Region dashboard",
            subjects.auditor,
            reverse("region-dashboard", args=[subjects.region.code]),
            150.0,
        ),
    ]
    if subjects.question_set is not None:
        regions = subjects.question_set.audits.values("region").distinct().count()
        viewer = _comparison_viewer(subjects.question_set)
        pages.append(
            (
                f"Coordinated comparison matrix ({regions} regions)",
                viewer,
                reverse("question-set-comparison", args=[subjects.question_set.pk]),
                150.0,
            )
        )
    return pages


def _comparison_viewer(question_set: QuestionSet) -> User:
    audit = question_set.audits.order_by("pk").first()
    if audit is None:
        raise LookupError(f"The question set {question_set} has no audit.")
    return _member(audit.region, Membership.Role.AUDITOR)


def overdue_count(region: Region, today: datetime.date) -> int:
    from recommendations.filters import RecommendationFilter

    late = RecommendationFilter.late(today)
    return Recommendation.objects.filter(late, audit__region=region).count()


def open_awaiting(body: Body) -> int:
    return Recommendation.objects.filter(body=body).awaiting_response().count()
