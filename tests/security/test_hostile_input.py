"""Hostile input to every form, filter and address: refused clearly or stored as text.

Property-based (hypothesis): random and malicious values go into the forms of the
audit side and of the bodies' secretaries, the list filters, the buttons and the ids
in addresses. Whatever arrives:

- the app never answers with a server error (the test client re-raises a view's
  exception, so a crash fails the example with its traceback);
- a POST that is not saved shows the form again with the reason next to a field (or
  above the form), never a blank refusal;
- NUL (which PostgreSQL refuses in text) never reaches the database: it is a field
  error on every text field;
- markup is stored as text and shown escaped: no page shows input as a live <script>,
  event handler or element (tests/security/hostile.py judges the page);
- ids of another region's objects are a field error or a 404, and nothing of another
  region changes.

The world is the permission matrix's (tests/permissions_helpers.py): the demo plus a
draft, an issued audit, responses and measures in each region. It is built once for the
module; every example runs in a savepoint that is rolled back, so examples do not see
each other's data.
"""

from __future__ import annotations

import datetime
import logging
import os
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Q
from django.test import Client, override_settings
from django.test.client import encode_multipart
from django.urls import reverse
from hypothesis import HealthCheck, event, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from audits.models import (
    Assessment,
    Audit,
    AuditQuestion,
    AuditTeamMember,
    Criterion,
    Observation,
    RatingLevel,
)
from recommendations.models import Answer, FollowUp, Measure, Recommendation, Response
from regions.models import Body, Region, User
from tracker.forms import EARLIEST_DATE, LATEST_DATE

from ..exports.pdf import read_pdf
from ..permissions_helpers import build_world, log_in, walk_urls
from ..web import HTMX, form_data, formset_data
from .hostile import (
    MARK,
    PAYLOADS,
    hostile_date,
    hostile_number,
    hostile_text,
    injected,
)

AUDITOR = "revisor.norrbotten"
OFFICE = "revisionskontor.norrbotten"
SECRETARY = "sekreterare.norrbotten"
READER = "lasare.norrbotten"
USERS = (AUDITOR, OFFICE, SECRETARY, READER)


