"""Reading through the API: what each role sees, filters, pages, errors, query counts."""

from __future__ import annotations

import datetime

import pytest

from audits.models import Audit
from recommendations.models import Measure, Recommendation, Response
from regions.models import Body, User
from tracker.api.authentication import api_token_create, api_token_revoke
from tracker.api.models import ApiToken

from .conftest import TODAY, Api, api_as

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

V1 = "/api/v1"


def _ids(page) -> set[int]:
    assert page.status_code == 200, page.content
    return {row["id"] for row in page.json()["results"]}


def _audit(code: str, **filters) -> Audit:
    return Audit.objects.get(region__code=code, **filters)


# Authentication -------------------------------------------------------------------------


def test_anonymous_requests_are_401_in_json(db):
    for path in ("/audits/", "/audits/1/", "/schema/", "/measures/"):
        page = Api(None).get(V1 + path)
        assert page.status_code == 401, path
        assert page["Content-Type"].split(";")[0].endswith("json")
        assert page["WWW-Authenticate"].startswith("Bearer")
        assert "detail" in page.json()


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nonsense",
        "Bearer gr_" + "a" * 43,
        "Bearer gr_" + "\x00" * 43,
        "Bearer",
        "Bearer a b",
        "Token gr_" + "a" * 43,
    ],
)
def test_a_wrong_token_is_401(db, header):
    page = Api(None).client.get(f"{V1}/audits/", HTTP_AUTHORIZATION=header)
    assert page.status_code == 401


