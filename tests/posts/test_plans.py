"""The annual plan: targets, the split over townships and progress (docs/policy.md §1; seed 001
§一(三) and 附件2, 泰山区's 2022 table: 1570 posts, 960 urban and 610 rural, over 7 townships)."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongyi.enums import AuditAction, Role
from gongyi.errors import DomainError
from gongyi.models import AuditEntry, Region
from posts import selectors, services
from posts.enums import PostStatus
from posts.models import Allocation, AnnualPlan
from tests.factories import PostFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

#: Seed 001 附件2, row by row: township code, name, urban, rural.
SEED_001_TABLE = [
    ("370902002", "财源街道", 348, 0),
    ("370902001", "岱庙街道", 262, 0),
    ("370902003", "泰前街道", 178, 53),
    ("370902004", "上高街道", 72, 106),
    ("370902005", "徐家楼街道", 60, 58),
    ("370902100", "省庄镇", 20, 200),
    ("370902101", "邱家店镇", 20, 193),
]


@pytest.fixture
def townships(area) -> dict[str, Region]:
    """泰山区's seven townships (docs/policy.md §10), by code."""
    return {code: RegionFactory(code=code, name=name) for code, name, _u, _r in SEED_001_TABLE}


@pytest.fixture
def county_user(users):
    return users[Role.COUNTY]


@pytest.fixture
def plan(county_user) -> AnnualPlan:
    return services.plan_save(
        actor=county_user, year=2022, urban_target=960, rural_target=610, note="seed 001 附件2"
    )


def seed_shares(townships, changes: dict | None = None) -> dict[int, tuple[int, int]]:
    """The 附件2 table as ``plan_allocate`` shares; ``changes``: code → (urban, rural)."""
    shares = {code: (urban, rural) for code, _n, urban, rural in SEED_001_TABLE} | (changes or {})
    return {townships[code].pk: share for code, share in shares.items()}


@pytest.fixture
def allocated(plan, townships, county_user) -> AnnualPlan:
    return services.plan_allocate(actor=county_user, plan=plan, shares=seed_shares(townships))


def allocation_table(plan) -> list[tuple[str, int, int]]:
    return list(
        Allocation.objects.filter(plan=plan)
        .order_by("township__code")
        .values_list("township__code", "urban", "rural")
    )


SEED_BY_CODE = sorted((code, urban, rural) for code, _n, urban, rural in SEED_001_TABLE)


# --- plan_save ------------------------------------------------------------------------------------


def test_plan_save_creates_the_county_plan_of_seed_001(area, county_user):
    plan = services.plan_save(actor=county_user, year=2022, urban_target=960, rural_target=610)
    entry = AuditEntry.objects.get()
    assert (plan.county, plan.year, plan.urban_target, plan.rural_target, plan.total_target) == (
        area.county,
        2022,
        960,
        610,
        1570,
    )
    assert (entry.action, entry.object_type, entry.region_code) == (
        AuditAction.CREATE,
        "posts.annualplan",
        "370902",
    )


def test_plan_save_again_changes_the_targets_of_that_year(plan, county_user):
    services.plan_save(actor=county_user, year=2022, urban_target=1000, rural_target=610)
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).get()
    plan.refresh_from_db()
    assert (AnnualPlan.objects.count(), plan.urban_target, plan.rural_target) == (1, 1000, 610)
    assert entry.changes == {"urban_target": [960, 1000], "note": ["seed 001 附件2", ""]}


@pytest.mark.parametrize(
    ("urban", "rural", "message"),
    [
        (959, 610, "城镇分配合计 960 个，超过城镇目标 959 个。"),
        (960, 600, "乡村分配合计 610 个，超过乡村目标 600 个。"),
        (
            900,
            0,
            "城镇分配合计 960 个，超过城镇目标 900 个。 乡村分配合计 610 个，超过乡村目标 0 个。",
        ),
    ],
)
def test_plan_save_refuses_a_target_below_the_allocated_sum(
    allocated, county_user, urban, rural, message
):
    entries = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        services.plan_save(actor=county_user, year=2022, urban_target=urban, rural_target=rural)
    allocated.refresh_from_db()
    assert refused.value.message == message
    assert (allocated.urban_target, allocated.rural_target) == (960, 610)
    assert AuditEntry.objects.count() == entries


def test_plan_save_accepts_a_target_equal_to_the_allocated_sum(allocated, county_user):
    plan = services.plan_save(actor=county_user, year=2022, urban_target=960, rural_target=610)
    assert plan.total_target == 1570


