"""The personal calendar feed holds exactly the user's open deadlines, nothing else."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from audits.models import Audit
from recommendations.models import FollowUp, Measure, Recommendation, Response
from recommendations.reminders.calendar import calendar_for, deadlines_for
from regions.models import Body, Membership, Region, User

from ..web import member

D = datetime.date
ROLE = Membership.Role
TODAY = D(2021, 9, 1)
DOMAIN = "granskning.test"


@pytest.fixture(autouse=True)
def _tracker_settings(settings):
    settings.TRACKER = {
        **settings.TRACKER,
        "SITE_URL": "https://granskning.example",
        "MESSAGE_ID_DOMAIN": DOMAIN,
        "FOLLOW_UP_INTERVAL_DAYS": 365,
    }


def uid(kind: str, *ids: int) -> str:
    return "-".join([kind, *map(str, ids)]) + "@" + DOMAIN


def _audit(region: Region, scale, title: str, status: str, deadline: D | None, *bodies: Body):
    audit = Audit.objects.create(
        region=region,
        title=title,
        year=2021,
        rating_scale=scale,
        status=status,
        issued_date=D(2021, 1, 15) if deadline else None,
        response_deadline=deadline,
    )
    audit.audited_bodies.set(bodies)
    return audit


def _recommendation(audit: Audit, body: Body, status: str = "open") -> Recommendation:
    number = audit.recommendations.count() + 1
    return Recommendation.objects.create(
        audit=audit, body=body, number=number, text=f"Rekommendation {number}.", status=status
    )


def _response(audit: Audit, body: Body) -> Response:
    return Response.objects.create(audit=audit, body=body, received_date=D(2021, 3, 1))


def _measure(response: Response, text: str, due: D, **fields) -> Measure:
    return Measure.objects.create(
        response=response,
        description=text,
        responsible="Regiondirektör",
        original_due_date=due,
        **fields,
    )


class World:
    """Norrbotten with two bodies and audits in every state; Västerbotten beside it."""

    def __init__(self, region: Region, other_region: Region, board: Body, scale) -> None:
        self.board = board
        self.committee = Body.objects.create(region=region, name="Hälso- och sjukvårdsnämnden")
        other_board = Body.objects.create(region=other_region, name="Regionstyrelsen")

        # Issued to both bodies: the board has not answered, the committee has.
        self.open = _audit(
            region,
            scale,
            "Granskning av 1177",
            "issued",
            D(2021, 5, 31),
            board,
            self.committee,
        )
        _recommendation(self.open, board)
        _recommendation(self.open, self.committee, "answered")
        committee_response = _response(self.open, self.committee)
        self.reader = member(region, ROLE.READER)
        self.committee_measure = _measure(
            committee_response, "Ny rutin för telefontider.", D(2021, 12, 31)
        )
        self.committee_measure.responsible_user = self.reader
        self.committee_measure.save()
        self.revised = _measure(
            committee_response,
            "Utbildning av personalen.",
            D(2021, 6, 30),
            revised_due_date=D(2022, 3, 31),
            revision_reason="Pandemin.",
        )
        _measure(
            committee_response,
            "Klar åtgärd.",
            D(2021, 4, 1),
            status=Measure.Status.DONE,
            completed_date=D(2021, 4, 1),
        )
        _measure(committee_response, "Struken åtgärd.", D(2021, 4, 1), status="cancelled")

        # Answered by the board; one measure overdue; a follow-up recorded.
        self.answered = _audit(
            region, scale, "Granskning av läkemedel", "answered", D(2021, 4, 30), board
        )
        followed = _recommendation(self.answered, board, "in_progress")
        _recommendation(self.answered, board, "implemented")  # resolved: no follow-up
        FollowUp.objects.create(recommendation=followed, date=D(2021, 8, 20), assessment="partly")
        self.board_measure = _measure(
            _response(self.answered, board), "Uppdatera riktlinjen.", D(2021, 6, 30)
        )

        # Issued late: its response deadline is far ahead, its follow-up beyond the horizon.
        self.late = _audit(region, scale, "Granskning av lokaler", "issued", D(2022, 10, 15), board)
        _recommendation(self.late, board)

        # A draft listing the board, and a closed audit the board never answered.
        self.draft = _audit(region, scale, "Utkast om IT", "ongoing", None, board)
        _recommendation(self.draft, board)
        self.closed = _audit(region, scale, "Avslutad granskning", "closed", D(2021, 2, 28), board)
        _recommendation(self.closed, board)
        closed_measure_response = _response(
            _audit(region, scale, "Stängd med åtgärd", "closed", D(2021, 2, 28), board), board
        )
        _measure(closed_measure_response, "Åtgärd i stängd granskning.", D(2021, 5, 1))

        # Another region: an issued audit awaiting its board, with an open measure.
        self.elsewhere = _audit(
            other_region, scale, "Granskning i Västerbotten", "issued", D(2021, 6, 15), other_board
        )
        _recommendation(self.elsewhere, other_board)
        other_committee = Body.objects.create(region=other_region, name="Nämnden")
        self.elsewhere.audited_bodies.add(other_committee)
        self.elsewhere_measure = _measure(
            _response(self.elsewhere, other_committee), "Åtgärd i Västerbotten.", D(2021, 10, 1)
        )
        self.other_board = other_board


@pytest.fixture
def world(region, other_region, board, scale) -> World:
    return World(region, other_region, board, scale)


def feed(user: User) -> set[tuple[str, D]]:
    """(UID, date) of every event of the user's feed, read back with icalendar."""
    calendar = Calendar.from_ical(calendar_for(user, TODAY))
    events = set()
    for event in calendar.walk("VEVENT"):
        start = event.decoded("DTSTART")
        # All-day events: a date, not a date and time.
        assert type(start) is datetime.date, event
        events.add((str(event["UID"]), start))
    return events


