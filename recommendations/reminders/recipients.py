"""Who receives a reminder, loaded for a whole sweep in a few queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from audits.models import Audit
from regions.models import Body, Membership, User

from .models import Reminder

if TYPE_CHECKING:
    from .sweep import Due

Kind = Reminder.Kind


@dataclass(frozen=True)
class Recipient:
    email: str
    user_id: int | None
    language: str
    is_copy: bool = False


def _person(user_id: int, email: str, language: str, *, is_copy: bool = False) -> Recipient:
    return Recipient(email.strip().lower(), user_id, language or "sv", is_copy)


@dataclass
class Recipients:
    secretaries: dict[int, list[Recipient]] = field(default_factory=dict)
    body_addresses: dict[int, Recipient] = field(default_factory=dict)
    responsible_auditors: dict[int, Recipient] = field(default_factory=dict)
    users: dict[int, Recipient] = field(default_factory=dict)
    # region -> [(recipient, wants the weekly digest)]
    audit_sides: dict[int, list[tuple[Recipient, bool]]] = field(default_factory=dict)

    @classmethod
    def load(cls, due: Iterable[Due]) -> Recipients:
        due = list(due)
        bodies = {item.body_id for item in due if item.body_id}
        audits = {
            item.audit_id for item in due if item.kind in (Kind.RESPONSE_DUE, Kind.RESPONSE_OVERDUE)
        }
        users = {item.responsible_user_id for item in due if item.responsible_user_id}
        regions = {item.region_id for item in due if item.kind in (Kind.FOLLOW_UP_DUE, Kind.DIGEST)}
        found = cls()

        secretaries = defaultdict(list)
        through = Membership.bodies.through.objects.filter(
            body_id__in=bodies,
            membership__role=Membership.Role.SECRETARY,
            membership__user__is_active=True,
        ).exclude(membership__user__email="")
        rows = through.order_by("membership__user_id").values_list(
            "body_id",
            "membership__user_id",
            "membership__user__email",
            "membership__user__language",
        )
        for body, user, email, language in rows:
            secretaries[body].append(_person(user, email, language))
        found.secretaries = dict(secretaries)
        # A body without a secretary account is still reached at its registry address.
        for body, email in (
            Body.objects.filter(pk__in=bodies).exclude(email="").values_list("pk", "email")
        ):
            found.body_addresses[body] = Recipient(email.strip().lower(), None, "sv")

        for audit, user, email, language in (
            Audit.objects.filter(pk__in=audits, responsible_auditor__is_active=True)
            .exclude(responsible_auditor__email="")
            .values_list(
                "pk",
                "responsible_auditor_id",
                "responsible_auditor__email",
                "responsible_auditor__language",
            )
        ):
            found.responsible_auditors[audit] = _person(user, email, language, is_copy=True)

        for user, email, language in (
            User.objects.filter(pk__in=users, is_active=True)
            .exclude(email="")
            .values_list("pk", "email", "language")
        ):
            found.users[user] = _person(user, email, language)

        sides = defaultdict(list)
        for region, user, email, language, digest in (
            Membership.objects.filter(
                region__in=regions, role__in=Membership.AUDIT_SIDE_ROLES, user__is_active=True
            )
            .exclude(user__email="")
            .order_by("user_id")
            .values_list(
                "region_id", "user_id", "user__email", "user__language", "user__weekly_digest"
            )
        ):
            sides[region].append((_person(user, email, language), digest))
        found.audit_sides = dict(sides)
        return found

    def for_body(self, body: int | None) -> Iterator[Recipient]:
        if body is None:
            return
        people = self.secretaries.get(body)
        if people:
            yield from people
        elif body in self.body_addresses:
            yield self.body_addresses[body]

    def responsible_auditor(self, audit: int | None) -> Recipient | None:
        return self.responsible_auditors.get(audit) if audit is not None else None

    def user(self, user: int | None) -> Recipient | None:
        return self.users.get(user) if user is not None else None

    def audit_side(self, region: int, *, digest: bool = False) -> Iterator[Recipient]:
        for person, wants_digest in self.audit_sides.get(region, []):
            # The digest can be turned off; deadline notices cannot.
            if wants_digest or not digest:
                yield person
