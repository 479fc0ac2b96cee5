import datetime as dt
from decimal import Decimal

import pytest

from gongyi.enums import Role
from subsidies.attendance.assessment import Typed, assessment_save
from subsidies.attendance.models import AttendanceMonth, AttendanceSheet
from subsidies.attendance.planning import month_prepare
from tests.factories import PlacementFactory, PostFactory

NOV = dt.date(2026, 11, 1)
#: The day the tests run on: the month is over.
AFTER = dt.date(2026, 12, 3)


@pytest.fixture
def village_user(users):
    return users[Role.VILLAGE]


@pytest.fixture
def month(area):
    """甲社区's November 2026: two full-time people and one hourly (9.5 hours a week), prepared."""
    post = PostFactory(village=area.village)
    hourly_post = PostFactory(
        village=area.village,
        work_pattern="hourly",
        monthly_subsidy=None,
        hourly_rate=Decimal(21),
        hours_per_week=Decimal("9.5"),
    )
    people = [
        PlacementFactory(post=post, person__village=area.village),
        PlacementFactory(post=post, person__village=area.village),
        PlacementFactory(post=hourly_post, person__village=area.village),
    ]
    month_prepare(month=NOV, region_code=area.village.code)
    sheet = AttendanceSheet.objects.get(region_code=area.village.code, month=NOV)
    rows = {r.placement_id: r for r in AttendanceMonth.objects.filter(sheet=sheet)}
    return sheet, [rows[p.pk] for p in people]


def score_all(sheet, user) -> None:
    """Score everyone on ``sheet`` at the base score: the month's assessment, which submitting
    needs (docs/policy.md §7)."""
    rows = AttendanceMonth.objects.filter(sheet=sheet).values_list("pk", flat=True)
    assessment_save(actor=user, sheet_id=sheet.pk, rows={pk: Typed({}) for pk in rows})
