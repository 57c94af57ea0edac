"""What a reminder says, written at send time from the current records.

A builder returns None when the reminder is no longer due (the response was recorded,
the measure was done or moved, the follow-up made): that is how reminders "stop at
once" even for rows already in the ledger.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audits.models import Audit

from ..models import Recommendation
from .models import Reminder
from .queries import awaited_pairs, open_measures

Kind = Reminder.Kind
SECTION_LIMIT = 50


@dataclass
class Item:
    text: str
    url: str = ""
    note: str = ""


@dataclass
class Section:
    title: str
    items: list[Item]
    more: int = 0
    more_url: str = ""


@dataclass
class Content:
    subject: str
    lead: list[str]
    deadline: datetime.date | None = None
    deadline_label: str = ""
    deadline_note: str = ""
    sections: list[Section] = field(default_factory=list)
    action_label: str = ""
    action_url: str = ""
    footer: list[str] = field(default_factory=list)


def link(name: str, *args: object, fragment: str = "", query: str = "") -> str:
    url = settings.TRACKER["SITE_URL"] + reverse(name, args=args)
    return url + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")


def days_note(due: datetime.date, today: datetime.date) -> str:
    days = (due - today).days
    if days > 0:
        return ngettext("%(count)s day left", "%(count)s days left", days) % {"count": days}
    if days == 0:
        return _("The deadline is today.")
    late = -days
    return ngettext("overdue by %(count)s day", "overdue by %(count)s days", late) % {"count": late}


def short(text: str, length: int = 70) -> str:
    return Truncator(" ".join(text.split())).chars(length)


def build(reminder: Reminder, today: datetime.date | None = None) -> EmailMultiAlternatives | None:
    """The e-mail for a claimed reminder, in the recipient's language; None if not due."""
    today = today or timezone.localdate()
    with translation.override(reminder.language or settings.LANGUAGE_CODE):
        content = BUILDERS[reminder.kind](reminder, today)
        if content is None:
            return None
        content.footer.append(
            _("You can turn off the weekly digest on your account page: %(url)s")
            % {"url": link("account")}
            if reminder.kind == Kind.DIGEST
            else _("Deadline reminders are part of the audit process and cannot be turned off.")
        )
        context = {"content": content, "reminder": reminder}
        text = render_to_string("emails/reminder.txt", context)
        html = render_to_string("emails/reminder.html", context)
    message = EmailMultiAlternatives(
        subject=content.subject,
        body=text,
        to=[reminder.recipient_email],
        headers={
            # Fixed per ledger row: a repeat after a crash folds into the first in mail clients.
            "Message-ID": reminder.message_id,
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _response(reminder: Reminder, today: datetime.date) -> Content | None:
    audit = reminder.audit
    body = reminder.body
    if (
        audit is None
        or body is None
        or audit.status not in Audit.OPEN_STATUSES
        or audit.response_deadline != reminder.due_date
        or not awaited_pairs().filter(audit=audit, body=body).exists()
    ):
        return None
    names = {"body": body.name, "audit": audit.title, "region": audit.region.name}
    names["date"] = reminder.due_date.isoformat()
    lead: list[str] = []
    if reminder.is_copy:
        lead.append(_("A copy for you as the audit's responsible auditor."))
    if reminder.kind == Kind.RESPONSE_DUE:
        subject = _("Response due %(date)s: %(audit)s") % names
        lead.append(
            _(
                "%(body)s is asked to respond to the audit report “%(audit)s” (%(region)s) "
                "by %(date)s."
            )
            % names
        )
    else:
        subject = _("Response overdue: %(audit)s") % names
        lead.append(
            _(
                "The response of %(body)s to the audit report “%(audit)s” (%(region)s) was due "
                "%(date)s and has not been recorded."
            )
            % names
        )
        lead.append(_("This reminder comes every week until the response is recorded."))
    recommendations = Recommendation.objects.filter(audit=audit, body=body).order_by("number")
    items = [
        Item(f"{rec.number}. {short(rec.text, 160)}", link("recommendation-detail", rec.pk))
        for rec in recommendations
    ]
    sections = [Section(_("Recommendations to respond to"), items)] if items else []
    if reminder.is_copy:
        action = (_("Open the audit"), link("audit-detail", audit.pk))
    else:
        action = (_("Record the response"), link("response-edit", audit.pk, body.pk))
    return Content(
        subject=subject,
        lead=lead,
        deadline=reminder.due_date,
        deadline_label=_("Response deadline"),
        deadline_note=days_note(reminder.due_date, today),
        sections=sections,
        action_label=action[0],
        action_url=action[1],
    )


def _measure(reminder: Reminder, today: datetime.date) -> Content | None:
    measure = (
        open_measures()
        .filter(pk=reminder.measure_id, due_date=reminder.due_date)
        .select_related("response__audit", "response__body")
        .first()
    )
    if measure is None:
        return None
    audit = measure.response.audit
    names = {
        "body": measure.response.body.name,
        "audit": audit.title,
        "measure": short(measure.description, 60),
        "date": reminder.due_date.isoformat(),
    }
    if reminder.kind == Kind.MEASURE_DUE:
        subject = _("Measure due %(date)s: %(measure)s") % names
        lead = [_("%(body)s promised this measure in its response to “%(audit)s”:") % names]
    else:
        subject = _("Measure overdue: %(measure)s") % names
        lead = [
            _("This measure, promised by %(body)s in its response to “%(audit)s”, is overdue:")
            % names
        ]
    notes = []
    if measure.responsible:
        notes.append(_("Responsible: %(name)s") % {"name": measure.responsible})
    if measure.revised_due_date:
        notes.append(
            _("Originally due %(date)s.") % {"date": measure.original_due_date.isoformat()}
        )
    item = Item(
        short(measure.description, 400),
        link("response-detail", measure.response_id, fragment=f"measure-{measure.pk}"),
        " ".join(notes),
    )
    footer = []
    if reminder.kind == Kind.MEASURE_OVERDUE:
        footer.append(_("This reminder comes every week until the measure is marked done."))
    return Content(
        subject=subject,
        lead=lead,
        deadline=reminder.due_date,
        deadline_label=_("Due date"),
        deadline_note=days_note(reminder.due_date, today),
        sections=[Section(_("Measure"), [item])],
        action_label=_("Mark it done, or revise the date with a reason"),
        action_url=item.url,
        footer=footer,
    )


def _follow_up(reminder: Reminder, today: datetime.date) -> Content | None:
    audit = reminder.audit
    if audit is None:
        return None
    due = list(
        Recommendation.objects.filter(audit=audit)
        .follow_up_due(max(today, reminder.due_date))
        .order_by("number")
    )
    if not due:
        return None
    names = {"audit": audit.title, "region": audit.region.name, "count": len(due)}
    items = [
        Item(
            f"{rec.number}. {short(rec.text, 160)}",
            link("recommendation-detail", rec.pk),
            _("Follow-up due %(date)s") % {"date": rec.follow_up_due.isoformat()},
        )
        for rec in due
    ]
    return Content(
        subject=_("Follow-up due: %(audit)s") % names,
        lead=[
            ngettext(
                "%(count)s recommendation of “%(audit)s” (%(region)s) is due for follow-up.",
                "%(count)s recommendations of “%(audit)s” (%(region)s) are due for follow-up.",
                len(due),
            )
            % names
        ],
        deadline=reminder.due_date,
        deadline_label=_("Follow-up due"),
        deadline_note=days_note(reminder.due_date, today),
        sections=[Section(_("Recommendations"), items)],
        action_label=_("Open the audit"),
        action_url=link("audit-detail", audit.pk),
    )


def _section(title: str, items: list[Item], more_url: str) -> Section:
    return Section(title, items[:SECTION_LIMIT], max(0, len(items) - SECTION_LIMIT), more_url)


def _digest(reminder: Reminder, today: datetime.date) -> Content | None:
    region = reminder.region
    awaited = (
        awaited_pairs()
        .filter(audit__region=region, audit__response_deadline__lt=today)
        .select_related("audit", "body")
        .order_by("audit__response_deadline", "audit__title")
    )
    responses = [
        Item(
            f"{pair.body.name}: {pair.audit.title}",
            link("audit-detail", pair.audit_id),
            days_note(pair.audit.response_deadline, today),
        )
        for pair in awaited
    ]
    measures = [
        Item(
            f"{measure.response.body.name}: {short(measure.description)}",
            link("response-detail", measure.response_id, fragment=f"measure-{measure.pk}"),
            days_note(measure.due_date, today),
        )
        for measure in open_measures()
        .filter(response__audit__region=region, due_date__lt=today)
        .select_related("response__body")
        .order_by("due_date", "pk")
    ]
    follow_ups = [
        Item(
            f"{rec.audit.title}: {rec.number}. {short(rec.text)}",
            link("recommendation-detail", rec.pk),
            _("Follow-up due %(date)s") % {"date": rec.follow_up_due.isoformat()},
        )
        for rec in Recommendation.objects.filter(audit__region=region)
        .follow_up_due(today)
        .select_related("audit")
        .order_by("follow_up_due", "audit__title", "number")
    ]
    if not (responses or measures or follow_ups):
        return None
    sections = [
        _section(_("Responses overdue"), responses, link("audit-list")),
        _section(_("Measures overdue"), measures, link("measure-list", query="overdue=true")),
        _section(_("Follow-ups due"), follow_ups, link("recommendation-list")),
    ]
    names = {"region": region.name, "date": reminder.due_date.isoformat()}
    return Content(
        subject=_("Weekly overview %(date)s: overdue in %(region)s") % names,
        lead=[_("Everything overdue in %(region)s as of today:") % names],
        sections=[section for section in sections if section.items],
        action_label=_("Open the start page"),
        action_url=link("home"),
    )


BUILDERS = {
    Kind.RESPONSE_DUE: _response,
    Kind.RESPONSE_OVERDUE: _response,
    Kind.MEASURE_DUE: _measure,
    Kind.MEASURE_OVERDUE: _measure,
    Kind.FOLLOW_UP_DUE: _follow_up,
    Kind.DIGEST: _digest,
}
