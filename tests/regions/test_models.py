import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from regions.models import Area, Body, Membership, Outcome, Region, Target, Unit, User

from ..conftest import sv
from ..helpers import assert_db_rejects, assert_invalid


def test_body_name_is_unique_within_a_region(board):
    duplicate = Body(region=board.region, name="Regionstyrelsen")
    assert_invalid(duplicate, "This region already has a body with that name.")
    assert_db_rejects(duplicate, "regions_body_unique_name_per_region")


def test_same_body_name_is_fine_in_another_region(board, other_region):
    Body(region=other_region, name="Regionstyrelsen").full_clean()


def test_area_and_unit_names_are_unique_where_they_belong(region):
    area = Area.objects.create(region=region, name="Luleå/Boden")
    assert_invalid(
        Area(region=region, name="Luleå/Boden"), "This region already has an area with that name."
    )
    Unit.objects.create(area=area, name="Hertsöns hälsocentral")
    duplicate = Unit(area=area, name="Hertsöns hälsocentral")
    assert_invalid(duplicate, "This area already has a unit with that name.")
    assert_db_rejects(duplicate, "regions_unit_unique_name_per_area")


def test_region_code_accepts_only_lower_case_letters_digits_and_hyphens(db):
    assert_invalid(
        Region(name="Region Test", code="Region Test"),
        "Use lower-case letters a-z, digits and hyphens only.",
    )


def test_a_user_has_each_role_once_per_region(region):
    user = User.objects.create_user("anna")
    Membership.objects.create(user=user, region=region, role=Membership.Role.AUDITOR)
    duplicate = Membership(user=user, region=region, role=Membership.Role.AUDITOR)
    assert_invalid(duplicate, "The user already has this role in this region.")
    assert_db_rejects(duplicate, "regions_membership_unique_role")


def test_only_an_auditor_can_chair(region):
    user = User.objects.create_user("karin")
    chair = Membership(user=user, region=region, role=Membership.Role.READER, is_chair=True)
    assert_invalid(chair, "Only an auditor can be the auditors' chair.")
    assert_db_rejects(chair, "regions_membership_chair_is_auditor")


def test_secretary_must_act_for_bodies_of_their_own_region(region, other_region, board):
    user = User.objects.create_user("jonas")
    membership = Membership(user=user, region=region, role=Membership.Role.SECRETARY)
    with pytest.raises(ValidationError) as caught:
        membership.clean_bodies([])
    assert sv("A body secretary must be given at least one body.") in caught.value.messages
    foreign = Body.objects.create(region=other_region, name="Hälso- och sjukvårdsnämnden")
    with pytest.raises(ValidationError) as caught:
        membership.clean_bodies([foreign])
    assert "Hälso- och sjukvårdsnämnden" in caught.value.messages[0]
    membership.clean_bodies([board])


def test_only_secretaries_act_for_bodies(region, board):
    user = User.objects.create_user("per")
    membership = Membership(user=user, region=region, role=Membership.Role.READER)
    with pytest.raises(ValidationError) as caught:
        membership.clean_bodies([board])
    assert sv("Only body secretaries act for bodies.") in caught.value.messages


def test_target_year_range_and_one_target_per_year(region):
    from regions.models import Indicator

    indicator = Indicator.objects.create(region=region, name="Besvarade samtal", unit="%")
    Target.objects.create(indicator=indicator, year=2021, value=85)
    assert_invalid(
        Target(indicator=indicator, year=2021, value=90),
        "The indicator already has a target for that year.",
    )
    far_future = Target(indicator=indicator, year=2500, value=85)
    with pytest.raises(ValidationError) as caught:
        far_future.full_clean()
    assert caught.value.message_dict["year"] == [
        "Kontrollera att detta värde är mindre än eller lika med 2100."
    ]
    assert_db_rejects(far_future, "regions_target_year_range")


def test_outcome_period_cannot_end_before_it_starts(region):
    import datetime

    from regions.models import Indicator

    indicator = Indicator.objects.create(region=region, name="Medelväntetid", unit="min")
    backwards = Outcome(
        indicator=indicator,
        value=24,
        period_start=datetime.date(2020, 12, 31),
        period_end=datetime.date(2020, 1, 1),
    )
    assert_invalid(backwards, "The period cannot end before it starts.")
    assert_db_rejects(backwards, "regions_outcome_period_order")


def test_region_with_bodies_cannot_be_deleted(board):
    with pytest.raises(ProtectedError):
        board.region.delete()
    assert Region.objects.filter(pk=board.region_id).exists()


def test_body_with_recommendations_cannot_be_deleted(recommendation):
    with pytest.raises(ProtectedError):
        recommendation.body.delete()
