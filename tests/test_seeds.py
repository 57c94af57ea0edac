"""Each real document in shared/seeds fits the data model with nothing forced into free text.

Facts are read from the seed files themselves, so the tests follow the documents.
"""

from __future__ import annotations

import datetime
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from audits.models import (
    Assessment,
    AuditTeamMember,
    Criterion,
    QuestionSet,
    RatingLevel,
    SharedQuestion,
)
from audits.services import audit_create_from_question_set, audit_issue, audit_move
from recommendations.models import DecisionItem, Measure, Recommendation, Response
from recommendations.services import answer_record, narrative_response_record
from regions.models import Body, Indicator, Region, Target

SEEDS = Path(os.environ.get("SEEDS_DIR", Path(__file__).resolve().parents[2] / "shared" / "seeds"))
D = datetime.date


def _seed(name: str) -> str:
    path = SEEDS / name
    assert path.exists(), f"seed {path} is missing; set SEEDS_DIR"
    return path.read_text(encoding="utf-8")


def _flat(text: str) -> str:
    """Undo PDF line breaks and hyphenation so sentences can be found."""
    text = re.sub(r"-\s*\n\s*", "-", text)
    return re.sub(r"\s+", " ", text)


def _report_questions(report: str) -> list[str]:
    purpose = _flat(report).split("1.2 Syfte och revisionsfrågor", 2)[2]
    section = purpose.split("1.3 Revisionskriterier")[0]
    return [q.strip() for q in re.findall(r"● ([^●]+?\?)", section)]


def _report_ratings(report: str) -> list[str]:
    summary = _flat(report).split("Granskningens revisionsfrågor besvaras enligt följande:")[1]
    summary = summary.split("Rekommendationer")[0]
    return re.findall(r"Revisionsfrågan bedöms som (uppfylld|delvis uppfylld|ej uppfylld)", summary)


def _issued_1177_audit(region_name: str, code: str, body_name: str, questions: list[str]):
    region = Region.objects.create(name=region_name, code=code)
    body = Body.objects.create(region=region, name=body_name)
    question_set, _ = QuestionSet.objects.get_or_create(title="Granskning av 1177", year=2021)
    for position, text in enumerate(questions, start=1):
        SharedQuestion.objects.get_or_create(
            question_set=question_set, position=position, parent=None, defaults={"text": text}
        )
    scale = RatingLevel.objects.get(label="Uppfylld").scale
    audit = audit_create_from_question_set(
        question_set=question_set, region=region, rating_scale=scale, audit_firm="PwC"
    )
    for status in ("ongoing", "fact_check"):
        audit_move(audit=audit, status=status)
    audit_issue(
        audit=audit, bodies=[body], issued_date=D(2021, 2, 26), response_deadline=D(2021, 5, 31)
    )
    return audit, body


@pytest.fixture
def report_questions() -> list[str]:
    return _report_questions(_seed("norrbotten-1177-audit-report-2021.txt"))


def test_norrbotten_audit_report(db, report_questions):
    report = _seed("norrbotten-1177-audit-report-2021.txt")
    flat = _flat(report)
    assert len(report_questions) == 5
    audit, board = _issued_1177_audit(
        "Region Norrbotten", "norrbotten", "Regionstyrelsen", report_questions
    )
    for position, (name, title) in enumerate(
        re.findall(r"\n(\w+ \w+), (revisionskonsult|certifierad kommunal revisor)", report), 1
    ):
        role = "quality_reviewer" if title.startswith("certifierad") else "consultant"
        AuditTeamMember.objects.create(
            audit=audit, name=name, title=title, role=role, position=position
        )
    criteria = flat.split("1.3 Revisionskriterier", 2)[2].split("1.4 Avgränsning")[0]
    for position, text in enumerate(re.findall(r"● ([^●]+)", criteria), start=1):
        Criterion.objects.create(audit=audit, position=position, text=text.strip())

    levels = {level.label.lower(): level for level in audit.rating_scale.levels.all()}
    questions = list(audit.questions.order_by("position"))
    for question, rating in zip(questions, _report_ratings(report), strict=True):
        Assessment.objects.create(question=question, level=levels[rating])
    recommendations = flat.split("lämnas följande rekommendationer till regionstyrelsen:")[1]
    recommendations = recommendations.split("1. Inledning")[0]
    for number, text in enumerate(re.findall(r"● ([^●]+)", recommendations), start=1):
        Recommendation.objects.create(audit=audit, body=board, number=number, text=text.strip())

    assert audit.team.count() == 4
    assert audit.team.get(role="quality_reviewer").name == "Matti Leskelä"
    assert audit.criteria.count() == 3
    summary = [(q.position, q.assessment.level.label) for q in audit.questions.order_by("position")]
    assert summary == [
        (1, "Uppfylld"),
        (2, "Delvis uppfylld"),
        (3, "Delvis uppfylld"),
        (4, "Ej uppfylld"),
        (5, "Delvis uppfylld"),
    ]
    assert audit.recommendations.count() == 4
    assert all(q.shared_question is not None for q in questions)


