"""The catalogue's pages: list and filters, export, detail, the post form and status changes, the
standard names, the minimum wages and standards, and the annual plans with their allocation.

A page test posts, then checks the redirect, the database and the refusal of a wrong method or
role; refusals are shown in Chinese with status 400 and leave the database as it was.
"""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongyi.enums import AuditAction, Role
from gongyi.models import AuditEntry, Region
from posts.models import Allocation, AnnualPlan, MinimumWage, Post, PostType, SubsidyStandard
from posts.resources import file_headers
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def post_type(name: str) -> PostType:
    return PostType.objects.get(name=name, county=None)


def titles(response) -> list[str]:
    return [row["title"] for row in response.context["rows"]]


def read_xlsx(response) -> openpyxl.Workbook:
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)


def sheet_rows(sheet) -> list[list]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def catalogue(area, users) -> dict[str, Post]:
    """One post of each kind across the county's townships, and one in the other county."""
    other_village = Region.objects.get(code="370406106200")
    return {
        "grid": PostFactory(village=area.village, title="甲社区网格员"),
        "cleaner": PostFactory(
            village=area.other_village,
            title="乙社区保洁员",
            post_type=post_type("村容保洁员"),
            area_kind="rural",
            work_pattern="hourly",
            hours_per_week=20,
            hourly_rate=21,
            monthly_subsidy=None,
            insurance_kind="accident_insurance",
            status="draft",
            opened_on=None,
        ),
        "forest": PostFactory(
            village=area.far_village,
            title="丙村护林员",
            post_type=post_type("护林员"),
            area_kind="rural",
            department="forestry",
        ),
        "closed": PostFactory(township=area.other_township, title="省庄镇网格员", status="closed"),
        "elsewhere": PostFactory(village=other_village, title="丁村网格员"),
    }


def form_data(area, **changes) -> dict:
    data = {
        "post_type": post_type("网格员").pk,
        "title": "甲社区网格员",
        "area_kind": "urban",
        "work_pattern": "full_time",
        "hours_per_week": "",
        "township": area.township.pk,
        "village": area.village.pk,
        "department": "civil_affairs",
        "duties": "网格巡查、信息采集",
        "requirements": "熟悉社区情况",
        "headcount": "2",
        "monthly_subsidy": "2200",
        "hourly_rate": "",
        "insurance_kind": "",
        "plan_year": "2026",
    }
    return data | changes


# --- the list, its filters and its export ---------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["甲社区网格员", "乙社区保洁员", "省庄镇网格员", "丙村护林员"]),
        ({"township": "370902001"}, ["甲社区网格员", "乙社区保洁员"]),
        ({"village": "370902001002"}, ["乙社区保洁员"]),
        ({"township": "370902100", "village": ""}, ["省庄镇网格员", "丙村护林员"]),
        ({"category": "public_management"}, ["丙村护林员"]),
        ({"category": "social_governance"}, ["甲社区网格员", "省庄镇网格员"]),
        ({"area_kind": "rural"}, ["乙社区保洁员", "丙村护林员"]),
        ({"work_pattern": "hourly"}, ["乙社区保洁员"]),
        ({"status": "draft"}, ["乙社区保洁员"]),
        ({"status": "closed"}, ["省庄镇网格员"]),
        ({"q": "护林"}, ["丙村护林员"]),
        ({"area_kind": "rural", "work_pattern": "full_time"}, ["丙村护林员"]),
        ({"status": "nonsense"}, ["甲社区网格员", "乙社区保洁员", "省庄镇网格员", "丙村护林员"]),
        ({"township": "370406106"}, []),
    ],
)
def test_post_list_filters(area, county, login, catalogue, params, expected):
    response = login(county).get(reverse("post-list"), params)

    assert response.status_code == 200
    assert titles(response) == expected


def test_post_list_clerk_sees_own_township_only(area, clerk, login, catalogue):
    response = login(clerk).get(reverse("post-list"))

    assert titles(response) == ["甲社区网格员", "乙社区保洁员"]


def test_post_list_village_sees_own_village_only(area, users, login, catalogue):
    response = login(users[Role.VILLAGE]).get(reverse("post-list"))

    assert titles(response) == ["甲社区网格员"]


