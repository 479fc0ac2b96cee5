"""The township clerk sees on the home page that a subsidy period ends soon, opens the warnings,
prints the person's advance notice and records it as given (docs/policy.md §8, "Warnings")."""

import datetime as dt

import pytest
from django.utils import timezone

from audits.models import ExpiryWarning
from audits.warnings.services import warnings_refresh
from tests.browser.conftest import log_in
from tests.factories import PersonFactory, PlacementFactory, PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_prints_the_advance_notice_and_records_it(
    live_server, users, area, password, page, screenshot
):
    today = timezone.localdate()
    post = PostFactory(village=area.village, headcount=1, title="道路保洁员")
    person = PersonFactory(village=area.village, name="张秀兰", retirement_date=dt.date(2040, 1, 1))
    PlacementFactory(post=post, person=person, subsidy_end=today + dt.timedelta(days=20))
    warnings_refresh(county_code=area.county.code)

    log_in(page, live_server, "clerk", password)
    panel = page.locator(".home-panel").filter(has_text="预警")
    assert "补贴期满" in panel.inner_text()
    panel.get_by_role("link", name="补贴期满").click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text="张秀兰")
    assert "还有20天" in row.inner_text()
    screenshot("warnings-01-list")

    row.get_by_role("link", name="打印通知书").click()
    page.wait_for_url("**/notice/")
    text = page.locator("article.sheet").inner_text()
    assert "提前通知书" in text and "张秀兰" in text and "道路保洁员" in text
    assert person.id_number not in text  # masked as on notices
    screenshot("warnings-02-notice")

    page.go_back()
    page.locator("tr", has_text="张秀兰").get_by_role("button", name="登记已送达").click()
    page.wait_for_load_state()
    assert "已登记" in page.locator("ul.messages").inner_text()
    warning = ExpiryWarning.objects.get(person=person)
    assert warning.notified_on == today
    screenshot("warnings-03-given")
