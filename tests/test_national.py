"""The synthetic national data set keeps every rule of the models, and the sweep benchmark
runs on it (the small scale, generated once for the module and rolled back after it)."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef

from audits.models import (
    Assessment,
    Audit,
    AuditQuestion,
    QuestionSet,
    RatingScale,
    SharedQuestion,
)
from recommendations.models import (
    Answer,
    FollowUp,
    Measure,
    Recommendation,
    Reminder,
    Response,
)
from recommendations.reminders.queries import awaited_pairs, open_measures
from recommendations.reminders.sweep import (
    digests,
    follow_up_due,
    measure_due,
    measure_overdue,
    response_due,
    response_overdue,
)
from regions.models import Body, Membership, Region, User
from tracker.benchmarks import write_section

from .conftest import ensure_rating_scales

TODAY = datetime.date(2026, 11, 23)
RULES = {
    "response_due": response_due,
    "response_overdue": response_overdue,
    "measure_due": measure_due,
    "measure_overdue": measure_overdue,
    "follow_up_due": follow_up_due,
    "digests": digests,
}
STATUS_AFTER_FOLLOW_UP = {
    FollowUp.Assessment.IMPLEMENTED: Recommendation.Status.IMPLEMENTED,
    FollowUp.Assessment.PARTLY: Recommendation.Status.PARTLY_IMPLEMENTED,
    FollowUp.Assessment.NOT_IMPLEMENTED: Recommendation.Status.NOT_IMPLEMENTED,
    FollowUp.Assessment.NO_LONGER_RELEVANT: Recommendation.Status.WITHDRAWN,
}


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker):
    """What the command printed; the rows stay until the module's last test is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_rating_scales()
        out = StringIO()
        call_command(
            "generate_national_data", "--scale=small", "--seed=1", f"--today={TODAY}", stdout=out
        )
        yield out.getvalue()
        transaction.set_rollback(True)


