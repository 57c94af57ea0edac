"""Writing through the API: a body's secretary records the response and its measures,
with the pages' own rules, permissions and optimistic locking; the history names them."""

from __future__ import annotations

import datetime

import pytest

from audits.models import Audit
from recommendations.models import Measure, Recommendation, Response
from regions.models import Body, User
from tracker.history.models import HistoryEvent

from .conftest import TODAY, api_as

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

V1 = "/api/v1"


def _awaiting() -> tuple[Audit, Body]:
    """Västerbotten's issued follow-up audit, still awaiting the nämnd's response."""
    audit = Audit.objects.get(region__code="vasterbotten", status=Audit.Status.ISSUED)
    return audit, audit.audited_bodies.get()


def _new_response(audit: Audit, body: Body, /, **changes) -> dict:
    recommendations = audit.recommendations.filter(body=body).order_by("number")
    return {
        "audit": audit.pk,
        "body": body.pk,
        "kind": "per_recommendation",
        "received_date": str(max(audit.issued_date, TODAY - datetime.timedelta(days=1))),
        "decision_reference": "HSN 2024-05-04 §12",
        "answers": [
            {"recommendation": r.pk, "stance": "accepted", "text": f"Vi gör det ({r.number})."}
            for r in recommendations
        ],
        **changes,
    }


def _open_measure() -> Measure:
    return Measure.objects.filter(
        response__audit__region__code="norrbotten",
        status__in=[Measure.Status.PLANNED, Measure.Status.IN_PROGRESS],
    ).first()


# Responses ------------------------------------------------------------------------------


def test_a_secretary_records_a_response_with_answers():
    audit, body = _awaiting()
    api = api_as("sekreterare.vasterbotten")
    page = api.post(f"{V1}/responses/", _new_response(audit, body))
    assert page.status_code == 201, page.content
    data = page.json()
    assert data["body"] == body.pk and data["version"] == 1
    assert len(data["answers"]) == audit.recommendations.filter(body=body).count() > 0
    statuses = set(audit.recommendations.values_list("status", flat=True))
    assert statuses == {Recommendation.Status.ANSWERED}
    # Every body has answered: the audit moves on, as it does from the page.
    audit.refresh_from_db()
    assert audit.status == Audit.Status.ANSWERED
    assert api.get(f"{V1}/responses/{data['id']}/").json() == data


def test_an_api_write_is_recorded_in_the_history_with_the_tokens_user():
    audit, body = _awaiting()
    api = api_as("sekreterare.vasterbotten")
    page = api.post(f"{V1}/responses/", _new_response(audit, body))
    assert page.status_code == 201, page.content
    created = HistoryEvent.objects.get(
        table_name="recommendations_response", object_pk=page.json()["id"], action="insert"
    )
    assert created.user_id == api.user.pk
    assert created.context["method"] == "POST"
    assert created.context["path"] == f"{V1}/responses/"
    answers = HistoryEvent.objects.filter(table_name="recommendations_answer", audit_id=audit.pk)
    assert answers.exists()
    assert set(answers.values_list("user_id", flat=True)) == {api.user.pk}

    measure = _open_measure()
    secretary = api_as("sekreterare.norrbotten")
    page = secretary.patch(
        f"{V1}/measures/{measure.pk}/",
        {"version": measure.version, "responsible": "Regiondirektören"},
    )
    assert page.status_code == 200, page.content
    changed = HistoryEvent.objects.get(
        table_name="recommendations_measure", object_pk=measure.pk, action="update"
    )
    assert changed.user_id == secretary.user.pk


