"""The post catalogue's services: posts, their status table and occupancy, standard names, minimum
wages (docs/policy.md §1 and §7; seed 001 §一(二)4, §二(二), §二(四); seed 003 §二(一)1-3)."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.utils import timezone

from gongyi.enums import AuditAction, Role
from gongyi.errors import DomainError
from gongyi.models import AuditEntry
from posts import services
from posts.enums import PostCategory, PostStatus
from posts.models import MinimumWage, Post, PostType
from tests.factories import PostFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def wage_2021(area) -> MinimumWage:
    """docs/policy.md §7: Shandong from 2021-10, 2100 yuan a month and 21 yuan an hour (first
    tier)."""
    return MinimumWage.objects.create(
        county=area.county,
        tier="一档",
        monthly=Decimal("2100"),
        hourly=Decimal("21"),
        effective_from=dt.date(2021, 10, 1),
        source="docs/policy.md §7",
    )


def post_data(area, **changes) -> dict:
    """A full-time urban 网格员 post in 岱庙街道's 甲社区, for ``post_create``."""
    data = {
        "post_type": PostType.objects.get(name="网格员", county=None),
        "title": "甲社区网格员",
        "area_kind": "urban",
        "work_pattern": "full_time",
        "township": area.township,
        "village": area.village,
        "department": "civil_affairs",
        "duties": "网格巡查、信息采集",
        "requirements": "熟悉社区情况",
        "headcount": 2,
        "monthly_subsidy": Decimal("2100"),
        "plan_year": 2026,
    }
    return data | changes


def hourly(**changes) -> dict:
    return {
        "work_pattern": "hourly",
        "monthly_subsidy": None,
        "hourly_rate": Decimal("21"),
        "hours_per_week": Decimal("20"),
    } | changes


def audit_count() -> int:
    return AuditEntry.objects.count()


def post_state(post: Post) -> dict:
    """What a refused change must leave as it was."""
    post.refresh_from_db()
    return {
        f.name: getattr(post, f.name)
        for f in Post._meta.concrete_fields
        if f.name not in {"updated_at"}
    }


# --- post_create --------------------------------------------------------------------------------


def test_post_create_saves_a_draft_in_the_village_with_an_audit_entry(area, users, wage_2021):
    """Seed 001 §一(二)4: the township develops the post, the village uses it."""
    post = services.post_create(actor=users[Role.CLERK], **post_data(area))
    entry = AuditEntry.objects.get()
    assert (post.status, post.region_code, post.township, post.village) == (
        PostStatus.DRAFT,
        "370902001001",
        area.township,
        area.village,
    )
    assert post.insurance_kind == "social_insurance_subsidy"  # docs/policy.md §7: urban default
    assert (entry.action, entry.object_type, entry.object_pk, entry.region_code) == (
        AuditAction.CREATE,
        "posts.post",
        str(post.pk),
        "370902001001",
    )
    assert entry.changes["headcount"] == [None, 2]


def test_post_create_without_requirements_saves_them_empty(area, users, wage_2021):
    """Work requirements are optional (docs/policy.md §1): leaving them out is an empty text, not a
    NOT NULL violation."""
    data = post_data(area)
    del data["requirements"]
    post = services.post_create(actor=users[Role.CLERK], **data)
    assert post.requirements == ""


def test_post_create_at_the_township_itself_belongs_to_the_township(area, users, wage_2021):
    post = services.post_create(actor=users[Role.COUNTY], **post_data(area, village=None))
    assert post.region_code == "370902001"


def test_post_create_gives_rural_posts_accident_insurance(area, users, wage_2021):
    """docs/policy.md §7, seed 001 §二(四): rural posts get a commercial accident insurance."""
    post = services.post_create(
        actor=users[Role.COUNTY],
        **post_data(area, area_kind="rural", township=area.other_township, village=None),
    )
    assert post.insurance_kind == "accident_insurance"


def test_post_create_refuses_monthly_pay_below_minimum_wage_quoting_it(area, users, wage_2021):
    """docs/policy.md §7: pay is not below the local minimum wage; the message says which one."""
    entries = audit_count()
    with pytest.raises(DomainError) as refused:
        services.post_create(
            actor=users[Role.CLERK], **post_data(area, monthly_subsidy=Decimal("2000"))
        )
    message = "每月 2000 元低于现行最低工资标准（自 2021-10-01 起每月 2100.00 元）。"
    assert refused.value.message == message
    assert refused.value.field_errors == {"monthly_subsidy": message}
    assert (Post.objects.count(), audit_count()) == (0, entries)


