"""The county opens the payout reports from the navigation: the charts draw (a canvas, the
vendored ECharts, no script refused by the Content-Security-Policy, no console error)."""

import pytest

from tests.browser.conftest import log_in
from tests.payout.reports import build_payouts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_report_charts_render(live_server, users, area, password, page, screenshot):
    build_payouts(area)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, "county", password)
    page.click("nav.main-nav >> text=发放统计")
    page.goto(f"{live_server.url}/payout/reports/month/?month=2026-11")
    page.wait_for_selector("#payout-chart canvas")
    assert "2026年11月发放公益性岗位补贴0.58万元" in page.input_value("#bulletin-sentence")
    screenshot("payout-report-month")
    page.click("text=本年累计")
    page.wait_for_selector("#payout-chart canvas")
    assert "截至2026年11月底" in page.input_value("#bulletin-sentence")
    screenshot("payout-report-year")
    assert errors == []
