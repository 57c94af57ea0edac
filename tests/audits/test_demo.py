import datetime

from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from audits.demo import load_demo
from audits.models import Audit
from recommendations.models import Measure, Recommendation, Response
from regions.models import Membership, User

TODAY = datetime.date(2026, 11, 22)
OUR_APPS = ("regions", "audits", "recommendations")


def _snapshot() -> dict[str, str]:
    return {
        model._meta.label: serializers.serialize("json", model._default_manager.order_by("pk"))
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
    }


def test_second_load_changes_nothing(db):
    load_demo(today=TODAY)
    first = _snapshot()
    load_demo(today=TODAY)
    assert _snapshot() == first
    # 4 + 3 + 3 in the coordinated 1177 audit, 2 in the follow-up awaiting a response.
    assert Recommendation.objects.count() == 12


def test_the_coordinated_audit_in_three_regions(db):
    load_demo(today=TODAY)
    audits = Audit.objects.filter(question_set__title="Granskning av 1177")
    assert sorted(a.region.code for a in audits) == ["norrbotten", "vasterbotten", "vastmanland"]
    for audit in audits:
        assert audit.questions.filter(assessment__isnull=False).count() == 5
    norrbotten = audits.get(region__code="norrbotten")
    ratings = [q.assessment.level.label for q in norrbotten.questions.order_by("position")]
    assert ratings == [
        "Uppfylld",
        "Delvis uppfylld",
        "Delvis uppfylld",
        "Ej uppfylld",
        "Delvis uppfylld",
    ]
    assert norrbotten.recommendations.count() == 4
    assert norrbotten.recommendations.filter(follow_ups__isnull=False).distinct().count() == 4


def test_the_three_response_shapes(db):
    load_demo(today=TODAY)
    narrative = Response.objects.get(audit__region__code="vastmanland")
    assert narrative.kind == Response.Kind.NARRATIVE and not narrative.answers.exists()
    per_recommendation = Response.objects.get(audit__region__code="vasterbotten")
    assert per_recommendation.answers.count() == 3
    assert per_recommendation.measures.filter(targets__isnull=False).exists()
    decision = Response.objects.get(audit__region__code="norrbotten")
    assert decision.reference_number == "678-2021"
    assert decision.decision_items.count() == 3


def test_some_measures_are_overdue_and_one_is_due_soon(db):
    load_demo(today=TODAY)
    assert Measure.objects.overdue(TODAY).count() >= 3
    assert Measure.objects.open().filter(due_date__gt=TODAY).exists()


def test_one_demo_user_per_role_per_region_with_a_known_password(db):
    load_demo(today=TODAY)
    for code in ("norrbotten", "vastmanland", "vasterbotten"):
        roles = set(Membership.objects.filter(region__code=code).values_list("role", flat=True))
        assert roles == set(Membership.Role.values)
    assert User.objects.get(username="sekreterare.norrbotten").check_password("granskning-demo")
    assert Audit.objects.drafts().filter(region__code="norrbotten").exists()


def test_load_demo_command_prints_the_logins(db, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "revisor.norrbotten" in out and "granskning-demo" in out