def test_post_create_refuses_hourly_rate_below_minimum_wage_quoting_it(area, users, wage_2021):
    """docs/policy.md §7: hourly posts are held to the hourly minimum (21 yuan from 2021-10)."""
    with pytest.raises(DomainError) as refused:
        services.post_create(
            actor=users[Role.CLERK], **post_data(area, **hourly(hourly_rate=Decimal("20")))
        )
    assert refused.value.field_errors == {
        "hourly_rate": "每小时 20 元低于现行小时最低工资标准（自 2021-10-01 起每小时 21.00 元）。"
    }
    assert Post.objects.count() == 0


def test_post_create_accepts_pay_equal_to_the_minimum_wage(area, users, wage_2021):
    """docs/policy.md §7: "not below" the minimum: the minimum itself is allowed."""
    monthly = services.post_create(actor=users[Role.CLERK], **post_data(area))
    hourly_post = services.post_create(actor=users[Role.CLERK], **post_data(area, **hourly()))
    assert (monthly.monthly_subsidy, monthly.hourly_rate) == (Decimal("2100"), None)
    assert (hourly_post.hourly_rate, hourly_post.hours_per_week, hourly_post.monthly_subsidy) == (
        Decimal("21"),
        Decimal("20"),
        None,
    )


def test_minimum_wage_in_force_is_the_newest_row_not_after_the_day(area, wage_2021):
    """docs/policy.md §7: minimum wages are effective-dated; a row from the future is not yet in
    force."""
    raised = MinimumWage.objects.create(
        county=area.county,
        monthly=Decimal("2200"),
        hourly=Decimal("22"),
        effective_from=today() - dt.timedelta(days=30),
    )
    MinimumWage.objects.create(
        county=area.county,
        monthly=Decimal("2400"),
        hourly=Decimal("24"),
        effective_from=today() + dt.timedelta(days=30),
    )
    assert services.minimum_wage_in_force("370902001001", today()) == raised
    assert services.minimum_wage_in_force("370902", raised.effective_from) == raised
    assert (
        services.minimum_wage_in_force("370902", raised.effective_from - dt.timedelta(days=1))
        == wage_2021
    )
    assert services.minimum_wage_in_force("370902", dt.date(2021, 9, 30)) is None


def test_post_create_checks_pay_against_the_newest_minimum_wage_in_force(area, users, wage_2021):
    """docs/policy.md §7: 2150 a month passed the 2021 row but not the later one; the future row
    (2400) does not count yet."""
    start = today() - dt.timedelta(days=30)
    MinimumWage.objects.create(
        county=area.county, monthly=Decimal("2200"), hourly=Decimal("22"), effective_from=start
    )
    MinimumWage.objects.create(
        county=area.county,
        monthly=Decimal("2400"),
        hourly=Decimal("24"),
        effective_from=today() + dt.timedelta(days=30),
    )
    with pytest.raises(DomainError) as refused:
        services.post_create(
            actor=users[Role.CLERK], **post_data(area, monthly_subsidy=Decimal("2150"))
        )
    post = services.post_create(
        actor=users[Role.CLERK], **post_data(area, monthly_subsidy=Decimal("2200"))
    )
    assert refused.value.message == (
        f"每月 2150 元低于现行最低工资标准（自 {start.isoformat()} 起每月 2200.00 元）。"
    )
    assert post.monthly_subsidy == Decimal("2200")


def test_minimum_wage_of_another_county_does_not_apply(area, users, wage_2021):
    """docs/policy.md §7: minimum wages are per county; 漳州's 1720 a month (seed 004) is not
    泰山区's, and 泰山区's 2100 is not 漳州's."""
    zhangzhou = RegionFactory(code="350602", name="芗城区")
    street = RegionFactory(code="350602001", name="芗城测试街道")
    MinimumWage.objects.create(
        county=zhangzhou,
        monthly=Decimal("1720"),
        hourly=Decimal("17"),
        effective_from=dt.date(2020, 1, 1),
        source="seed 004",
    )
    zz_county = UserFactory(username="zz_county", role=Role.COUNTY, region=zhangzhou)
    with pytest.raises(DomainError) as taishan_refused:
        services.post_create(
            actor=users[Role.CLERK], **post_data(area, monthly_subsidy=Decimal("1800"))
        )
    with pytest.raises(DomainError) as zz_refused:
        services.post_create(
            actor=zz_county,
            **post_data(area, township=street, village=None, monthly_subsidy=Decimal("1700")),
        )
    zz_post = services.post_create(
        actor=zz_county,
        **post_data(area, township=street, village=None, monthly_subsidy=Decimal("1800")),
    )
    assert taishan_refused.value.message == (
        "每月 1800 元低于现行最低工资标准（自 2021-10-01 起每月 2100.00 元）。"
    )
    assert zz_refused.value.message == (
        "每月 1700 元低于现行最低工资标准（自 2020-01-01 起每月 1720.00 元）。"
    )
    assert zz_post.region_code == "350602001"


