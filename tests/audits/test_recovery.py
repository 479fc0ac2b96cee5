"""Recovery (docs/policy.md §8, "Exits and recovery"): the debt an exit leaves, its amount by hand,
repayments in instalments, offsets, write-offs, ageing and the Excel."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from audits.exits.enums import DebtState, ExitKind
from audits.exits.policy import OFFSET_ALLOWED
from audits.exits.recovery import PaidLine, recovered_amount
from audits.exits.selectors import debt_ageing
from audits.exits.services import (
    debt_collect,
    debt_transition,
    exit_record,
    repayment_offset,
    repayment_record,
)
from audits.models import Debt
from gongyi.enums import Role
from gongyi.errors import DomainError
from subsidies.payout.enums import LineStatus
from subsidies.payout.models import PayoutLine
from tests.audits.conftest import DEC, NOV, OCT, TODAY
from tests.factories import PayoutBatchFactory, PolicySettingFactory
from tests.factories.audits import DebtFactory

pytestmark = pytest.mark.django_db

WEEKDAYS_OCT = [
    Decimal(8) if dt.date(2026, 10, d).isoweekday() <= 5 else Decimal(0) for d in range(1, 32)
]


def _exit(clerk, paid, kind=ExitKind.FINDING, effective=dt.date(2026, 10, 14)):
    return exit_record(
        actor=clerk,
        placement_id=paid.placement.pk,
        kind=kind,
        effective_date=effective,
        reason="比对发现在企业参保",
        decided_by="岱庙街道办事处",
        decided_on=dt.date(2026, 12, 1),
        today=TODAY,
    )


def test_recovery_rule_mid_month():
    """October 2026 has 22 weekdays; after the last day, the 14th (a Wednesday), come 12 of them
    (15–16, 19–23, 26–30): 2,100.00 × 12 / 22 = 1,145.4545… → 1,145.45 (half up to the fen)."""
    line = PaidLine(OCT, 210000, False, Decimal("2100.00"), WEEKDAYS_OCT, 22)
    assert recovered_amount(line, dt.date(2026, 10, 15)).fen == 114545
    assert recovered_amount(line, dt.date(2026, 10, 1)).fen == 210000  # a whole month
    assert recovered_amount(line, dt.date(2026, 11, 1)).fen == 0  # a month before
    # Never more than was paid (a month paid less, for absence).
    short = PaidLine(OCT, 100000, False, Decimal("2100.00"), WEEKDAYS_OCT, 22)
    assert recovered_amount(short, dt.date(2026, 10, 15)).fen == 100000


def test_recovery_rule_hourly():
    """21.00 an hour, 2 hours planned each weekday: after the 14th, 12 × 2 = 24 hours = 504.00."""
    planned = [h / 4 for h in WEEKDAYS_OCT]
    line = PaidLine(OCT, 92400, True, Decimal("21.00"), planned, 22)
    assert recovered_amount(line, dt.date(2026, 10, 15)).fen == 50400


def test_exit_mid_month_after_two_paid_months_becomes_a_debt(paid, clerk):
    """The issue's case: October and November paid in full (2,100.00 each), the person left with
    14 October as the last day. October: 2,100.00 × 12 / 22 = 1,145.45; November: 2,100.00 whole;
    September: nothing. The debt: 3,245.45 yuan, in two lines."""
    exit_ = _exit(clerk, paid)
    debt = Debt.objects.get(exit=exit_)
    lines = [(d.month, d.paid_fen, d.recovered_fen) for d in debt.lines.order_by("month")]
    assert lines == [(OCT, 210000, 114545), (NOV, 210000, 210000)]
    assert (debt.amount_fen, debt.outstanding_fen, debt.state) == (324545, 324545, DebtState.OPEN)
    assert debt.lines.get(month=OCT).figures["days"] == 12


def test_false_declaration_recovers_everything_paid(paid, clerk):
    exit_ = _exit(clerk, paid, kind=ExitKind.FALSE_DECLARATION)
    assert exit_.recover_from == dt.date(2026, 4, 1)
    assert Debt.objects.get(exit=exit_).amount_fen == 3 * 210000


def test_collect_adds_a_line_paid_since_and_only_once(paid, clerk):
    exit_ = _exit(clerk, paid, effective=dt.date(2026, 11, 30))
    assert not Debt.objects.filter(exit=exit_).exists()
    # December's line was with the bank after all: paid since.
    PayoutLine.objects.filter(pk=paid.lines[DEC].pk).update(status=LineStatus.PAID)
    debt = debt_collect(actor=clerk, exit_id=exit_.pk)
    again = debt_collect(actor=clerk, exit_id=exit_.pk)
    assert (debt.amount_fen, again.amount_fen, again.lines.count()) == (210000, 210000, 1)


def test_repayments_in_instalments_and_more_than_owed_refused(paid, clerk):
    debt = _exit(clerk, paid).debt
    first = dict(debt_id=debt.pk, paid_on=dt.date(2026, 12, 5), today=TODAY)
    repayment_record(actor=clerk, amount_fen=100000, receipt_number="R001", **first)
    with pytest.raises(DomainError, match=r"2,245\.45"):
        repayment_record(actor=clerk, amount_fen=224546, receipt_number="R002", **first)
    with pytest.raises(DomainError, match="已登记"):
        repayment_record(actor=clerk, amount_fen=100, receipt_number="R001", **first)
    with pytest.raises(DomainError, match="收据"):
        repayment_record(actor=clerk, amount_fen=100, receipt_number=" ", **first)
    repayment_record(actor=clerk, amount_fen=224545, receipt_number="R002", **first)
    debt.refresh_from_db()
    assert (debt.repaid_fen, debt.state, debt.repayments.count()) == (
        324545,
        DebtState.REPAID,
        2,
    )
    with pytest.raises(DomainError, match="不能再登记"):
        repayment_record(actor=clerk, amount_fen=1, receipt_number="R003", **first)


def test_write_off_asked_by_the_township_approved_by_the_county(paid, clerk, users):
    county = users[Role.COUNTY]
    debt = _exit(clerk, paid).debt
    repayment_record(
        actor=clerk,
        debt_id=debt.pk,
        paid_on=TODAY,
        amount_fen=4545,
        receipt_number="R1",
        today=TODAY,
    )
    with pytest.raises(DomainError, match="原因"):
        debt_transition(actor=clerk, debt_id=debt.pk, to=DebtState.WRITE_OFF_ASKED)
    debt_transition(actor=clerk, debt_id=debt.pk, to=DebtState.WRITE_OFF_ASKED, reason="本人去世")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        debt_transition(actor=clerk, debt_id=debt.pk, to=DebtState.WRITTEN_OFF)
    with pytest.raises(DomainError, match="原因"):
        debt_transition(actor=county, debt_id=debt.pk, to=DebtState.OPEN)
    debt = debt_transition(actor=county, debt_id=debt.pk, to=DebtState.WRITTEN_OFF)
    assert (debt.state, debt.written_off_fen, debt.outstanding_fen) == (
        DebtState.WRITTEN_OFF,
        320000,
        0,
    )
    assert debt.write_off_decided_by == county


def test_write_off_never_approved_by_who_asked(area, users):
    county = users[Role.COUNTY]
    debt = DebtFactory(
        exit__placement__post__village=area.village,
        exit__placement__person__village=area.village,
        state=DebtState.WRITE_OFF_ASKED,
        write_off_asked_by=county,
        write_off_reason="x",
    )
    with pytest.raises(DomainError, match="申请人以外"):
        debt_transition(actor=county, debt_id=debt.pk, to=DebtState.WRITTEN_OFF)


def _later_line(paid, area):
    """A line of the same person in a later batch being prepared, 2,100.00."""
    from tests.factories import PayoutLineFactory
    from tests.factories.attendance import AttendanceMonthFactory

    row = AttendanceMonthFactory(placement=paid.placement, month=dt.date(2026, 7, 1))
    batch = PayoutBatchFactory(region_code=area.township.code, month=dt.date(2026, 7, 1))
    return PayoutLineFactory(batch=batch, row=row)


def test_offset_only_where_the_county_allows(paid, clerk, area):
    debt = _exit(clerk, paid).debt
    line = _later_line(paid, area)
    with pytest.raises(DomainError, match="未允许"):
        repayment_offset(actor=clerk, debt_id=debt.pk, line_id=line.pk, amount_fen=50000)
    PolicySettingFactory(
        county=area.county, key=OFFSET_ALLOWED, value=1, effective_from=dt.date(2026, 1, 1)
    )
    repayment_offset(actor=clerk, debt_id=debt.pk, line_id=line.pk, amount_fen=50000)
    line.refresh_from_db()
    debt.refresh_from_db()
    assert (line.amount_fen, line.reasons[-1]["rule"], debt.repaid_fen) == (160000, "offset", 50000)
    from subsidies.payout.services import lines_tampered

    assert line.pk not in lines_tampered(line.batch_id)


def test_ageing_by_township(paid, clerk, area):
    debt = _exit(clerk, paid).debt
    Debt.objects.filter(pk=debt.pk).update(created_at=dt.datetime(2026, 8, 1, 4, tzinfo=dt.UTC))
    old = DebtFactory(
        exit__placement__post__village=area.village,
        exit__placement__person__village=area.village,
    )
    Debt.objects.filter(pk=old.pk).update(created_at=dt.datetime(2026, 12, 1, 4, tzinfo=dt.UTC))
    (row,) = debt_ageing(clerk, TODAY)
    assert (row.code, row.debts, row.outstanding_fen, row.d30, row.d90, row.d180, row.older) == (
        area.township.code,
        2,
        424545,
        100000,
        0,
        324545,
        0,
    )


def test_debts_page_and_excel(paid, clerk, login, users):
    _exit(clerk, paid)
    client = login(users[Role.COUNTY])
    page = client.get(reverse("debt-list"))
    assert page.status_code == 200
    assert [r.outstanding_fen for r in page.context["ageing"]] == [324545]
    export = client.get(reverse("debt-export"))
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert book.worksheets[0].max_row == 2
    assert book.worksheets[1].cell(2, 1).value == paid.placement.person.name


def test_repayment_page_posts_and_refuses(paid, clerk, login, users):
    debt = _exit(clerk, paid).debt
    url = reverse("debt-detail", args=[debt.pk])
    client = login(clerk)
    assert client.get(url).status_code == 200
    body = {"action": "repay", "paid_on": "2026-12-05", "amount": "1145.45", "receipt_number": "A1"}
    assert client.post(url, body).status_code == 302
    too_much = body | {"amount": "99999", "receipt_number": "A2"}
    client.post(url, too_much)
    debt.refresh_from_db()
    assert debt.repaid_fen == 114545
    assert login(users[Role.COUNTY]).post(url, body | {"receipt_number": "A3"}).status_code == 403


def test_api_records_an_exit_and_a_repayment(paid, clerk, login):
    client = login(clerk)
    created = client.post(
        reverse("api:exit-list"),
        {
            "placement": paid.placement.pk,
            "kind": "finding",
            "effective_date": "2026-10-14",
            "reason": "比对发现在企业参保",
            "decided_by": "岱庙街道办事处",
            "decided_on": "2026-12-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    debt_id = created.json()["debt"]
    over = client.post(
        reverse("api:debt-repayments", args=[debt_id]),
        {"paid_on": "2026-12-05", "amount_fen": 324546, "receipt_number": "B1"},
        content_type="application/json",
    )
    ok = client.post(
        reverse("api:debt-repayments", args=[debt_id]),
        {"paid_on": "2026-12-05", "amount_fen": 324545, "receipt_number": "B1"},
        content_type="application/json",
    )
    assert (over.status_code, ok.status_code, ok.json()["state"]) == (400, 200, "repaid")
    ageing = client.get(reverse("api:debt-ageing"))
    assert ageing.json()[0]["amount_fen"] == 324545


def test_nightly_job_adds_lines_paid_since_and_is_safe_to_run_twice(paid, clerk):
    from audits.exits.tasks import debts_collect

    exit_ = _exit(clerk, paid, effective=dt.date(2026, 11, 30))
    PayoutLine.objects.filter(pk=paid.lines[DEC].pk).update(status=LineStatus.PAID)
    assert debts_collect() == {"exits": 1, "debts": 1}
    assert debts_collect() == {"exits": 0, "debts": 0}
    assert Debt.objects.get(exit=exit_).amount_fen == 210000
