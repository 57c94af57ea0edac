"""Optimistic locking: an edit made on an out-of-date copy is shown back, never silently saved.

Each test opens a form as one user, lets someone else save the same row, then submits
the first form: the page must show both versions, keep the other user's save, and let
the first user overwrite knowingly by saving again.
"""

from __future__ import annotations

import datetime
import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction
from django.urls import reverse

from audits.models import Assessment, Audit, AuditQuestion, Observation
from recommendations.models import Answer, Measure, Recommendation, Response
from recommendations.services import measure_revise
from regions.models import Membership
from tracker.versioning import EditConflict

from .conftest import sv
from .web import (
    HTMX,
    conflict_notice,
    conflict_versions,
    form_data,
    formset_data,
    hidden_value,
    member,
    signed_in,
)

D = datetime.date
ROLE = Membership.Role


@pytest.fixture
def alice(region):
    return signed_in(member(region, ROLE.AUDITOR, username="alice"))


@pytest.fixture
def bob(region):
    return signed_in(member(region, ROLE.AUDIT_OFFICE, username="bob"))


@pytest.fixture
def secretaries(region, board):
    return (
        signed_in(member(region, ROLE.SECRETARY, bodies=(board,), username="alice")),
        signed_in(member(region, ROLE.SECRETARY, bodies=(board,), username="bob")),
    )


def _open(browser, url: str, version_field: str = "version", **headers: Any) -> dict[str, Any]:
    """The form as the page sends it back, with the version read from its hidden input."""
    page = browser.get(url, **headers)
    assert page.status_code == 200
    data = form_data(page.context["form"])
    data[version_field] = hidden_value(page, version_field)
    return data


def _assert_conflict(page, *, saved: str, yours: str) -> None:
    assert page.status_code == 200
    notice = conflict_notice(page)
    assert sv("Someone else saved a change while you were editing.") in notice
    assert (saved, yours) in conflict_versions(page), conflict_versions(page)


def _resubmit(page, data: dict[str, Any], version_field: str = "version") -> dict[str, Any]:
    """Save again from the conflict page: the form now carries the saved version."""
    return {**data, version_field: hidden_value(page, version_field)}


# The form of each kind of row ------------------------------------------------------------


def test_question_text_edited_by_two_auditors(alice, bob, audit):
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    url = reverse("question-edit", args=[question.pk])
    alices = _open(alice, url, **HTMX)
    bobs = _open(bob, url, **HTMX)
    assert bob.post(url, {**bobs, "text": "Finns beslutade mål?"}, **HTMX).status_code == 200

    page = alice.post(url, {**alices, "text": "Finns mål för 1177?"}, **HTMX)
    _assert_conflict(page, saved="Finns beslutade mål?", yours="Finns mål för 1177?")
    assert "HX-Retarget" not in page
    question.refresh_from_db()
    assert question.text == "Finns beslutade mål?"

    again = _resubmit(page, {**alices, "text": "Finns mål för 1177?"})
    assert again["version"] == str(question.version)
    page = alice.post(url, again, **HTMX)
    assert page["HX-Retarget"] == f"#question-{question.pk}"
    question.refresh_from_db()
    assert question.text == "Finns mål för 1177?"


def test_question_edited_without_htmx_shows_the_conflict_on_its_page(alice, bob, audit):
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    url = reverse("question-edit", args=[question.pk])
    alices = _open(alice, url)
    bob.post(url, {**_open(bob, url), "text": "Finns beslutade mål?"})
    page = alice.post(url, {**alices, "text": "Finns mål för 1177?"})
    _assert_conflict(page, saved="Finns beslutade mål?", yours="Finns mål för 1177?")
    assert "<html" in page.content.decode()
    page = alice.post(url, _resubmit(page, {**alices, "text": "Finns mål för 1177?"}))
    assert page.status_code == 302
    question.refresh_from_db()
    assert question.text == "Finns mål för 1177?"


def test_moving_questions_makes_an_open_edit_of_them_stale(alice, bob, audit):
    first = AuditQuestion.objects.create(audit=audit, position=1, text="Första")
    AuditQuestion.objects.create(audit=audit, position=2, text="Andra")
    url = reverse("question-edit", args=[first.pk])
    alices = _open(alice, url, **HTMX)
    bob.post(reverse("question-move", args=[first.pk]), {"direction": "down"}, **HTMX)
    page = alice.post(url, {**alices, "text": "Första, omskriven"}, **HTMX)
    _assert_conflict(page, saved="Första", yours="Första, omskriven")
    first.refresh_from_db()
    assert (first.text, first.position) == ("Första", 2)


