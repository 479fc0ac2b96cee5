"""The county sets a year's plan and allocates it to two townships (refused first
when the shares exceed the target), the clerk of 岱庙街道 creates a post (refused first below the
minimum wage), publishes it, and sees it counted on the plan page."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from gongyi.enums import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URBAN_TARGET, RURAL_TARGET = 10, 6


def _log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _log_out(page):
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/login/")


def _nav(page, label):
    page.locator("nav.main-nav").get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()


def test_county_plans_and_allocates_clerk_creates_publishes_and_sees_progress(
    live_server, users, area, password, page, screenshot
):
    from posts.enums import AreaKind, PostStatus, WorkPattern
    from posts.models import Allocation, AnnualPlan, MinimumWage, Post

    MinimumWage.objects.create(
        county=area.county, monthly=2100, hourly=21, effective_from=dt.date(2021, 10, 1)
    )
    year = timezone.localdate().year
    township, other = area.township, area.other_township  # 岱庙街道, 省庄镇

    # --- the county sets the year's targets --------------------------------------------------
    _log_in(page, live_server, "county", password)
    _nav(page, "年度计划")
    assert page.url == f"{live_server.url}/plans/"
    assert page.locator("h1").inner_text() == "年度计划"
    page.fill("#id_year", str(year))
    page.fill("#id_urban_target", str(URBAN_TARGET))
    page.fill("#id_rural_target", str(RURAL_TARGET))
    page.fill("#id_note", "泰政办发〔2026〕1号")
    screenshot("posts-01-plan-form")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(re.compile(r"/plans/\d+/$"))
    assert "计划已保存。" in page.locator("ul.messages").inner_text()
    plan = AnnualPlan.objects.get(county=area.county, year=year)
    assert (plan.urban_target, plan.rural_target, plan.note, plan.created_by) == (
        URBAN_TARGET,
        RURAL_TARGET,
        "泰政办发〔2026〕1号",
        users[Role.COUNTY],
    )
    assert page.url == f"{live_server.url}/plans/{plan.pk}/"
    assert page.locator("h1").inner_text() == f"泰山区 {year} 年城乡公益性岗位开发计划"
    screenshot("posts-02-plan-saved")

    # --- allocation above the target: refused, nothing saved -----------------------------------
    page.get_by_role("link", name="分配到乡镇（街道）").click()
    page.wait_for_url(f"**/plans/{plan.pk}/allocate/")
    assert page.locator("h1").inner_text() == f"分配 {year} 年度计划"
    assert [
        t.strip()
        for t in page.locator("table.allocation-form tbody td:first-child").all_inner_texts()
    ] == [
        "岱庙街道",
        "省庄镇",
    ]
    page.fill(f"input[name=urban_{township.pk}]", "8")
    page.fill(f"input[name=rural_{township.pk}]", "1")
    page.fill(f"input[name=urban_{other.pk}]", "5")
    page.fill(f"input[name=rural_{other.pk}]", "2")
    page.get_by_role("button", name="保存分配").click()
    page.wait_for_load_state()
    error = page.locator(".error-box").inner_text()
    assert "城镇分配合计 13 个，超过城镇目标 10 个。" in error
    assert "乡村" not in error  # the rural shares (3) fit their target (6)
    assert page.url.endswith(f"/plans/{plan.pk}/allocate/")
    assert page.input_value(f"input[name=urban_{township.pk}]") == "8"  # the form keeps the input
    assert not Allocation.objects.filter(plan=plan).exists()
    screenshot("posts-03-allocation-refused")

    # --- a valid allocation, part of the target -----------------------------------------------
    page.fill(f"input[name=urban_{township.pk}]", "4")
    page.fill(f"input[name=rural_{township.pk}]", "0")
    page.fill(f"input[name=urban_{other.pk}]", "3")
    page.fill(f"input[name=rural_{other.pk}]", "2")
    screenshot("posts-04-allocation-form")
    page.get_by_role("button", name="保存分配").click()
    page.wait_for_url(f"**/plans/{plan.pk}/")
    assert "计划分配已保存。" in page.locator("ul.messages").inner_text()
    assert "尚未分配：城镇 3 个，乡村 4 个。" in page.content()
    assert {
        a.township.code: (a.urban, a.rural)
        for a in Allocation.objects.filter(plan=plan).select_related("township")
    } == {"370902001": (4, 0), "370902100": (3, 2)}
    rows = page.locator("table.plan-table tbody tr")
    assert rows.count() == 2
    screenshot("posts-05-plan-allocated")
    _log_out(page)

    # --- the clerk creates a post: below the minimum wage first --------------------------------
    _log_in(page, live_server, "clerk", password)
    _nav(page, "岗位")
    assert page.url == f"{live_server.url}/posts/"
    screenshot("posts-06-post-list")
    page.get_by_role("link", name="新建岗位").click()
    page.wait_for_url("**/posts/new/")
    assert "2100" in page.locator("main").inner_text()  # the minimum in force is shown
    page.select_option("#id_post_type", label="社会治理 · 网格员")
    page.fill("#id_title", "甲社区网格员")
    page.select_option("#id_area_kind", value=AreaKind.URBAN)
    page.select_option("#id_work_pattern", value=WorkPattern.FULL_TIME)
    assert page.locator("#id_township option:checked").inner_text() == "岱庙街道"
    page.select_option("#id_village", label="甲社区")
    page.select_option("#id_department", label="民政")
    page.fill("#id_duties", "社区网格巡查、信息采集、矛盾排查")
    page.fill("#id_headcount", "2")
    page.fill("#id_monthly_subsidy", "2000")
    page.fill("#id_plan_year", str(year))
    screenshot("posts-07-post-form")
    page.locator("main form").get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/posts/new/")
    refusal = page.locator(".form-row.has-error .field-error").inner_text()
    assert "低于现行最低工资标准" in refusal
    assert "2100" in refusal and "2021-10-01" in refusal
    assert not Post.objects.exists()
    screenshot("posts-08-post-below-minimum")

    # --- a valid subsidy: saved as a draft, then published --------------------------------------
    page.fill("#id_monthly_subsidy", "2200")
    page.locator("main form").get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(re.compile(r"/posts/\d+/$"))
    assert "岗位已保存为草稿。" in page.locator("ul.messages").inner_text()
    post = Post.objects.get()
    assert post.status == PostStatus.DRAFT
    screenshot("posts-09-post-draft")
    page.get_by_role("button", name="发布").click()
    page.wait_for_url(f"**/posts/{post.pk}/")
    assert "招聘中" in page.locator("h1 .status").inner_text()
    post.refresh_from_db()
    assert (
        post.post_type.name,
        post.title,
        post.area_kind,
        post.work_pattern,
        post.township,
        post.village,
        post.region_code,
        post.department,
        post.headcount,
        post.monthly_subsidy,
        post.plan_year,
        post.status,
        post.created_by,
    ) == (
        "网格员",
        "甲社区网格员",
        AreaKind.URBAN,
        WorkPattern.FULL_TIME,
        township,
        area.village,
        "370902001001",
        "civil_affairs",
        2,
        Decimal("2200.00"),
        year,
        PostStatus.OPEN,
        users[Role.CLERK],
    )
    assert post.opened_on == timezone.localdate()
    screenshot("posts-10-post-published")

    # --- the plan page counts the post for 岱庙街道 ----------------------------------------------
    _nav(page, "年度计划")
    page.get_by_role("link", name=str(year), exact=True).click()
    page.wait_for_url(f"**/plans/{plan.pk}/")
    rows = page.locator("table.plan-table tbody tr")
    assert rows.count() == 1  # the clerk sees their own township only
    row = rows.first
    assert row.locator("th").inner_text() == "岱庙街道"
    cells = row.locator("td.num").all_inner_texts()
    # urban: allocated, developed, filled, on post; then rural; then total
    assert cells[:4] == ["4", "2", "0", "0"]
    assert cells[8:12] == ["4", "2", "0", "0"]
    bar = row.locator("progress.progress").first
    assert bar.get_attribute("value") == "50"
    assert bar.bounding_box()["width"] > 0
    assert row.locator("td.bar-cell").first.inner_text() == "50%/0%"
    assert "分配到乡镇（街道）" not in page.content()  # the clerk does not allocate
    screenshot("posts-11-plan-progress")
    _log_out(page)