@pytest.mark.parametrize("headcount", [0, -1])
def test_post_create_refuses_headcount_below_one(area, users, wage_2021, headcount):
    with pytest.raises(DomainError) as refused:
        services.post_create(actor=users[Role.CLERK], **post_data(area, headcount=headcount))
    assert refused.value.field_errors == {"headcount": "岗位人数至少为 1。"}
    assert Post.objects.count() == 0


def test_post_create_refuses_hourly_post_without_hours(area, users, wage_2021):
    """docs/policy.md §1: an hourly post (小时岗) is defined by its hours."""
    with pytest.raises(DomainError) as refused:
        services.post_create(
            actor=users[Role.CLERK], **post_data(area, **hourly(hours_per_week=None))
        )
    assert refused.value.field_errors == {"hours_per_week": "小时岗须填写每周工时。"}
    assert Post.objects.count() == 0


def test_post_create_refuses_full_time_post_without_monthly_subsidy(area, users, wage_2021):
    with pytest.raises(DomainError) as refused:
        services.post_create(actor=users[Role.CLERK], **post_data(area, monthly_subsidy=None))
    assert list(refused.value.field_errors) == ["monthly_subsidy"]


def test_post_create_refuses_village_outside_the_township(area, users, wage_2021):
    """Seed 001 §一(二)4: the village that uses the post is one of the developing township's."""
    with pytest.raises(DomainError) as refused:
        services.post_create(actor=users[Role.COUNTY], **post_data(area, village=area.far_village))
    assert refused.value.message == "丙村 不是 岱庙街道 下的村（社区）。"
    assert Post.objects.count() == 0


def test_post_create_refuses_township_outside_the_clerks_area(area, users, wage_2021):
    """STYLE.md "Access": a clerk develops posts in their own township only."""
    with pytest.raises(DomainError) as refused:
        services.post_create(
            actor=users[Role.CLERK],
            **post_data(area, township=area.other_township, village=area.far_village),
        )
    assert refused.value.message == "未找到，或不在您的管辖范围内。"
    assert (Post.objects.count(), audit_count()) == (0, 0)


def test_post_create_refuses_township_of_another_county(area, users, wage_2021):
    other = RegionFactory(code="370406106")
    with pytest.raises(DomainError) as refused:
        services.post_create(
            actor=users[Role.COUNTY], **post_data(area, township=other, village=None)
        )
    assert refused.value.message == "未找到，或不在您的管辖范围内。"


@pytest.mark.parametrize("role", [Role.VILLAGE, Role.REVIEWER])
def test_post_create_refuses_roles_that_do_not_develop_posts(area, users, wage_2021, role):
    with pytest.raises(PermissionDenied):
        services.post_create(actor=users[role], **post_data(area))
    assert Post.objects.count() == 0


# --- post_update --------------------------------------------------------------------------------


def test_post_update_changes_fields_and_records_before_and_after(area, users, wage_2021):
    post = PostFactory(village=area.village, headcount=2)
    services.post_update(actor=users[Role.CLERK], post=post, headcount=3, duties="巡查、调解")
    entry = AuditEntry.objects.get()
    post.refresh_from_db()
    assert (post.headcount, post.duties) == (3, "巡查、调解")
    assert (entry.action, entry.object_pk) == (AuditAction.UPDATE, str(post.pk))
    assert entry.changes == {"headcount": [2, 3], "duties": ["网格巡查", "巡查、调解"]}


def test_post_update_refuses_pay_below_the_minimum_wage(area, users, wage_2021):
    post = PostFactory(village=area.village)
    before = post_state(post)
    with pytest.raises(DomainError) as refused:
        services.post_update(actor=users[Role.CLERK], post=post, monthly_subsidy=Decimal("1900"))
    assert refused.value.message == (
        "每月 1900 元低于现行最低工资标准（自 2021-10-01 起每月 2100.00 元）。"
    )
    assert (post_state(post), audit_count()) == (before, 0)


