"""Reads of the catalogue and plans that pages, the API and exports share. All start from
``scope_queryset``; none runs a query per row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.db.models import Case, Count, F, IntegerField, Max, Min, Q, QuerySet, Sum, When
from django.db.models.functions import Substr
from django.utils import timezone

from gongyi.enums import RegionLevel
from gongyi.models import Region
from gongyi.policy import policy_values
from gongyi.scoping import scope_queryset, user_region_code
from posts.enums import DEVELOPED_STATUSES, AreaKind, PostCategory, PostStatus, WorkPattern
from posts.models import Allocation, AnnualPlan, Post, PostType
from posts.policy import HOURS_DISPARITY_PERCENT, PAY_DISPARITY_PERCENT, UNUSED_DAYS, VACANT_DAYS


def is_number(value: str, digits: int) -> bool:
    """ASCII digits only (``"²".isdigit()`` is true), and not more than ``digits`` of them."""
    return value.isascii() and value.isdigit() and len(value) <= digits


#: The catalogue's filters: query parameter → how it narrows the posts.
POST_FILTERS = {
    # A post's region_code is its village's code, or its township's: both are index range scans.
    "township": lambda qs, v: qs.filter(region_code__startswith=v) if len(v) == 9 else qs.none(),
    "village": lambda qs, v: qs.filter(region_code=v),
    # By the post types of the category (a few ids): the index on post_type serves, no join.
    "category": lambda qs, v: (
        qs.filter(post_type_id__in=PostType.objects.filter(category=v).values("pk"))
        if v in PostCategory.values
        else qs
    ),
    "area_kind": lambda qs, v: qs.filter(area_kind=v) if v in AreaKind.values else qs,
    "work_pattern": lambda qs, v: qs.filter(work_pattern=v) if v in WorkPattern.values else qs,
    "status": lambda qs, v: qs.filter(status=v) if v in PostStatus.values else qs,
    "post_type": lambda qs, v: qs.filter(post_type_id=v) if is_number(v, 10) else qs.none(),
    "plan_year": lambda qs, v: qs.filter(plan_year=v) if is_number(v, 4) else qs.none(),
    "q": lambda qs, v: qs.filter(title__contains=v.replace("\x00", "")),
}


def post_list(user, params: dict[str, str] | None = None) -> QuerySet[Post]:
    """The posts ``user`` may see, narrowed by the catalogue's filters, in catalogue order."""
    posts = scope_queryset(user, Post.objects.select_related("post_type", "township", "village"))
    for name, value in (params or {}).items():
        value = (value or "").strip()
        if name in POST_FILTERS and value:
            posts = POST_FILTERS[name](posts, value)
    return posts.order_by("region_code", "id")


def with_regions(posts: list[Post]) -> list[Post]:
    """``posts`` with their townships and villages, read in one query (``select_related`` of
    both made the query of a page of 50 slower to plan than to run, and ``prefetch_related``
    would read them in two)."""
    ids = {post.township_id for post in posts} | {post.village_id for post in posts}
    ids.discard(None)
    regions = Region.objects.order_by().in_bulk(ids)
    for post in posts:
        post.township = regions[post.township_id]
        if post.village_id:
            post.village = regions[post.village_id]
    return posts


class PostRow(TypedDict):
    """One line of a table of posts, its texts ready: a list page renders 50 of these without
    a translation lookup, URL reversal or choice display per cell. A dict, not an object: the
    template engine tries ``row[name]`` before ``getattr(row, name)``, and the failed first try
    of every cell of an object was a good part of the time of rendering the table."""

    pk: int
    url: str
    title: str
    type_name: str
    category: str
    where: str
    area_kind: str
    pattern: str
    pay: str
    people: str
    status: str
    status_label: str
    plan_year: int
    opened_on: dt.date | None
    vacant_since: dt.date | None