def test_a_narrative_response_answers_every_recommendation():
    audit, body = _awaiting()
    data = _new_response(audit, body, kind="narrative", narrative="Nämnden instämmer.", answers=[])
    page = api_as("sekreterare.vasterbotten").post(f"{V1}/responses/", data)
    assert page.status_code == 201, page.content
    assert page.json()["answers"] == []
    assert not audit.recommendations.filter(status=Recommendation.Status.OPEN).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"received_date": "2001-01-01"}, "received_date"),
        ({"received_date": "2021-13-45"}, "received_date"),
        ({"received_date": "9999-12-31"}, "received_date"),
        ({"decision_date": "yesterday"}, "decision_date"),
        ({"kind": "narrative", "narrative": "  ", "answers": []}, "narrative"),
        ({"kind": "narrative", "narrative": "Ja."}, "answers"),
        ({"kind": "sideways"}, "kind"),
        ({"answers": []}, "kind"),
        ({"answers": [{"recommendation": 2**62, "stance": "accepted", "text": "Ja."}]}, "answers"),
        ({"answers": [{"recommendation": 1, "stance": "maybe", "text": "Ja."}]}, "answers"),
        ({"answers": "all of them"}, "answers"),
        ({"audit": 2**70}, "audit"),
        ({"audit": "first"}, "audit"),
        ({"body": None}, "body"),
    ],
)
def test_invalid_responses_are_400_with_the_fields_errors(changes, field):
    audit, body = _awaiting()
    page = api_as("sekreterare.vasterbotten").post(
        f"{V1}/responses/", _new_response(audit, body, **changes)
    )
    assert page.status_code == 400, page.content
    assert field in page.json(), page.json()
    assert not Response.objects.filter(audit=audit, body=body).exists()


@pytest.mark.parametrize("payload", [[], "text", 42, None, {"audit": {"x": 1}}])
def test_a_body_that_is_not_an_object_is_400(payload):
    page = api_as("sekreterare.vasterbotten").post(f"{V1}/responses/", payload)
    assert page.status_code == 400


def test_a_body_past_the_size_limit_is_400_in_json(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    audit, body = _awaiting()
    data = _new_response(audit, body, narrative="x" * 2000)
    page = api_as("sekreterare.vasterbotten").post(f"{V1}/responses/", data)
    assert page.status_code == 400
    assert "detail" in page.json()


def test_malformed_json_is_400():
    api = api_as("sekreterare.vasterbotten")
    page = api.client.post(
        f"{V1}/responses/", "{not json", content_type="application/json", **api.headers
    )
    assert page.status_code == 400
    assert "detail" in page.json()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        # The audit side and readers of the region see the audit but do not respond.
        ("revisor.vasterbotten", 403),
        ("lasare.vasterbotten", 403),
        # Another region's auditor or secretary does not even see it.
        ("revisor.norrbotten", 400),
        ("sekreterare.norrbotten", 400),
    ],
)
def test_only_the_bodys_secretary_may_respond(username, status):
    audit, body = _awaiting()
    page = api_as(username).post(f"{V1}/responses/", _new_response(audit, body))
    assert page.status_code == status, page.content
    assert not Response.objects.filter(audit=audit, body=body).exists()


def test_a_second_response_for_the_same_body_is_a_conflict():
    audit, body = _awaiting()
    api = api_as("sekreterare.vasterbotten")
    first = api.post(f"{V1}/responses/", _new_response(audit, body)).json()
    again = api.post(f"{V1}/responses/", _new_response(audit, body))
    assert again.status_code == 409
    assert again.json()["current"]["id"] == first["id"]


def test_updating_a_response_needs_the_version_read_and_a_stale_one_is_409():
    audit, body = _awaiting()
    api = api_as("sekreterare.vasterbotten")
    created = api.post(f"{V1}/responses/", _new_response(audit, body)).json()
    url = f"{V1}/responses/{created['id']}/"

    missing = api.patch(url, {"reference_number": "HSN 2024/77"})
    assert missing.status_code == 400
    assert "version" in missing.json()

    saved = api.patch(url, {"reference_number": "HSN 2024/77", "version": created["version"]})
    assert saved.status_code == 200, saved.content
    assert saved.json()["reference_number"] == "HSN 2024/77"
    assert saved.json()["version"] == created["version"] + 1
    assert saved.json()["decision_reference"] == created["decision_reference"]

    stale = api.patch(url, {"reference_number": "HSN 2024/78", "version": created["version"]})
    assert stale.status_code == 409
    assert stale.json()["current"]["reference_number"] == "HSN 2024/77"
    assert stale.json()["current"]["version"] == saved.json()["version"]
    assert Response.objects.get(pk=created["id"]).reference_number == "HSN 2024/77"