def test_secretary_gets_the_bodys_response_deadlines_and_measures(world, region, board):
    secretary = member(region, ROLE.SECRETARY, bodies=(board,))
    assert feed(secretary) == {
        (uid("response", world.open.pk, board.pk), D(2021, 5, 31)),
        (uid("response", world.late.pk, board.pk), D(2022, 10, 15)),
        (uid("measure", world.board_measure.pk), D(2021, 6, 30)),
    }


def test_secretary_of_the_answering_body_gets_its_measures_only(world, region):
    secretary = member(region, ROLE.SECRETARY, bodies=(world.committee,))
    assert feed(secretary) == {
        (uid("measure", world.committee_measure.pk), D(2021, 12, 31)),
        # The revised date counts, not the original.
        (uid("measure", world.revised.pk), D(2022, 3, 31)),
    }


def test_auditor_gets_the_regions_responses_measures_and_follow_ups(world, region, board):
    auditor = member(region, ROLE.AUDITOR)
    assert feed(auditor) == {
        (uid("response", world.open.pk, board.pk), D(2021, 5, 31)),
        (uid("response", world.late.pk, board.pk), D(2022, 10, 15)),
        (uid("measure", world.committee_measure.pk), D(2021, 12, 31)),
        (uid("measure", world.revised.pk), D(2022, 3, 31)),
        (uid("measure", world.board_measure.pk), D(2021, 6, 30)),
        # A year after the response deadline; the earliest of the audit's recommendations.
        (uid("follow-up", world.open.pk), D(2022, 5, 31)),
        # A year after the latest follow-up; the implemented one no longer counts.
        (uid("follow-up", world.answered.pk), D(2022, 8, 20)),
        # world.late's follow-up (2023-10-15) is beyond the horizon.
    }


def test_the_audit_office_gets_what_the_auditors_get(world, region):
    auditor = member(region, ROLE.AUDITOR)
    office = member(region, ROLE.AUDIT_OFFICE)
    assert feed(office) == feed(auditor)


def test_responsible_reader_gets_only_the_measure_named_for_them(world):
    assert feed(world.reader) == {(uid("measure", world.committee_measure.pk), D(2021, 12, 31))}


def test_a_reader_has_no_deadlines_of_their_own(world, region):
    assert feed(member(region, ROLE.READER, username="lasare.tva")) == set()


def test_responsible_user_without_a_role_sees_nothing(world):
    outsider = User.objects.create_user("utan.roll")
    Measure.objects.filter(pk=world.committee_measure.pk).update(responsible_user=outsider)
    assert feed(outsider) == set()


def test_another_regions_auditor_sees_only_their_own_region(world, other_region):
    auditor = member(other_region, ROLE.AUDITOR)
    assert feed(auditor) == {
        (uid("response", world.elsewhere.pk, world.other_board.pk), D(2021, 6, 15)),
        (uid("measure", world.elsewhere_measure.pk), D(2021, 10, 1)),
        (uid("follow-up", world.elsewhere.pk), D(2022, 6, 15)),
    }


