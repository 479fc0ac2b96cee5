"""Pay against the minimum wage (docs/policy.md §7): pure checks that imports share, and the rules
of a county on a day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.policy import policy_value
from posts.enums import WorkPattern
from posts.models import MinimumWage, Post
from posts.policy import HOURLY_MAX_HOURS
from posts.services.wages import minimum_wage_in_force


def pay_errors(
    *,
    work_pattern: str,
    monthly_subsidy: Decimal | None,
    hourly_rate: Decimal | None,
    hours_per_week: Decimal | None,
    minimum: MinimumWage | None,
    max_hours: int = 24,
) -> dict[str, str]:
    """Field → message for pay that does not fit the working pattern or is below the minimum.

    docs/policy.md §7 and seed 001 §二(四): pay is not below the local minimum wage, monthly for
    full-time posts and hourly for hourly posts. A pure function, so that imports can check
    thousands of rows against one minimum-wage row.
    """
    errors: dict[str, str] = {}
    if work_pattern == WorkPattern.FULL_TIME:
        if monthly_subsidy is None or monthly_subsidy <= 0:
            errors["monthly_subsidy"] = _("A full-time post needs a monthly subsidy.")
        elif minimum and monthly_subsidy < minimum.monthly:
            errors["monthly_subsidy"] = _(
                "%(amount)s yuan a month is below the minimum wage in force (%(minimum)s yuan a "
                "month from %(date)s)."
            ) % {
                "amount": monthly_subsidy,
                "minimum": minimum.monthly,
                "date": minimum.effective_from.isoformat(),
            }
    elif work_pattern == WorkPattern.HOURLY:
        if hours_per_week is None or hours_per_week <= 0:
            errors["hours_per_week"] = _("An hourly post needs its hours a week.")
        elif hours_per_week > max_hours:
            errors["hours_per_week"] = _(
                "An hourly post has at most %(max)s hours a week (a county setting)."
            ) % {"max": max_hours}
        if hourly_rate is None or hourly_rate <= 0:
            errors["hourly_rate"] = _("An hourly post needs an hourly rate.")
        elif minimum and hourly_rate < minimum.hourly:
            errors["hourly_rate"] = _(
                "%(amount)s yuan an hour is below the minimum wage in force (%(minimum)s yuan an "
                "hour from %(date)s)."
            ) % {
                "amount": hourly_rate,
                "minimum": minimum.hourly,
                "date": minimum.effective_from.isoformat(),
            }
    return errors


def monthly_pay(post: Post) -> Decimal:
    """What a post pays a month: the monthly subsidy, or rate × hours × 52/12 for hourly posts."""
    if post.work_pattern == WorkPattern.HOURLY:
        return (post.hourly_rate * post.hours_per_week * 52 / 12).quantize(Decimal("0.01"))
    return post.monthly_subsidy


def no_minimum_wage_message() -> str:
    return _(
        "The county has no minimum wage in force yet, so pay cannot be checked: a post is not "
        "published until the county HR bureau records it."
    )


def pay_rules(county_code: str, on: dt.date | None = None) -> dict[str, Any]:
    """What pay is checked against in a county on a day: the minimum wage in force and the most
    hours a week of an hourly post (a setting). Keyword arguments for ``post_errors``."""
    on = on or timezone.localdate()
    return {
        "minimum": minimum_wage_in_force(county_code, on),
        "max_hours": policy_value(county_code, HOURLY_MAX_HOURS, on),
    }
