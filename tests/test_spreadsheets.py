"""The lists' downloads: the rows of the current filter, as CSV and XLSX.

Each download is read back (csv, openpyxl) and compared with what the list page shows
for the same query string, on the demo.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from audits.models import Audit
from recommendations.models import FollowUp, Measure, Recommendation, Response
from regions.models import Body, Membership, Region, User
from tracker import spreadsheets

from .web import demo_for_a_module, grant, signed_in

TODAY = timezone.localdate()
LISTS = ["audit-list", "recommendation-list", "measure-list", "followup-list"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_a_module(django_db_blocker, TODAY):
        yield


@pytest.fixture
def whole_lists(settings):
    # Every row on one page: the page shows exactly what the download should hold.
    settings.TRACKER = {**settings.TRACKER, "PAGE_SIZE": 500}


@pytest.fixture
def follow_ups(demo, db):
    """The demo's four follow-ups (Norrbotten, 2022-03-15) and two more elsewhere."""
    vasterbotten = Recommendation.objects.get(audit__reference_number="REV 2021:7", number=1)
    vastmanland = Recommendation.objects.get(audit__reference_number="Dnr REV 2021/4", number=2)
    FollowUp.objects.create(
        recommendation=vasterbotten,
        date=datetime.date(2023, 5, 10),
        assessment=FollowUp.Assessment.IMPLEMENTED,
        comment="Genomförd enligt plan.",
    )
    FollowUp.objects.create(
        recommendation=vastmanland,
        date=datetime.date(2024, 2, 1),
        assessment=FollowUp.Assessment.PARTLY,
        comment="Delvis; basutbudet är inte infört överallt.",
    )


@pytest.fixture
def browser(demo, db, whole_lists, follow_ups):
    """An auditor of all three demo regions: sees every row, drafts included."""
    user = User.objects.create_user("granskare")
    for region in Region.objects.all():
        grant(user, region, Membership.Role.AUDITOR)
    return signed_in(user)


def _region(code: str) -> int:
    return Region.objects.get(code=code).pk


def _hsn() -> int:
    return Body.objects.get(region__code="vasterbotten", name="Hälso- och sjukvårdsnämnden").pk


def page_ids(client, list_name: str, params: dict) -> list[int]:
    page = client.get(reverse(list_name), params)
    assert page.status_code == 200
    assert page.context["page"].num_pages == 1
    return [row.pk for row in page.context["page"].object_list]


def download(client, list_name: str, kind: str, params: dict | None = None):
    response = client.get(reverse(f"{list_name}-export", args=[kind]), params or {})
    assert response.status_code == 200, response
    return response


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf"), "no byte order mark"
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def read_xlsx(response):
    assert response["Content-Type"] == XLSX_TYPE
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return book.active


def xlsx_values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_ids(client, list_name: str, params: dict) -> list[int]:
    header, *rows = read_csv(download(client, list_name, "csv", params))
    assert header[0] == gettext("ID")
    return [int(row[0]) for row in rows]


def xlsx_ids(client, list_name: str, params: dict) -> list[int]:
    _header, *rows = xlsx_values(read_xlsx(download(client, list_name, "xlsx", params)))
    return [row[0] for row in rows]


# The same rows as the page -------------------------------------------------------------------

FILTERED = [
    ("audit-list", lambda: {"year": 2021, "o": "-deadline"}, 3),
    ("audit-list", lambda: {"q": "uppföljning"}, 2),
    ("recommendation-list", lambda: {"body": _hsn(), "o": "-number"}, 5),
    ("recommendation-list", lambda: {"overdue": "true"}, 4),
    ("measure-list", lambda: {"overdue": "true", "o": "responsible"}, 4),
    ("measure-list", lambda: {"region": _region("vasterbotten")}, 4),
    ("followup-list", lambda: {"region": _region("norrbotten")}, 4),
    ("followup-list", lambda: {"year": 2023}, 1),
    ("followup-list", lambda: {"assessment": "partly"}, 3),
]


