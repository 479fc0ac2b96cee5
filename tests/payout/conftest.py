import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from gongyi.enums import Role
from people.models import Placement
from subsidies.attendance.enums import SheetState
from subsidies.attendance.models import AttendanceMonth, AttendanceSheet
from subsidies.attendance.planning import month_prepare
from subsidies.attendance.services import grid_save, sheet_fill_present, sheet_transition
from tests.attendance.conftest import AFTER, NOV, score_all
from tests.factories import MinimumWageFactory, PlacementFactory, PostFactory


@dataclass
class Closed:
    """甲社区's November 2026, closed: ``a`` full month with a day of personal leave (unpaid)
    and one of sick leave (paid); ``b`` started on the 16th; ``hourly`` 9.5 hours a week; and
    ``rural`` on a rural post, paid in a batch of its own. 乙社区's month is still open."""

    sheet: AttendanceSheet
    a: AttendanceMonth
    b: AttendanceMonth
    hourly: AttendanceMonth
    rural: AttendanceMonth
    open_placement: Placement


@pytest.fixture
def village_user(users):
    return users[Role.VILLAGE]


@pytest.fixture
def closed(area, users) -> Closed:
    village_user, clerk = users[Role.VILLAGE], users[Role.CLERK]
    MinimumWageFactory(county=area.county, monthly=Decimal("1900.00"), hourly=Decimal("19.00"))
    post = PostFactory(village=area.village, monthly_subsidy=Decimal("2100.00"))
    hourly_post = PostFactory(
        village=area.village,
        work_pattern="hourly",
        monthly_subsidy=None,
        hourly_rate=Decimal(21),
        hours_per_week=Decimal("9.5"),
    )
    rural_post = PostFactory(village=area.village, area_kind="rural")
    placements = [
        PlacementFactory(post=post, person__village=area.village),
        PlacementFactory(post=post, person__village=area.village, start_date=dt.date(2026, 11, 16)),
        PlacementFactory(post=hourly_post, person__village=area.village),
        PlacementFactory(post=rural_post, person__village=area.village),
    ]
    elsewhere = PlacementFactory(
        post=PostFactory(village=area.other_village), person__village=area.other_village
    )
    month_prepare(month=NOV, region_code=area.township.code)
    sheet = AttendanceSheet.objects.get(region_code=area.village.code, month=NOV)
    rows = {r.placement_id: r for r in AttendanceMonth.objects.filter(sheet=sheet)}
    a = rows[placements[0].pk]
    grid_save(
        actor=village_user, sheet_id=sheet.pk, cells={(a.pk, 2): "s", (a.pk, 3): "b"}, today=AFTER
    )
    sheet_fill_present(actor=village_user, sheet_id=sheet.pk, today=AFTER)
    score_all(sheet, village_user)
    sheet_transition(actor=village_user, sheet_id=sheet.pk, to=SheetState.SUBMITTED)
    sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.CLOSED)
    a, b, hourly, rural = (AttendanceMonth.objects.get(pk=rows[p.pk].pk) for p in placements)
    return Closed(sheet, a, b, hourly, rural, elsewhere)
