"""The one place that decides what a user may see and do.

Every view, list, download (and later the API and exports) asks `scope_for(user)`:
the querysets say what may be seen (anything else is a 404), the `can_*` methods what
may be changed (seen but not changeable is a 403).

- Auditors and the audit office of a region: the whole audit side of that region,
  drafts included.
- Body secretaries: issued audits sent to their bodies, and their own bodies'
  responses and measures; they never change findings or recommendations.
- Readers: issued material of their region.
Nobody sees another region's drafts; superusers use the administration, not this.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from audits.models import Audit, AuditQuestion, QuestionSet, ReportImport
from recommendations.models import FollowUp, Measure, Recommendation, Response
from tracker.history.models import HistoryEvent
from tracker.history.queries import refers_to

from .models import Body, Indicator, Membership, Region, User

AUDIT_SIDE_ROLES = Membership.AUDIT_SIDE_ROLES


@dataclass(frozen=True)
class Scope:
    audit_regions: frozenset[int] = frozenset()
    reader_regions: frozenset[int] = frozenset()
    secretary_bodies: frozenset[int] = frozenset()
    secretary_regions: frozenset[int] = frozenset()

    # What may be seen ---------------------------------------------------------------

    @property
    def is_audit_side(self) -> bool:
        return bool(self.audit_regions)

    @property
    def is_secretary(self) -> bool:
        return bool(self.secretary_bodies)

    @property
    def region_ids(self) -> frozenset[int]:
        return self.audit_regions | self.reader_regions | self.secretary_regions

    def regions(self) -> QuerySet[Region]:
        return Region.objects.filter(pk__in=self.region_ids)

    def audit_side_regions(self) -> QuerySet[Region]:
        return Region.objects.filter(pk__in=self.audit_regions)

    def bodies(self) -> QuerySet[Body]:
        return Body.objects.filter(region__in=self.region_ids)

    def indicators(self) -> QuerySet[Indicator]:
        # Targets and outcomes are the region's own published figures: every role sees them.
        return Indicator.objects.filter(region__in=self.region_ids)

    def _audit_filter(self, path: str = "") -> Q:
        """Which audits may be seen, as a condition on the audit at `path` ("" for the
        audit itself, "audit__" for a recommendation's, "response__audit__" ...).

        A condition on the joined audit rather than "audit IN (the visible audits)": the
        database then plans from the filter the page adds (a region, a body) instead of
        first collecting every visible audit in a subquery.
        """
        issued = ~Q(**{f"{path}status__in": Audit.DRAFT_STATUSES})
        allowed = Q(**{f"{path}region__in": self.audit_regions})
        if self.reader_regions:
            allowed |= issued & Q(**{f"{path}region__in": self.reader_regions})
        if self.secretary_bodies:
            sent_to_my_bodies = Audit.audited_bodies.through.objects.filter(
                body_id__in=self.secretary_bodies
            ).values("audit_id")
            allowed |= issued & Q(**{f"{path}pk__in": sent_to_my_bodies})
        return allowed

    def audits(self) -> QuerySet[Audit]:
        if not self.region_ids:
            return Audit.objects.none()
        return Audit.objects.filter(self._audit_filter())

    def questions(self) -> QuerySet[AuditQuestion]:
        if not self.region_ids:
            return AuditQuestion.objects.none()
        return AuditQuestion.objects.filter(self._audit_filter("audit__"))

    def recommendations(self) -> QuerySet[Recommendation]:
        if not self.region_ids:
            return Recommendation.objects.none()
        return Recommendation.objects.filter(self._audit_filter("audit__"))

    def _response_filter(self, path: str = "") -> Q:
        visible = Q(**{f"{path}audit__region__in": self.audit_regions | self.reader_regions})
        if self.secretary_bodies:
            visible |= Q(**{f"{path}body__in": self.secretary_bodies})
        return visible & self._audit_filter(f"{path}audit__")

    def responses(self) -> QuerySet[Response]:
        if not self.region_ids:
            return Response.objects.none()
        return Response.objects.filter(self._response_filter())

    def measures(self) -> QuerySet[Measure]:
        if not self.region_ids:
            return Measure.objects.none()
        return Measure.objects.filter(self._response_filter("response__"))

    def follow_ups(self) -> QuerySet[FollowUp]:
        if not self.region_ids:
            return FollowUp.objects.none()
        return FollowUp.objects.filter(self._audit_filter("recommendation__audit__"))

    def question_sets(self) -> QuerySet[QuestionSet]:
        # Coordinated question sets are shared between regions by design; starting an
        # audit from one is an audit-side act.
        if not self.audit_regions:
            return QuestionSet.objects.none()
        return QuestionSet.objects.all()

    def report_imports(self) -> QuerySet[ReportImport]:
        # An uploaded report under review is a draft audit in the making: the region's
        # audit side only, whoever of them uploaded it.
        if not self.audit_regions:
            return ReportImport.objects.none()
        return ReportImport.objects.filter(region__in=self.audit_regions)

    def comparison_audits(self, question_set: QuestionSet) -> QuerySet[Audit]:
        """The audits of a coordinated question set that a comparison may show.

        Comparing the regions is what a coordinated audit is for: whoever may see one
        of its audits sees how every region's issued report rated the shared
        questions. Drafts stay with their own region's audit side.
        """
        mine = self.audits().filter(question_set=question_set)
        if not mine.exists():
            return Audit.objects.none()
        issued = ~Q(status__in=Audit.DRAFT_STATUSES)
        return Audit.objects.filter(question_set=question_set).filter(
            issued | Q(pk__in=mine.values("pk"))
        )

    def history(self, audit: Audit) -> QuerySet[HistoryEvent]:
        """The recorded changes of an audit the user may see.

        The region's audit side sees everything, drafting included. Everyone else sees
        the work on the responses they may see (answers, decisions, measures) and the
        follow-ups: never how a draft's questions, ratings or wording came about.
        """
        events = HistoryEvent.objects.filter(audit_id=audit.pk)
        if audit.region_id in self.audit_regions:
            return events
        responses = list(self.responses().filter(audit=audit).values_list("pk", flat=True))
        measures = list(Measure.objects.filter(response__in=responses).values_list("pk", flat=True))
        return events.filter(
            Q(table_name="recommendations_response", object_pk__in=responses)
            | Q(
                refers_to("response_id", responses),
                table_name__in=(
                    "recommendations_answer",
                    "recommendations_decisionitem",
                    "recommendations_measure",
                ),
            )
            | Q(
                refers_to("measure_id", measures),
                table_name="recommendations_measure_recommendations",
            )
            | Q(table_name="recommendations_followup")
        )

    # What may be done ---------------------------------------------------------------

    def can_create_audits(self) -> bool:
        return bool(self.audit_regions)

    def can_manage_audit(self, audit: Audit) -> bool:
        """Move the lifecycle, issue, follow up: the audit side of the audit's region."""
        return audit.region_id in self.audit_regions

    def can_edit_audit(self, audit: Audit) -> bool:
        """Change findings and recommendations: only before the report is issued.

        The issued report is what the bodies received and answered; it stays as sent.
        """
        return self.can_manage_audit(audit) and audit.is_draft

    def can_follow_up(self, recommendation: Recommendation) -> bool:
        audit = recommendation.audit
        return (
            self.can_manage_audit(audit)
            and not audit.is_draft
            and audit.status != Audit.Status.CLOSED
        )

    def can_respond(self, audit: Audit, body: Body) -> bool:
        """Record a body's response: its secretaries, while the audit is issued and open."""
        return (
            body.pk in self.secretary_bodies
            and body.region_id == audit.region_id
            and not audit.is_draft
            and audit.status != Audit.Status.CLOSED
        )

    def can_edit_response(self, response: Response) -> bool:
        return self.can_respond(response.audit, response.body)

    def can_edit_measure(self, measure: Measure) -> bool:
        return self.can_edit_response(measure.response)

    def response_bodies(self, audit: Audit) -> QuerySet[Body]:
        """The bodies this user may respond for in this audit."""
        if audit.is_draft or audit.status == Audit.Status.CLOSED:
            return Body.objects.none()
        return audit.audited_bodies.filter(pk__in=self.secretary_bodies)


_EMPTY = Scope()


def operator_scope() -> Scope:
    """Everything, as the audit side sees it: for commands the operator runs on the
    server (exports, imports), never for a request."""
    return Scope(audit_regions=frozenset(Region.objects.values_list("pk", flat=True)))


def scope_for(user: User | AnonymousUser) -> Scope:
    """The user's scope, computed once per request (cached on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return _EMPTY
    cached = getattr(user, "_tracker_scope", None)
    if cached is not None:
        return cached
    audit_regions: set[int] = set()
    reader_regions: set[int] = set()
    secretary_regions: set[int] = set()
    secretary_bodies: set[int] = set()
    memberships = Membership.objects.filter(user=user).prefetch_related("bodies")
    for membership in memberships:
        if membership.role in AUDIT_SIDE_ROLES:
            audit_regions.add(membership.region_id)
        elif membership.role == Membership.Role.READER:
            reader_regions.add(membership.region_id)
        elif membership.role == Membership.Role.SECRETARY:
            # Bodies of another region on a membership are refused by validation; this
            # filter keeps a slipped-through row from widening access.
            bodies = {b.pk for b in membership.bodies.all() if b.region_id == membership.region_id}
            if bodies:
                secretary_regions.add(membership.region_id)
                secretary_bodies |= bodies
    scope = Scope(
        audit_regions=frozenset(audit_regions),
        reader_regions=frozenset(reader_regions),
        secretary_bodies=frozenset(secretary_bodies),
        secretary_regions=frozenset(secretary_regions),
    )
    user._tracker_scope = scope  # type: ignore[union-attr]
    return scope


# The public page: no sign-in, so no Scope. Only regions that opted in, only issued audits.


def public_regions() -> QuerySet[Region]:
    return Region.objects.filter(public_page=True)


def public_audits(region: Region) -> QuerySet[Audit]:
    if not region.public_page:
        return Audit.objects.none()
    return Audit.objects.filter(region=region).issued()
