"""The reviews the county asks for (seed 003 §1.2–1.3): disparities, vacant and unused posts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from gongyi.policy import policy_values
from gongyi.scoping import user_region_code
from posts.enums import DEVELOPED_STATUSES, PostStatus, WorkPattern
from posts.models import Post
from posts.policy import HOURS_DISPARITY_PERCENT, PAY_DISPARITY_PERCENT, UNUSED_DAYS, VACANT_DAYS
from posts.selectors.catalogue import post_list


def review_settings(user) -> dict[str, Any]:
    return policy_values(
        user_region_code(user),
        [PAY_DISPARITY_PERCENT, HOURS_DISPARITY_PERCENT, VACANT_DAYS, UNUSED_DAYS],
    )


def _developed(user, params) -> QuerySet[Post]:
    return post_list(user, params).filter(status__in=DEVELOPED_STATUSES)


def disparity_groups(
    user, params: dict[str, str], *, pay_pct: float, hours_pct: float
) -> list[dict[str, Any]]:
    """Posts of one standard name and working pattern in one county whose pay (monthly subsidy,
    or hourly rate) or hours a week differ by more than the set share (seed 003 §1.2: "避免同一
    地区、相同岗位之间，工作要求、补贴待遇差距过大"). One grouped query."""
    pay_ratio, hours_ratio = 1 + pay_pct / 100, 1 + hours_pct / 100
    groups = (
        _developed(user, params)
        .annotate(county_code=Substr("region_code", 1, 6))
        .values("county_code", "post_type_id", "post_type__name", "work_pattern")
        .annotate(
            n=Count("id"),
            min_monthly=Min("monthly_subsidy"),
            max_monthly=Max("monthly_subsidy"),
            min_rate=Min("hourly_rate"),
            max_rate=Max("hourly_rate"),
            min_hours=Min("hours_per_week"),
            max_hours=Max("hours_per_week"),
        )
        .filter(n__gte=2)
        .filter(
            Q(max_monthly__gt=F("min_monthly") * pay_ratio)
            | Q(max_rate__gt=F("min_rate") * pay_ratio)
            | Q(max_hours__gt=F("min_hours") * hours_ratio)
        )
        .order_by("county_code", "post_type__name", "work_pattern")
    )
    result = []
    for g in groups:
        hourly = g["work_pattern"] == WorkPattern.HOURLY
        low, high = (
            (g["min_rate"], g["max_rate"]) if hourly else (g["min_monthly"], g["max_monthly"])
        )
        g["pay_low"], g["pay_high"] = low, high
        g["pay_spread"] = float((high - low) * 100 / low) if low else None
        g["hours_spread"] = (
            float((g["max_hours"] - g["min_hours"]) * 100 / g["min_hours"])
            if hourly and g["min_hours"]
            else None
        )
        g["work_pattern_label"] = WorkPattern(g["work_pattern"]).label
        result.append(g)
    return result


def disparity_posts(user, params: dict[str, str], groups: list[dict]) -> QuerySet[Post]:
    """The developed posts of ``groups`` (``disparity_groups``), by name, pattern and pay: the
    posts behind each flagged difference, for the export."""
    flagged = Q(pk__in=[])
    for g in groups:
        flagged |= Q(
            region_code__startswith=g["county_code"],
            post_type_id=g["post_type_id"],
            work_pattern=g["work_pattern"],
        )
    return (
        post_list(user, params)
        .filter(flagged, status__in=DEVELOPED_STATUSES)
        .order_by("post_type__name", "work_pattern", "monthly_subsidy", "hourly_rate", "id")
    )


def vacant_posts(
    user, params: dict[str, str], *, days: int, today: dt.date | None = None
) -> QuerySet[Post]:
    """Posts with free places for more than ``days`` days (seed 003 §1.3: 空置岗位)."""
    today = today or timezone.localdate()
    return (
        post_list(user, params)
        .filter(
            status__in=(PostStatus.OPEN, PostStatus.VACANT),
            vacant_since__lt=today - dt.timedelta(days=days),
        )
        .order_by("vacant_since", "id")
    )


def unused_posts(
    user, params: dict[str, str], *, days: int, today: dt.date | None = None
) -> QuerySet[Post]:
    """Published posts that nobody has ever been placed on, published more than ``days`` ago."""
    today = today or timezone.localdate()
    return (
        _developed(user, params)
        .filter(first_filled_on__isnull=True, opened_on__lt=today - dt.timedelta(days=days))
        .order_by("opened_on", "id")
    )