def examples(count: int) -> hypothesis_settings:
    """`count` examples per test, times HOSTILE_EXAMPLES_SCALE for a deeper run by hand.

    No example database: the checkout stays clean. The suite draws the same inputs every
    run, so whether a change lands does not depend on luck; HOSTILE_RANDOM=1 (with a
    larger scale) explores new ones by hand, and a failure prints how to reproduce it.
    """
    return hypothesis_settings(
        max_examples=count * int(os.environ.get("HOSTILE_EXAMPLES_SCALE", "1")),
        derandomize=os.environ.get("HOSTILE_RANDOM") != "1",
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# ---------------------------------------------------------------------------------------
# The world: object ids by name, for the forms' addresses, fields and the swapped ids


@dataclass
class Hostile:
    ids: dict[str, Any]
    sessions: dict[str, str]
    own_region: int
    other_regions: tuple[int, ...]
    # Forms as their pages show them, read once: every example is rolled back, so the
    # versions they carry stay current.
    opened: dict[str, Opened] = field(default_factory=dict)

    def client(self, username: str | None) -> Client:
        # A browser of its own per example: no cookie (messages) carries over.
        client = Client()
        if username:
            client.cookies[django_settings.SESSION_COOKIE_NAME] = self.sessions[username]
        return client

    def fmt(self, text: str) -> str:
        return text.format_map(self.ids)


def _ids(world: Any) -> dict[str, Any]:
    own, other = world.regions["norrbotten"], world.regions["vasterbotten"]
    o, x = own.objects, other.objects
    awaiting_audit, _body = o["response-pair"]["awaiting"]
    draft = Audit.objects.get(pk=o["audit"]["draft"])
    other_scale_level = (
        RatingLevel.objects.exclude(scale=draft.rating_scale_id).order_by("pk").first()
    )
    return {
        "region": own.region,
        "region_code": "norrbotten",
        "s_body": own.s_body,
        "t_body": own.t_body,
        "draft": o["audit"]["draft"],
        "factcheck": o["audit"]["factcheck"],
        "issued": o["audit"]["issued"],
        "closed": o["audit"]["closed"],
        "awaiting": awaiting_audit,
        "question": o["question"]["draft"],
        "issued_question": o["question"]["issued"],
        "observation": o["observation"]["draft"],
        "recommendation": o["recommendation"]["draft"],
        "issued_recommendation": o["recommendation"]["issued"],
        "t_recommendation": o["recommendation"]["issued_tbody"],
        "response": o["response"]["issued"],
        "t_response": o["response"]["issued_tbody"],
        "measure": o["measure"]["issued"],
        "t_measure": o["measure"]["issued_tbody"],
        "calendar": o["calendar"]["active"],
        "question_set": world.question_set,
        "scale": draft.rating_scale_id,
        "level": draft.rating_scale.levels.order_by("rank").first().pk,
        "other_scale_level": other_scale_level.pk,
        "auditor": User.objects.get(username=AUDITOR).pk,
        "secretary": User.objects.get(username=SECRETARY).pk,
        "reader": User.objects.get(username=READER).pk,
        # Another region's objects, of the same kinds
        "other_region": other.region,
        "other_region_code": "vasterbotten",
        "other_body": other.s_body,
        "other_t_body": other.t_body,
        "other_draft": x["audit"]["draft"],
        "other_issued": x["audit"]["issued"],
        "other_question": x["question"]["draft"],
        "other_issued_question": x["question"]["issued"],
        "other_observation": x["observation"]["draft"],
        "other_recommendation": x["recommendation"]["draft"],
        "other_issued_recommendation": x["recommendation"]["issued"],
        "other_response": x["response"]["issued"],
        "other_measure": x["measure"]["issued"],
        "other_auditor": User.objects.get(username="revisor.vasterbotten").pk,
        "other_secretary": User.objects.get(username="sekreterare.vasterbotten").pk,
    }


@pytest.fixture(scope="module")
def hostile(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Hostile]:
    overrides = override_settings(
        MEDIA_ROOT=str(tmp_path_factory.mktemp("uploads")),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    overrides.enable()
    # Hundreds of deliberate 400/403/404s: log only server errors.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    outer = transaction.atomic()
    try:
        with django_db_blocker.unblock():
            outer.__enter__()
            world = build_world()
            own = world.regions["norrbotten"].region
            yield Hostile(
                ids=_ids(world),
                sessions=log_in(list(USERS)),
                own_region=own,
                other_regions=tuple(rw.region for rw in world.regions.values() if rw.region != own),
            )
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        request_log.setLevel(level)
        overrides.disable()


@contextmanager
def rolled_back() -> Iterator[None]:
    """One example: whatever it saves is gone before the next."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------
# The forms


@dataclass(frozen=True)
class Form:
    name: str
    user: str
    url: str  # a URL name; args are keys of Hostile.ids
    args: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()  # free-text fields (names may hold {id} placeholders)
    dates: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()  # fields that take ids of objects
    fill: dict[str, Any] = field(default_factory=dict)  # valid values for required fields
    shows: tuple[tuple[str, tuple[str, ...]], ...] = ()  # pages that show what was saved
    inline: bool = False  # an htmx save answers with the changed block (HX-Retarget)

    def __str__(self) -> str:
        return self.name


AUDIT_TEXTS = (
    "title",
    "reference_number",
    "audit_firm",
    "background",
    "purpose",
    "scope",
    "method",
    "criteria_text",
    "team-0-name",
    "team-0-title",
)
AUDIT_PAGE = (("audit-detail", ("draft",)),)
RESPONSE_PAGES = (
    ("response-detail", ("response",)),
    ("measure-list", ()),
    ("inbox", ()),
    ("calendar-feed", ("calendar",)),
)

FORMS = [
    Form(
        "audit-create",
        AUDITOR,
        "audit-create",
        texts=AUDIT_TEXTS,
        ids=(
            "region",
            "audited_bodies",
            "follows_up",
            "responsible_auditor",
            "rating_scale",
            "year",
        ),
        fill={
            "title": "Granskning av fientlig indata",
            "rating_scale": "{scale}",
            "team-0-name": "Konsult",
        },
        shows=(("audit-list", ()), ("home", ())),
    ),
    Form(
        "audit-edit",
        AUDITOR,
        "audit-edit",
        ("draft",),
        texts=AUDIT_TEXTS,
        ids=("audited_bodies", "follows_up", "responsible_auditor", "region", "year"),
        fill={"team-0-name": "Konsult"},
        shows=(*AUDIT_PAGE, ("audit-list", ())),
    ),
    Form(
        "audit-create-from-set",
        AUDITOR,
        "audit-create-from-set",
        texts=("title", "reference_number", "audit_firm"),
        ids=("question_set", "region", "rating_scale"),
        fill={"question_set": "{question_set}", "region": "{region}"},
        shows=(("audit-list", ()),),
    ),
    Form(
        "overall-edit",
        AUDITOR,
        "overall-edit",
        ("draft",),
        texts=("overall_assessment",),
        shows=AUDIT_PAGE,
        inline=True,
    ),
    Form(
        "question-add",
        AUDITOR,
        "question-add",
        ("draft",),
        texts=("new-text",),
        ids=("parent",),
        fill={"new-text": "Finns en fientlig fråga?"},
        shows=AUDIT_PAGE,
        inline=True,
    ),
    Form(
        "question-edit",
        AUDITOR,
        "question-edit",
        ("question",),
        texts=("text",),
        shows=(*AUDIT_PAGE, ("recommendation-add", ("draft",))),
        inline=True,
    ),
    Form(
        "observation-add",
        AUDITOR,
        "observation-add",
        ("question",),
        texts=("obs-new-{question}-heading", "obs-new-{question}-text"),
        fill={"obs-new-{question}-text": "Rutinen saknas."},
        shows=AUDIT_PAGE,
        inline=True,
    ),
    Form(
        "observation-edit",
        AUDITOR,
        "observation-edit",
        ("observation",),
        texts=("obs-{observation}-heading", "obs-{observation}-text"),
        shows=(*AUDIT_PAGE, ("observation-delete", ("observation",))),
        inline=True,
    ),
    Form(
        "assessment-edit",
        AUDITOR,
        "assessment-edit",
        ("question",),
        texts=("rating-{question}-comment", "rating-{question}-reasoning"),
        ids=("rating-{question}-level",),
        shows=(*AUDIT_PAGE, ("assessment-delete", ("question",))),
        inline=True,
    ),
    Form(
        "recommendation-add",
        AUDITOR,
        "recommendation-add",
        ("draft",),
        texts=("new-recommendation-text",),
        ids=(
            "new-recommendation-body",
            "new-recommendation-questions",
            "new-recommendation-number",
        ),
        fill={"new-recommendation-text": "Inför rutiner.", "new-recommendation-body": "{s_body}"},
        shows=(*AUDIT_PAGE, ("recommendation-list", ())),
        inline=True,
    ),
    Form(
        "recommendation-edit",
        AUDITOR,
        "recommendation-edit",
        ("recommendation",),
        texts=("rec-{recommendation}-text",),
        ids=(
            "rec-{recommendation}-body",
            "rec-{recommendation}-questions",
            "rec-{recommendation}-number",
        ),
        shows=(
            *AUDIT_PAGE,
            ("recommendation-detail", ("recommendation",)),
            ("recommendation-delete", ("recommendation",)),
        ),
        inline=True,
    ),
    Form(
        "follow-up-add",
        AUDITOR,
        "follow-up-add",
        ("issued_recommendation",),
        texts=("comment",),
        dates=("date",),
        fill={"assessment": "partly"},
        shows=(
            ("recommendation-detail", ("issued_recommendation",)),
            ("recommendation-list", ()),
            ("home", ()),
        ),
    ),
    Form(
        "audit-issue",
        AUDITOR,
        "audit-issue",
        ("factcheck",),
        dates=("issued_date", "response_deadline"),
        ids=("bodies", "version"),
        fill={"response_deadline": "2030-06-30"},
        shows=(
            ("audit-detail", ("factcheck",)),
            ("audit-list", ()),
            ("home", ()),
            ("recommendation-list", ()),
        ),
    ),
    Form(
        "response-new",
        SECRETARY,
        "response-edit",
        ("awaiting", "s_body"),
        texts=("decision_reference", "reference_number", "narrative", "{answer}-text"),
        dates=("received_date", "decision_date"),
        ids=("version",),
        fill={"{answer}-stance": "accepted", "{answer}-text": "Vi instämmer."},
        shows=(("inbox", ()), ("home", ()), ("calendar-feed", ("calendar",))),
    ),
    Form(
        "response-edit",
        SECRETARY,
        "response-edit",
        ("issued", "s_body"),
        texts=("decision_reference", "reference_number", "narrative"),
        dates=("received_date", "decision_date"),
        ids=("version",),
        fill={"kind": "narrative", "narrative": "Styrelsen instämmer."},
        shows=(
            ("response-detail", ("response",)),
            ("recommendation-detail", ("issued_recommendation",)),
        ),
    ),
    Form(
        "measure-add",
        SECRETARY,
        "measure-add",
        ("response",),
        texts=("description", "responsible", "due_as_written"),
        dates=("original_due_date",),
        ids=("recommendations", "responsible_user"),
        fill={
            "description": "Ny rutin.",
            "responsible": "Regiondirektör",
            "original_due_date": "2027-06-30",
        },
        shows=RESPONSE_PAGES,
    ),
    Form(
        "measure-edit",
        SECRETARY,
        "measure-edit",
        ("measure",),
        texts=("description", "responsible", "due_as_written"),
        ids=("recommendations", "responsible_user", "version"),
        shows=RESPONSE_PAGES,
    ),
    Form(
        "measure-revise",
        SECRETARY,
        "measure-revise",
        ("measure",),
        texts=("revision_reason",),
        dates=("revised_due_date",),
        fill={"revised_due_date": "2029-03-31", "revision_reason": "Budgeten sköts upp."},
        shows=RESPONSE_PAGES,
    ),
    Form(
        "measure-complete",
        SECRETARY,
        "measure-complete",
        ("measure",),
        dates=("completed_date",),
        ids=("version",),
        shows=RESPONSE_PAGES,
    ),
    Form("account", AUDITOR, "account", ids=("language", "weekly_digest"), shows=(("home", ()),)),
]
FORMS_BY_NAME = {form.name: form for form in FORMS}


@dataclass
class Opened:
    """A form as its page shows it: what submitting it unchanged would send."""

    url: str
    data: dict[str, Any]
    placeholders: dict[str, str]


def open_form(hostile: Hostile, form: Form) -> Opened:
    if form.name not in hostile.opened:
        hostile.opened[form.name] = _open_form(hostile, form)
    opened = hostile.opened[form.name]
    return Opened(opened.url, dict(opened.data), opened.placeholders)


def _open_form(hostile: Hostile, form: Form) -> Opened:
    url = reverse(form.url, args=[hostile.ids[arg] for arg in form.args])
    page = hostile.client(form.user).get(url)
    assert page.status_code == 200, (form.name, page.status_code)
    data: dict[str, Any] = {}
    context = page.context
    data.update(form_data(context["form"]))
    if "team" in context:
        data.update(formset_data(context["team"]))
    placeholders = {}
    answer_forms = context.get("answer_forms") or []
    for answer_form in answer_forms:
        data.update(form_data(answer_form))
    if answer_forms:
        placeholders["answer"] = answer_forms[0].prefix
    opened = Opened(url, data, placeholders)
    for name, value in form.fill.items():
        opened.data[name_of(hostile, opened, name)] = hostile.fmt(str(value))
    return opened


def name_of(hostile: Hostile, opened: Opened, name: str) -> str:
    return name.format_map({**hostile.ids, **opened.placeholders})


def form_errors(page: Any) -> dict[str, list[str]]:
    """Every error the page's forms show, by field html name ('__all__' above the form)."""
    errors: dict[str, list[str]] = {}
    context = page.context
    if context is None:
        return errors
    forms = []
    for key in ("form", "team", "answer_forms"):
        try:
            value = context[key]
        except KeyError:
            continue
        if value is None:
            continue
        if hasattr(value, "forms"):  # a formset
            forms.extend(value.forms)
            if value.non_form_errors():
                errors.setdefault("__all__", []).extend(value.non_form_errors())
        elif isinstance(value, list):
            forms.extend(value)
        else:
            forms.append(value)
    for form in forms:
        if not form.is_bound:
            continue
        for name, messages in form.errors.items():
            key = form.add_prefix(name) if name != "__all__" else "__all__"
            errors.setdefault(key, []).extend(messages)
    return errors


@dataclass
class Outcome:
    status: int
    saved: bool
    errors: dict[str, list[str]]
    location: str
    # Whether a page read after the save shows MARK (as text: markup would have failed).
    shows_mark: bool = False


def post(
    hostile: Hostile,
    form: Form,
    opened: Opened,
    data: dict | bytes,
    *,
    htmx: bool,
    refusals: tuple[int, ...] = (),
    content_type: str | None = None,
) -> Outcome:
    """POST the form and read every page that shows what it saved.

    `refusals`: statuses that may answer a value no page offers (a malformed id is a 400
    or a 404 where the view reads it itself).
    """
    client = hostile.client(form.user)
    extra: dict[str, Any] = {**(HTMX if htmx else {})}
    if content_type:
        extra["content_type"] = content_type
    page = client.post(opened.url, data, **extra)
    assert page.status_code < 500, page.status_code
    saved = page.status_code == 302 or (htmx and "HX-Retarget" in page)
    body = page.content.decode()
    assert not injected(page), injected(page)
    errors = form_errors(page) if not saved else {}
    if page.status_code == 200 and not saved:
        # Not saved: the form is back and says why, next to a field or above the form,
        # or it shows both versions when the hidden version says someone saved since.
        if page.context.get("conflict"):
            assert 'class="conflict"' in body, f"{form.name}: the conflict is not shown"
        else:
            assert errors, f"{form.name}: the form came back without an error"
            assert 'class="errorlist' in body, f"{form.name}: the errors are not on the page"
    else:
        assert page.status_code in (200, 302, *refusals), page.status_code
    outcome = Outcome(page.status_code, saved, errors, page.get("Location", ""))
    if saved:
        pages = [outcome.location.split("#")[0]] if outcome.location else []
        pages += [reverse(name, args=[hostile.ids[a] for a in args]) for name, args in form.shows]
        outcome.shows_mark = MARK in body
        for url in pages:
            shown = client.get(url)
            assert shown.status_code == 200, (url, shown.status_code)
            assert not injected(shown), (url, injected(shown))
            outcome.shows_mark |= MARK in shown.content.decode(errors="replace")
    return outcome


def pick(fields: tuple[str, ...], index: int) -> str:
    return fields[index % len(fields)]


# ---------------------------------------------------------------------------------------
# Free text


TEXT_FORMS = [form for form in FORMS if form.texts]
TEXT_FIELDS = [(form, name) for form in TEXT_FORMS for name in form.texts]


@pytest.mark.parametrize(
    ("form", "name"), TEXT_FIELDS, ids=[f"{form}:{name}" for form, name in TEXT_FIELDS]
)
def test_nul_in_any_text_field_is_a_field_error(hostile, db, form, name):
    """PostgreSQL refuses NUL in text; every text field refuses it first, as a field error."""
    with rolled_back():
        opened = open_form(hostile, form)
        field_name = name_of(hostile, opened, name)
        for value in ("\x00", f"Före\x00efter {PAYLOADS[0]}"):
            data = {**opened.data, field_name: value}
            outcome = post(hostile, form, opened, data, htmx=False)
            assert not outcome.saved, (field_name, value)
            assert field_name in outcome.errors, (field_name, outcome.errors)


@pytest.mark.parametrize("form", TEXT_FORMS, ids=str)
@examples(20)
@given(
    values=st.lists(
        st.tuples(st.integers(min_value=0, max_value=99), hostile_text()), min_size=1, max_size=3
    ),
    htmx=st.booleans(),
)
@example(values=[(0, PAYLOADS[0])], htmx=False)
@example(values=[(1, PAYLOADS[4])], htmx=True)
@example(values=[(0, "x" * 100_000)], htmx=False)
def test_free_text_is_refused_or_stored_as_text(hostile, db, form, values, htmx):
    with rolled_back():
        opened = open_form(hostile, form)
        data = dict(opened.data)
        chosen = {}
        for index, value in values:
            name = name_of(hostile, opened, pick(form.texts, index))
            data[name] = chosen[name] = value
        outcome = post(hostile, form, opened, data, htmx=htmx)
        event("saved" if outcome.saved else f"refused with {outcome.status}")
        for name, value in chosen.items():
            if "\x00" in value:
                assert not outcome.saved and name in outcome.errors, (name, outcome.errors)
        if outcome.saved and any(MARK in value for value in chosen.values()):
            # Stored, and shown as text: the pages above really had the markup to judge.
            assert outcome.shows_mark, f"{form.name}: no page shows what was saved"


# ---------------------------------------------------------------------------------------
# Dates


DATE_FORMS = [form for form in FORMS if form.dates]


@pytest.mark.parametrize("form", DATE_FORMS, ids=str)
@examples(25)
@given(
    values=st.lists(
        st.tuples(st.integers(min_value=0, max_value=99), hostile_date()), min_size=1, max_size=2
    )
)
@example(values=[(0, "9999-12-31"), (1, "9999-12-31")])
@example(values=[(0, "0001-01-01"), (1, "0001-01-01")])
@example(values=[(0, "2022-02-30")])
@example(values=[(0, "0000-00-00")])
def test_dates_far_off_or_impossible_are_refused_or_shown(hostile, db, form, values):
    with rolled_back():
        opened = open_form(hostile, form)
        data = dict(opened.data)
        chosen = {}
        for index, value in values:
            name = name_of(hostile, opened, pick(form.dates, index))
            data[name] = chosen[name] = value
        outcome = post(hostile, form, opened, data, htmx=False)
        event("saved" if outcome.saved else f"refused with {outcome.status}")
        for name, value in chosen.items():
            try:
                date = datetime.datetime.strptime(value, "%Y-%m-%d").date()
            except ValueError:
                continue
            if not EARLIEST_DATE <= date <= LATEST_DATE:
                # Years audits cannot have: a typo, refused next to the field.
                assert not outcome.saved and name in outcome.errors, (name, outcome.errors)


# ---------------------------------------------------------------------------------------
# Ids: odd numbers, and another region's objects


# Ids of the user's own region and of another region, by name in Hostile.ids.
ID_NAMES = (
    "region",
    "region_code",
    "s_body",
    "t_body",
    "draft",
    "issued",
    "question",
    "issued_question",
    "recommendation",
    "t_recommendation",
    "level",
    "other_scale_level",
    "auditor",
    "secretary",
    "reader",
    "question_set",
    "other_region",
    "other_region_code",
    "other_body",
    "other_t_body",
    "other_draft",
    "other_issued",
    "other_question",
    "other_issued_question",
    "other_observation",
    "other_recommendation",
    "other_issued_recommendation",
    "other_response",
    "other_measure",
    "other_auditor",
    "other_secretary",
)


def id_value() -> st.SearchStrategy[Any]:
    """A symbolic id (resolved against the world), an odd number, or a list of them."""
    one = st.one_of(st.sampled_from(ID_NAMES).map(lambda name: ("id", name)), hostile_number())
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


def resolve(hostile: Hostile, value: Any) -> Any:
    if isinstance(value, list):
        return [resolve(hostile, item) for item in value]
    if isinstance(value, tuple):
        return str(hostile.ids[value[1]])
    return value


def other_regions_state(hostile: Hostile) -> list[list[tuple]]:
    """Everything of the other regions a form could touch, and every link into them."""
    other = hostile.other_regions
    in_other = Q(audit__region__in=other)
    rows = [
        Audit.objects.filter(
            Q(region__in=other)
            | Q(follows_up__region__in=other)
            | Q(responsible_auditor__memberships__region__in=other)
        ),
        Audit.audited_bodies.through.objects.filter(
            Q(audit__region__in=other) | Q(body__region__in=other)
        ),
        AuditQuestion.objects.filter(in_other),
        Observation.objects.filter(question__audit__region__in=other),
        Assessment.objects.filter(question__audit__region__in=other),
        Criterion.objects.filter(in_other),
        AuditTeamMember.objects.filter(in_other),
        Recommendation.objects.filter(in_other | Q(body__region__in=other)),
        Recommendation.questions.through.objects.filter(
            Q(recommendation__audit__region__in=other) | Q(auditquestion__audit__region__in=other)
        ),
        Response.objects.filter(in_other | Q(body__region__in=other)),
        Answer.objects.filter(
            Q(response__audit__region__in=other) | Q(recommendation__audit__region__in=other)
        ),
        Measure.objects.filter(
            Q(response__audit__region__in=other)
            | Q(responsible_user__memberships__region__in=other)
        ),
        Measure.recommendations.through.objects.filter(
            Q(measure__response__audit__region__in=other)
            | Q(recommendation__audit__region__in=other)
        ),
        FollowUp.objects.filter(recommendation__audit__region__in=other),
        Body.objects.filter(region__in=other),
        Region.objects.filter(pk__in=other),
    ]
    return [sorted(set(queryset.values_list())) for queryset in rows]


ID_FORMS = [form for form in FORMS if form.ids]


@pytest.mark.parametrize("form", ID_FORMS, ids=str)
@examples(20)
@given(
    values=st.lists(
        st.tuples(st.integers(min_value=0, max_value=99), id_value()), min_size=1, max_size=3
    )
)
@example(values=[(0, ("id", "other_body")), (1, ("id", "other_question"))])
@example(values=[(0, str(2**63)), (1, [str(2**64), "1"])])
@example(values=[(0, ["\u00b2"]), (1, "\x00")])
def test_ids_of_another_region_or_out_of_range_change_nothing_there(hostile, db, form, values):
    with rolled_back():
        before = other_regions_state(hostile)
        opened = open_form(hostile, form)
        data = dict(opened.data)
        for index, value in values:
            data[name_of(hostile, opened, pick(form.ids, index))] = resolve(hostile, value)
        outcome = post(hostile, form, opened, data, htmx=False, refusals=(400, 404))
        event("saved" if outcome.saved else f"refused with {outcome.status}")
        assert other_regions_state(hostile) == before


@examples(30)
@given(
    audit=st.sampled_from(["draft", "issued", "awaiting", "other_draft", "other_issued"]),
    body=st.one_of(
        st.sampled_from(["s_body", "t_body", "other_body", "other_t_body"]).map(
            lambda name: ("id", name)
        ),
        st.integers(min_value=0, max_value=2**70).map(str),
    ),
    username=st.sampled_from(USERS),
    method=st.sampled_from(["get", "post"]),
)
def test_response_address_with_swapped_ids(hostile, db, audit, body, username, method):
    """An audit of one region with a body of another (or a made-up one): never a write."""
    with rolled_back():
        before = other_regions_state(hostile)
        url = reverse("response-edit", args=[hostile.ids[audit], resolve(hostile, body)])
        client = hostile.client(username)
        page = getattr(client, method)(url, {"kind": "narrative", "narrative": PAYLOADS[0]})
        assert page.status_code in (200, 302, 403, 404), page.status_code
        assert not injected(page)
        assert other_regions_state(hostile) == before


# ---------------------------------------------------------------------------------------
# Every address with odd values in place of its ids


def _routes() -> list[str]:
    return sorted({url.route for url in walk_urls() if "<" in url.route})


def path_value(converter: str) -> st.SearchStrategy[str]:
    numbers = st.one_of(
        st.sampled_from(["0", "1", str(2**31), str(2**63 - 1), str(2**63), "9" * 30, "9" * 5000]),
        st.integers(min_value=0, max_value=2**80).map(str),
    )
    if converter == "int":
        return numbers
    if converter == "uuid":
        return st.one_of(st.uuids().map(str), st.just("00000000-0000-0000-0000-000000000000"))
    # slug and str: any text, quoted for the path
    return st.one_of(
        st.sampled_from(["report", "cover-letter", "response", "comparison", "questions"]),
        hostile_text().filter(bool).map(lambda text: urllib.parse.quote(text, safe="")),
    )


def fill_route(route: str, draw: Any) -> str:
    parts = route.split("<")
    url = parts[0]
    for part in parts[1:]:
        spec, rest = part.split(">", 1)
        converter = spec.split(":")[0] if ":" in spec else "str"
        url += draw(path_value(converter)) + rest
    return "/" + url


@pytest.mark.parametrize("route", _routes())
@examples(12)
@given(
    data=st.data(),
    username=st.sampled_from([AUDITOR, SECRETARY]),
    method=st.sampled_from(["get", "post"]),
)
def test_odd_values_in_addresses_never_crash(hostile, db, route, data, username, method):
    url = fill_route(route, data.draw)
    with rolled_back():
        page = getattr(hostile.client(username), method)(url, {"body": data.draw(hostile_number())})
    assert page.status_code in (200, 302, 400, 403, 404, 405), (url, page.status_code)


@examples(30)
@given(body=hostile_number(), kind=st.sampled_from(["report", "cover-letter", "response"]))
@example(body="\u00b2", kind="cover-letter")
@example(body=str(2**64), kind="cover-letter")
def test_pdf_body_parameter(hostile, db, body, kind):
    """The cover letter's body comes from the query string."""
    url = reverse("audit-pdf", args=[hostile.ids["draft"], kind])
    with rolled_back():
        page = hostile.client(AUDITOR).get(url, {"body": body})
    assert page.status_code in (200, 404), page.status_code


# ---------------------------------------------------------------------------------------
# Lists: filters, sorting and paging from the query string


LIST_PARAMETERS = ("q", "region", "year", "body", "status", "rating", "overdue", "o", "page")


def query_value() -> st.SearchStrategy[Any]:
    return st.one_of(
        hostile_text(),
        hostile_number(),
        st.sampled_from(ID_NAMES).map(lambda name: ("id", name)),
        st.sampled_from(["true", "false", "deadline", "-deadline", "year,-title", "-", "--"]),
        st.lists(hostile_text(), min_size=2, max_size=3),
    )


@pytest.mark.parametrize("url", ["audit-list", "recommendation-list", "measure-list"])
@examples(25)
@given(
    query=st.dictionaries(st.sampled_from(LIST_PARAMETERS), query_value(), max_size=5),
    username=st.sampled_from(USERS),
)
@example(query={"q": "\x00"}, username=AUDITOR)
@example(query={"body": "\x00", "region": "\u00b2", "rating": str(2**64)}, username=AUDITOR)
@example(query={"q": PAYLOADS[1], "page": "9" * 5000}, username=SECRETARY)
def test_list_filters(hostile, db, url, query, username):
    params = {name: resolve(hostile, value) for name, value in query.items()}
    with rolled_back():
        page = hostile.client(username).get(reverse(url), params)
    assert page.status_code == 200, page.status_code
    assert not injected(page)


@pytest.mark.parametrize("url", ["audit-list", "recommendation-list", "measure-list"])
@pytest.mark.parametrize("parameter", LIST_PARAMETERS)
def test_nul_in_a_filter_is_ignored_with_an_error(hostile, db, url, parameter):
    with rolled_back():
        page = hostile.client(AUDITOR).get(reverse(url), {parameter: "1\x00"})
    assert page.status_code == 200
    form = page.context["filter"].form
    if parameter in ("page", "overdue"):
        # The paginator shows the first page for a page it cannot read; the overdue
        # switch reads anything but "true" and "false" as "all".
        assert form.cleaned_data.get(parameter) is None
    else:
        assert parameter in form.errors, form.errors


@examples(25)
@given(
    query=st.dictionaries(
        st.sampled_from(["region", "year", "body", "status"]), query_value(), max_size=4
    ),
)
@example(query={"region": ("id", "region_code"), "body": ("id", "other_body")})
@example(query={"region": "\x00", "year": "9" * 5000})
def test_follow_up_report_form(hostile, db, query):
    params = {name: resolve(hostile, value) for name, value in query.items()}
    with rolled_back():
        page = hostile.client(AUDITOR).get(reverse("followup-report"), params)
    assert page.status_code in (200, 302), page.status_code
    if page.get("Content-Type", "").startswith("text/html"):
        assert not injected(page)
        if "region" in params and page.status_code == 200:
            assert form_errors(page), "the report form came back without an error"


# ---------------------------------------------------------------------------------------
# Buttons: the values behind the page's buttons


BUTTONS = [
    ("audit-move", ("draft",), "status", AUDITOR),
    ("question-move", ("question",), "direction", AUDITOR),
    ("account-calendar", (), "action", AUDITOR),
    ("set_language", (), "language", AUDITOR),
    ("set_language", (), "next", AUDITOR),
    ("question-add", ("draft",), "parent", AUDITOR),
]


@pytest.mark.parametrize(
    ("url", "args", "parameter", "username"),
    BUTTONS,
    ids=[f"{url}:{parameter}" for url, _a, parameter, _u in BUTTONS],
)
@examples(20)
@given(value=st.one_of(hostile_text(), hostile_number()))
@example(value="\x00")
@example(value="//evil.example/")
@example(value="javascript:alert(1)")
def test_buttons_with_hostile_values(hostile, db, url, args, parameter, username, value):
    address = reverse(url, args=[hostile.ids[arg] for arg in args])
    with rolled_back():
        page = hostile.client(username).post(address, {parameter: value, "new-text": "Fråga?"})
        assert page.status_code in (200, 204, 302, 400, 404), page.status_code
        location = page.get("Location", "")
        # Never sent off the site (set_language's next, say).
        assert urllib.parse.urlsplit(location).netloc in ("", "testserver"), location
        assert not urllib.parse.urlsplit(location).scheme.lower().startswith("javascript")
        assert not injected(page)


# ---------------------------------------------------------------------------------------
# Fixed cases: each form's id fields with the matching object of another region


SWAPPED = [
    ("audit-create", "region", "other_region"),
    ("audit-create", "audited_bodies", ["other_body"]),
    ("audit-create", "follows_up", "other_issued"),
    ("audit-create", "responsible_auditor", "other_auditor"),
    ("audit-edit", "audited_bodies", ["other_body", "s_body"]),
    ("audit-edit", "follows_up", "other_issued"),
    ("audit-edit", "responsible_auditor", "other_auditor"),
    ("audit-create-from-set", "region", "other_region"),
    ("assessment-edit", "rating-{question}-level", "other_scale_level"),
    ("recommendation-add", "new-recommendation-body", "other_body"),
    ("recommendation-add", "new-recommendation-questions", ["other_question"]),
    ("recommendation-edit", "rec-{recommendation}-body", "other_body"),
    ("recommendation-edit", "rec-{recommendation}-questions", ["question", "other_question"]),
    ("audit-issue", "bodies", ["other_body"]),
    ("measure-add", "recommendations", ["other_issued_recommendation"]),
    ("measure-add", "recommendations", ["t_recommendation"]),
    ("measure-add", "responsible_user", "other_secretary"),
    ("measure-edit", "recommendations", ["other_issued_recommendation"]),
    ("measure-edit", "responsible_user", "other_secretary"),
]


@pytest.mark.parametrize(
    ("name", "field_name", "swapped"),
    SWAPPED,
    ids=[f"{name}:{field_name}" for name, field_name, _s in SWAPPED],
)
def test_another_regions_id_is_a_field_error(hostile, db, name, field_name, swapped):
    form = FORMS_BY_NAME[name]
    with rolled_back():
        before = other_regions_state(hostile)
        opened = open_form(hostile, form)
        html_name = name_of(hostile, opened, field_name)
        if isinstance(swapped, list):
            value: Any = [str(hostile.ids[key]) for key in swapped]
        else:
            value = str(hostile.ids[swapped])
        outcome = post(hostile, form, opened, {**opened.data, html_name: value}, htmx=False)
        assert not outcome.saved
        assert html_name in outcome.errors, outcome.errors
        assert other_regions_state(hostile) == before


def test_a_sub_question_of_another_regions_question_is_not_found(hostile, db):
    url = reverse("question-add", args=[hostile.ids["draft"]])
    with rolled_back():
        before = other_regions_state(hostile)
        page = hostile.client(AUDITOR).post(
            url, {"parent": hostile.ids["other_question"], "new-sub-text": "Underfråga?"}
        )
        assert page.status_code == 404
        assert other_regions_state(hostile) == before


def test_the_calendar_feed_takes_the_last_day_of_the_calendar(hostile, db):
    """Forms refuse such dates; one entered in the administration must not break the feed."""
    with rolled_back():
        Audit.objects.filter(pk=hostile.ids["awaiting"]).update(response_deadline=datetime.date.max)
        Measure.objects.filter(pk=hostile.ids["measure"]).update(
            original_due_date=datetime.date.max
        )
        page = hostile.client(None).get(reverse("calendar-feed", args=[hostile.ids["calendar"]]))
        assert page.status_code == 200
        assert "99991231" in page.content.decode()


def test_the_report_pdf_prints_markup_as_text(hostile, db):
    """What the forms store is laid out as text in the PDF too, control characters and all."""
    with rolled_back():
        Audit.objects.filter(pk=hostile.ids["draft"]).update(
            overall_assessment=f"\x01\x08\x0b\x1b\x7f\u202e\ufeff {PAYLOADS[0]}"
        )
        AuditQuestion.objects.filter(pk=hostile.ids["question"]).update(text=PAYLOADS[4])
        Observation.objects.filter(pk=hostile.ids["observation"]).update(
            heading=PAYLOADS[5], text="\u2028".join(PAYLOADS[:3])
        )
        page = hostile.client(AUDITOR).get(
            reverse("audit-pdf", args=[hostile.ids["draft"], "report"])
        )
        assert page.status_code == 200
        text = " ".join(read_pdf(page.content).text.split())
        assert f"<script>{MARK}()</script>" in text
        assert f"</textarea><script>{MARK}()</script>" in text


# ---------------------------------------------------------------------------------------
# Uploads: the signed response's file name is the sender's to choose


BOUNDARY = "HostileInputBoundary7f3a9c"


def with_file(data: dict[str, Any], name: str, filename: str, content: bytes) -> bytes:
    """A multipart body with a file whose name is sent as it is: the test client's own
    uploads refuse names like "..", a hostile browser does not."""
    body = encode_multipart(BOUNDARY, data)
    closing = f"--{BOUNDARY}--\r\n".encode()
    assert body.endswith(closing)
    part = (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    return body[: -len(closing)] + part + content + b"\r\n" + closing


@examples(15)
@given(stem=hostile_text(), extension=st.sampled_from([".pdf", ".PDF", ".docx", "", ".pdf.exe"]))
@example(stem=PAYLOADS[0], extension=".pdf")
@example(stem="..", extension="")
@example(stem=":", extension=".pdf")  # the storage drops ":", which left a hidden ".pdf"
@example(stem="../../../etc/passwd", extension="")
@example(stem="\x00", extension=".pdf")
@example(stem='a"\r\nContent-Type: text/html\r\n\r\n<script>', extension=".pdf")
def test_uploaded_file_names_are_stored_as_harmless_names(hostile, db, stem, extension):
    form = FORMS_BY_NAME["response-edit"]
    with rolled_back():
        opened = open_form(hostile, form)
        body = with_file(opened.data, "document", stem + extension, b"%PDF-1.4\n% hostile\n")
        content_type = f"multipart/form-data; boundary={BOUNDARY}"
        # A name too long for a part header makes the whole body unreadable: 400.
        outcome = post(
            hostile, form, opened, body, htmx=False, content_type=content_type, refusals=(400,)
        )
        event("saved" if outcome.saved else f"refused with {outcome.status}")
        if outcome.saved:
            stored = Response.objects.get(pk=hostile.ids["response"]).document.name
            assert stored.startswith("responses/") and ".." not in stored.split("/"), stored
            assert stored.endswith(".pdf"), stored  # named by its content
            page = hostile.client(SECRETARY).get(
                reverse("response-document", args=[hostile.ids["response"]])
            )
            assert page.status_code == 200
            assert "\n" not in page["Content-Disposition"]
            # Read to the end, which closes the file (close() would close the connection).
            assert b"".join(page.streaming_content).startswith(b"%PDF")