#: What a table of posts shows, read as plain values (no model objects for a page of 50). Only
#: the post type is joined: with the township and the village joined too, PostgreSQL took longer
#: to plan the page's query than to run it (1–4 ms at 50,000 posts); their names are read apart.
ROW_FIELDS = (
    "id",
    "title",
    "post_type__name",
    "post_type__category",
    "township_id",
    "village_id",
    "area_kind",
    "work_pattern",
    "hours_per_week",
    "hourly_rate",
    "monthly_subsidy",
    "occupied",
    "headcount",
    "status",
    "plan_year",
    "opened_on",
    "vacant_since",
)


def post_page(posts: QuerySet[Post], number, per_page: int = 50, *, region_names=None):
    """A page of ``posts`` as (page, rows). The count is taken on ``posts`` itself: counted
    through the rows' joins it was five times slower at 50,000 posts. ``region_names`` (id →
    name) are regions the caller has read anyway, e.g. a filter's options; the rows' other
    townships and villages are named by one more query."""
    from django.core.paginator import Paginator

    paginator = Paginator(posts.values(*ROW_FIELDS), per_page)
    paginator.count = posts.count()  # a cached_property: set once, read by the paginator
    page = paginator.get_page(number)
    names = dict(region_names or {})
    missing = {p[k] for p in page for k in ("township_id", "village_id")} - names.keys()
    missing.discard(None)
    if missing:
        # By the ids of posts already scoped: a village's user sees its township's name too.
        names.update(Region.objects.filter(pk__in=missing).order_by().values_list("pk", "name"))
    return page, post_rows(page, names)


def post_rows(values, region_names: dict[int, str]) -> list[PostRow]:
    """The rows of ``values`` (dicts of ``ROW_FIELDS``, e.g. a page of ``post_page``), with the
    names of their townships and villages from ``region_names`` (id → name)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    labels = {
        name: {value: str(label) for value, label in choices.choices}
        for name, choices in (
            ("category", PostCategory),
            ("area_kind", AreaKind),
            ("pattern", WorkPattern),
            ("status", PostStatus),
        )
    }
    hours, per_hour, per_month = _("%(h)s h/week"), _("%(r)s/hour"), _("%(m)s/month")
    prefix = reverse("post-detail", args=[0])[: -len("0/")]
    rows = []
    for p in values:
        pattern = labels["pattern"][p["work_pattern"]]
        if p["hours_per_week"]:
            pattern = f"{pattern}（{hours % {'h': p['hours_per_week']}}）"
        township = region_names[p["township_id"]]
        village = region_names[p["village_id"]] if p["village_id"] else None
        rows.append(
            PostRow(
                pk=p["id"],
                url=f"{prefix}{p['id']}/",
                title=p["title"],
                type_name=p["post_type__name"],
                category=labels["category"][p["post_type__category"]],
                where=f"{township} · {village}" if village else township,
                area_kind=labels["area_kind"][p["area_kind"]],
                pattern=pattern,
                pay=per_hour % {"r": p["hourly_rate"]}
                if p["work_pattern"] == WorkPattern.HOURLY
                else per_month % {"m": p["monthly_subsidy"]},
                people=f"{p['occupied']} / {p['headcount']}",
                status=p["status"],
                status_label=labels["status"][p["status"]],
                plan_year=p["plan_year"],
                opened_on=p["opened_on"],
                vacant_since=p["vacant_since"],
            )
        )
    return rows


def filter_regions(user, township: str = "") -> tuple[list[dict], list[dict]]:
    """The township and village options of the catalogue's filters, in one query, as dicts of
    ``id``, ``code`` and ``name``: the townships of ``user``'s area, and the villages of
    ``township`` (a 9-digit code) or, with none chosen, of a township clerk's own township."""
    villages = Q(pk__in=[])
    if township:
        if is_number(township, 9) and len(township) == 9:
            # A region's code is the prefix of its children's (gongyi.models.Region).
            villages = Q(code__startswith=township)
    elif len(user_region_code(user)) == 9:
        villages = Q()
    regions = scope_queryset(
        user,
        Region.objects.filter(
            Q(level=RegionLevel.TOWNSHIP) | Q(villages, level=RegionLevel.VILLAGE)
        ).order_by("code"),
    ).values("id", "code", "name", "level")
    townships, village_options = [], []
    for region in regions:
        level = region.pop("level")
        (townships if level == RegionLevel.TOWNSHIP else village_options).append(region)
    return townships, village_options


