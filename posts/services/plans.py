"""The annual plans: a county's targets for a year and their split over its townships
(docs/policy.md §1)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from gongyi.audit import (
    Change,
    audit_created,
    audit_record_many,
    audit_updated,
    snapshot,
)
from gongyi.enums import AuditAction, RegionLevel
from gongyi.errors import DomainError
from gongyi.models import Region
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from posts.models import Allocation, AnnualPlan
from posts.roles import MANAGE_PLANS

#: A county's yearly target of one kind, and a township's share, at most.
MAX_TARGET = 1_000_000


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
