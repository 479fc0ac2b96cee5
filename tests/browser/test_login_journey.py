"""A township clerk logs in, finds the Chinese navigation, is refused a sibling
township's page, and logs out."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_login_navigation_sibling_refused_logout(
    live_server, users, area, password, page, screenshot
):
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.fill("#id_username", "clerk")
    page.fill("#id_password", password)
    screenshot("01-login")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    nav = page.locator("nav.main-nav").inner_text()
    assert ("首页" in nav, "行政区划" in nav, "操作记录" in nav) == (True, True, False)
    assert "岱庙街道" in page.locator("h1").inner_text()
    screenshot("02-clerk-home")

    page.click("text=行政区划")
    assert "甲社区" in page.content()
    response = page.goto(f"{live_server.url}/regions/{area.other_township.code}/")
    assert response.status == 404
    assert "不在您的管辖范围内" in page.content()
    screenshot("03-sibling-refused")

    page.click("text=退出登录")
    page.wait_for_url("**/login/")
    assert page.locator("h1").inner_text() == "登录"
    screenshot("04-logged-out")
