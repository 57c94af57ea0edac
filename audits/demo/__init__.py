"""Loads the demo: three regions' coordinated 1177 audit, responses, measures, users.

Idempotent: every row is found by its natural key before it is created, and nothing
that exists is changed, so a second run leaves the database as it was.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from audits.models import (
    Assessment,
    Audit,
    AuditQuestion,
    AuditTeamMember,
    Criterion,
    Observation,
    QuestionSet,
    RatingLevel,
    RatingScale,
    SharedQuestion,
)
from audits.services import audit_create_from_question_set
from recommendations.models import Answer, DecisionItem, Measure, Recommendation, Response
from recommendations.services import (
    answer_record,
    followup_record,
    narrative_response_record,
)
from regions.models import Area, Body, Indicator, Membership, Outcome, Region, Target, Unit, User

from . import content

DEMO_PASSWORD = "granskning-demo"  # noqa: S105 - a published demo login, never production
ROLE_USERNAMES = {
    Membership.Role.AUDITOR: "revisor",
    Membership.Role.AUDIT_OFFICE: "revisionskontor",
    Membership.Role.SECRETARY: "sekreterare",
    Membership.Role.READER: "lasare",
}
ROLE_PEOPLE = {
    "norrbotten": {
        "revisor": ("Anna", "Lind"),
        "revisionskontor": ("Karin", "Berg"),
        "sekreterare": ("Jonas", "Nilsson"),
        "lasare": ("Per", "Öberg"),
    },
    "vastmanland": {
        "revisor": ("Lars", "Holm"),
        "revisionskontor": ("Eva", "Sundin"),
        "sekreterare": ("Maria", "Ek"),
        "lasare": ("Olle", "Strand"),
    },
    "vasterbotten": {
        "revisor": ("Sara", "Lundgren"),
        "revisionskontor": ("Johan", "Wik"),
        "sekreterare": ("Lina", "Forsberg"),
        "lasare": ("Erik", "Dahl"),
    },
}


@dataclass
class DemoLogin:
    username: str
    region: str
    role: str


@dataclass
class DemoResult:
    logins: list[DemoLogin] = field(default_factory=list)


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _get_or_create(model: type, defaults: dict[str, Any] | None = None, **lookup: Any):
    obj, _ = model.objects.get_or_create(defaults=defaults or {}, **lookup)
    return obj


@transaction.atomic
def load_demo(*, today: datetime.date) -> DemoResult:
    result = DemoResult()
    scale = RatingScale.objects.get(code="uppfylld")
    levels = {level.label: level for level in scale.levels.all()}
    question_set = _load_question_set()
    regions = {spec["code"]: _load_region(spec) for spec in content.REGIONS}
    users = {code: _load_users(region, result) for code, region in regions.items()}
    _load_indicators(regions)

    audits = {}
    for code, region in regions.items():
        audits[code] = _load_audit(region, question_set, scale, levels, code)
        # The 1177 reports quote the region's 1177 figures against their targets.
        audits[code].indicators.add(*Indicator.objects.filter(region=region))
    _load_norrbotten(audits["norrbotten"], regions["norrbotten"], users["norrbotten"], today)
    _load_vastmanland(audits["vastmanland"], today)
    _load_vasterbotten(
        audits["vasterbotten"], regions["vasterbotten"], users["vasterbotten"], today
    )
    _load_draft_follow_up(audits["norrbotten"], scale)
    _load_awaiting_response(audits["vasterbotten"], scale, levels, today)
    # Each region's auditor gets the copies of the response reminders for its audits.
    for code, region in regions.items():
        Audit.objects.filter(region=region, responsible_auditor__isnull=True).update(
            responsible_auditor=users[code]["revisor"]
        )
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        User.objects.create_superuser(
            "admin",
            "admin@example.invalid",
            DEMO_PASSWORD,
            first_name="Demo",
            last_name="Administratör",
        )
    result.logins.insert(0, DemoLogin("admin", "–", "superuser"))
    return result


def _load_question_set() -> QuestionSet:
    spec = content.QUESTION_SET
    question_set = _get_or_create(
        QuestionSet,
        title=spec["title"],
        year=spec["year"],
        defaults={"coordinator": spec["coordinator"], "description": spec["description"]},
    )
    for position, text in enumerate(content.QUESTIONS, start=1):
        _get_or_create(
            SharedQuestion,
            question_set=question_set,
            parent=None,
            position=position,
            defaults={"text": text},
        )
    return question_set


def _load_region(spec: dict[str, Any]) -> Region:
    region = _get_or_create(
        Region,
        code=spec["code"],
        defaults={"name": spec["name"], "public_page": spec.get("public_page", False)},
    )
    for name, short_name, kind in spec["bodies"]:
        _get_or_create(
            Body, region=region, name=name, defaults={"short_name": short_name, "kind": kind}
        )
    for area_name, unit_names in spec["areas"].items():
        area = _get_or_create(Area, region=region, name=area_name)
        for unit_name in unit_names:
            _get_or_create(Unit, area=area, name=unit_name, defaults={"kind": "hälsocentral"})
    return region


def _load_users(region: Region, result: DemoResult) -> dict[str, User]:
    users = {}
    for role, prefix in ROLE_USERNAMES.items():
        username = f"{prefix}.{region.code}"
        first, last = ROLE_PEOPLE[region.code][prefix]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username,
                f"{username}@example.invalid",
                DEMO_PASSWORD,
                first_name=first,
                last_name=last,
            )
        membership = _get_or_create(
            Membership,
            user=user,
            region=region,
            role=role,
            defaults={"is_chair": role == Membership.Role.AUDITOR},
        )
        if role == Membership.Role.SECRETARY and not membership.bodies.exists():
            body_name = (
                "Regionstyrelsen"
                if region.code != "vasterbotten"
                else ("Hälso- och sjukvårdsnämnden")
            )
            membership.bodies.add(Body.objects.get(region=region, name=body_name))
        users[prefix] = user
        result.logins.append(DemoLogin(username, region.name, role.label))
    return users


def _load_indicators(regions: dict[str, Region]) -> None:
    def indicator(region: str, name: str, unit: str, direction: str = "higher") -> Indicator:
        return _get_or_create(
            Indicator,
            region=regions[region],
            name=name,
            defaults={"unit": unit, "direction": direction, "source": "Inera"},
        )

    logged_in = indicator("norrbotten", "Andel invånare som loggat in på 1177", "%")
    _get_or_create(
        Target,
        indicator=logged_in,
        year=2021,
        defaults={"value": 60, "set_by": "Regionstyrelsens plan 2020–2022"},
    )
    for year, value in ((2016, 31), (2019, 56), (2020, 83)):
        _get_or_create(
            Outcome,
            indicator=logged_in,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            defaults={"value": value},
        )
    answered = indicator("norrbotten", "Andel besvarade samtal till 1177 på telefon", "%")
    _get_or_create(
        Target,
        indicator=answered,
        year=2020,
        defaults={"value": 85, "set_by": "Verksamhetsplan, norra sjukvårdsregionen"},
    )
    for year, value in ((2018, "71.28"), (2020, "79.50")):
        _get_or_create(
            Outcome,
            indicator=answered,
            period_start=datetime.date(year, 10, 1),
            period_end=datetime.date(year, 10, 31),
            defaults={"value": value},
        )
    # Satisfaction as Nöjd Kund Index; the report follows it without a target of its own.
    satisfaction = indicator("norrbotten", "Nöjd Kund Index (NKI) för 1177 på telefon", "index")
    for year, value in ((2018, 82), (2019, 83)):
        _get_or_create(
            Outcome,
            indicator=satisfaction,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            defaults={"value": value},
        )
    wait = indicator("vastmanland", "Medelväntetid 1177 på telefon", "min", "lower")
    _get_or_create(
        Outcome,
        indicator=wait,
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
        defaults={"value": 24},
    )
    vb_answered = indicator("vasterbotten", "Andel besvarade samtal till 1177 på telefon", "%")
    _get_or_create(
        Target,
        indicator=vb_answered,
        year=2021,
        defaults={"value": 85, "comparator": "gte", "set_by": "Hälso- och sjukvårdsnämnden"},
    )
    vb_wait = indicator("vasterbotten", "Medelväntetid 1177 på telefon", "min", "lower")
    _get_or_create(
        Target,
        indicator=vb_wait,
        year=2021,
        defaults={"value": 10, "comparator": "lte", "set_by": "Hälso- och sjukvårdsnämnden"},
    )


def _load_audit(
    region: Region,
    question_set: QuestionSet,
    scale: RatingScale,
    levels: dict[str, RatingLevel],
    code: str,
) -> Audit:
    audit = Audit.objects.filter(region=region, question_set=question_set).first()
    spec = content.NORRBOTTEN_AUDIT if code == "norrbotten" else content.OTHER_AUDITS[code]
    if audit is None:
        audit = audit_create_from_question_set(
            question_set=question_set,
            region=region,
            rating_scale=scale,
            kind=Audit.Kind.IN_DEPTH,
            status=spec["status"],
            reference_number=spec["reference_number"],
            issued_date=_date(spec["issued_date"]),
            response_deadline=_date(spec["response_deadline"]),
            purpose=content.PURPOSE,
            overall_assessment=spec["overall_assessment"],
            audit_firm="PwC",
            **{key: spec[key] for key in ("background", "scope", "method") if key in spec},
        )
    body_name = spec.get("body", "Regionstyrelsen")
    body = Body.objects.get(region=region, name=body_name)
    audit.audited_bodies.add(body)
    questions = {q.position: q for q in audit.questions.filter(parent=None)}
    for position, (label, comment) in enumerate(content.RATINGS[code], start=1):
        _get_or_create(
            Assessment,
            question=questions[position],
            defaults={"level": levels[label], "comment": comment},
        )
    for number, text, question_positions in spec["recommendations"]:
        recommendation = Recommendation.objects.filter(audit=audit, number=number).first()
        if recommendation is None:
            recommendation = Recommendation.objects.create(
                audit=audit, number=number, body=body, text=text
            )
            recommendation.questions.set([questions[p] for p in question_positions])
    for position, (name, title, role) in enumerate(spec.get("team", []), start=1):
        _get_or_create(
            AuditTeamMember,
            audit=audit,
            name=name,
            defaults={"title": title, "role": role, "position": position},
        )
    for position, text in enumerate(spec.get("criteria", []), start=1):
        _get_or_create(Criterion, audit=audit, position=position, defaults={"text": text})
    for question_position, observations in spec.get("observations", {}).items():
        for position, (heading, text) in enumerate(observations, start=1):
            _get_or_create(
                Observation,
                question=questions[question_position],
                position=position,
                defaults={"heading": heading, "text": text},
            )
    return audit


def _narrative_response(audit: Audit, body: Body, **fields: Any) -> Response:
    response = Response.objects.filter(audit=audit, body=body).first()
    if response is None:
        response = narrative_response_record(
            response=Response(audit=audit, body=body, kind=Response.Kind.NARRATIVE, **fields)
        )
    return response


def _measure(
    response: Response, description: str, recommendations: list[Recommendation], **fields: Any
) -> Measure:
    measure = Measure.objects.filter(response=response, description=description).first()
    if measure is None:
        measure = Measure.objects.create(response=response, description=description, **fields)
        measure.recommendations.set(recommendations)
    return measure


def _load_norrbotten(
    audit: Audit, region: Region, users: dict[str, User], today: datetime.date
) -> None:
    spec = content.NORRBOTTEN_DECISION
    board = Body.objects.get(region=region, name="Regionstyrelsen")
    response = _narrative_response(
        audit,
        board,
        received_date=_date(spec["received_date"]),
        decision_date=_date(spec["decision_date"]),
        decision_reference=spec["decision_reference"],
        reference_number=spec["reference_number"],
        narrative=spec["narrative"],
    )
    for number, text in enumerate(spec["items"], start=1):
        _get_or_create(DecisionItem, response=response, number=number, defaults={"text": text})
    recs = {r.number: r for r in audit.recommendations.all()}
    _measure(
        response,
        "Fastställa basutbudet av vårdnära digitala tjänster.",
        [recs[1], recs[3]],
        responsible="Regionstyrelsen",
        original_due_date=_date("2021-05-04"),
        status=Measure.Status.DONE,
        completed_date=_date("2021-05-04"),
    )
    _measure(
        response,
        "Införa basutbudet i alla vårdverksamheter och i beställningen för vårdval primärvård.",
        [recs[3]],
        responsible="Hälso- och sjukvårdsdirektör",
        due_as_written="från 2022",
        original_due_date=_date("2022-01-01"),
        status=Measure.Status.DONE,
        completed_date=_date("2022-01-10"),
    )
    _measure(
        response,
        "Följa upp användningen av de digitala tjänsterna och rapportera till regionstyrelsen.",
        [recs[1]],
        responsible="Regiondirektör",
        responsible_user=users["sekreterare"],
        original_due_date=_date("2022-06-30"),
        revised_due_date=today - datetime.timedelta(days=45),
        revision_reason="Rapporteringen samordnas med årsredovisningen.",
        status=Measure.Status.IN_PROGRESS,
    )
    follow_ups = {
        1: ("partly", "Basutbudet är beslutat; uppföljningen per mottagning saknas."),
        2: ("not_implemented", "Inga tillgänglighetsmål för telefon är beslutade."),
        3: ("implemented", "Basutbudet ingår i vårdvalsbeställningen från 2022."),
        4: ("partly", "Informationsinsatser pågår men är inte utvärderade."),
    }
    for number, (assessment, comment) in follow_ups.items():
        if not recs[number].follow_ups.exists():
            followup_record(
                recommendation=recs[number],
                date=_date("2022-03-15"),
                assessment=assessment,
                comment=comment,
                recorded_by=users["revisor"],
            )


def _load_vastmanland(audit: Audit, today: datetime.date) -> None:
    board = Body.objects.get(region=audit.region, name="Regionstyrelsen")
    response = _narrative_response(
        audit,
        board,
        received_date=_date("2021-06-10"),
        decision_reference="RS 2021-06-08 §98",
        narrative=content.VASTMANLAND_NARRATIVE,
    )
    recs = {r.number: r for r in audit.recommendations.all()}
    _measure(
        response,
        "Ta hänsyn till revisorernas synpunkter i det nya primärvårdsprogrammet.",
        [recs[2]],
        responsible="Hälso- och sjukvårdsdirektör",
        original_due_date=_date("2022-12-31"),
        revised_due_date=today - datetime.timedelta(days=10),
        revision_reason="Programmet försenades av pandemin.",
        status=Measure.Status.IN_PROGRESS,
    )


def _load_vasterbotten(
    audit: Audit, region: Region, users: dict[str, User], today: datetime.date
) -> None:
    committee = Body.objects.get(region=region, name="Hälso- och sjukvårdsnämnden")
    response = _get_or_create(
        Response,
        audit=audit,
        body=committee,
        defaults={
            "kind": Response.Kind.PER_RECOMMENDATION,
            "received_date": _date("2021-06-24"),
            "decision_reference": "HSN 2021-06-17 §85",
            "reference_number": "RVN 2021-00412",
        },
    )
    recs = {r.number: r for r in audit.recommendations.all()}
    for number, (stance, text) in content.VASTERBOTTEN_ANSWERS.items():
        if not Answer.objects.filter(response=response, recommendation=recs[number]).exists():
            answer_record(response=response, recommendation=recs[number], stance=stance, text=text)
    targets = list(Target.objects.filter(indicator__region=region, year=2021))
    _measure(
        response,
        "Ta fram en ny digitaliseringsstrategi med 1177 som utvecklingsområde.",
        [recs[1]],
        responsible="Regiondirektör",
        due_as_written="under hösten 2021",
        original_due_date=_date("2021-12-31"),
        status=Measure.Status.DONE,
        completed_date=_date("2022-02-15"),
    )
    review = _measure(
        response,
        "Se över tillgänglighetsmålen för 1177 på telefon i samverkan med norra sjukvårdsregionen.",
        [recs[2]],
        responsible="Verksamhetschef 1177 Vårdguiden på telefon",
        responsible_user=users["sekreterare"],
        original_due_date=_date("2022-06-30"),
        revised_due_date=today + datetime.timedelta(days=20),
        revision_reason="Översynen väntar på ny resursfördelning i norra sjukvårdsregionen.",
        status=Measure.Status.IN_PROGRESS,
    )
    if not review.targets.exists():
        review.targets.set(targets)
    _measure(
        response,
        "Samordna styrningen av 1177 med regionstyrelsen.",
        [recs[2]],
        responsible="Regionstyrelsen",
        due_as_written="under hösten 2021",
        original_due_date=_date("2021-12-31"),
        status=Measure.Status.IN_PROGRESS,
    )
    _measure(
        response,
        "Se över om beställningen i Hälsoval Västerbotten ska kräva ett minimiutbud av e-tjänster.",
        [recs[3]],
        responsible="Regionstyrelsen",
        due_as_written="under hösten",
        original_due_date=_date("2021-12-31"),
        status=Measure.Status.PLANNED,
    )


def _load_draft_follow_up(earlier: Audit, scale: RatingScale) -> None:
    """A follow-up audit still in progress: a draft only the audit side may see."""
    audit = _get_or_create(
        Audit,
        region=earlier.region,
        title="Uppföljning av granskningen av 1177",
        defaults={
            "year": 2026,
            "kind": Audit.Kind.FOLLOW_UP,
            "status": Audit.Status.ONGOING,
            "follows_up": earlier,
            "rating_scale": scale,
            "audit_firm": "PwC",
            "purpose": "Att följa upp om regionstyrelsen har genomfört rekommendationerna "
            "från 2021 års granskning av 1177.",
        },
    )
    _get_or_create(
        AuditQuestion,
        audit=audit,
        parent=None,
        position=1,
        defaults={
            "text": "Har regionstyrelsen vidtagit tillräckliga åtgärder utifrån "
            "rekommendationerna i granskningen 2021?"
        },
    )


def _load_awaiting_response(
    earlier: Audit, scale: RatingScale, levels: dict[str, RatingLevel], today: datetime.date
) -> None:
    """An issued follow-up audit the committee has not answered yet: the demo inbox."""
    spec = content.VASTERBOTTEN_FOLLOW_UP
    committee = Body.objects.get(region=earlier.region, name="Hälso- och sjukvårdsnämnden")
    audit = Audit.objects.filter(region=earlier.region, title=spec["title"]).first()
    if audit is None:
        audit = Audit.objects.create(
            region=earlier.region,
            title=spec["title"],
            reference_number=spec["reference_number"],
            year=today.year,
            kind=Audit.Kind.FOLLOW_UP,
            status=Audit.Status.ISSUED,
            follows_up=earlier,
            rating_scale=scale,
            audit_firm="PwC",
            purpose=spec["purpose"],
            issued_date=today - datetime.timedelta(days=spec["issued_days_ago"]),
            response_deadline=today + datetime.timedelta(days=spec["deadline_in_days"]),
        )
        audit.audited_bodies.add(committee)
    questions = {}
    for position, (text, label, comment) in enumerate(spec["questions"], start=1):
        question = _get_or_create(
            AuditQuestion, audit=audit, parent=None, position=position, defaults={"text": text}
        )
        _get_or_create(
            Assessment, question=question, defaults={"level": levels[label], "comment": comment}
        )
        questions[position] = question
    for number, text, question_position in spec["recommendations"]:
        if not Recommendation.objects.filter(audit=audit, number=number).exists():
            recommendation = Recommendation.objects.create(
                audit=audit, number=number, body=committee, text=text
            )
            recommendation.questions.set([questions[question_position]])
