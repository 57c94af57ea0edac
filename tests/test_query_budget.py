"""Every page has a pinned number of SQL queries, so an N+1 or a lost select_related fails
here, with the page's queries listed.

Each GET route of the app (as tests/permissions_helpers.py walks them, the public pages
included) is asked once, about an object of the permission matrix's world, by a demo
user the matrix says gets 200. The first request warms up (the session's one-off work);
the second is counted. A few routes are asked once more, for what the first ask does not
render (the other PDFs, the XLSX downloads, the start page of a secretary).

The budgets are the counts measured on SQLite and on PostgreSQL, the larger of the two.
A page that needs fewer queries than its budget passes: lower the budget with it. A page
that needs more fails: find the query that repeats, or raise the budget and say why. A
new route fails until it has a budget.

tests/test_query_counts.py checks the other half: the main pages stay flat when they
list many more rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import Audit

from .permissions_helpers import SKIPPED_PREFIXES, World, build_world, log_in, walk_urls
from .test_permissions import ACTORS, KINDS, MATRIX, expected, url_args
from .web import HTMX

# ---------------------------------------------------------------------------------------
# Budgets: SQL queries per request, keyed by URL name ("<name> <variant>" for a second
# ask of the same route).

BUDGETS: dict[str, int] = {
    # Start page, inbox, account
    "home": 9,  # an auditor's
    "home secretary": 7,
    "home reader": 6,
    "inbox": 6,
    "account": 6,
    "two-factor": 7,
    "calendar-feed": 5,
    # An audit and its findings
    "audit-create": 12,
    "audit-create-from-set": 12,
    "report-import": 8,  # the upload form and the imports not yet saved
    "report-import-review": 9,  # flat in the questions and recommendations proposed
    "audit-detail": 16,
    "audit-section": 16,  # questions; each section renders the page's whole context
    "audit-section overall": 16,
    "audit-section summary": 16,
    "audit-section recommendations": 16,
    "audit-history": 18,
    "audit-edit": 16,
    "audit-issue": 11,
    "audit-file": 5,
    "overall-edit": 5,
    "question-add": 5,
    "question-block": 7,
    "question-edit": 5,
    "question-delete": 9,
    "assessment-edit": 7,
    "assessment-delete": 7,
    "observation-add": 5,
    "observation-edit": 5,
    "observation-delete": 5,
    # Recommendations, responses, measures
    "recommendation-add": 9,
    "recommendation-detail": 11,
    "recommendation-block": 7,
    "recommendation-edit": 8,
    "recommendation-delete": 5,
    "follow-up-add": 5,
    "response-edit": 10,
    "response-import": 10,  # GET: the response form, as response-edit
    "response-detail": 10,
    "response-document": 5,
    "measure-add": 7,
    "measure-edit": 8,
    "measure-complete": 5,
    "measure-revise": 5,
    # Dashboards and indicators
    "dashboard": 12,
    "region-dashboard": 12,
    "question-set-comparison": 15,
    "indicator-list": 7,
    "indicator-detail": 9,
    # PDFs and background exports
    "audit-pdf": 12,  # the report
    "audit-pdf cover-letter": 8,
    "audit-pdf response": 12,
    "audit-pdf comparison": 15,
    "followup-report": 7,  # the form
    "followup-report pdf": 13,
    "export-status": 5,
    "export-download": 3,
    # Public pages (no sign-in)
    "public-index": 1,
    "public-region": 4,
    "public-report": 2,
}

# ---- List pages ------------------------------------------------------------------------
# Their paging (tracker/filtering.py `paginate`, templates/includes/_pagination.html and
# _result_count.html) is being reworked: these may move by one. The downloads share the
# lists' filters but not their paging.
LIST_BUDGETS: dict[str, int] = {
    "audit-list": 9,
    "recommendation-list": 9,
    "measure-list": 9,
    "followup-list": 7,
    "audit-list-export": 6,
    "audit-list-export xlsx": 6,
    "recommendation-list-export": 5,
    "recommendation-list-export xlsx": 5,
    "measure-list-export": 6,
    "measure-list-export xlsx": 6,
    "followup-list-export": 5,
    "followup-list-export xlsx": 5,
}

# ---------------------------------------------------------------------------------------
# What is asked

# The public pages need no sign-in and are not in the matrix; norrbotten is the demo's
# public region.
PUBLIC_REGION = "norrbotten"
# Richest first: the issued audit has responses, measures and follow-ups to show.
PREFERRED_KIND = "issued"
# The world's region whose users and objects the variants ask about.
REGION = "norrbotten"

# Served for POST only (405 on GET): nothing to count.
POST_ONLY = {name for name, rule in MATRIX.items() if rule.get is None}
ROUTES = sorted(
    {
        found.name
        for found in walk_urls(tuple(p for p in SKIPPED_PREFIXES if p != "public/"))
        if found.name
    }
    - POST_ONLY
)
LIST_EXPORTS = (
    "audit-list-export",
    "recommendation-list-export",
    "measure-list-export",
    "followup-list-export",
)
VARIANTS = [
    "audit-pdf cover-letter",
    "audit-pdf response",
    "audit-pdf comparison",
    "followup-report pdf",
    *(f"{name} xlsx" for name in LIST_EXPORTS),
    "audit-section overall",
    "audit-section summary",
    "audit-section recommendations",
    "home secretary",
    "home reader",
]


@dataclass(frozen=True)
class Visit:
    username: str | None  # None: no sign-in
    url: str
    htmx: bool = False


def _first_allowed(name: str, world: World) -> Visit:
    """The first actor of the matrix who gets 200 in their own region, about the richest
    kind of object they may see."""
    rule = MATRIX[name]
    kinds = sorted(KINDS[rule.family], key=lambda kind: kind != PREFERRED_KIND)
    for actor in ACTORS:
        if actor.username is None and not rule.public:
            continue
        for kind in kinds:
            if expected(rule, actor, "own", kind, "GET") != "200":
                continue
            objects = world.regions[actor.own].objects
            key = objects[rule.family][kind] if rule.family != "none" else None
            url = reverse(name, args=url_args(rule, key))
            return Visit(None if rule.public else actor.username, url, htmx=rule.htmx)
    raise AssertionError(f"nobody gets 200 from {name} in the permission matrix")


def _public(name: str) -> Visit:
    if name == "public-index":
        return Visit(None, reverse(name))
    if name == "public-region":
        return Visit(None, reverse(name, args=[PUBLIC_REGION]))
    assert name == "public-report", f"a public route this module cannot ask: {name}"
    issued = Audit.objects.filter(region__code=PUBLIC_REGION).issued().order_by("pk").first()
    return Visit(None, reverse(name, args=[PUBLIC_REGION, issued.pk]))


def _variant(key: str, world: World) -> Visit:
    name, variant = key.split(" ")
    issued = world.regions[REGION].objects["audit"]["issued"]
    auditor = f"revisor.{REGION}"
    if name == "audit-pdf":
        return Visit(auditor, reverse(name, args=[issued, variant]))
    if name == "followup-report":
        return Visit(auditor, f"{reverse(name)}?region={REGION}")
    if name in LIST_EXPORTS:
        return Visit(auditor, reverse(name, args=[variant]))
    if name == "audit-section":
        return Visit(auditor, reverse(name, args=[issued, variant]), htmx=True)
    assert name == "home", key
    prefix = {"secretary": "sekreterare", "reader": "lasare"}[variant]
    return Visit(f"{prefix}.{REGION}", reverse(name))


def _visit(key: str, world: World) -> Visit:
    if " " in key:
        return _variant(key, world)
    if key in MATRIX:
        return _first_allowed(key, world)
    if key.startswith("public-"):
        return _public(key)
    raise AssertionError(
        f"{key}: add an access rule to MATRIX in tests/test_permissions.py (it tells who may "
        f"ask the page about what), then add a budget for {key} here"
    )


# ---------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """The permission matrix's world (the demo and more), built once for the module and
    rolled back after it; each test runs in a savepoint of its own."""
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with fast_hashing, django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        built.sessions = log_in([actor.username for actor in ACTORS if actor.username])
        yield built
        transaction.set_rollback(True)


def _client(visit: Visit, world: World) -> Client:
    client = Client()
    if visit.username:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[visit.username]
    return client


def _get(client: Client, visit: Visit):
    response = client.get(visit.url, **(HTMX if visit.htmx else {}))
    if getattr(response, "streaming", False):
        # Read to the end: a file is read (and closed) as the browser would.
        b"".join(response.streaming_content)
    return response


# ---------------------------------------------------------------------------------------
# Tests


@pytest.mark.parametrize("key", ROUTES + VARIANTS)
def test_page_stays_within_its_query_budget(key, world, db):
    visit = _visit(key, world)
    client = _client(visit, world)
    who = visit.username or "anonymous"
    warm = _get(client, visit)  # the first request of a session does one-off work
    assert warm.status_code == 200, f"{key}: GET {visit.url} as {who}: {warm.status_code}"
    with CaptureQueriesContext(connection) as queries:
        page = _get(client, visit)
    assert page.status_code == 200
    budget = {**BUDGETS, **LIST_BUDGETS}.get(key)
    assert budget is not None, f"add a budget for {key} to BUDGETS: it needs {len(queries)}"
    listing = "\n".join(f"{n}. {q['sql']}" for n, q in enumerate(queries.captured_queries, 1))
    assert len(queries) <= budget, (
        f"{key}: {len(queries)} queries, budget {budget} (GET {visit.url} as {who}):\n{listing}"
    )


def test_every_budget_is_for_a_route():
    stale = sorted((set(BUDGETS) | set(LIST_BUDGETS)) - set(ROUTES) - set(VARIANTS))
    both = sorted(set(BUDGETS) & set(LIST_BUDGETS))
    assert not stale, f"budgets for routes that no longer exist: {stale}"
    assert not both, f"budgets in both dicts: {both}"
