"""Factories of the payout (``subsidies.payout``)."""

import datetime as dt
from decimal import Decimal

import factory

from subsidies.attendance.enums import Grade
from subsidies.bankfiles.enums import FailureReason
from subsidies.payout.enums import BatchKind, LineStatus
from subsidies.payout.models import (
    AccountFix,
    BankTemplate,
    FlexibleInsurance,
    GradeRule,
    PaymentFile,
    PayoutBatch,
    PayoutLine,
)
from tests.factories.attendance import NOVEMBER, AttendanceMonthFactory
from tests.factories.gongyi import RegionFactory, first_user


class GradeRuleFactory(factory.django.DjangoModelFactory):
    """泰山区 docks 不合格 months 200.00 from 2026-01-01 (a day later for each further rule)."""

    class Meta:
        model = GradeRule

    county = factory.SubFactory(RegionFactory, code="370902", name="泰山区")
    grade = Grade.FAIL
    effective_from = factory.Sequence(lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n))
    factor = None
    deduction_fen = 20000
    created_by = factory.LazyFunction(first_user)


class PayoutBatchFactory(factory.django.DjangoModelFactory):
    """岱庙街道's urban posts of November 2026, being prepared (other townships after it)."""

    class Meta:
        model = PayoutBatch

    region_code = factory.Sequence(lambda n: "370902001" if n == 0 else f"370902{n % 1000:03d}")
    month = NOVEMBER
    kind = BatchKind.URBAN
    created_by = factory.LazyFunction(first_user)


class PayoutLineFactory(factory.django.DjangoModelFactory):
    """A full month of a 2,100.00 post, all 21 days present, to be paid (the hash is not the
    snapshot's: tests that need it make lines with ``payout_batch_generate``)."""

    class Meta:
        model = PayoutLine

    batch = factory.SubFactory(PayoutBatchFactory)
    row = factory.SubFactory(AttendanceMonthFactory)
    placement = factory.LazyAttribute(lambda o: o.row.placement)
    month = factory.LazyAttribute(lambda o: o.row.month)
    kind = factory.LazyAttribute(lambda o: o.batch.kind)
    person = factory.LazyAttribute(lambda o: o.row.placement.person)
    post = factory.LazyAttribute(lambda o: o.row.placement.post)
    region_code = factory.LazyAttribute(lambda o: o.row.region_code)
    status = LineStatus.PENDING
    person_name = factory.LazyAttribute(lambda o: o.person.name)
    id_number = factory.LazyAttribute(lambda o: o.person.id_number)
    post_title = factory.LazyAttribute(lambda o: o.post.title)
    hourly = False
    standard = Decimal("2100.00")
    required_days = 21
    present_days = 21
    paid_leave_days = 0
    unpaid_leave_days = 0
    absent_days = 0
    full_days = 21
    required_hours = Decimal("168.0")
    worked_hours = Decimal("168.0")
    paid_leave_hours = Decimal("0.0")
    full_hours = Decimal("168.0")
    amount_fen = 210000
    reasons = factory.LazyFunction(
        lambda: [
            {
                "rule": "share",
                "standard": 210000,
                "present": 21,
                "paid_leave": 0,
                "full_days": 21,
                "amount": 210000,
            }
        ]
    )
    placement_month = 1
    lifetime_month = 1
    hash = "0" * 64


def _shared(field: str) -> dict:
    from importlib import import_module

    seeded = import_module("subsidies.payout.migrations.0003_default_bank_template")
    return dict(seeded.FILE_TEMPLATE if field == "file" else seeded.RETURN_TEMPLATE)


class BankTemplateFactory(factory.django.DjangoModelFactory):
    """泰山区's template: the shared default's columns and formats."""

    class Meta:
        model = BankTemplate

    county = factory.SubFactory(RegionFactory, code="370902", name="泰山区")
    name = factory.Sequence(lambda n: f"银行模板{n}")
    bank_name = "泰安农商银行"
    file_template = factory.LazyFunction(lambda: _shared("file"))
    return_template = factory.LazyFunction(lambda: _shared("return"))


class PaymentFileFactory(factory.django.DjangoModelFactory):
    """The payment file of a batch, as issued (no file stored: tests that download store one)."""

    class Meta:
        model = PaymentFile

    batch = factory.SubFactory(PayoutBatchFactory)
    template = factory.SubFactory(BankTemplateFactory)
    file_template = factory.LazyAttribute(lambda o: o.template.file_template)
    return_template = factory.LazyAttribute(lambda o: o.template.return_template)
    created_by = factory.LazyFunction(first_user)
    path = factory.LazyAttribute(lambda o: f"payout/files/{o.batch.pk}.xlsx")
    sha256 = "0" * 64
    lines = 1
    total_fen = 210000


class AccountFixFactory(factory.django.DjangoModelFactory):
    """An open fix of a failed line (账户不存在)."""

    class Meta:
        model = AccountFix

    line = factory.SubFactory(PayoutLineFactory, status=LineStatus.FAILED)
    person = factory.LazyAttribute(lambda o: o.line.person)
    region_code = factory.LazyAttribute(lambda o: o.line.region_code)
    reason = FailureReason.NO_ACCOUNT
    reason_text = "账户不存在"


class FlexibleInsuranceFactory(factory.django.DjangoModelFactory):
    """The person of an urban post insured as a flexible worker in 2026."""

    class Meta:
        model = FlexibleInsurance

    placement = factory.SubFactory("tests.factories.people.PlacementFactory")
    year = 2026
    region_code = factory.LazyAttribute(lambda o: o.placement.region_code)
    evidence = "缴费凭证 2026-001"
    recorded_by = factory.LazyFunction(first_user)
