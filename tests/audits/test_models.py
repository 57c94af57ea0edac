import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from audits.models import (
    Assessment,
    Audit,
    AuditQuestion,
    AuditTeamMember,
    QuestionSet,
    RatingLevel,
    RatingScale,
    SharedQuestion,
)
from audits.services import audit_create_from_question_set, audit_issue, audit_move
from regions.models import Body

from ..conftest import sv
from ..helpers import assert_db_rejects, assert_invalid


def test_the_four_common_scales_ship_as_data_best_level_first(db):
    labels = {
        scale.code: [level.label for level in scale.levels.order_by("rank")]
        for scale in RatingScale.objects.all()
    }
    assert labels["uppfylld"] == ["Uppfylld", "Delvis uppfylld", "Ej uppfylld"]
    assert labels["ja-delvis-nej"] == ["Ja", "Delvis", "Nej"]
    assert labels["fyrgradig"] == ["I allt väsentligt", "Till övervägande del", "Delvis", "Nej"]
    assert labels["trafikljus"] == ["Grön", "Gul", "Röd"]


def test_rating_level_rank_and_label_are_unique_in_a_scale(scale):
    assert_invalid(
        RatingLevel(scale=scale, label="Uppfylld", rank=9, colour="#000000", tone="positive"),
        "The scale already has a level with this label.",
    )
    same_rank = RatingLevel(scale=scale, label="Nytt", rank=1, colour="#000000", tone="positive")
    assert_invalid(same_rank, "The scale already has a level with this rank.")
    assert_db_rejects(same_rank, "audits_ratinglevel_unique_rank")


def test_rating_level_rank_starts_at_one_and_colour_is_hex(scale):
    zero = RatingLevel(scale=scale, label="Noll", rank=0, colour="#00000", tone="positive")
    with pytest.raises(ValidationError) as caught:
        zero.full_clean()
    assert sv("The rank must be 1 or more.") in caught.value.messages
    assert (
        sv("Enter a colour as # followed by six hex digits, e.g. #1a7f37.")
        in (caught.value.message_dict["colour"])
    )
    zero.colour = "#000000"
    assert_db_rejects(zero, "audits_ratinglevel_rank_positive")


def test_reference_number_is_unique_per_region_but_may_be_blank(audit, region, scale):
    audit.reference_number = "Nr 11/2021"
    audit.save()
    duplicate = Audit(
        region=region, title="Annan", year=2021, rating_scale=scale, reference_number="Nr 11/2021"
    )
    assert_invalid(duplicate, "The region already has an audit with this reference.")
    assert_db_rejects(duplicate, "audits_audit_unique_reference")
    Audit.objects.create(region=region, title="Utan dnr 1", year=2021, rating_scale=scale)
    Audit.objects.create(region=region, title="Utan dnr 2", year=2021, rating_scale=scale)


def test_audit_year_must_be_plausible(audit):
    audit.year = 1850
    with pytest.raises(ValidationError) as caught:
        audit.full_clean()
    assert caught.value.message_dict["year"] == [
        "Kontrollera att detta värde är större än eller lika med 1990."
    ]
    assert_db_rejects(audit, "audits_audit_year_range")


def test_response_deadline_cannot_precede_issue(audit):
    audit.issued_date = datetime.date(2021, 3, 1)
    audit.response_deadline = datetime.date(2021, 2, 1)
    assert_invalid(audit, "The response deadline cannot be before the issue date.")
    assert_db_rejects(audit, "audits_audit_deadline_after_issue")


def test_issued_audit_needs_issue_date_and_deadline(audit):
    audit.status = Audit.Status.ISSUED
    assert_invalid(audit, "An issued audit needs an issue date and a response deadline.")
    assert_db_rejects(audit, "audits_audit_issued_has_dates")


