"""How much of a paid payout line is recovered after an exit (docs/policy.md §8, "Exits and
recovery"). A pure function of plain facts, as ``subsidies.payout.amount`` is: no database.

The subsidy is due up to the exit's last day on the post; from ``recover_from`` (the day after
it, or the placement's first day for a false declaration, seed 003 §9) it is not. So for each
paid line of the placement:

- a month that begins on or after ``recover_from``: the whole amount paid;
- the month ``recover_from`` falls in: the payout's own share rule (``amount.subsidy_amount``,
  step 1) on the working days from ``recover_from`` to the month's end — full-time: the standard
  × those days (planned days of work) / the post's working days in the whole month
  (``full_days``); hourly: the rate × the planned hours of those days — never more than the line
  paid;
- a month before: nothing.

Rounding as the payout's: every division carried to a millionth of a fen, the amount rounded
once, half up, to the whole fen (``amount.half_up``); fen integers throughout.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from subsidies.payout.amount import HUNDRED, ZERO, _ratio, half_up


@dataclass(frozen=True)
class PaidLine:
    """What the rule reads of a paid payout line and its attendance month."""

    month: dt.date
    amount_fen: int
    hourly: bool
    #: The monthly subsidy (full-time) or the hourly rate (hourly), yuan.
    standard: Decimal
    #: The planned hours of each day of the month (the attendance month's ``planned``).
    planned: list[Decimal]
    full_days: int


@dataclass(frozen=True)
class Recovered:
    fen: int
    figures: dict[str, Any] = field(default_factory=dict)


def recovered_amount(line: PaidLine, recover_from: dt.date) -> Recovered:
    """The part of ``line`` recovered when the subsidy is not due from ``recover_from`` on."""
    month = line.month.replace(day=1)
    if month >= recover_from:
        return Recovered(line.amount_fen, {"rule": "whole", "paid": line.amount_fen})
    if (month.year, month.month) != (recover_from.year, recover_from.month):
        return Recovered(0, {"rule": "before", "paid": line.amount_fen})
    after = [Decimal(h) for h in line.planned[recover_from.day - 1 :]]
    s = line.standard * HUNDRED
    if line.hourly:
        hours = sum(after, ZERO)
        share = s * hours
        figures = {"rule": "hours_after", "rate": half_up(s), "hours": str(hours)}
    else:
        days = sum(1 for h in after if h > 0)
        share = _ratio(s * days, line.full_days)
        figures = {
            "rule": "days_after",
            "standard": half_up(s),
            "days": days,
            "full_days": line.full_days,
        }
    fen = min(half_up(share), line.amount_fen)
    return Recovered(
        fen, {**figures, "from": recover_from.isoformat(), "paid": line.amount_fen, "amount": fen}
    )
