"""Reads of the post catalogue that pages, the API and exports share: the filters, pages of
rows, the regions and standard names to choose from. All start from ``scope_queryset``; none
runs a query per row."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from gongyi.enums import RegionLevel
from gongyi.models import Region
from gongyi.scoping import get_scoped_object_or_404, scope_queryset, user_region_code
from posts.enums import AreaKind, PostCategory, PostStatus, WorkPattern
from posts.models import MinimumWage, Post, PostType, SubsidyStandard


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


def post_list_regions_apart(user, params: dict[str, str] | None = None) -> QuerySet[Post]:
    """``post_list`` with only the post type joined: the townships and villages of a page are
    named after it is read (``with_regions``). Joined, PostgreSQL took longer to plan the page's
    query than to run it."""
    return post_list(user, params).select_related(None).select_related("post_type")


def post_get(user, pk: int | str) -> Post:
    """One post of ``user``'s area, or a 404."""
    return get_scoped_object_or_404(user, Post.objects.all(), pk=pk)


def post_detail(user, pk: int | str) -> Post:
    """One post of ``user``'s area with its standard name, places and creator, or a 404."""
    return get_scoped_object_or_404(
        user,
        Post.objects.select_related("post_type", "township", "village", "created_by"),
        pk=pk,
    )


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


def post_page(
    posts: QuerySet[Post],
    number: str | int | None,
    per_page: int = 50,
    *,
    region_names: dict[int, str] | None = None,
) -> tuple[Page, list[PostRow]]:
    """A page of ``posts`` as (page, rows). The count is taken on ``posts`` itself: counted
    through the rows' joins it was five times slower at 50,000 posts. ``region_names`` (id →
    name) are regions the caller has read anyway, e.g. a filter's options; the rows' other
    townships and villages are named by one more query."""
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


def post_types_for(user, *, with_county: bool = False) -> QuerySet[PostType]:
    """The standard names ``user``'s county uses, by category; ``with_county``: the county that
    added each (none for the shared ones) read with it."""
    types = scope_queryset(user, PostType.objects.filter(is_active=True)).order_by(
        "category", "name"
    )
    return types.select_related("county") if with_county else types


def post_type_list(user, category: str = "") -> QuerySet[PostType]:
    """Every standard name ``user`` reads, retired ones too, in ``category`` if one is given."""
    types = scope_queryset(
        user, PostType.objects.select_related("county").order_by("category", "name")
    )
    return types.filter(category=category) if category in PostCategory.values else types


def minimum_wages_for(user) -> QuerySet[MinimumWage]:
    """The rows of the minimum wage tables ``user`` reads (docs/policy.md §7)."""
    return scope_queryset(user, MinimumWage.objects.select_related("county"))


def subsidy_standards_for(user) -> QuerySet[SubsidyStandard]:
    """The yearly subsidies per post ``user`` reads, urban and rural."""
    return scope_queryset(user, SubsidyStandard.objects.select_related("county"))


def townships_for(user) -> QuerySet[Region]:
    return scope_queryset(user, Region.objects.filter(level=RegionLevel.TOWNSHIP)).order_by("code")


def villages_for(user) -> QuerySet[Region]:
    return scope_queryset(user, Region.objects.filter(level=RegionLevel.VILLAGE)).order_by("code")