def test_a_revoked_token_or_a_deactivated_user_is_refused(db):
    user = User.objects.get(username="revisor.norrbotten")
    token = api_token_create(user)
    assert Api(user, token).get(f"{V1}/audits/").status_code == 200
    newer = api_token_create(user)  # replaces the first
    assert Api(user, token).get(f"{V1}/audits/").status_code == 401
    assert Api(user, newer).get(f"{V1}/audits/").status_code == 200
    api_token_revoke(user)
    assert Api(user, newer).get(f"{V1}/audits/").status_code == 401
    again = api_token_create(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert Api(user, again).get(f"{V1}/audits/").status_code == 401


def test_only_a_hash_of_the_token_is_stored(db):
    user = User.objects.get(username="lasare.norrbotten")
    token = api_token_create(user)
    stored = ApiToken.objects.get(user=user)
    assert token not in (stored.key_hash, stored.prefix)
    assert token.startswith(stored.prefix)
    Api(user, token).get(f"{V1}/regions/")
    assert ApiToken.objects.get(user=user).last_used_at is not None


def test_the_signed_in_browser_may_read_but_not_write(db):
    api = Api(None)
    api.client.force_login(User.objects.get(username="sekreterare.norrbotten"))
    assert api.get(f"{V1}/audits/").status_code == 200
    measure = Measure.objects.filter(response__audit__region__code="norrbotten").first()
    page = api.patch(f"{V1}/measures/{measure.pk}/", {"version": measure.version})
    assert page.status_code == 401


# Scoping --------------------------------------------------------------------------------


def test_a_secretary_sees_issued_audits_sent_to_their_bodies_only():
    api = api_as("sekreterare.norrbotten")
    issued = _audit("norrbotten", status=Audit.Status.FOLLOWED_UP)
    draft = _audit("norrbotten", status=Audit.Status.ONGOING)
    assert _ids(api.get(f"{V1}/audits/")) == {issued.pk}
    assert api.get(f"{V1}/audits/{draft.pk}/").status_code == 404
    elsewhere = _audit("vasterbotten", status=Audit.Status.ANSWERED)
    page = api.get(f"{V1}/audits/{elsewhere.pk}/")
    assert page.status_code == 404
    assert page.json() == {"detail": page.json()["detail"]}


def test_a_secretary_sees_their_own_bodies_responses_and_measures():
    api = api_as("sekreterare.vasterbotten")
    body = Body.objects.get(region__code="vasterbotten", name="Hälso- och sjukvårdsnämnden")
    responses = Response.objects.filter(body=body)
    assert _ids(api.get(f"{V1}/responses/")) == {r.pk for r in responses}
    measures = Measure.objects.filter(response__body=body)
    assert _ids(api.get(f"{V1}/measures/", {"page_size": 200})) == {m.pk for m in measures}
    other = Response.objects.exclude(body=body).first()
    assert api.get(f"{V1}/responses/{other.pk}/").status_code == 404


def test_an_auditor_sees_their_regions_drafts_but_not_another_regions():
    api = api_as("revisor.norrbotten")
    mine = set(Audit.objects.filter(region__code="norrbotten").values_list("pk", flat=True))
    assert _ids(api.get(f"{V1}/audits/")) == mine
    draft = _audit("norrbotten", status=Audit.Status.ONGOING)
    assert api.get(f"{V1}/audits/{draft.pk}/").status_code == 200
    for model in (Audit, Recommendation):
        foreign = (
            model.objects.exclude(pk__in=[])
            .filter(
                **(
                    {"region__code": "vastmanland"}
                    if model is Audit
                    else {"audit__region__code": "vastmanland"}
                )
            )
            .first()
        )
        path = "audits" if model is Audit else "recommendations"
        assert api.get(f"{V1}/{path}/{foreign.pk}/").status_code == 404
    regions = api.get(f"{V1}/regions/").json()["results"]
    assert [r["code"] for r in regions] == ["norrbotten"]
    assert {b["region"] for b in api.get(f"{V1}/bodies/").json()["results"]} == {regions[0]["id"]}


def test_a_reader_never_sees_drafts():
    api = api_as("lasare.norrbotten")
    statuses = {row["status"] for row in api.get(f"{V1}/audits/").json()["results"]}
    assert statuses
    assert not statuses & set(Audit.DRAFT_STATUSES)


def test_a_user_without_a_role_sees_nothing(db):
    user = User.objects.create_user("ingen.roll")
    api = Api(user)
    for path in ("audits", "recommendations", "responses", "measures", "follow-ups", "regions"):
        assert _ids(api.get(f"{V1}/{path}/")) == set(), path


def test_the_audit_detail_nests_questions_assessments_and_findings():
    api = api_as("revisor.vasterbotten")
    audit = _audit("vasterbotten", status=Audit.Status.ANSWERED)
    detail = api.get(f"{V1}/audits/{audit.pk}/").json()
    assert detail["questions"], detail
    rated = [q for q in detail["questions"] if q["assessment"]]
    assert rated
    assert {"level", "rank", "tone", "reasoning", "comment"} <= set(rated[0]["assessment"])
    assert all(isinstance(q["observations"], list) for q in detail["questions"])
    assert detail["audited_bodies"]
    assert detail["rating_scale"] == "uppfylld"


def test_a_response_shows_its_answers_decision_items_and_measures():
    api = api_as("revisor.vasterbotten")
    response = Response.objects.get(audit__region__code="vasterbotten", kind="per_recommendation")
    data = api.get(f"{V1}/responses/{response.pk}/").json()
    assert len(data["answers"]) == response.answers.count() > 0
    assert set(data["measures"]) == set(response.measures.values_list("pk", flat=True))
    assert data["version"] == response.version


# Filters (the list pages' own filter sets) ----------------------------------------------


def test_filters_are_the_list_pages_filters():
    api = api_as("revisor.norrbotten")
    draft = _audit("norrbotten", status=Audit.Status.ONGOING)
    assert _ids(api.get(f"{V1}/audits/", {"status": "ongoing"})) == {draft.pk}
    assert _ids(api.get(f"{V1}/audits/", {"q": "Uppföljning"})) == {draft.pk}
    body = Body.objects.get(region__code="norrbotten", name="Regionstyrelsen")
    recs = Recommendation.objects.filter(body=body)
    assert _ids(api.get(f"{V1}/recommendations/", {"body": body.pk})) == set(
        recs.values_list("pk", flat=True)
    )
    overdue = _ids(api.get(f"{V1}/measures/", {"overdue": "true"}))
    assert overdue == set(
        Measure.objects.overdue(TODAY)
        .filter(response__audit__region__code="norrbotten")
        .values_list("pk", flat=True)
    )
    numbers = [
        r["number"] for r in api.get(f"{V1}/recommendations/", {"o": "-number"}).json()["results"]
    ]
    assert numbers == sorted(numbers, reverse=True)


def test_a_filter_on_another_regions_body_is_a_400_not_a_leak():
    api = api_as("revisor.norrbotten")
    foreign = Body.objects.filter(region__code="vastmanland").first()
    page = api.get(f"{V1}/recommendations/", {"body": foreign.pk})
    assert page.status_code == 400
    assert "body" in page.json()


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("audits", {"region": 2**70}),
        ("audits", {"year": "abc"}),
        ("audits", {"year": 99999}),
        ("recommendations", {"rating": -1}),
        ("measures", {"o": "nonsense"}),
        ("responses", {"audit": 2**70}),
        ("follow-ups", {"recommendation": "x"}),
        ("bodies", {"region": "1e400"}),
        ("audits", {"page": 0}),
        ("audits", {"page": "x"}),
        ("audits", {"page": 2**70}),
        ("audits", {"page_size": 100000}),
    ],
)
def test_bad_filter_values_are_400_never_500(path, params):
    page = api_as("revisor.norrbotten").get(f"{V1}/{path}/", params)
    assert page.status_code == 400, page.content
    assert isinstance(page.json(), dict)


