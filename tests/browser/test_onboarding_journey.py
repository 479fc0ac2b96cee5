"""In the browser: the whole way from announcement to start, each step by the
role that takes it. The clerk opens a round, enters an application and passes the initial
review; the village records its democratic review; the five departments give their opinions and
the county completes the re-review; the clerk ranks and publicises; the village prints the list
(the PDF is read for the name and the masked ID number); an objection is raised and resolved;
the county approves; the clerk records the agreement, prints it, records the training and starts
the person on the post. A screenshot at each step."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from gongyi.enums import Department, Role
from people.onboarding.enums import ApplicationState as S
from people.onboarding.models import Application, Publicity
from tests.factories import PersonFactory, PostFactory, UserFactory, add_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, username, password):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _state(app_id):
    return Application.objects.get(pk=app_id).state


def test_the_whole_onboarding_journey(live_server, users, area, password, page, screenshot):
    from pypdf import PdfReader

    clerk = users[Role.CLERK]
    post = PostFactory(
        village=area.village, area_kind="rural", title="甲社区保洁员", headcount=1, created_by=clerk
    )
    person = PersonFactory(
        name="王秀英", village=area.village, created_by=clerk, born=dt.date(1968, 4, 2)
    )
    add_group(person, "rural_older")
    for dept in Department:
        if dept != Department.CIVIL_AFFAIRS:
            UserFactory(
                username=f"rev_{dept}", role=Role.REVIEWER, region=area.county, department=dept
            )
    UserFactory(username="county2", role=Role.COUNTY, region=area.county)
    today = timezone.localdate()

    # Step 1: the clerk opens and publishes a round.
    _log_in(page, live_server, "clerk", password)
    page.locator("nav.main-nav").get_by_role("link", name="招聘上岗").click()
    page.get_by_role("link", name="新建招聘公告").click()
    page.fill("#id_title", "2026年第四批乡村公益性岗位招聘")
    page.fill("#id_who_may_apply", "农村大龄人员")
    page.fill("#id_opens_on", today.isoformat())
    page.fill("#id_closes_on", (today + dt.timedelta(days=7)).isoformat())
    page.fill("#id_apply_at", "岱庙街道便民服务中心")
    page.fill(f"#id_places_{post.pk}", "1")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="发布公告").click()
    page.wait_for_selector(".message.success")
    screenshot("onboarding-01-round-published")

    # Step 2: the application and the initial review.
    page.get_by_role("link", name="录入报名").first.click()
    page.select_option("#id_post", str(post.pk))
    page.fill("#id_id_number", person.id_number)
    page.get_by_role("button", name="录入报名").click()
    page.wait_for_selector("ol.steps")
    app_id = Application.objects.get(person=person).pk
    screenshot("onboarding-02-applied")
    page.get_by_role("button", name="初审通过").click()
    page.wait_for_selector(".message.success")
    assert _state(app_id) == S.INITIAL_PASSED

    # Step 3: the village's democratic review.
    _log_in(page, live_server, "village", password)
    page.locator("nav.main-nav").get_by_role("link", name="评议公示").click()
    page.fill("#id_attendance", "31")
    page.fill("#id_place", "甲社区议事厅")
    page.fill("#id_minutes", "居民代表会议，对报名人员逐一评议。")
    page.select_option(f"#id_result_{app_id}", "pass")
    page.fill(f"#id_votes_{app_id}", "29")
    screenshot("onboarding-03-democratic-review")
    page.get_by_role("button", name="记录民主评议").click()
    page.wait_for_selector(".message.success")
    assert _state(app_id) == S.REVIEWED

    # Step 4: the departments' opinions and the county's re-review.
    for username in ["reviewer"] + [f"rev_{d}" for d in Department if d != "civil_affairs"]:
        _log_in(page, live_server, username, password)
        page.goto(f"{live_server.url}/onboarding/opinions/")
        page.check(f"input[name=applications][value='{app_id}']")
        page.get_by_role("button", name="同意", exact=True).click()
        page.wait_for_selector(".message.success")
    screenshot("onboarding-04-opinions")
    _log_in(page, live_server, "county", password)
    page.locator("nav.main-nav").get_by_role("link", name="审核审批").click()
    page.check(f"input[name=applications][value='{app_id}']")
    page.get_by_role("button", name="复审通过").click()
    page.wait_for_selector(".message.success")
    assert _state(app_id) == S.REREVIEW_PASSED
    screenshot("onboarding-05-rereview")

    # The clerk ranks and publicises.
    _log_in(page, live_server, "clerk", password)
    page.goto(f"{live_server.url}/onboarding/rounds/")
    page.get_by_role("link", name="2026年第四批乡村公益性岗位招聘").click()
    page.get_by_role("button", name="排序并公示").click()
    page.wait_for_selector(".message.success")
    assert _state(app_id) == S.PUBLICITY
    screenshot("onboarding-06-publicised")
    # A board column opens as the state's whole list, paged, with the numbers masked.
    round_url = page.url
    page.locator(".board-column h3 a[href$='?state=publicity']").click()
    page.wait_for_selector("table.grid")
    assert "王秀英" in page.locator("table.grid").inner_text()
    assert person.id_number not in page.content()
    screenshot("onboarding-06b-state-list")
    page.goto(round_url)

    # The village prints the list; the PDF has the name and the masked number only.
    _log_in(page, live_server, "village", password)
    page.goto(f"{live_server.url}/onboarding/village/")
    screenshot("onboarding-07-village-publicity")
    page.get_by_role("link", name="打印名单").first.click()
    screenshot("onboarding-07b-publicity-list")
    page.go_back()
    pdf_url = page.get_by_role("link", name="PDF").first.get_attribute("href")
    response = page.request.get(f"{live_server.url}{pdf_url}")
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert "王秀英" in compact
    assert person.id_number[:6] + "********" + person.id_number[-4:] in compact
    assert person.id_number not in compact

    # An objection is received by the village and resolved by the township.
    page.locator("details.objection-form summary").first.click()
    form = page.locator("details.objection-form form").first
    form.locator("textarea").fill("反映其家庭有经营性收入")
    form.get_by_role("button", name="登记异议").click()
    page.wait_for_selector(".message.success")
    _log_in(page, live_server, "clerk", password)
    page.goto(f"{live_server.url}/onboarding/applications/{app_id}/")
    page.fill("input[name=finding]", "经入户核查，反映情况不属实")
    page.get_by_role("button", name="登记调查结果").click()
    page.wait_for_selector(".message.success")
    screenshot("onboarding-08-objection-resolved")

    # The publicity period runs its five working days (the test cannot wait for them).
    Publicity.objects.update(
        starts_on=today - dt.timedelta(days=10), ends_on=today - dt.timedelta(days=1)
    )

    # Step 5: the county approves (not the clerk who entered the application).
    _log_in(page, live_server, "county", password)
    page.goto(f"{live_server.url}/onboarding/queue/?state=publicity")
    page.check(f"input[name=applications][value='{app_id}']")
    page.get_by_role("button", name="审批通过").click()
    page.wait_for_selector(".message.success")
    assert _state(app_id) == S.APPROVED
    screenshot("onboarding-09-approved")

    # Steps 6–8: agreement, training, start.
    _log_in(page, live_server, "clerk", password)
    page.goto(f"{live_server.url}/onboarding/applications/{app_id}/")
    page.get_by_role("button", name="登记协议签订").click()
    page.wait_for_selector(".message.success")
    assert _state(app_id) == S.AGREED
    page.get_by_role("link", name="打印协议").click()
    assert "劳务协议" in page.content()
    screenshot("onboarding-10-agreement")
    page.goto(f"{live_server.url}/onboarding/training/new/")
    page.fill("#id_topic", "岗位职责与安全生产")
    page.fill("#id_place", "街道会议室")
    page.fill("#id_hours", "4")
    page.check(f"input[name=present][value='{app_id}']")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert _state(app_id) == S.TRAINED
    screenshot("onboarding-11-training-signin")
    page.goto(f"{live_server.url}/onboarding/applications/{app_id}/")
    page.get_by_role("button", name="安排上岗").click()
    page.wait_for_selector(".message.success")
    assert _state(app_id) == S.STARTED
    post.refresh_from_db()
    assert post.occupied == 1
    screenshot("onboarding-12-started")