def test_follow_up_audit_must_follow_another_audit_of_the_same_region(audit, other_region, scale):
    audit.follows_up = audit
    assert_invalid(audit, "An audit cannot follow up itself.")
    foreign = Audit.objects.create(region=other_region, title="1177", year=2021, rating_scale=scale)
    audit.follows_up = foreign
    assert_invalid(audit, "The earlier audit belongs to another region.")


def test_lifecycle_moves_forward_and_refuses_jumps(audit):
    assert audit.is_draft
    audit_move(audit=audit, status=Audit.Status.ONGOING)
    audit_move(audit=audit, status=Audit.Status.FACT_CHECK)
    with pytest.raises(ValidationError) as caught:
        audit_move(audit=audit, status=Audit.Status.CLOSED)
    assert "sakgranskning" in caught.value.messages[0].lower()
    assert Audit.objects.get(pk=audit.pk).status == Audit.Status.FACT_CHECK


def test_issuing_sets_deadline_and_bodies(audit, board, other_region):
    audit.status = Audit.Status.FACT_CHECK
    audit.save()
    foreign = Body.objects.create(region=other_region, name="Regionstyrelsen")
    with pytest.raises(ValidationError) as caught:
        audit_issue(
            audit=audit,
            bodies=[foreign],
            issued_date=datetime.date(2021, 2, 26),
            response_deadline=datetime.date(2021, 5, 31),
        )
    assert sv("The report can only be sent to bodies of the audit's region.") in (
        caught.value.messages
    )
    audit_issue(
        audit=audit,
        bodies=[board],
        issued_date=datetime.date(2021, 2, 26),
        response_deadline=datetime.date(2021, 5, 31),
    )
    audit.refresh_from_db()
    assert audit.status == Audit.Status.ISSUED
    assert audit.response_deadline == datetime.date(2021, 5, 31)
    assert list(audit.audited_bodies.all()) == [board]
    assert not audit.is_draft


def test_question_positions_are_unique_among_siblings(audit, question):
    duplicate = AuditQuestion(audit=audit, position=1, text="Dubblett")
    assert_invalid(duplicate, "The audit already has a question at this position.")
    assert_db_rejects(duplicate, "audits_auditquestion_unique_position")
    sub = AuditQuestion.objects.create(audit=audit, parent=question, position=1, text="Delfråga")
    assert sub.number == "1.1"
    assert_db_rejects(
        AuditQuestion(audit=audit, parent=question, position=1, text="x"),
        "audits_auditquestion_unique_sub_position",
    )


def test_questions_list_in_report_order_on_every_database(audit, question):
    # Created out of order so the default ordering, not insertion order, decides.
    second = AuditQuestion.objects.create(audit=audit, position=2, text="Andra")
    AuditQuestion.objects.create(audit=audit, parent=second, position=2, text="Andra b")
    AuditQuestion.objects.create(audit=audit, parent=question, position=1, text="Första a")
    AuditQuestion.objects.create(audit=audit, parent=second, position=1, text="Andra a")
    numbers = [q.number for q in AuditQuestion.objects.filter(audit=audit).select_related("parent")]
    assert numbers == ["1", "1.1", "2", "2.1", "2.2"]


def test_sub_questions_are_one_level_deep_and_in_the_same_audit(audit, question, region, scale):
    sub = AuditQuestion.objects.create(audit=audit, parent=question, position=1, text="Delfråga")
    assert_invalid(
        AuditQuestion(audit=audit, parent=sub, position=1, text="x"),
        "Sub-questions cannot have sub-questions of their own.",
    )
    other = Audit.objects.create(region=region, title="Annan", year=2022, rating_scale=scale)
    assert_invalid(
        AuditQuestion(audit=other, parent=question, position=1, text="x"),
        "The main question belongs to another audit.",
    )


