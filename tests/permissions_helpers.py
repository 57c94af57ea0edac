"""The world the permission matrix runs in, and the plumbing to request it.

The world is the demo (`load_demo`) plus, per region, the objects the demo lacks, so
every region has the same kinds of object for the matrix to ask about:

    draft       an ongoing audit, sent to nobody yet but listing the secretary's body S
    factcheck   a draft in fact check (the only status that can be issued), started from
                a coordinated question set no other region has used
    issued      an issued, open audit sent to S and to another body T of the region;
                recommendations, responses and measures of both bodies
    issued_t    an issued, open audit sent to T only
    closed      a closed audit sent to S
    awaiting    an issued audit sent to S that S has not answered yet
    calendar    calendar feed tokens: S's secretary's (active), an old one of theirs
                (revoked), a deactivated user's (inactive)
    report-import  an uploaded report under review (unsaved), and one already saved as
                the draft audit (saved)

S is the body of the region's demo secretary (norrbotten and vastmanland:
Regionstyrelsen; vasterbotten: Hälso- och sjukvårdsnämnden); T is another body.
Nothing here asks regions/access.py what anyone may do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.html import escape
from pypdf.errors import PdfReadError

from audits.demo import load_demo
from audits.exports.models import Export
from audits.exports.rendering import html_to_pdf
from audits.models import (
    Assessment,
    Audit,
    AuditQuestion,
    AuditTeamMember,
    Criterion,
    Observation,
    QuestionSet,
    RatingScale,
    ReportImport,
    SharedQuestion,
)
from recommendations.models import Answer, FollowUp, Measure, Recommendation, Response
from regions.models import Body, Indicator, Membership, Region, User

from .exports.pdf import read_pdf

TODAY = datetime.date(2026, 11, 22)
REGIONS = ("norrbotten", "vasterbotten", "vastmanland")
SECRETARY_BODY = {
    "norrbotten": "Regionstyrelsen",
    "vasterbotten": "Hälso- och sjukvårdsnämnden",
    "vastmanland": "Regionstyrelsen",
}
OTHER_BODY = {
    "norrbotten": "Regionfullmäktige",
    "vasterbotten": "Regionstyrelsen",
    "vastmanland": "Hälso- och sjukvårdsnämnden",
}
NO_MEMBERSHIP_USERNAME = "utan.roll"

# ---------------------------------------------------------------------------------------
# Walking the URL configuration

# public/: no sign-in by design; tests/regions/test_public.py covers what it shows.
# api/: token-authenticated JSON, not pages; tests/api covers its scoping and writes.
SKIPPED_PREFIXES = ("admin/", "i18n/", "static/", "media/", "public/", "api/")
# Signing in and out, single sign-on included, is tested in tests/regions/test_*login*.
SKIPPED_ROUTES = (
    "healthz",
    "login/",
    "logout/",
    "login/code/",
    "login/sso/",
    "login/sso/callback/",
)


@dataclass(frozen=True)
class FoundURL:
    route: str
    name: str | None


def walk_urls(skipped_prefixes: tuple[str, ...] = SKIPPED_PREFIXES) -> list[FoundURL]:
    """Every URL pattern of the project, with its full route, minus the skipped ones."""
    found: list[FoundURL] = []

    def visit(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(skipped_prefixes):
                continue
            if isinstance(pattern, URLResolver):
                visit(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                callback = getattr(pattern.callback, "__name__", "")
                module = getattr(pattern.callback, "__module__", "")
                if module == "django.views.static" and callback == "serve":
                    continue
                if route in SKIPPED_ROUTES:
                    continue
                found.append(FoundURL(route, pattern.name))

    visit(get_resolver().url_patterns, "")
    return found


# ---------------------------------------------------------------------------------------
# The world


@dataclass
class RegionWorld:
    code: str
    region: int
    s_body: int
    t_body: int
    # family -> kind -> primary key (response-edit: (audit pk, body pk))
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    # family -> kind -> texts that must never reach someone who may not see the object
    markers: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def put(self, family: str, kind: str, key: Any, *markers: str) -> None:
        self.objects.setdefault(family, {})[kind] = key
        self.markers.setdefault(family, {})[kind] = [m for m in markers if m]


@dataclass
class World:
    regions: dict[str, RegionWorld]
    question_set: int
    scale: int
    level: int
    sessions: dict[str, str] = field(default_factory=dict)


def _findings(
    audit: Audit, s_or_t: Body, region_code: str, kind: str, question: AuditQuestion | None = None
) -> tuple[AuditQuestion, Observation, Recommendation]:
    """A rated question with an observation, and a recommendation to the given body."""
    scale = audit.rating_scale
    if question is None:
        question = AuditQuestion.objects.create(
            audit=audit,
            position=(audit.questions.filter(parent=None).count() + 1),
            text=f"Behörighetsfråga {region_code} {kind}: styrs arbetet med 1177?",
        )
    if not Assessment.objects.filter(question=question).exists():
        Assessment.objects.create(
            question=question,
            level=scale.levels.order_by("rank").last(),
            comment=f"Behörighetsbedömning {region_code} {kind}.",
        )
    observation = question.observations.order_by("position").first()
    if observation is None:
        observation = Observation.objects.create(
            question=question,
            position=1,
            heading="Iakttagelse",
            text=f"Behörighetsiakttagelse {region_code} {kind}: rutinen saknas.",
        )
    number = (audit.recommendations.aggregate(top=models.Max("number"))["top"] or 0) + 1
    recommendation = Recommendation.objects.create(
        audit=audit,
        body=s_or_t,
        number=number,
        text=f"Behörighetsrekommendation {region_code} {kind} till {s_or_t.short_name}.",
    )
    recommendation.questions.set([question])
    return question, observation, recommendation


def _response(audit: Audit, body: Body, region_code: str, kind: str) -> Response:
    return Response.objects.create(
        audit=audit,
        body=body,
        kind=Response.Kind.NARRATIVE,
        received_date=audit.issued_date + datetime.timedelta(days=20),
        decision_reference=f"{body.short_name} {region_code}-{kind} §1",
        narrative=f"Behörighetsyttrande {region_code} {kind} från {body.name}.",
    )


def _measure(response: Response, text: str, **fields: Any) -> Measure:
    fields.setdefault("original_due_date", datetime.date(2027, 6, 30))
    fields.setdefault("responsible", "Regiondirektör")
    measure = Measure.objects.create(response=response, description=text, **fields)
    measure.recommendations.set(response.audit.recommendations.filter(body=response.body))
    return measure


def _with_document(response: Response) -> None:
    name = response.document.storage.save(
        f"responses/perm/yttrande-{response.pk}.pdf", ContentFile(b"%PDF-1.4\n% test\n")
    )
    Response.objects.filter(pk=response.pk).update(document=name)


def _issued_audit(region: Region, title: str, reference: str, status: str, scale) -> Audit:
    return Audit.objects.create(
        region=region,
        title=title,
        reference_number=reference,
        year=2026,
        status=status,
        rating_scale=scale,
        issued_date=datetime.date(2026, 1, 15),
        response_deadline=datetime.date(2026, 3, 15),
    )


def _build_region(code: str, scale: RatingScale) -> RegionWorld:
    region = Region.objects.get(code=code)
    s = Body.objects.get(region=region, name=SECRETARY_BODY[code])
    t = Body.objects.get(region=region, name=OTHER_BODY[code])
    rw = RegionWorld(code, region.pk, s.pk, t.pk)

    # draft: the demo's ongoing follow-up in norrbotten, a new one elsewhere.
    draft = Audit.objects.filter(region=region, status=Audit.Status.ONGOING).first()
    if draft is None:
        draft = Audit.objects.create(
            region=region,
            title=f"Utkast om vårdcentralernas telefoni i {region.name}",
            year=2026,
            status=Audit.Status.ONGOING,
            rating_scale=scale,
        )
    draft.audited_bodies.add(s)
    q = draft.questions.filter(parent=None).order_by("position").first()
    q, obs, rec = _findings(draft, s, code, "draft", q)
    # A second question, so that moving the first one down changes something.
    AuditQuestion.objects.create(
        audit=draft, position=q.position + 1, text=f"Andra behörighetsfrågan {code}?"
    )
    rw.put("audit", "draft", draft.pk, draft.title)
    indicator = Indicator.objects.filter(region=region).order_by("pk").first()
    rw.put("indicator", "cited", indicator.pk, indicator.name)
    rw.put("question", "draft", q.pk, q.text)
    rw.put("observation", "draft", obs.pk, obs.text)
    rw.put("recommendation", "draft", rec.pk, rec.text)
    rw.put("response-pair", "draft", (draft.pk, s.pk), draft.title)

    factcheck = Audit.objects.create(
        region=region,
        title=f"Sakgranskat utkast om e-tjänster i {region.name}",
        year=2026,
        status=Audit.Status.FACT_CHECK,
        rating_scale=scale,
    )
    factcheck.audited_bodies.add(s)
    _findings(factcheck, s, code, "factcheck")
    rw.put("audit", "factcheck", factcheck.pk, factcheck.title)

    # issued: the demo's coordinated 1177 audit, also sent to T here.
    issued = Audit.objects.get(region=region, question_set__isnull=False)
    issued.audited_bodies.add(t)
    q = issued.questions.get(parent=None, position=1)
    q, obs, _ = _findings(issued, t, code, "issued-t-body", q)
    rec_s = issued.recommendations.filter(body=s).order_by("number").first()
    rec_t = issued.recommendations.filter(body=t).get()
    resp_s = Response.objects.get(audit=issued, body=s)
    resp_t = _response(issued, t, code, "issued")
    open_s = resp_s.measures.filter(status__in=["planned", "in_progress"]).order_by("pk").first()
    done_s = resp_s.measures.filter(status="done").order_by("pk").first()
    if done_s is None:
        done_s = _measure(
            resp_s,
            f"Behörighetsåtgärd {code} klar.",
            status=Measure.Status.DONE,
            completed_date=datetime.date(2022, 1, 10),
        )
    open_t = _measure(resp_t, f"Behörighetsåtgärd {code} för {t.name}.")
    rw.put("audit", "issued", issued.pk, issued.reference_number)
    rw.put("question-set", "coordinated", issued.question_set_id)
    # The fact-check draft: a coordinated question set only this region has started.
    draft_set = QuestionSet.objects.create(
        title=f"Samordnad granskning av e-tjänster i {region.name}", year=2026
    )
    SharedQuestion.objects.create(question_set=draft_set, position=1, text="Finns e-tjänster?")
    Audit.objects.filter(pk=factcheck.pk).update(question_set=draft_set)
    rw.put("question-set", "draft", draft_set.pk)
    rw.put("region", "region", code)
    rw.put("question", "issued", q.pk, q.text)
    rw.put("observation", "issued", obs.pk, obs.text)
    rw.put("recommendation", "issued", rec_s.pk, rec_s.text)
    rw.put("recommendation", "issued_tbody", rec_t.pk, rec_t.text)
    rw.put("response-pair", "issued", (issued.pk, s.pk), issued.reference_number)
    rw.put("response-pair", "issued_tbody", (issued.pk, t.pk), issued.reference_number)
    rw.put("response", "issued", resp_s.pk, resp_s.decision_reference)
    rw.put("response", "issued_tbody", resp_t.pk, resp_t.narrative, resp_t.decision_reference)
    rw.put("measure", "issued", open_s.pk, open_s.description)
    rw.put("measure", "issued_done", done_s.pk, done_s.description)
    rw.put("measure", "issued_tbody", open_t.pk, open_t.description)

    # issued_t: sent only to T.
    issued_t = _issued_audit(
        region,
        f"Granskning av nämndens ärendeberedning i {region.name}",
        f"PERM-{code}-T",
        Audit.Status.ISSUED,
        scale,
    )
    issued_t.audited_bodies.add(t)
    q, obs, rec = _findings(issued_t, t, code, "issued_t")
    resp = _response(issued_t, t, code, "issued_t")
    measure = _measure(resp, f"Behörighetsåtgärd {code} endast {t.name}.")
    rw.put("audit", "issued_t", issued_t.pk, issued_t.title, issued_t.reference_number)
    rw.put("question", "issued_t", q.pk, q.text)
    rw.put("observation", "issued_t", obs.pk, obs.text)
    rw.put("recommendation", "issued_t", rec.pk, rec.text)
    rw.put("response-pair", "issued_t", (issued_t.pk, t.pk), issued_t.title)
    rw.put("response-pair", "issued_t_s", (issued_t.pk, s.pk), issued_t.title)
    rw.put("response", "issued_t", resp.pk, resp.narrative, resp.decision_reference)
    rw.put("measure", "issued_t", measure.pk, measure.description)

    # closed: sent to S, answered, closed.
    closed = _issued_audit(
        region,
        f"Avslutad granskning av intern kontroll i {region.name}",
        f"PERM-{code}-C",
        Audit.Status.CLOSED,
        scale,
    )
    closed.audited_bodies.add(s)
    q, obs, rec = _findings(closed, s, code, "closed")
    resp = _response(closed, s, code, "closed")
    measure = _measure(resp, f"Behörighetsåtgärd {code} i avslutad granskning.")
    rw.put("audit", "closed", closed.pk, closed.title, closed.reference_number)
    rw.put("question", "closed", q.pk, q.text)
    rw.put("observation", "closed", obs.pk, obs.text)
    rw.put("recommendation", "closed", rec.pk, rec.text)
    rw.put("response-pair", "closed", (closed.pk, s.pk), closed.title)
    rw.put("response", "closed", resp.pk, resp.narrative, resp.decision_reference)
    rw.put("measure", "closed", measure.pk, measure.description)

    # awaiting: the demo's follow-up in vasterbotten, a new one elsewhere.
    awaiting = (
        Audit.objects.filter(region=region, status=Audit.Status.ISSUED, audited_bodies=s)
        .exclude(pk=issued_t.pk)
        .first()
    )
    if awaiting is None:
        awaiting = _issued_audit(
            region,
            f"Granskning av patientsäkerhetsarbetet i {region.name}",
            f"PERM-{code}-A",
            Audit.Status.ISSUED,
            scale,
        )
        awaiting.audited_bodies.add(s)
        _findings(awaiting, s, code, "awaiting")
    assert not Response.objects.filter(audit=awaiting, body=s).exists()
    rw.put("response-pair", "awaiting", (awaiting.pk, s.pk), awaiting.reference_number)

    for response_pk in rw.objects["response"].values():
        _with_document(Response.objects.get(pk=response_pk))

    # calendar: the secretary's feed (active); the address it had before a new one was
    # made (revoked); the feed of a user who has since been deactivated (inactive). The
    # secretary's feed holds the awaiting response, which no refusal may show.
    awaiting_title = awaiting.title
    secretary = User.objects.get(username=f"sekreterare.{code}")
    secretary.calendar_token = f"kalender-{code}-aktiv-0123456789abcdefghijklm"
    secretary.save(update_fields=["calendar_token"])
    User.objects.create_user(
        f"inaktiv.{code}",
        is_active=False,
        calendar_token=f"kalender-{code}-inaktiv-0123456789abcdefghijk",
    )
    rw.put("calendar", "active", secretary.calendar_token, awaiting_title)
    rw.put("calendar", "revoked", f"kalender-{code}-gammal-0123456789abcdefghijkl", awaiting_title)
    rw.put("calendar", "inactive", f"kalender-{code}-inaktiv-0123456789abcdefghijk")

    # export: a finished background PDF of the region's auditor; only they may fetch it.
    marker = f"Behörighetsexport {code}"
    export = Export.objects.create(
        user=User.objects.get(username=f"revisor.{code}"),
        kind="followup",
        params={"kind": "followup", "region": code},
        language="sv",
        status=Export.Status.DONE,
        progress=100,
        title=marker,
        filename=f"export-{code}.pdf",
        data=html_to_pdf(f'<!DOCTYPE html><html lang="sv"><title>{marker}</title><p>{marker}</p>'),
    )
    rw.put("export", "done", export.pk, marker)

    # report-import: a report the region's auditor uploaded, still under review, and one
    # saved as the draft audit. The reader is not run: the proposal is written here.
    for kind, saved_as in (("unsaved", None), ("saved", draft)):
        title = f"Importerad rapport om hemsjukvården i {region.name} ({kind})"
        report_import = ReportImport.objects.create(
            region=region,
            file=ContentFile(IMPORTED_REPORT.encode(), name=f"rapport-{code}-{kind}.txt"),
            file_name=f"rapport-{code}-{kind}.txt",
            text=IMPORTED_REPORT,
            proposal=_imported_proposal(title, region.name),
            created_by=User.objects.get(username=f"revisor.{code}"),
            audit=saved_as,
        )
        rw.put("report-import", kind, report_import.pk, title)
    return rw


def _imported_proposal(title: str, region_name: str) -> dict[str, Any]:
    """What the reader proposes from IMPORTED_REPORT, rows enough to show a page that
    queried per row."""
    passage = {"text": "Revisionsfrågan bedöms som delvis uppfylld.", "page": None}
    questions = [
        {"number": "1", "text": "Finns det rutiner för läkemedel?", "rating": "Delvis uppfylld"},
        {"number": "2", "text": "Följs rutinerna upp?", "rating": "Ej uppfylld"},
    ]
    for question in questions:
        question |= {"source": passage, "rating_source": passage, "sub_questions": []}
    questions[1]["sub_questions"] = [
        {"number": "2.1", "text": "Varje månad?", "rating": "Uppfylld", "source": passage}
    ]
    return {
        "title": title,
        "region": region_name,
        "year": 2026,
        "scale": "uppfylld",
        "questions": questions,
        "recommendations": [
            {"number": str(n), "text": f"Rekommendation {n}.", "body": "regionstyrelsen"}
            for n in (1, 2)
        ],
        "sources": {"title": {"text": title, "page": 1}},
    }


# A report as an auditor would upload it, for the import's upload and review pages.
IMPORTED_REPORT = """\
Revisionsrapport

