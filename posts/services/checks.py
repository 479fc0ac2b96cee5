"""What a post's data must be, checked before any write: its fields, place, standard name and pay,
and the row lock of a post in the actor's area."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from gongyi.enums import RegionLevel
from gongyi.errors import DomainError
from gongyi.models import Region
from gongyi.scoping import scope_queryset
from posts.enums import DEFAULT_INSURANCE, AreaKind, InsuranceKind, WorkPattern
from posts.models import MinimumWage, Post, PostType
from posts.services.pay import pay_errors

#: Fields a user sets on a post; the rest are kept by the services.
POST_FIELDS = (
    "post_type",
    "title",
    "area_kind",
    "work_pattern",
    "hours_per_week",
    "township",
    "village",
    "department",
    "duties",
    "requirements",
    "headcount",
    "monthly_subsidy",
    "hourly_rate",
    "insurance_kind",
    "plan_year",
)
#: Bounds of the columns (a place count no post has, the money columns' digits).
MAX_HEADCOUNT = 9999
MAX_AMOUNT = Decimal("100000000")


#: Fields fixed once a post is published: they decide which plan and township it counts for.
FIXED_AFTER_PUBLISH = ("township", "area_kind", "plan_year")


@dataclass
class PostPlace:
    """Where a post is: checked against the actor's area."""

    township: Region
    village: Region | None


def post_place_check(
    *, actor, township: Region | None, village: Region | None, missing: str = ""
) -> PostPlace:
    """The township must be in the actor's area and the village one of its own (posts, and the
    person registry's files); ``missing``: the message when no township is given."""
    if township is None or township.level != RegionLevel.TOWNSHIP:
        message = missing or _("Choose the township that develops the post.")
        raise DomainError(message, field_errors={"township": message})
    outside = _("Not found, or outside your area.")
    if not scope_queryset(actor, Region.objects.filter(pk=township.pk)).exists():
        # Neutral, as a page's 404: the name of a region outside the area is not confirmed.
        raise DomainError(outside, field_errors={"township": outside})
    if (
        village is not None
        and not scope_queryset(actor, Region.objects.filter(pk=village.pk)).exists()
    ):
        raise DomainError(outside, field_errors={"village": outside})
    if village is not None and (
        village.level != RegionLevel.VILLAGE or village.parent_id != township.pk
    ):
        message = _("%(village)s is not a village or community of %(township)s.") % {
            "village": village.name,
            "township": township.name,
        }
        raise DomainError(message, field_errors={"village": message})
    return PostPlace(township, village)


def post_type_check(*, actor, post_type: PostType | None) -> None:
    """The standard name must be one the actor's county uses (the shared ones or its own)."""
    usable = scope_queryset(actor, PostType.objects.filter(is_active=True))
    if post_type is None or not usable.filter(pk=post_type.pk).exists():
        message = _("Choose a standard post name of the catalogue.")
        raise DomainError(message, field_errors={"post_type": message})


def post_errors(
    data: dict[str, Any], *, minimum: MinimumWage | None, max_hours: int = 24
) -> dict[str, str]:
    """Field → message for everything wrong with a post's data that needs no query."""
    errors: dict[str, str] = {}
    headcount = data.get("headcount")
    if headcount is None or headcount < 1:
        errors["headcount"] = _("The headcount must be at least 1.")
    elif headcount > MAX_HEADCOUNT:
        errors["headcount"] = _("One post has at most %(max)s places; split it.") % {
            "max": MAX_HEADCOUNT
        }
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = _("Give the post a title.")
    elif len(title) > Post._meta.get_field("title").max_length:
        errors["title"] = _("The title has at most %(max)s characters.") % {
            "max": Post._meta.get_field("title").max_length
        }
    year = data.get("plan_year")
    if year is None or not 2000 <= year <= 2100:
        errors["plan_year"] = _("Enter the plan year as four digits.")
    for name in ("monthly_subsidy", "hourly_rate"):
        if data.get(name) is not None and data[name] >= MAX_AMOUNT:
            errors[name] = _("The amount is too large.")
    if (
        data.get("area_kind") == AreaKind.RURAL
        and data.get("insurance_kind")
        and data["insurance_kind"] != InsuranceKind.ACCIDENT_INSURANCE
    ):
        # Seed 001 §二(四): rural posts get accident insurance each year; urban posts the
        # social-insurance subsidy, or accident insurance for hourly workers not insured.
        errors["insurance_kind"] = _("Rural posts are covered by accident insurance.")
    if not (data.get("duties") or "").strip():
        errors["duties"] = _("Describe the duties.")
    errors.update(
        pay_errors(
            work_pattern=data.get("work_pattern"),
            monthly_subsidy=data.get("monthly_subsidy"),
            hourly_rate=data.get("hourly_rate"),
            hours_per_week=data.get("hours_per_week"),
            minimum=minimum,
            max_hours=max_hours,
        )
    )
    return errors


def _raise_field_errors(errors: dict[str, str]) -> None:
    if errors:
        raise DomainError(" ".join(errors.values()), field_errors=errors)


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    """Pay fields that do not belong to the working pattern are cleared, not kept silently."""
    data = dict(data)
    if data.get("work_pattern") == WorkPattern.FULL_TIME:
        data["hourly_rate"] = None
        data["hours_per_week"] = None
    elif data.get("work_pattern") == WorkPattern.HOURLY:
        data["monthly_subsidy"] = None
    for text_field in ("requirements", "duties", "title"):
        if data.get(text_field) is None and text_field in data:
            data[text_field] = ""
    if not data.get("insurance_kind") and data.get("area_kind") in AreaKind.values:
        data["insurance_kind"] = DEFAULT_INSURANCE[AreaKind(data["area_kind"])]
    return data


def _locked_in_area(actor, post: Post) -> Post:
    """The post, row-locked, if it is in the actor's area; else the same refusal as a page's 404."""
    locked = scope_queryset(actor, Post.objects.select_for_update()).filter(pk=post.pk).first()
    if locked is None:
        raise DomainError(_("Not found, or outside your area."))
    return locked


def snapshot_data(post: Post) -> dict[str, Any]:
    return {k: getattr(post, k) for k in POST_FIELDS}
