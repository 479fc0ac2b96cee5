"""The catalogue's API (/api/v1/post-types/, /api/v1/posts/, /api/v1/plans/): the catalogue's
filters, the caller's area, writes through the services with refusals as 400 on the field."""

from decimal import Decimal

import pytest
from django.urls import reverse

from gongyi.enums import AuditAction, Role
from gongyi.models import AuditEntry, Region
from posts.models import Allocation, AnnualPlan, Post, PostType
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

POSTS = "/api/v1/posts/"
POST_TYPES = "/api/v1/post-types/"
PLANS = "/api/v1/plans/"


def post_type(name: str) -> PostType:
    return PostType.objects.get(name=name, county=None)


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [p["title"] for p in response.json()["results"]]


def post_json(**changes) -> dict:
    data = {
        "post_type": post_type("网格员").pk,
        "title": "甲社区网格员",
        "area_kind": "urban",
        "work_pattern": "full_time",
        "township": "370902001",
        "village": "370902001001",
        "department": "civil_affairs",
        "duties": "网格巡查",
        "requirements": "熟悉社区情况",
        "headcount": 2,
        "monthly_subsidy": "2100.00",
        "plan_year": 2026,
    }
    return data | changes


@pytest.fixture
def catalogue(area, users) -> dict[str, Post]:
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
            status="draft",
            plan_year=2025,
        ),
        "forest": PostFactory(
            village=area.far_village,
            title="丙村护林员",
            post_type=post_type("护林员"),
            area_kind="rural",
        ),
        "closed": PostFactory(township=area.other_township, title="省庄镇网格员", status="closed"),
        "elsewhere": PostFactory(
            village=Region.objects.get(code="370406106200"), title="丁村网格员"
        ),
    }


# --- posts: list, filters, scoping ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["甲社区网格员", "乙社区保洁员", "省庄镇网格员", "丙村护林员"]),
        ({"township": "370902100"}, ["省庄镇网格员", "丙村护林员"]),
        ({"village": "370902001001"}, ["甲社区网格员"]),
        ({"category": "public_service"}, ["乙社区保洁员"]),
        ({"area_kind": "urban"}, ["甲社区网格员", "省庄镇网格员"]),
        ({"work_pattern": "hourly"}, ["乙社区保洁员"]),
        ({"status": "open"}, ["甲社区网格员", "丙村护林员"]),
        ({"plan_year": "2025"}, ["乙社区保洁员"]),
        ({"q": "网格"}, ["甲社区网格员", "省庄镇网格员"]),
        ({"township": "370406106"}, []),
    ],
)
def test_api_post_list_filters(area, county, login, catalogue, params, expected):
    response = login(county).get(POSTS, params)

    assert titles(response) == expected


def test_api_post_list_post_type_filter(area, county, login, catalogue):
    response = login(county).get(POSTS, {"post_type": post_type("护林员").pk})

    assert titles(response) == ["丙村护林员"]


def test_api_post_list_clerk_sees_own_township_only(area, clerk, login, catalogue):
    assert titles(login(clerk).get(POSTS)) == ["甲社区网格员", "乙社区保洁员"]


def test_api_post_list_other_county_never_shown(area, login, catalogue):
    other = UserFactory(username="county2", role=Role.COUNTY, region=area.other_county)

    assert titles(login(other).get(POSTS)) == ["丁村网格员"]


def test_api_post_list_reads_the_page_in_five_queries(
    area, county, login, catalogue, django_assert_num_queries, settings
):
    client = login(county)
    client.get(POSTS)  # the first request after a login refreshes the session
    # Session, user with its region, the count, the page, its townships and villages.
    with django_assert_num_queries(5):
        assert len(titles(client.get(POSTS, {"township": area.township.code}))) == 2


def test_api_post_list_fields(area, county, login, catalogue):
    item = login(county).get(POSTS, {"work_pattern": "hourly"}).json()["results"][0]

    assert {k: item[k] for k in ("post_type_name", "category", "township", "village")} == {
        "post_type_name": "村容保洁员",
        "category": "public_service",
        "township": "370902001",
        "village": "370902001002",
    }
    assert (item["hours_per_week"], item["hourly_rate"], item["region_code"]) == (
        "20.0",
        "21.00",
        "370902001002",
    )


def test_api_post_detail_of_another_township_is_404_for_a_clerk(area, clerk, login, catalogue):
    client = login(clerk)

    own = client.get(f"{POSTS}{catalogue['grid'].pk}/")
    other = client.get(f"{POSTS}{catalogue['forest'].pk}/")

    assert (own.status_code, other.status_code) == (200, 404)