def test_assessment_level_must_come_from_the_audits_scale(question):
    yes = RatingLevel.objects.get(scale__code="ja-delvis-nej", label="Ja")
    with pytest.raises(ValidationError) as caught:
        Assessment(question=question, level=yes).full_clean()
    expected = sv("Choose a level from the audit's rating scale (%(scale)s).") % {
        "scale": question.audit.rating_scale
    }
    assert expected in caught.value.messages


def test_a_question_has_one_assessment(question, scale):
    level = scale.levels.get(rank=1)
    Assessment.objects.create(question=question, level=level)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(question=question, level=level)


def test_an_audit_has_one_quality_reviewer(audit):
    AuditTeamMember.objects.create(audit=audit, name="Matti Leskelä", role="quality_reviewer")
    second = AuditTeamMember(audit=audit, name="Någon annan", role="quality_reviewer")
    assert_invalid(second, "The audit already has a quality reviewer.")
    assert_db_rejects(second, "audits_auditteammember_one_quality_reviewer")


def test_audit_from_question_set_copies_questions_and_sub_questions(region, scale):
    question_set = QuestionSet.objects.create(title="Granskning av 1177", year=2021)
    main = SharedQuestion.objects.create(question_set=question_set, position=1, text="Huvudfråga")
    SharedQuestion.objects.create(
        question_set=question_set, parent=main, position=1, text="Delfråga"
    )
    SharedQuestion.objects.create(question_set=question_set, position=2, text="Andra frågan")
    audit = audit_create_from_question_set(
        question_set=question_set, region=region, rating_scale=scale
    )
    copies = {q.number: q for q in audit.questions.all()}
    assert sorted(copies) == ["1", "1.1", "2"]
    assert copies["1.1"].parent == copies["1"]
    assert copies["1.1"].shared_question.text == "Delfråga"
    assert audit.title == "Granskning av 1177"


def test_copy_of_a_question_from_another_set_is_refused(audit):
    question_set = QuestionSet.objects.create(title="Annan", year=2021)
    shared = SharedQuestion.objects.create(question_set=question_set, position=1, text="x")
    assert_invalid(
        AuditQuestion(audit=audit, shared_question=shared, position=2, text="x"),
        "The shared question is not from the audit's question set.",
    )


def test_draft_audit_without_recommendations_can_be_deleted(audit, question, scale):
    Assessment.objects.create(question=question, level=scale.levels.get(rank=1))
    audit.delete()
    assert not AuditQuestion.objects.exists()


def test_audit_with_recommendations_cannot_be_deleted(recommendation):
    with pytest.raises(ProtectedError):
        recommendation.audit.delete()
    assert Audit.objects.filter(pk=recommendation.audit_id).exists()


def test_rating_level_in_use_cannot_be_deleted(question, scale):
    level = scale.levels.get(rank=1)
    Assessment.objects.create(question=question, level=level)
    with pytest.raises(ProtectedError):
        level.delete()


def test_audited_bodies_and_indicators_come_from_the_audits_region(audit, board, other_region):
    from regions.models import Indicator

    foreign_body = Body.objects.create(region=other_region, name="Regionstyrelsen")
    foreign_indicator = Indicator.objects.create(region=other_region, name="Väntetid", unit="min")
    with pytest.raises(ValidationError) as caught:
        audit.clean_related(bodies=[board, foreign_body], indicators=[foreign_indicator])
    assert caught.value.message_dict == {
        "audited_bodies": [sv("Choose bodies of the audit's region.")],
        "indicators": [sv("Choose indicators of the audit's region.")],
    }
    audit.clean_related(bodies=[board], indicators=[])


def test_rating_again_keeps_the_written_reasoning(question, scale):
    from audits.services import assessment_set

    assessment_set(question=question, level=scale.levels.get(rank=2), reasoning="Skälen.")
    assessment_set(question=question, level=scale.levels.get(rank=3), comment="Kort.")
    assessment = Assessment.objects.get(question=question)
    assert (assessment.level.rank, assessment.reasoning, assessment.comment) == (
        3,
        "Skälen.",
        "Kort.",
    )