def test_post_list_shows_chinese_labels(area, county, login, catalogue):
    page = body(login(county).get(reverse("post-list"), {"work_pattern": "hourly"}))

    assert "<td>岱庙街道 · 乙社区</td><td>乡村</td>" in page
    assert "21.00 元/小时" in page
    assert '<span class="status status-draft">草稿</span>' in page


def test_post_list_pages_by_fifty(area, county, login):
    for n in range(60):
        PostFactory(village=area.village, title=f"岗位{n:02d}")
    client = login(county)

    first = client.get(reverse("post-list"))
    second = client.get(reverse("post-list"), {"page": 2})

    assert (len(titles(first)), titles(second)) == (50, [f"岗位{n}" for n in range(50, 60)])
    assert "第 2 / 2 页，共 60 条" in body(second)


def test_post_list_queries_do_not_grow_with_the_posts(area, county, login):
    client = login(county)
    client.get(reverse("post-list"))  # warm up the session and caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("post-list")).status_code == 200
        return len(context)

    villages = [area.village, area.other_village, area.far_village]
    for n in range(5):
        PostFactory(village=villages[n % 3])
    five = queries()
    for n in range(55):
        PostFactory(village=villages[n % 3], post_type=post_type("护林员"))
    sixty = queries()

    assert five == sixty


@pytest.mark.parametrize("params", [{"township": "370902001"}, {"area_kind": "urban"}])
def test_post_list_reads_the_page_in_six_or_seven_queries(
    area, county, login, catalogue, params, django_assert_max_num_queries, settings
):
    client = login(county)
    client.get(reverse("post-list"))  # the first request after a login refreshes the session
    # Session, user, the user's region, the filters' townships and villages, the count, the
    # page, and the names of the page's villages that are not among the filters' options.
    with django_assert_max_num_queries(7):
        assert client.get(reverse("post-list"), params).status_code == 200


def test_post_list_names_where_each_post_is(area, county, login, catalogue):
    page = body(login(county).get(reverse("post-list"), {"township": "370902100"}))

    assert ("<td>省庄镇 · 丙村</td>" in page, "<td>省庄镇</td>" in page) == (True, True)


def test_post_list_export_is_the_filtered_catalogue(area, county, login, catalogue):
    response = login(county).get(reverse("post-list"), {"format": "xlsx", "area_kind": "rural"})

    workbook = read_xlsx(response)
    rows = sheet_rows(workbook.worksheets[0])
    extra = ["岗位类别", "在岗人数", "区划代码", "发布日期", "空岗起始日期", "岗位编号"]
    headers = [*file_headers(), *extra]
    assert workbook.sheetnames == ["岗位目录"]
    assert rows[0] == headers
    assert [r[1] for r in rows[1:]] == ["乙社区保洁员", "丙村护林员"]
    assert rows[1][:16] == [
        "村容保洁员",
        "乙社区保洁员",
        "乡村",
        "小时岗",
        20,
        "岱庙街道",
        "乙社区",
        "民政",
        "网格巡查",
        None,
        2,
        None,
        21,
        "意外伤害保险",
        2026,
        "草稿",
    ]
    assert rows[1][16:19] + rows[1][21:] == [
        "公共服务",
        0,
        "370902001002",
        catalogue["cleaner"].pk,
    ]


def test_post_list_export_is_on_record(area, county, login, catalogue):
    login(county).get(reverse("post-list"), {"format": "xlsx", "township": "370902001"})

    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (entry.actor, entry.object_repr, entry.note, entry.region_code) == (
        county,
        "岗位目录",
        "2 行",
        "370902",
    )


def test_post_list_export_of_a_clerk_is_scoped(area, clerk, login, catalogue):
    response = login(clerk).get(reverse("post-list"), {"format": "xlsx"})

    rows = sheet_rows(read_xlsx(response).worksheets[0])
    assert [r[1] for r in rows[1:]] == ["甲社区网格员", "乙社区保洁员"]


# --- detail ---------------------------------------------------------------------------------------


