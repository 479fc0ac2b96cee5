"""Annual plans and their progress per township, urban and rural apart (seed 001 附件2)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, QuerySet, Sum, When

from gongyi.enums import RegionLevel
from gongyi.models import Region
from gongyi.scoping import get_scoped_object_or_404, scope_queryset
from posts.enums import DEVELOPED_STATUSES, AreaKind, PostStatus
from posts.models import Allocation, AnnualPlan, Post
from posts.selectors.catalogue import is_number


@dataclass
class Progress:
    """One township's (or the total's) progress for one kind of post."""

    allocated: int = 0
    developed: int = 0  # places on developed posts (open, filled, vacant)
    filled: int = 0  # places on posts whose every place is taken
    on_post: int = 0  # people on posts now

    def share(self, value: int) -> float | None:
        return value * 100 / self.allocated if self.allocated else None

    @property
    def developed_share(self):
        return self.share(self.developed)

    @property
    def filled_share(self):
        return self.share(self.filled)

    @property
    def on_post_share(self):
        return self.share(self.on_post)

    @property
    def over(self) -> bool:
        """Developed beyond the allocation: allowed (the allocation is a floor, seed 001 §一(三)),
        and flagged on the page."""
        return self.developed > self.allocated

    def add(self, other: Progress) -> None:
        self.allocated += other.allocated
        self.developed += other.developed
        self.filled += other.filled
        self.on_post += other.on_post


@dataclass
class PlanRow:
    township: Region | None
    urban: Progress = field(default_factory=Progress)
    rural: Progress = field(default_factory=Progress)

    @property
    def total(self) -> Progress:
        total = Progress()
        total.add(self.urban)
        total.add(self.rural)
        return total

    @property
    def unallocated(self) -> bool:
        return self.urban.allocated + self.rural.allocated == 0


@dataclass
class PlanProgress:
    plan: AnnualPlan
    rows: list[PlanRow]
    total: PlanRow

    def against_target(self) -> list[dict]:
        """Urban, rural and together: places developed, filled and people on post as a share of
        the county's target (seed 000: "完成省下达任务的100.36%"), not of what is allocated."""
        out = []
        for kind, target, progress in (
            ("urban", self.plan.urban_target, self.total.urban),
            ("rural", self.plan.rural_target, self.total.rural),
            ("total", self.plan.total_target, self.total.total),
        ):
            share = lambda v, t=target: round(v * 100 / t, 2) if t else None  # noqa: E731
            out.append(
                {
                    "kind": kind,
                    "target": target,
                    "developed": progress.developed,
                    "developed_share": share(progress.developed),
                    "filled": progress.filled,
                    "filled_share": share(progress.filled),
                    "on_post": progress.on_post,
                    "on_post_share": share(progress.on_post),
                }
            )
        return out

    @property
    def unallocated_urban(self) -> int:
        return self.plan.urban_target - self.total.urban.allocated

    @property
    def unallocated_rural(self) -> int:
        return self.plan.rural_target - self.total.rural.allocated


def plan_progress(user, plan: AnnualPlan) -> PlanProgress:
    """Per township, urban and rural apart: allocation, places developed, filled and people on
    post (seed 001 附件2, seed 000). Three queries, whatever the number of posts."""
    townships = {
        r.pk: r
        for r in scope_queryset(
            user,
            Region.objects.filter(level=RegionLevel.TOWNSHIP, code__startswith=plan.county.code),
        )
    }
    rows = {pk: PlanRow(township) for pk, township in townships.items()}
    for allocation in scope_queryset(user, Allocation.objects.filter(plan=plan)).values(
        "township_id", "urban", "rural"
    ):
        row = rows[allocation["township_id"]]
        row.urban.allocated = allocation["urban"]
        row.rural.allocated = allocation["rural"]
    sums = (
        scope_queryset(user, Post.objects.filter(plan_year=plan.year))
        .filter(region_code__startswith=plan.county.code, status__in=DEVELOPED_STATUSES)
        .values("township_id", "area_kind")
        .annotate(
            developed=Sum("headcount"),
            filled=Sum(
                Case(
                    When(status=PostStatus.FILLED, then=F("headcount")),
                    default=0,
                    output_field=IntegerField(),
                )
            ),
            on_post=Sum("occupied"),
        )
    )
    for s in sums:
        row = rows.get(s["township_id"])
        if row is None:
            continue
        progress = row.urban if s["area_kind"] == AreaKind.URBAN else row.rural
        progress.developed, progress.filled, progress.on_post = (
            s["developed"],
            s["filled"],
            s["on_post"],
        )
    shown = [
        row
        for row in sorted(rows.values(), key=lambda r: r.township.code)
        if not row.unallocated or row.total.developed
    ]
    total = PlanRow(None)
    for row in shown:
        total.urban.add(row.urban)
        total.rural.add(row.rural)
    return PlanProgress(plan, shown, total)


def plans_for(user, year: str = "") -> QuerySet[AnnualPlan]:
    """The plans ``user`` reads, by county and newest first; of ``year`` (four digits) if given."""
    plans = scope_queryset(user, AnnualPlan.objects.select_related("county")).order_by(
        "county__code", "-year"
    )
    return plans.filter(year=year) if is_number(year, 4) else plans


def plan_get(user, pk: int | str) -> AnnualPlan:
    """One plan of ``user``'s area, with its county, or a 404."""
    return get_scoped_object_or_404(user, AnnualPlan.objects.select_related("county"), pk=pk)


def plan_townships(user, plan: AnnualPlan) -> QuerySet[Region]:
    """The townships of the plan's county that ``user`` reads: the rows of its allocation."""
    return scope_queryset(
        user,
        Region.objects.filter(level=RegionLevel.TOWNSHIP, code__startswith=plan.county.code),
    ).order_by("code")


def plan_shares(user, plan: AnnualPlan) -> dict[int, tuple[int, int]]:
    """Township id → (urban, rural): the plan's allocation as it stands."""
    return {a.township_id: (a.urban, a.rural) for a in scope_queryset(user, plan.allocations.all())}
