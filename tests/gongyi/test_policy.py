"""Policy settings (docs/policy.md §11): where sources disagree the rule is a setting, stored per
county and effective-dated. In force for a county on a day: its own newest row not after the day,
else the province-wide row (no county), else the registered default."""

import datetime as dt

import pytest
from django.utils import timezone

from gongyi.models import PolicySetting
from gongyi.policy import POLICY_KEYS, policy_value, policy_values

pytestmark = pytest.mark.django_db

VACANT = "posts.vacant_days"  # default 90 (seed 003 §1.3)
UNUSED = "posts.unused_days"  # default 60


def today() -> dt.date:
    return timezone.localdate()


def row(key: str, value, effective_from: dt.date, county=None) -> PolicySetting:
    return PolicySetting.objects.create(
        county=county, key=key, value=value, effective_from=effective_from
    )


def test_policy_values_are_the_registered_defaults_without_rows(area):
    assert (POLICY_KEYS[VACANT].default, POLICY_KEYS[UNUSED].default) == (90, 60)
    assert policy_values("370902", [VACANT, UNUSED]) == {VACANT: 90, UNUSED: 60}


def test_policy_values_take_the_province_wide_row_for_every_county(area):
    row(VACANT, 120, dt.date(2024, 1, 1))
    assert policy_values("370902", [VACANT, UNUSED]) == {VACANT: 120, UNUSED: 60}
    assert policy_value("370406", VACANT) == 120


def test_policy_values_the_countys_own_row_beats_the_province_wide_row(area):
    """The county's row wins even when the province-wide row is newer."""
    row(VACANT, 120, dt.date(2025, 1, 1))
    row(VACANT, 45, dt.date(2022, 1, 1), county=area.county)
    assert policy_value("370902", VACANT) == 45
    assert policy_value("370406", VACANT) == 120  # 山亭区 has no row of its own


def test_policy_values_read_the_county_of_a_township_or_village_code(area):
    row(VACANT, 45, dt.date(2022, 1, 1), county=area.county)
    assert policy_value("370902001", VACANT) == 45
    assert policy_value("370902001001", VACANT) == 45


def test_policy_values_of_another_county_do_not_apply(area):
    row(VACANT, 30, dt.date(2022, 1, 1), county=area.other_county)
    assert policy_value("370902", VACANT) == 90


def test_policy_values_a_row_from_a_future_date_is_not_yet_in_force(area):
    start = today() + dt.timedelta(days=10)
    row(VACANT, 120, dt.date(2024, 1, 1))
    row(VACANT, 30, start, county=area.county)
    row(UNUSED, 15, start)
    assert policy_values("370902", [VACANT, UNUSED]) == {VACANT: 120, UNUSED: 60}
    assert policy_values("370902", [VACANT, UNUSED], on=start) == {VACANT: 30, UNUSED: 15}


def test_policy_values_the_newest_row_not_after_the_day_wins(area):
    row(VACANT, 100, dt.date(2020, 1, 1), county=area.county)
    row(VACANT, 110, dt.date(2024, 1, 1), county=area.county)
    row(VACANT, 999, today() + dt.timedelta(days=1), county=area.county)
    row(UNUSED, 70, dt.date(2020, 1, 1))
    row(UNUSED, 80, dt.date(2024, 1, 1))
    assert policy_values("370902", [VACANT, UNUSED]) == {VACANT: 110, UNUSED: 80}
    assert policy_values("370902", [VACANT, UNUSED], on=dt.date(2023, 12, 31)) == {
        VACANT: 100,
        UNUSED: 70,
    }
    assert policy_values("370902", [VACANT, UNUSED], on=dt.date(2019, 12, 31)) == {
        VACANT: 90,
        UNUSED: 60,
    }


def test_policy_values_read_every_key_in_one_query(area, django_assert_num_queries):
    row(VACANT, 45, dt.date(2022, 1, 1), county=area.county)
    row(UNUSED, 15, dt.date(2022, 1, 1))
    keys = [VACANT, UNUSED, "posts.pay_disparity_percent", "posts.hours_disparity_percent"]
    with django_assert_num_queries(1):
        values = policy_values("370902", keys)
    assert values == {
        VACANT: 45,
        UNUSED: 15,
        "posts.pay_disparity_percent": 20,
        "posts.hours_disparity_percent": 25,
    }
