"""A township decides the cross-check's findings in a real browser (docs/policy.md §8): after the
county's match (the lists loaded and matched through the services, as the exits journey does on
the pages), the township clerk opens the findings queue, puts the death of a person on a post
under investigation and confirms it with the last day on the post — the placement ends and the
debt of what was paid after it appears with its lines (October pro rata, November whole) — and
dismisses the other finding with its reason. The background jobs run here (Celery is eager)."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audits.datasets.enums import DatasetKind, FindingState
from audits.datasets.services import dataset_match_start, dataset_upload
from audits.exits.enums import ExitKind
from audits.models import Debt, Finding
from gongyi.enums import Role
from gongyi.jobs import job_execute
from gongyi.models import User
from people.models import Person
from tests.audits.conftest import paid  # noqa: F401  (the fixture: three months paid)
from tests.browser.conftest import log_in
from tests.factories import PersonFactory, PlacementFactory, PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEAD, EMPLOYED = "赵桂芝", "孙立华"
EVIDENCE = "村委会入户核实，本人已于10月15日去世，家属提供火化证明"
NAMES = {
    DatasetKind.DEATHS: "民政局火化人员名单.csv",
    DatasetKind.CONTRIBUTIONS: "社保局参保缴费人员.csv",
}
REASON = "经核实，系原单位误报参保信息，本人一直在岗履职"


def _messages(page) -> str:
    return " ".join(page.locator(".messages").all_inner_texts())


def _load_and_match(area, *, dead, employed, today: dt.date) -> None:
    county = User.objects.filter(role=Role.COUNTY, region=area.county).first()
    as_of = today - dt.timedelta(days=5)
    lists = {
        DatasetKind.DEATHS: "身份证号,姓名,死亡日期\r\n"
        f"{dead.person.id_number},{DEAD},2026-10-15\r\n",
        DatasetKind.CONTRIBUTIONS: "身份证号,姓名,单位名称,缴费起始年月,缴费终止年月\r\n"
        f"{employed.person.id_number},{EMPLOYED},泰安市东岳建材有限公司,2026-09,\r\n",
    }
    for kind, text in lists.items():
        name = NAMES[kind]
        upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
        version = dataset_upload(actor=county, kind=kind, upload=upload, as_of=as_of)
        job_execute(version.job_id)
    job_execute(dataset_match_start(actor=county).pk)


def test_township_confirms_one_finding_and_dismisses_another(
    live_server,
    users,
    area,
    password,
    page,
    screenshot,
    paid,  # noqa: F811  (the fixture imported above)
):
    today = timezone.localdate()
    Person.objects.filter(pk=paid.placement.person_id).update(name=DEAD)
    paid.placement.person.refresh_from_db()
    employed = PlacementFactory(
        post=PostFactory(village=area.village, headcount=1, title="村庄保洁员"),
        person=PersonFactory(
            village=area.village, name=EMPLOYED, retirement_date=dt.date(2040, 1, 1)
        ),
        start_date=dt.date(2026, 3, 1),
    )
    _load_and_match(area, dead=paid.placement, employed=employed, today=today)
    # (The match's own rule adds a finding of no attendance for each: they stay new here.)
    findings = Finding.objects.filter(version__isnull=False).select_related("person")
    assert sorted((f.kind, f.person.name, f.state) for f in findings) == [
        (DatasetKind.CONTRIBUTIONS, EMPLOYED, FindingState.NEW),
        (DatasetKind.DEATHS, DEAD, FindingState.NEW),
    ]
    url = live_server.url

    # --- the queue ----------------------------------------------------------------------------
    log_in(page, live_server, "clerk", password)
    page.locator("nav.main-nav").get_by_role("link", name="比对疑点").click()
    page.wait_for_url(re.compile(r"/findings/"))
    rows = page.locator("table.grid tbody tr")
    assert rows.count() == 4, rows.all_inner_texts()
    screenshot("findings-01-queue")
    page.locator("[name=kind]").select_option(value=DatasetKind.DEATHS)
    page.get_by_role("button", name="查看").click()
    page.wait_for_load_state()
    assert rows.count() == 1, rows.all_inner_texts()

    # --- the death: under investigation, then confirmed ---------------------------------------
    page.locator("tr", has_text=DEAD).locator("a").first.click()
    page.wait_for_url(re.compile(r"/findings/\d+/$"))
    page.get_by_role("button", name="转入调查核实").click()
    page.wait_for_load_state()
    assert "疑点已登记为" in _messages(page), page.content()[:3000]
    confirm = page.locator("form").filter(has=page.locator("input[name=to][value=confirmed]"))
    # The proposed last day: the day before the death.
    assert confirm.locator("[name=effective_date]").input_value() == "2026-10-14"
    confirm.locator("[name=note]").fill(EVIDENCE)
    confirm.locator("[name=decided_by]").fill("岱庙街道办事处")
    confirm.locator("[name=decided_on]").fill(f"{today:%Y-%m-%d}")
    screenshot("findings-02-confirm-form")
    confirm.get_by_role("button", name="确认").click()
    page.wait_for_load_state()
    assert "疑点已登记为" in _messages(page), page.content()[:3000]
    finding = Finding.objects.select_related("exit__placement").get(kind=DatasetKind.DEATHS)
    assert finding.state == FindingState.CONFIRMED and finding.note == EVIDENCE
    exit_ = finding.exit
    assert exit_.kind == ExitKind.FINDING
    assert exit_.placement.end_date == dt.date(2026, 10, 14)
    screenshot("findings-03-confirmed")

    # The exit, and its debt with its lines.
    page.locator("dl.card a[href*='/exits/']").click()
    page.wait_for_url(f"{url}/exits/{exit_.pk}/")
    page.get_by_role("link", name=re.compile("应追回3,245.45元")).click()
    page.wait_for_url(re.compile(r"/debts/\d+/$"))
    lines = page.locator("table.grid").first.locator("tbody tr")
    assert lines.count() == 2
    october, november = lines.nth(0).inner_text(), lines.nth(1).inner_text()
    assert "2026-10" in october and "2,100.00" in october and "1,145.45" in october
    assert "2026-11" in november and november.count("2,100.00") == 2
    assert Debt.objects.get(exit=exit_).amount_fen == 324545
    screenshot("findings-04-debt")

    # --- the contribution: dismissed with its reason -----------------------------------------
    page.goto(f"{url}/findings/?kind={DatasetKind.CONTRIBUTIONS}&state=open")
    page.locator("tr", has_text=EMPLOYED).locator("a").first.click()
    page.wait_for_url(re.compile(r"/findings/\d+/$"))
    dismiss = page.locator("form").filter(has=page.locator("input[name=to][value=dismissed]"))
    dismiss.locator("[name=note]").fill(REASON)
    dismiss.get_by_role("button", name="排除").click()
    page.wait_for_load_state()
    assert "疑点已登记为" in _messages(page), page.content()[:3000]
    assert REASON in page.locator("main").inner_text()
    dismissed = Finding.objects.get(kind=DatasetKind.CONTRIBUTIONS)
    assert (dismissed.state, dismissed.note, dismissed.exit_id) == (
        FindingState.DISMISSED,
        REASON,
        None,
    )
    employed.refresh_from_db()
    assert employed.end_date is None
    screenshot("findings-05-dismissed")