def test_post_update_refuses_a_clerk_on_another_townships_post(area, users, wage_2021):
    """STYLE.md "Access": 岱庙街道's clerk cannot change 省庄镇's post."""
    post = PostFactory(village=area.far_village)
    before = post_state(post)
    with pytest.raises(DomainError) as refused:
        services.post_update(actor=users[Role.CLERK], post=post, headcount=5)
    assert refused.value.message == "未找到，或不在您的管辖范围内。"
    assert (post_state(post), audit_count()) == (before, 0)


def test_post_update_refuses_a_clerk_moving_another_townships_draft(area, users, wage_2021):
    post = PostFactory(village=area.far_village, status=PostStatus.DRAFT)
    before = post_state(post)
    with pytest.raises(DomainError):
        services.post_update(
            actor=users[Role.CLERK], post=post, township=area.township, village=area.village
        )
    assert post_state(post) == before


def test_post_update_refuses_headcount_below_people_on_post(area, users, wage_2021):
    post = PostFactory(village=area.village, headcount=3)
    post = services.post_occupancy_change(actor=users[Role.CLERK], post_id=post.pk, delta=2)
    entries = audit_count()
    with pytest.raises(DomainError) as refused:
        services.post_update(actor=users[Role.CLERK], post=post, headcount=1)
    post.refresh_from_db()
    assert refused.value.field_errors == {"headcount": "该岗位有 2 人在岗，岗位人数不能低于此数。"}
    assert (post.headcount, audit_count()) == (3, entries)


@pytest.mark.parametrize(
    "change",
    [{"area_kind": "rural"}, {"plan_year": 2027}, {"township": "other", "village": None}],
)
def test_post_update_keeps_where_a_published_post_counts_in_the_plan(
    area, users, wage_2021, change
):
    """Seed 001 附件2: a published post counts for its township, kind and year in the plan."""
    if change.get("township") == "other":
        change = {"township": area.other_township, "village": None}
    post = PostFactory(village=area.village)
    before = post_state(post)
    with pytest.raises(DomainError) as refused:
        services.post_update(actor=users[Role.COUNTY], post=post, **change)
    assert refused.value.message == (
        "已发布岗位的乡镇（街道）、城镇/乡村类型和计划年度不能修改；如需调整，请撤销后新建岗位。"
    )
    assert post_state(post) == before


def test_post_update_moves_a_draft_within_the_actors_area(area, users, wage_2021):
    post = PostFactory(village=area.village, status=PostStatus.DRAFT)
    services.post_update(
        actor=users[Role.COUNTY], post=post, township=area.other_township, village=area.far_village
    )
    post.refresh_from_db()
    assert (post.township, post.region_code) == (area.other_township, "370902100200")


def test_post_update_refuses_a_closed_post(area, users, wage_2021):
    """Seed 003 §1.3: a cut post stays as it was closed."""
    post = PostFactory(village=area.village, status=PostStatus.CLOSED, close_reason="职能重叠")
    before = post_state(post)
    with pytest.raises(DomainError) as refused:
        services.post_update(actor=users[Role.COUNTY], post=post, title="新名称")
    assert refused.value.message == "已撤销的岗位不能修改。"
    assert (post_state(post), audit_count()) == (before, 0)


# --- post_transition ------------------------------------------------------------------------------


def test_post_transition_publishes_a_draft(area, users, wage_2021):
    post = PostFactory(village=area.village, status=PostStatus.DRAFT, opened_on=None)
    post = services.post_transition(actor=users[Role.CLERK], post=post, to=PostStatus.OPEN)
    entry = AuditEntry.objects.get()
    post.refresh_from_db()
    assert (post.status, post.opened_on, post.vacant_since) == (PostStatus.OPEN, today(), today())
    assert post.status_changed_at is not None
    assert (entry.action, entry.changes) == (
        AuditAction.TRANSITION,
        {"status": [PostStatus.DRAFT, PostStatus.OPEN]},
    )


def test_post_transition_rechecks_pay_when_publishing(area, users, wage_2021):
    """docs/policy.md §7: a draft saved before the minimum wage rose cannot be published below
    it."""
    post = PostFactory(village=area.village, status=PostStatus.DRAFT, monthly_subsidy=2100)
    start = today() - dt.timedelta(days=1)
    MinimumWage.objects.create(
        county=area.county, monthly=Decimal("2200"), hourly=Decimal("22"), effective_from=start
    )
    before = post_state(post)
    with pytest.raises(DomainError) as refused:
        services.post_transition(actor=users[Role.CLERK], post=post, to=PostStatus.OPEN)
    assert refused.value.message == (
        f"每月 2100.00 元低于现行最低工资标准（自 {start.isoformat()} 起每月 2200.00 元）。"
    )
    assert (post_state(post), audit_count()) == (before, 0)