@pytest.mark.parametrize(
    ("year", "urban", "rural", "message"),
    [
        (2022, -1, 610, "目标数不能为负数。"),
        (2022, 960, -1, "目标数不能为负数。"),
        (22, 960, 610, "请填写四位数年份。"),
    ],
)
def test_plan_save_refuses_bad_targets_or_year(area, county_user, year, urban, rural, message):
    with pytest.raises(DomainError) as refused:
        services.plan_save(actor=county_user, year=year, urban_target=urban, rural_target=rural)
    assert refused.value.message == message
    assert AnnualPlan.objects.count() == 0


@pytest.mark.parametrize("role", [Role.CLERK, Role.VILLAGE, Role.REVIEWER])
def test_plan_save_is_for_the_county_only(area, users, role):
    with pytest.raises(PermissionDenied):
        services.plan_save(actor=users[role], year=2022, urban_target=960, rural_target=610)
    assert AnnualPlan.objects.count() == 0


# --- plan_allocate --------------------------------------------------------------------------------


def test_plan_allocate_saves_the_seed_001_table(plan, townships, county_user):
    """Seed 001 附件2: 财源街道 348/0 … 邱家店镇 20/193, totals 960 + 610 = 1570."""
    services.plan_allocate(actor=county_user, plan=plan, shares=seed_shares(townships))
    entries = AuditEntry.objects.filter(object_type="posts.allocation").order_by("seq")
    table = allocation_table(plan)
    assert table == SEED_BY_CODE
    assert (sum(u for _c, u, _r in table), sum(r for _c, _u, r in table)) == (960, 610)
    assert [(e.action, e.region_code) for e in entries] == [
        (AuditAction.CREATE, code) for code, _n, _u, _r in SEED_001_TABLE
    ]
    assert entries[0].changes == {"urban": [None, 348], "rural": [None, 0]}


def test_plan_allocate_refuses_urban_beyond_the_target_and_saves_nothing(
    plan, townships, county_user
):
    """docs/policy.md §1: urban and rural apart; one township too many and none is saved."""
    shares = seed_shares(townships, {"370902002": (349, 0)})
    with pytest.raises(DomainError) as refused:
        services.plan_allocate(actor=county_user, plan=plan, shares=shares)
    assert refused.value.message == "城镇分配合计 961 个，超过城镇目标 960 个。"
    assert (Allocation.objects.count(), AuditEntry.objects.count()) == (0, 1)


def test_plan_allocate_refuses_rural_beyond_the_target_and_saves_nothing(
    plan, townships, county_user
):
    shares = seed_shares(townships, {"370902101": (20, 194)})
    with pytest.raises(DomainError) as refused:
        services.plan_allocate(actor=county_user, plan=plan, shares=shares)
    assert refused.value.message == "乡村分配合计 611 个，超过乡村目标 610 个。"
    assert Allocation.objects.count() == 0


def test_plan_allocate_counts_unnamed_townships_shares_against_the_target(
    allocated, townships, county_user
):
    """Townships not named keep their share, and it still counts: 邱家店镇 +1 urban is 961."""
    entries = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        services.plan_allocate(
            actor=county_user,
            plan=allocated,
            shares={townships["370902101"].pk: (21, 193)},
        )
    assert refused.value.message == "城镇分配合计 961 个，超过城镇目标 960 个。"
    assert allocation_table(allocated) == SEED_BY_CODE
    assert AuditEntry.objects.count() == entries


def test_plan_allocate_moves_places_between_townships_in_one_call(
    allocated, townships, county_user
):
    entries = AuditEntry.objects.count()
    services.plan_allocate(
        actor=county_user,
        plan=allocated,
        shares={townships["370902002"].pk: (338, 0), townships["370902001"].pk: (272, 0)},
    )
    updates = AuditEntry.objects.filter(seq__gt=entries).order_by("seq")
    table = {code: (u, r) for code, u, r in allocation_table(allocated)}
    assert (table["370902002"], table["370902001"], table["370902101"]) == (
        (338, 0),
        (272, 0),
        (20, 193),
    )
    assert [(e.action, e.region_code, e.changes) for e in updates] == [
        (AuditAction.UPDATE, "370902002", {"urban": [348, 338], "rural": [0, 0]}),
        (AuditAction.UPDATE, "370902001", {"urban": [262, 272], "rural": [0, 0]}),
    ]