def post_types_for(user) -> QuerySet[PostType]:
    return scope_queryset(user, PostType.objects.filter(is_active=True)).order_by(
        "category", "name"
    )


def townships_for(user) -> QuerySet[Region]:
    return scope_queryset(user, Region.objects.filter(level=RegionLevel.TOWNSHIP)).order_by("code")


def villages_for(user) -> QuerySet[Region]:
    return scope_queryset(user, Region.objects.filter(level=RegionLevel.VILLAGE)).order_by("code")


# --- plan progress --------------------------------------------------------------------------------


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


def plans_for(user) -> QuerySet[AnnualPlan]:
    return scope_queryset(user, AnnualPlan.objects.select_related("county")).order_by(
        "county__code", "-year"
    )


# --- reviews the county asks for (seed 003 §1.2–1.3) ----------------------------------------------


def review_settings(user) -> dict[str, Any]:
    return policy_values(
        user_region_code(user),
        [PAY_DISPARITY_PERCENT, HOURS_DISPARITY_PERCENT, VACANT_DAYS, UNUSED_DAYS],
    )


def _developed(user, params) -> QuerySet[Post]:
    return post_list(user, params).filter(status__in=DEVELOPED_STATUSES)


def disparity_groups(user, params: dict[str, str], *, pay_pct: float, hours_pct: float):
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


def vacant_posts(user, params: dict[str, str], *, days: int, today: dt.date | None = None):
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


def unused_posts(user, params: dict[str, str], *, days: int, today: dt.date | None = None):
    """Published posts that nobody has ever been placed on, published more than ``days`` ago."""
    today = today or timezone.localdate()
    return (
        _developed(user, params)
        .filter(first_filled_on__isnull=True, opened_on__lt=today - dt.timedelta(days=days))
        .order_by("opened_on", "id")
    )


# --- places still free on a post (docs/policy.md §1 and §6) ------------------------------------


@dataclass(frozen=True)
class PlaceHolders:
    """The people who hold places of a post: on it, and approved and not yet started."""

    on_post: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PlaceHolderSource:
    """What a later app (the onboarding workflow, which knows who is approved) tells the posts
    about the people promised a place and not yet on it: how many per post, for many posts in
    one query, and who they are for one post, for a refusal that names them."""

    waiting: Callable[[Collection[int]], dict[int, int]]
    names: Callable[[Post], PlaceHolders]


#: Registered by later apps at start-up: posts may not import them (STYLE.md "Where things live").
_place_holder_sources: list[PlaceHolderSource] = []


def register_place_holders(*, waiting, names) -> None:
    source = PlaceHolderSource(waiting=waiting, names=names)
    if source not in _place_holder_sources:
        _place_holder_sources.append(source)


def place_holders(post: Post) -> PlaceHolders:
    """Who holds places of ``post``, by name, from every registered source."""
    found = [source.names(post) for source in _place_holder_sources]
    return PlaceHolders(
        on_post=[name for h in found for name in h.on_post],
        waiting=[name for h in found for name in h.waiting],
    )


def free_places(posts: Iterable[Post]) -> dict[int, int]:
    """Post id -> places still free on it: the headcount, less the people on it (``occupied``),
    less those approved for it and not yet started (approved, agreed, trained). One query for
    all the posts, whatever their number. When the figure decides a write, load the posts under
    their row lock first (``select_for_update``), then call this: the count is then read after
    any approval that held the lock has committed."""
    posts = list(posts)
    ids = [p.pk for p in posts]
    waiting: dict[int, int] = {}
    for source in _place_holder_sources:
        for post_id, n in source.waiting(ids).items():
            waiting[post_id] = waiting.get(post_id, 0) + n
    return {p.pk: p.headcount - p.occupied - waiting.get(p.pk, 0) for p in posts}
