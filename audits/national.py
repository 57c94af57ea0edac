"""A synthetic national data set for load tests and benchmarks, never for production.

Sweden has 21 regions and 290 municipalities, each with its own elected auditors. This
module fills an empty database with organisations of that shape and ten years of their
audits, responses, measures and follow-ups, so that the reminder sweep and the list
pages can be measured on realistic volumes. Names and texts are generated from short
word lists; nothing is copied from real reports.

The dates are drawn relative to a given "today": older audits are answered, followed up
and mostly closed, the latest ones are awaiting responses (some overdue), and measures
are mostly done, with a realistic share still open past or near their due dates. Every
row satisfies the models' constraints; everything is inserted with bulk_create, one
chunk of organisations at a time, in a single transaction.
"""

from __future__ import annotations

import datetime
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, models, transaction

from recommendations.models import Answer, FollowUp, Measure, Recommendation, Response
from recommendations.reminders.queries import awaited_pairs, open_measures
from regions.models import Body, Membership, Region, User

from .models import (
    Assessment,
    Audit,
    AuditQuestion,
    QuestionSet,
    RatingLevel,
    RatingScale,
    SharedQuestion,
)
from .national_words import (
    ANSWERS,
    FIRMS,
    FIRST_NAMES,
    FOLLOW_UP_COMMENTS,
    KINDS,
    LAST_NAMES,
    MAIN_QUESTIONS,
    MEASURES,
    MUNICIPALITY_BODIES,
    PLACE_HEADS,
    PLACE_TAILS,
    RECOMMENDATIONS,
    REGION_BODIES,
    REGION_TAILS,
    RESPONSIBLE,
    SCHEDULES,
    SHARED_RESPONSIBLE,
    STATUS_AFTER_FOLLOW_UP,
    SUB_QUESTIONS,
    TOPICS,
)

D = datetime.date
DAY = datetime.timedelta(days=1)
BATCH_SIZE = 2000
# Organisations are generated and inserted in chunks of about this many audits.
CHUNK_AUDITS = 5000


class GenerationRefused(Exception):
    """The database is not empty of audits, or lacks what the generator builds on."""


@dataclass(frozen=True)
class Scale:
    regions: int
    municipalities: int
    audits: int
    question_sets_per_year: int
    coordinated_participants: tuple[int, int]


SCALES: dict[str, Scale] = {
    "national": Scale(21, 290, 62_000, 3, (6, 15)),
    # A hundredth of the audits, for quick runs and the test suite (seconds on SQLite).
    "small": Scale(3, 12, 620, 1, (3, 6)),
}

# Word lists ---------------------------------------------------------------------------


def _ascii(text: str) -> str:
    return text.lower().translate(str.maketrans("åäöé", "aaoe")).replace(" ", "-")


def _season(day: D) -> tuple[D, str]:
    """A due date as a response writes it: the end of the term it falls in."""
    if day.month <= 6:
        return D(day.year, 6, 30), f"under våren {day.year}"
    return D(day.year, 12, 31), f"under hösten {day.year}"


def _quarter(day: D) -> tuple[D, str]:
    quarter = (day.month - 1) // 3 + 1
    last_month = quarter * 3
    end = D(day.year + last_month // 12, last_month % 12 + 1, 1) - DAY
    return end, f"kvartal {quarter} {day.year}"


# What the generator keeps about each organisation -------------------------------------


@dataclass
class _Org:
    region: Region
    is_region: bool
    bodies: list[Body] = field(default_factory=list)
    auditor_id: int | None = None
    secretary_of: dict[int, int] = field(default_factory=dict)
    firms: tuple[tuple[str, str], tuple[str, str], int] | None = None
    reference_style: int = 0
    audits_per_year: dict[int, int] = field(default_factory=dict)
    coordinated: dict[int, list[QuestionSet]] = field(default_factory=dict)

    @property
    def word(self) -> str:
        return "regionen" if self.is_region else "kommunen"

    @property
    def board(self) -> Body:
        return self.bodies[0]


@dataclass
class _Chunk:
    """Unsaved rows of a group of organisations, in the order they must be inserted."""

    audits: list[Audit] = field(default_factory=list)
    follow_up_audits: list[Audit] = field(default_factory=list)
    audit_bodies: list[models.Model] = field(default_factory=list)
    questions: list[AuditQuestion] = field(default_factory=list)
    sub_questions: list[AuditQuestion] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    recommendation_questions: list[models.Model] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    measure_recommendations: list[models.Model] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)

    def in_order(self) -> Iterable[list[models.Model]]:
        yield from (
            self.audits,
            self.follow_up_audits,
            self.audit_bodies,
            self.questions,
            self.sub_questions,
            self.assessments,
            self.recommendations,
            self.recommendation_questions,
            self.responses,
            self.answers,
            self.measures,
            self.measure_recommendations,
            self.follow_ups,
        )


