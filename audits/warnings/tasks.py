"""The daily warnings job (docs/policy.md §8): every county's list refreshed."""

from celery import shared_task

from gongyi.enums import RegionLevel
from gongyi.models import Region


@shared_task(name="audits.warnings.tasks.warnings_refresh_all")
def warnings_refresh_all() -> dict:
    """Daily, early: each county's warnings listed and dealt with, one statement a county, safe
    to run twice or to kill halfway (a county done stays done; the rest is done on the rerun)."""
    from audits.warnings.services import warnings_refresh

    done = {}
    for code in Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", flat=True):
        result = warnings_refresh(county_code=code)
        done[code] = {"listed": result.listed, "dealt_with": result.dealt_with}
    return done