@pytest.mark.parametrize(("list_name", "params", "count"), FILTERED)
def test_a_download_holds_the_rows_the_page_shows(browser, list_name, params, count):
    params = params()
    shown = page_ids(browser, list_name, params)
    assert len(shown) == count
    assert csv_ids(browser, list_name, params) == shown
    assert xlsx_ids(browser, list_name, params) == shown


@pytest.mark.parametrize("list_name", LISTS)
def test_a_download_holds_every_row_not_only_the_page(browser, settings, list_name):
    everything = page_ids(browser, list_name, {})
    settings.TRACKER = {**settings.TRACKER, "PAGE_SIZE": 2}
    assert len(everything) > 2
    # Even when the link is followed from a later page.
    assert csv_ids(browser, list_name, {"page": 2}) == everything
    assert xlsx_ids(browser, list_name, {"page": 2}) == everything


@pytest.mark.parametrize("list_name", LISTS)
def test_an_empty_result_is_the_header_row_alone(browser, list_name):
    params = {"q": "Kronoberg"}
    assert page_ids(browser, list_name, params) == []
    [header] = read_csv(download(browser, list_name, "csv", params))
    assert header[0] == gettext("ID")
    [xlsx_header] = xlsx_values(read_xlsx(download(browser, list_name, "xlsx", params)))
    assert xlsx_header == header


def test_the_list_pages_link_to_their_downloads_with_the_filter(browser):
    page = browser.get(reverse("recommendation-list"), {"status": "open", "q": "1177", "page": 1})
    html = page.content.decode()
    assert 'href="/recommendations/export/csv/?status=open&amp;q=1177"' in html
    assert 'href="/recommendations/export/xlsx/?status=open&amp;q=1177"' in html
    for list_name in LISTS:
        html = browser.get(reverse(list_name)).content.decode()
        url = reverse(f"{list_name}-export", args=["xlsx"])
        assert f'href="{url}">Excel (XLSX)</a>' in html
        assert gettext("Download as CSV") in html


# What the files hold ---------------------------------------------------------------------------


def test_recommendations_in_swedish_with_iso_dates(browser):
    params = {"region": _region("vasterbotten"), "year": 2026}
    rows = read_csv(download(browser, "recommendation-list", "csv", params))
    assert rows[0] == [
        gettext("ID"),
        "Region",
        "Granskning",
        "Diarienummer",
        "År",
        "Nummer",
        "Rekommendation",
        "Riktad till",
        "Status",
        "Sista svarsdag",
        "Försenad",
        gettext("Link"),
    ]
    first = Recommendation.objects.get(audit__reference_number="REV 2026:3", number=1)
    deadline = first.audit.response_deadline
    assert rows[1] == [
        str(first.pk),
        "Region Västerbotten",
        first.audit.title,
        "REV 2026:3",
        "2026",
        "1",
        first.text,
        "Hälso- och sjukvårdsnämnden",
        "öppen",
        deadline.isoformat(),
        "Nej",
        f"http://testserver/recommendations/{first.pk}/",
    ]
    assert len(rows) == 3

    sheet = read_xlsx(download(browser, "recommendation-list", "xlsx", params))
    header = [cell.value for cell in sheet[1]]
    assert header == rows[0]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["G"].width == 60  # the recommendation's text
    year, number, date = sheet.cell(2, 5), sheet.cell(2, 6), sheet.cell(2, 10)
    assert (year.value, number.value) == (2026, 1)
    assert date.is_date and date.number_format == "yyyy-mm-dd"
    assert date.value.date() == deadline
    assert [cell.value for cell in sheet[2]][6:9] == [first.text, rows[1][7], "öppen"]