def test_an_answer_is_corrected_through_the_response():
    audit, body = _awaiting()
    api = api_as("sekreterare.vasterbotten")
    created = api.post(f"{V1}/responses/", _new_response(audit, body)).json()
    answer = created["answers"][0]
    page = api.patch(
        f"{V1}/responses/{created['id']}/",
        {
            "version": created["version"],
            "answers": [
                {"recommendation": answer["recommendation"], "stance": "partly", "text": "Delvis."}
            ],
        },
    )
    assert page.status_code == 200, page.content
    corrected = next(
        a for a in page.json()["answers"] if a["recommendation"] == answer["recommendation"]
    )
    assert (corrected["stance"], corrected["text"]) == ("partly", "Delvis.")


def test_a_closed_audits_response_is_read_only():
    audit = Audit.objects.get(region__code="norrbotten", status=Audit.Status.FOLLOWED_UP)
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.CLOSED)
    response = Response.objects.get(audit=audit)
    page = api_as("sekreterare.norrbotten").patch(
        f"{V1}/responses/{response.pk}/", {"version": response.version, "narrative": "Ändrat."}
    )
    assert page.status_code == 403


# Measures -------------------------------------------------------------------------------


def _new_measure(response: Response, /, **changes) -> dict:
    return {
        "response": response.pk,
        "description": "Införa månatlig uppföljning av 1177.",
        "responsible": "Hälso- och sjukvårdsdirektören",
        "recommendations": list(
            Recommendation.objects.filter(audit=response.audit, body=response.body).values_list(
                "pk", flat=True
            )[:1]
        ),
        "due_as_written": "under hösten",
        "original_due_date": "2030-10-31",
        **changes,
    }


def _norrbotten_response() -> Response:
    return Response.objects.get(audit__region__code="norrbotten")


def test_a_secretary_adds_a_measure():
    response = _norrbotten_response()
    api = api_as("sekreterare.norrbotten")
    page = api.post(f"{V1}/measures/", _new_measure(response))
    assert page.status_code == 201, page.content
    data = page.json()
    assert (data["status"], data["due_date"], data["version"]) == ("planned", "2030-10-31", 1)
    assert data["response"] == response.pk and len(data["recommendations"]) == 1
    event = HistoryEvent.objects.get(
        table_name="recommendations_measure", object_pk=data["id"], action="insert"
    )
    assert event.user_id == api.user.pk


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": ""}, "description"),
        ({"original_due_date": "2030-02-30"}, "original_due_date"),
        ({"original_due_date": "1900-01-01"}, "original_due_date"),
        ({"recommendations": [2**62]}, "recommendations"),
        ({"recommendations": [0]}, "recommendations"),
        ({"responsible_user": 2**62}, "responsible_user"),
        ({"status": "done"}, "status"),
        ({"response": 2**70}, "response"),
    ],
)
def test_invalid_measures_are_400(changes, field):
    page = api_as("sekreterare.norrbotten").post(
        f"{V1}/measures/", _new_measure(_norrbotten_response(), **changes)
    )
    assert page.status_code == 400, page.content
    assert field in page.json(), page.json()


def test_a_measure_may_not_address_another_bodys_recommendation():
    response = _norrbotten_response()
    elsewhere = Recommendation.objects.filter(audit__region__code="vastmanland").first()
    page = api_as("sekreterare.norrbotten").post(
        f"{V1}/measures/", _new_measure(response, recommendations=[elsewhere.pk])
    )
    assert page.status_code == 400
    assert "recommendations" in page.json()