def test_post_detail_shows_the_post(area, county, login, catalogue, minimum_wage):
    response = login(county).get(reverse("post-detail", args=[catalogue["cleaner"].pk]))

    page = body(response)
    assert response.status_code == 200
    assert "<dd>村容保洁员（公共服务）</dd>" in page
    assert "<dd>小时岗, 每周 20.0 小时</dd>" in page
    assert "每小时 21.00 元" in page
    assert "最低工资标准自 2021-10-01 起每月 2100.00 元、每小时 21.00 元" in page
    assert 'value="open"' in page  # the publish button


def test_post_detail_of_another_county_is_404(area, county, login, catalogue):
    response = login(county).get(reverse("post-detail", args=[catalogue["elsewhere"].pk]))

    assert response.status_code == 404


def test_post_detail_has_no_buttons_for_a_village_user(area, users, login, catalogue):
    page = body(login(users[Role.VILLAGE]).get(reverse("post-detail", args=[catalogue["grid"].pk])))

    assert ('name="to"' in page, reverse("post-edit", args=[catalogue["grid"].pk]) in page) == (
        False,
        False,
    )


# --- create and edit ------------------------------------------------------------------------------


def test_post_create_page_saves_a_draft(area, clerk, login, minimum_wage):
    response = login(clerk).post(reverse("post-create"), form_data(area))

    post = Post.objects.get()
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="posts.post")
    assert (response.status_code, response.url) == (302, reverse("post-detail", args=[post.pk]))
    assert (post.title, post.status, post.region_code, post.created_by) == (
        "甲社区网格员",
        "draft",
        "370902001001",
        clerk,
    )
    assert (post.monthly_subsidy, post.insurance_kind) == (
        Decimal("2200.00"),
        "social_insurance_subsidy",
    )
    assert (entry.object_pk, entry.actor, entry.region_code) == (
        str(post.pk),
        clerk,
        "370902001001",
    )


def test_post_create_page_shows_the_saved_message(area, clerk, login):
    response = login(clerk).post(reverse("post-create"), form_data(area), follow=True)

    assert "岗位已保存为草稿。" in body(response)


def test_post_create_page_form_preselects_the_clerks_township(area, clerk, login, minimum_wage):
    response = login(clerk).get(reverse("post-create"))

    assert response.status_code == 200
    assert response.context["form"]["township"].initial == area.township
    assert "现行最低工资标准：每月 2100.00 元，每小时 21.00 元（自 2021-10-01 起）。" in body(
        response
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"monthly_subsidy": "2000"},
            "每月 2000 元低于现行最低工资标准（自 2021-10-01 起每月 2100.00 元）。",
        ),
        (
            {"work_pattern": "hourly", "hours_per_week": "20", "hourly_rate": "18"},
            "每小时 18 元低于现行小时最低工资标准（自 2021-10-01 起每小时 21.00 元）。",
        ),
        ({"headcount": "0"}, "岗位人数至少为 1。"),
        ({"village": "far"}, "丙村 不是 岱庙街道 下的村（社区）。"),
        ({"work_pattern": "hourly", "hourly_rate": "25"}, "小时岗须填写每周工时。"),
        ({"title": ""}, "该字段是必填项。"),
    ],
)
def test_post_create_page_refusal_is_shown_and_saves_nothing(
    area, county, login, minimum_wage, changes, message
):
    if changes.get("village") == "far":
        changes = {"village": area.far_village.pk}

    response = login(county).post(reverse("post-create"), form_data(area, **changes))

    assert response.status_code == 400
    assert message in body(response)
    assert (Post.objects.count(), AuditEntry.objects.exclude(action=AuditAction.LOGIN).count()) == (
        0,
        0,
    )


def test_post_create_page_full_time_without_monthly_subsidy_says_why(area, county, login):
    response = login(county).post(reverse("post-create"), form_data(area, monthly_subsidy=""))

    page = body(response)
    assert response.status_code == 400
    assert "全日制岗位须填写月补贴标准。" in page
    assert "post_pay_fits_pattern" not in page