def sample(model: type[models.Model], size: int = 40) -> list[models.Model]:
    """Every n-th row, so the sample spans old and new, small and large organisations."""
    pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    assert pks, f"no {model.__name__} rows generated"
    return list(model._default_manager.filter(pk__in=pks[:: max(1, len(pks) // size)]))


def test_small_scale_has_the_national_shape_at_a_hundredth(national, db):
    audits = Audit.objects.count()
    assert audits == 620
    assert Region.objects.filter(kind=Region.Kind.REGION).count() == 3
    assert Region.objects.filter(kind=Region.Kind.MUNICIPALITY).count() == 12
    assert Region.objects.filter(name__startswith="Region ").count() == 3
    assert Region.objects.filter(name__endswith=" kommun").count() == 12
    assert 6 <= Body.objects.count() / Region.objects.count() <= 10
    # Six questions an audit, some of them sub-questions; four recommendations an audit.
    assert 5.5 * audits <= AuditQuestion.objects.count() <= 7 * audits
    assert AuditQuestion.objects.filter(parent__isnull=False).count() > audits / 2
    assert 3.5 * audits <= Recommendation.objects.count() <= 4.8 * audits
    assert 0.8 <= Measure.objects.count() / Recommendation.objects.count() <= 1.3
    assert Assessment.objects.values("level__scale").distinct().count() >= 3
    assert FollowUp.objects.count() > Recommendation.objects.count() / 2
    # Most issued audits have their responses.
    pairs = Audit.audited_bodies.through.objects.filter(audit__issued_date__isnull=False).count()
    assert Response.objects.count() / pairs > 0.95
    # Some coordinated audits, one per organisation per question set.
    assert Audit.objects.filter(question_set__isnull=False).count() >= QuestionSet.objects.count()
    assert AuditQuestion.objects.filter(shared_question__isnull=False).exists()
    # Bigger organisations audit more.
    per_region = Audit.objects.values("region").annotate(n=models.Count("pk"))
    sizes = sorted(row["n"] for row in per_region)
    assert sizes[-1] > 3 * sizes[0]
    # Everyone of each role is there: an auditor, an audit office and a reader per
    # organisation, a secretary per body.
    assert Membership.objects.filter(role=Membership.Role.SECRETARY).count() == Body.objects.count()
    for role in (Membership.Role.AUDITOR, Membership.Role.AUDIT_OFFICE, Membership.Role.READER):
        assert Membership.objects.filter(role=role).count() == 15
    assert not User.objects.filter(email="").exists()
    assert not any(user.has_usable_password() for user in User.objects.all())
    # The command's own report of what it inserted is the truth.
    assert re.search(r"audits_audit\s+620\n", national)
    assert re.search(rf"recommendations_measure\s+{Measure.objects.count():,}\n", national)
    assert re.search(r"Generated in \d+\.\d s\.", national)


def test_older_years_are_resolved_and_the_latest_are_under_way(national, db):
    old = Audit.objects.filter(year__lte=TODAY.year - 4)
    assert old.filter(status=Audit.Status.CLOSED).count() / old.count() > 0.9
    old_recommendations = Recommendation.objects.filter(audit__in=old)
    resolved = old_recommendations.filter(status__in=Recommendation.RESOLVED_STATUSES)
    assert resolved.count() / old_recommendations.count() > 0.6
    assert (
        Measure.objects.filter(status=Measure.Status.DONE).count() / Measure.objects.count() > 0.7
    )
    assert set(Audit.objects.values_list("status", flat=True)) == set(Audit.Status.values)
    # The reminders have work: responses due soon and overdue, measures overdue and coming.
    assert awaited_pairs().filter(audit__response_deadline__gte=TODAY).exists()
    assert awaited_pairs().filter(audit__response_deadline__lt=TODAY).exists()
    assert open_measures().filter(due_date__lt=TODAY).exists()
    assert open_measures().filter(due_date__gte=TODAY).exists()
    assert Recommendation.objects.follow_up_due(TODAY).exists()


@pytest.mark.parametrize(
    "model",
    [
        Region,
        Body,
        User,
        Membership,
        QuestionSet,
        SharedQuestion,
        Audit,
        AuditQuestion,
        Assessment,
        Recommendation,
        Response,
        Answer,
        Measure,
        FollowUp,
    ],
)
def test_sampled_rows_pass_full_clean(national, db, model):
    for row in sample(model):
        row.full_clean()
        if isinstance(row, Audit):
            row.clean_related(bodies=list(row.audited_bodies.all()), indicators=[])
        elif isinstance(row, Recommendation):
            row.clean_questions(list(row.questions.all()))
        elif isinstance(row, Measure):
            row.clean_recommendations(list(row.recommendations.all()))
        elif isinstance(row, Membership):
            row.clean_bodies(list(row.bodies.all()))


def test_dates_and_statuses_tell_one_story(national, db):
    assert not Audit.objects.drafts().filter(issued_date__isnull=False).exists()
    assert not Audit.objects.issued().filter(issued_date__gt=TODAY).exists()
    assert not Response.objects.filter(received_date__lt=F("audit__issued_date")).exists()
    assert not Response.objects.filter(received_date__gt=TODAY).exists()
    assert not Response.objects.filter(audit__status__in=Audit.DRAFT_STATUSES).exists()
    assert not FollowUp.objects.filter(date__lt=F("recommendation__audit__issued_date")).exists()
    assert not FollowUp.objects.filter(date__gt=TODAY).exists()
    assert not Measure.objects.filter(completed_date__gt=TODAY).exists()
    assert not Measure.objects.filter(completed_date__lt=F("response__audit__issued_date")).exists()
    assert Measure.objects.filter(revised_due_date__isnull=False).exists()
    # An audit stays issued while a body's response is awaited, and only then.
    awaited = set(awaited_pairs().values_list("audit_id", flat=True))
    issued = set(Audit.objects.filter(status=Audit.Status.ISSUED).values_list("pk", flat=True))
    assert awaited == issued
    # A recommendation is open exactly while its body has not responded.
    responded = Exists(
        Response.objects.filter(audit=OuterRef("audit_id"), body=OuterRef("body_id"))
    )
    sent = Recommendation.objects.filter(audit__status__in=Audit.OPEN_STATUSES)
    assert not sent.filter(responded, status=Recommendation.Status.OPEN).exists()
    assert not sent.filter(~responded).exclude(status=Recommendation.Status.OPEN).exists()
    # A recommendation has the status of its latest follow-up.
    latest: dict[int, str] = {}
    for recommendation, assessment in FollowUp.objects.order_by("date", "pk").values_list(
        "recommendation_id", "assessment"
    ):
        latest[recommendation] = assessment
    statuses = dict(Recommendation.objects.filter(pk__in=latest).values_list("pk", "status"))
    assert all(statuses[pk] == STATUS_AFTER_FOLLOW_UP[latest[pk]] for pk in latest)


def test_refuses_a_database_that_has_audits(national, db):
    regions = Region.objects.count()
    with pytest.raises(CommandError, match="already has audits"):
        call_command("generate_national_data", "--scale=small", stdout=StringIO())
    assert Region.objects.count() == regions


TABLE_ROW = re.compile(r"^  (\w+) +([\d,]+) +(\d+) +(\d+\.\d{3}) +(\d+\.\d{3})$", re.MULTILINE)


def test_bench_reports_each_rule_and_leaves_the_ledger_untouched(national, db):
    out = StringIO()
    call_command("bench_reminders", "--runs=3", f"--today={TODAY}", stdout=out)
    report = out.getvalue()

    rows = {name: (int(items.replace(",", "")), int(queries), float(p50), float(slowest))
            for name, items, queries, p50, slowest in TABLE_ROW.findall(report)}  # fmt: skip
    assert list(rows) == [*RULES, "total"]
    for name, rule in RULES.items():
        items, queries, p50, slowest = rows[name]
        assert items == len(list(rule(TODAY)))
        assert queries >= 1
        assert 0 <= p50 <= slowest
    total_items, total_queries, _, _ = rows["total"]
    assert total_items == sum(rows[name][0] for name in RULES) > 0
    assert total_queries == sum(rows[name][1] for name in RULES)
    assert "p50 s    max s" in report
    assert f"audits 620, recommendations {Recommendation.objects.count():,}" in report

    queued = re.search(r"queued ([\d,]+) row\(s\), ([\d,]+) new in the ledger", report)
    assert queued is not None
    assert int(queued[1].replace(",", "")) >= total_items
    assert Reminder.objects.count() == 0
    assert re.search(r"Goal: decide everything due in <= 5 s: met", report)


def test_bench_refuses_zero_runs(db):
    with pytest.raises(CommandError, match="--runs must be 1 or more"):
        call_command("bench_reminders", "--runs=0", stdout=StringIO())


def test_rating_scales_are_what_the_generator_rates_on(national, db):
    used = set(Audit.objects.values_list("rating_scale__code", flat=True))
    assert used <= set(RatingScale.objects.values_list("code", flat=True))
    mismatched = Assessment.objects.exclude(level__scale=F("question__audit__rating_scale"))
    assert not mismatched.exists()


BENCH_ROW = re.compile(
    r"^\| (?P<page>[^|]+?) \| (?P<p50>[\d,.]+) \| (?P<p95>[\d,.]+) \| (?P<queries>\d+) \| "
    r"(?P<floor>[\d,.]+|–) \| (?P<floor_ratio>[\d.]+x|–) \| (?P<admin>[\d,.]+|–) \| "
    r"(?P<admin_queries>\d+|–) \| (?P<admin_ratio>[\d.]+x|–) \|$",
    re.MULTILINE,
)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_page_bench_compares_each_list_with_its_floor_and_the_admin(national, db):
    users, sessions = User.objects.count(), Session.objects.count()
    out = StringIO()
    call_command("bench", "--runs=2", "--warmup=1", stdout=out)
    report = out.getvalue()

    rows = {row["page"]: row for row in BENCH_ROW.finditer(report)}
    lists = [name for name in rows if "list" in name or "inbox" in name]
    assert len(lists) == 4, list(rows)
    assert any(name.startswith("Audit page") for name in rows)
    assert "Region dashboard" in rows
    assert any(name.startswith("Coordinated comparison matrix") for name in rows)
    assert "Reminder sweep, decision phase" in rows
    assert any(name.startswith("Demo audit report PDF") for name in rows)
    for name, row in rows.items():
        assert 0 < _number(row["p50"]) <= _number(row["p95"]), name
        assert int(row["queries"]) >= 1, name
    for name in lists:
        row = rows[name]
        # The ratios are the quotients of the times shown (which are rounded to 0.1 ms).
        floor, page, admin = _number(row["floor"]), _number(row["p95"]), _number(row["admin"])
        assert floor > 0 and admin > 0, name
        shown = float(row["floor_ratio"].rstrip("x")), float(row["admin_ratio"].rstrip("x"))
        assert shown == pytest.approx((page / floor, admin / page), rel=0.15, abs=0.1), name
        assert int(row["admin_queries"]) >= 1, name
    for goal in ("p95 <= 50 ms", "<= 10 queries", "<= 3x floor", ">= 5x faster than the admin"):
        assert goal in report
    assert "Pages opened for" in report
    # Everything the bench made (an admin, sessions, the demo for the PDF) is rolled back.
    assert (User.objects.count(), Session.objects.count()) == (users, sessions)
    assert not Audit.objects.filter(reference_number="Nr 11/2021").exists()


def test_a_benchmark_section_is_replaced_in_place_or_appended(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\n## One\n\nold\n\n## Two\n\nkept\n", encoding="utf-8")
    write_section("## Three", "## Three\n\nadded", path)
    write_section("## One", "## One\n\nnew", path)
    assert path.read_text(encoding="utf-8") == (
        "# Benchmarks\n\n## One\n\nnew\n\n## Two\n\nkept\n\n## Three\n\nadded\n"
    )