Granskning av hemsjukvården

2026-03-02

Syftet med granskningen har varit att bedöma om styrelsen säkerställer en säker
läkemedelshantering i hemsjukvården.

Revisionsfråga 1: Finns det rutiner för läkemedel i hemsjukvården?

Revisionsfrågan bedöms som delvis uppfylld.

Revisionsfråga 2: Följs rutinerna upp?

Revisionsfrågan bedöms som ej uppfylld.
"""


def build_world() -> World:
    load_demo(today=TODAY)
    User.objects.create_user(NO_MEMBERSHIP_USERNAME, f"{NO_MEMBERSHIP_USERNAME}@example.invalid")
    scale = RatingScale.objects.get(code="uppfylld")
    regions = {code: _build_region(code, scale) for code in REGIONS}
    # Every audit has an uploaded report, so its download answers whoever sees the audit.
    for audit in Audit.objects.all():
        name = audit.report_file.storage.save(
            f"audits/reports/perm/rapport-{audit.pk}.pdf", ContentFile(b"%PDF-1.4\n% test\n")
        )
        Audit.objects.filter(pk=audit.pk).update(report_file=name)
    # A coordinated question set no region has started yet (the demo's 1177 set is used).
    fresh_set = QuestionSet.objects.create(
        title="Samordnad granskning av läkemedelshanteringen", year=2026
    )
    SharedQuestion.objects.create(
        question_set=fresh_set, position=1, text="Finns en styrning av läkemedelshanteringen?"
    )
    return World(
        regions=regions,
        question_set=fresh_set.pk,
        scale=scale.pk,
        level=scale.levels.order_by("rank").first().pk,
    )


# ---------------------------------------------------------------------------------------
# Who asks


@dataclass(frozen=True)
class Actor:
    role: str  # auditor, office, secretary, reader, nomember, anon
    username: str | None
    own: str  # region code whose objects are "own"
    other: str  # region code whose objects are "other"

    @property
    def label(self) -> str:
        return self.username or "anonymous"

    def client(self, sessions: dict[str, str]) -> Client:
        """A client logged in as the actor (with a session made once for the module)."""
        client = Client()
        client.raise_request_exception = False
        if self.username:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[self.username]
        return client


def log_in(usernames: list[str]) -> dict[str, str]:
    """A session per user, made once: force_login per test would cost seconds."""
    sessions = {}
    for username in usernames:
        client = Client()
        client.force_login(User.objects.get(username=username))
        sessions[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def check_demo_roles() -> list[str]:
    """The demo users have the roles and bodies the matrix assumes."""
    problems = []
    for code in REGIONS:
        for prefix, role in (
            ("revisor", Membership.Role.AUDITOR),
            ("revisionskontor", Membership.Role.AUDIT_OFFICE),
            ("sekreterare", Membership.Role.SECRETARY),
            ("lasare", Membership.Role.READER),
        ):
            memberships = list(Membership.objects.filter(user__username=f"{prefix}.{code}"))
            if [(m.region.code, m.role) for m in memberships] != [(code, role)]:
                problems.append(f"{prefix}.{code}: {memberships}")
        secretary = Membership.objects.get(user__username=f"sekreterare.{code}")
        bodies = sorted(secretary.bodies.values_list("name", flat=True))
        if bodies != [SECRETARY_BODY[code]]:
            problems.append(f"sekreterare.{code} bodies: {bodies}")
    return problems


# ---------------------------------------------------------------------------------------
# Requests and the database snapshot

SNAPSHOT_MODELS: list[type[models.Model]] = [
    Audit,
    Audit.audited_bodies.through,
    AuditQuestion,
    Observation,
    Assessment,
    Criterion,
    AuditTeamMember,
    Recommendation,
    Recommendation.questions.through,
    Response,
    Answer,
    Measure,
    Measure.recommendations.through,
    FollowUp,
    ReportImport,
]


def snapshot() -> list[list[tuple[Any, ...]]]:
    """Every row of the tables a page of this app can change (raw SQL: it runs often)."""
    tables = []
    with connection.cursor() as cursor:
        for model in SNAPSHOT_MODELS:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 - our own names
            # PostgreSQL hands JSON columns back as dicts: compared as text, they hash.
            tables.append(
                [
                    tuple(repr(v) if isinstance(v, dict | list) else v for v in row)
                    for row in cursor.fetchall()
                ]
            )
    return tables


def differences(before: list, after: list) -> list[str]:
    changed = []
    for model, rows_before, rows_after in zip(SNAPSHOT_MODELS, before, after, strict=True):
        if rows_before != rows_after:
            old, new = set(rows_before), set(rows_after)
            changed.append(
                f"{model._meta.label}: removed {sorted(old - new, key=str)[:2]} "
                f"added {sorted(new - old, key=str)[:2]}"
            )
    return changed


@dataclass
class Answered:
    status: int
    body: str
    location: str
    error: str
    changes: list[str]


def ask(
    client: Client,
    method: str,
    url: str,
    data: dict[str, Any] | None,
    *,
    htmx: bool,
    baseline: list | None,
) -> Answered:
    """One request in a savepoint that is rolled back, so nothing leaks into later cases.

    With a baseline, the database is compared with it before the rollback.
    """
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, data or {}, **headers)
        else:
            response = client.post(url, data or {}, **headers)
        if getattr(response, "streaming", False):
            # Reading to the end closes the file; the test client's wrapper then sends
            # request_finished without closing the connection (response.close() would).
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        if response.get("Content-Type") == "application/pdf" and body.startswith(b"%PDF"):
            body = _pdf_text(body)
        changes = differences(baseline, snapshot()) if baseline is not None else []
        transaction.set_rollback(True)
    error = ""
    exc_info = getattr(response, "exc_info", None)
    if exc_info:
        error = f"{exc_info[0].__name__}: {exc_info[1]}"
    return Answered(
        status=response.status_code,
        body=body.decode("utf-8", errors="replace"),
        location=response.get("Location", ""),
        error=error,
        changes=changes,
    )


def _pdf_text(data: bytes) -> bytes:
    """A PDF is judged by its text, as its reader sees it. The uploaded test documents
    are stand-ins with a PDF header only; they are judged by their bytes."""
    try:
        return read_pdf(data).text.encode()
    except PdfReadError:
        return data


def shows(body: str, text: str) -> bool:
    return text in body or escape(text) in body
