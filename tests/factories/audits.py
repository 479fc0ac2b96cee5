"""Factories of the audits app (``audits.models``)."""

import datetime as dt
import hashlib

import factory
from django.core.files.base import ContentFile

from audits.datasets.enums import DatasetKind, DatasetStatus
from audits.models import DatasetRow, DatasetVersion, ExpiryWarning, Finding
from tests.factories.gongyi import first_user
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
