"""The personal calendar feed: a user's deadlines as an iCalendar file.

Outlook and other calendars subscribe to a secret address and fetch it again every few
hours, so the feed is computed on every request from what `scope_for(user)` lets the
user see; nothing is stored but the token in the address. What counts as the user's
deadline:

- Response deadlines of issued, open audits, per (audit, body) pair while that body has
  not recorded its response: for secretaries the bodies they act for, for the audit
  side every body of their regions. Readers have none.
- Open measures of open audits: those the user is named responsible for, those of a
  secretary's bodies, every measure of an audit-side user's regions. A measure of a
  closed audit can no longer be marked done, so it would stay overdue for ever.
- For the audit side, one follow-up per open audit, on the earliest date one of its
  unresolved recommendations is due, up to FOLLOW_UP_HORIZON_DAYS ahead.

Overdue items stay in the feed (marked so) until they are answered, done or closed.
"""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from regions.access import Scope, scope_for
from regions.models import User

from .queries import awaited_pairs, earliest_follow_ups, open_measures

# Follow-ups fall due a year or more after the response deadline; further ahead they
# would only crowd the calendar with dates nobody plans for yet.
FOLLOW_UP_HORIZON_DAYS = 365

# What secrets.token_urlsafe produces; anything else is refused before the database
# sees it (PostgreSQL rejects a NUL byte in a query with an error, not an empty result).
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


@dataclass(frozen=True)
class Deadline:
    uid: str
    date: datetime.date
    summary: str
    url: str
    description: str


def _uid(kind: str, *ids: int) -> str:
    # Stable across fetches, so a calendar updates an event instead of duplicating it.
    return "-".join([kind, *map(str, ids)]) + "@" + settings.TRACKER["MESSAGE_ID_DOMAIN"]


def _link(name: str, *args: int, anchor: str = "") -> str:
    return settings.TRACKER["SITE_URL"] + reverse(name, args=args) + anchor


def _summary(text: str, due: datetime.date, today: datetime.date) -> str:
    return f"{text} ({_('overdue')})" if due < today else text


def _response_deadlines(scope: Scope, today: datetime.date) -> list[Deadline]:
    if not (scope.secretary_bodies or scope.audit_regions):
        return []
    mine = Q(body__in=scope.secretary_bodies) | Q(audit__region__in=scope.audit_regions)
    pairs = (
        awaited_pairs()
        .filter(mine, audit__in=scope.audits(), audit__response_deadline__isnull=False)
        .select_related("audit__region", "body")
    )
    deadlines = []
    for pair in pairs:
        audit, body = pair.audit, pair.body
        # A secretary's next step is the response form; the audit side's is the audit.
        if body.pk in scope.secretary_bodies:
            url = _link("response-edit", audit.pk, body.pk)
        else:
            url = _link("audit-detail", audit.pk)
        text = _("Response due from %(body)s: %(audit)s") % {"body": body, "audit": audit.title}
        deadlines.append(
            Deadline(
                uid=_uid("response", audit.pk, body.pk),
                date=audit.response_deadline,
                summary=_summary(text, audit.response_deadline, today),
                url=url,
                description="\n".join([str(audit), f"{body}, {audit.region}", url]),
            )
        )
    return deadlines


def _measure_deadlines(user: User, scope: Scope, today: datetime.date) -> list[Deadline]:
    mine = (
        Q(responsible_user=user)
        | Q(response__body__in=scope.secretary_bodies)
        | Q(response__audit__region__in=scope.audit_regions)
    )
    measures = (
        open_measures()
        .filter(mine, pk__in=scope.measures().values("pk"))
        .select_related("response__audit", "response__body")
    )
    deadlines = []
    for measure in measures:
        audit, body = measure.response.audit, measure.response.body
        url = _link("response-detail", measure.response_id, anchor=f"#measure-{measure.pk}")
        text = _("Measure due (%(body)s): %(measure)s") % {
            "body": body.short_name or body.name,
            "measure": Truncator(" ".join(measure.description.split())).chars(80),
        }
        deadlines.append(
            Deadline(
                uid=_uid("measure", measure.pk),
                date=measure.due_date,
                summary=_summary(text, measure.due_date, today),
                url=url,
                description="\n".join([measure.description, str(audit), str(body), url]),
            )
        )
    return deadlines


def _follow_up_deadlines(scope: Scope, today: datetime.date) -> list[Deadline]:
    if not scope.audit_regions:
        return []
    horizon = today + datetime.timedelta(days=FOLLOW_UP_HORIZON_DAYS)
    earliest = earliest_follow_ups(
        scope.recommendations().filter(audit__region__in=scope.audit_regions), horizon
    )
    deadlines = []
    for audit in scope.audits().filter(pk__in=earliest).select_related("region"):
        date = earliest[audit.pk][0]
        url = _link("audit-detail", audit.pk)
        text = _("Follow-up due: %(audit)s") % {"audit": audit.title}
        deadlines.append(
            Deadline(
                uid=_uid("follow-up", audit.pk),
                date=date,
                summary=_summary(text, date, today),
                url=url,
                description="\n".join([str(audit), str(audit.region), url]),
            )
        )
    return deadlines


def deadlines_for(user: User, today: datetime.date) -> list[Deadline]:
    """The user's deadlines, overdue ones included, by date; texts in the user's language."""
    scope = scope_for(user)
    with translation.override(user.language):
        deadlines = [
            *_response_deadlines(scope, today),
            *_measure_deadlines(user, scope, today),
            *_follow_up_deadlines(scope, today),
        ]
    return sorted(deadlines, key=lambda deadline: (deadline.date, deadline.uid))


def calendar_for(user: User, today: datetime.date) -> bytes:
    """The user's deadlines as an iCalendar file of all-day events."""
    with translation.override(user.language):
        name = _("Audit findings – %(name)s") % {"name": user}
    calendar = Calendar()
    calendar.add("prodid", "-//Audit findings tracker//Calendar feed//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for deadline in deadlines_for(user, today):
        event = Event()
        event.add("uid", deadline.uid)
        event.add("dtstamp", stamp)
        # Dates, not times: VALUE=DATE makes an all-day event in every time zone.
        event.add("dtstart", deadline.date)
        if deadline.date < datetime.date.max:  # without DTEND an all-day event is one day
            event.add("dtend", deadline.date + datetime.timedelta(days=1))
        event.add("summary", deadline.summary)
        event.add("description", deadline.description)
        event.add("url", deadline.url)
        # A deadline does not make the user busy that day.
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


# The feed's address ----------------------------------------------------------------


def calendar_owner(token: str) -> User | None:
    """The active user whose feed this token opens, or None."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    return User.objects.filter(calendar_token=token, is_active=True).first()


def calendar_token_renew(user: User) -> None:
    """Turn the feed on with a new address; an earlier address stops working."""
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])


def calendar_token_revoke(user: User) -> None:
    user.calendar_token = None
    user.save(update_fields=["calendar_token"])


def calendar_url(user: User) -> str | None:
    """The feed's absolute address, or None while the feed is off."""
    if not user.calendar_token:
        return None
    return settings.TRACKER["SITE_URL"] + reverse("calendar-feed", args=[user.calendar_token])