def test_post_create_page_clerk_township_outside_their_area(area, clerk, login):
    data = form_data(area, township=area.other_township.pk, village=area.far_village.pk)

    response = login(clerk).post(reverse("post-create"), data)

    form = response.context["form"]
    assert response.status_code == 400
    assert form.errors == {
        "township": ["选择一个有效的选项： 该选择不在可用的选项中。"],
        "village": ["选择一个有效的选项： 该选择不在可用的选项中。"],
    }
    assert Post.objects.count() == 0


def test_post_edit_page_saves_the_change_on_record(area, clerk, login, catalogue):
    post = catalogue["grid"]

    response = login(clerk).post(
        reverse("post-edit", args=[post.pk]),
        form_data(area, title="甲社区网格员（改）", headcount="3", monthly_subsidy="2100"),
    )

    post.refresh_from_db()
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_pk=str(post.pk))
    assert (response.status_code, response.url) == (302, reverse("post-detail", args=[post.pk]))
    assert (post.title, post.headcount) == ("甲社区网格员（改）", 3)
    assert (entry.changes["title"], entry.changes["headcount"]) == (
        ["甲社区网格员", "甲社区网格员（改）"],
        [2, 3],
    )


def test_post_edit_page_refuses_moving_a_published_post(area, county, login, catalogue):
    post = catalogue["grid"]

    response = login(county).post(
        reverse("post-edit", args=[post.pk]),
        form_data(area, area_kind="rural", monthly_subsidy="2100"),
    )

    post.refresh_from_db()
    assert response.status_code == 400
    assert "已发布岗位的乡镇（街道）、城镇/乡村类型和计划年度不能修改" in body(response)
    assert (post.area_kind, AuditEntry.objects.filter(action=AuditAction.UPDATE).count()) == (
        "urban",
        0,
    )


def test_post_edit_page_refuses_a_closed_post(area, county, login, catalogue):
    post = catalogue["closed"]

    response = login(county).post(
        reverse("post-edit", args=[post.pk]),
        form_data(area, township=area.other_township.pk, village="", title="改名"),
    )

    assert response.status_code == 400
    assert "已撤销的岗位不能修改。" in body(response)
    assert Post.objects.get(pk=post.pk).title == "省庄镇网格员"


