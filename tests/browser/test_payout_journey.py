"""A month's payout in a real browser, 1366×768 (docs/policy.md §7, "How gongyi pays" and "How
gongyi pays the bank"): the township clerk makes the month's payout batch from the closed
attendance month, holds a line with the reason, sees the line the bank would refuse, and
submits; the clerk cannot approve it, the county does and issues the payment file (the refused
line stopped), after adding its bank's GBK text template on the form; the finance department
downloads the file (its count and total stated on the last line) and uploads the bank's return
with two failures; the clerk fixes one account and corrects the stopped person's, and both are
paid in a follow-up batch that goes the whole way to the bank's return and is closed."""

import re
from decimal import Decimal

import pytest

from gongyi.enums import Role
from tests.browser.conftest import SCREENSHOTS, log_in
from tests.browser.test_screen_1366 import ONE_LINE, WRAPPED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ["王秀英", "李建国", "张桂兰", "赵德明", "刘玉梅"]
#: An account typed with a letter in it, as the old registry let through.
MALFORMED = "62170011223344O5"
FIXED_ACCOUNT = "6228480012345678"
LIU_ACCOUNT = "6217001000000000099"
#: The widths of the screen the county's offices use.
WIDE, HIGH = 1366, 768


def _closed_month(area, users):
    """甲社区's November 2026 for five people on a 2,100-yuan urban post, every day present,
    scored, submitted and closed by the township; every account on file, 刘玉梅's malformed."""
    from people.models import Person
    from subsidies.attendance.enums import SheetState
    from subsidies.attendance.models import AttendanceSheet
    from subsidies.attendance.planning import month_prepare
    from subsidies.attendance.services import sheet_fill_present, sheet_transition
    from tests.attendance.conftest import AFTER, NOV, score_all
    from tests.factories import MinimumWageFactory, PlacementFactory, PostFactory
    from tests.payout.bank import accounts_on_file

    village, clerk = users[Role.VILLAGE], users[Role.CLERK]
    MinimumWageFactory(county=area.county, monthly=Decimal("1900.00"), hourly=Decimal("19.00"))
    post = PostFactory(
        village=area.village, headcount=len(NAMES), monthly_subsidy=Decimal("2100.00")
    )
    for name in NAMES:
        PlacementFactory(post=post, person__village=area.village, person__name=name)
    month_prepare(month=NOV, region_code=area.township.code)
    sheet = AttendanceSheet.objects.get(region_code=area.village.code, month=NOV)
    sheet_fill_present(actor=village, sheet_id=sheet.pk, today=AFTER)
    score_all(sheet, village)
    sheet_transition(actor=village, sheet_id=sheet.pk, to=SheetState.SUBMITTED)
    sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.CLOSED)
    accounts_on_file(area.township.code)
    Person.objects.filter(name="刘玉梅").update(account_number=MALFORMED)
    return NOV


def _fits(page) -> None:
    """Nothing wider than the screen (no sideways scrolling at 1366 pixels), and no date, ID
    number or amount kept to one line wraps."""
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDE, page.url
    assert page.evaluate(WRAPPED, ONE_LINE) == [], page.url


def _shot(page, name: str) -> None:
    _fits(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"payout-{name}.png"), full_page=True)


def _messages(page) -> str:
    return " ".join(page.locator(".messages").all_inner_texts())


def _row(page, name: str):
    return page.locator("table.payout-lines tbody tr").filter(
        has=page.get_by_text(name, exact=True)
    )


def _log_out(page) -> None:
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_load_state()


def _download(page) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("link", name="下载代发文件").click()
    download = info.value
    return download.suggested_filename, open(download.path(), "rb").read()


#: The county's bank, as its staff types it into the template form: a GBK text file, "|" between
#: the fields, the count and total on the last line after 合计 (tests/payout/bank.py's template).
PAYMENT_COLUMNS = {
    "name": "户名",
    "account_number": "账号",
    "amount": "金额",
    "id_number": "证件号码",
    "item": "摘要",
    "period": "所属期",
}
RETURN_COLUMNS = {
    "name": "户名",
    "account_number": "账号",
    "amount": "金额",
    "id_number": "证件号码",
    "status": "结果",
    "reason": "原因",
}
TEMPLATE = "农商银行文本"


