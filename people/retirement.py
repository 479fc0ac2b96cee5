"""Statutory retirement age under the 2024 NPC Standing Committee decision, in force 2025-01-01
(docs/policy.md §4): the delay in months, the retirement month, date and age, per category.

Pure functions of a category and a birth date, no database. The table is the statute itself, the
same in every county, so it is code rather than a county setting.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _


class RetirementCategory(models.TextChoices):
    """The three categories of docs/policy.md §4, named by the original statutory age."""

    MALE_60 = "male_60", _("Men (originally 60)")  # 男职工
    FEMALE_55 = "female_55", _("Women cadres (originally 55)")  # 原法定退休年龄55周岁女职工
    FEMALE_50 = "female_50", _("Women workers (originally 50)")  # 原法定退休年龄50周岁女职工


class RetirementRule(NamedTuple):
    """One row of docs/policy.md §4's table."""

    original_age: int  # years
    y0: int  # the first birth year whose retirement is delayed
    step_months: int  # one more month of delay per this many months of birth
    cap_months: int  # the delay never exceeds this


#: docs/policy.md §4's table.
RULES: dict[str, RetirementRule] = {
    RetirementCategory.MALE_60: RetirementRule(60, 1965, 4, 36),
    RetirementCategory.FEMALE_55: RetirementRule(55, 1970, 4, 36),
    RetirementCategory.FEMALE_50: RetirementRule(50, 1975, 2, 60),
}


def retirement_delay_months(category: str, birth: dt.date) -> int:
    """The delay in months (docs/policy.md §4): with ``idx = (year − Y0) × 12 + (month − 1)``, 0 if
    ``idx < 0``, else ``min(idx // step + 1, cap)``. Raises ``KeyError`` on an unknown category."""
    rule = RULES[category]
    idx = (birth.year - rule.y0) * 12 + (birth.month - 1)
    if idx < 0:
        return 0
    return min(idx // rule.step_months + 1, rule.cap_months)


def retirement_month(category: str, birth: dt.date) -> tuple[int, int]:
    """The (year, month) of retirement (docs/policy.md §4): the birth month plus the original age in
    months plus the delay.

    The sum is taken on a zero-based month index and split with ``divmod``: adding the delay to
    the calendar month directly is how a public implementation came to print month "13"."""
    months = RULES[category].original_age * 12 + retirement_delay_months(category, birth)
    year, month0 = divmod(birth.year * 12 + (birth.month - 1) + months, 12)
    return year, month0 + 1


def retirement_date(category: str, birth: dt.date) -> dt.date:
    """The day the person reaches the retirement age (docs/policy.md §4).

    Convention: the same day of the month as the birthday, in the retirement month of
    :func:`retirement_month`, clamped to that month's last day (born on the 31st, a 30-day
    retirement month gives the 30th; born on 29 February, a non-leap February gives the 28th)."""
    year, month = retirement_month(category, birth)
    return dt.date(year, month, min(birth.day, calendar.monthrange(year, month)[1]))


def retirement_age(category: str, birth: dt.date) -> tuple[int, int]:
    """The retirement age as (years, months) (docs/policy.md §4): the original age plus the delay,
    split into whole years and the remaining months."""
    extra_years, months = divmod(retirement_delay_months(category, birth), 12)
    return RULES[category].original_age + extra_years, months


def default_category(sex: str) -> str:
    """The category a new person starts with (docs/policy.md §4): men 60; women the 50 category
    (women workers), which staff may change per person. ``sex`` is "male" or "female", as read
    from the ID number; anything else raises ``ValueError``."""
    if sex == "male":
        return RetirementCategory.MALE_60
    if sex == "female":
        return RetirementCategory.FEMALE_50
    raise ValueError(f"unknown sex: {sex!r}")
