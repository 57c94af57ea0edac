import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from audits.models import Audit, AuditQuestion
from recommendations.models import (
    Answer,
    FollowUp,
    Measure,
    Recommendation,
    Response,
)
from recommendations.services import (
    answer_record,
    followup_record,
    measure_complete,
    measure_revise,
    narrative_response_record,
)
from regions.models import Body

from ..conftest import sv
from ..helpers import assert_db_rejects, assert_invalid

D = datetime.date


def _measure(response: Response, **fields) -> Measure:
    values = {
        "description": "Ta fram en strategi.",
        "responsible": "Regiondirektör",
        "original_due_date": D(2021, 12, 31),
        **fields,
    }
    return Measure(response=response, **values)


def test_recommendation_numbers_are_unique_and_positive(recommendation):
    duplicate = Recommendation(
        audit=recommendation.audit, body=recommendation.body, number=1, text="x"
    )
    assert_invalid(duplicate, "The audit already has a recommendation with this number.")
    assert_db_rejects(duplicate, "recommendations_recommendation_unique_number")
    zero = Recommendation(audit=recommendation.audit, body=recommendation.body, number=0, text="x")
    assert_invalid(zero, "The number must be 1 or more.")
    assert_db_rejects(zero, "recommendations_recommendation_number_positive")


def test_recommendation_is_addressed_to_a_body_of_the_audits_region(issued_audit, other_region):
    foreign = Body.objects.create(region=other_region, name="Regionstyrelsen")
    assert_invalid(
        Recommendation(audit=issued_audit, body=foreign, number=2, text="x"),
        "The body must belong to the audit's region.",
    )


def test_recommendation_links_only_questions_of_its_audit(recommendation, region, scale):
    other = Audit.objects.create(region=region, title="Annan", year=2022, rating_scale=scale)
    foreign_question = AuditQuestion.objects.create(audit=other, position=1, text="x")
    with pytest.raises(ValidationError) as caught:
        recommendation.clean_questions([foreign_question])
    assert sv("Link only questions of the same audit.") in caught.value.messages


def test_one_response_per_body_and_audit(response):
    duplicate = Response(audit=response.audit, body=response.body, received_date=D(2021, 6, 1))
    assert_invalid(duplicate, "This body has already responded to this audit.")
    assert_db_rejects(duplicate, "recommendations_response_one_per_body")


def test_narrative_response_needs_its_text(issued_audit, board):
    empty = Response(
        audit=issued_audit, body=board, kind=Response.Kind.NARRATIVE, received_date=D(2021, 6, 1)
    )
    assert_invalid(empty, "A narrative response needs its text.")
    assert_db_rejects(empty, "recommendations_response_narrative_has_text")


def test_no_response_to_a_draft_or_before_the_issue_date(audit, board, issued_audit):
    early = Response(audit=issued_audit, body=board, received_date=D(2021, 1, 1))
    assert_invalid(early, "The response cannot arrive before the audit was issued.")
    issued_audit.status = Audit.Status.ONGOING
    issued_audit.issued_date = issued_audit.response_deadline = None
    issued_audit.save()
    assert_invalid(
        Response(audit=issued_audit, body=board, received_date=D(2021, 6, 1)),
        "A response can be recorded only after the audit is issued.",
    )


def test_answer_must_match_the_responses_body_and_form(response, recommendation, other_region):
    second_body = Body.objects.create(region=response.audit.region, name="HSN")
    other_rec = Recommendation.objects.create(
        audit=response.audit, body=second_body, number=2, text="x"
    )
    assert_invalid(
        Answer(response=response, recommendation=other_rec, stance="accepted", text="x"),
        "The recommendation is addressed to another body.",
    )
    response.kind = Response.Kind.NARRATIVE
    response.narrative = "Ett sammanhållet yttrande."
    assert_invalid(
        Answer(response=response, recommendation=recommendation, stance="accepted", text="x"),
        "A narrative response has no per-recommendation answers.",
    )


def test_answering_marks_the_recommendation_answered_once(response, recommendation):
    answer_record(response=response, recommendation=recommendation, stance="accepted", text="Ja.")
    answer_record(response=response, recommendation=recommendation, stance="partly", text="Delvis.")
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.ANSWERED
    assert Answer.objects.get().stance == "partly"
    duplicate = Answer(
        response=response, recommendation=recommendation, stance="accepted", text="x"
    )
    assert_invalid(duplicate, "The response already answers this recommendation.")


def test_narrative_response_answers_every_recommendation_to_the_body(
    issued_audit, board, recommendation
):
    response = Response(
        audit=issued_audit,
        body=board,
        kind=Response.Kind.NARRATIVE,
        received_date=D(2021, 6, 1),
        narrative="Styrelsen arbetar vidare.",
    )
    narrative_response_record(response=response)
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.ANSWERED