def test_plan_allocate_with_unchanged_shares_writes_nothing(allocated, townships, county_user):
    entries = AuditEntry.objects.count()
    services.plan_allocate(actor=county_user, plan=allocated, shares=seed_shares(townships))
    assert AuditEntry.objects.count() == entries


def test_plan_allocate_refuses_a_township_of_another_county(plan, townships, county_user, area):
    """docs/policy.md §10: 徐庄镇 370406106 is 山亭区's; the whole call is refused."""
    other = Region.objects.get(code="370406106")
    shares = {townships["370902001"].pk: (10, 0), other.pk: (1, 1)}
    with pytest.raises(DomainError) as refused:
        services.plan_allocate(actor=county_user, plan=plan, shares=shares)
    assert refused.value.message == "只能分配给本计划所属区县的乡镇（街道）。"
    assert Allocation.objects.count() == 0


def test_plan_allocate_refuses_a_village_as_a_township(plan, county_user, area):
    with pytest.raises(DomainError) as refused:
        services.plan_allocate(actor=county_user, plan=plan, shares={area.village.pk: (1, 0)})
    assert refused.value.message == "只能分配给本计划所属区县的乡镇（街道）。"


def test_plan_allocate_refuses_a_negative_share(plan, townships, county_user):
    with pytest.raises(DomainError) as refused:
        services.plan_allocate(
            actor=county_user, plan=plan, shares={townships["370902100"].pk: (-1, 10)}
        )
    assert refused.value.message == "省庄镇 的分配数不能为负数。"
    assert Allocation.objects.count() == 0


def test_plan_allocate_refuses_a_plan_of_another_county(plan, townships, area):
    other_county_user = UserFactory(
        username="st_county", role=Role.COUNTY, region=area.other_county
    )
    with pytest.raises(DomainError) as refused:
        services.plan_allocate(
            actor=other_county_user, plan=plan, shares={townships["370902001"].pk: (1, 0)}
        )
    assert refused.value.message == "此计划不在您的管辖范围内。"
    assert Allocation.objects.count() == 0


def test_plan_allocate_is_for_the_county_only(plan, townships, users):
    with pytest.raises(PermissionDenied):
        services.plan_allocate(
            actor=users[Role.CLERK], plan=plan, shares={townships["370902001"].pk: (1, 0)}
        )
    assert Allocation.objects.count() == 0


# --- plan_progress --------------------------------------------------------------------------------


@pytest.fixture
def developed(allocated, townships, area):
    """Posts of 2022 in 岱庙街道 (urban) and 省庄镇 (rural), plus posts that must not count."""
    daimiao, shengzhuang = townships["370902001"], townships["370902100"]
    make = PostFactory
    make(village=area.village, plan_year=2022, status=PostStatus.OPEN, headcount=5, occupied=2)
    make(village=area.village, plan_year=2022, status=PostStatus.FILLED, headcount=3, occupied=3)
    make(township=daimiao, plan_year=2022, status=PostStatus.VACANT, headcount=4, occupied=1)
    # Not developed, another year, another county: none counts.
    make(village=area.village, plan_year=2022, status=PostStatus.DRAFT, headcount=10)
    make(village=area.village, plan_year=2022, status=PostStatus.CLOSED, headcount=7)
    make(village=area.village, plan_year=2023, status=PostStatus.OPEN, headcount=6)
    make(
        township=Region.objects.get(code="370406106"),
        plan_year=2022,
        status=PostStatus.OPEN,
        headcount=9,
    )
    # 省庄镇 develops 250 rural places on an allocation of 200.
    rural = {"area_kind": "rural", "insurance_kind": "accident_insurance", "plan_year": 2022}
    make(village=area.far_village, status=PostStatus.OPEN, headcount=240, occupied=0, **rural)
    make(township=shengzhuang, status=PostStatus.FILLED, headcount=10, occupied=10, **rural)
    return allocated


def progress_of(p) -> tuple[int, int, int, int, bool]:
    return (p.allocated, p.developed, p.filled, p.on_post, p.over)


