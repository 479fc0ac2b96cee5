"""Fixtures of the catalogue's tests: the users by role, and 泰山区's minimum wage row."""

import datetime as dt

import pytest

from posts.models import MinimumWage


@pytest.fixture
def minimum_wage(area) -> MinimumWage:
    """2100 yuan a month, 21 an hour from 2021-10 (docs/policy.md §7, Shandong's first tier)."""
    return MinimumWage.objects.create(
        county=area.county, monthly=2100, hourly=21, effective_from=dt.date(2021, 10, 1)
    )