def test_post_transition_recruits_again_on_a_vacant_post(area, users, wage_2021):
    post = PostFactory(
        village=area.village,
        status=PostStatus.VACANT,
        occupied=1,
        opened_on=dt.date(2026, 3, 1),
        vacant_since=dt.date(2026, 9, 1),
    )
    services.post_transition(actor=users[Role.CLERK], post=post, to=PostStatus.OPEN)
    post.refresh_from_db()
    assert (post.status, post.opened_on, post.vacant_since) == (
        PostStatus.OPEN,
        dt.date(2026, 3, 1),
        dt.date(2026, 9, 1),
    )


@pytest.mark.parametrize("start", [PostStatus.DRAFT, PostStatus.OPEN, PostStatus.VACANT])
def test_post_transition_closes_an_empty_post_with_its_reason(area, users, wage_2021, start):
    """Seed 003 §1.3: posts that no longer serve are cut (取消核减), with the reason kept."""
    post = PostFactory(village=area.village, status=start)
    services.post_transition(
        actor=users[Role.COUNTY], post=post, to=PostStatus.CLOSED, reason="  职能重叠 "
    )
    entry = AuditEntry.objects.get()
    post.refresh_from_db()
    assert (post.status, post.closed_on, post.close_reason, post.vacant_since) == (
        PostStatus.CLOSED,
        today(),
        "职能重叠",
        None,
    )
    assert (entry.changes, entry.note) == ({"status": [start, PostStatus.CLOSED]}, "  职能重叠 ")


@pytest.mark.parametrize("reason", ["", "   "])
def test_post_transition_closing_needs_a_reason(area, users, wage_2021, reason):
    post = PostFactory(village=area.village)
    before = post_state(post)
    with pytest.raises(DomainError) as refused:
        services.post_transition(
            actor=users[Role.COUNTY], post=post, to=PostStatus.CLOSED, reason=reason
        )
    assert refused.value.message == "请填写撤销原因。"
    assert (post_state(post), audit_count()) == (before, 0)


def test_post_transition_closing_needs_nobody_on_the_post(area, users, wage_2021):
    post = PostFactory(village=area.village, status=PostStatus.VACANT, headcount=2, occupied=1)
    before = post_state(post)
    with pytest.raises(DomainError) as refused:
        services.post_transition(
            actor=users[Role.COUNTY], post=post, to=PostStatus.CLOSED, reason="职能重叠"
        )
    assert refused.value.message == "该岗位有 1 人在岗，须先办理退岗才能撤销。"
    assert (post_state(post), audit_count()) == (before, 0)


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (PostStatus.DRAFT, PostStatus.DRAFT),
        (PostStatus.DRAFT, PostStatus.FILLED),
        (PostStatus.DRAFT, PostStatus.VACANT),
        (PostStatus.OPEN, PostStatus.DRAFT),
        (PostStatus.OPEN, PostStatus.OPEN),
        (PostStatus.OPEN, PostStatus.VACANT),
        (PostStatus.FILLED, PostStatus.OPEN),
        (PostStatus.FILLED, PostStatus.CLOSED),
        (PostStatus.VACANT, PostStatus.DRAFT),
        (PostStatus.CLOSED, PostStatus.OPEN),
        (PostStatus.CLOSED, PostStatus.DRAFT),
        (PostStatus.CLOSED, PostStatus.CLOSED),
    ],
)
def test_post_transition_refuses_changes_outside_the_table(area, users, wage_2021, start, to):
    """PostStatus: draft → open → filled ⇄ vacant; any but closed → closed."""
    post = PostFactory(
        village=area.village,
        status=start,
        occupied=2 if start == PostStatus.FILLED else 0,
        close_reason="职能重叠" if start == PostStatus.CLOSED else "",
    )
    before = post_state(post)
    with pytest.raises(DomainError) as refused:
        services.post_transition(actor=users[Role.COUNTY], post=post, to=to, reason="撤销")
    assert refused.value.message == f"岗位不能从“{start.label}”变为“{to.label}”。"
    assert (post_state(post), audit_count()) == (before, 0)


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (PostStatus.OPEN, PostStatus.FILLED),
        (PostStatus.FILLED, PostStatus.VACANT),
        (PostStatus.VACANT, PostStatus.FILLED),
    ],
)
def test_post_transition_leaves_occupancy_statuses_to_placements(area, users, wage_2021, start, to):
    post = PostFactory(village=area.village, status=start, occupied=1, headcount=2)
    with pytest.raises(DomainError) as refused:
        services.post_transition(actor=users[Role.COUNTY], post=post, to=to)
    post.refresh_from_db()
    assert refused.value.message == "此状态由岗位上岗人数自动确定。"
    assert post.status == start


