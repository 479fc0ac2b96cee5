"""The Content-Security-Policy holds in a real browser: the pages of the county user and the
API's docs load without one refused script or style, and the docs page draws Swagger UI."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_and_api_docs_break_no_policy(live_server, users, area, password, page):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "county")
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    for path in ("/", "/posts/", "/people/", "/audit/", "/settings/"):
        assert page.goto(f"{live_server.url}{path}").status == 200, path
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert refused == []
