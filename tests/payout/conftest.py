import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from gongyi.enums import Role
from people.models import Placement
from subsidies.attendance.enums import SheetState
from subsidies.attendance.models import AttendanceMonth, AttendanceSheet
from subsidies.attendance.planning import month_prepare
from subsidies.attendance.services import grid_save, sheet_fill_present, sheet_transition
from subsidies.payout.enums import BatchState
from tests.attendance.conftest import AFTER, NOV, score_all
from tests.factories import (
    AccountFixFactory,
    BankTemplateFactory,
    MinimumWageFactory,
    PaymentFileFactory,
    PayoutBatchFactory,
    PayoutLineFactory,
    PlacementFactory,
    PostFactory,
)
from tests.factories.attendance import AttendanceMonthFactory


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


def _line(village, batch):
    row = AttendanceMonthFactory(
        placement=PlacementFactory(post=PostFactory(village=village), person__village=village)
    )
    return PayoutLineFactory(batch=batch, row=row, person_name=f"人{village.code}")


@pytest.fixture
def sides(area, users):
    """A batch with its payment file and an open account fix in 岱庙街道 (泰山区) and in 徐庄镇
    (山亭区); 省庄镇 (the clerk's sibling township) has a fix of its own."""
    from gongyi.models import Region

    made = {}
    for key, village in (
        ("own", area.village),
        ("sibling", area.far_village),
        ("other", Region.objects.get(code="370406106200")),
    ):
        batch = PayoutBatchFactory(
            region_code=village.code[:9], state=BatchState.FILE_ISSUED, created_by=users[Role.CLERK]
        )
        data = f"代发{key}".encode()
        path = default_storage.save(f"payout/files/{key}.txt", ContentFile(data))
        county = Region.objects.get(code=village.code[:6])
        PaymentFileFactory(
            batch=batch,
            template=BankTemplateFactory(county=county, name=f"模板{key}"),
            path=path,
            sha256=hashlib.sha256(data).hexdigest(),
        )
        fix = AccountFixFactory(line=_line(village, batch))
        made[key] = (batch, fix)
    return made
