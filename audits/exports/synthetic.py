"""A synthetic region with hundreds of issued recommendations over several years, with
follow-ups, responses and measures: the largest follow-up report, for benchmarks.

Its texts are written for this purpose. The rows are bulk inserted; callers make them
inside a transaction they roll back.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from audits.models import Audit, RatingScale
from recommendations.models import Answer, FollowUp, Measure, Recommendation, Response
from regions.models import Body, Region

BENCH_REGION_CODE = "bench-pdf"
BENCH_REGION_NAME = "Region Prestandatest (syntetisk)"

# Years of issue the synthetic audits spread over, ending last year.
YEARS_BACK = 7
# A region's audit gives a handful of recommendations, as the demo's do.
PER_AUDIT = (3, 8)

S = Recommendation.Status
# Recent audits are still being worked on; older ones are mostly settled.
STATUS_WEIGHTS_RECENT = {
    S.IMPLEMENTED: 10,
    S.PARTLY_IMPLEMENTED: 15,
    S.IN_PROGRESS: 30,
    S.OPEN: 30,
    S.NOT_IMPLEMENTED: 10,
    S.WITHDRAWN: 5,
}
STATUS_WEIGHTS_OLDER = {
    S.IMPLEMENTED: 40,
    S.PARTLY_IMPLEMENTED: 20,
    S.IN_PROGRESS: 12,
    S.OPEN: 5,
    S.NOT_IMPLEMENTED: 15,
    S.WITHDRAWN: 8,
}
# The auditors' latest assessment that fits each status (open ones have none).
FINAL_ASSESSMENT = {
    S.IMPLEMENTED: FollowUp.Assessment.IMPLEMENTED,
    S.PARTLY_IMPLEMENTED: FollowUp.Assessment.PARTLY,
    S.IN_PROGRESS: FollowUp.Assessment.PARTLY,
    S.NOT_IMPLEMENTED: FollowUp.Assessment.NOT_IMPLEMENTED,
    S.WITHDRAWN: FollowUp.Assessment.NO_LONGER_RELEVANT,
}

# Synthetic texts, written for this benchmark. Bodies: name, abbreviation, kind, and how
# a recommendation addresses them.
BODIES = (
    ("Regionstyrelsen", "RS", Body.Kind.BOARD, "regionstyrelsen"),
    ("Hälso- och sjukvårdsnämnden", "HSN", Body.Kind.COMMITTEE, "hälso- och sjukvårdsnämnden"),
    ("Regionala utvecklingsnämnden", "RUN", Body.Kind.COMMITTEE, "regionala utvecklingsnämnden"),
    ("Kultur- och bildningsnämnden", "KBN", Body.Kind.COMMITTEE, "kultur- och bildningsnämnden"),
    ("Patientnämnden", "PN", Body.Kind.COMMITTEE, "patientnämnden"),
    ("Regionfastigheter AB", "RF", Body.Kind.COMPANY, "styrelsen för Regionfastigheter AB"),
)
AREAS = (
    "kompetensförsörjningen",
    "läkemedelshanteringen",
    "upphandling och avtalstrohet",
    "informationssäkerheten",
    "lokalförsörjningen",
    "de digitala vårdtjänsterna",
    "tandvården för barn och unga",
    "ambulanssjukvården",
    "arbetsmiljön i akutsjukvården",
    "användningen av hyrpersonal",
    "den regionala kollektivtrafiken",
    "investeringsprocessen",
    "barn- och ungdomspsykiatrin",
    "köerna till specialistvården",
    "krisberedskapen",
    "den interna kontrollen av attester",
)
ACTIONS = (
    "fastställa mätbara mål för {area} och följa upp dem i delårsrapporten",
    "säkerställa att uppföljningen av {area} rapporteras till nämnden minst två gånger per år",
    "ta fram en tidsatt handlingsplan för {area} med tydligt ansvar",
    "tydliggöra ansvarsfördelningen mellan förvaltningen och nämnden när det gäller {area}",
    "se över rutinerna för intern kontroll inom {area}",
    "dokumentera riskanalysen för {area} och koppla den till internkontrollplanen",
    "förbättra beslutsunderlagen om {area} så att kostnader och konsekvenser framgår",
    "utvärdera om de åtgärder som vidtagits inom {area} har gett avsedd effekt",
)
REASONS = (
    "Granskningen visar att nuvarande uppföljning inte ger tillräcklig information för styrning.",
    "I dag saknas en samlad bild av hur arbetet fortskrider.",
    "Verksamheterna tillämpar rutinerna olika, vilket försvårar jämförelser.",
    "Utan tydliga mål är det svårt att bedöma om resurserna används effektivt.",
    "Flera av de intervjuade efterfrågar tydligare riktlinjer.",
)
FOLLOW_UP_COMMENTS = {
    FollowUp.Assessment.IMPLEMENTED: (
        "Åtgärden är genomförd och följs upp i nämndens årliga internkontroll.",
        "Nya rutiner är beslutade och tillämpas i samtliga verksamheter.",
    ),
    FollowUp.Assessment.PARTLY: (
        "Arbetet har påbörjats men målen är ännu inte beslutade.",
        "Handlingsplanen finns, men uppföljningen till nämnden saknas fortfarande.",
    ),
    FollowUp.Assessment.NOT_IMPLEMENTED: (
        "Inga åtgärder har redovisats sedan granskningen.",
        "Nämnden har ännu inte fattat något beslut i frågan.",
    ),
    FollowUp.Assessment.NO_LONGER_RELEVANT: (
        "Verksamheten har flyttats till en annan nämnd och rekommendationen är inte aktuell.",
    ),
}
ANSWERS = {
    Answer.Stance.ACCEPTED: "Nämnden delar revisorernas bedömning och har gett förvaltningen "
    "i uppdrag att genomföra rekommendationen.",
    Answer.Stance.PARTLY: "Nämnden instämmer delvis men bedömer att nuvarande uppföljning "
    "till stor del täcker behovet.",
    Answer.Stance.REJECTED: "Nämnden delar inte bedömningen; ansvaret framgår redan av "
    "gällande delegationsordning.",
}
NARRATIVE = (
    "{body} har tagit del av revisorernas rapport om {area} och instämmer i huvudsak i "
    "bedömningarna. Förvaltningen har fått i uppdrag att ta fram en handlingsplan som "
    "redovisas för nämnden under året."
)
MEASURES = (
    "Ta fram en handlingsplan för {area} med ansvar och tidplan.",
    "Revidera rutinen för {area} och utbilda berörda chefer.",
    "Införa rapportering om {area} till nämnden varje kvartal.",
    "Genomföra en riskanalys av {area} inom ramen för internkontrollplanen.",
)
RESPONSIBLE = (
    "Regiondirektör",
    "Hälso- och sjukvårdsdirektör",
    "Ekonomidirektör",
    "HR-direktör",
    "Förvaltningschef",
)
REVISION_REASONS = (
    "Arbetet samordnas med den nya budgetprocessen.",
    "Förseningen beror på vakanser i förvaltningsledningen.",
    "Tidplanen har anpassats till upphandlingen av ett nytt IT-stöd.",
)


@dataclass
class _Pending:
    """A response and its answers and measures, before their rows are inserted."""

    response: Response
    answers: list[Answer] = field(default_factory=list)
    measures: list[tuple[Measure, list[Recommendation]]] = field(default_factory=list)


class SyntheticRegion:
    """Builds the synthetic region's rows with bulk inserts; `counts` says what it made."""

    def __init__(self, *, today: datetime.date, recommendations: int, seed: int) -> None:
        self.today = today
        self.total = recommendations
        # Reproducible synthetic data, not secrets: a seeded generator is the point.
        self.rng = random.Random(seed)  # noqa: S311
        self.counts: Counter[str] = Counter()
        self.addressee: dict[int, str] = {}
        self.first_year = today.year - YEARS_BACK
        self.overdue = 0
        self.revised = 0

    def describe(self) -> str:
        c = self.counts
        return (
            f"{c['bodies']} bodies, {c['audits']} audits issued {self.first_year}–"
            f"{self.today.year - 1}, {c['recommendations']:,} recommendations, "
            f"{c['follow-ups']:,} follow-ups, {c['responses']} responses with "
            f"{c['answers']} answers, {c['measures']} measures ({self.overdue} overdue, "
            f"{self.revised} with a revised due date)"
        )

    def build(self) -> Region:
        if Region.objects.filter(code=BENCH_REGION_CODE).exists():
            raise ValueError(f"A region {BENCH_REGION_CODE!r} exists; it must not, to start.")
        region = Region.objects.create(code=BENCH_REGION_CODE, name=BENCH_REGION_NAME)
        bodies = self._bodies(region)
        audits = self._audits(region, bodies)
        recommendations = self._recommendations(audits)
        self._follow_ups(recommendations)
        self._responses(recommendations)
        return region

    def _bodies(self, region: Region) -> list[Body]:
        bodies = []
        for name, short_name, kind, addressee in BODIES:
            body = Body.objects.create(region=region, name=name, short_name=short_name, kind=kind)
            self.addressee[body.pk] = addressee
            bodies.append(body)
        self.counts["bodies"] = len(bodies)
        return bodies

    def _sizes(self) -> list[int]:
        """Recommendations per audit, adding up to the total asked for."""
        sizes: list[int] = []
        while sum(sizes) < self.total:
            sizes.append(min(self.rng.randint(*PER_AUDIT), self.total - sum(sizes)))
        return sizes

    def _audits(self, region: Region, bodies: list[Body]) -> list[tuple[Audit, int, list[Body]]]:
        scale = RatingScale.objects.get(code="uppfylld")  # the demo's scale
        sizes = self._sizes()
        audits: list[tuple[Audit, int, list[Body]]] = []
        per_year: Counter[int] = Counter()
        for index, size in enumerate(sizes):
            # Spread evenly over the years, oldest first.
            year = self.first_year + index * YEARS_BACK // len(sizes)
            per_year[year] += 1
            area = self.rng.choice(AREAS)
            issued = datetime.date(year, 1, 20) + datetime.timedelta(days=self.rng.randint(0, 300))
            audit = Audit.objects.create(
                region=region,
                title=f"Granskning av {area}",
                reference_number=f"Nr {per_year[year]}/{year}",
                year=year,
                kind=self.rng.choice([Audit.Kind.IN_DEPTH, Audit.Kind.BASIC]),
                status=Audit.Status.ANSWERED,
                rating_scale=scale,
                issued_date=issued,
                response_deadline=issued + datetime.timedelta(days=self.rng.randint(60, 90)),
                purpose=f"Att bedöma om styrningen och uppföljningen av {area} är tillräcklig.",
                audit_firm=self.rng.choice(["PwC", "KPMG", "EY"]),
            )
            # The board plus one committee or company, as most audits address.
            audited = [bodies[0], self.rng.choice(bodies[1:])]
            audit.audited_bodies.add(*audited)
            audits.append((audit, size, audited))
        self.counts["audits"] = len(audits)
        return audits

    def _recommendation_text(self, body: Body, area: str) -> str:
        action = self.rng.choice(ACTIONS).format(area=area)
        text = f"Vi rekommenderar {self.addressee[body.pk]} att {action}."
        if self.rng.random() < 0.6:
            text += " " + self.rng.choice(REASONS)
        return text

    def _recommendations(self, audits: list[tuple[Audit, int, list[Body]]]) -> list[Recommendation]:
        objs = []
        for audit, size, audited in audits:
            area = audit.title.removeprefix("Granskning av ")
            recent = self.today.year - audit.year <= 1
            weights = STATUS_WEIGHTS_RECENT if recent else STATUS_WEIGHTS_OLDER
            for number in range(1, size + 1):
                body = self.rng.choice(audited)
                status = self.rng.choices(list(weights), weights=list(weights.values()))[0]
                objs.append(
                    Recommendation(
                        audit=audit,
                        body=body,
                        number=number,
                        text=self._recommendation_text(body, area),
                        is_priority=self.rng.random() < 0.15,
                        status=status,
                    )
                )
        # Both databases return the new keys, which follow-ups and measures need.
        created = Recommendation.objects.bulk_create(objs)
        self.counts["recommendations"] = len(created)
        return created

    def _follow_up_date(self, after: datetime.date, low: int, high: int) -> datetime.date:
        return min(after + datetime.timedelta(days=self.rng.randint(low, high)), self.today)

    def _follow_ups(self, recommendations: list[Recommendation]) -> None:
        objs = []
        for rec in recommendations:
            final = FINAL_ASSESSMENT.get(rec.status)
            # Open ones are not followed up yet, and one in ten of the others is still due.
            if final is None or self.rng.random() < 0.1:
                continue
            date = self._follow_up_date(rec.audit.response_deadline, 150, 400)
            if self.rng.random() < 0.3:
                # An earlier, less favourable round before the latest one.
                interim = self.rng.choice(
                    [FollowUp.Assessment.NOT_IMPLEMENTED, FollowUp.Assessment.PARTLY]
                )
                objs.append(self._follow_up(rec, date, interim))
                date = self._follow_up_date(date, 180, 365)
            objs.append(self._follow_up(rec, date, final))
        # Inserted in order, so the later round of a pair has the higher key, as the
        # report breaks ties on equal dates.
        FollowUp.objects.bulk_create(objs)
        self.counts["follow-ups"] = len(objs)

    def _follow_up(self, rec: Recommendation, date: datetime.date, assessment: str) -> FollowUp:
        comment = self.rng.choice(FOLLOW_UP_COMMENTS[assessment])
        return FollowUp(recommendation=rec, date=date, assessment=assessment, comment=comment)

    def _responses(self, recommendations: list[Recommendation]) -> None:
        by_pair: dict[tuple[int, int], list[Recommendation]] = {}
        for rec in recommendations:
            by_pair.setdefault((rec.audit_id, rec.body_id), []).append(rec)
        pending = []
        for recs in by_pair.values():
            answered = [rec for rec in recs if rec.status != S.OPEN]
            # A body whose recommendations are all open has not responded yet.
            if answered:
                pending.append(self._response(recs[0].audit, recs[0].body, answered))
        responses = Response.objects.bulk_create([p.response for p in pending])
        self.counts["responses"] = len(responses)
        Answer.objects.bulk_create([answer for p in pending for answer in p.answers])
        self.counts["answers"] = sum(len(p.answers) for p in pending)
        self._insert_measures([m for p in pending for m in p.measures])

    def _response(self, audit: Audit, body: Body, answered: list[Recommendation]) -> _Pending:
        area = audit.title.removeprefix("Granskning av ")
        received = audit.response_deadline - datetime.timedelta(days=self.rng.randint(0, 25))
        narrative = self.rng.random() < 0.4
        response = Response(
            audit=audit,
            body=body,
            kind=Response.Kind.NARRATIVE if narrative else Response.Kind.PER_RECOMMENDATION,
            received_date=received,
            decision_date=received - datetime.timedelta(days=self.rng.randint(1, 7)),
            decision_reference=f"{body.short_name} {received:%Y-%m-%d} §{self.rng.randint(1, 150)}",
            narrative=NARRATIVE.format(body=body.name, area=area) if narrative else "",
        )
        pending = _Pending(response)
        for rec in answered:
            if not narrative:
                pending.answers.append(self._answer(response, rec))
            # Withdrawn ones need no measure; most others got one.
            if rec.status != S.WITHDRAWN and self.rng.random() < 0.75:
                pending.measures.append((self._measure(response, rec, area), [rec]))
        return pending

    def _answer(self, response: Response, rec: Recommendation) -> Answer:
        if rec.status == S.NOT_IMPLEMENTED:
            stance = self.rng.choice([Answer.Stance.REJECTED, Answer.Stance.PARTLY])
        elif self.rng.random() < 0.8:
            stance = Answer.Stance.ACCEPTED
        else:
            stance = Answer.Stance.PARTLY
        return Answer(response=response, recommendation=rec, stance=stance, text=ANSWERS[stance])

    def _measure_status(self, rec: Recommendation) -> str:
        # Measures of older audits are mostly finished or dropped; only some stay overdue.
        older = self.today.year - rec.audit.year > 2
        if rec.status == S.IMPLEMENTED:
            return Measure.Status.DONE
        if rec.status == S.PARTLY_IMPLEMENTED:
            return self.rng.choice([Measure.Status.DONE, Measure.Status.IN_PROGRESS])
        if rec.status == S.NOT_IMPLEMENTED:
            planned = self.rng.random() < (0.3 if older else 0.6)
            return Measure.Status.PLANNED if planned else Measure.Status.CANCELLED
        if older and self.rng.random() < 0.5:
            return Measure.Status.DONE
        return Measure.Status.IN_PROGRESS

    def _measure(self, response: Response, rec: Recommendation, area: str) -> Measure:
        status = self._measure_status(rec)
        original = response.received_date + datetime.timedelta(days=self.rng.randint(90, 540))
        measure = Measure(
            response=response,
            description=self.rng.choice(MEASURES).format(area=area),
            responsible=self.rng.choice(RESPONSIBLE),
            original_due_date=original,
            status=status,
        )
        if self.rng.random() < 0.25:
            measure.due_as_written = f"senast {original:%Y-%m}"
        still_open = status in (Measure.Status.PLANNED, Measure.Status.IN_PROGRESS)
        # Postponed deadlines are common on open measures and happen on finished ones too.
        if self.rng.random() < (0.3 if still_open else 0.1):
            measure.revised_due_date = original + datetime.timedelta(days=self.rng.randint(60, 365))
            measure.revision_reason = self.rng.choice(REVISION_REASONS)
        if status == Measure.Status.DONE:
            due = measure.revised_due_date or original
            done = due + datetime.timedelta(days=self.rng.randint(-60, 60))
            measure.completed_date = max(min(done, self.today), response.received_date)
        return measure

    def _insert_measures(self, pairs: list[tuple[Measure, list[Recommendation]]]) -> None:
        measures = Measure.objects.bulk_create([measure for measure, _ in pairs])
        link = Measure.recommendations.through
        link.objects.bulk_create(
            link(measure_id=measure.pk, recommendation_id=rec.pk)
            for measure, (_, recs) in zip(measures, pairs, strict=True)
            for rec in recs
        )
        self.counts["measures"] = len(measures)
        self.overdue = sum(m.is_overdue(self.today) for m in measures)
        self.revised = sum(m.revised_due_date is not None for m in measures)