def test_the_other_lists_in_swedish(browser):
    audits = read_csv(download(browser, "audit-list", "csv", {"q": "Nr 11/2021"}))
    assert audits[0][:6] == [gettext("ID"), "Region", "Diarienummer", "Titel", "År", "Typ"]
    assert audits[1][2] == "Nr 11/2021"
    assert "Granskade nämnder" in audits[0]
    measures = read_csv(download(browser, "measure-list", "csv", {"q": "basutbudet"}))
    assert {"Åtgärd", "Ansvarig", "Klart senast", "Berörda rekommendationer"} <= set(measures[0])
    by_header = [dict(zip(measures[0], row, strict=True)) for row in measures[1:]]
    assert {row["Berörda rekommendationer"] for row in by_header} == {"1, 3", "3"}
    assert {row["Klar den"] for row in by_header} == {"2021-05-04", "2022-01-10"}
    follow_ups = read_csv(download(browser, "followup-list", "csv", {"year": 2024}))
    assert follow_ups[0][7:11] == ["Datum", "Bedömning", "Kommentar", "Registrerad av"]
    assert follow_ups[1][7:9] == ["2024-02-01", "delvis genomförd"]


def test_overdue_is_the_lists_own_overdue_filter(browser):
    for list_name in ("audit-list", "recommendation-list", "measure-list"):
        for flag, expected in (("true", "Ja"), ("false", "Nej")):
            header, *rows = read_csv(download(browser, list_name, "csv", {"overdue": flag}))
            column = header.index("Försenad")
            assert {row[column] for row in rows} <= {expected}, (list_name, flag)


def test_dates_of_measures_are_real_dates_in_xlsx(browser):
    sheet = read_xlsx(download(browser, "measure-list", "xlsx", {"status": "done"}))
    header = [cell.value for cell in sheet[1]]
    completed = header.index("Klar den") + 1
    dates = [sheet.cell(row, completed) for row in range(2, sheet.max_row + 1)]
    assert len(dates) == 3
    assert all(cell.is_date and cell.number_format == "yyyy-mm-dd" for cell in dates)
    done = Measure.objects.filter(status="done").values_list("completed_date", flat=True)
    assert sorted(cell.value.date() for cell in dates) == sorted(done)


HOSTILE = ['=HYPERLINK("http://example.invalid","x")', "+46 1-2", "-2+3", "@SUM(A1)"]


def test_nothing_in_a_download_can_be_a_formula(browser):
    audit = Audit.objects.get(reference_number="REV 2026:3")
    response = Response.objects.get(audit__reference_number="REV 2021:7")
    for number, text in enumerate(HOSTILE, start=10):
        Recommendation.objects.create(audit=audit, body_id=_hsn(), number=number, text=text)
        Measure.objects.create(
            response=response,
            description="Formelprov",
            responsible=text,
            original_due_date=datetime.date(2030, 1, 1),
        )
    params = {"q": "REV 2026:3"}
    header, *rows = read_csv(download(browser, "recommendation-list", "csv", params))
    texts = [row[header.index("Rekommendation")] for row in rows]
    assert ["'" + text for text in HOSTILE] == [t for t in texts if t.startswith("'")]
    measures = read_csv(download(browser, "measure-list", "csv", {"q": "Formelprov"}))
    responsible = measures[0].index("Ansvarig")
    assert sorted(row[responsible] for row in measures[1:]) == sorted("'" + t for t in HOSTILE)

    xlsx = download(browser, "recommendation-list", "xlsx", params)
    sheet = read_xlsx(xlsx)
    cells = [sheet.cell(row, 7) for row in range(2, sheet.max_row + 1)]
    written = [cell for cell in cells if cell.value in HOSTILE]
    assert len(written) == len(HOSTILE)
    assert all(cell.data_type == "s" for cell in written)
    # The file itself has no formula element anywhere.
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(name) for name in sheets)


def test_control_characters_do_not_break_the_xlsx(browser):
    audit = Audit.objects.get(reference_number="REV 2026:3")
    Recommendation.objects.create(audit=audit, body_id=_hsn(), number=20, text="Fel\x07\x1btecken")
    sheet = read_xlsx(download(browser, "recommendation-list", "xlsx", {"q": "tecken"}))
    assert sheet.cell(2, 7).value == "Feltecken"