def test_observation_edited_by_two_auditors(alice, bob, audit):
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    observation = Observation.objects.create(question=question, position=1, text="Mål saknas.")
    url = reverse("observation-edit", args=[observation.pk])
    field = f"obs-{observation.pk}-version"
    alices = _open(alice, url, field, **HTMX)
    bobs = _open(bob, url, field, **HTMX)
    bob.post(url, {**bobs, f"obs-{observation.pk}-text": "Mål finns för telefon."}, **HTMX)
    data = {**alices, f"obs-{observation.pk}-text": "Mål saknas helt."}
    page = alice.post(url, data, **HTMX)
    _assert_conflict(page, saved="Mål finns för telefon.", yours="Mål saknas helt.")
    observation.refresh_from_db()
    assert observation.text == "Mål finns för telefon."
    alice.post(url, _resubmit(page, data, field), **HTMX)
    observation.refresh_from_db()
    assert observation.text == "Mål saknas helt."


def test_rating_changed_by_two_auditors(alice, bob, audit, scale):
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    Assessment.objects.create(question=question, level=scale.levels.get(label="Uppfylld"))
    url = reverse("assessment-edit", args=[question.pk])
    prefix = f"rating-{question.pk}"
    alices = _open(alice, url, f"{prefix}-version", **HTMX)
    bobs = _open(bob, url, f"{prefix}-version", **HTMX)
    bob.post(url, {**bobs, f"{prefix}-level": scale.levels.get(label="Ej uppfylld").pk}, **HTMX)
    data = {**alices, f"{prefix}-level": scale.levels.get(label="Delvis uppfylld").pk}
    page = alice.post(url, data, **HTMX)
    _assert_conflict(page, saved="Ej uppfylld", yours="Delvis uppfylld")
    assert Assessment.objects.get().level.label == "Ej uppfylld"
    alice.post(url, _resubmit(page, data, f"{prefix}-version"), **HTMX)
    assert Assessment.objects.get().level.label == "Delvis uppfylld"


def test_first_rating_by_two_auditors_at_once_is_not_silently_replaced(alice, bob, audit, scale):
    # Both open the rating form of an unrated question; Bob saves first.
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    url = reverse("assessment-edit", args=[question.pk])
    prefix = f"rating-{question.pk}"
    alices = form_data(alice.get(url, **HTMX).context["form"])
    bobs = form_data(bob.get(url, **HTMX).context["form"])
    bob.post(url, {**bobs, f"{prefix}-level": scale.levels.get(label="Ej uppfylld").pk}, **HTMX)
    data = {**alices, f"{prefix}-level": scale.levels.get(label="Uppfylld").pk}
    page = alice.post(url, data, **HTMX)
    assert Assessment.objects.get().level.label == "Ej uppfylld"
    _assert_conflict(page, saved="Ej uppfylld", yours="Uppfylld")


def test_overall_assessment_edited_by_two_auditors(alice, bob, audit):
    url = reverse("overall-edit", args=[audit.pk])
    alices = _open(alice, url, **HTMX)
    bob.post(url, {**_open(bob, url, **HTMX), "overall_assessment": "Inte tillräcklig."}, **HTMX)
    data = {**alices, "overall_assessment": "I huvudsak tillräcklig."}
    page = alice.post(url, data, **HTMX)
    _assert_conflict(page, saved="Inte tillräcklig.", yours="I huvudsak tillräcklig.")
    audit.refresh_from_db()
    assert audit.overall_assessment == "Inte tillräcklig."
    alice.post(url, _resubmit(page, data), **HTMX)
    audit.refresh_from_db()
    assert audit.overall_assessment == "I huvudsak tillräcklig."


def _audit_form(browser, audit: Audit) -> dict[str, Any]:
    page = browser.get(reverse("audit-edit", args=[audit.pk]))
    data = {**form_data(page.context["form"]), **formset_data(page.context["team"])}
    data["version"] = hidden_value(page, "version")
    return data


