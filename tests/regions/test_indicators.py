"""Indicators: outcomes judged against the target in force, as a chart and a table."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from audits.models import Audit
from recommendations.models import Measure
from regions.indicators import chart, rows
from regions.models import Indicator, Membership, Outcome, Target

from ..conftest import sv
from ..web import member, signed_in, text


@pytest.fixture
def answered(region) -> Indicator:
    indicator = Indicator.objects.create(
        region=region, name="Andel besvarade samtal till 1177", unit="%"
    )
    Target.objects.create(indicator=indicator, year=2019, value=80)
    Target.objects.create(indicator=indicator, year=2021, value=85, set_by="Verksamhetsplan")
    for year, value in ((2018, "71.28"), (2020, "82.50"), (2021, "84.00"), (2022, "90")):
        Outcome.objects.create(
            indicator=indicator,
            period_start=datetime.date(year, 10, 1),
            period_end=datetime.date(year, 10, 31),
            value=Decimal(value),
        )
    return indicator


def test_each_outcome_is_judged_against_the_target_in_force(answered):
    table = rows(answered, list(answered.targets.all()), list(answered.outcomes.all()))
    assert [(r.period, r.target.value if r.target else None, r.met) for r in table] == [
        ("2018-10", None, None),  # before any target
        ("2020-10", 80, True),  # the 2019 target holds until 2021
        ("2021-10", 85, False),
        ("2022-10", 85, True),
    ]


def test_lower_is_better_targets_read_at_most(region):
    wait = Indicator.objects.create(region=region, name="Väntetid", unit="min", direction="lower")
    target = Target.objects.create(indicator=wait, year=2021, value=10, comparator="lte")
    outcome = Outcome.objects.create(
        indicator=wait,
        period_start=datetime.date(2021, 1, 1),
        period_end=datetime.date(2021, 12, 31),
        value=12,
    )
    (row,) = rows(wait, [target], [outcome])
    assert (row.period, row.met) == ("2021", False)


def test_the_chart_says_in_words_what_its_colours_say(answered):
    table = rows(answered, list(answered.targets.all()), list(answered.outcomes.all()))
    svg = chart(answered, table)
    assert svg.startswith("<svg") and svg.count("<rect") == 4
    assert svg.count("stroke-dasharray") == 3  # a target tick on each bar that has one
    assert "style=" not in svg  # the pages' CSP forbids inline styles
    assert svg.count(sv("target met")) == 2
    assert svg.count(sv("target not met")) == 1


def test_the_page_shows_chart_table_and_the_audits_that_cite_it(
    answered, issued_audit, response, region, scale
):
    issued_audit.indicators.add(answered)
    audit = Audit.objects.create(
        region=region, title="Utkast om 1177", year=2026, rating_scale=scale
    )
    audit.indicators.add(answered)  # a draft
    measure = Measure.objects.create(
        response=response,
        description="Fler sjuksköterskor i telefon.",
        original_due_date=datetime.date(2022, 6, 1),
    )
    measure.targets.add(answered.targets.get(year=2021))
    url = reverse("indicator-detail", args=[answered.pk])

    auditor_page = text(signed_in(member(region, Membership.Role.AUDITOR)).get(url))
    assert 'src="data:image/svg+xml;base64,' in auditor_page
    assert "<caption>" in auditor_page and "2021-10" in auditor_page
    assert "84 %" in auditor_page or "84,00 %" in auditor_page
    assert issued_audit.title in auditor_page and audit.title in auditor_page
    assert "Fler sjuksköterskor i telefon." in auditor_page

    reader_page = text(signed_in(member(region, Membership.Role.READER)).get(url))
    assert issued_audit.title in reader_page
    # A draft that cites the indicator stays with the audit side.
    assert reverse("audit-detail", args=[audit.pk]) not in reader_page


def test_another_regions_indicator_is_not_found(answered, other_region):
    outsider = signed_in(member(other_region, Membership.Role.AUDITOR))
    assert outsider.get(reverse("indicator-detail", args=[answered.pk])).status_code == 404
    page = text(outsider.get(reverse("indicator-list")))
    assert answered.name not in page


def test_the_list_shows_the_latest_outcome_and_its_verdict(answered, region, board):
    secretary = member(region, Membership.Role.SECRETARY, bodies=(board,))
    page = text(signed_in(secretary).get(reverse("indicator-list")))
    assert answered.name in page
    assert "2022-10" in page and sv("target met") in page


def test_the_list_costs_the_same_queries_for_many_indicators(
    region, answered, django_assert_max_num_queries
):
    browser = signed_in(member(region, Membership.Role.AUDITOR))
    for n in range(15):
        extra = Indicator.objects.create(region=region, name=f"Indikator {n}", unit="st")
        Target.objects.create(indicator=extra, year=2020, value=n)
    with django_assert_max_num_queries(8):
        assert browser.get(reverse("indicator-list")).status_code == 200