def test_the_file_name_is_the_list_and_the_swedish_date(browser):
    response = download(browser, "recommendation-list", "csv")
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    expected = f'attachment; filename="rekommendationer-{today.isoformat()}.csv"'
    assert response["Content-Disposition"] == expected
    response = download(browser, "measure-list", "xlsx")
    assert re.fullmatch(
        r'attachment; filename="atgarder-\d{4}-\d\d-\d\d\.xlsx"', response["Content-Disposition"]
    )
    # 23:30 UTC on 29 November is already the 30th in Stockholm.
    with time_machine.travel(datetime.datetime(2026, 11, 29, 23, 30, tzinfo=datetime.UTC)):
        assert spreadsheets.filename("Rekommendationer", "csv") == (
            "rekommendationer-2026-11-30.csv"
        )


def test_a_download_too_large_goes_back_to_the_list_with_a_message(browser, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 3)
    url = reverse("recommendation-list-export", args=["xlsx"])
    response = browser.get(url, {"year": 2021})
    assert response.status_code == 302
    assert response["Location"] == reverse("recommendation-list") + "?year=2021"
    page = browser.get(response["Location"])
    [message] = [str(m) for m in page.context["messages"]]
    assert "3" in message and message in page.content.decode()
    # At the limit it still downloads.
    assert len(csv_ids(browser, "recommendation-list", {"region": _region("vastmanland")})) == 3


# Who gets what ----------------------------------------------------------------------------


def test_a_secretarys_download_holds_no_draft(browser):
    draft = Audit.objects.get(region__code="norrbotten", status=Audit.Status.ONGOING)
    assert draft.is_draft
    secretary = User.objects.get(username="sekreterare.norrbotten")
    [body] = Membership.objects.get(user=secretary).bodies.all()
    draft.audited_bodies.add(body)
    Recommendation.objects.create(audit=draft, body=body, number=1, text="Utkastets text.")
    client = signed_in(secretary)
    for kind in ("csv", "xlsx"):
        audits = download(client, "audit-list", kind)
        recommendations = download(client, "recommendation-list", kind)
        if kind == "csv":
            audit_rows = read_csv(audits)[1:]
            recommendation_rows = read_csv(recommendations)[1:]
        else:
            audit_rows = xlsx_values(read_xlsx(audits))[1:]
            recommendation_rows = xlsx_values(read_xlsx(recommendations))[1:]
        ids = {int(row[0]) for row in audit_rows}
        assert ids and draft.pk not in ids
        assert not Audit.objects.filter(pk__in=ids, status__in=Audit.DRAFT_STATUSES).exists()
        assert recommendation_rows
        assert not any("Utkastets text." in row for row in recommendation_rows)
    # The rows are exactly the secretary's list.
    for list_name in LISTS:
        assert csv_ids(client, list_name, {}) == page_ids(client, list_name, {})
    # The auditor does see the draft.
    assert draft.pk in csv_ids(browser, "audit-list", {})


def test_a_filter_pointed_at_another_region_downloads_nothing_of_it(demo, db, whole_lists):
    reader = User.objects.create_user("lasare.test")
    grant(reader, Region.objects.get(code="norrbotten"), Membership.Role.READER)
    client = signed_in(reader)
    for list_name in LISTS:
        ids = csv_ids(client, list_name, {"region": _region("vastmanland")})
        assert ids == page_ids(client, list_name, {"region": _region("vastmanland")})
    regions = {row[1] for row in read_csv(download(client, "recommendation-list", "csv"))[1:]}
    assert regions == {"Region Norrbotten"}


@pytest.mark.parametrize("list_name", LISTS)
def test_anonymous_users_log_in_and_only_get_is_served(demo, db, client, list_name):
    url = reverse(f"{list_name}-export", args=["csv"])
    response = client.get(url, {"year": 2021})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    user = User.objects.create_user("utan.roll")
    client.force_login(user)
    assert client.post(url).status_code == 405
    assert client.get(reverse(f"{list_name}-export", args=["pdf"])).status_code == 404
    # Without a role: a file with the header row only.
    assert len(read_csv(client.get(url))) == 1