def test_vastmanland_narrative_response(db, report_questions):
    text = _seed("vastmanland-1177-board-response.txt")
    assert "YTTRANDE ÖVER GRANSKNING AV 1177" in text
    audit, board = _issued_1177_audit(
        "Region Västmanland", "vastmanland", "Regionstyrelsen", report_questions
    )
    recommendation = Recommendation.objects.create(
        audit=audit, body=board, number=1, text="Sätt mål för 1177 på telefon."
    )
    narrative = _flat(text).split("Regionstyrelsens yttrande")[1].strip()
    response = narrative_response_record(
        response=Response(
            audit=audit,
            body=board,
            kind=Response.Kind.NARRATIVE,
            received_date=D(2021, 6, 10),
            narrative=narrative,
        )
    )
    recommendation.refresh_from_db()
    assert response.answers.count() == 0
    assert "24 minuter" in response.narrative
    assert recommendation.status == Recommendation.Status.ANSWERED


def test_vasterbotten_response_per_recommendation_with_measures_and_targets(db, report_questions):
    text = _seed("vasterbotten-1177-committee-response.txt")
    flat = _flat(text)
    audit, committee = _issued_1177_audit(
        "Region Västerbotten", "vasterbotten", "Hälso- och sjukvårdsnämnden", report_questions
    )
    # "1. <recommendation> Svar: <answer>" repeated, as the committee wrote it.
    parts = re.findall(r"(?:^| )(\d)\. (.+?) Svar: (.+?)(?= \d\. |$)", flat)
    assert [number for number, _, _ in parts] == ["1", "2", "3"]
    response = Response.objects.create(audit=audit, body=committee, received_date=D(2021, 6, 24))
    for number, recommendation_text, answer_text in parts:
        recommendation = Recommendation.objects.create(
            audit=audit, body=committee, number=int(number), text=recommendation_text.strip()
        )
        answer_record(
            response=response,
            recommendation=recommendation,
            stance="accepted",
            text=answer_text.strip(),
        )
    answered_share = int(re.search(r"att (\d+) procent av de inkommande samtalen", flat)[1])
    max_wait = int(re.search(r"inte ska vara längre än (\d+) min", flat)[1])
    answered = Indicator.objects.create(
        region=audit.region, unit="%", name="Andel besvarade samtal till 1177 på telefon"
    )
    wait = Indicator.objects.create(
        region=audit.region, unit="min", direction="lower", name="Medelväntetid 1177 på telefon"
    )
    targets = [
        Target.objects.create(indicator=answered, year=2021, value=answered_share),
        Target.objects.create(indicator=wait, year=2021, value=max_wait, comparator="lte"),
    ]
    measure = Measure.objects.create(
        response=response,
        description="Se över tillgänglighetsmålen i norra sjukvårdsregionen.",
        responsible="Hälso- och sjukvårdsnämnden",
        due_as_written="under hösten 2021",
        original_due_date=D(2021, 12, 31),
    )
    measure.recommendations.set(audit.recommendations.filter(number=2))
    measure.targets.set(targets)

    assert response.answers.count() == 3
    assert Recommendation.objects.filter(status="answered").count() == 3
    assert sorted(t.value for t in measure.targets.all()) == [Decimal(10), Decimal(85)]
    assert measure.targets.get(indicator=wait).get_comparator_display() == "högst"


def test_norrbotten_board_decision_with_decision_items(db, report_questions):
    text = _seed("norrbotten-1177-board-decision-678-2021.txt")
    flat = _flat(text)
    dnr = re.search(r"Dnr: (\d+-\d{4})", flat)[1]
    decision = flat.split("Regionstyrelsen beslutar att:")[1].split("Yttrande till")[0]
    items = re.findall(r"(\d)\) (.+?)(?= \d\) |$)", decision.strip())
    audit, board = _issued_1177_audit(
        "Region Norrbotten", "norrbotten", "Regionstyrelsen", report_questions
    )
    response = Response.objects.create(
        audit=audit,
        body=board,
        kind=Response.Kind.NARRATIVE,
        received_date=D(2021, 5, 6),
        reference_number=dnr,
        narrative=_flat(text).split("Sammanfattning")[1][:400],
    )
    for number, item in items:
        DecisionItem.objects.create(response=response, number=int(number), text=item.strip())
    Measure.objects.create(
        response=response,
        description=items[1][1],
        responsible="Regionstyrelsen",
        due_as_written="från 2022",
        original_due_date=D(2022, 1, 1),
    )

    assert response.reference_number == "678-2021"
    assert [i.number for i in response.decision_items.all()] == [1, 2, 3]
    assert response.decision_items.get(number=1).text.startswith("Fastställa föreslaget basutbud")
    assert response.measures.get().original_due_date == D(2022, 1, 1)