def _bank_template_through_the_form(page) -> None:
    """The county adds its bank's template on the form (started from the shared one)."""
    page.locator("nav.main-nav").get_by_role("link", name="银行代发").click()
    page.get_by_role("link", name="银行模板").click()
    page.get_by_role("link", name="新增银行模板").click()
    page.get_by_label("模板名称").fill(TEMPLATE)
    page.locator("[name=bank_name]").fill("泰安农商银行")
    for field in (*PAYMENT_COLUMNS, "bank", "remark"):  # the shared template's places cleared
        page.locator(f"[name=col_{field}_order]").fill("")
    for place, (field, header) in enumerate(PAYMENT_COLUMNS.items(), start=1):
        page.locator(f"[name=col_{field}_order]").fill(str(place))
        page.locator(f"[name=col_{field}_header]").fill(header)
    page.locator("[name=file_format]").select_option(label="分隔符文本")
    page.locator("[name=encoding]").select_option(label="GBK")
    page.locator("[name=delimiter]").fill("|")
    page.locator("[name=header_row]").check()
    page.locator("[name=amount_format]").select_option(value="yuan")
    page.locator("[name=period_format]").fill("%Y年%m月")
    page.locator("[name=control]").select_option(value="last_line")
    page.locator("[name=control_prefix]").fill("合计")
    for field in ("name", "id_number", "account_number", "amount", "status", "reason"):
        page.locator(f"[name=ret_{field}_position]").fill("")
        page.locator(f"[name=ret_{field}_header]").fill(RETURN_COLUMNS[field])
    page.locator("[name=return_format]").select_option(label="分隔符文本")
    page.locator("[name=return_encoding]").select_option(label="GBK")
    page.locator("[name=return_delimiter]").fill("|")
    page.locator("[name=return_header_row]").check()
    page.locator("[name=return_amount_format]").select_option(value="yuan")
    page.locator("[name=paid_words]").fill("成功")
    page.locator("[name=failed_words]").fill("失败")
    _shot(page, "03b-bank-template")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    assert TEMPLATE in _messages(page), page.content()[:3000]


def _control(text: str) -> tuple[list[list[str]], int, str]:
    """The payment file's lines, and the count and total its last line states."""
    rows = [line.split("|") for line in text.splitlines() if line]
    header, *lines, control = rows
    assert header == ["户名", "账号", "金额", "证件号码", "摘要", "所属期"]
    assert control[0] == "合计"
    return lines, int(control[1]), control[2]