def test_post_transition_refuses_a_village_user(area, users, wage_2021):
    post = PostFactory(village=area.village, status=PostStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        services.post_transition(actor=users[Role.VILLAGE], post=post, to=PostStatus.OPEN)
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT


def test_post_transition_refuses_a_clerk_on_another_townships_post(area, users, wage_2021):
    post = PostFactory(village=area.far_village)
    with pytest.raises(DomainError):
        services.post_transition(
            actor=users[Role.CLERK], post=post, to=PostStatus.CLOSED, reason="职能重叠"
        )
    post.refresh_from_db()
    assert post.status == PostStatus.OPEN


def test_post_allowed_transitions_are_the_hand_made_ones(area, users, wage_2021):
    clerk = users[Role.CLERK]
    draft = PostFactory(village=area.village, status=PostStatus.DRAFT)
    filled = PostFactory(village=area.village, status=PostStatus.FILLED, occupied=2)
    vacant = PostFactory(village=area.village, status=PostStatus.VACANT, occupied=1)
    assert services.post_allowed_transitions(draft, clerk) == [PostStatus.OPEN, PostStatus.CLOSED]
    assert services.post_allowed_transitions(filled, clerk) == []
    assert services.post_allowed_transitions(vacant, clerk) == [PostStatus.OPEN, PostStatus.CLOSED]
    assert services.post_allowed_transitions(draft, users[Role.VILLAGE]) == []


def test_post_update_raising_the_headcount_of_a_filled_post_makes_it_vacant_in_one_entry(
    area, users, wage_2021
):
    post = PostFactory(village=area.village, headcount=1)
    services.post_occupancy_change(actor=users[Role.CLERK], post_id=post.pk, delta=1)
    entries = audit_count()
    services.post_update(actor=users[Role.CLERK], post=post, headcount=2)
    post.refresh_from_db()
    entry = AuditEntry.objects.order_by("seq").last()
    assert (post.status, post.vacant_since) == (PostStatus.VACANT, timezone.localdate())
    assert (audit_count(), entry.action) == (entries + 1, AuditAction.UPDATE)
    assert entry.changes["status"] == [PostStatus.FILLED, PostStatus.VACANT]


def test_post_update_lowering_the_headcount_to_the_people_on_it_fills_the_post(
    area, users, wage_2021
):
    post = PostFactory(village=area.village, headcount=3)
    services.post_occupancy_change(actor=users[Role.CLERK], post_id=post.pk, delta=2)
    services.post_update(actor=users[Role.CLERK], post=post, headcount=2)
    post.refresh_from_db()
    entry = AuditEntry.objects.order_by("seq").last()
    assert (post.status, post.vacant_since) == (PostStatus.FILLED, None)
    assert entry.changes["status"] == [PostStatus.OPEN, PostStatus.FILLED]


@pytest.mark.parametrize(
    ("start", "headcount", "occupied"),
    [(PostStatus.OPEN, 2, 2), (PostStatus.VACANT, 2, 2), (PostStatus.FILLED, 2, 1)],
)
def test_every_status_that_follows_the_places_is_in_the_table(start, headcount, occupied):
    """The changes nobody asks for are the table's ``None`` rows, and only those."""
    post = Post(status=start, headcount=headcount, occupied=occupied)
    services._status_follows_places(post, dt.date(2026, 4, 1))
    assert services.POST_TRANSITIONS[(start, post.status)] is None
    assert {k for k, roles in services.POST_TRANSITIONS.items() if roles is None} == {
        (PostStatus.OPEN, PostStatus.FILLED),
        (PostStatus.FILLED, PostStatus.VACANT),
        (PostStatus.VACANT, PostStatus.FILLED),
    }


# --- post_occupancy_change ------------------------------------------------------------------------


def test_post_occupancy_change_follows_people_on_and_off_the_post(area, users, wage_2021):
    """GLOSSARY: filled when every place is taken, vacant when places fall free again."""
    clerk = users[Role.CLERK]
    post = PostFactory(village=area.village, headcount=2, first_filled_on=None)
    first = services.post_occupancy_change(
        actor=clerk, post_id=post.pk, delta=1, on=dt.date(2026, 4, 1)
    )
    first_state = (first.occupied, first.status, first.first_filled_on, first.vacant_since)
    full = services.post_occupancy_change(
        actor=clerk, post_id=post.pk, delta=1, on=dt.date(2026, 5, 1)
    )
    full_state = (full.occupied, full.status, full.first_filled_on, full.vacant_since)
    left = services.post_occupancy_change(
        actor=clerk, post_id=post.pk, delta=-1, on=dt.date(2026, 9, 1)
    )
    left_state = (left.occupied, left.status, left.first_filled_on, left.vacant_since)
    entries = list(AuditEntry.objects.order_by("seq").values_list("action", "object_pk"))
    assert first_state == (1, PostStatus.OPEN, dt.date(2026, 4, 1), dt.date(2026, 3, 1))
    assert full_state == (2, PostStatus.FILLED, dt.date(2026, 4, 1), None)
    assert left_state == (1, PostStatus.VACANT, dt.date(2026, 4, 1), dt.date(2026, 9, 1))
    assert entries == [(AuditAction.UPDATE, str(post.pk))] * 3


def test_post_occupancy_change_records_the_count_before_and_after(area, users, wage_2021):
    post = PostFactory(village=area.village, headcount=3, first_filled_on=None)
    services.post_occupancy_change(
        actor=users[Role.CLERK], post_id=post.pk, delta=1, on=dt.date(2026, 4, 1)
    )
    entry = AuditEntry.objects.get()
    assert entry.changes == {"occupied": [0, 1], "first_filled_on": [None, "2026-04-01"]}


def test_post_occupancy_change_never_exceeds_the_headcount(area, users, wage_2021):
    post = PostFactory(village=area.village, headcount=2)
    services.post_occupancy_change(actor=users[Role.CLERK], post_id=post.pk, delta=1)
    before, entries = post_state(post), audit_count()
    with pytest.raises(DomainError) as refused:
        services.post_occupancy_change(actor=users[Role.CLERK], post_id=post.pk, delta=2)
    assert refused.value.message == f"{post.title} 只有 1 个空缺名额。"
    assert (post_state(post), audit_count()) == (before, entries)


@pytest.mark.parametrize("status", [PostStatus.DRAFT, PostStatus.FILLED, PostStatus.CLOSED])
def test_post_occupancy_change_takes_people_on_open_or_vacant_posts_only(
    area, users, wage_2021, status
):
    post = PostFactory(
        village=area.village, status=status, occupied=2 if status == PostStatus.FILLED else 0
    )
    before = post_state(post)
    with pytest.raises(DomainError) as refused:
        services.post_occupancy_change(actor=users[Role.CLERK], post_id=post.pk, delta=1)
    assert refused.value.message == "只有招聘中的岗位可以安排上岗。"
    assert (post_state(post), audit_count()) == (before, 0)


def test_post_occupancy_change_refuses_leaving_an_empty_post(area, users, wage_2021):
    post = PostFactory(village=area.village)
    before = post_state(post)
    with pytest.raises(DomainError) as refused:
        services.post_occupancy_change(actor=users[Role.CLERK], post_id=post.pk, delta=-1)
    assert refused.value.message == "该岗位无人在岗。"
    assert (post_state(post), audit_count()) == (before, 0)


@pytest.mark.django_db(transaction=True)
def test_post_occupancy_change_two_placements_at_once_take_one_place(area, users):
    """STYLE.md: quotas change under select_for_update. Two clerks place someone on the last
    place at the same moment, each on its own PostgreSQL connection: exactly one succeeds."""
    # An earlier transactional test may have flushed the data migration's standard names.
    PostType.objects.get_or_create(
        name="网格员", county=None, defaults={"category": PostCategory.SOCIAL_GOVERNANCE}
    )
    post = PostFactory(village=area.village, headcount=2, occupied=1)
    start = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def place() -> None:
        try:
            start.wait(timeout=10)
            services.post_occupancy_change(actor=users[Role.CLERK], post_id=post.pk, delta=1)
            outcome = "placed"
        except DomainError as exc:
            outcome = exc.message
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=place) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    post.refresh_from_db()
    assert sorted(outcomes) == sorted(["placed", "只有招聘中的岗位可以安排上岗。"])
    assert (post.occupied, post.status) == (2, PostStatus.FILLED)
    assert AuditEntry.objects.filter(object_type="posts.post").count() == 1


