"""The demo's warnings (``seed_demo``): two people of the demo county whose subsidy period ends
within the days ahead (their agreements' terms made to end then), the county's list refreshed,
and the advance notice of the first recorded as given by its township's clerk."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.models import ExpiryWarning
from audits.warnings.enums import WarningKind
from audits.warnings.services import warning_notice_record, warnings_refresh
from gongyi.demo import DemoStep, register_demo_step
from gongyi.enums import Role
from gongyi.models import Region, User
from people.models import Placement
from people.onboarding.models import Application

#: Days from today to the ends of the two demo subsidy periods.
ENDS_IN = (25, 50)


def seed_warnings(*, county: Region, options: dict, stdout) -> None:
    warnings = ExpiryWarning.objects.filter(region_code__startswith=county.code)
    if not warnings.filter(kind=WarningKind.SUBSIDY_END).exists():
        today = timezone.localdate()
        with transaction.atomic():
            ending = list(
                Placement.objects.filter(
                    region_code__startswith=county.code, end_date__isnull=True
                ).order_by("start_date", "id")[: len(ENDS_IN)]
            )
            for placement, days in zip(ending, ENDS_IN, strict=False):
                end = today + dt.timedelta(days=days)
                Placement.objects.filter(pk=placement.pk).update(subsidy_end=end)
                Application.objects.filter(placement=placement).update(term_end=end)
            warnings_refresh(county_code=county.code, today=today)
            first = warnings.filter(kind=WarningKind.SUBSIDY_END).order_by("due_on").first()
            clerk = (
                User.objects.filter(role=Role.CLERK, region__code=first.region_code[:9]).first()
                if first
                else None
            )
            if clerk is not None:
                warning_notice_record(actor=clerk, warning_id=first.pk)
    else:
        warnings_refresh(county_code=county.code)
    stdout.write(
        _("Demo warnings: %(n)s open in %(county)s.")
        % {"n": warnings.filter(resolved_on__isnull=True).count(), "county": county.name}
    )


register_demo_step(DemoStep("warnings", seed_warnings))