def test_audit_details_edited_by_two_auditors(alice, bob, audit):
    url = reverse("audit-edit", args=[audit.pk])
    alices = _audit_form(alice, audit)
    assert bob.post(url, {**_audit_form(bob, audit), "title": "1177 Vårdguiden"}).status_code == 302

    data = {
        **alices,
        "title": "Granskning av 1177 Vårdguiden",
        "criteria_text": "Kommunallagen (2017:725)",
        "team-0-name": "Ida Ek",
    }
    page = alice.post(url, data)
    _assert_conflict(page, saved="1177 Vårdguiden", yours="Granskning av 1177 Vårdguiden")
    audit.refresh_from_db()
    assert audit.title == "1177 Vårdguiden"
    # Nothing of the refused save slipped through: not the criteria, not the team.
    assert not audit.criteria.exists()
    assert not audit.team.exists()

    page = alice.post(url, _resubmit(page, data))
    assert page.status_code == 302
    audit.refresh_from_db()
    assert audit.title == "Granskning av 1177 Vårdguiden"
    assert list(audit.criteria.values_list("text", flat=True)) == ["Kommunallagen (2017:725)"]
    assert list(audit.team.values_list("name", flat=True)) == ["Ida Ek"]


def test_a_lifecycle_move_makes_an_open_details_form_stale(alice, bob, audit):
    url = reverse("audit-edit", args=[audit.pk])
    alices = _audit_form(alice, audit)
    bob.post(reverse("audit-move", args=[audit.pk]), {"status": "ongoing"})
    page = alice.post(url, {**alices, "title": "Granskning av 1177 Vårdguiden"})
    _assert_conflict(page, saved="Granskning av 1177", yours="Granskning av 1177 Vårdguiden")
    audit.refresh_from_db()
    assert (audit.status, audit.title) == ("ongoing", "Granskning av 1177")


def test_recommendation_edited_by_two_auditors(alice, bob, audit, board):
    recommendation = Recommendation.objects.create(
        audit=audit, body=board, number=1, text="Sätt mål."
    )
    url = reverse("recommendation-edit", args=[recommendation.pk])
    field = f"rec-{recommendation.pk}-version"
    text_field = f"rec-{recommendation.pk}-text"
    alices = _open(alice, url, field, **HTMX)
    bob.post(url, {**_open(bob, url, field, **HTMX), text_field: "Sätt mål för telefon."}, **HTMX)
    data = {**alices, text_field: "Sätt mål och följ upp dem."}
    page = alice.post(url, data, **HTMX)
    _assert_conflict(page, saved="Sätt mål för telefon.", yours="Sätt mål och följ upp dem.")
    recommendation.refresh_from_db()
    assert recommendation.text == "Sätt mål för telefon."
    alice.post(url, _resubmit(page, data, field), **HTMX)
    recommendation.refresh_from_db()
    assert recommendation.text == "Sätt mål och följ upp dem."


@pytest.fixture
def measure(response) -> Measure:
    return Measure.objects.create(
        response=response,
        description="Ta fram mål.",
        responsible="Hälso- och sjukvårdsdirektör",
        original_due_date=D(2021, 12, 31),
    )


def test_measure_edited_by_two_secretaries(secretaries, measure):
    alice, bob = secretaries
    url = reverse("measure-edit", args=[measure.pk])
    alices = _open(alice, url)
    assert bob.post(url, {**_open(bob, url), "responsible": "Regiondirektör"}).status_code == 302
    data = {**alices, "responsible": "Verksamhetschef 1177"}
    page = alice.post(url, data)
    _assert_conflict(page, saved="Regiondirektör", yours="Verksamhetschef 1177")
    measure.refresh_from_db()
    assert measure.responsible == "Regiondirektör"
    assert alice.post(url, _resubmit(page, data)).status_code == 302
    measure.refresh_from_db()
    assert measure.responsible == "Verksamhetschef 1177"


def test_measure_revised_by_a_service_while_its_revise_form_is_open(secretaries, measure):
    alice, _bob = secretaries
    url = reverse("measure-revise", args=[measure.pk])
    alices = _open(alice, url)
    measure_revise(measure=measure, new_due_date=D(2022, 6, 30), reason="Ny budget.")
    data = {**alices, "revised_due_date": "2022-09-30", "revision_reason": "Ny organisation."}
    page = alice.post(url, data)
    _assert_conflict(page, saved="2022-06-30", yours="2022-09-30")
    assert ("Ny budget.", "Ny organisation.") in conflict_versions(page)
    measure.refresh_from_db()
    assert (measure.revised_due_date, measure.revision_reason) == (D(2022, 6, 30), "Ny budget.")
    assert alice.post(url, _resubmit(page, data)).status_code == 302
    measure.refresh_from_db()
    assert (measure.original_due_date, measure.revised_due_date) == (
        D(2021, 12, 31),
        D(2022, 9, 30),
    )