# --- posts: create, update, transition ------------------------------------------------------------


def test_api_post_create(area, clerk, login, minimum_wage):
    response = login(clerk).post(POSTS, post_json(), content_type="application/json")

    post = Post.objects.get()
    assert response.status_code == 201
    assert response.json()["id"] == post.pk
    assert (response.json()["status"], response.json()["region_code"]) == (
        "draft",
        "370902001001",
    )
    assert (post.created_by, post.insurance_kind) == (clerk, "social_insurance_subsidy")
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_type="posts.post", object_pk=str(post.pk)
    ).exists()


def test_api_post_create_without_requirements(area, clerk, login):
    data = post_json()
    del data["requirements"]

    response = login(clerk).post(POSTS, data, content_type="application/json")

    assert response.status_code == 201
    assert Post.objects.get().requirements == ""


def test_api_post_create_refuses_read_only_fields(area, clerk, login):
    data = post_json(status="open", occupied=2, region_code="370406")

    response = login(clerk).post(POSTS, data, content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()) == {"status", "occupied", "region_code"}
    assert Post.objects.count() == 0


def test_api_post_create_below_the_minimum_wage_is_400_on_the_field(
    area, clerk, login, minimum_wage
):
    response = login(clerk).post(
        POSTS, post_json(monthly_subsidy="2000.00"), content_type="application/json"
    )

    message = "每月 2000.00 元低于现行最低工资标准（自 2021-10-01 起每月 2100.00 元）。"
    assert response.status_code == 400
    assert response.json()["monthly_subsidy"] == [message]
    assert Post.objects.count() == 0


def test_api_post_create_hourly_rate_below_the_minimum_is_400_on_the_field(
    area, clerk, login, minimum_wage
):
    data = post_json(
        work_pattern="hourly", hours_per_week="20", hourly_rate="18", monthly_subsidy=None
    )

    response = login(clerk).post(POSTS, data, content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()) == ["detail", "hourly_rate"]
    assert Post.objects.count() == 0


