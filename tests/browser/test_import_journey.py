"""In the browser: a clerk downloads the import template, fills it (one row
bad), uploads it, reads the bad cells in Chinese, imports the good rows and finds them in the
catalogue; the county opens the reviews and exports one to Excel."""

import datetime as dt
import io

import openpyxl
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _row(title, **changes):
    row = {
        "岗位标准名称": "网格员",
        "岗位名称": title,
        "城镇/乡村": "城镇",
        "用工形式": "全日制",
        "乡镇（街道）": "岱庙街道",
        "村（社区）": "甲社区",
        "行业主管部门": "民政",
        "岗位职责": "网格巡查",
        "岗位人数": 2,
        "月补贴标准（元）": 2100,
        "计划年度": 2026,
    }
    return row | changes


def test_clerk_imports_good_rows_county_reviews(
    live_server, users, area, password, page, screenshot, tmp_path
):
    from posts.models import MinimumWage, Post

    MinimumWage.objects.create(
        county=area.county, monthly=2100, hourly=21, effective_from=dt.date(2021, 10, 1)
    )
    _log_in(page, live_server, "clerk", password)
    page.goto(f"{live_server.url}/posts/")
    page.get_by_role("link", name="从 Excel 导入").click()
    page.wait_for_url("**/posts/import/")
    screenshot("import-01-page")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载导入模板").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert workbook.sheetnames == ["岗位", "填写说明", "岗位标准名称"]
    rows = [_row("甲社区网格员一"), _row("甲社区网格员二", **{"月补贴标准（元）": 1500})]
    rows.append(_row("甲社区网格员三", **{"岗位人数": "两人"}))
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    filled = tmp_path / "岗位.xlsx"
    workbook.save(filled)

    page.set_input_files("input[type=file]", str(filled))
    page.get_by_role("button", name="检查文件").click()
    page.wait_for_selector("table.errors-table")
    errors = page.locator("table.errors-table tbody tr").all_inner_texts()
    assert [e.split("\t")[:2] for e in errors] == [["3", "月补贴标准（元）"], ["4", "岗位人数"]]
    assert "低于现行最低工资标准" in errors[0]
    assert Post.objects.count() == 0  # checked, nothing written
    screenshot("import-02-checked")

    page.get_by_role("button", name="导入 1 行正确数据").click()
    page.wait_for_selector(".message.success")
    assert "已按检查结果导入 1 个岗位" in page.locator(".message.success").inner_text()
    assert list(Post.objects.values_list("title", flat=True)) == ["甲社区网格员一"]
    screenshot("import-03-imported")
    page.get_by_role("link", name="查看岗位目录").click()
    assert "甲社区网格员一" in page.locator("table.grid").inner_text()
    screenshot("import-04-catalogue")
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/login/")

    _log_in(page, live_server, "county", password)
    page.locator("nav.main-nav").get_by_role("link", name="岗位梳理", exact=True).click()
    assert page.locator("h1").inner_text() == "同名岗位待遇差异"
    page.get_by_role("link", name="长期空缺").click()
    assert page.locator("h1").inner_text() == "长期空缺岗位"
    screenshot("import-05-review")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    exported = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert exported.worksheets[0].title == "长期空缺岗位"