# The follow-up list ---------------------------------------------------------------------------


def test_the_follow_up_list_is_newest_first_and_filtered(browser):
    page = browser.get(reverse("followup-list"))
    dates = [f.date for f in page.context["page"]]
    assert dates == sorted(dates, reverse=True)
    assert len(dates) == 6
    html = page.content.decode()
    first = page.context["page"][0]
    assert f'href="{reverse("recommendation-detail", args=[first.recommendation_id])}"' in html
    assert "delvis genomförd" in html
    assert page_ids(browser, "followup-list", {"q": "telefon"}) == list(
        FollowUp.objects.filter(comment__icontains="telefon").values_list("pk", flat=True)
    )
    assert len(page_ids(browser, "followup-list", {"q": "Nr 11/2021"})) == 4
    assert page_ids(browser, "followup-list", {"year": 2022, "assessment": "implemented"}) == list(
        FollowUp.objects.filter(
            date__year=2022, assessment="implemented", recommendation__number=3
        ).values_list("pk", flat=True)
    )
    bad = browser.get(reverse("followup-list"), {"year": "abc", "assessment": "lost"})
    assert bad.status_code == 200 and len(bad.context["page"].object_list) == 6


def test_the_recommendation_list_links_to_the_follow_ups(browser):
    html = browser.get(reverse("recommendation-list")).content.decode()
    assert f'href="{reverse("followup-list")}"' in html


def test_a_reader_sees_only_the_follow_ups_of_the_own_region(demo, db, whole_lists, follow_ups):
    reader = User.objects.create_user("lasare.vasterbotten.test")
    grant(reader, Region.objects.get(code="vasterbotten"), Membership.Role.READER)
    client = signed_in(reader)
    shown = page_ids(client, "followup-list", {})
    assert shown == list(
        FollowUp.objects.filter(recommendation__audit__region__code="vasterbotten").values_list(
            "pk", flat=True
        )
    )
    assert len(shown) == 1


# Queries do not grow with the rows ----------------------------------------------------------

MORE = 20


def _more_of_everything() -> None:
    audit = Audit.objects.get(reference_number="REV 2021:7")
    body = Body.objects.get(pk=_hsn())
    response = Response.objects.get(audit=audit)
    for i in range(MORE):
        extra = Audit.objects.create(
            region=audit.region,
            title=f"Granskning {i}",
            year=2022,
            rating_scale=audit.rating_scale,
        )
        extra.audited_bodies.add(body)
        recommendation = Recommendation.objects.create(
            audit=audit, body=body, number=100 + i, text=f"Rekommendation {i}."
        )
        measure = Measure.objects.create(
            response=response,
            description=f"Åtgärd {i}.",
            responsible="Regiondirektör",
            original_due_date=TODAY + datetime.timedelta(days=i),
        )
        measure.recommendations.add(recommendation)
        FollowUp.objects.create(
            recommendation=recommendation,
            date=TODAY,
            assessment=FollowUp.Assessment.PARTLY,
            recorded_by=User.objects.get(username="revisor.vasterbotten"),
        )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("list_name", LISTS)
def test_queries_do_not_grow_with_the_rows(browser, django_assert_max_num_queries, list_name, kind):
    url = reverse(f"{list_name}-export", args=[kind])
    params = {"region": _region("vasterbotten")}
    browser.get(url, params)  # warm: the first request of a session does one-off work
    with CaptureQueriesContext(connection) as queries:
        before = len(download(browser, list_name, kind, params).content)
    assert before
    _more_of_everything()
    with django_assert_max_num_queries(len(queries)):
        response = download(browser, list_name, kind, params)
    rows = read_csv(response) if kind == "csv" else xlsx_values(read_xlsx(response))
    assert len(rows) > MORE
