"""The change history: recorded on every database, told in Swedish, never rewritten."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from audits.models import Assessment, AuditQuestion, Observation
from recommendations.models import FollowUp, Measure
from regions.models import Membership
from tracker.history.context import history_context
from tracker.history.models import HistoryEvent, ImmutableHistory
from tracker.history.tracked import TRACKED

from ..conftest import sv
from ..web import HTMX, form_data, member, signed_in, text

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="triggers are PostgreSQL's; SQLite uses signals"
)


@pytest.fixture
def auditor(region):
    return member(region, Membership.Role.AUDITOR, username="anna.auditor")


@pytest.fixture
def rated(audit, scale):
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål för 1177?")
    Assessment.objects.create(question=question, level=scale.levels.get(label="Delvis uppfylld"))
    return question


def _events(**filters) -> list[HistoryEvent]:
    return list(HistoryEvent.objects.filter(**filters).order_by("id"))


def test_creating_changing_and_deleting_are_recorded_with_before_and_after(audit, rated, scale):
    observation = Observation.objects.create(question=rated, position=1, text="Inga mål.")
    observation.text = "Mål saknas för telefon."
    observation.save()
    observation.delete()

    created, changed, deleted = _events(table_name="audits_observation")
    assert (created.action, created.before, created.after["text"]) == ("insert", None, "Inga mål.")
    assert changed.action == "update"
    assert changed.before["text"] == "Inga mål."
    assert changed.after["text"] == "Mål saknas för telefon."
    assert (deleted.action, deleted.after, deleted.before["text"]) == (
        "delete",
        None,
        "Mål saknas för telefon.",
    )
    # Each event knows its audit, even after the row is gone.
    assert {e.audit_id for e in (created, changed, deleted)} == {audit.pk}


def test_a_save_that_changes_nothing_is_no_event(rated):
    assessment = rated.assessment
    before = HistoryEvent.objects.count()
    assessment.save()
    assert HistoryEvent.objects.count() == before


def test_a_change_through_the_ui_names_the_user_and_the_request(auditor, rated, scale):
    url = reverse("assessment-edit", args=[rated.pk])
    browser = signed_in(auditor)
    data = form_data(browser.get(url, **HTMX).context["form"])
    level = scale.levels.get(label="Ej uppfylld")
    browser.post(url, {**data, f"rating-{rated.pk}-level": level.pk}, **HTMX)

    (event,) = _events(table_name="audits_assessment", action="update")
    assert event.user_id == auditor.pk
    assert event.context["method"] == "POST"
    assert event.context["path"] == url
    assert event.before["level_id"] != event.after["level_id"] == level.pk

    page = text(browser.get(reverse("audit-history", args=[rated.audit_id])))
    assert "Bedömning ändrades från Delvis uppfylld till Ej uppfylld" in page
    assert str(auditor) in page
    assert timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M") in page
    assert f"POST {url}" in page


def test_changes_made_by_a_command_name_the_command(rated):
    with history_context(command="import_report"):
        rated.text = "Finns mätbara mål för 1177?"
        rated.save()
    (event,) = _events(table_name="audits_auditquestion", action="update")
    assert event.user_id is None
    assert event.context == {"command": "import_report"}


def test_many_to_many_links_are_recorded(issued_audit, recommendation, response):
    measure = Measure.objects.create(
        response=response, description="Ta fram mål.", original_due_date=datetime.date(2022, 6, 1)
    )
    measure.recommendations.add(recommendation)
    measure.recommendations.remove(recommendation)
    link_events = _events(table_name="recommendations_measure_recommendations")
    assert [e.action for e in link_events] == ["insert", "delete"]
    assert link_events[0].after["recommendation_id"] == recommendation.pk
    assert link_events[1].before["measure_id"] == measure.pk


def test_history_rows_refuse_change_through_the_orm(rated):
    event = HistoryEvent.objects.first()
    with pytest.raises(ImmutableHistory):
        HistoryEvent.objects.update(action="delete")
    with pytest.raises(ImmutableHistory):
        HistoryEvent.objects.all().delete()
    with pytest.raises(ImmutableHistory):
        event.save()
    with pytest.raises(ImmutableHistory):
        event.delete()


# PostgreSQL: triggers see everything, and the database itself guards the history ---------


@on_postgres
def test_a_bulk_update_is_recorded(audit, rated, scale):
    level = scale.levels.get(label="Uppfylld")
    Assessment.objects.filter(question__audit=audit).update(level=level, comment="Massändring")
    (event,) = _events(table_name="audits_assessment", action="update")
    assert event.after["level_id"] == level.pk
    assert event.after["comment"] == "Massändring"
    assert event.audit_id == audit.pk


@on_postgres
def test_raw_sql_is_recorded_with_the_database_role(rated):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audits_auditquestion SET text = 'Ändrad i psql' WHERE id = %s", [rated.pk]
        )
    (event,) = _events(table_name="audits_auditquestion", action="update")
    assert event.after["text"] == "Ändrad i psql"
    assert event.user_id is None and event.context == {}
    assert event.db_user == connection.settings_dict["USER"]


@on_postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE tracker_historyevent SET action = 'insert'",
        "UPDATE tracker_historyevent SET after = '{}'::jsonb WHERE id = %s",
        "DELETE FROM tracker_historyevent WHERE id = %s",
        "DELETE FROM tracker_historyevent",
    ],
)
def test_the_database_refuses_to_alter_or_delete_history(rated, statement):
    event = HistoryEvent.objects.first()
    params = [event.pk] if "%s" in statement else []
    refused = pytest.raises(DatabaseError, match="History events cannot be changed or deleted")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
    assert HistoryEvent.objects.get(pk=event.pk).after == event.after


@on_postgres
def test_every_tracked_table_has_its_trigger(db):
    tables = {entry.model_class()._meta.db_table for entry in TRACKED}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'tracker_history'"
        )
        installed = {row[0] for row in cursor.fetchall()}
    assert installed == tables


@on_postgres
def test_a_request_does_not_lend_its_user_to_later_changes(auditor, rated, scale):
    url = reverse("assessment-edit", args=[rated.pk])
    browser = signed_in(auditor)
    data = form_data(browser.get(url, **HTMX).context["form"])
    browser.post(url, {**data, f"rating-{rated.pk}-level": scale.levels.last().pk}, **HTMX)
    # The same connection, after the request: a change made now is nobody's.
    Observation.objects.create(question=rated, position=1, text="Efteråt.")
    (event,) = _events(table_name="audits_observation")
    assert event.user_id is None and event.context == {}


# Who sees what ----------------------------------------------------------------------


def test_a_secretary_sees_the_response_work_but_not_the_drafting(
    issued_audit, board, recommendation, response, region, scale
):
    question = AuditQuestion.objects.create(audit=issued_audit, position=1, text="Fråga?")
    Assessment.objects.create(question=question, level=scale.levels.first())
    Measure.objects.create(
        response=response, description="Utbilda personalen.", original_due_date="2022-06-01"
    )
    FollowUp.objects.create(
        recommendation=recommendation, date="2023-01-10", assessment="ongoing", comment="Pågår."
    )
    secretary = member(region, Membership.Role.SECRETARY, bodies=(board,))
    page = text(signed_in(secretary).get(reverse("audit-history", args=[issued_audit.pk])))
    assert "Utbilda personalen." in page
    assert sv("Follow-up") in page
    assert "Fråga?" not in page
    assert sv("Assessment") not in page

    auditor = member(region, Membership.Role.AUDITOR)
    page = text(signed_in(auditor).get(reverse("audit-history", args=[issued_audit.pk])))
    assert "Fråga?" in page


def test_another_regions_user_gets_no_history(audit, other_region, rated):
    outsider = member(other_region, Membership.Role.AUDITOR)
    page = signed_in(outsider).get(reverse("audit-history", args=[audit.pk]))
    assert page.status_code == 404


def test_one_items_history(issued_audit, board, recommendation, response, auditor):
    other = issued_audit.recommendations.create(body=board, number=2, text="Annan.")
    FollowUp.objects.create(
        recommendation=recommendation, date="2023-01-10", assessment="ongoing", comment="Pågår."
    )
    FollowUp.objects.create(
        recommendation=other, date="2023-01-11", assessment="done", comment="Klart."
    )
    url = reverse("audit-history", args=[issued_audit.pk])
    browser = signed_in(auditor)
    page = text(browser.get(url, {"item": f"recommendation-{recommendation.pk}"}))
    assert recommendation.text[:40] in page
    assert "Annan." not in page
    for bad in ("recommendation-x", "nothing-1", "measure-" + "9" * 30):
        assert browser.get(url, {"item": bad}).status_code == 404


def test_the_history_page_costs_few_queries(auditor, rated, scale, django_assert_max_num_queries):
    for label in ("Uppfylld", "Ej uppfylld", "Delvis uppfylld") * 5:
        assessment = Assessment.objects.get(question=rated)
        assessment.level = scale.levels.get(label=label)
        assessment.save()
    browser = signed_in(auditor)
    with django_assert_max_num_queries(12):
        page = browser.get(reverse("audit-history", args=[rated.audit_id]))
    assert text(page).count("ändrades från") >= 15
