"""The county's reviews of the catalogue (seed 003 §二(一)2-3; docs/policy.md §1): same post,
different treatment; posts with places free for long; posts nobody was ever placed on. The
thresholds are policy settings (``posts.policy``), per county and effective-dated."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from gongyi.enums import AuditAction, Role
from gongyi.models import AuditEntry, PolicySetting, Region
from posts import selectors
from posts.enums import PostStatus
from posts.exports import post_export_headers
from posts.models import PostType
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 1)


def today() -> dt.date:
    return timezone.localdate()


def post_type(name: str) -> PostType:
    return PostType.objects.get(name=name, county=None)


def hourly_post(rate, hours, **kwargs):
    return PostFactory(
        work_pattern="hourly",
        monthly_subsidy=None,
        hourly_rate=Decimal(rate),
        hours_per_week=Decimal(hours),
        **kwargs,
    )


def setting(area, key: str, value, effective_from=dt.date(2020, 1, 1)) -> PolicySetting:
    return PolicySetting.objects.create(
        county=area.county, key=key, value=value, effective_from=effective_from
    )


def read_xlsx(response) -> dict[str, list[tuple]]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in workbook}


# --- disparity_groups -----------------------------------------------------------------------------


@pytest.fixture
def grid_posts(area, users):
    """网格员 in 泰山区 at 2100 and 2600 a month: 23.8 % apart, more than the default 20 %."""
    low = PostFactory(village=area.village, monthly_subsidy=2100)
    high = PostFactory(village=area.far_village, monthly_subsidy=2600)
    return low, high


def test_disparity_groups_lists_one_name_whose_pay_differs_too_much(grid_posts, users):
    """Seed 003 §1.2: avoid large differences in pay between the same posts of one area."""
    groups = selectors.disparity_groups(users[Role.COUNTY], {}, pay_pct=20, hours_pct=25)
    assert [
        (g["county_code"], g["post_type__name"], g["work_pattern"], g["n"]) for g in groups
    ] == [("370902", "网格员", "full_time", 2)]
    assert (groups[0]["pay_low"], groups[0]["pay_high"]) == (Decimal("2100"), Decimal("2600"))
    assert round(groups[0]["pay_spread"], 2) == 23.81


def test_disparity_groups_leaves_out_differences_within_the_threshold(area, users):
    """2100 and 2520 are exactly 20 % apart: not more than the threshold."""
    cleaner = post_type("村容保洁员")
    PostFactory(village=area.village, post_type=cleaner, monthly_subsidy=2100)
    PostFactory(village=area.village, post_type=cleaner, monthly_subsidy=2520)
    PostFactory(village=area.village, monthly_subsidy=2100)
    PostFactory(village=area.village, monthly_subsidy=2400)
    groups = selectors.disparity_groups(users[Role.COUNTY], {}, pay_pct=20, hours_pct=25)
    assert groups == []


def test_disparity_groups_leave_out_exactly_the_threshold_whatever_the_numbers(area, users):
    """1500 and 1725 are exactly 15 % apart; in binary floating point 1500 × 1.15 is 1724.99…"""
    PostFactory(village=area.village, monthly_subsidy=1500)
    PostFactory(village=area.village, monthly_subsidy=1725)
    groups = selectors.disparity_groups(users[Role.COUNTY], {}, pay_pct=15, hours_pct=25)
    assert groups == []


def test_disparity_groups_follow_the_threshold_given(grid_posts, users):
    county = users[Role.COUNTY]
    at_30 = selectors.disparity_groups(county, {}, pay_pct=30, hours_pct=25)
    at_10 = selectors.disparity_groups(county, {}, pay_pct=10, hours_pct=25)
    assert (len(at_30), len(at_10)) == (0, 1)


def test_disparity_groups_count_developed_posts_only(grid_posts, area, users):
    """A draft or a closed post pays nobody; it does not widen the group."""
    PostFactory(village=area.village, monthly_subsidy=5000, status=PostStatus.DRAFT)
    PostFactory(village=area.village, monthly_subsidy=1000, status=PostStatus.CLOSED)
    groups = selectors.disparity_groups(users[Role.COUNTY], {}, pay_pct=20, hours_pct=25)
    assert [(g["n"], g["pay_low"], g["pay_high"]) for g in groups] == [
        (2, Decimal("2100"), Decimal("2600"))
    ]


def test_disparity_groups_keep_working_patterns_apart(area, users):
    """A full-time 网格员 at 2100 a month and an hourly one at 30 an hour are not one group."""
    PostFactory(village=area.village, monthly_subsidy=2100)
    hourly_post("30", "20", village=area.village)
    groups = selectors.disparity_groups(users[Role.COUNTY], {}, pay_pct=20, hours_pct=25)
    assert groups == []


def test_disparity_groups_compare_hourly_rates_and_hours(area, users):
    cleaner = post_type("村容保洁员")
    hourly_post("21", "20", village=area.village, post_type=cleaner)
    hourly_post("21", "10", village=area.village, post_type=cleaner)
    hourly_post("22", "20", village=area.far_village)
    hourly_post("30", "20", village=area.far_village)
    groups = selectors.disparity_groups(users[Role.COUNTY], {}, pay_pct=20, hours_pct=25)
    summary = [
        (
            g["post_type__name"],
            g["work_pattern_label"],
            g["pay_low"],
            g["pay_high"],
            None if g["hours_spread"] is None else round(g["hours_spread"]),
        )
        for g in groups
    ]
    assert summary == [
        ("村容保洁员", "小时岗", Decimal("21"), Decimal("21"), 100),
        ("网格员", "小时岗", Decimal("22"), Decimal("30"), 0),
    ]


def test_disparity_groups_keep_counties_apart(area, users):
    """Seed 003 §1.2 speaks of one area (同一地区): 泰山区 at 2100 and 山亭区 at 3000 are not
    compared, even for a reader who sees both counties."""
    PostFactory(village=area.village, monthly_subsidy=2100)
    PostFactory(village=area.village, monthly_subsidy=2200)
    PostFactory(township=Region.objects.get(code="370406106"), monthly_subsidy=3000)
    PostFactory(township=Region.objects.get(code="370406106"), monthly_subsidy=3100)
    reader = users[Role.ADMIN]
    reader._scope_region_code = "37"  # a province-wide reader: no such role yet, so set by hand
    groups = selectors.disparity_groups(reader, {}, pay_pct=20, hours_pct=25)
    other = UserFactory(username="st_county", role=Role.COUNTY, region=area.other_county)
    assert groups == []
    assert selectors.disparity_groups(other, {}, pay_pct=2, hours_pct=25)[0]["n"] == 2


def test_disparity_groups_of_a_clerk_are_their_townships(grid_posts, area, users):
    PostFactory(village=area.other_village, monthly_subsidy=2700)
    groups = selectors.disparity_groups(users[Role.CLERK], {}, pay_pct=20, hours_pct=25)
    assert [(g["n"], g["pay_low"], g["pay_high"]) for g in groups] == [
        (2, Decimal("2100"), Decimal("2700"))
    ]


# --- vacant_posts and unused_posts ----------------------------------------------------------------


def test_vacant_posts_are_those_with_places_free_for_longer_than_the_days(area, users):
    """Seed 003 §1.3: vacant posts are reviewed; 90 days before 2026-12-01 is 2026-09-02."""
    long_open = PostFactory(village=area.village, vacant_since=dt.date(2026, 8, 1))
    long_vacant = PostFactory(
        village=area.village, status=PostStatus.VACANT, occupied=1, vacant_since=dt.date(2026, 9, 1)
    )
    PostFactory(village=area.village, vacant_since=dt.date(2026, 11, 1))
    PostFactory(village=area.village, status=PostStatus.FILLED, occupied=2, vacant_since=None)
    PostFactory(village=area.village, status=PostStatus.CLOSED, vacant_since=dt.date(2026, 1, 1))
    PostFactory(village=area.village, status=PostStatus.DRAFT, vacant_since=dt.date(2026, 1, 1))
    posts = selectors.vacant_posts(users[Role.COUNTY], {}, days=90, today=DAY)
    assert list(posts) == [long_open, long_vacant]


def test_vacant_posts_leave_out_a_post_free_for_exactly_the_days(area, users):
    PostFactory(village=area.village, vacant_since=DAY - dt.timedelta(days=90))
    assert list(selectors.vacant_posts(users[Role.COUNTY], {}, days=90, today=DAY)) == []


def test_unused_posts_are_published_long_ago_and_never_filled(area, users):
    """Seed 003 §1.3: posts with no real use are adjusted or cut; 60 days before 2026-12-01."""
    unused = PostFactory(village=area.village, opened_on=dt.date(2026, 9, 1))
    PostFactory(village=area.village, opened_on=dt.date(2026, 11, 1))
    PostFactory(
        village=area.village,
        opened_on=dt.date(2026, 9, 1),
        occupied=1,
        first_filled_on=dt.date(2026, 9, 10),
    )
    PostFactory(
        village=area.village,
        opened_on=dt.date(2026, 9, 1),
        status=PostStatus.VACANT,
        first_filled_on=dt.date(2026, 9, 10),
    )
    PostFactory(village=area.village, opened_on=dt.date(2026, 1, 1), status=PostStatus.CLOSED)
    PostFactory(village=area.village, opened_on=None, status=PostStatus.DRAFT)
    posts = selectors.unused_posts(users[Role.COUNTY], {}, days=60, today=DAY)
    assert list(posts) == [unused]


def test_unused_posts_leave_out_a_post_published_exactly_the_days_ago(area, users):
    PostFactory(village=area.village, opened_on=DAY - dt.timedelta(days=60))
    assert list(selectors.unused_posts(users[Role.COUNTY], {}, days=60, today=DAY)) == []


def test_vacant_and_unused_posts_of_a_clerk_are_their_townships(area, users):
    own = PostFactory(village=area.village, opened_on=dt.date(2026, 1, 1))
    PostFactory(village=area.far_village, opened_on=dt.date(2026, 1, 1))
    clerk = users[Role.CLERK]
    assert list(selectors.vacant_posts(clerk, {}, days=90, today=DAY)) == [own]
    assert list(selectors.unused_posts(clerk, {}, days=60, today=DAY)) == [own]


# --- the pages ------------------------------------------------------------------------------------


def test_disparity_page_lists_groups_at_the_default_threshold(grid_posts, users, login):
    response = login(users[Role.COUNTY]).get(reverse("review-disparity"))
    assert response.status_code == 200
    assert (response.context["pay_pct"], response.context["count"]) == (20, 1)
    assert "网格员" in response.content.decode()


def test_disparity_page_threshold_is_the_countys_setting(grid_posts, area, users, login):
    """docs/policy.md §11: the threshold is a setting row of the county, not a literal."""
    setting(area, "posts.pay_disparity_percent", 30)
    response = login(users[Role.COUNTY]).get(reverse("review-disparity"))
    assert (response.context["pay_pct"], response.context["count"]) == (30, 0)


def test_disparity_page_takes_a_threshold_from_the_query(grid_posts, area, users, login):
    setting(area, "posts.pay_disparity_percent", 30)
    response = login(users[Role.COUNTY]).get(reverse("review-disparity"), {"pay_pct": "10"})
    assert (response.context["pay_pct"], response.context["count"]) == (10, 1)


def test_disparity_page_export_is_a_workbook_of_groups_and_posts(grid_posts, users, login):
    low, high = grid_posts
    response = login(users[Role.COUNTY]).get(reverse("review-disparity"), {"format": "xlsx"})
    sheets = read_xlsx(response)
    groups, posts = sheets["同名岗位待遇差异"], sheets["岗位"]
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert list(sheets) == ["同名岗位待遇差异", "岗位"]
    assert groups[0] == (
        "区县代码",
        "岗位标准名称",
        "用工形式",
        "岗位",
        "最低补贴",
        "最高补贴",
        "补贴差距（%）",
        "最少每周工时",
        "最多每周工时",
        "工时差距（%）",
    )
    assert groups[1] == ("370902", "网格员", "全日制", 2, 2100, 2600, 23.8, None, None, None)
    assert len(groups) == 2
    assert posts[0] == tuple(post_export_headers())
    assert [(row[1], row[-1]) for row in posts[1:]] == [(low.title, low.pk), (high.title, high.pk)]


def test_vacant_page_uses_the_countys_days_and_exports_the_posts(area, users, login):
    long_free = PostFactory(village=area.village, vacant_since=today() - dt.timedelta(days=40))
    PostFactory(village=area.village, vacant_since=today() - dt.timedelta(days=10))
    client = login(users[Role.COUNTY])
    default = client.get(reverse("review-vacant"))
    setting(area, "posts.vacant_days", 30)
    page = client.get(reverse("review-vacant"))
    export = client.get(reverse("review-vacant"), {"format": "xlsx"})
    rows = read_xlsx(export)["长期空缺岗位"]
    assert (default.context["days"], default.context["count"]) == (90, 0)
    assert (page.context["days"], page.context["count"]) == (30, 1)
    assert long_free.title in page.content.decode()
    assert rows[0] == tuple(post_export_headers())
    assert [(row[0], row[1], row[-1]) for row in rows[1:]] == [
        ("网格员", long_free.title, long_free.pk)
    ]


def test_unused_page_uses_the_countys_days_and_exports_the_posts(area, users, login):
    unused = PostFactory(
        village=area.village, opened_on=today() - dt.timedelta(days=45), first_filled_on=None
    )
    PostFactory(village=area.village, opened_on=today() - dt.timedelta(days=10))
    client = login(users[Role.COUNTY])
    default = client.get(reverse("review-unused"))
    setting(area, "posts.unused_days", 30)
    page = client.get(reverse("review-unused"))
    export = client.get(reverse("review-unused"), {"format": "xlsx"})
    rows = read_xlsx(export)["从未有人上岗的岗位"]
    assert (default.context["days"], default.context["count"]) == (60, 0)
    assert (page.context["days"], page.context["count"]) == (30, 1)
    assert rows[0] == tuple(post_export_headers())
    assert [(row[1], row[-1]) for row in rows[1:]] == [(unused.title, unused.pk)]


def test_review_export_is_on_the_audit_trail(grid_posts, users, login):
    """docs/policy.md §9: each export is logged."""
    login(users[Role.COUNTY]).get(reverse("review-disparity"), {"format": "xlsx"})
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (entry.actor_username, entry.object_repr, entry.region_code) == (
        "county",
        "同名岗位待遇差异",
        "370902",
    )


@pytest.mark.parametrize("name", ["review-disparity", "review-vacant", "review-unused"])
def test_review_pages_refuse_village_users(area, users, login, name):
    response = login(users[Role.VILLAGE]).get(reverse(name))
    assert response.status_code == 403