@dataclass
class Result:
    """Rows inserted per table, and how long it took."""

    counts: Counter[str]
    seconds: float


def generate(
    *,
    scale: Scale,
    today: D,
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
) -> Result:
    """Fill an audit-free database; refuses (GenerationRefused) when it holds audits."""
    started = time.monotonic()
    if not connection.features.can_return_rows_from_bulk_insert:
        raise GenerationRefused("The database cannot return ids from bulk inserts.")
    with transaction.atomic():
        if Audit.objects.exists():
            raise GenerationRefused(
                "The database already has audits; the generator only fills an empty one. "
                "Use a fresh database (dropdb/createdb, then migrate)."
            )
        generator = _Generator(scale=scale, today=today, seed=seed, progress=progress)
        generator.run()
    if connection.vendor == "postgresql":
        # Fresh tables have no statistics yet; plans made without them mislead a benchmark.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Result(generator.counts, time.monotonic() - started)


class _Generator:
    def __init__(
        self, *, scale: Scale, today: D, seed: int, progress: Callable[[str], None] | None
    ) -> None:
        self.scale = scale
        self.today = today
        # Reproducible synthetic data, not secrets: a seeded generator is the point.
        self.rng = random.Random(seed)  # noqa: S311
        self.progress = progress or (lambda message: None)
        self.counts: Counter[str] = Counter()
        self.years = list(range(today.year - 10, today.year + 1))
        self.levels: dict[int, list[RatingLevel]] = {}
        for level in RatingLevel.objects.order_by("scale_id", "rank"):
            self.levels.setdefault(level.scale_id, []).append(level)
        self.scales = {
            scale.code: scale for scale in RatingScale.objects.filter(pk__in=self.levels)
        }
        if not self.scales:
            raise GenerationRefused("No rating scales with levels; run migrate first.")
        self.orgs: list[_Org] = []

    # Insertion -------------------------------------------------------------------------

    def _insert(self, objs: list[models.Model]) -> None:
        if not objs:
            return
        model = type(objs[0])
        model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
        self.counts[model._meta.db_table] += len(objs)

    # Organisations, bodies and people --------------------------------------------------

    def run(self) -> None:
        self._organisations()
        self._people()
        self._plan_volumes()
        self._question_sets()
        chunk: list[_Org] = []
        audits_in_chunk = 0
        done = 0
        for org in self.orgs:
            chunk.append(org)
            audits_in_chunk += sum(org.audits_per_year.values())
            if audits_in_chunk >= CHUNK_AUDITS or org is self.orgs[-1]:
                for rows in self._audits_of(chunk).in_order():
                    self._insert(rows)
                done += len(chunk)
                self.progress(
                    f"{done}/{len(self.orgs)} organisations, "
                    f"{self.counts[Audit._meta.db_table]:,} audits"
                )
                chunk, audits_in_chunk = [], 0

    def _organisations(self) -> None:
        taken_names = set(Region.objects.values_list("name", flat=True))
        taken_codes = set(Region.objects.values_list("code", flat=True))
        places = [head + tail for head in PLACE_HEADS for tail in PLACE_TAILS]
        region_places = [head + tail for head in PLACE_HEADS for tail in REGION_TAILS]
        self.rng.shuffle(places)
        self.rng.shuffle(region_places)
        regions = []
        for is_region in [True] * self.scale.regions + [False] * self.scale.municipalities:
            pool = region_places if is_region else places
            while True:
                place = pool.pop()
                name = f"Region {place}" if is_region else f"{place} kommun"
                code = _ascii(place)
                if name not in taken_names and code not in taken_codes:
                    break
            taken_names.add(name)
            taken_codes.add(code)
            # Most keep the default reminder days; some regions chose their own.
            response_days, measure_days = (
                SCHEDULES[0] if self.rng.random() < 0.85 else self.rng.choice(SCHEDULES[1:])
            )
            region = Region(
                name=name,
                code=code,
                kind=Region.Kind.REGION if is_region else Region.Kind.MUNICIPALITY,
                response_reminder_days=response_days,
                measure_reminder_days=measure_days,
            )
            regions.append(region)
            self.orgs.append(_Org(region=region, is_region=is_region))
        self._insert(regions)

        bodies = []
        for org in self.orgs:
            code = org.region.code
            if org.is_region:
                board = ("Regionstyrelsen", "RS", Body.Kind.BOARD)
                count, pool = self.rng.randint(7, 11), REGION_BODIES
            else:
                board = ("Kommunstyrelsen", "KS", Body.Kind.BOARD)
                count, pool = self.rng.randint(6, 10), MUNICIPALITY_BODIES
            chosen = [board, *self.rng.sample(pool, min(count, len(pool) + 1) - 1)]
            for index, (name, short, kind) in enumerate(chosen):
                org.bodies.append(
                    Body(
                        region=org.region,
                        name=name,
                        short_name=short,
                        kind=kind,
                        email=f"registrator{index}@{code}.test" if self.rng.random() < 0.7 else "",
                    )
                )
            bodies.extend(org.bodies)
        self._insert(bodies)

    def _person(self, username: str, email: str) -> User:
        return User(
            username=username,
            email=email,
            first_name=self.rng.choice(FIRST_NAMES),
            last_name=self.rng.choice(LAST_NAMES),
            # Nobody signs in to generated data; hashing 3,000 passwords would take minutes.
            password=UNUSABLE_PASSWORD_PREFIX,
            language=User.Language.ENGLISH if self.rng.random() < 0.05 else User.Language.SWEDISH,
            weekly_digest=self.rng.random() < 0.8,
        )

    def _people(self) -> None:
        users: list[User] = []
        roles: list[tuple[_Org, str, Body | None]] = []
        for org in self.orgs:
            code = org.region.code
            for role, local in (
                (Membership.Role.AUDITOR, "revisor"),
                (Membership.Role.AUDIT_OFFICE, "revisionskontor"),
                (Membership.Role.READER, "lasare"),
            ):
                users.append(self._person(f"{local}.{code}", f"{local}@{code}.test"))
                roles.append((org, role, None))
            for index, body in enumerate(org.bodies):
                local = f"sekreterare{index}"
                users.append(self._person(f"{local}.{code}", f"{local}@{code}.test"))
                roles.append((org, Membership.Role.SECRETARY, body))
        self._insert(users)
        memberships = []
        acts_for = []
        through = Membership.bodies.through
        for user, (org, role, body) in zip(users, roles, strict=True):
            membership = Membership(
                user=user, region=org.region, role=role, is_chair=role == Membership.Role.AUDITOR
            )
            memberships.append(membership)
            if role == Membership.Role.AUDITOR:
                org.auditor_id = user.pk
            if body is not None:
                org.secretary_of[body.pk] = user.pk
                acts_for.append(through(membership=membership, body=body))
        self._insert(memberships)
        self._insert(acts_for)

    # How many audits, where and when ---------------------------------------------------

    def _plan_volumes(self) -> None:
        rng = self.rng
        # Big regions audit far more than small municipalities; a long tail of sizes.
        weights = [
            rng.lognormvariate(math.log(4.5), 0.35) if org.is_region else rng.lognormvariate(0, 0.7)
            for org in self.orgs
        ]
        total = sum(weights)
        shares = [self.scale.audits * weight / total for weight in weights]
        counts = [int(share) for share in shares]
        by_remainder = sorted(range(len(shares)), key=lambda i: shares[i] - counts[i])
        for index in by_remainder[len(by_remainder) - (self.scale.audits - sum(counts)) :]:
            counts[index] += 1
        # Slightly more audits each year; the current year's plan is complete.
        year_weights = [1.03**index for index in range(len(self.years))]
        for org, count in zip(self.orgs, counts, strict=True):
            years = rng.choices(self.years, weights=year_weights, k=count)
            org.audits_per_year = Counter(years)
            first, second = rng.sample(FIRMS, 2)
            org.firms = (first, second, rng.choice(self.years))
            org.reference_style = rng.randrange(3)

    def _question_sets(self) -> None:
        low, high = self.scale.coordinated_participants
        sets, questions, subs = [], [], []
        for year in self.years:
            topics = self.rng.sample(TOPICS, self.scale.question_sets_per_year)
            for title, noun_phrase, _domain in topics:
                question_set = QuestionSet(
                    title=f"Samordnad granskning av {title}",
                    year=year,
                    coordinator=self.rng.choice(FIRMS)[0],
                    description="Samma revisionsfrågor i flera organisationer.",
                )
                sets.append(question_set)
                mains = self._question_texts(noun_phrase, "styrelsen", "organisationen")
                for position, (text, sub_texts) in enumerate(mains, start=1):
                    main = SharedQuestion(question_set=question_set, position=position, text=text)
                    questions.append(main)
                    for sub_position, sub_text in enumerate(sub_texts, start=1):
                        subs.append(
                            SharedQuestion(
                                question_set=question_set,
                                parent=main,
                                position=sub_position,
                                text=sub_text,
                            )
                        )
                # Coordinated audits are mostly the regions'; some municipalities join.
                candidates = [org for org in self.orgs if org.audits_per_year.get(year)]
                weights = [8 if org.is_region else 1 for org in candidates]
                wanted = min(self.rng.randint(low, high), len(candidates))
                chosen: set[int] = set()
                while len(chosen) < wanted:
                    chosen.add(self.rng.choices(range(len(candidates)), weights=weights)[0])
                for index in chosen:
                    candidates[index].coordinated.setdefault(year, []).append(question_set)
        self._insert(sets)
        self._insert(questions)
        self._insert(subs)
        self.shared: dict[int, list[tuple[SharedQuestion, list[SharedQuestion]]]] = {}
        for main in questions:
            self.shared.setdefault(main.question_set_id, []).append((main, []))
        by_pk = {entry[0].pk: entry for entries in self.shared.values() for entry in entries}
        for sub in subs:
            by_pk[sub.parent_id][1].append(sub)

    def _question_texts(self, np: str, body: str, org: str) -> list[tuple[str, list[str]]]:
        count = self.rng.choices((3, 4, 5, 6), weights=(2, 4, 3, 1))[0]
        texts = []
        for template in self.rng.sample(MAIN_QUESTIONS, count):
            subs = []
            if self.rng.random() < 0.16:
                subs = self.rng.sample(SUB_QUESTIONS, self.rng.randint(2, 3))
            texts.append((template.format(np=np, body=body, org=org), subs))
        return texts

    # One chunk of organisations' audits ------------------------------------------------

    def _audits_of(self, orgs: list[_Org]) -> _Chunk:
        chunk = _Chunk()
        for org in orgs:
            earlier: list[Audit] = []
            for year in self.years:
                coordinated = list(org.coordinated.get(year, []))
                for number in range(1, org.audits_per_year.get(year, 0) + 1):
                    question_set = coordinated.pop() if coordinated else None
                    audit = self._audit(chunk, org, year, number, question_set, earlier)
                    if audit.kind != Audit.Kind.FOLLOW_UP:
                        earlier.append(audit)
        return chunk

    def _audit(
        self,
        chunk: _Chunk,
        org: _Org,
        year: int,
        number: int,
        question_set: QuestionSet | None,
        earlier: list[Audit],
    ) -> Audit:
        rng, today = self.rng, self.today
        kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
        followed = [a for a in earlier if year - 3 <= a.year < year and not a.is_draft]
        if question_set is not None or (kind == Audit.Kind.FOLLOW_UP and not followed):
            kind = Audit.Kind.IN_DEPTH
        domains = ("both", "region" if org.is_region else "municipality")
        title, noun_phrase, _ = rng.choice([t for t in TOPICS if t[2] in domains])
        first_firm, second_firm, switch_year = org.firms
        firm, scale_code = first_firm if year < switch_year else second_firm
        scale = self.scales.get(scale_code) or rng.choice(list(self.scales.values()))
        reference = (
            f"Nr {number}/{year}",
            f"Dnr REV {year}-{number:03d}",
            f"Dnr {number}-{year}",
        )[org.reference_style]
        bodies = self._audited_bodies(org)

        issued = self._issue_date(year)
        audit = Audit(
            region_id=org.region.pk,
            title={
                Audit.Kind.IN_DEPTH: f"Granskning av {title}",
                Audit.Kind.BASIC: f"Grundläggande granskning {year}: {title}",
                Audit.Kind.FOLLOW_UP: f"Uppföljande granskning av {title}",
                Audit.Kind.PRE_STUDY: f"Förstudie: {title}",
            }[kind],
            reference_number=reference,
            year=year,
            kind=kind,
            question_set_id=question_set.pk if question_set else None,
            rating_scale_id=scale.pk,
            audit_firm=firm,
            purpose=f"Att bedöma om {noun_phrase} är ändamålsenlig.",
            responsible_auditor_id=org.auditor_id if rng.random() < 0.9 else None,
        )
        if question_set is not None:
            audit.title = question_set.title
        if kind == Audit.Kind.FOLLOW_UP:
            audit.follows_up = rng.choice(followed)
            chunk.follow_up_audits.append(audit)
        else:
            chunk.audits.append(audit)
        through = Audit.audited_bodies.through
        chunk.audit_bodies.extend(through(audit=audit, body_id=body.pk) for body in bodies)

        if issued > today:
            days_left = (issued - today).days
            audit.status = (
                Audit.Status.FACT_CHECK
                if days_left <= 21
                else Audit.Status.ONGOING
                if days_left <= 100
                else Audit.Status.PLANNED
            )
        else:
            audit.status = Audit.Status.ISSUED
            audit.issued_date = issued
            deadline = issued + DAY * rng.randint(42, 100)
            if deadline.month == 7:
                # Nobody asks for an answer in the Swedish summer holiday.
                deadline = D(deadline.year, 8, rng.randint(20, 31))
            audit.response_deadline = deadline

        ratings = self._questions(chunk, org, audit, noun_phrase, bodies[0])
        if audit.status in (Audit.Status.PLANNED, Audit.Status.ONGOING):
            return audit
        self._recommendations(chunk, org, audit, noun_phrase, bodies, ratings)
        return audit

    def _audited_bodies(self, org: _Org) -> list[Body]:
        committees = org.bodies[1:]
        if self.rng.random() < 0.55 or not committees:
            extra = self.rng.choices((0, 1, 2), weights=(5, 4, 1))[0]
            return [org.board, *self.rng.sample(committees, min(extra, len(committees)))]
        return self.rng.sample(committees, min(self.rng.choice((1, 1, 2)), len(committees)))

    def _issue_date(self, year: int) -> D:
        if self.rng.random() < 0.88:
            return D(year, 2, 1) + DAY * self.rng.randint(0, 317)
        # Reports of the audit plan's last audits reach the bodies early the next year.
        return D(year + 1, 1, 10) + DAY * self.rng.randint(0, 80)

    def _questions(
        self, chunk: _Chunk, org: _Org, audit: Audit, np: str, body: Body
    ) -> list[tuple[AuditQuestion, int]]:
        """Add the audit's questions and ratings; returns the rated ones with their rank."""
        rng = self.rng
        # (shared question or None, text, [(shared sub-question or None, text)])
        outline: list[tuple[SharedQuestion | None, str, list[tuple[SharedQuestion | None, str]]]]
        if audit.question_set_id is not None:
            outline = [
                (main, main.text, [(sub, sub.text) for sub in subs])
                for main, subs in self.shared[audit.question_set_id]
            ]
        elif audit.status == Audit.Status.PLANNED and rng.random() < 0.5:
            return []
        else:
            texts = self._question_texts(np, body.name.lower(), org.word)
            outline = [(None, text, [(None, sub) for sub in subs]) for text, subs in texts]
        levels = self.levels[audit.rating_scale_id]
        rate_share = {Audit.Status.PLANNED: 0.0, Audit.Status.ONGOING: 0.3}.get(audit.status, 1.0)
        rated: list[tuple[AuditQuestion, int]] = []

        def rate(question: AuditQuestion, share: float) -> None:
            if rng.random() >= share:
                return
            # Positive 35 %, partial 45 %, negative 20 %, on scales of three or four levels.
            draw = rng.random()
            rank = 1 if draw < 0.35 else len(levels) if draw >= 0.8 else 2
            if rank == 2 and len(levels) == 4 and rng.random() < 0.5:
                rank = 3
            level = levels[rank - 1]
            chunk.assessments.append(
                Assessment(
                    question=question,
                    level_id=level.pk,
                    reasoning="Bedömningen grundas på intervjuer och dokumentstudier.",
                    comment=level.label,
                )
            )
            rated.append((question, rank))

        for position, (main_shared, main_text, subs) in enumerate(outline, start=1):
            main = AuditQuestion(
                audit=audit,
                position=position,
                text=main_text,
                shared_question_id=main_shared.pk if main_shared else None,
            )
            chunk.questions.append(main)
            rate(main, rate_share)
            for sub_position, (sub_shared, sub_text) in enumerate(subs, start=1):
                sub = AuditQuestion(
                    audit=audit,
                    parent=main,
                    position=sub_position,
                    text=sub_text,
                    shared_question_id=sub_shared.pk if sub_shared else None,
                )
                chunk.sub_questions.append(sub)
                # Reports rate every main question, sub-questions only now and then.
                rate(sub, rate_share * 0.6)
        return rated

    # Recommendations, responses, measures and follow-ups -------------------------------

    def _recommendations(
        self,
        chunk: _Chunk,
        org: _Org,
        audit: Audit,
        np: str,
        bodies: list[Body],
        ratings: list[tuple[AuditQuestion, int]],
    ) -> None:
        rng, today = self.rng, self.today
        # Recommendations come from the questions rated below the best level.
        weak = [question for question, rank in ratings if rank > 1] or [q for q, _ in ratings]
        mean = {Audit.Kind.PRE_STUDY: 1.5, Audit.Kind.BASIC: 3.0}.get(audit.kind, 4.6)
        count = min(10, max(0, round(rng.gauss(mean, 1.8))))
        templates = rng.sample(RECOMMENDATIONS, min(count, len(RECOMMENDATIONS)))
        recommendations: list[Recommendation] = []
        through = Recommendation.questions.through
        for number in range(1, count + 1):
            body = bodies[0] if rng.random() < 0.75 else rng.choice(bodies)
            template = templates[(number - 1) % len(templates)]
            recommendation = Recommendation(
                audit=audit,
                body=body,
                number=number,
                text=template.format(np=np, body=body.name.lower(), org=org.word),
                is_priority=rng.random() < 0.15,
                status=Recommendation.Status.OPEN,
            )
            recommendations.append(recommendation)
            linked = rng.sample(weak, min(len(weak), rng.choices((0, 1, 2), (1, 14, 5))[0]))
            chunk.recommendation_questions.extend(
                through(recommendation=recommendation, auditquestion=question)
                for question in linked
            )
        chunk.recommendations.extend(recommendations)
        if audit.is_draft:
            return

        deadline = audit.response_deadline
        received: dict[int, D] = {}
        for body in bodies:
            # Most answer around the deadline, some months late; until then they are awaited.
            day = deadline + DAY * round(rng.gauss(-4, 12))
            if rng.random() < 0.2:
                day += DAY * rng.randint(7, 100)
            day = max(day, audit.issued_date + DAY * 14)
            if day <= today:
                received[body.pk] = day
                self._response(
                    chunk, audit, body, day, [rec for rec in recommendations if rec.body is body]
                )
        if len(received) < len(bodies):
            for recommendation in recommendations:
                if recommendation.body.pk in received:
                    self._measures(chunk, org, recommendation, np, received)
            return

        rounds = self._follow_ups(chunk, org, audit, recommendations, received)
        for recommendation in recommendations:
            self._measures(chunk, org, recommendation, np, received)
        audit.status = Audit.Status.FOLLOWED_UP if rounds else Audit.Status.ANSWERED
        unresolved = [
            rec for rec in recommendations if rec.status not in Recommendation.RESOLVED_STATUSES
        ]
        if rounds:
            closes = (not unresolved and rounds[-1] + DAY * 60 <= today and rng.random() < 0.9) or (
                rounds[-1] + DAY * 400 <= today and rng.random() < 0.85
            )
        else:
            small = audit.kind in (Audit.Kind.BASIC, Audit.Kind.PRE_STUDY) or not recommendations
            closes = (
                small and max(received.values()) + DAY * 120 <= today and rng.random() < 0.8
            ) or (deadline + DAY * 730 <= today and rng.random() < 0.85)
        # Few audits stay open for more than three years, whatever is left of them.
        closes = closes or (deadline + DAY * 3 * 365 <= today and rng.random() < 0.95)
        if closes:
            audit.status = Audit.Status.CLOSED

    def _response(
        self, chunk: _Chunk, audit: Audit, body: Body, received: D, recs: list[Recommendation]
    ) -> None:
        rng = self.rng
        narrative = rng.random() < 0.25
        decided = max(audit.issued_date, received - DAY * rng.randint(0, 14))
        response = Response(
            audit=audit,
            body=body,
            kind=Response.Kind.NARRATIVE if narrative else Response.Kind.PER_RECOMMENDATION,
            received_date=received,
            decision_date=decided,
            decision_reference=f"{body.short_name} {decided.isoformat()} §{rng.randint(1, 250)}",
            reference_number=f"{rng.randint(1, 2500)}-{decided.year}",
            narrative=(
                f"{body.name} har tagit del av rapporten och delar i huvudsak bedömningen."
                if narrative
                else ""
            ),
        )
        chunk.responses.append(response)
        for rec in recs:
            rec.status = (
                Recommendation.Status.IN_PROGRESS
                if rng.random() < 0.2
                else Recommendation.Status.ANSWERED
            )
            rec._response = response  # type: ignore[attr-defined]
            # A narrative answers every recommendation at once, with no stance of its own.
            rec._rejected = False  # type: ignore[attr-defined]
            if narrative:
                continue
            stance = rng.choices(list(ANSWERS), weights=(75, 18, 7))[0]
            rec._rejected = stance == Answer.Stance.REJECTED  # type: ignore[attr-defined]
            chunk.answers.append(
                Answer(
                    response=response,
                    recommendation=rec,
                    stance=stance,
                    text=ANSWERS[stance].format(body=body.name),
                )
            )

    def _follow_ups(
        self,
        chunk: _Chunk,
        org: _Org,
        audit: Audit,
        recommendations: list[Recommendation],
        received: dict[int, D],
    ) -> list[D]:
        """Yearly follow-ups of the unresolved recommendations, for as long as the auditors
        keep recording them; returns the dates of the rounds."""
        rng, today = self.rng, self.today
        rounds: list[D] = []
        day = max(
            audit.response_deadline + DAY * (365 + round(rng.gauss(0, 40))),
            max(received.values()) + DAY * 30,
        )
        while day <= today and rng.random() < (0.75 if rounds else 0.85):
            unresolved = [
                rec for rec in recommendations if rec.status not in Recommendation.RESOLVED_STATUSES
            ]
            if not unresolved:
                break
            weights = (60, 20, 12, 8) if rounds else (50, 30, 15, 5)
            for rec in unresolved:
                assessment = rng.choices(list(STATUS_AFTER_FOLLOW_UP), weights=weights)[0]
                chunk.follow_ups.append(
                    FollowUp(
                        recommendation=rec,
                        date=day,
                        assessment=assessment,
                        comment=FOLLOW_UP_COMMENTS[assessment],
                        recorded_by_id=org.auditor_id,
                    )
                )
                rec.status = STATUS_AFTER_FOLLOW_UP[assessment]
                if assessment == FollowUp.Assessment.IMPLEMENTED:
                    rec._implemented_on = day  # type: ignore[attr-defined]
            rounds.append(day)
            day += DAY * (365 + round(rng.gauss(0, 40)))
        return rounds

    def _measures(
        self, chunk: _Chunk, org: _Org, rec: Recommendation, np: str, received: dict[int, D]
    ) -> None:
        """The measures a response promised for one recommendation, and how they went."""
        if rec._rejected:  # type: ignore[attr-defined]
            return
        rng, today = self.rng, self.today
        answered = received[rec.body.pk]
        implemented_on: D | None = getattr(rec, "_implemented_on", None)
        for _ in range(rng.choices((0, 1, 2, 3), weights=(12, 68, 16, 4))[0]):
            target = answered + DAY * rng.choice((60, 90, 120, 180, 180, 270, 365, 365, 540))
            draw = rng.random()
            if draw < 0.5:
                original, as_written = _season(target)
            elif draw < 0.75:
                original, as_written = _quarter(target)
            else:
                original, as_written = target, f"senast {target.isoformat()}"
            revised, reason = None, ""
            if rng.random() < 0.12:
                revised = original + DAY * rng.choice((60, 90, 120, 180, 270))
                reason = "Arbetet försenades av en omorganisation."
            due = revised or original
            # Most are done around their due date; some are never done.
            completed: D | None = None
            if rng.random() >= 0.08:
                completed = max(answered + DAY * 7, due + DAY * round(rng.gauss(-15, 45)))
            if implemented_on is not None:
                # The auditors found it implemented, so its measures were done by then.
                completed = max(answered, min(completed or implemented_on, implemented_on))
            if completed is not None and completed <= today:
                status = Measure.Status.DONE
            else:
                completed = None
                if due < today and rng.random() < 0.3:
                    status = Measure.Status.CANCELLED
                elif today >= answered + DAY * 30 and rng.random() < 0.6:
                    status = Measure.Status.IN_PROGRESS
                else:
                    status = Measure.Status.PLANNED
            measure = Measure(
                response=rec._response,  # type: ignore[attr-defined]
                description=rng.choice(MEASURES).format(np=np, body=rec.body.name.lower()),
                responsible=rng.choice(RESPONSIBLE[org.is_region] + SHARED_RESPONSIBLE),
                responsible_user_id=(
                    org.secretary_of.get(rec.body.pk) if rng.random() < 0.15 else None
                ),
                due_as_written=as_written,
                original_due_date=original,
                revised_due_date=revised,
                revision_reason=reason,
                status=status,
                completed_date=completed,
            )
            chunk.measures.append(measure)
            chunk.measure_recommendations.append(
                Measure.recommendations.through(measure=measure, recommendation=rec)
            )


def workload(today: D) -> dict[str, int]:
    """What the data set asks of the reminders on `today`: for the generator's summary."""
    soon = today + DAY * 14
    summary = {
        f"audits {status}": count
        for status, count in Audit.objects.values_list("status")
        .annotate(count=models.Count("pk"))
        .order_by("status")
    }
    summary |= {
        "responses awaited, overdue": awaited_pairs()
        .filter(audit__response_deadline__lt=today)
        .count(),
        "responses awaited, due within 14 days": awaited_pairs()
        .filter(audit__response_deadline__gte=today, audit__response_deadline__lte=soon)
        .count(),
        "open measures of open audits, overdue": open_measures().filter(due_date__lt=today).count(),
        "open measures of open audits, due within 90 days": open_measures()
        .filter(due_date__gte=today, due_date__lte=today + DAY * 90)
        .count(),
        "recommendations due for follow-up": Recommendation.objects.follow_up_due(today).count(),
    }
    return summary
