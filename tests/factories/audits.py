"""Factories of the audits app (``audits.models``)."""

import datetime as dt
import hashlib

import factory
from django.core.files.base import ContentFile

from audits.datasets.enums import DatasetKind, DatasetStatus
from audits.exits.enums import ExitKind, RepaymentKind
from audits.models import (
    DatasetRow,
    DatasetVersion,
    Debt,
    DebtLine,
    Exit,
    ExpiryWarning,
    Finding,
    Repayment,
)
from tests.factories.gongyi import first_user
from tests.factories.payout import PayoutLineFactory
from tests.factories.people import PlacementFactory, id_number_for


class DatasetVersionFactory(factory.django.DjangoModelFactory):
    """泰山区's deaths list of 2026-11-30, loaded (each a file of its own)."""

    class Meta:
        model = DatasetVersion

    kind = DatasetKind.DEATHS
    region_code = "370902"
    status = DatasetStatus.LOADED
    as_of = dt.date(2026, 11, 30)
    file_name = factory.Sequence(lambda n: f"死亡人员{n}.csv")
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.file_name.encode()).hexdigest())
    file = factory.LazyAttribute(
        lambda o: ContentFile(f"身份证号,姓名,死亡日期\n{o.file_name}".encode(), name="list.csv")
    )
    file_size = 64
    uploaded_by = factory.LazyFunction(first_user)
    row_count = 1
    loaded_rows = 1


class DatasetRowFactory(factory.django.DjangoModelFactory):
    """A death on 2026-10-01 in a loaded version."""

    class Meta:
        model = DatasetRow

    version = factory.SubFactory(DatasetVersionFactory)
    id_number = factory.Sequence(lambda n: id_number_for(dt.date(1960, 1, 1), male=True, serial=n))
    line = factory.Sequence(lambda n: n + 2)
    name = "王某"
    start = dt.date(2026, 10, 1)


class FindingFactory(factory.django.DjangoModelFactory):
    """A new finding: the person of an open placement died on 2026-10-01, by a deaths list."""

    class Meta:
        model = Finding

    placement = factory.SubFactory(PlacementFactory)
    person = factory.SelfAttribute("placement.person")
    region_code = factory.SelfAttribute("placement.region_code")
    kind = DatasetKind.DEATHS
    fact_key = "2026-10-01"
    fact_from = dt.date(2026, 10, 1)
    version = factory.SubFactory(DatasetVersionFactory)
    evidence = factory.LazyAttribute(
        lambda o: {"version": o.version.pk, "row": 2, "id_number": o.person.id_number}
    )


class ExpiryWarningFactory(factory.django.DjangoModelFactory):
    """A placement's subsidy period ending on its own date, listed on 2026-12-01."""

    class Meta:
        model = ExpiryWarning

    kind = "subsidy_end"
    placement = factory.SubFactory(PlacementFactory)
    person = factory.SelfAttribute("placement.person")
    post = factory.SelfAttribute("placement.post")
    region_code = factory.SelfAttribute("placement.region_code")
    due_on = factory.SelfAttribute("placement.subsidy_end")
    listed_on = dt.date(2026, 12, 1)


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