def test_post_edit_page_of_another_township_is_404_for_a_clerk(area, clerk, login, catalogue):
    response = login(clerk).get(reverse("post-edit", args=[catalogue["forest"].pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.VILLAGE, Role.REVIEWER, Role.ADMIN])
def test_post_form_pages_refused_to_other_roles(area, users, login, catalogue, role):
    client = login(users[role])
    post = catalogue["grid"]

    statuses = [
        client.get(reverse("post-create")).status_code,
        client.post(reverse("post-create"), form_data(area, title="新岗位")).status_code,
        client.get(reverse("post-edit", args=[post.pk])).status_code,
        client.post(reverse("post-edit", args=[post.pk]), form_data(area)).status_code,
        client.post(reverse("post-transition", args=[post.pk]), {"to": "closed"}).status_code,
    ]

    assert statuses == [403] * 5
    assert Post.objects.count() == 5


# --- status changes -------------------------------------------------------------------------------


def test_post_transition_page_publishes_a_draft(area, clerk, login, catalogue, minimum_wage):
    post = catalogue["cleaner"]

    response = login(clerk).post(reverse("post-transition", args=[post.pk]), {"to": "open"})

    post.refresh_from_db()
    entry = AuditEntry.objects.get(action=AuditAction.TRANSITION)
    assert (response.status_code, response.url) == (302, reverse("post-detail", args=[post.pk]))
    assert (post.status, post.opened_on) == ("open", timezone.localdate())
    assert (entry.object_pk, entry.changes) == (str(post.pk), {"status": ["draft", "open"]})


def test_post_transition_page_closes_with_a_reason(area, clerk, login, catalogue):
    post = catalogue["grid"]

    response = login(clerk).post(
        reverse("post-transition", args=[post.pk]),
        {"to": "closed", "reason": "社区合并"},
        follow=True,
    )

    post.refresh_from_db()
    assert (post.status, post.close_reason, post.closed_on) == (
        "closed",
        "社区合并",
        timezone.localdate(),
    )
    assert "岗位状态已变为“已撤销”。" in body(response)


@pytest.mark.parametrize(
    ("key", "data", "message"),
    [
        ("grid", {"to": "closed", "reason": " "}, "请填写撤销原因。"),
        ("grid", {"to": "filled"}, "此状态由岗位上岗人数自动确定。"),
        ("grid", {"to": "draft"}, "岗位不能从“招聘中”变为“草稿”。"),
        ("grid", {"to": "whatever"}, "请选择对岗位的操作。"),
        ("cleaner", {"to": "vacant"}, "岗位不能从“草稿”变为“空置”。"),
    ],
)
def test_post_transition_page_refusal_is_shown(area, clerk, login, catalogue, key, data, message):
    post = catalogue[key]
    before = post.status

    response = login(clerk).post(reverse("post-transition", args=[post.pk]), data, follow=True)

    post.refresh_from_db()
    assert response.redirect_chain == [(reverse("post-detail", args=[post.pk]), 302)]
    assert message in body(response)
    assert (post.status, AuditEntry.objects.filter(action=AuditAction.TRANSITION).count()) == (
        before,
        0,
    )


def test_post_transition_page_refuses_publishing_below_the_minimum_wage(
    area, clerk, login, catalogue
):
    MinimumWage.objects.create(
        county=area.county, monthly=2500, hourly=25, effective_from=dt.date(2024, 1, 1)
    )
    post = catalogue["cleaner"]

    response = login(clerk).post(
        reverse("post-transition", args=[post.pk]), {"to": "open"}, follow=True
    )

    assert "每小时 21.00 元低于现行小时最低工资标准（自 2024-01-01 起每小时 25.00 元）。" in body(
        response
    )
    assert Post.objects.get(pk=post.pk).status == "draft"


def test_post_transition_page_of_another_township_is_404(area, clerk, login, catalogue):
    post = catalogue["forest"]

    response = login(clerk).post(reverse("post-transition", args=[post.pk]), {"to": "closed"})

    assert response.status_code == 404
    assert Post.objects.get(pk=post.pk).status == "open"


def test_post_only_views_refuse_get(area, county, clerk, login, catalogue):
    plan = AnnualPlan.objects.create(
        county=area.county, year=2026, urban_target=10, rural_target=10, created_by=county
    )

    transition = login(clerk).get(reverse("post-transition", args=[catalogue["grid"].pk]))
    targets = login(county).get(reverse("plan-edit", args=[plan.pk]))

    assert (transition.status_code, targets.status_code) == (405, 405)


# --- standard post names --------------------------------------------------------------------------


def test_post_types_page_lists_the_names_by_category(area, clerk, login):
    response = login(clerk).get(reverse("post-type-list"))

    groups = dict(response.context["groups"])
    assert response.status_code == 200
    assert list(groups) == ["公共管理", "公共服务", "社会事业", "设施维护", "社会治理"]
    assert "网格员" in [t.name for t in groups["社会治理"]]
    assert response.context["can_add"] is False


def test_post_types_page_county_adds_a_name(area, county, clerk, login):
    response = login(county).post(
        reverse("post-type-list"),
        {"category": "public_service", "name": "老年助浴员", "description": "上门助浴"},
    )

    added = PostType.objects.get(name="老年助浴员")
    clerk_page = login(clerk).get(reverse("post-type-list"))
    assert (response.status_code, response.url) == (302, reverse("post-type-list"))
    assert (added.county, added.category, added.description) == (
        area.county,
        "public_service",
        "上门助浴",
    )
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_type="posts.posttype", object_pk=str(added.pk)
    ).exists()
    assert "老年助浴员" in body(clerk_page)


def test_post_types_page_name_of_one_county_is_not_shown_in_another(area, county, login):
    login(county).post(reverse("post-type-list"), {"category": "public_service", "name": "助浴员"})
    other = UserFactory(username="county2", role=Role.COUNTY, region=area.other_county)

    page = body(login(other).get(reverse("post-type-list")))

    assert ("助浴员" in page, "网格员" in page) == (False, True)


def test_post_types_page_refuses_a_name_that_exists(area, county, login):
    response = login(county).post(
        reverse("post-type-list"), {"category": "social_governance", "name": "网格员"}
    )

    assert response.status_code == 400
    assert "岗位标准名称“网格员”已存在。" in body(response)
    assert PostType.objects.filter(name="网格员").count() == 1


