"""The audit, recommendation and measure lists: filters, sorting and paging in the URL.

The demo (three regions' coordinated 1177 audit) is the data; its facts are spelled out
in the expected rows so a filter that matches the wrong rows cannot pass by accident.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from audits.models import Audit, RatingLevel
from regions.models import Body, Membership, Region, User

from .conftest import sv
from .web import demo_for_a_module, field_error, grant, member, signed_in, text

AUDITS, RECOMMENDATIONS, MEASURES = "audit-list", "recommendation-list", "measure-list"
LISTS = [AUDITS, RECOMMENDATIONS, MEASURES]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_a_module(django_db_blocker, timezone.localdate()):
        yield


@pytest.fixture
def browser(demo, db):
    """An auditor of all three demo regions: sees every row, drafts included."""
    user = User.objects.create_user("granskare")
    for region in Region.objects.all():
        grant(user, region, Membership.Role.AUDITOR)
    return signed_in(user)


def _region(code: str) -> int:
    return Region.objects.get(code=code).pk


def _body(code: str, name: str) -> int:
    return Body.objects.get(region__code=code, name=name).pk


def _level(label: str, scale: str = "uppfylld") -> int:
    return RatingLevel.objects.get(scale__code=scale, label=label).pk


def _rows(browser, url_name: str, **params) -> list:
    page = browser.get(reverse(url_name), params)
    assert page.status_code == 200
    return list(page.context["page"].object_list)


def audits(browser, **params) -> set[str]:
    return {
        f"{a.region.code} {a.reference_number or a.title}" for a in _rows(browser, AUDITS, **params)
    }


def recommendations(browser, **params) -> set[str]:
    return {
        f"{r.audit.region.code} {r.audit.reference_number} #{r.number}"
        for r in _rows(browser, RECOMMENDATIONS, **params)
    }


def measures(browser, **params) -> set[str]:
    return {" ".join(m.description.split()[:3]) for m in _rows(browser, MEASURES, **params)}


NORRBOTTEN_1177 = "norrbotten Nr 11/2021"
NORRBOTTEN_DRAFT = "norrbotten Uppföljning av granskningen av 1177"
VASTMANLAND_1177 = "vastmanland Dnr REV 2021/4"
VASTERBOTTEN_1177 = "vasterbotten REV 2021:7"
VASTERBOTTEN_FOLLOW_UP = "vasterbotten REV 2026:3"


# The audit list ---------------------------------------------------------------------------


def test_audit_list_shows_every_audit_of_the_users_regions(browser):
    assert audits(browser) == {
        NORRBOTTEN_1177,
        NORRBOTTEN_DRAFT,
        VASTMANLAND_1177,
        VASTERBOTTEN_1177,
        VASTERBOTTEN_FOLLOW_UP,
    }


def test_audit_list_filters_by_region_year_body_and_status(browser):
    assert audits(browser, region=_region("norrbotten")) == {NORRBOTTEN_1177, NORRBOTTEN_DRAFT}
    assert audits(browser, year=2021) == {NORRBOTTEN_1177, VASTMANLAND_1177, VASTERBOTTEN_1177}
    hsn = _body("vasterbotten", "Hälso- och sjukvårdsnämnden")
    assert audits(browser, body=hsn) == {VASTERBOTTEN_1177, VASTERBOTTEN_FOLLOW_UP}
    assert audits(browser, status="answered") == {VASTMANLAND_1177, VASTERBOTTEN_1177}
    assert audits(browser, status="ongoing") == {NORRBOTTEN_DRAFT}
    assert audits(browser, region=_region("norrbotten"), year=2021) == {NORRBOTTEN_1177}


def test_audit_list_filters_by_rating(browser):
    # The follow-up in Västerbotten rates nothing Uppfylld; the draft rates nothing at all.
    assert audits(browser, rating=_level("Uppfylld")) == {
        NORRBOTTEN_1177,
        VASTMANLAND_1177,
        VASTERBOTTEN_1177,
    }
    assert audits(browser, rating=_level("Ej uppfylld")) == {
        NORRBOTTEN_1177,
        VASTMANLAND_1177,
        VASTERBOTTEN_1177,
        VASTERBOTTEN_FOLLOW_UP,
    }
    assert audits(browser, rating=_level("Grön", scale="trafikljus")) == set()


def test_audit_list_filters_overdue_responses(browser):
    assert audits(browser, overdue="true") == set()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Audit.objects.filter(reference_number="REV 2026:3").update(response_deadline=yesterday)
    assert audits(browser, overdue="true") == {VASTERBOTTEN_FOLLOW_UP}
    assert VASTERBOTTEN_FOLLOW_UP not in audits(browser, overdue="false")
    assert len(audits(browser, overdue="false")) == 4


def test_audit_list_searches_title_reference_and_firm(browser):
    assert audits(browser, q="uppföljning") == {NORRBOTTEN_DRAFT, VASTERBOTTEN_FOLLOW_UP}
    # Every word must match somewhere.
    assert audits(browser, q="REV 2021") == {VASTMANLAND_1177, VASTERBOTTEN_1177}
    assert audits(browser, q="nr 11/2021") == {NORRBOTTEN_1177}
    assert len(audits(browser, q="pwc")) == 5
    assert audits(browser, q="Kronoberg") == set()


def test_audit_list_sorts_by_the_o_parameter(browser):
    deadlines = [a.response_deadline for a in _rows(browser, AUDITS, year=2021, o="-deadline")]
    assert deadlines == [
        datetime.date(2021, 6, 30),
        datetime.date(2021, 6, 15),
        datetime.date(2021, 5, 31),
    ]
    deadlines = [a.response_deadline for a in _rows(browser, AUDITS, year=2021, o="deadline")]
    assert deadlines == sorted(deadlines)
    years = [a.year for a in _rows(browser, AUDITS, o="-year")]
    assert years == sorted(years, reverse=True) and years[-1] == 2021
    # Status sorts in lifecycle order, not by its code.
    statuses = [a.status for a in _rows(browser, AUDITS, o="status")]
    assert statuses == ["ongoing", "issued", "answered", "answered", "followed_up"]
    statuses = [a.status for a in _rows(browser, AUDITS, o="-status")]
    assert statuses == ["followed_up", "answered", "answered", "issued", "ongoing"]


def test_audit_list_hides_drafts_and_other_regions_from_readers(demo, db):
    reader = signed_in(member(Region.objects.get(code="norrbotten"), Membership.Role.READER))
    assert audits(reader) == {NORRBOTTEN_1177}
    page = reader.get(reverse(AUDITS), {"region": _region("vastmanland")})
    assert field_error(page, "id_region") == sv(
        "Select a valid choice. That choice is not one of the available choices."
    )
    assert {a.region.code for a in page.context["page"]} == {"norrbotten"}


# The recommendation list --------------------------------------------------------------------


def test_recommendation_list_filters_by_region_year_body_and_status(browser):
    assert len(recommendations(browser)) == 12
    assert recommendations(browser, region=_region("vastmanland")) == {
        "vastmanland Dnr REV 2021/4 #1",
        "vastmanland Dnr REV 2021/4 #2",
        "vastmanland Dnr REV 2021/4 #3",
    }
    assert len(recommendations(browser, year=2021)) == 10
    assert not any("2026" in key for key in recommendations(browser, year=2021))
    hsn = _body("vasterbotten", "Hälso- och sjukvårdsnämnden")
    assert recommendations(browser, body=hsn) == {
        "vasterbotten REV 2021:7 #1",
        "vasterbotten REV 2021:7 #2",
        "vasterbotten REV 2021:7 #3",
        "vasterbotten REV 2026:3 #1",
        "vasterbotten REV 2026:3 #2",
    }
    assert recommendations(browser, status="open") == {
        "vasterbotten REV 2026:3 #1",
        "vasterbotten REV 2026:3 #2",
    }
    assert recommendations(browser, status="implemented") == {"norrbotten Nr 11/2021 #3"}


def test_recommendation_list_filters_by_the_rating_of_its_questions(browser):
    assert recommendations(browser, rating=_level("Ej uppfylld")) == {
        "norrbotten Nr 11/2021 #1",
        "norrbotten Nr 11/2021 #3",
        "vastmanland Dnr REV 2021/4 #1",
        "vasterbotten REV 2021:7 #3",
        "vasterbotten REV 2026:3 #2",
    }
    assert recommendations(browser, rating=_level("Uppfylld")) == set()


def test_recommendation_list_filters_overdue(browser):
    # Late through a promised measure past its date (none of the responses is late yet).
    assert recommendations(browser, overdue="true") == {
        "norrbotten Nr 11/2021 #1",
        "vastmanland Dnr REV 2021/4 #2",
        "vasterbotten REV 2021:7 #2",
        "vasterbotten REV 2021:7 #3",
    }
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Audit.objects.filter(reference_number="REV 2026:3").update(response_deadline=yesterday)
    late = recommendations(browser, overdue="true")
    assert {"vasterbotten REV 2026:3 #1", "vasterbotten REV 2026:3 #2"} <= late
    assert len(late) == 6
    assert len(recommendations(browser, overdue="false")) == 6


def test_recommendation_list_searches_text_and_audit(browser):
    assert recommendations(browser, q="telefon") == {
        "norrbotten Nr 11/2021 #2",
        "vastmanland Dnr REV 2021/4 #1",
    }
    assert recommendations(browser, q="basutbud") == {"vastmanland Dnr REV 2021/4 #2"}
    assert len(recommendations(browser, q="REV 2021")) == 6


def test_recommendation_list_sorts_by_the_o_parameter(browser):
    numbers = [r.number for r in _rows(browser, RECOMMENDATIONS, o="number")]
    assert numbers == sorted(numbers) and numbers[0] == 1 and numbers[-1] == 4
    deadlines = [
        r.audit.response_deadline for r in _rows(browser, RECOMMENDATIONS, year=2021, o="-deadline")
    ]
    assert deadlines == sorted(deadlines, reverse=True)
    assert deadlines[0] == datetime.date(2021, 6, 30)


# The measure list ---------------------------------------------------------------------------


ALL_MEASURES = {
    "Fastställa basutbudet av",
    "Införa basutbudet i",
    "Följa upp användningen",
    "Ta hänsyn till",
    "Ta fram en",
    "Se över tillgänglighetsmålen",
    "Samordna styrningen av",
    "Se över om",
}


def test_measure_list_filters_by_region_year_body_and_status(browser):
    assert measures(browser) == ALL_MEASURES
    assert measures(browser, region=_region("vasterbotten")) == {
        "Ta fram en",
        "Se över tillgänglighetsmålen",
        "Samordna styrningen av",
        "Se över om",
    }
    assert measures(browser, year=2021) == ALL_MEASURES
    assert measures(browser, year=2022) == set()
    board = _body("norrbotten", "Regionstyrelsen")
    assert measures(browser, body=board) == {
        "Fastställa basutbudet av",
        "Införa basutbudet i",
        "Följa upp användningen",
    }
    assert measures(browser, status="done") == {
        "Fastställa basutbudet av",
        "Införa basutbudet i",
        "Ta fram en",
    }
    assert measures(browser, status="planned") == {"Se över om"}


def test_measure_list_filters_by_rating_and_overdue(browser):
    assert measures(browser, rating=_level("Ej uppfylld")) == {
        "Fastställa basutbudet av",
        "Införa basutbudet i",
        "Följa upp användningen",
        "Se över om",
    }
    overdue = {"Följa upp användningen", "Ta hänsyn till", "Samordna styrningen av", "Se över om"}
    assert measures(browser, overdue="true") == overdue
    assert measures(browser, overdue="false") == ALL_MEASURES - overdue


def test_measure_list_searches_and_sorts(browser):
    assert measures(browser, q="regiondirektör") == {"Följa upp användningen", "Ta fram en"}
    assert measures(browser, q="basutbudet") == {"Fastställa basutbudet av", "Införa basutbudet i"}
    due = [m.due_date for m in _rows(browser, MEASURES, o="-due")]
    assert due == sorted(due, reverse=True)
    responsible = [m.responsible for m in _rows(browser, MEASURES, o="responsible")]
    assert responsible == sorted(responsible)


# Paging and the URL as the list's state ---------------------------------------------------


@pytest.fixture
def page_size(settings):
    settings.TRACKER = {**settings.TRACKER, "PAGE_SIZE": 5}
    return 5


def test_recommendation_list_is_paged(browser, page_size):
    first = _rows(browser, RECOMMENDATIONS)
    second = _rows(browser, RECOMMENDATIONS, page=2)
    third = _rows(browser, RECOMMENDATIONS, page=3)
    assert [len(first), len(second), len(third)] == [5, 5, 2]
    assert len({r.pk for r in first + second + third}) == 12
    assert _rows(browser, RECOMMENDATIONS, page=999) == third
    assert _rows(browser, RECOMMENDATIONS, page="abc") == first


def test_paging_links_keep_the_filters_and_the_sort(browser, settings):
    settings.TRACKER = {**settings.TRACKER, "PAGE_SIZE": 2}
    hsn = _body("vasterbotten", "Hälso- och sjukvårdsnämnden")
    params = {"body": hsn, "o": "-number", "q": "1177"}
    query = f"body={hsn}&amp;o=-number&amp;q=1177"
    pages = [browser.get(reverse(RECOMMENDATIONS), {**params, "page": n}) for n in (1, 2, 3)]
    assert pages[0].context["page"].count == 5
    assert f'href="?{query}&amp;page=2" rel="next"' in pages[0].content.decode()
    assert f'href="?{query}&amp;page=1" rel="prev"' in pages[1].content.decode()
    assert f'href="?{query}&amp;page=3" rel="next"' in pages[1].content.decode()
    numbers = [r.number for page in pages for r in page.context["page"]]
    assert numbers == [3, 2, 2, 1, 1]
    # The filter form shows the filters the rows were chosen by.
    html = pages[1].content.decode()
    assert f'<option value="{hsn}" selected>' in html
    assert 'name="q" value="1177"' in html


def test_measure_and_audit_lists_are_paged_too(browser, settings):
    settings.TRACKER = {**settings.TRACKER, "PAGE_SIZE": 3}
    assert [len(_rows(browser, MEASURES, page=n)) for n in (1, 2, 3)] == [3, 3, 2]
    assert [len(_rows(browser, AUDITS, page=n)) for n in (1, 2)] == [3, 2]
    assert len(_rows(browser, AUDITS, page=999)) == 2


# Bad input is answered, never a server error ------------------------------------------------


BAD_FILTERS = [
    ("year", "abc", "Enter a number."),
    ("year", "99999999999999999999", "Ensure this value is less than or equal to %(limit_value)s."),
    ("year", "1066", "Ensure this value is greater than or equal to %(limit_value)s."),
    (
        "region",
        "notanumber",
        "Select a valid choice. That choice is not one of the available choices.",
    ),
    (
        "region",
        "99999999999999999999",
        "Select a valid choice. That choice is not one of the available choices.",
    ),
    ("body", "-1", "Select a valid choice. That choice is not one of the available choices."),
    ("rating", "-1", "Select a valid choice. That choice is not one of the available choices."),
    ("rating", "1.5", "Select a valid choice. That choice is not one of the available choices."),
    ("status", "lost", "Select a valid choice. %(value)s is not one of the available choices."),
]


@pytest.mark.parametrize("url_name", LISTS)
def test_a_bad_filter_value_is_a_swedish_error_next_to_the_field(browser, subtests, url_name):
    for field, value, message in BAD_FILTERS:
        with subtests.test(f"{field}={value}"):
            page = browser.get(reverse(url_name), {field: value})
            assert page.status_code == 200
            limit = 2100 if len(value) > 4 else 1990
            expected = sv(message) % {"limit_value": limit, "value": value}
            assert field_error(page, f"id_{field}") == expected
            # The bad filter is left out; the list still shows rows.
            assert len(page.context["page"].object_list) > 0


ODD_PARAMETERS = [
    {"page": "999"},
    {"page": "-1"},
    {"page": "0"},
    {"page": "1e9"},
    {"o": "bogus"},
    {"overdue": "maybe"},
    {"q": "x" * 201},
    {"q": "%' OR 1=1 --"},
    {"year": "2021.5"},
    {"region": ["1", "2"]},
    {"q": "1177\x00"},
    {"body": "²"},
    {"page": "²"},
]


@pytest.mark.parametrize("url_name", LISTS)
def test_odd_parameters_never_break_a_list(browser, subtests, url_name):
    for params in ODD_PARAMETERS:
        with subtests.test(str(params)[:40]):
            page = browser.get(reverse(url_name), params)
            assert page.status_code == 200
            assert sv("Filter") in text(page)


def test_a_long_list_is_counted_only_up_to_a_limit(browser, page_size, monkeypatch):
    monkeypatch.setattr("tracker.filtering.COUNT_UP_TO", 7)
    first = browser.get(reverse(RECOMMENDATIONS))
    assert first.context["page"].count is None
    assert first.context["page"].num_pages is None
    html = text(first)
    assert sv("More than %(limit)s items") % {"limit": 7} in html
    assert 'rel="next"' in html
    assert sv("Last page") not in html
    # The last page is found even without a count, from a number past the end.
    last = browser.get(reverse(RECOMMENDATIONS), {"page": 999})
    assert len(last.context["page"]) == 2
    assert 'rel="next"' not in last.content.decode()
    assert last.context["page"].number == 3


def test_a_short_list_says_how_many_and_which_page_of_how_many(browser, page_size):
    second = browser.get(reverse(RECOMMENDATIONS), {"page": 2})
    assert second.context["page"].count == 12
    html = text(second)
    with translation.override("sv"):
        items = translation.ngettext("%(counter)s item", "%(counter)s items", 12) % {"counter": 12}
    assert items != "12 items"
    assert items in html
    assert sv("Page %(number)s of %(total)s") % {"number": 2, "total": 3} in html
    assert sv("Last page") in html
