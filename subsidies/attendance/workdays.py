"""The hours a placement's work arrangement asks of each day of a month (docs/policy.md §7).

A pure rule with worked cases (tests/attendance/test_workdays.py); ``planning.PLAN_SQL`` is its
twin for a whole county at once, and a test holds the two equal.

A day is a working day of a placement when
1. it lies within the placement (from its start to its end, both included);
2. the county's calendar (``gongyi.models.CalendarDay``) does not make it a public holiday — a
   holiday is a rest day for every post (劳动法 art. 40) — and either the calendar makes it a
   make-up working day (调休) or its weekday is one of the arrangement's working days;
3. the arrangement in force that day is the post's latest one from on or before the day; a post
   without one works ``DEFAULT_WEEKDAYS``, ``DEFAULT_HOURS_PER_DAY`` (full-time) or the
   placement's agreed hours a week (hourly).

A full-time post plans ``hours_per_day`` on each working day; an hourly post spreads its
``hours_per_week`` evenly over the arrangement's weekdays, rounded half up to 0.1 hour: the one
rounding of hours in attendance. Required days are the days with planned hours; a placement that
starts or ends inside the month has only its own days (pro rata by days, not by calendar share).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

#: Monday to Friday, the week of a post without an arrangement of its own.
DEFAULT_WEEKDAYS = (1, 2, 3, 4, 5)
#: The standard working day (劳动法 art. 36).
DEFAULT_HOURS_PER_DAY = Decimal(8)
TENTH = Decimal("0.1")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Arrangement:
    effective_from: dt.date
    weekdays: tuple[int, ...]
    hours_per_day: Decimal | None = None
    hours_per_week: Decimal | None = None


def month_days(month: dt.date) -> list[dt.date]:
    """Every day of ``month`` (any date in it)."""
    first = month.replace(day=1)
    count = calendar.monthrange(first.year, first.month)[1]
    return [first + dt.timedelta(days=i) for i in range(count)]


def day_hours(arrangement: Arrangement | None, *, hourly_week: Decimal | None) -> Decimal:
    """The hours of one working day under ``arrangement`` (None: the default week)."""
    if arrangement is None:
        if hourly_week is None:
            return DEFAULT_HOURS_PER_DAY
        return (hourly_week / len(DEFAULT_WEEKDAYS)).quantize(TENTH, ROUND_HALF_UP)
    if arrangement.hours_per_day is not None:
        return arrangement.hours_per_day
    return (arrangement.hours_per_week / len(arrangement.weekdays)).quantize(TENTH, ROUND_HALF_UP)


def planned_hours(
    month: dt.date,
    *,
    start: dt.date,
    end: dt.date | None,
    arrangements: list[Arrangement],
    calendar_days: dict[dt.date, bool],
    hourly_week: Decimal | None = None,
) -> list[Decimal]:
    """The planned hours of each day of ``month`` for a placement from ``start`` to ``end``.

    ``arrangements`` are the post's, any order; ``calendar_days`` maps the county calendar's
    special days to whether they are working days; ``hourly_week`` is the agreed hours a week of
    an hourly placement (None for full-time), used when the post has no arrangement.
    """
    ordered = sorted(arrangements, key=lambda a: a.effective_from, reverse=True)
    plan = []
    for day in month_days(month):
        if day < start or (end is not None and day > end):
            plan.append(ZERO)
            continue
        arrangement = next((a for a in ordered if a.effective_from <= day), None)
        weekdays = arrangement.weekdays if arrangement else DEFAULT_WEEKDAYS
        special = calendar_days.get(day)
        working = special if special is not None else day.isoweekday() in weekdays
        plan.append(day_hours(arrangement, hourly_week=hourly_week) if working else ZERO)
    return plan