@pytest.mark.parametrize(
    ("username", "status"),
    [("revisor.norrbotten", 403), ("lasare.norrbotten", 403), ("revisor.vasterbotten", 400)],
)
def test_others_may_not_add_or_change_measures(username, status):
    response = _norrbotten_response()
    api = api_as(username)
    before = Measure.objects.count()
    assert api.post(f"{V1}/measures/", _new_measure(response)).status_code == status
    measure = _open_measure()
    expected = 403 if status == 403 else 404
    patch = api.patch(f"{V1}/measures/{measure.pk}/", {"version": measure.version})
    assert patch.status_code == expected
    revise = api.post(
        f"{V1}/measures/{measure.pk}/revise/",
        {"revised_due_date": "2031-01-01", "revision_reason": "Nej.", "version": measure.version},
    )
    assert revise.status_code == expected
    assert Measure.objects.count() == before


def test_changing_a_measure_with_a_stale_version_is_409():
    measure = _open_measure()
    api = api_as("sekreterare.norrbotten")
    url = f"{V1}/measures/{measure.pk}/"
    first = api.patch(url, {"version": measure.version, "responsible": "Regiondirektören"})
    assert first.status_code == 200, first.content
    stale = api.patch(url, {"version": measure.version, "responsible": "Ekonomidirektören"})
    assert stale.status_code == 409
    current = stale.json()["current"]
    assert current["responsible"] == "Regiondirektören"
    assert current["version"] == first.json()["version"]


def test_the_promised_date_is_moved_only_by_a_revision_with_a_reason():
    measure = _open_measure()
    api = api_as("sekreterare.norrbotten")
    url = f"{V1}/measures/{measure.pk}/"
    moved = api.patch(url, {"version": measure.version, "original_due_date": "2031-01-01"})
    assert moved.status_code == 400
    assert "original_due_date" in moved.json()

    revise = f"{url}revise/"
    no_reason = api.post(revise, {"revised_due_date": "2031-01-01", "version": measure.version})
    assert no_reason.status_code == 400 and "revision_reason" in no_reason.json()
    same = api.post(
        revise,
        {
            "revised_due_date": str(measure.original_due_date),
            "revision_reason": "Samma.",
            "version": measure.version,
        },
    )
    assert same.status_code == 400 and "revised_due_date" in same.json()
    page = api.post(
        revise,
        {
            "revised_due_date": "2031-01-01",
            "revision_reason": "Upphandlingen drog ut på tiden.",
            "version": measure.version,
        },
    )
    assert page.status_code == 200, page.content
    data = page.json()
    assert data["due_date"] == data["revised_due_date"] == "2031-01-01"
    assert data["original_due_date"] == str(measure.original_due_date)
    stale = api.post(
        revise,
        {"revised_due_date": "2032-01-01", "revision_reason": "Igen.", "version": measure.version},
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["revised_due_date"] == "2031-01-01"


def test_a_measure_is_marked_done_once_and_not_in_the_future():
    measure = _open_measure()
    api = api_as("sekreterare.norrbotten")
    url = f"{V1}/measures/{measure.pk}/complete/"
    future = str(TODAY + datetime.timedelta(days=3))
    page = api.post(url, {"completed_date": future, "version": measure.version})
    assert page.status_code == 400 and "completed_date" in page.json()
    page = api.post(url, {"completed_date": str(TODAY), "version": measure.version})
    assert page.status_code == 200, page.content
    assert (page.json()["status"], page.json()["completed_date"]) == ("done", str(TODAY))
    again = api.post(url, {"completed_date": str(TODAY), "version": page.json()["version"]})
    assert again.status_code == 400
    status = api.patch(
        f"{V1}/measures/{measure.pk}/", {"version": page.json()["version"], "status": "planned"}
    )
    assert status.status_code == 400 and "status" in status.json()


def test_the_token_users_writes_never_use_another_users_session(client):
    """A browser session of someone else in the same client does not change who writes."""
    measure = _open_measure()
    api = api_as("sekreterare.norrbotten")
    api.client.force_login(User.objects.get(username="revisor.norrbotten"))
    page = api.patch(f"{V1}/measures/{measure.pk}/", {"version": measure.version})
    assert page.status_code == 200
