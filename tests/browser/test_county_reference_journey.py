"""The county's reference data in the browser (docs/policy.md §11): the
county adds a minimum wage row (stopped first when zero), a standard post name, and a setting
(refused first above its maximum); the clerk sees them but has no forms."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_county_keeps_minimum_wage_standard_names_and_settings(
    live_server, users, area, password, page, screenshot
):
    from gongyi.models import PolicySetting
    from posts.models import MinimumWage, PostType

    _log_in(page, live_server, "county", password)
    page.goto(f"{live_server.url}/posts/standards/")
    assert "本区县尚未录入最低工资标准" in page.content()
    wage_form = page.locator("form").filter(has=page.locator("input[name=which][value=wage]"))
    wage_form.locator("#id_monthly").fill("0")
    wage_form.locator("#id_hourly").fill("21")
    wage_form.locator("#id_effective_from").fill("2021-10-01")
    wage_form.get_by_role("button", name="添加").click()
    # The form's own check stops a zero minimum before it is sent (the server refuses it too).
    assert wage_form.locator("#id_monthly").evaluate("e => e.validity.rangeUnderflow") is True
    assert MinimumWage.objects.count() == 0
    wage_form = page.locator("form").filter(has=page.locator("input[name=which][value=wage]"))
    wage_form.locator("#id_monthly").fill("2100")
    wage_form.locator("#id_hourly").fill("21")
    wage_form.locator("#id_effective_from").fill("2021-10-01")
    wage_form.get_by_role("button", name="添加").click()
    page.wait_for_selector(".message.success")
    assert "今日现行：每月 2100.00 元，每小时 21.00 元" in page.content()
    screenshot("reference-01-minimum-wage")

    page.goto(f"{live_server.url}/posts/types/")
    page.select_option("select[name=category]", "public_service")
    page.fill("input[name=name]", "泰山护山员")
    page.get_by_role("button", name="添加").click()
    page.wait_for_selector(".message.success")
    assert "泰山护山员" in page.locator("main").inner_text()
    screenshot("reference-02-post-type")

    page.locator("nav.main-nav").get_by_role("link", name="设置", exact=True).click()
    page.select_option("select[name=key]", "posts.vacant_days")
    page.fill("input[name=value]", "99999")
    page.get_by_role("button", name="保存").click()
    assert "取值最大为 3650。" in page.locator(".error-box").inner_text()
    page.fill("input[name=value]", "120")
    page.fill("input[name=effective_from]", "2021-01-01")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector(".message.success")
    screenshot("reference-03-settings")
    assert list(PolicySetting.objects.values_list("key", "value")) == [("posts.vacant_days", 120)]
    assert PostType.objects.filter(name="泰山护山员", county=area.county).exists()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/login/")

    _log_in(page, live_server, "clerk", password)
    page.goto(f"{live_server.url}/posts/standards/")
    assert ("2100.00" in page.content(), page.locator("input[name=which]").count()) == (True, 0)
    page.goto(f"{live_server.url}/posts/types/")
    assert ("泰山护山员" in page.content(), page.locator("input[name=name]").count()) == (True, 0)
    screenshot("reference-04-clerk-reads")
