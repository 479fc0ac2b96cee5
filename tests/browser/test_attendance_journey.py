"""A village's month of attendance in a real browser: the village marks a day on a phone
(390×844), fills last month on a desktop (all present, then exceptions typed into the grid) and
submits it; the township closes it; the village prints the notice, whose PDF names the people and
shows no full ID number (docs/policy.md §7, §9)."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from gongyi.enums import Role
from tests.browser.conftest import SCREENSHOTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _last_weekday_this_month(today: dt.date) -> dt.date | None:
    day = today
    while day.month == today.month:
        if day.isoweekday() <= 5:
            return day
        day -= dt.timedelta(days=1)
    return None


def test_village_records_submits_township_closes_village_prints(
    live_server, users, area, password, browser, page, screenshot
):
    from subsidies.attendance.enums import PRESENT, SheetState
    from subsidies.attendance.models import AttendanceMonth, AttendanceSheet
    from subsidies.attendance.planning import month_prepare
    from tests.factories import PlacementFactory, PostFactory

    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    start = (last_month - dt.timedelta(days=40)).replace(day=1)
    post = PostFactory(village=area.village, headcount=3, opened_on=start - dt.timedelta(days=30))
    hourly_post = PostFactory(
        village=area.village,
        work_pattern="hourly",
        monthly_subsidy=None,
        hourly_rate=Decimal(21),
        hours_per_week=Decimal(10),
        opened_on=start - dt.timedelta(days=30),
    )
    people = [
        PlacementFactory(post=post, start_date=start, person__name="王秀英"),
        PlacementFactory(post=post, start_date=start, person__name="李建国"),
        PlacementFactory(post=hourly_post, start_date=start, person__name="张桂兰"),
    ]
    for month in (last_month, this_month):
        month_prepare(month=month, region_code=area.village.code)
    sheet = AttendanceSheet.objects.get(region_code=area.village.code, month=last_month)
    current = AttendanceSheet.objects.get(region_code=area.village.code, month=this_month)

    # --- the village marks a day on a phone ---------------------------------------------------
    day = _last_weekday_this_month(today)
    if day is not None:
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        mobile = phone.new_page()
        log_in(mobile, live_server, "village", password)
        mobile.goto(f"{live_server.url}/attendance/sheets/{current.pk}/day/?day={day}")
        assert mobile.locator("h1").inner_text().endswith("考勤")
        mobile.get_by_label("李建国").select_option(label="病假")
        SCREENSHOTS.mkdir(exist_ok=True)
        mobile.screenshot(path=str(SCREENSHOTS / "attendance-01-phone.png"), full_page=True)
        mobile.get_by_role("button", name="保存当天考勤").click()
        mobile.wait_for_load_state()
        assert "1 人未出勤" in mobile.content()
        phone.close()
        index = (day - this_month).days
        marks = {
            r.placement_id: r.marks[index] for r in AttendanceMonth.objects.filter(sheet=current)
        }
        assert marks[people[0].pk] == PRESENT and marks[people[1].pk] > 0

    # --- last month on a desktop: all present, then exceptions --------------------------------
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, live_server, "village", password)
    page.locator("nav.main-nav").get_by_role("link", name="考勤", exact=True).click()
    page.goto(f"{live_server.url}/attendance/?month={last_month:%Y-%m}")
    page.get_by_role("link", name="查看").first.click()
    page.wait_for_url(re.compile(rf"/attendance/sheets/{sheet.pk}/$"))
    rows = {r.placement_id: r for r in AttendanceMonth.objects.filter(sheet=sheet)}
    working = [i for i, h in enumerate(rows[people[0].pk].planned) if h > 0]
    first_working, second_working = working[0], working[1]
    wang, zhang, li = rows[people[0].pk], rows[people[2].pk], rows[people[1].pk]

    # --- a day of sick leave for 李建国, recorded and approved by the village -------------------
    leave_day = last_month + dt.timedelta(days=second_working)
    page.get_by_role("link", name="本月请销假").click()
    page.get_by_role("link", name="登记请假").click()
    page.locator("#id_placement").select_option(value=str(people[1].pk))
    page.locator("#id_kind").select_option(label="病假")
    page.locator("#id_starts_on").fill(leave_day.isoformat())
    page.locator("#id_ends_on").fill(leave_day.isoformat())
    page.locator("#id_reason").fill("感冒发烧")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/attendance/leave/?month={last_month:%Y-%m}")
    page.get_by_role("button", name="审批通过").click()
    page.wait_for_load_state()
    li.refresh_from_db()
    assert li.marks[second_working] > 0  # written into the grid

    page.goto(f"{live_server.url}/attendance/sheets/{sheet.pk}/")
    page.get_by_role("button", name="截至今天全勤").click()
    page.wait_for_load_state()
    cell = page.locator(f'input[name="c-{wang.pk}-{first_working}"]')
    cell.fill("s")  # 事假, by its shortcut
    cell.press("ArrowDown")
    page.locator(f'input[name="c-{zhang.pk}-{first_working}"]').fill("3")
    screenshot("attendance-02-grid")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    assert "已保存" in page.content()

    # --- the month's assessment: a deduction with its reason, the others at full marks ---------
    page.get_by_role("link", name="月度考核").click()
    page.wait_for_url(re.compile(r"/assessment/$"))
    late = 1 + [h.strip() for h in page.locator("th.item").all_inner_texts()].index(
        next(h for h in page.locator("th.item").all_inner_texts() if h.startswith("迟到早退"))
    )
    page.get_by_label(f"李建国 {late}", exact=True).fill("2")
    page.get_by_label("李建国 说明（扣分原因）", exact=True).fill("本月迟到两次")
    screenshot("attendance-03-assessment")
    page.get_by_role("button", name="保存评分").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="返回考勤表").click()
    page.get_by_role("button", name="提交乡镇（街道）审核").click()
    page.wait_for_load_state()
    assert AttendanceSheet.objects.get(pk=sheet.pk).state == SheetState.SUBMITTED
    page.get_by_role("button", name="退出登录").click()

    # --- the township closes it ---------------------------------------------------------------
    log_in(page, live_server, "clerk", password)
    page.goto(f"{live_server.url}/attendance/sheets/{sheet.pk}/")
    page.get_by_role("button", name="审核并结账").click()
    page.wait_for_load_state()
    assert AttendanceSheet.objects.get(pk=sheet.pk).state == SheetState.CLOSED
    screenshot("attendance-04-closed")
    wang.refresh_from_db()
    assert wang.unpaid_leave_days == 1 and wang.present_days == wang.required_days - 1
    li.refresh_from_db()
    assert li.paid_leave_days == 1
    page.get_by_role("button", name="退出登录").click()

    # --- the village prints the notice --------------------------------------------------------
    log_in(page, live_server, "village", password)
    page.goto(f"{live_server.url}/attendance/sheets/{sheet.pk}/")
    page.get_by_role("link", name="公示栏公示").click()
    page.wait_for_url(re.compile(r"/notice/$"))
    screenshot("attendance-05-notice")
    pdf_url = page.get_by_role("link", name="下载PDF").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{pdf_url}").body()
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    # 李建国's score and grade are on the notice (PDF text breaks table cells into characters).
    assert "98" in re.sub(r"\s", "", text) and "优秀" in re.sub(r"\s", "", text)
    for placement in people:
        assert placement.person.name in text
        assert placement.person.id_number not in text
        assert placement.person.id_number[:6] in text
    assert users[Role.VILLAGE].username == "village"