def test_plan_progress_counts_developed_filled_and_on_post_per_township(developed, county_user):
    """Seed 000: progress is reported as a share of the target; seed 001 附件2's rows."""
    progress = selectors.plan_progress(county_user, developed)
    rows = {row.township.code: row for row in progress.rows}
    assert [row.township.code for row in progress.rows] == [c for c, _u, _r in SEED_BY_CODE]
    assert progress_of(rows["370902001"].urban) == (262, 12, 3, 6, False)
    assert progress_of(rows["370902001"].rural) == (0, 0, 0, 0, False)
    assert progress_of(rows["370902100"].urban) == (20, 0, 0, 0, False)
    assert progress_of(rows["370902100"].rural) == (200, 250, 10, 10, True)
    assert progress_of(rows["370902002"].total) == (348, 0, 0, 0, False)
    assert progress_of(progress.total.urban) == (960, 12, 3, 6, False)
    assert progress_of(progress.total.rural) == (610, 250, 10, 10, False)
    assert progress_of(progress.total.total) == (1570, 262, 13, 16, False)
    assert (progress.unallocated_urban, progress.unallocated_rural) == (0, 0)


def test_plan_progress_shares_are_of_the_allocation(developed, county_user):
    progress = selectors.plan_progress(county_user, developed)
    rural = {row.township.code: row for row in progress.rows}["370902100"].rural
    assert (rural.developed_share, rural.filled_share, rural.on_post_share) == (125.0, 5.0, 5.0)
    assert progress.rows[1].rural.developed_share is None  # 财源街道: no rural allocation


def test_plan_progress_shows_a_township_that_develops_without_allocation(
    plan, townships, county_user, area
):
    services.plan_allocate(actor=county_user, plan=plan, shares={townships["370902002"].pk: (5, 0)})
    PostFactory(village=area.village, plan_year=2022, headcount=3)
    progress = selectors.plan_progress(county_user, plan)
    assert [(r.township.code, progress_of(r.urban)) for r in progress.rows] == [
        ("370902001", (0, 3, 0, 0, True)),
        ("370902002", (5, 0, 0, 0, False)),
    ]
    assert (progress.unallocated_urban, progress.unallocated_rural) == (955, 610)


def test_plan_progress_of_a_clerk_is_their_township(developed, users):
    progress = selectors.plan_progress(users[Role.CLERK], developed)
    assert [row.township.code for row in progress.rows] == ["370902001"]
    assert progress_of(progress.total.urban) == (262, 12, 3, 6, False)


# --- the plan page --------------------------------------------------------------------------------


def spread_posts(n: int, townships: dict[str, Region]) -> None:
    """``n`` posts of 2022 over the seven townships, urban and rural, in every developed status."""
    codes = sorted(townships)
    statuses = [PostStatus.OPEN, PostStatus.FILLED, PostStatus.VACANT, PostStatus.DRAFT]
    for i in range(n):
        status = statuses[i % len(statuses)]
        PostFactory(
            township=townships[codes[i % len(codes)]],
            plan_year=2022,
            area_kind="urban" if i % 2 else "rural",
            status=status,
            headcount=2,
            occupied={PostStatus.FILLED: 2, PostStatus.VACANT: 1}.get(status, 0),
        )


def plan_page_queries(client, plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("plan-detail", args=[plan.pk]))
    assert response.status_code == 200
    return len(queries)


def test_plan_page_runs_the_same_queries_for_5_or_200_posts(
    allocated, townships, county_user, login
):
    """STYLE.md "Data at scale": no query per row; the page is the seed 001 table with progress."""
    client = login(county_user)
    plan_page_queries(client, allocated)  # the first request after a login refreshes the session
    spread_posts(5, townships)
    few = plan_page_queries(client, allocated)
    spread_posts(195, townships)
    many = plan_page_queries(client, allocated)
    assert few == many


def test_plan_page_shows_targets_and_townships(allocated, townships, county_user, login):
    response = login(county_user).get(reverse("plan-detail", args=[allocated.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert [name in content for _c, name, _u, _r in SEED_001_TABLE] == [True] * 7
    assert "1570" in content


def test_plan_page_export_is_the_seed_001_allocation_table(
    allocated, townships, county_user, login
):
    """Seed 001 附件2: 单位 / 城镇公益岗 / 乡村公益岗 / 合计, the total last."""
    response = login(county_user).get(
        reverse("plan-detail", args=[allocated.pk]), {"format": "xlsx"}
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = workbook["计划分配"]
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    by_name = {name: (urban, rural) for _c, name, urban, rural in SEED_001_TABLE}
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert workbook.sheetnames == ["计划分配", "进度", "对照计划目标"]
    assert rows[0] == ("单位", "城镇公益岗", "乡村公益岗", "合计")
    assert rows[-1] == ("合计", 960, 610, 1570)
    assert sorted((r[0], r[1], r[2] or 0, r[3]) for r in rows[1:-1]) == sorted(
        (name, urban, rural, urban + rural) for name, (urban, rural) in by_name.items()
    )