# --- post_type_create -----------------------------------------------------------------------------


def test_post_type_create_adds_a_name_of_the_county(area, users):
    """docs/policy.md §1: typical posts per category are listed in the seeds; a county adds its
    own."""
    post_type = services.post_type_create(
        actor=users[Role.COUNTY],
        category=PostCategory.FACILITY_MAINTENANCE,
        name=" 农村供暖管护员 ",
        description="供暖设施巡查",
    )
    entry = AuditEntry.objects.get()
    assert (post_type.name, post_type.county, post_type.category) == (
        "农村供暖管护员",
        area.county,
        PostCategory.FACILITY_MAINTENANCE,
    )
    assert (entry.action, entry.object_type, entry.region_code) == (
        AuditAction.CREATE,
        "posts.posttype",
        "370902",
    )


def test_post_type_create_refuses_a_name_the_county_sees_already(area, users):
    """Seed 003 §1.2: one standard name for one post (整合名称相近的岗位)."""
    with pytest.raises(DomainError) as refused:
        services.post_type_create(
            actor=users[Role.COUNTY], category=PostCategory.SOCIAL_GOVERNANCE, name="网格员"
        )
    assert refused.value.message == "岗位标准名称“网格员”已存在。"
    assert PostType.objects.filter(name="网格员").count() == 1