def test_drafts_closed_and_answered_items_never_appear(world, region, board):
    auditor = member(region, ROLE.AUDITOR)
    secretary = member(region, ROLE.SECRETARY, bodies=(board,))
    for user in (auditor, secretary):
        uids = {event_uid for event_uid, _ in feed(user)}
        for audit in (world.draft, world.closed, world.answered):
            assert uid("response", audit.pk, board.pk) not in uids
            assert uid("follow-up", world.draft.pk) not in uids
            assert uid("follow-up", world.closed.pk) not in uids
        done = Measure.objects.exclude(status__in=["planned", "in_progress"])
        assert not {uid("measure", pk) for pk in done.values_list("pk", flat=True)} & uids
        closed = Measure.objects.filter(response__audit__status="closed").get()
        assert uid("measure", closed.pk) not in uids


def test_a_recorded_response_takes_the_deadline_away(world, region, board):
    secretary = member(region, ROLE.SECRETARY, bodies=(board,))
    _response(world.open, board)
    assert uid("response", world.open.pk, board.pk) not in {u for u, _ in feed(secretary)}


def test_an_inactive_user_has_no_deadlines(world, region):
    auditor = member(region, ROLE.AUDITOR)
    auditor.is_active = False
    auditor.save()
    assert deadlines_for(auditor, TODAY) == []


def test_texts_are_in_the_users_language_with_links_and_overdue_marked(world, region, board):
    secretary = member(region, ROLE.SECRETARY, bodies=(board,))
    secretary.first_name, secretary.last_name = "Anna", "Lind"
    secretary.save()
    calendar = Calendar.from_ical(calendar_for(secretary, TODAY))
    assert str(calendar["X-WR-CALNAME"]) == "Granskningsresultat – Anna Lind"
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    overdue = events[uid("response", world.open.pk, board.pk)]
    assert str(overdue["SUMMARY"]) == (
        "Sista svarsdag för yttrande från Regionstyrelsen: Granskning av 1177 (försenad)"
    )
    respond = f"https://granskning.example/audits/{world.open.pk}/responses/{board.pk}/"
    assert str(overdue["URL"]) == respond
    assert respond in str(overdue["DESCRIPTION"])
    ahead = events[uid("response", world.late.pk, board.pk)]
    assert "försenad" not in str(ahead["SUMMARY"])
    measure = events[uid("measure", world.board_measure.pk)]
    assert str(measure["SUMMARY"]) == "Åtgärd klar senast (RS): Uppdatera riktlinjen. (försenad)"
    assert str(measure["URL"]).endswith(
        f"/responses/{world.board_measure.response_id}/#measure-{world.board_measure.pk}"
    )

    secretary.language = "en"
    secretary.save()
    calendar = Calendar.from_ical(calendar_for(secretary, TODAY))
    assert str(calendar["X-WR-CALNAME"]) == "Audit findings – Anna Lind"
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert str(events[uid("response", world.open.pk, board.pk)]["SUMMARY"]) == (
        "Response due from Regionstyrelsen: Granskning av 1177 (overdue)"
    )


def test_follow_up_summary_for_the_audit_side(world, region):
    auditor = member(region, ROLE.AUDITOR)
    calendar = Calendar.from_ical(calendar_for(auditor, TODAY))
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    follow_up = events[uid("follow-up", world.open.pk)]
    assert str(follow_up["SUMMARY"]) == "Dags för uppföljning: Granskning av 1177"
    assert str(follow_up["URL"]) == f"https://granskning.example/audits/{world.open.pk}/"


def _queries(user: User) -> int:
    fresh = User.objects.get(pk=user.pk)  # no scope cached on the object
    with CaptureQueriesContext(connection) as queries:
        calendar_for(fresh, TODAY)
    return len(queries)


def test_the_feed_runs_a_fixed_number_of_queries(world, region, board, scale):
    auditor = member(region, ROLE.AUDITOR)
    secretary = member(region, ROLE.SECRETARY, bodies=(board,))
    before = {user.pk: _queries(user) for user in (auditor, secretary)}
    for number in range(10):
        audit = _audit(region, scale, f"Fler {number}", "issued", D(2021, 11, 1), board)
        _recommendation(audit, board)
        other = _audit(region, scale, f"Besvarad {number}", "answered", D(2021, 3, 1), board)
        _recommendation(other, board, "answered")
        _measure(_response(other, board), f"Åtgärd {number}.", D(2021, 12, 1))
    after = {user.pk: _queries(user) for user in (auditor, secretary)}
    assert after == before
    assert max(after.values()) <= 8
    assert len(feed(auditor)) == 7 + 30
