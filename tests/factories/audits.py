"""Factories of the audits app: warnings (and, later, the cross-checks and exits)."""

import datetime as dt

import factory

from audits.models import ExpiryWarning
from tests.factories.people import PlacementFactory


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