def test_post_types_page_clerk_cannot_add(area, clerk, login):
    count = PostType.objects.count()

    response = login(clerk).post(
        reverse("post-type-list"), {"category": "public_service", "name": "老年助浴员"}
    )

    assert response.status_code in (403, 404)
    assert (
        PostType.objects.count(),
        AuditEntry.objects.exclude(action=AuditAction.LOGIN).count(),
    ) == (count, 0)


# --- minimum wages and standards ------------------------------------------------------------------


def test_standards_page_county_adds_a_minimum_wage(area, county, login):
    client = login(county)

    response = client.post(
        reverse("post-standards"),
        {
            "which": "wage",
            "tier": "一档",
            "monthly": "2100",
            "hourly": "21",
            "effective_from": "2021-10-01",
            "source": "鲁政字〔2021〕号",
        },
    )

    wage = MinimumWage.objects.get()
    page = body(client.get(reverse("post-standards")))
    assert (response.status_code, response.url) == (302, reverse("post-standards"))
    assert (wage.county, wage.monthly, wage.hourly, wage.effective_from, wage.tier) == (
        area.county,
        Decimal("2100.00"),
        Decimal("21.00"),
        dt.date(2021, 10, 1),
        "一档",
    )
    assert "今日现行：每月 2100.00 元，每小时 21.00 元（自 2021-10-01 起）。" in page
    assert AuditEntry.objects.filter(object_type="posts.minimumwage").count() == 1


def test_standards_page_refuses_a_second_row_on_the_same_day(area, county, login, minimum_wage):
    response = login(county).post(
        reverse("post-standards"),
        {"which": "wage", "monthly": "2300", "hourly": "23", "effective_from": "2021-10-01"},
    )

    assert response.status_code == 400
    assert "该日期已有记录，请更换日期。" in body(response)
    assert MinimumWage.objects.get().monthly == Decimal("2100.00")


def test_standards_page_county_adds_a_subsidy_standard(area, county, login):
    response = login(county).post(
        reverse("post-standards"),
        {
            "which": "standard",
            "area_kind": "rural",
            "annual_amount": "10000",
            "effective_from": "2022-01-01",
            "source": "泰山区实施方案",
        },
    )

    standard = SubsidyStandard.objects.get()
    assert response.status_code == 302
    assert (standard.county, standard.area_kind, standard.annual_amount) == (
        area.county,
        "rural",
        Decimal("10000.00"),
    )


def test_standards_page_without_a_minimum_wage_says_so(area, clerk, login):
    response = login(clerk).get(reverse("post-standards"))

    assert response.status_code == 200
    assert "本区县尚未录入最低工资标准，岗位补贴暂不对照检查。" in body(response)


def test_standards_page_refused_to_village(area, users, login):
    response = login(users[Role.VILLAGE]).get(reverse("post-standards"))

    assert response.status_code == 403


def test_standards_page_clerk_cannot_add(area, clerk, login):
    response = login(clerk).post(
        reverse("post-standards"),
        {"which": "wage", "monthly": "2100", "hourly": "21", "effective_from": "2021-10-01"},
    )

    assert response.status_code in (
        403,
        404,
    )  # which one: test_pages_refuse_a_clerk_adding_with_403
    assert MinimumWage.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("post-type-list", {"category": "public_service", "name": "老年助浴员"}),
        ("post-standards", {"which": "wage", "monthly": "2100", "hourly": "21"}),
        ("plan-list", {"year": "2026", "urban_target": "10", "rural_target": "10"}),
    ],
)
def test_pages_refuse_a_clerk_adding_with_403(area, clerk, login, name, data):
    response = login(clerk).post(reverse(name), data)

    assert response.status_code == 403


# --- annual plans ---------------------------------------------------------------------------------


@pytest.fixture
def plan(area, county) -> AnnualPlan:
    """Seed 001 附件2 in small: 泰山区 2026, 10 urban and 8 rural posts."""
    return AnnualPlan.objects.create(
        county=area.county, year=2026, urban_target=10, rural_target=8, created_by=county
    )