def test_post_type_create_another_county_may_use_the_same_own_name(area, users):
    services.post_type_create(
        actor=users[Role.COUNTY], category=PostCategory.PUBLIC_SERVICE, name="助浴员"
    )
    other = UserFactory(username="st_county", role=Role.COUNTY, region=area.other_county)
    services.post_type_create(actor=other, category=PostCategory.PUBLIC_SERVICE, name="助浴员")
    assert sorted(
        PostType.objects.filter(name="助浴员").values_list("county__code", flat=True)
    ) == [
        "370406",
        "370902",
    ]


def test_post_type_create_refuses_an_empty_name(area, users):
    with pytest.raises(DomainError) as refused:
        services.post_type_create(
            actor=users[Role.COUNTY], category=PostCategory.PUBLIC_SERVICE, name="  "
        )
    assert refused.value.message == "请填写岗位标准名称。"


def test_post_type_create_is_for_the_county_only(area, users):
    with pytest.raises(PermissionDenied):
        services.post_type_create(
            actor=users[Role.CLERK], category=PostCategory.PUBLIC_SERVICE, name="助浴员"
        )
    assert PostType.objects.filter(name="助浴员").count() == 0


# --- minimum_wage_create --------------------------------------------------------------------------


def test_minimum_wage_create_adds_a_row_of_the_county(area, users):
    """docs/policy.md §7: minimum wage tiers are per county and effective-dated."""
    row = services.minimum_wage_create(
        actor=users[Role.COUNTY],
        effective_from=dt.date(2021, 10, 1),
        monthly=Decimal("2100"),
        hourly=Decimal("21"),
        tier="一档",
        source="鲁政字〔2021〕",
    )
    entry = AuditEntry.objects.get()
    assert (row.county, row.monthly, row.hourly, row.effective_from) == (
        area.county,
        Decimal("2100"),
        Decimal("21"),
        dt.date(2021, 10, 1),
    )
    assert (entry.action, entry.object_type, entry.region_code) == (
        AuditAction.CREATE,
        "posts.minimumwage",
        "370902",
    )


@pytest.mark.parametrize(
    ("monthly", "hourly_rate"),
    [(Decimal("0"), Decimal("21")), (Decimal("2100"), Decimal("-1")), (None, Decimal("21"))],
)
def test_minimum_wage_create_refuses_amounts_not_above_zero(area, users, monthly, hourly_rate):
    with pytest.raises(DomainError) as refused:
        services.minimum_wage_create(
            actor=users[Role.COUNTY],
            effective_from=dt.date(2021, 10, 1),
            monthly=monthly,
            hourly=hourly_rate,
        )
    assert refused.value.message == "月、小时最低工资都必须大于零。"
    assert (MinimumWage.objects.count(), audit_count()) == (0, 0)


def test_minimum_wage_create_refuses_a_second_row_on_the_same_day(area, users, wage_2021):
    with pytest.raises(DomainError) as refused:
        services.minimum_wage_create(
            actor=users[Role.COUNTY],
            effective_from=dt.date(2021, 10, 1),
            monthly=Decimal("2200"),
            hourly=Decimal("22"),
        )
    assert refused.value.message == "该日期已有记录，请更换日期。"
    assert list(MinimumWage.objects.values_list("monthly", flat=True)) == [Decimal("2100")]


def test_minimum_wage_create_is_for_the_county_only(area, users):
    with pytest.raises(PermissionDenied):
        services.minimum_wage_create(
            actor=users[Role.CLERK],
            effective_from=dt.date(2021, 10, 1),
            monthly=Decimal("2100"),
            hourly=Decimal("21"),
        )
    assert MinimumWage.objects.count() == 0
