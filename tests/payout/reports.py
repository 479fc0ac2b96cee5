"""A small payout of 泰山区 for the reports' tests, its figures worked out by hand below.

November 2026 (the batches' month):

- 岱庙街道 urban, bank's return read: 甲 paid 2,100.00, 乙 paid 1,050.50, 丙 failed 2,100.00
  (not counted), 丁 held 2,100.00 (not counted); its follow-up batch, approved: 丙 again,
  2,100.00, awaiting the bank.
- 岱庙街道 rural, bank's return read: 戊 paid 1,666.67.
- 省庄镇 urban, payment file issued: 己 2,100.00 awaiting the bank.
- 省庄镇 rural, bank's return read: 庚 paid 1,000.00.
- 山亭区 (another county) urban, return read: 辛 paid 2,100.00 (never in 泰山区's figures).

October 2026: 岱庙街道 urban, closed: 甲 paid 2,100.00.

So November, paid: 岱庙街道 3 people, 3 lines, urban 3,150.50, rural 1,666.67, total 4,817.17,
awaiting 1 line, urban 2,100.00; 省庄镇 1 person, 1 line, rural 1,000.00, awaiting 1 line, urban
2,100.00; 泰山区 4 people, 4 lines, urban 3,150.50, rural 2,666.67, total 5,817.17, awaiting 2
lines, 4,200.00. In 万元: 0.58, urban 0.32 (0.31505 half up), rural 0.27 — the parts add to
0.59, each rounded on its own. January to November: 4 people (甲 counted once), 5 lines, urban
5,250.50, rural 2,666.67, total 7,917.17 (0.79万元, urban 0.53, rural 0.27).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongyi.models import Region
from people.models import Person
from subsidies.payout.enums import BatchKind, BatchState, LineStatus
from subsidies.payout.models import PayoutBatch, PayoutLine
from tests.factories import PayoutBatchFactory, PayoutLineFactory, PlacementFactory, PostFactory
from tests.factories.attendance import AttendanceMonthFactory

NOV = dt.date(2026, 11, 1)
OCT = dt.date(2026, 10, 1)


@dataclass
class Payouts:
    people: dict[str, Person]
    batches: dict[str, PayoutBatch]
    lines: dict[str, PayoutLine]


def _line(batch, placement, month, fen, status=LineStatus.PAID, **kw) -> PayoutLine:
    row = AttendanceMonthFactory(placement=placement, month=month)
    return PayoutLineFactory(batch=batch, row=row, amount_fen=fen, status=status, **kw)


def build_payouts(area) -> Payouts:
    far_village = area.far_village  # 丙村, of 省庄镇
    other_village = Region.objects.get(code=f"{area.other_county.code}106200")  # 丁村

    def placed(name, village, kind="urban"):
        return PlacementFactory(
            post=PostFactory(village=village, area_kind=kind),
            person__village=village,
            person__name=name,
        )

    p = {
        "甲": placed("甲", area.village),
        "乙": placed("乙", area.village),
        "丙": placed("丙", area.village),
        "丁": placed("丁", area.other_village),
        "戊": placed("戊", area.village, "rural"),
        "己": placed("己", far_village),
        "庚": placed("庚", far_village, "rural"),
        "辛": placed("辛", other_village),
    }
    t1, t2, far = area.township.code, area.other_township.code, other_village.code[:9]
    returned, issued = BatchState.RETURNED, BatchState.FILE_ISSUED
    b = {
        "t1_urban": PayoutBatchFactory(region_code=t1, month=NOV, state=returned),
        "t1_rural": PayoutBatchFactory(
            region_code=t1, month=NOV, kind=BatchKind.RURAL, state=returned
        ),
        "t2_urban": PayoutBatchFactory(region_code=t2, month=NOV, state=issued),
        "t2_rural": PayoutBatchFactory(
            region_code=t2, month=NOV, kind=BatchKind.RURAL, state=returned
        ),
        "far_urban": PayoutBatchFactory(region_code=far, month=NOV, state=returned),
        "t1_october": PayoutBatchFactory(region_code=t1, month=OCT, state=BatchState.CLOSED),
    }
    b["t1_follow_up"] = PayoutBatchFactory(
        region_code=t1,
        month=NOV,
        sequence=1,
        follows_batch=b["t1_urban"],
        state=BatchState.APPROVED,
    )
    pl = p
    lines = {
        "甲": _line(b["t1_urban"], pl["甲"], NOV, 210000),
        "乙": _line(b["t1_urban"], pl["乙"], NOV, 105050),
        "丙": _line(
            b["t1_urban"],
            pl["丙"],
            NOV,
            210000,
            LineStatus.FAILED,
            bank_reason="no_account",
            bank_reason_text="账户不存在",
        ),
        "丁": _line(b["t1_urban"], pl["丁"], NOV, 210000, LineStatus.HELD, held_reason="核查中"),
        "戊": _line(b["t1_rural"], pl["戊"], NOV, 166667),
        "己": _line(b["t2_urban"], pl["己"], NOV, 210000, LineStatus.PENDING),
        "庚": _line(b["t2_rural"], pl["庚"], NOV, 100000),
        "辛": _line(b["far_urban"], pl["辛"], NOV, 210000),
        "甲_october": _line(b["t1_october"], pl["甲"], OCT, 210000),
    }
    lines["丙_again"] = PayoutLineFactory(
        batch=b["t1_follow_up"],
        row=lines["丙"].row,
        amount_fen=210000,
        status=LineStatus.PENDING,
        follows=lines["丙"],
    )
    return Payouts({k: v.person for k, v in p.items()}, b, lines)
