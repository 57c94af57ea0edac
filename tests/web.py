"""Reading pages as a user does: who is signed in, what a form submits, what it says back."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.db import transaction
from django.test import Client
from django.utils import translation

from audits.demo import load_demo
from regions.models import Body, Membership, Region, User

# What htmx sends with every request it makes.
HTMX = {"HTTP_HX_REQUEST": "true"}


@contextmanager
def demo_for_a_module(django_db_blocker: Any, today: datetime.date) -> Iterator[None]:
    """The demo loaded once for a whole test module and rolled back after it.

    Each test still runs in a savepoint of its own (pytest-django's `db`), so what one
    test changes is gone before the next; the demo costs one load, not one per test.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(today=today)
        yield
        transaction.set_rollback(True)


def grant(user: User, region: Region, role: str, *, bodies: tuple[Body, ...] = ()) -> User:
    membership = Membership.objects.create(user=user, region=region, role=role)
    membership.bodies.set(bodies)
    return user


def member(region: Region, role: str, *, bodies: tuple[Body, ...] = (), username: str = "") -> User:
    """A new user with one role in one region (secretaries act for `bodies`)."""
    user = User.objects.create_user(
        username or f"{role}.{region.code}", first_name=role.title(), last_name=region.code
    )
    return grant(user, region, role, bodies=bodies)


def signed_in(user: User) -> Client:
    """A browser of its own for this user (several users can work side by side)."""
    client = Client()
    client.force_login(user)
    return client


def text(page: Any) -> str:
    """The page's HTML with entities resolved, so Swedish quotes compare as written."""
    return html.unescape(page.content.decode())


def _strip_tags(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def field_error(page: Any, field_id: str) -> str:
    """The error shown next to the field `field_id` (the list aria-describedby points at)."""
    content = page.content.decode()
    match = re.search(
        rf'<ul class="errorlist[^"]*" id="{re.escape(field_id)}_error">(.*?)</ul>', content, re.S
    )
    assert match, f"no error is shown next to #{field_id}"
    return _strip_tags(match.group(1))


def form_errors(page: Any) -> str:
    """Errors of the whole form (non-field and formset errors), as one string."""
    content = page.content.decode()
    found = re.findall(r'<ul class="errorlist (?:nonfield|nonform)[^"]*">(.*?)</ul>', content, re.S)
    return " ".join(_strip_tags(fragment) for fragment in found)


def hidden_value(page: Any, name: str) -> str:
    """The value of a hidden input, as the browser would submit it."""
    content = page.content.decode()
    match = re.search(rf'<input type="hidden" name="{re.escape(name)}" value="([^"]*)"', content)
    assert match, f"the page has no hidden input {name!r}"
    return match.group(1)


def element(page: Any, opening: str, tag: str) -> str:
    """The HTML of the element that starts with `opening` (e.g. '<section id="summary"')."""
    content = page.content.decode()
    start = content.find(opening)
    assert start >= 0, f"the page has no {opening}"
    depth, position = 0, start
    pattern = re.compile(rf"<(/?){tag}\b", re.I)
    for match in pattern.finditer(content, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            position = content.index(">", match.end()) + 1
            return html.unescape(content[start:position])
    raise AssertionError(f"{opening} is not closed")


def conflict_notice(page: Any) -> str:
    """The conflict notice (saved version next to the user's), as text."""
    return _strip_tags(element(page, '<div class="conflict" role="alert">', "div"))


def conflict_versions(page: Any) -> list[tuple[str, str]]:
    """(saved, yours) for every field the conflict notice compares."""
    notice = element(page, '<div class="conflict" role="alert">', "div")
    rows = re.findall(
        r'<th scope="row">.*?</th><td class="prose">(.*?)</td><td class="prose">(.*?)</td>',
        notice,
        re.S,
    )
    return [(" ".join(theirs.split()), " ".join(yours.split())) for theirs, yours in rows]


def _value(bound: forms.BoundField) -> Any:
    value = bound.value()
    widget = bound.field.widget
    if value is None and isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        # A drop-down with nothing selected submits its first option.
        first = next(iter(bound.field.choices), None)
        value = str(first[0]) if first is not None else None
    if isinstance(widget, forms.CheckboxInput):
        return "on" if value else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return value


def form_data(form: forms.BaseForm) -> dict[str, Any]:
    """What submitting the form unchanged sends: each field's name and shown value."""
    data: dict[str, Any] = {}
    for bound in form:
        if isinstance(bound.field, forms.FileField):
            continue
        value = _value(bound)
        if value is not None:
            data[bound.html_name] = value
    return data


def formset_data(formset: forms.BaseFormSet) -> dict[str, Any]:
    data = form_data(formset.management_form)
    for form in formset.forms:
        data.update(form_data(form))
    return data


def sv_plural(singular: str, plural: str, count: int) -> str:
    """The Swedish for a counted message; fails if it has no translation."""
    with translation.override("sv"):
        swedish = translation.ngettext(singular, plural, count)
    english = singular if count == 1 else plural
    assert swedish != english, f"No Swedish translation for {english!r}"
    return swedish
