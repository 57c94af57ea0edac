"""Every model's admin answers as a superuser, on the demo data."""

import datetime

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from audits.demo import load_demo
from recommendations.models import FollowUp, Recommendation, Reminder
from recommendations.reminders.sweep import sweep
from regions.models import Body, ExternalIdentity, Membership, Region, User

from .conftest import sv

TODAY = datetime.date(2026, 11, 22)
MODEL_ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def superuser_client(db, client):
    load_demo(today=TODAY)
    Group.objects.get_or_create(name="Revisionskontoret")
    # A failed sign-in leaves a login-throttling counter (django-axes) to open.
    client.post("/login/", {"username": "admin", "password": "fel"})
    # Axes' logs of successful and of all failed sign-ins are switched off in the settings
    # (personal data), but their admin pages are still registered: one row each to open.
    for log in (AccessLog, AccessFailureLog):
        log.objects.create(user_agent="test", ip_address="192.0.2.1", username="admin")
    # Two-step sign-in and single sign-on: one of each to open.
    revisor = User.objects.get(username="revisor.norrbotten")
    TOTPDevice.objects.create(user=revisor, name="app", confirmed=True)
    ExternalIdentity.objects.create(
        user=revisor, issuer="https://idp.example.invalid", subject="a1b2c3"
    )
    client.force_login(User.objects.get(username="admin"))
    return client


def at_eight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize(
    ("model", "model_admin"), MODEL_ADMINS, ids=[model._meta.label for model, _ in MODEL_ADMINS]
)
def test_changelist_add_and_change_pages_answer(superuser_client, model, model_admin, rf):
    if model is Reminder:
        # The ledger fills from the demo's overdue measures and awaited responses.
        sweep(at_eight(TODAY))
    changelist = superuser_client.get(_url(model, "changelist"))
    assert changelist.status_code == 200
    if model_admin.search_fields:
        assert superuser_client.get(_url(model, "changelist"), {"q": "1177"}).status_code == 200
    request = rf.get("/")
    request.user = User.objects.get(username="admin")
    # Some records are only ever written by the app (the reminder ledger): no add page.
    expected = 200 if model_admin.has_add_permission(request) else 403
    assert superuser_client.get(_url(model, "add")).status_code == expected
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the demo has no {model._meta.label} to open"
    change = superuser_client.get(_url(model, "change", obj.pk))
    assert change.status_code == 200


def test_admin_speaks_swedish(superuser_client):
    page = superuser_client.get(reverse("admin:index"))
    assert sv("Recommendations and responses") in page.content.decode()


def test_audit_list_filters_by_region_year_status_and_rating(superuser_client):
    from audits.models import Audit, RatingLevel

    region = Region.objects.get(code="norrbotten")
    level = RatingLevel.objects.get(scale__code="uppfylld", label="Ej uppfylld")
    page = superuser_client.get(
        _url(Audit, "changelist"),
        {
            "region__id__exact": region.pk,
            "year": 2021,
            "status__exact": "followed_up",
            "questions__assessment__level__id__exact": level.pk,
        },
    )
    assert page.status_code == 200
    assert list(page.context["cl"].queryset) == [Audit.objects.get(region=region, year=2021)]


def test_audit_page_shows_the_summary_table_with_words(superuser_client):
    from audits.models import Audit

    audit = Audit.objects.get(region__code="norrbotten", year=2021)
    html = superuser_client.get(_url(Audit, "change", audit.pk)).content.decode()
    assert html.count("Delvis uppfylld") >= 3
    assert "Ej uppfylld" in html


def test_deleting_an_answered_audit_is_refused_with_a_swedish_message(superuser_client):
    from audits.models import Audit

    audit = Audit.objects.get(region__code="vasterbotten", year=2021)
    page = superuser_client.post(_url(Audit, "delete", audit.pk), {"post": "yes"})
    assert page.status_code == 200
    assert "skyddade" in page.content.decode()
    assert Audit.objects.filter(pk=audit.pk).exists()


