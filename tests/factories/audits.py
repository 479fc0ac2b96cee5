"""Factories of ``audits``: exits and recovery (``audits.models.exits``)."""

import datetime as dt

import factory

from audits.exits.enums import ExitKind, RepaymentKind
from audits.models import Debt, DebtLine, Exit, Repayment
from tests.factories.gongyi import first_user
from tests.factories.payout import PayoutLineFactory
from tests.factories.people import PlacementFactory


class ExitFactory(factory.django.DjangoModelFactory):
    """The person left by own choice with 2026-11-14 as the last day (written directly: the
    placement is not ended; tests of the exit call ``exit_record``)."""

    class Meta:
        model = Exit

    placement = factory.SubFactory(PlacementFactory)
    person = factory.LazyAttribute(lambda o: o.placement.person)
    region_code = factory.LazyAttribute(lambda o: o.placement.region_code)
    kind = ExitKind.OWN_CHOICE
    effective_date = dt.date(2026, 11, 14)
    recover_from = factory.LazyAttribute(lambda o: o.effective_date + dt.timedelta(days=1))
    reason = "本人申请"
    decided_by = "岱庙街道办事处"
    decided_on = dt.date(2026, 11, 14)
    recorded_by = factory.LazyFunction(first_user)


class DebtFactory(factory.django.DjangoModelFactory):
    """1,000.00 yuan to recover, nothing repaid."""

    class Meta:
        model = Debt

    exit = factory.SubFactory(ExitFactory)
    person = factory.LazyAttribute(lambda o: o.exit.person)
    region_code = factory.LazyAttribute(lambda o: o.exit.region_code)
    amount_fen = 100000


class DebtLineFactory(factory.django.DjangoModelFactory):
    """A paid month of 2,100.00, recovered whole."""

    class Meta:
        model = DebtLine

    debt = factory.SubFactory(DebtFactory)
    payout_line = factory.SubFactory(PayoutLineFactory, status="paid")
    region_code = factory.LazyAttribute(lambda o: o.debt.region_code)
    month = factory.LazyAttribute(lambda o: o.payout_line.month)
    paid_fen = factory.LazyAttribute(lambda o: o.payout_line.amount_fen)
    recovered_fen = factory.LazyAttribute(lambda o: o.paid_fen)
    figures = factory.LazyFunction(lambda: {"rule": "whole"})


class RepaymentFactory(factory.django.DjangoModelFactory):
    """100.00 yuan paid back on 2026-12-01 against a receipt."""

    class Meta:
        model = Repayment

    debt = factory.SubFactory(DebtFactory)
    region_code = factory.LazyAttribute(lambda o: o.debt.region_code)
    kind = RepaymentKind.PAID
    paid_on = dt.date(2026, 12, 1)
    amount_fen = 10000
    receipt_number = factory.Sequence(lambda n: f"收据{n:05d}")
    recorded_by = factory.LazyFunction(first_user)