def test_measure_marked_done_while_someone_edits_it(secretaries, measure):
    alice, bob = secretaries
    url = reverse("measure-edit", args=[measure.pk])
    alices = _open(alice, url)
    complete = reverse("measure-complete", args=[measure.pk])
    bob.post(complete, {**_open(bob, complete), "completed_date": "2021-11-30"})
    page = alice.post(url, {**alices, "status": "in_progress"})
    assert page.status_code == 200
    assert sv("Someone else saved a change while you were editing.") in conflict_notice(page)
    measure.refresh_from_db()
    assert (measure.status, measure.completed_date) == ("done", D(2021, 11, 30))


def _response_form(browser, audit: Audit, board) -> dict[str, Any]:
    page = browser.get(reverse("response-edit", args=[audit.pk, board.pk]))
    data = form_data(page.context["form"])
    for answer_form in page.context["answer_forms"]:
        data.update(form_data(answer_form))
    if 'name="version" value=' in page.content.decode():
        data["version"] = hidden_value(page, "version")
    return data


def test_response_edited_by_two_secretaries(secretaries, issued_audit, board):
    alice, bob = secretaries
    recommendation = Recommendation.objects.create(
        audit=issued_audit, body=board, number=1, text="Sätt mål."
    )
    answer = {
        f"answer-{recommendation.pk}-stance": "accepted",
        f"answer-{recommendation.pk}-text": "Mål beslutas.",
    }
    url = reverse("response-edit", args=[issued_audit.pk, board.pk])
    first = {**_response_form(alice, issued_audit, board), "received_date": "2021-05-20", **answer}
    assert alice.post(url, first).status_code == 302

    alices = _response_form(alice, issued_audit, board)
    bobs = _response_form(bob, issued_audit, board)
    assert bob.post(url, {**bobs, "decision_reference": "RS 2021-05-18 §45"}).status_code == 302
    data = {
        **alices,
        "decision_reference": "RS 2021-05-18 §46",
        f"answer-{recommendation.pk}-text": "Mål beslutas i juni.",
    }
    page = alice.post(url, data)
    _assert_conflict(page, saved="RS 2021-05-18 §45", yours="RS 2021-05-18 §46")
    response = Response.objects.get()
    assert response.decision_reference == "RS 2021-05-18 §45"
    # The refused save changed no answer either.
    assert Answer.objects.get().text == "Mål beslutas."

    assert alice.post(url, _resubmit(page, data)).status_code == 302
    response.refresh_from_db()
    assert response.decision_reference == "RS 2021-05-18 §46"
    assert Answer.objects.get().text == "Mål beslutas i juni."


def test_first_response_recorded_by_two_secretaries_at_once(secretaries, issued_audit, board):
    # Both open the empty response form; Bob records the response first.
    alice, bob = secretaries
    recommendation = Recommendation.objects.create(
        audit=issued_audit, body=board, number=1, text="Sätt mål."
    )
    url = reverse("response-edit", args=[issued_audit.pk, board.pk])
    alices = _response_form(alice, issued_audit, board)
    bobs = _response_form(bob, issued_audit, board)
    stance = f"answer-{recommendation.pk}-stance"
    answer = f"answer-{recommendation.pk}-text"
    bobs.update({"decision_reference": "RS §45", stance: "accepted", answer: "Ja."})
    assert bob.post(url, bobs).status_code == 302
    alices.update({"decision_reference": "RS §46", stance: "rejected", answer: "Nej."})
    page = alice.post(url, alices)
    assert Response.objects.get().decision_reference == "RS §45"
    assert Answer.objects.get().text == "Ja."
    _assert_conflict(page, saved="RS §45", yours="RS §46")


def test_an_edit_without_its_version_shows_both_versions_not_saved(alice, audit):
    # A form without a version was opened before the row existed (or was tampered with):
    # the save is refused and both versions are shown, as for any other conflict.
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    page = alice.post(reverse("question-edit", args=[question.pk]), {"text": "Ändrad"}, **HTMX)
    assert page.status_code == 200
    question.refresh_from_db()
    assert question.text == "Finns mål?"
    _assert_conflict(page, saved="Finns mål?", yours="Ändrad")