def test_clerk_prepares_county_approves_bank_pays_and_a_failure_is_paid_again(
    live_server, users, area, password, browser
):
    from people.models import Person
    from subsidies.payout.enums import BatchState, FixState, LineStatus
    from subsidies.payout.models import AccountFix, PayoutBatch, PayoutLine
    from tests.payout.bank import return_text

    month = _closed_month(area, users)
    context = browser.new_context(
        viewport={"width": WIDE, "height": HIGH}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "submit to the county?" and the like
    url = live_server.url

    # --- the township makes the month's payout batch ------------------------------------------
    log_in(page, live_server, "clerk", password)
    page.locator("nav.main-nav").get_by_role("link", name="补贴发放").click()
    page.wait_for_url(f"{url}/payout/")
    make = page.locator("form").filter(has=page.get_by_role("button", name="生成发放明细"))
    make.get_by_label("月份").fill(f"{month:%Y-%m}")
    make.get_by_label("岗位").select_option(label="城镇公益岗")
    make.get_by_role("button", name="生成发放明细").click()
    page.wait_for_url(re.compile(r"/payout/\d+/$"))
    batch = PayoutBatch.objects.get(region_code=area.township.code, month=month, sequence=0)
    assert page.url == f"{url}/payout/{batch.pk}/"
    assert PayoutLine.objects.filter(batch=batch).count() == len(NAMES)
    for name in NAMES:
        assert _row(page, name).count() == 1, name
    _shot(page, "01-generated")

    # A cross-check finding is open on 赵德明: his month is held with the reason.
    held = _row(page, "赵德明")
    held.get_by_placeholder("暂停原因").fill("交叉比对疑点待核实")
    held.get_by_role("button", name="暂停发放").click()
    page.wait_for_load_state()
    assert "该明细已暂停发放" in _messages(page)
    assert "交叉比对疑点待核实" in _row(page, "赵德明").inner_text()
    assert PayoutLine.objects.get(batch=batch, person_name="赵德明").status == LineStatus.HELD
    # 刘玉梅's account has a letter in it: the page says the bank file will stop her line.
    assert "卡号或账号" in _row(page, "刘玉梅").inner_text()
    _shot(page, "02-held-and-stopped")

    page.get_by_role("button", name="提交区县审批").click()
    page.wait_for_load_state()
    assert "发放批次已报送" in _messages(page)
    batch.refresh_from_db()
    assert batch.state == BatchState.SUBMITTED

    # The preparer cannot approve: no button, and the move forced through the page is refused.
    assert page.get_by_role("button", name="审批通过").count() == 0
    with page.expect_navigation():
        page.evaluate(
            """() => {
          const form = document.createElement("form");
          form.method = "post";
          for (const [name, value] of [["action", "approve"],
              ["csrfmiddlewaretoken", document.querySelector("[name=csrfmiddlewaretoken]").value]]) {
            const input = document.createElement("input");
            input.type = "hidden"; input.name = name; input.value = value;
            form.appendChild(input);
          }
          document.body.appendChild(form);
          form.submit();
        }"""
        )
    page.wait_for_load_state()
    assert "您的角色不能将此发放批次审核通过" in _messages(page)
    batch.refresh_from_db()
    assert (batch.state, batch.approved_by_id) == (BatchState.SUBMITTED, None)
    _log_out(page)

    # --- the county approves and issues the payment file ------------------------------------
    log_in(page, live_server, "county", password)
    page.locator("nav.main-nav").get_by_role("link", name="补贴发放").click()
    page.get_by_role("link", name="查看").first.click()
    page.wait_for_url(f"{url}/payout/{batch.pk}/")
    page.get_by_role("button", name="审批通过").click()
    page.wait_for_load_state()
    assert "发放批次已审核通过" in _messages(page)
    batch.refresh_from_db()
    assert batch.state == BatchState.APPROVED
    assert batch.approved_by_id == users[Role.COUNTY].pk != batch.created_by_id
    _shot(page, "03-approved")
    _bank_template_through_the_form(page)

    page.locator("nav.main-nav").get_by_role("link", name="补贴发放").click()
    page.get_by_role("link", name="查看").first.click()
    page.get_by_role("link", name="代发文件与银行回盘").click()
    page.wait_for_url(f"{url}/payout/bank/batches/{batch.pk}/")
    page.locator("select[name=template]").select_option(label="农商银行文本 (泰安农商银行)")
    page.get_by_role("button", name="出具代发文件").click()
    page.wait_for_load_state()
    batch.refresh_from_db()
    assert batch.state == BatchState.FILE_ISSUED
    stopped = PayoutLine.objects.get(batch=batch, person_name="刘玉梅")
    assert stopped.status == LineStatus.HELD and "出具代发文件前拦截" in stopped.held_reason
    paying = list(PayoutLine.objects.filter(batch=batch, status=LineStatus.PENDING).order_by("id"))
    total = sum(line.amount_fen for line in paying)
    assert len(paying) == 3 and total == 3 * 210000
    assert "3 笔" in page.content()
    _shot(page, "04-file-issued")
    _log_out(page)

    # --- the finance department downloads the file and uploads the bank's return --------------
    log_in(page, live_server, "finance", password)
    page.locator("nav.main-nav").get_by_role("link", name="银行代发").click()
    page.get_by_role("link", name=re.compile("岱庙街道")).first.click()
    page.wait_for_url(f"{url}/payout/bank/batches/{batch.pk}/")
    name, body = _download(page)
    assert name.endswith(".txt")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")  # the bank wants GBK
    lines, count, stated_total = _control(body.decode("gbk"))
    assert (count, stated_total) == (3, "6300.00")
    assert sorted(line[0] for line in lines) == sorted(["王秀英", "李建国", "张桂兰"])
    assert {line[4] for line in lines} == {"公益性岗位补贴"}
    assert {line[5] for line in lines} == {"2026年11月"}
    assert sum(Decimal(line[2]) for line in lines) == Decimal(stated_total)

    li, zhang = (
        next(line for line in paying if line.person_name == n) for n in ("李建国", "张桂兰")
    )
    returned = return_text(paying, {li.pk: "账户不存在", zhang.pk: "户名不符"})
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": "回盘.txt", "mimeType": "text/plain", "buffer": returned}
    )
    page.get_by_role("button", name="导入回盘").click()
    page.wait_for_load_state()
    assert "成功 1 笔，失败 2 笔" in page.content()
    batch.refresh_from_db()
    assert batch.state == BatchState.RETURNED
    assert AccountFix.objects.filter(state=FixState.OPEN).count() == 2
    _shot(page, "05-returned")
    _log_out(page)

    # --- the township fixes 李建国's account: a follow-up batch pays him again -----------------
    log_in(page, live_server, "clerk", password)
    page.locator("nav.main-nav").get_by_role("link", name="账户修正").click()
    page.wait_for_url(re.compile(r"/payout/bank/fixes/"))
    assert page.locator("table.grid tbody tr").count() == 2
    _shot(page, "06-fixes")
    row = page.locator("table.grid tbody tr").filter(has_text="李建国")
    row.get_by_placeholder("卡号或账号").fill(FIXED_ACCOUNT)
    row.get_by_placeholder("开户银行").fill("中国农业银行")
    row.get_by_role("button", name="修正并补发").click()
    page.wait_for_load_state()
    fix = AccountFix.objects.get(line=li)
    assert fix.state == FixState.FIXED
    follow_up = fix.follow_up.batch
    assert (follow_up.sequence, follow_up.follows_batch_id) == (1, batch.pk)
    assert "补发" in _messages(page)

    page.get_by_role("link", name="已修正").click()
    page.get_by_role("link", name=re.compile("补发")).first.click()
    page.wait_for_url(f"{url}/payout/{follow_up.pk}/")
    assert _row(page, "李建国").count() == 1

    # 刘玉梅's line was stopped: her account is corrected on her person file, and her held line
    # released into the follow-up batch, which pays it into the account as it is now.
    liu = Person.objects.get(name="刘玉梅")
    page.goto(f"{url}/people/{liu.pk}/")
    page.get_by_role("link", name="修改").click()
    page.locator("[name=account_number]").fill(LIU_ACCOUNT)
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(f"{url}/people/{liu.pk}/")
    assert Person.objects.get(pk=liu.pk).account_number == LIU_ACCOUNT
    page.goto(f"{url}/payout/{batch.pk}/")
    held = _row(page, "刘玉梅")
    held.locator("select[name=batch]").select_option(label="2026-11 补发第1批")
    held.get_by_role("button", name="恢复发放").click()
    page.wait_for_url(f"{url}/payout/{follow_up.pk}/")
    assert "该明细已恢复发放" in _messages(page), _messages(page)
    assert "补发暂停的明细" in _row(page, "刘玉梅").inner_text()
    assert "补发银行发放失败的明细" in _row(page, "李建国").inner_text()
    _shot(page, "07-follow-up")
    page.get_by_role("button", name="提交区县审批").click()
    page.wait_for_load_state()
    assert "发放批次已报送" in _messages(page)
    _log_out(page)

    log_in(page, live_server, "county", password)
    page.goto(f"{url}/payout/{follow_up.pk}/")
    page.get_by_role("button", name="审批通过").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="代发文件").first.click()
    page.locator("select[name=template]").select_option(label="农商银行文本 (泰安农商银行)")
    page.get_by_role("button", name="出具代发文件").click()
    page.wait_for_load_state()
    name, body = _download(page)
    lines, count, stated_total = _control(body.decode("gbk"))
    assert (count, stated_total) == (2, "4200.00")
    assert sorted(line[:2] for line in lines) == [
        ["刘玉梅", LIU_ACCOUNT],
        ["李建国", FIXED_ACCOUNT],
    ]
    again = list(PayoutLine.objects.filter(batch=follow_up).order_by("id"))
    assert [line.follows_id for line in again] == [li.pk, stopped.pk]
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": "回盘2.txt", "mimeType": "text/plain", "buffer": return_text(again)}
    )
    page.get_by_role("button", name="导入回盘").click()
    page.wait_for_load_state()
    assert "成功 2 笔，失败 0 笔" in page.content()
    _shot(page, "08-follow-up-paid")
    page.get_by_role("link", name="本批次发放明细").click()
    page.wait_for_url(f"{url}/payout/{follow_up.pk}/")
    page.get_by_role("button", name="办结发放批次").click()
    page.wait_for_load_state()
    assert "发放批次已办结" in _messages(page)
    page.get_by_role("link", name="发放批次").first.click()
    page.wait_for_url(f"{url}/payout/")
    assert "补发第1批" in page.locator("table.grid").inner_text()
    _shot(page, "09-list")
    context.close()

    follow_up.refresh_from_db()
    assert follow_up.state == BatchState.CLOSED
    assert {line.status for line in PayoutLine.objects.filter(batch=follow_up)} == {LineStatus.PAID}
    assert PayoutLine.objects.get(pk=stopped.pk).status == LineStatus.RELEASED
    assert PayoutLine.objects.get(pk=li.pk).status == LineStatus.FAILED  # never resent
