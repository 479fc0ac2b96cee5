"""Factories of the payout (``subsidies.payout``)."""

import datetime as dt
from decimal import Decimal

import factory

from subsidies.attendance.enums import Grade
from subsidies.payout.enums import BatchKind, LineStatus
from subsidies.payout.models import GradeRule, PayoutBatch, PayoutLine
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
