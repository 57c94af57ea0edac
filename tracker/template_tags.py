"""Template tags shared by every page: `{% load tracker %}`."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audits.models import Audit, RatingLevel

register = template.Library()


@register.simple_tag
def rating(level: RatingLevel | str | None) -> SafeString:
    """A level's word with its colour beside it: colour alone never carries the meaning.

    The swatch is an SVG fill attribute, not an inline style, so a strict CSP allows it.
    """
    if not isinstance(level, RatingLevel):  # unrated: the template passes "" or None
        return format_html('<span class="rating muted">{}</span>', _("Not rated"))
    return format_html(
        '<span class="rating"><svg width="14" height="14" aria-hidden="true" focusable="false">'
        '<rect x=".5" y=".5" width="13" height="13" fill="{}" stroke="#1b1f24"/></svg>{}</span>',
        level.colour,
        level.label,
    )


@register.simple_tag
def audit_status(audit: Audit) -> SafeString:
    css = "status status--draft" if audit.is_draft else "status"
    return format_html('<span class="{}">{}</span>', css, audit.get_status_display())


def days_left(deadline: datetime.date, today: datetime.date | None = None) -> int:
    return (deadline - (today or timezone.localdate())).days


@register.simple_tag
def deadline(value: datetime.date | None, done: bool = False) -> SafeString:
    """The date, and unless done, how many days are left or how late it is."""
    if value is None:
        return mark_safe("–")
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    # ISO 8601 in every language; isoformat() is that, without the format machinery
    # (a list shows this tag on every row).
    iso = value.isoformat()
    stamp = format_html('<time datetime="{}">{}</time>', iso, iso)
    if done:
        return stamp
    days = days_left(value)
    if days < 0:
        text = ngettext("overdue by %(days)d day", "overdue by %(days)d days", -days) % {
            "days": -days
        }
        return format_html('{} <span class="overdue">({})</span>', stamp, text)
    if days == 0:
        return format_html('{} <span class="due-soon">({})</span>', stamp, _("due today"))
    text = ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}
    return format_html("{} <span>({})</span>", stamp, text)


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key)


@register.filter
def css_string(value: object) -> SafeString:
    """`value` as a quoted CSS string, for `content:` in a document's page rules.

    Quotes, backslashes and line breaks become CSS escapes, and "<" too, so the text
    cannot end the string, the rule or the <style> element it sits in.
    """
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\<>\n\r\f' else char for char in str(value))
    return mark_safe(f'"{escaped}"')  # noqa: S308 - every special character is escaped


@register.simple_tag
def pdf_rating(level: RatingLevel | None) -> SafeString:
    """A rating in a PDF: the swatch in the level's colour, then the word."""
    if not isinstance(level, RatingLevel):
        return format_html('<span class="rating muted">{}</span>', _("Not rated"))
    return format_html(
        '<span class="rating"><span class="swatch" style="background-color: {}"></span>{}</span>',
        level.colour,
        level.label,
    )


@register.filter
def whole_minutes(value: datetime.timedelta | None) -> int:
    """A duration in whole minutes, rounded up: "wait 15 minutes" must not end early."""
    if not isinstance(value, datetime.timedelta):
        return 0
    return -(-int(value.total_seconds()) // 60)
