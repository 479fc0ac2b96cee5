"""Every write to the post catalogue and the annual plans. Each runs in one transaction and puts
its change on the audit trail; refusals are ``DomainError`` with the message shown as it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import (
    Change,
    audit_created,
    audit_record,
    audit_record_many,
    audit_updated,
    snapshot,
)
from gongyi.enums import AuditAction, RegionLevel
from gongyi.errors import DomainError
from gongyi.models import Region
from gongyi.policy import policy_value
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from posts.enums import DEFAULT_INSURANCE, AreaKind, InsuranceKind, PostStatus, WorkPattern
from posts.models import Allocation, AnnualPlan, MinimumWage, Post, PostType, SubsidyStandard
from posts.policy import HOURLY_MAX_HOURS
from posts.roles import EDIT_POSTS, MANAGE_CATALOGUE, MANAGE_PLANS
from posts.selectors import free_places, place_holders

# --- pay against the minimum wage (docs/policy.md §7)
# -------------------------------------------------


def minimum_wage_in_force(county_code: str, on: dt.date) -> MinimumWage | None:
    """The newest row of the county's minimum wage table that is in force on ``on``."""
    return (
        MinimumWage.objects.filter(county__code=county_code[:6], effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


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


# --- posts ----------------------------------------------------------------------------------------

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
#: A county's yearly target of one kind, and a township's share, at most.
MAX_TARGET = 1_000_000
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


def post_create(*, actor, **data) -> Post:
    """Create a draft post in the actor's area, its pay checked against the minimum wage."""
    require_role(actor, EDIT_POSTS)
    data = _normalise({k: data.get(k) for k in POST_FIELDS})
    place = post_place_check(actor=actor, township=data["township"], village=data["village"])
    post_type_check(actor=actor, post_type=data["post_type"])
    _raise_field_errors(post_errors(data, **pay_rules(place.township.code)))
    post = Post(**data, created_by=actor)
    post.region_code = (place.village or place.township).code
    with transaction.atomic():
        post.save()
        audit_created(actor=actor, instance=post)
    return post


def _locked_in_area(actor, post: Post) -> Post:
    """The post, row-locked, if it is in the actor's area; else the same refusal as a page's 404."""
    locked = scope_queryset(actor, Post.objects.select_for_update()).filter(pk=post.pk).first()
    if locked is None:
        raise DomainError(_("Not found, or outside your area."))
    return locked


def _headcount_refusal(post: Post, headcount: int) -> str | None:
    """Why ``headcount`` is too low for the places already taken or promised, naming the people
    who hold them; ``None`` if it is not. Read under the post's row lock, which approval takes
    too, so nobody is approved for the post between this count and the save."""
    needed = post.headcount - free_places([post])[post.pk]
    if headcount >= needed:
        return None
    holders = place_holders(post)
    on_post, waiting = holders.on_post, holders.waiting
    if not waiting:
        return _("%(n)s people are on this post; the headcount cannot be lower.") % {
            "n": post.occupied
        }
    return _(
        "%(n)s places of this post are taken or promised (on the post: %(on_post)s; approved "
        "and not yet started: %(waiting)s); the headcount cannot be lower than %(n)s."
    ) % {
        "n": needed,
        "on_post": "、".join(on_post) or str(post.occupied),
        "waiting": "、".join(waiting),
    }


def post_update(*, actor, post: Post, **data) -> Post:
    """Change a post's fields. Headcount never below the people on it and those approved for
    it and not yet started; once published, the township, kind and plan year stay (they decide
    where the post counts in the plan)."""
    require_role(actor, EDIT_POSTS)
    with transaction.atomic():
        # Locked so that neither a placement nor an approval takes a place while the headcount is
        # being lowered.
        post = _locked_in_area(actor, post)
        if post.status == PostStatus.CLOSED:
            raise DomainError(_("A closed post cannot be changed."))
        before = snapshot(post)
        merged = _normalise({k: data.get(k, getattr(post, k)) for k in POST_FIELDS})
        if post.status != PostStatus.DRAFT:
            changed = [f for f in FIXED_AFTER_PUBLISH if merged[f] != getattr(post, f)]
            if changed:
                raise DomainError(
                    _(
                        "The township, urban or rural kind and plan year of a published post are "
                        "fixed; close it and create a new one instead."
                    )
                )
        place = post_place_check(
            actor=actor, township=merged["township"], village=merged["village"]
        )
        if merged["post_type"] != post.post_type:
            post_type_check(actor=actor, post_type=merged["post_type"])
        errors = post_errors(merged, **pay_rules(place.township.code))
        if "headcount" not in errors:
            refused = _headcount_refusal(post, merged["headcount"])
            if refused:
                errors["headcount"] = refused
        _raise_field_errors(errors)
        for key, value in merged.items():
            setattr(post, key, value)
        post.region_code = (place.village or place.township).code
        _status_follows_places(post, timezone.localdate())
        post.save()
        audit_updated(actor=actor, instance=post, before=before)
    return post


#: The allowed changes of a post's status (docs/policy.md §1): (from, to) → who may ask for it.
#: ``None``: nobody asks for it; the status follows the people on the post (a placement in
#: ``post_occupancy_change``, or a new headcount in ``post_update``).
POST_TRANSITIONS: dict[tuple[str, str], frozenset | None] = {
    (PostStatus.DRAFT, PostStatus.OPEN): EDIT_POSTS,
    (PostStatus.DRAFT, PostStatus.CLOSED): EDIT_POSTS,
    (PostStatus.OPEN, PostStatus.FILLED): None,
    (PostStatus.OPEN, PostStatus.CLOSED): EDIT_POSTS,
    (PostStatus.FILLED, PostStatus.VACANT): None,
    (PostStatus.VACANT, PostStatus.FILLED): None,
    (PostStatus.VACANT, PostStatus.OPEN): EDIT_POSTS,
    (PostStatus.VACANT, PostStatus.CLOSED): EDIT_POSTS,
}

#: What a change of status writes, for ``save(update_fields=...)``.
STATUS_FIELDS = [
    "status",
    "status_changed_at",
    "opened_on",
    "vacant_since",
    "closed_on",
    "close_reason",
    "updated_at",
]


def post_allowed_transitions(post: Post, user) -> list[str]:
    """The statuses ``user`` may move ``post`` to by hand (for the buttons on the page)."""
    return [
        to
        for (frm, to), roles in POST_TRANSITIONS.items()
        if frm == post.status and roles is not None and user.role in roles
    ]


def _status_change(
    post: Post, to: str, *, on: dt.date, actor=None, reason: str = ""
) -> tuple[str, str]:
    """The one place a post's status changes (docs/policy.md §1), by ``POST_TRANSITIONS``: sets
    the status and its dates on ``post``, which the caller holds under its row lock, saves and
    records in one audit entry (a transition entry when the status was asked for, else the
    entry of the placement or edit it follows from). With ``actor`` the change is asked for by
    hand: the actor's role, and closing's and publishing's own conditions, are checked too.
    Returns (before, after)."""
    key = (post.status, to)
    if key not in POST_TRANSITIONS:
        raise DomainError(
            _("A post cannot go from %(from)s to %(to)s.")
            % {"from": post.get_status_display(), "to": PostStatus(to).label}
        )
    if actor is not None:
        roles = POST_TRANSITIONS[key]
        if roles is None:
            raise DomainError(_("This status follows from the people placed on the post."))
        require_role(actor, roles)
        if to == PostStatus.CLOSED:
            if post.occupied:
                raise DomainError(
                    _("%(n)s people are on this post; they must leave it before it closes.")
                    % {"n": post.occupied}
                )
            if not reason.strip():
                raise DomainError(_("Say why the post is closed."))
            post.close_reason = reason.strip()[:200]
        if to == PostStatus.OPEN and post.status == PostStatus.DRAFT:
            rules = pay_rules(post.region_code)
            if rules["minimum"] is None:
                raise DomainError(no_minimum_wage_message())
            _raise_field_errors(post_errors(snapshot_data(post), **rules))
    before = post.status
    post.status = to
    post.status_changed_at = timezone.now()
    if to == PostStatus.OPEN:
        post.opened_on = post.opened_on or on
        post.vacant_since = post.vacant_since or on
    elif to == PostStatus.FILLED:
        post.vacant_since = None
    elif to == PostStatus.VACANT:
        post.vacant_since = on
    elif to == PostStatus.CLOSED:
        post.closed_on = on
        post.vacant_since = None
    return before, to


def _status_follows_places(post: Post, on: dt.date) -> None:
    """Filled when every place is taken, vacant when a filled post has places free again."""
    if post.status not in (PostStatus.OPEN, PostStatus.FILLED, PostStatus.VACANT):
        return
    if post.occupied >= post.headcount and post.status != PostStatus.FILLED:
        _status_change(post, PostStatus.FILLED, on=on)
    elif post.occupied < post.headcount and post.status == PostStatus.FILLED:
        _status_change(post, PostStatus.VACANT, on=on)


def post_transition(*, actor, post: Post, to: str, reason: str = "") -> Post:
    """Move a post to another status by hand: publish, recruit again, or close (seed 003 §1.3),
    through ``_status_change``; one transition entry in the audit trail."""
    with transaction.atomic():
        post = _locked_in_area(actor, post)
        before, after = _status_change(
            post, to, on=timezone.localdate(), actor=actor, reason=reason
        )
        post.save(update_fields=STATUS_FIELDS)
        audit_record(
            actor=actor,
            action=AuditAction.TRANSITION,
            instance=post,
            changes={"status": [before, after]},
            note=reason,
        )
    return post


def snapshot_data(post: Post) -> dict[str, Any]:
    return {k: getattr(post, k) for k in POST_FIELDS}


def post_occupancy_change(*, actor, post_id: int, delta: int, on: dt.date | None = None) -> Post:
    """People start on (``delta`` > 0) or leave (< 0) a post: the count, status and dates follow.

    For the placement services of later issues. The row lock makes two placements at the same
    moment queue up, so the headcount is never exceeded (the check constraint is the backstop).
    """
    on = on or timezone.localdate()
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post_id)
        if delta > 0 and post.status not in (PostStatus.OPEN, PostStatus.VACANT):
            raise DomainError(_("Only an open post takes people."))
        occupied = post.occupied + delta
        if occupied > post.headcount:
            raise DomainError(
                _("%(title)s has %(free)s free places.")
                % {"title": post.title, "free": post.free_places}
            )
        if occupied < 0:
            raise DomainError(_("Nobody is on this post."))
        before = snapshot(post)
        post.occupied = occupied
        if delta > 0 and post.first_filled_on is None:
            post.first_filled_on = on
        _status_follows_places(post, on)
        post.save()
        audit_updated(actor=actor, instance=post, before=before)
    return post


# --- post types -----------------------------------------------------------------------------------


def post_type_create(*, actor, category: str, name: str, description: str = "") -> PostType:
    """A county adds a standard post name of its own under one of the five categories."""
    require_role(actor, MANAGE_CATALOGUE)
    name = name.strip()
    county = actor.region
    if not name:
        raise DomainError(_("Give the standard name."))
    visible = scope_queryset(actor, PostType.objects.filter(name=name))
    if visible.exists():
        raise DomainError(_("The standard name %(name)s exists already.") % {"name": name})
    try:
        with transaction.atomic():
            post_type = PostType.objects.create(
                category=category, name=name, county=county, description=description
            )
            audit_created(actor=actor, instance=post_type)
    except IntegrityError:  # the same name added at the same moment
        raise DomainError(
            _("The standard name %(name)s exists already.") % {"name": name}
        ) from None
    return post_type


# --- annual plans ---------------------------------------------------------------------------------


def plan_save(
    *, actor, year: int, urban_target: int, rural_target: int, note: str = ""
) -> AnnualPlan:
    """Create or change the county's plan for a year. A target below what is already allocated
    is refused: the allocation would exceed it."""
    require_role(actor, MANAGE_PLANS)
    county = actor.region
    if urban_target < 0 or rural_target < 0:
        raise DomainError(_("Targets cannot be negative."))
    if max(urban_target, rural_target) > MAX_TARGET:
        raise DomainError(_("A target can be at most %(max)s.") % {"max": MAX_TARGET})
    if not 2000 <= year <= 2100:
        raise DomainError(_("Enter the year as four digits."))
    with transaction.atomic():
        # Locked so that an allocation saved at the same moment sees the new target.
        plan = AnnualPlan.objects.select_for_update().filter(county=county, year=year).first()
        if plan is None:
            try:
                with transaction.atomic():
                    plan = AnnualPlan.objects.create(
                        county=county,
                        year=year,
                        urban_target=urban_target,
                        rural_target=rural_target,
                        note=note,
                        created_by=actor,
                    )
            except IntegrityError:  # another user created it at the same moment
                raise DomainError(
                    _("The plan for %(year)s was just created by someone else; reload the page.")
                    % {"year": year}
                ) from None
            audit_created(actor=actor, instance=plan)
            return plan
        totals = plan.allocations.aggregate(urban=Sum("urban"), rural=Sum("rural"))
        _check_within_target(
            urban=totals["urban"] or 0,
            rural=totals["rural"] or 0,
            urban_target=urban_target,
            rural_target=rural_target,
        )
        before = snapshot(plan)
        plan.urban_target, plan.rural_target, plan.note = urban_target, rural_target, note
        plan.save(update_fields=["urban_target", "rural_target", "note"])
        audit_updated(actor=actor, instance=plan, before=before)
    return plan


def _check_within_target(*, urban: int, rural: int, urban_target: int, rural_target: int) -> None:
    problems = []
    if urban > urban_target:
        problems.append(
            _("The urban allocations add up to %(sum)s, more than the urban target of %(target)s.")
            % {"sum": urban, "target": urban_target}
        )
    if rural > rural_target:
        problems.append(
            _("The rural allocations add up to %(sum)s, more than the rural target of %(target)s.")
            % {"sum": rural, "target": rural_target}
        )
    if problems:
        raise DomainError(" ".join(problems))


def plan_allocate(*, actor, plan: AnnualPlan, shares: dict[int, tuple[int, int]]) -> AnnualPlan:
    """Set the townships' shares of a plan at once: township id → (urban, rural).

    Refused, with nothing saved, if a township is not of the plan's county, a share is negative,
    or the shares add up to more than the target, urban and rural apart (docs/policy.md §1).
    Townships not named keep their share.
    """
    require_role(actor, MANAGE_PLANS)
    with transaction.atomic():
        # Locked: two county users allocating at once would each see room the other takes.
        plan = (
            scope_queryset(actor, AnnualPlan.objects.select_for_update(of=("self",)))
            .filter(pk=plan.pk)
            .first()
        )
        if plan is None:
            raise DomainError(_("This plan is outside your area."))
        townships = {
            r.pk: r
            for r in scope_queryset(
                actor,
                Region.objects.filter(
                    pk__in=shares, level=RegionLevel.TOWNSHIP, code__startswith=plan.county.code
                ),
            )
        }
        unknown = set(shares) - set(townships)
        if unknown:
            raise DomainError(_("Only townships of the plan's county get a share."))
        for township_id, (urban, rural) in shares.items():
            if urban < 0 or rural < 0:
                raise DomainError(
                    _("The share of %(township)s cannot be negative.")
                    % {"township": townships[township_id].name}
                )
        existing = {a.township_id: a for a in plan.allocations.all()}
        merged = {tid: (a.urban, a.rural) for tid, a in existing.items()} | shares
        _check_within_target(
            urban=sum(u for u, _r in merged.values()),
            rural=sum(r for _u, r in merged.values()),
            urban_target=plan.urban_target,
            rural_target=plan.rural_target,
        )
        changes, created, updated = [], [], []
        for township_id, (urban, rural) in shares.items():
            allocation = existing.get(township_id)
            if allocation is None:
                allocation = Allocation(
                    plan=plan, township_id=township_id, urban=urban, rural=rural
                )
                allocation.township = townships[township_id]
                created.append(allocation)
                continue
            if (allocation.urban, allocation.rural) == (urban, rural):
                continue
            allocation.township = townships[township_id]
            changes.append(
                Change(
                    AuditAction.UPDATE,
                    allocation,
                    {"urban": [allocation.urban, urban], "rural": [allocation.rural, rural]},
                )
            )
            allocation.urban, allocation.rural = urban, rural
            updated.append(allocation)
        Allocation.objects.bulk_create(created)
        Allocation.objects.bulk_update(updated, ["urban", "rural"])
        changes += [
            Change(AuditAction.CREATE, a, {"urban": [None, a.urban], "rural": [None, a.rural]})
            for a in created
        ]
        audit_record_many(actor=actor, changes=changes)
    return plan


# --- minimum wages and subsidy standards (docs/policy.md §7)
# --------------------------------------------


def _standard_create(*, actor, model, unique: dict, **fields):
    require_role(actor, MANAGE_CATALOGUE)
    county = actor.region
    if model.objects.filter(county=county, **unique).exists():
        raise DomainError(_("There is a row for that date already; change the date."))
    try:
        with transaction.atomic():
            row = model.objects.create(county=county, **unique, **fields)
            audit_created(actor=actor, instance=row)
    except IntegrityError:  # the same row added at the same moment
        raise DomainError(_("There is a row for that date already; change the date.")) from None
    return row


def minimum_wage_create(*, actor, effective_from: dt.date, monthly, hourly, tier="", source=""):
    """Add a row to the county's minimum wage table, in force from ``effective_from``."""
    if monthly is None or hourly is None or monthly <= 0 or hourly <= 0:
        raise DomainError(_("Both minimums must be above zero."))
    return _standard_create(
        actor=actor,
        model=MinimumWage,
        unique={"effective_from": effective_from},
        monthly=monthly,
        hourly=hourly,
        tier=tier,
        source=source,
    )


def subsidy_standard_create(*, actor, area_kind: str, annual_amount, effective_from, source=""):
    """Add the yearly subsidy per post for urban or rural posts, from ``effective_from``."""
    if annual_amount is None or annual_amount <= 0:
        raise DomainError(_("The amount must be above zero."))

    return _standard_create(
        actor=actor,
        model=SubsidyStandard,
        unique={"effective_from": effective_from, "area_kind": area_kind},
        annual_amount=annual_amount,
        source=source,
    )