def shares(area, t1: tuple[int, int], t2: tuple[int, int]) -> dict[str, int]:
    return {
        f"urban_{area.township.pk}": t1[0],
        f"rural_{area.township.pk}": t1[1],
        f"urban_{area.other_township.pk}": t2[0],
        f"rural_{area.other_township.pk}": t2[1],
    }


def test_plan_list_county_creates_a_plan(area, county, login):
    response = login(county).post(
        reverse("plan-list"),
        {"year": "2026", "urban_target": "960", "rural_target": "610", "note": "泰山区实施方案"},
    )

    plan = AnnualPlan.objects.get()
    assert (response.status_code, response.url) == (302, reverse("plan-detail", args=[plan.pk]))
    assert (plan.county, plan.year, plan.total_target, plan.note) == (
        area.county,
        2026,
        1570,
        "泰山区实施方案",
    )
    assert AuditEntry.objects.filter(object_type="posts.annualplan").count() == 1


def test_plan_list_refuses_a_negative_target(area, county, login):
    response = login(county).post(
        reverse("plan-list"), {"year": "2026", "urban_target": "-1", "rural_target": "10"}
    )

    assert response.status_code == 400
    assert "确保该值大于或等于0。" in body(response)
    assert AnnualPlan.objects.count() == 0


def test_plan_list_shows_plans_of_own_county(area, county, clerk, login, plan):
    other = UserFactory(username="county2", role=Role.COUNTY, region=area.other_county)
    AnnualPlan.objects.create(
        county=area.other_county, year=2026, urban_target=1, rural_target=1, created_by=other
    )

    response = login(clerk).get(reverse("plan-list"))

    assert [p.county.code for p in response.context["plans"]] == ["370902"]
    assert response.context["can_manage"] is False


def test_plan_list_refused_to_village(area, users, login):
    assert login(users[Role.VILLAGE]).get(reverse("plan-list")).status_code == 403


def test_plan_allocate_page_saves_the_shares(area, county, login, plan):
    response = login(county).post(
        reverse("plan-allocate", args=[plan.pk]), shares(area, (6, 3), (4, 5))
    )

    allocations = {
        a.township.code: (a.urban, a.rural) for a in Allocation.objects.select_related("township")
    }
    assert (response.status_code, response.url) == (302, reverse("plan-detail", args=[plan.pk]))
    assert allocations == {"370902001": (6, 3), "370902100": (4, 5)}
    assert AuditEntry.objects.filter(object_type="posts.allocation").count() == 2


def test_plan_allocate_page_refuses_more_than_the_target(area, county, login, plan):
    response = login(county).post(
        reverse("plan-allocate", args=[plan.pk]), shares(area, (6, 3), (5, 6))
    )

    page = body(response)
    assert response.status_code == 400
    assert "城镇分配合计 11 个，超过城镇目标 10 个。" in page
    assert "乡村分配合计 9 个，超过乡村目标 8 个。" in page
    assert (
        Allocation.objects.count(),
        AuditEntry.objects.exclude(action=AuditAction.LOGIN).count(),
    ) == (0, 0)


def test_plan_allocate_page_refuses_a_negative_share(area, county, login, plan):
    response = login(county).post(
        reverse("plan-allocate", args=[plan.pk]), shares(area, (-1, 3), (4, 5))
    )

    assert response.status_code == 400
    assert "确保该值大于或等于0。" in body(response)
    assert Allocation.objects.count() == 0


def test_plan_allocate_page_refused_to_a_clerk(area, clerk, login, plan):
    client = login(clerk)

    statuses = (
        client.get(reverse("plan-allocate", args=[plan.pk])).status_code,
        client.post(
            reverse("plan-allocate", args=[plan.pk]), shares(area, (1, 1), (1, 1))
        ).status_code,
        client.post(
            reverse("plan-edit", args=[plan.pk]), {"year": "2026", "urban_target": "1"}
        ).status_code,
    )

    assert statuses == (403, 403, 403)
    assert Allocation.objects.count() == 0


