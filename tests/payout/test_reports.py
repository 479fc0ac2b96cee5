"""The payout reports (docs/policy.md §7, "The payout reports"): the figures of a small payout
worked out by hand (tests/payout/reports.py), the bulletin's sentence, the exports, the queries
they take, and the months paid on a person's file."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gongyi.enums import Role
from gongyi.models import AuditEntry
from subsidies.payout.report_selectors import (
    Figures,
    bulletin_sentence,
    month_report,
    wan,
    year_report,
)
from tests.payout.reports import NOV, build_payouts

pytestmark = pytest.mark.django_db

DAIMIAO = Figures(
    people=3,
    lines=3,
    urban_fen=315050,
    rural_fen=166667,
    awaiting_lines=1,
    awaiting_urban_fen=210000,
)
SHENGZHUANG = Figures(
    people=1, lines=1, rural_fen=100000, awaiting_lines=1, awaiting_urban_fen=210000
)
COUNTY_NOV = Figures(
    people=4,
    lines=4,
    urban_fen=315050,
    rural_fen=266667,
    awaiting_lines=2,
    awaiting_urban_fen=420000,
)


@pytest.fixture
def payouts(area, users):
    return build_payouts(area)


def test_wan_rounds_half_up_to_two_decimals():
    # seed 000: 3945万元 is 3,945,000,000 fen; 0.005万元 (50 yuan) rounds up, 49.99 yuan down.
    assert [wan(3_945_000_000), wan(5000), wan(4999), wan(0)] == [
        Decimal("3945.00"),
        Decimal("0.01"),
        Decimal("0.00"),
        Decimal("0.00"),
    ]


def test_month_report_by_township_for_the_county(payouts, users):
    report = month_report(users[Role.COUNTY], NOV)
    assert [(r.name, r.figures) for r in report.rows] == [
        ("岱庙街道", DAIMIAO),
        ("省庄镇", SHENGZHUANG),
    ]
    assert report.total == COUNTY_NOV
    assert (report.total.total_fen, report.total.awaiting_fen) == (581717, 420000)


def test_month_report_of_a_township_is_its_own(payouts, users):
    report = month_report(users[Role.CLERK], NOV)
    assert [(r.name, r.figures) for r in report.rows] == [("岱庙街道", DAIMIAO)]
    assert report.total == DAIMIAO


def test_bulletin_sentence_uses_the_money_paid(payouts, users):
    report = month_report(users[Role.COUNTY], NOV)
    assert bulletin_sentence(report.total, month=NOV, to_date=False) == (
        "2026年11月发放公益性岗位补贴0.58万元，其中城镇0.32万元、乡村0.27万元。"
    )
    assert bulletin_sentence(
        year_report(users[Role.COUNTY], NOV).total, month=NOV, to_date=True
    ) == ("截至2026年11月底，发放公益性岗位补贴0.79万元，其中城镇0.53万元、乡村0.27万元。")


def test_year_report_by_month_and_township(payouts, users):
    report = year_report(users[Role.COUNTY], NOV, cells=True)
    assert [r.code for r in report.months] == [f"2026-{m:02d}" for m in range(1, 12)]
    by_month = {r.code: r.figures for r in report.months}
    assert by_month["2026-10"] == Figures(people=1, lines=1, urban_fen=210000)
    assert by_month["2026-11"] == COUNTY_NOV
    assert by_month["2026-01"] == Figures()
    # 甲 was paid in October and November: one person, two lines.
    assert {r.name: r.figures for r in report.townships}["岱庙街道"] == Figures(
        people=3,
        lines=4,
        urban_fen=525050,
        rural_fen=166667,
        awaiting_lines=1,
        awaiting_urban_fen=210000,
    )
    assert report.total == Figures(
        people=4,
        lines=5,
        urban_fen=525050,
        rural_fen=266667,
        awaiting_lines=2,
        awaiting_urban_fen=420000,
    )
    assert len(report.cells) == 3  # 岱庙街道 October and November, 省庄镇 November


def _sheet_rows(content: bytes, index: int) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content))
    return list(workbook.worksheets[index].iter_rows(values_only=True))


def test_month_export_opens_with_its_totals(payouts, users, login):
    response = login(users[Role.COUNTY]).get(
        reverse("payout-report-month"), {"month": "2026-11", "format": "xlsx"}
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == (
        "乡镇（街道）",
        "发放人数",
        "发放笔数",
        "城镇岗位已发放（元）",
        "乡村岗位已发放（元）",
        "已发放合计（元）",
    )
    assert [r[0] for r in rows[1:]] == ["岱庙街道", "省庄镇", "合计"]
    assert rows[-1][1:] == (4, 4, 3150.5, 2666.67, 5817.17, 2, 4200, 0, 4200)
    # Yuan are numbers, shown with two decimals.
    assert (sheet.cell(row=4, column=4).data_type, sheet.cell(row=4, column=4).number_format) == (
        "n",
        "0.00",
    )
    assert workbook.worksheets[1].cell(row=2, column=1).value == (
        "2026年11月发放公益性岗位补贴0.58万元，其中城镇0.32万元、乡村0.27万元。"
    )
    assert AuditEntry.objects.filter(action="export", object_type="payout.payoutline").count() == 1


def test_year_export_opens_with_its_totals(payouts, users, login):
    response = login(users[Role.CLERK]).get(
        reverse("payout-report-year"), {"month": "2026-11", "format": "xlsx"}
    )
    by_month = _sheet_rows(response.content, 0)
    assert [r[0] for r in by_month[1:]] == [f"2026-{m:02d}" for m in range(1, 12)] + ["合计"]
    assert by_month[-1][1:6] == (3, 4, 5250.5, 1666.67, 6917.17)
    assert _sheet_rows(response.content, 1)[1:] == [
        ("岱庙街道", 3, 4, 5250.5, 1666.67, 6917.17, 1, 2100, 0, 2100),
        ("合计", 3, 4, 5250.5, 1666.67, 6917.17, 1, 2100, 0, 2100),
    ]
    assert [r[:3] for r in _sheet_rows(response.content, 2)[1:]] == [
        ("岱庙街道", "2026-10", 1),
        ("岱庙街道", "2026-11", 3),
    ]


def test_month_page_shows_figures_sentence_and_chart_data(payouts, users, login):
    response = login(users[Role.FINANCE]).get(reverse("payout-report-month"), {"month": "2026-11"})
    text = response.content.decode()
    assert "2026年11月发放公益性岗位补贴0.58万元" in text
    assert 'id="payout-chart-data"' in text and "vendor/echarts/5.6.0/echarts.min.js" in text
    assert response.context["chart"]["series"][0]["data"] == ["3150.50", "0.00"]
    assert "<script>" not in text  # the chart's data is JSON, its script a file (CSP)


@pytest.mark.parametrize("name", ["payout-report-month", "payout-report-year"])
def test_report_pages_take_the_same_queries_whatever_the_size(name, area, users, login):
    client, url = login(users[Role.COUNTY]), reverse(name)
    client.get(url)  # the session's first queries
    with CaptureQueriesContext(connection) as empty:
        client.get(url, {"month": "2026-11"})
    build_payouts(area)
    with CaptureQueriesContext(connection) as paid:
        client.get(url, {"month": "2026-11"})
    # The session, the user, the townships and the sums (grouped, and the total).
    assert len(paid) == len(empty) == {"payout-report-month": 5, "payout-report-year": 6}[name]


def test_person_file_shows_the_months_paid(payouts, users, login):
    client = login(users[Role.CLERK])
    page = client.get(reverse("person-detail", args=[payouts.people["甲"].pk]))
    lines = page.context["file_sections"][0]["lines"]
    assert [(f"{line.month:%Y-%m}", line.amount_fen, line.status) for line in lines] == [
        ("2026-11", 210000, "paid"),
        ("2026-10", 210000, "paid"),
    ]
    assert "months-paid" in page.content.decode()
    failed = client.get(reverse("person-detail", args=[payouts.people["丙"].pk])).content.decode()
    assert "账户不存在" in failed and "补发第1批" in failed
    held = client.get(reverse("person-detail", args=[payouts.people["丁"].pk])).content.decode()
    assert "核查中" in held


def test_person_file_has_no_months_paid_for_the_village(payouts, users, login):
    page = login(users[Role.VILLAGE]).get(reverse("person-detail", args=[payouts.people["甲"].pk]))
    assert (page.status_code, page.context["file_sections"]) == (200, [])
