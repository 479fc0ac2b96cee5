"""Cross-checks, an exit and its debt in a real browser (docs/policy.md §8): the county uploads the
civil-affairs bureau's deaths list (CSV in UTF-8) and the social-insurance bureau's contributions
list (CSV in GBK) on the datasets page and runs the match, which finds the two people on posts the
lists name; the township records that a third person left the post on 14 October, after October
and November were paid, sees the debt with its two lines (October pro rata, November whole) and
records a first instalment with its receipt; the warnings list shows a fourth person's subsidy
period ending. The background jobs run in the request here (no broker: Celery is eager)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from audits.datasets.enums import DatasetKind, DatasetStatus, FindingState
from audits.exits.enums import DebtState, ExitKind
from audits.models import DatasetVersion, Debt, Exit, Finding
from audits.warnings.services import warnings_refresh
from people.models import Person
from tests.audits.conftest import paid  # noqa: F401  (the fixture: three months paid)
from tests.browser.conftest import log_in
from tests.factories import PersonFactory, PlacementFactory, PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEAVER, DEAD, EMPLOYED, ENDING = "赵桂芝", "李长顺", "孙立华", "周玉梅"


def _messages(page) -> str:
    return " ".join(page.locator(".messages").all_inner_texts())


def _upload(page, url, *, kind: str, path, as_of: dt.date) -> None:
    page.goto(f"{url}/datasets/")
    form = page.locator("form").filter(has=page.get_by_role("button", name="上传并载入"))
    form.locator("[name=kind]").select_option(value=kind)
    form.locator("[name=as_of]").fill(f"{as_of:%Y-%m-%d}")
    form.locator("input[type=file]").set_input_files(str(path))
    form.get_by_role("button", name="上传并载入").click()
    page.wait_for_url(re.compile(r"/datasets/\d+/$"))


def test_county_matches_township_records_an_exit_and_a_repayment(
    live_server,
    users,
    area,
    password,
    page,
    screenshot,
    paid,  # noqa: F811  (the fixture imported above)
    tmp_path,
):
    today = timezone.localdate()
    Person.objects.filter(pk=paid.placement.person_id).update(name=LEAVER)
    post = PostFactory(village=area.village, headcount=3, title="村庄保洁员")
    dead, employed, ending = (
        PlacementFactory(
            post=post,
            person=PersonFactory(
                village=area.village, name=name, retirement_date=dt.date(2040, 1, 1)
            ),
            start_date=dt.date(2026, 3, 1),
        )
        for name in (DEAD, EMPLOYED, ENDING)
    )
    type(ending).objects.filter(pk=ending.pk).update(subsidy_end=today + dt.timedelta(days=30))
    warnings_refresh(county_code=area.county.code)

    deaths = tmp_path / "民政局火化人员名单.csv"
    deaths.write_text(
        "身份证号,姓名,死亡日期\r\n"
        f"{dead.person.id_number},{DEAD},2026-11-20\r\n"
        f"{PersonFactory.build().id_number},王某某,2026-10-02\r\n",
        encoding="utf-8",
    )
    contributions = tmp_path / "社保局参保缴费人员.csv"
    contributions.write_bytes(
        (
            "身份证号,姓名,单位名称,缴费起始年月,缴费终止年月\r\n"
            f"{employed.person.id_number},{EMPLOYED},泰安市东岳建材有限公司,2026-09,\r\n"
            f"{ending.person.id_number},{ENDING},泰山区某商贸公司,2019-01,2025-12\r\n"
        ).encode("gbk")
    )
    url = live_server.url
    as_of = today - dt.timedelta(days=5)

    # --- the county uploads the two lists and runs the match ----------------------------------
    log_in(page, live_server, "county", password)
    page.locator("nav.main-nav").get_by_role("link", name="比对数据").click()
    page.wait_for_url(f"{url}/datasets/")
    assert page.locator("[name=as_of]").input_value() == f"{today:%Y-%m-%d}"  # not left empty
    screenshot("exits-01-datasets")
    _upload(page, url, kind=DatasetKind.DEATHS, path=deaths, as_of=as_of)
    assert "已载入" in page.locator("main").inner_text(), page.content()[:3000]
    screenshot("exits-02-deaths-loaded")
    _upload(page, url, kind=DatasetKind.CONTRIBUTIONS, path=contributions, as_of=as_of)
    assert "已载入" in page.locator("main").inner_text(), page.content()[:3000]
    loaded = DatasetVersion.objects.filter(status=DatasetStatus.LOADED)
    assert sorted(loaded.values_list("kind", "loaded_rows")) == [
        (DatasetKind.CONTRIBUTIONS, 2),
        (DatasetKind.DEATHS, 2),
    ]

    page.goto(f"{url}/datasets/")
    page.get_by_role("button", name="立即比对").click()
    page.wait_for_url(f"{url}/datasets/")
    assert "数据比对正在进行" in _messages(page)
    runs = page.locator("table.grid.narrow tbody tr")
    assert runs.count() == 1 and "已完成" in runs.first.inner_text(), runs.first.inner_text()
    screenshot("exits-03-matched")
    # The deaths list's person and the contributions list's employee on a post; the
    # contributions that ended before the placement began are no hit.
    # (The match's own check of months without attendance finds these people too: left out.)
    findings = (
        Finding.objects.exclude(kind="no_attendance").select_related("person").order_by("kind")
    )
    assert [(f.kind, f.person.name, f.state) for f in findings] == [
        (DatasetKind.CONTRIBUTIONS, EMPLOYED, FindingState.NEW),
        (DatasetKind.DEATHS, DEAD, FindingState.NEW),
    ]
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_load_state()

    # --- the township records the exit --------------------------------------------------------
    log_in(page, live_server, "clerk", password)
    page.locator("nav.main-nav").get_by_role("link", name="退出与追回").click()
    page.wait_for_url(f"{url}/exits/")
    page.locator("[name=find]").fill(LEAVER)
    page.get_by_role("button", name="查找").click()
    page.wait_for_load_state()
    page.locator("tr", has_text=LEAVER).get_by_role("link", name="登记退出").click()
    page.wait_for_url(re.compile(r"/exits/placements/\d+/$"))
    page.locator("[name=kind]").select_option(value=ExitKind.OWN_CHOICE)
    page.locator("[name=effective_date]").fill("2026-10-14")
    page.locator("[name=reason]").fill("本人外出务工，未按规定报告，村委会核实已离岗")
    page.locator("[name=decided_by]").fill("岱庙街道办事处")
    screenshot("exits-04-exit-form")
    page.get_by_role("button", name="登记退出").click()
    page.wait_for_load_state()
    assert "退出已登记" in _messages(page), page.content()[:3000]
    exit_ = Exit.objects.get(person__name=LEAVER)
    assert page.url == f"{url}/exits/{exit_.pk}/"
    assert exit_.placement.end_date == dt.date(2026, 10, 14)
    screenshot("exits-05-exit")

    # --- the debt with its lines, and a first instalment ------------------------------------
    page.get_by_role("link", name=re.compile("应追回3,245.45元")).click()
    page.wait_for_url(re.compile(r"/debts/\d+/$"))
    lines = page.locator("table.grid").first.locator("tbody tr")
    assert lines.count() == 2
    october, november = lines.nth(0).inner_text(), lines.nth(1).inner_text()
    assert "2026-10" in october and "2,100.00" in october and "1,145.45" in october
    assert "2026-11" in november and november.count("2,100.00") == 2
    screenshot("exits-06-debt")
    repay = page.locator("form").filter(has=page.get_by_role("button", name="登记", exact=True))
    repay.locator("[name=amount]").fill("1000")
    repay.locator("[name=receipt_number]").fill("泰财非税-0000371")
    repay.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_load_state()
    assert "退缴已登记" in _messages(page), page.content()[:3000]
    debt = Debt.objects.get(exit=exit_)
    assert (debt.amount_fen, debt.repaid_fen, debt.outstanding_fen) == (324545, 100000, 224545)
    assert debt.state == DebtState.OPEN
    assert "2,245.45" in page.locator("table.facts").inner_text()
    assert "泰财非税-0000371" in page.locator("main").inner_text()
    screenshot("exits-07-repaid")

    # --- the warnings list shows the subsidy period ending -------------------------------------
    page.locator("nav.main-nav").get_by_role("link", name="预警").click()
    page.wait_for_url(re.compile(r"/warnings/"))
    row = page.locator("tr", has_text=ENDING)
    assert row.count() == 1, row.all_inner_texts()
    assert "补贴期满" in row.inner_text() and "还有30天" in row.inner_text(), row.inner_text()
    screenshot("exits-08-warnings")