# The rule itself ----------------------------------------------------------------------------


def test_the_second_save_with_the_same_expected_version_raises_edit_conflict(audit):
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    first = AuditQuestion.objects.get(pk=question.pk)
    second = AuditQuestion.objects.get(pk=question.pk)
    first.text = "Finns beslutade mål?"
    first.save(expected_version=1)
    assert first.version == 2
    second.text = "Finns mål för 1177?"
    with pytest.raises(EditConflict) as caught:
        second.save(expected_version=1)
    assert (caught.value.current.text, caught.value.current.version) == ("Finns beslutade mål?", 2)
    question.refresh_from_db()
    assert (question.text, question.version) == ("Finns beslutade mål?", 2)


def test_saving_a_deleted_row_is_a_conflict_with_nothing_current(audit):
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    stale = AuditQuestion.objects.get(pk=question.pk)
    question.delete()
    with pytest.raises(EditConflict) as caught:
        stale.save(expected_version=1)
    assert caught.value.current is None
    assert not AuditQuestion.objects.exists()


def test_every_save_moves_the_version_on(audit):
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    assert question.version == 1
    question.save()
    question.save(update_fields=["text"])
    question.refresh_from_db()
    assert question.version == 3


# Real concurrency (PostgreSQL) --------------------------------------------------------------


def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two connections writing at once need PostgreSQL")


def _in_thread(work, outcome: dict[str, str], name: str) -> threading.Thread:
    def run() -> None:
        try:
            work()
            outcome[name] = "saved"
        except EditConflict:
            outcome[name] = "conflict"
        except Exception as exc:  # reported by the assertion on the outcome
            outcome[name] = repr(exc)
        finally:
            connection.close()

    return threading.Thread(target=run, name=name)


@pytest.mark.django_db(transaction=True)
def test_concurrent_conditional_saves_never_both_win(region, scale):
    _postgres_only()
    audit = Audit.objects.create(region=region, title="1177", year=2021, rating_scale=scale)
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    for expected in range(1, 26):
        barrier = threading.Barrier(2)
        outcome: dict[str, str] = {}

        def save(name: str, expected: int = expected, barrier: threading.Barrier = barrier) -> None:
            copy = AuditQuestion.objects.get(pk=question.pk)
            copy.text = f"{name} {expected}"
            barrier.wait(timeout=10)  # both have read version `expected` before either saves
            copy.save(expected_version=expected)

        threads = [
            _in_thread(lambda name=name: save(name), outcome, name) for name in ("alice", "bob")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(outcome.values()) == ["conflict", "saved"], outcome
        winner = next(name for name, result in outcome.items() if result == "saved")
        question.refresh_from_db()
        assert (question.text, question.version) == (f"{winner} {expected}", expected + 1)


@pytest.mark.django_db(transaction=True)
def test_a_save_blocked_by_an_uncommitted_save_loses_when_that_commits(region, scale):
    _postgres_only()
    audit = Audit.objects.create(region=region, title="1177", year=2021, rating_scale=scale)
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    alice_saved, alice_may_commit = threading.Event(), threading.Event()
    outcome: dict[str, str] = {}

    def alice() -> None:
        with transaction.atomic():
            copy = AuditQuestion.objects.get(pk=question.pk)
            copy.text = "Alice"
            copy.save(expected_version=1)
            alice_saved.set()
            assert alice_may_commit.wait(timeout=10)

    def bob() -> None:
        assert alice_saved.wait(timeout=10)
        # Alice has not committed: Bob reads version 1, as a read-then-compare would.
        copy = AuditQuestion.objects.get(pk=question.pk)
        assert (copy.text, copy.version) == ("Finns mål?", 1)
        copy.text = "Bob"
        copy.save(expected_version=1)

    threads = [_in_thread(alice, outcome, "alice"), _in_thread(bob, outcome, "bob")]
    for thread in threads:
        thread.start()
    # Wait until Bob's conditional UPDATE is queued behind Alice's row lock.
    with connection.cursor() as cursor:
        for _ in range(200):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
            time.sleep(0.05)
        else:
            alice_may_commit.set()
            pytest.fail("Bob's save never waited for Alice's row lock")
    alice_may_commit.set()
    for thread in threads:
        thread.join(timeout=30)
    assert outcome == {"alice": "saved", "bob": "conflict"}
    question.refresh_from_db()
    assert (question.text, question.version) == ("Alice", 2)
