"""In the browser: a clerk imports a roster with some bad rows, fixes nothing,
imports the good rows, opens a person and checks eligibility for a post; then tries to enter one of
them again by hand and is led to the existing file."""

import datetime as dt

import openpyxl
import pytest
from django.utils import translation

from tests.factories import PostFactory, id_number_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD = id_number_for(dt.date(1972, 3, 8), male=False, serial=11)
YOUNG = id_number_for(dt.date(1990, 7, 1), male=True, serial=12)
BAD_CHECK = GOOD[:-1] + ("1" if GOOD[-1] != "1" else "2")


def _log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _headers():
    from people.resources import PERSON_COLUMNS

    with translation.override("zh-hans"):
        return {c.key: str(c.header) for c in PERSON_COLUMNS}


def _row(name, number, **changes):
    return {
        "name": name,
        "id_number": number,
        "registration": "本县（市、区）",
        "township": "岱庙街道",
        "village": "甲社区",
        "residence": "乡村",
        "groups": "脱贫享受政策人口",
        "recognised_on": "2019-06-01",
        **changes,
    }


def test_clerk_imports_a_roster_and_checks_eligibility(
    live_server, users, area, password, page, screenshot, tmp_path
):
    from people.models import Person

    post = PostFactory(village=area.village, area_kind="rural", title="甲社区护林员")
    _log_in(page, live_server, "clerk", password)
    page.locator("nav.main-nav").get_by_role("link", name="人员", exact=True).click()
    page.wait_for_url("**/people/")
    page.get_by_role("link", name="导入人员名册").click()
    page.wait_for_url("**/people/import/")
    screenshot("people-01-import-page")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载导入模板").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.worksheets[0]
    by_header = {v: k for k, v in _headers().items()}
    keys = [by_header.get(c.value) for c in sheet[1]]
    rows = [
        _row("刘桂兰", GOOD),
        _row("张伟", YOUNG, groups="城镇零就业家庭人员", residence="城镇"),
        _row("错号人", BAD_CHECK),
        _row("刘桂兰", GOOD),  # the same person twice in the file
        _row("无日期", id_number_for(dt.date(1980, 1, 1), male=True, serial=13), recognised_on=""),
    ]
    for row in rows:
        sheet.append([row.get(k) if k else None for k in keys])
    filled = tmp_path / "岱庙街道名册.xlsx"
    workbook.save(filled)

    page.set_input_files("input[type=file]", str(filled))
    page.get_by_role("button", name="检查文件").click()
    page.wait_for_selector("table.errors-table")
    errors = page.locator("table.errors-table tbody tr").all_inner_texts()
    text = "\n".join(errors)
    assert "校验位应为" in text
    assert "与第 2 行身份证号相同" in text
    assert Person.objects.count() == 0  # checked, nothing written
    screenshot("people-02-checked")

    page.get_by_role("button", name="导入 2 行正确数据").click()
    page.wait_for_selector(".message.success")
    assert set(Person.objects.values_list("name", flat=True)) == {"刘桂兰", "张伟"}
    screenshot("people-03-imported")

    page.get_by_role("link", name="打开人员信息库").click()
    page.wait_for_url("**/people/")
    listing = page.locator("table.grid").inner_text()
    assert "刘桂兰" in listing and GOOD not in listing  # masked in the list
    assert GOOD[:6] + "********" + GOOD[-4:] in listing
    page.get_by_role("link", name="刘桂兰").click()
    page.wait_for_selector("#eligibility")
    assert GOOD in page.locator("h1").inner_text()  # a clerk sees the full number on the file
    page.locator("#eligibility select[name=post]").select_option(str(post.pk))
    page.get_by_role("button", name="核验").click()
    page.wait_for_selector("[data-verdict]")
    assert page.locator("[data-verdict]").get_attribute("data-verdict") == "eligible"
    assert "脱贫享受政策人口" in page.locator("#eligibility table").inner_text()
    screenshot("people-04-eligible")

    page.locator("#eligibility select[name=post]").select_option("")
    page.locator("#eligibility select[name=kind]").select_option("urban")
    page.get_by_role("button", name="核验").click()
    page.wait_for_selector("[data-verdict=not-eligible]")
    screenshot("people-05-not-eligible-urban")

    page.goto(f"{live_server.url}/people/new/")
    page.fill("#id_name", "刘桂兰")
    page.fill("#id_id_number", GOOD.lower())
    page.select_option("#id_registration", "local")
    page.select_option("#id_residence", "rural")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("#eligibility")  # led to the existing file
    assert Person.objects.count() == 2
    screenshot("people-06-existing-file")