def test_revised_due_date_needs_a_reason_and_keeps_the_original(response):
    measure = _measure(response, revised_due_date=D(2022, 6, 30))
    assert_invalid(measure, "A revised due date needs a reason.")
    assert_db_rejects(measure, "recommendations_measure_revision_has_reason")
    measure = _measure(response)
    measure.save()
    with pytest.raises(ValidationError):
        measure_revise(measure=measure, new_due_date=D(2022, 6, 30), reason="   ")
    measure_revise(measure=measure, new_due_date=D(2022, 6, 30), reason="Pandemin.")
    measure.refresh_from_db()
    assert measure.original_due_date == D(2021, 12, 31)
    assert measure.due_date == D(2022, 6, 30)


def test_revised_date_equal_to_original_is_refused(response):
    assert_invalid(
        _measure(response, revised_due_date=D(2021, 12, 31), revision_reason="x"),
        "The revised date is the same as the original.",
    )


def test_done_and_completion_date_go_together(response):
    done = _measure(response, status=Measure.Status.DONE)
    assert_invalid(done, "A measure marked done needs its completion date.")
    assert_db_rejects(done, "recommendations_measure_done_has_date")
    early = _measure(response, completed_date=D(2021, 6, 1))
    assert_invalid(early, "Only a measure marked done has a completion date.")
    assert_db_rejects(early, "recommendations_measure_date_only_when_done")
    measure = _measure(response)
    measure.save()
    measure_complete(measure=measure, completed_date=D(2021, 11, 1))
    assert Measure.objects.get().status == Measure.Status.DONE


def test_overdue_measures_use_the_revised_date(response):
    today = D(2022, 3, 1)
    late = _measure(response, description="Sen")
    late.save()
    moved = _measure(
        response, description="Flyttad", revised_due_date=D(2022, 6, 30), revision_reason="Ny plan."
    )
    moved.save()
    finished = _measure(
        response, description="Klar", status=Measure.Status.DONE, completed_date=D(2021, 12, 1)
    )
    finished.save()
    assert list(Measure.objects.overdue(today)) == [late]
    assert late.is_overdue(today) and not moved.is_overdue(today)
    assert not finished.is_overdue(today)


def test_follow_up_is_never_overwritten_or_deleted(recommendation):
    first = followup_record(
        recommendation=recommendation,
        date=D(2022, 3, 15),
        assessment=FollowUp.Assessment.PARTLY,
        comment="Pågår.",
    )
    first.comment = "Omskrivet i efterhand"
    with pytest.raises(ValidationError) as caught:
        first.save()
    assert sv("A follow-up cannot be changed; record a new one instead.") in caught.value.messages
    with pytest.raises(ValidationError):
        first.delete()
    assert FollowUp.objects.get().comment == "Pågår."


def test_latest_follow_up_sets_the_recommendation_status(recommendation):
    followup_record(
        recommendation=recommendation, date=D(2022, 3, 15), assessment=FollowUp.Assessment.PARTLY
    )
    followup_record(
        recommendation=recommendation,
        date=D(2023, 3, 15),
        assessment=FollowUp.Assessment.IMPLEMENTED,
    )
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.IMPLEMENTED
    assert recommendation.follow_ups.count() == 2
    # An older follow-up entered late does not override the newer assessment.
    followup_record(
        recommendation=recommendation,
        date=D(2022, 9, 1),
        assessment=FollowUp.Assessment.NOT_IMPLEMENTED,
    )
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.IMPLEMENTED


def test_follow_up_cannot_predate_the_issue(recommendation):
    with pytest.raises(ValidationError) as caught:
        followup_record(
            recommendation=recommendation, date=D(2020, 1, 1), assessment=FollowUp.Assessment.PARTLY
        )
    assert sv("A follow-up cannot be dated before the audit was issued.") in (caught.value.messages)


def test_answered_work_cannot_be_deleted(response, recommendation):
    answer_record(response=response, recommendation=recommendation, stance="accepted", text="Ja")
    _measure(response).save()
    followup_record(
        recommendation=recommendation, date=D(2022, 3, 15), assessment=FollowUp.Assessment.PARTLY
    )
    for obj in (response, recommendation, response.audit, response.body):
        with pytest.raises(ProtectedError):
            obj.delete()
    assert Answer.objects.count() == 1 and Measure.objects.count() == 1


def test_measure_addresses_only_the_responding_bodys_recommendations(response, recommendation):
    other_body = Body.objects.create(region=response.audit.region, name="HSN")
    elsewhere = Recommendation.objects.create(
        audit=response.audit, body=other_body, number=2, text="x"
    )
    measure = _measure(response)
    with pytest.raises(ValidationError) as caught:
        measure.clean_recommendations([recommendation, elsewhere])
    assert caught.value.message_dict["recommendations"] == [
        sv("Link only recommendations addressed to the responding body in this audit.")
    ]
    measure.clean_recommendations([recommendation])