def test_plan_edit_page_changes_the_targets(area, county, login, plan):
    response = login(county).post(
        reverse("plan-edit", args=[plan.pk]),
        {"year": "2026", "urban_target": "12", "rural_target": "9", "note": "调整"},
    )

    plan.refresh_from_db()
    assert (response.status_code, response.url) == (302, reverse("plan-detail", args=[plan.pk]))
    assert (plan.urban_target, plan.rural_target, plan.note) == (12, 9, "调整")


def test_plan_edit_page_refuses_a_target_below_the_allocation(area, county, login, plan):
    client = login(county)
    client.post(reverse("plan-allocate", args=[plan.pk]), shares(area, (6, 3), (4, 5)))

    response = client.post(
        reverse("plan-edit", args=[plan.pk]),
        {"year": "2026", "urban_target": "9", "rural_target": "8"},
        follow=True,
    )

    assert "城镇分配合计 10 个，超过城镇目标 9 个。" in body(response)
    assert AnnualPlan.objects.get().urban_target == 10


def test_plan_detail_shows_progress(area, county, login, plan):
    login(county).post(reverse("plan-allocate", args=[plan.pk]), shares(area, (6, 3), (4, 0)))
    PostFactory(village=area.village, headcount=4, plan_year=2026)
    PostFactory(village=area.far_village, area_kind="rural", headcount=2, plan_year=2026)

    response = login(county).get(reverse("plan-detail", args=[plan.pk]))

    progress = response.context["progress"]
    assert [(r.township.name, r.urban.developed, r.rural.developed) for r in progress.rows] == [
        ("岱庙街道", 4, 0),
        ("省庄镇", 0, 2),
    ]
    assert (progress.total.urban.allocated, progress.total.rural.allocated) == (10, 3)
    assert "尚未分配：城镇 0 个，乡村 5 个。" in body(response)


def test_plan_export_is_the_allocation_table_of_seed_001(area, county, login, plan):
    client = login(county)
    client.post(reverse("plan-allocate", args=[plan.pk]), shares(area, (6, 3), (4, 0)))

    response = client.get(reverse("plan-detail", args=[plan.pk]), {"format": "xlsx"})

    workbook = read_xlsx(response)
    rows = sheet_rows(workbook.worksheets[0])
    assert workbook.sheetnames == ["计划分配", "进度", "对照计划目标"]
    assert rows[0] == ["单位", "城镇公益岗", "乡村公益岗", "合计"]
    assert rows[1:3] == [["岱庙街道", 6, 3, 9], ["省庄镇", 4, None, 4]]
    assert rows[-1] == ["合计", 10, 3, 13]
    assert len(rows) == 4
    assert AuditEntry.objects.get(action=AuditAction.EXPORT).object_repr == (
        "泰山区城乡公益性岗位计划分配表（2026年）"
    )


def test_plan_export_progress_sheet_ends_with_the_total(area, county, login, plan):
    client = login(county)
    client.post(reverse("plan-allocate", args=[plan.pk]), shares(area, (6, 3), (4, 0)))
    PostFactory(village=area.village, headcount=3, plan_year=2026)

    response = client.get(reverse("plan-detail", args=[plan.pk]), {"format": "xlsx"})

    rows = sheet_rows(read_xlsx(response).worksheets[1])
    assert rows[0][:6] == [
        "单位",
        "城镇分配数",
        "城镇已开发",
        "城镇已满员",
        "城镇在岗",
        "城镇在岗占分配比例（%）",
    ]
    assert [r[0] for r in rows[1:]] == ["岱庙街道", "省庄镇", "合计"]
    assert rows[1][:3] == ["岱庙街道", 6, 3]


def test_plan_of_another_county_is_404(area, county, login):
    other = UserFactory(username="county2", role=Role.COUNTY, region=area.other_county)
    plan = AnnualPlan.objects.create(
        county=area.other_county, year=2026, urban_target=1, rural_target=1, created_by=other
    )
    client = login(county)

    statuses = (
        client.get(reverse("plan-detail", args=[plan.pk])).status_code,
        client.get(reverse("plan-detail", args=[plan.pk]), {"format": "xlsx"}).status_code,
        client.post(reverse("plan-allocate", args=[plan.pk]), {}).status_code,
    )

    assert statuses == (404, 404, 404)