@pytest.mark.parametrize("headcount", [0, -1])
def test_api_post_create_headcount_below_one_is_400_on_the_field(area, clerk, login, headcount):
    response = login(clerk).post(
        POSTS, post_json(headcount=headcount), content_type="application/json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["headcount"]
    assert Post.objects.count() == 0


def test_api_post_create_village_outside_the_township_is_400(area, county, login):
    response = login(county).post(
        POSTS, post_json(village="370902100200"), content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "丙村 不是 岱庙街道 下的村（社区）。"
    assert Post.objects.count() == 0


def test_api_post_create_village_outside_the_township_is_on_the_village_field(area, county, login):
    response = login(county).post(
        POSTS, post_json(village="370902100200"), content_type="application/json"
    )

    assert response.json()["village"] == ["丙村 不是 岱庙街道 下的村（社区）。"]


def test_api_post_create_clerk_township_outside_their_area_is_400(area, clerk, login):
    response = login(clerk).post(
        POSTS,
        post_json(township="370902100", village="370902100200"),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "未找到，或不在您的管辖范围内。"
    assert Post.objects.count() == 0


def test_api_post_create_unknown_township_code_is_400_on_the_field(area, clerk, login):
    response = login(clerk).post(
        POSTS, post_json(township="370902999"), content_type="application/json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["township"]


@pytest.mark.parametrize("role", [Role.VILLAGE, Role.REVIEWER])
def test_api_post_create_refused_to_village_and_reviewer(area, users, login, role):
    response = login(users[role]).post(POSTS, post_json(), content_type="application/json")

    assert response.status_code == 403
    assert Post.objects.count() == 0


def test_api_post_patch(area, clerk, login, catalogue, minimum_wage):
    post = catalogue["grid"]

    response = login(clerk).patch(
        f"{POSTS}{post.pk}/",
        {"title": "甲社区网格员（改）", "headcount": 3},
        content_type="application/json",
    )

    post.refresh_from_db()
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_pk=str(post.pk))
    assert response.status_code == 200
    assert (response.json()["title"], post.title, post.headcount) == (
        "甲社区网格员（改）",
        "甲社区网格员（改）",
        3,
    )
    assert entry.changes["headcount"] == [2, 3]


def test_api_post_patch_below_the_minimum_wage_is_400(area, clerk, login, catalogue, minimum_wage):
    post = catalogue["grid"]

    response = login(clerk).patch(
        f"{POSTS}{post.pk}/", {"monthly_subsidy": "1500"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["detail", "monthly_subsidy"]
    assert Post.objects.get(pk=post.pk).monthly_subsidy == Decimal("2100.00")


def test_api_post_patch_of_a_published_post_keeps_its_township(area, county, login, catalogue):
    post = catalogue["grid"]

    response = login(county).patch(
        f"{POSTS}{post.pk}/",
        {"township": "370902100", "village": "370902100200"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith("已发布岗位的乡镇（街道）")
    assert Post.objects.get(pk=post.pk).region_code == "370902001001"


def test_api_post_patch_of_another_township_is_404(area, clerk, login, catalogue):
    post = catalogue["forest"]

    response = login(clerk).patch(
        f"{POSTS}{post.pk}/", {"title": "改名"}, content_type="application/json"
    )

    assert response.status_code == 404
    assert Post.objects.get(pk=post.pk).title == "丙村护林员"


@pytest.mark.parametrize("role", [Role.VILLAGE, Role.REVIEWER])
def test_api_post_patch_refused_to_village_and_reviewer(area, users, login, catalogue, role):
    post = catalogue["grid"]

    response = login(users[role]).patch(
        f"{POSTS}{post.pk}/", {"title": "改名"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert Post.objects.get(pk=post.pk).title == "甲社区网格员"


def test_api_post_transition_publishes(area, clerk, login, catalogue, minimum_wage):
    post = catalogue["cleaner"]

    response = login(clerk).post(
        f"{POSTS}{post.pk}/transition/", {"to": "open"}, content_type="application/json"
    )

    post.refresh_from_db()
    assert response.status_code == 200
    assert (response.json()["status"], post.status) == ("open", "open")
    assert AuditEntry.objects.get(action=AuditAction.TRANSITION).changes == {
        "status": ["draft", "open"]
    }


def test_api_post_transition_close_needs_a_reason(area, clerk, login, catalogue):
    post = catalogue["grid"]
    client = login(clerk)

    refused = client.post(
        f"{POSTS}{post.pk}/transition/", {"to": "closed"}, content_type="application/json"
    )
    closed = client.post(
        f"{POSTS}{post.pk}/transition/",
        {"to": "closed", "reason": "社区合并"},
        content_type="application/json",
    )

    assert (refused.status_code, refused.json()) == (400, {"detail": "请填写撤销原因。"})
    assert (closed.status_code, closed.json()["close_reason"]) == (200, "社区合并")


def test_api_post_transition_to_an_unknown_status_is_400_on_the_field(
    area, clerk, login, catalogue
):
    response = login(clerk).post(
        f"{POSTS}{catalogue['grid'].pk}/transition/",
        {"to": "filled"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["to"]


def test_api_post_transition_refused_to_a_village_user(area, users, login, catalogue):
    post = catalogue["grid"]

    response = login(users[Role.VILLAGE]).post(
        f"{POSTS}{post.pk}/transition/",
        {"to": "closed", "reason": "x"},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert Post.objects.get(pk=post.pk).status == "open"


def test_api_post_delete_is_not_allowed(area, county, login, catalogue):
    response = login(county).delete(f"{POSTS}{catalogue['grid'].pk}/")

    assert response.status_code == 405
    assert Post.objects.filter(pk=catalogue["grid"].pk).exists()


# --- post types -----------------------------------------------------------------------------------


def test_api_post_types_category_filter(area, clerk, login):
    response = login(clerk).get(POST_TYPES, {"category": "public_management", "page_size": 100})

    names = [t["name"] for t in response.json()["results"]]
    categories = {t["category"] for t in response.json()["results"]}
    assert response.status_code == 200
    assert "护林员" in names
    assert "网格员" not in names
    assert categories == {"public_management"}


def test_api_post_types_county_creates(area, county, login):
    response = login(county).post(
        POST_TYPES,
        {"category": "public_service", "name": "老年助浴员", "description": "上门助浴"},
        content_type="application/json",
    )

    created = PostType.objects.get(name="老年助浴员")
    assert response.status_code == 201
    assert (response.json()["county"], response.json()["id"]) == ("370902", created.pk)
    assert created.county == area.county


def test_api_post_types_county_name_seen_by_its_clerks_only(area, county, clerk, login):
    login(county).post(
        POST_TYPES,
        {"category": "public_service", "name": "助浴员"},
        content_type="application/json",
    )
    other = UserFactory(username="county2", role=Role.COUNTY, region=area.other_county)

    def names(user) -> set[str]:
        response = login(user).get(POST_TYPES, {"category": "public_service"})
        return {t["name"] for t in response.json()["results"]}

    assert ("助浴员" in names(clerk), "助浴员" in names(other)) == (True, False)


def test_api_post_types_existing_name_is_400(area, county, login):
    response = login(county).post(
        POST_TYPES,
        {"category": "social_governance", "name": "网格员"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "岗位标准名称“网格员”已存在。"


@pytest.mark.parametrize("role", [Role.CLERK, Role.VILLAGE, Role.REVIEWER])
def test_api_post_types_create_refused_to_other_roles(area, users, login, role):
    count = PostType.objects.count()

    response = login(users[role]).post(
        POST_TYPES,
        {"category": "public_service", "name": "老年助浴员"},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert PostType.objects.count() == count


# --- plans ----------------------------------------------------------------------------------------


@pytest.fixture
def plan(area, county) -> AnnualPlan:
    plan = AnnualPlan.objects.create(
        county=area.county, year=2026, urban_target=10, rural_target=8, created_by=county
    )
    Allocation.objects.create(plan=plan, township=area.township, urban=6, rural=3)
    Allocation.objects.create(plan=plan, township=area.other_township, urban=4, rural=5)
    return plan


def test_api_plan_list(area, clerk, login, plan):
    other = UserFactory(username="county2", role=Role.COUNTY, region=area.other_county)
    AnnualPlan.objects.create(
        county=area.other_county, year=2026, urban_target=1, rural_target=1, created_by=other
    )

    response = login(clerk).get(PLANS)

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": plan.pk,
            "county": "370902",
            "year": 2026,
            "urban_target": 10,
            "rural_target": 8,
            "total_target": 18,
            "note": "",
        }
    ]


def test_api_plan_list_year_filter(area, county, login, plan):
    AnnualPlan.objects.create(
        county=area.county, year=2025, urban_target=1, rural_target=1, created_by=county
    )

    response = login(county).get(PLANS, {"year": "2025"})

    assert [p["year"] for p in response.json()["results"]] == [2025]


def test_api_plan_detail_has_rows_and_progress(area, county, login, plan):
    PostFactory(village=area.village, headcount=4, plan_year=2026)
    PostFactory(village=area.far_village, area_kind="rural", headcount=2, plan_year=2026)
    PostFactory(village=area.village, headcount=9, plan_year=2026, status="draft")

    response = login(county).get(f"{PLANS}{plan.pk}/")

    data = response.json()
    assert response.status_code == 200
    assert [(r["township"], r["township_name"]) for r in data["rows"]] == [
        ("370902001", "岱庙街道"),
        ("370902100", "省庄镇"),
    ]
    assert data["rows"][0]["urban"] == {
        "allocated": 6,
        "developed": 4,
        "developed_share": 4 * 100 / 6,
        "filled": 0,
        "filled_share": 0.0,
        "on_post": 0,
        "on_post_share": 0.0,
    }
    assert data["rows"][1]["rural"]["developed"] == 2
    assert (data["total"]["township"], data["total"]["total"]["allocated"]) == (None, 18)
    assert data["total"]["total"]["developed"] == 6


def test_api_plan_detail_for_a_clerk_shows_own_township(area, clerk, login, plan):
    response = login(clerk).get(f"{PLANS}{plan.pk}/")

    assert [r["township"] for r in response.json()["rows"]] == ["370902001"]


def test_api_plan_of_another_county_is_404(area, county, login):
    other = UserFactory(username="county2", role=Role.COUNTY, region=area.other_county)
    plan = AnnualPlan.objects.create(
        county=area.other_county, year=2026, urban_target=1, rural_target=1, created_by=other
    )

    assert login(county).get(f"{PLANS}{plan.pk}/").status_code == 404


def test_api_plans_are_read_only(area, county, login, plan):
    response = login(county).post(
        PLANS, {"year": 2027, "urban_target": 1, "rural_target": 1}, content_type="application/json"
    )

    assert response.status_code == 405
    assert AnnualPlan.objects.count() == 1


# --- schema ---------------------------------------------------------------------------------------


def test_api_schema_has_the_catalogue_paths(area, county, login):
    response = login(county).get(reverse("api-schema"))

    schema = response.content.decode()
    assert response.status_code == 200
    for path in (
        "/api/v1/post-types/:",
        "/api/v1/posts/:",
        "/api/v1/posts/{id}/transition/:",
        "/api/v1/plans/:",
        "/api/v1/plans/{id}/:",
    ):
        assert path in schema
