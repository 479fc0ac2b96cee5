"""Working days: weekends rest, except where ``CalendarDay`` says otherwise (holidays, 调休)."""

from __future__ import annotations

import datetime as dt


def is_workday(day: dt.date, exceptions: dict[dt.date, bool]) -> bool:
    return exceptions.get(day, day.weekday() < 5)


def working_days_end(start: dt.date, days: int) -> dt.date:
    """The last day of a period of ``days`` working days that begins on ``start`` (``start``
    counts if it is a working day). One query: the exceptions in the window."""
    from gongyi.models import CalendarDay

    if days < 1:
        return start
    # Long holidays (春节, 国庆) are a week: a window of three times the days and a month is ample.
    window_end = start + dt.timedelta(days=days * 3 + 31)
    exceptions = dict(
        CalendarDay.objects.filter(date__gte=start, date__lte=window_end).values_list(
            "date", "is_workday"
        )
    )
    day, counted = start, 0
    while True:
        if is_workday(day, exceptions):
            counted += 1
            if counted == days:
                return day
        day += dt.timedelta(days=1)
