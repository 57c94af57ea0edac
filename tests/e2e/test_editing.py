"""Inline editing on the audit page: reorder and nest by keyboard, unsaved-change warnings."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from audits.models import Audit, AuditQuestion

from ..conftest import sv
from .conftest import log_in, settled, tab_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _draft() -> Audit:
    return Audit.objects.get(region__code="norrbotten", status=Audit.Status.ONGOING)


def _texts(audit: Audit) -> list[tuple[str, str]]:
    # Sorted in Python: databases disagree on where NULL parents sort.
    questions = AuditQuestion.objects.filter(audit=audit).select_related("parent")
    rows = [(q.number, q.text) for q in questions]
    return sorted(rows, key=lambda row: [int(part) for part in row[0].split(".")])


def test_auditor_reorders_and_nests_questions_by_keyboard(page: Page, demo):
    audit = _draft()
    first = audit.questions.get()
    log_in(page, "revisor.norrbotten")
    page.goto(f"/audits/{audit.pk}/")

    tab_to(page, page.locator("#id_new-text"))
    page.keyboard.type("Finns rutiner för rapportering?")
    page.keyboard.press("Control+Enter")
    expect(page.locator("ol.questions > li")).to_have_count(2)
    second = audit.questions.get(position=2)

    # Move the new question up: it becomes number 1 and keeps the keyboard focus.
    tab_to(page, page.locator(f"#move-up-{second.pk}"))
    page.keyboard.press("Enter")
    expect(page.locator(f"#question-{second.pk}-heading")).to_have_text(
        "1. Finns rutiner för rapportering?"
    )
    expect(page.locator(f"#move-up-{second.pk}")).to_be_focused()
    expect(page.locator("#live")).to_contain_text(
        sv("Question moved; it is now number %(number)s.") % {"number": "1"}
    )

    # A sub-question under the (now second) original question.
    tab_to(page, page.locator(f"#sub-slot-{first.pk} a"))
    page.keyboard.press("Enter")
    field = page.locator(f"#add-sub-{first.pk} textarea")
    expect(field).to_be_focused()
    page.keyboard.type("Följs rapporteringen upp av styrelsen?")
    page.keyboard.press("Control+Enter")
    expect(page.locator(f"#question-{first.pk} .sub-questions > li")).to_have_count(1)
    sub = AuditQuestion.objects.get(parent=first)
    expect(page.locator(f"#question-{sub.pk}-heading")).to_have_text(
        "2.1. Följs rapporteringen upp av styrelsen?"
    )
    expect(page.locator(f"#question-{sub.pk}")).to_be_focused()
    assert _texts(audit) == [
        ("1", "Finns rutiner för rapportering?"),
        ("2", first.text),
        ("2.1", "Följs rapporteringen upp av styrelsen?"),
    ]
    # The summary table followed without a reload.
    expect(page.locator("#summary tbody tr")).to_have_count(3)
    expect(page.locator("#summary tbody tr").first).to_contain_text("1. Finns rutiner")


def test_unsaved_inline_edit_asks_before_it_is_thrown_away(page: Page, demo):
    audit = _draft()
    question = audit.questions.get()
    log_in(page, "revisor.norrbotten")
    page.goto(f"/audits/{audit.pk}/")
    page.locator(f"a[href='/questions/{question.pk}/edit/']").click()
    form = page.locator(f"#question-{question.pk}-form")
    expect(form).to_be_visible()
    settled(page)  # htmx wires up the form's cancel link when it has settled
    page.locator(f"#question-{question.pk}-form textarea").fill("En ändring som inte sparats")
    expect(form.locator(".unsaved-note")).to_have_text(sv("Unsaved changes"))

    dialogs: list[str] = []

    def dismiss(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    form.locator("a[data-cancel]").click()
    expect(page.locator(f"#question-{question.pk}-form")).to_be_visible()
    assert dialogs == [sv("You have unsaved changes. Leave without saving?")]
    expect(form.locator("textarea")).to_have_value("En ändring som inte sparats")

    # Leaving the page asks too (the browser's own beforeunload prompt).
    kinds: list[str] = []

    def note(dialog) -> None:
        kinds.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", note)
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert kinds == ["beforeunload"]
    question.refresh_from_db()
    assert question.text != "En ändring som inte sparats"


def test_clean_inline_form_closes_without_asking(page: Page, demo):
    audit = _draft()
    question = audit.questions.get()
    log_in(page, "revisor.norrbotten")
    page.goto(f"/audits/{audit.pk}/")
    page.on("dialog", lambda dialog: pytest.fail(f"unexpected dialog: {dialog.message}"))
    page.locator(f"a[href='/questions/{question.pk}/edit/']").click()
    form = page.locator(f"#question-{question.pk}-form")
    expect(form).to_be_visible()
    settled(page)  # htmx wires up the form's cancel link when it has settled
    form.locator("a[data-cancel]").click()
    expect(form).to_have_count(0)
    expect(page.locator(f"#question-{question.pk}-heading")).to_be_visible()