def test_follow_up_added_in_admin_goes_through_the_service(superuser_client):
    recommendation = Recommendation.objects.get(
        audit__region__code="vasterbotten", audit__year=2021, number=1
    )
    response = superuser_client.post(
        _url(FollowUp, "add"),
        {
            "recommendation": recommendation.pk,
            "date": "2022-09-15",
            "assessment": FollowUp.Assessment.IMPLEMENTED,
            "comment": "Strategin är antagen.",
        },
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.IMPLEMENTED
    follow_up = recommendation.follow_ups.get()
    assert follow_up.recorded_by.username == "admin"
    change = superuser_client.get(_url(FollowUp, "change", follow_up.pk))
    assert b'name="comment"' not in change.content  # shown read-only, never edited


def test_follow_up_form_shows_swedish_error_next_to_the_field(superuser_client):
    recommendation = Recommendation.objects.get(
        audit__region__code="vasterbotten", audit__year=2021, number=1
    )
    page = superuser_client.post(
        _url(FollowUp, "add"),
        {
            "recommendation": recommendation.pk,
            "date": "15/9/2022",
            "assessment": "implemented",
        },
    )
    assert page.status_code == 200
    assert page.context["adminform"].form.errors["date"] == ["Fyll i ett giltigt datum."]


def test_membership_form_requires_bodies_for_a_secretary(superuser_client):
    region = Region.objects.get(code="norrbotten")
    user = User.objects.create_user("ny.sekreterare")
    page = superuser_client.post(
        _url(Membership, "add"),
        {
            "user": user.pk,
            "region": region.pk,
            "role": "secretary",
        },
    )
    assert page.status_code == 200
    assert sv("A body secretary must be given at least one body.") in page.content.decode()
    foreign = Body.objects.get(region__code="vasterbotten", name="Regionstyrelsen")
    page = superuser_client.post(
        _url(Membership, "add"),
        {
            "user": user.pk,
            "region": region.pk,
            "role": "secretary",
            "bodies": [foreign.pk],
        },
    )
    assert page.status_code == 200
    assert not Membership.objects.filter(user=user).exists()


def _post_data_from(page) -> dict:
    """The change form as the browser would submit it unchanged: main form and every inline."""
    data = {}
    form = page.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None or isinstance(value, FieldFile):
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for subform in formset.forms:
            for name in subform.fields:
                value = subform[name].value()
                if value is None or value is False or isinstance(value, FieldFile):
                    continue
                key = subform.add_prefix(name)
                data[key] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    return data


def test_rating_a_question_on_the_audit_page_saves_its_assessment(superuser_client):
    from audits.models import Audit, RatingLevel

    audit = Audit.objects.get(region__code="norrbotten", year=2021)
    url = _url(Audit, "change", audit.pk)
    data = _post_data_from(superuser_client.get(url))
    prefix = next(k[: -len("-0-rating")] for k in data if k.endswith("-0-rating"))
    first = next(i for i in range(5) if data[f"{prefix}-{i}-position"] == 4)
    fulfilled = RatingLevel.objects.get(scale=audit.rating_scale, label="Uppfylld")
    data[f"{prefix}-{first}-rating"] = fulfilled.pk
    data[f"{prefix}-{first}-comment"] = "Basutbudet är nu infört i hela länet."
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    question = audit.questions.get(position=4)
    assert question.assessment.level == fulfilled
    assert question.assessment.comment == "Basutbudet är nu infört i hela länet."
    # The reasoning written on the question's own page is kept.
    assert audit.questions.get(position=1).assessment.level.label == "Uppfylld"


def _inline_management(*prefixes: str) -> dict:
    return {
        f"{prefix}-{name}": value
        for prefix in prefixes
        for name, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
    }


def test_response_without_received_date_is_an_error_not_a_500(superuser_client):
    from audits.models import Audit
    from recommendations.models import Response

    audit = Audit.objects.get(region__code="norrbotten", year=2021)
    body = Body.objects.get(region__code="norrbotten", name="Regionfullmäktige")
    page = superuser_client.post(
        _url(Response, "add"),
        {
            "audit": audit.pk,
            "body": body.pk,
            "kind": "per_recommendation",
            "received_date": "",
            **_inline_management("decision_items", "answers", "measures"),
        },
    )
    assert page.status_code == 200
    assert page.context["adminform"].form.errors["received_date"] == ["Detta fält måste fyllas i."]
    assert not Response.objects.filter(body=body).exists()


def test_audit_cannot_be_given_another_regions_body(superuser_client):
    from audits.models import Audit

    audit = Audit.objects.get(region__code="norrbotten", year=2021)
    foreign = Body.objects.get(region__code="vasterbotten", name="Regionstyrelsen")
    url = _url(Audit, "change", audit.pk)
    data = _post_data_from(superuser_client.get(url))
    data["audited_bodies"] = [str(foreign.pk)]
    page = superuser_client.post(url, data)
    assert page.status_code == 200
    assert sv("Choose bodies of the audit's region.") in page.content.decode()
    assert list(audit.audited_bodies.values_list("region__code", flat=True)) == ["norrbotten"]


def test_measure_cannot_address_another_audits_recommendation(superuser_client):
    from recommendations.models import Measure, Response

    response = Response.objects.get(audit__region__code="vasterbotten")
    foreign = Recommendation.objects.get(audit__region__code="norrbotten", number=1)
    page = superuser_client.post(
        _url(Measure, "add"),
        {
            "response": response.pk,
            "description": "Felkopplad åtgärd",
            "recommendations": [foreign.pk],
            "responsible": "Regiondirektör",
            "original_due_date": "2022-06-30",
            "status": "planned",
        },
    )
    assert page.status_code == 200
    assert (
        sv("Link only recommendations addressed to the responding body in this audit.")
        in page.content.decode()
    )
    assert not Measure.objects.filter(description="Felkopplad åtgärd").exists()


def test_measure_page_edits_every_measure_field(superuser_client):
    from recommendations.admin import MEASURE_FIELDS
    from recommendations.models import Measure

    measure = Measure.objects.order_by("pk").first()
    form = superuser_client.get(_url(Measure, "change", measure.pk)).context["adminform"].form
    # opened_version: the version the page was opened with (tracker.admin.VersionedAdmin).
    assert set(form.fields) == {"response", "opened_version", *MEASURE_FIELDS}


@pytest.mark.parametrize("model_name", ["audit", "measure"])
def test_two_administrators_saving_the_same_record_never_overwrite(superuser_client, model_name):
    from audits.models import Audit
    from recommendations.models import Measure

    model = {"audit": Audit, "measure": Measure}[model_name]
    obj = model.objects.order_by("pk").first()
    url = _url(model, "change", obj.pk)
    page = superuser_client.get(url)
    data = _admin_post_data(page)
    assert data["opened_version"] == str(obj.version)
    # Someone else saves in between (through the app, a service or another admin page).
    field = "title" if model is Audit else "description"
    setattr(obj, field, "Deras version")
    obj.save()
    stale = superuser_client.post(url, {**data, field: "Min version"})
    assert stale.status_code == 200
    assert (
        sv(
            "Someone else saved this record after you opened it, so your changes were not "
            "saved. Open it again to see their changes, then make yours."
        )
        in stale.content.decode()
    )
    obj.refresh_from_db()
    assert getattr(obj, field) == "Deras version"
    # Opened again, the change goes through.
    fresh = _admin_post_data(superuser_client.get(url))
    assert superuser_client.post(url, {**fresh, field: "Min version"}).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "Min version"


def _admin_post_data(page) -> dict[str, object]:
    """What the browser would send back unchanged: the main form and its inlines."""
    data: dict[str, object] = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {
                f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms)),
                f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
            }
        )
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None:
                continue
            key = form.add_prefix(name)
            if isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, FieldFile):
                continue
            else:
                shown = field.widget.format_value(value)
                if shown is not None:
                    data[key] = shown
    return data