def test_unknown_filters_are_ignored():
    api = api_as("revisor.norrbotten")
    everything = _ids(api.get(f"{V1}/audits/"))
    assert _ids(api.get(f"{V1}/audits/", {"colour": "blue"})) == everything
    # As on the list page, an overdue value that is not true or false filters nothing.
    assert _ids(api.get(f"{V1}/audits/", {"overdue": "maybe"})) == everything


@pytest.mark.parametrize(
    "path",
    ["audits/99999999999999999999999", "audits/-1", "audits/abc", "measures/0", "nowhere", "v2"],
)
def test_ids_out_of_range_and_unknown_paths_are_404_in_json(path):
    page = api_as("revisor.norrbotten").get(f"/api/v1/{path}/")
    assert page.status_code == 404
    assert page.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v1/audits/", "/api/v1/audits/1/"])
def test_methods_not_offered_are_405(path):
    page = api_as("revisor.norrbotten").post(path, {})
    assert page.status_code == 405


# Pages ----------------------------------------------------------------------------------


def _more_recommendations(count: int) -> Audit:
    audit = _audit("norrbotten", status=Audit.Status.FOLLOWED_UP)
    body = audit.audited_bodies.first()
    top = audit.recommendations.count()
    Recommendation.objects.bulk_create(
        Recommendation(audit=audit, body=body, number=top + i, text=f"Rekommendation {i}.")
        for i in range(1, count + 1)
    )
    return audit


def test_pages_follow_each_other_without_overlap_or_count():
    _more_recommendations(30)
    api = api_as("revisor.norrbotten")
    seen: list[int] = []
    url = f"{V1}/recommendations/?page_size=7"
    pages = 0
    while url:
        page = api.get(url)
        data = page.json()
        assert set(data) == {"next", "previous", "results"}
        assert len(data["results"]) <= 7
        seen += [row["id"] for row in data["results"]]
        url = data["next"]
        pages += 1
    expected = Recommendation.objects.filter(audit__region__code="norrbotten").count()
    assert len(seen) == len(set(seen)) == expected
    assert pages == -(-expected // 7)
    beyond = api.get(f"{V1}/recommendations/", {"page": 999}).json()
    assert beyond["results"] == [] and beyond["next"] is None


@pytest.mark.parametrize(
    ("path", "adds"),
    [("recommendations", "recommendations"), ("measures", "measures"), ("audits", "audits")],
)
def test_query_counts_do_not_grow_with_the_page(path, adds, django_assert_max_num_queries):
    api = api_as("revisor.norrbotten")
    api.get(f"{V1}/{path}/", {"page_size": 1})  # warm: the first request does one-off work
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert api.get(f"{V1}/{path}/", {"page_size": 1}).status_code == 200
    _add(adds)
    with django_assert_max_num_queries(len(small)):
        page = api.get(f"{V1}/{path}/", {"page_size": 200})
    assert len(page.json()["results"]) >= 20


def _add(kind: str) -> None:
    if kind == "recommendations":
        _more_recommendations(25)
        return
    audit = _audit("norrbotten", status=Audit.Status.FOLLOWED_UP)
    if kind == "measures":
        response = Response.objects.get(audit=audit)
        recommendation = audit.recommendations.first()
        for i in range(25):
            measure = Measure.objects.create(
                response=response,
                description=f"Åtgärd {i}",
                responsible="Hälso- och sjukvårdsdirektören",
                original_due_date=datetime.date(2030, 1, 1),
            )
            measure.recommendations.add(recommendation)
        return
    body = audit.audited_bodies.first()
    for i in range(25):
        extra = Audit.objects.create(
            region=audit.region, title=f"Granskning {i}", year=2022, rating_scale=audit.rating_scale
        )
        extra.audited_bodies.add(body)


@pytest.mark.parametrize("path", ["audits", "responses", "recommendations"])
def test_detail_query_counts_are_bounded(path, django_assert_max_num_queries):
    api = api_as("revisor.vasterbotten")
    first = api.get(f"{V1}/{path}/").json()["results"][0]["id"]
    with django_assert_max_num_queries(12):
        assert api.get(f"{V1}/{path}/{first}/").status_code == 200
