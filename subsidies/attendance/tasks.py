from celery import shared_task
from django.utils import timezone

from gongyi.enums import RegionLevel
from gongyi.models import Region
from subsidies.attendance.planning import month_prepare


@shared_task(name="subsidies.attendance.tasks.months_prepare")
def months_prepare() -> dict:
    """Daily, early: every county's sheets and rows of the current month, so that a placement that
    started yesterday is on its village's grid this morning (docs/policy.md §7). Set-based and safe
    to run twice or to kill halfway: each county is one transaction, rows that exist are kept."""
    month = timezone.localdate().replace(day=1)
    made = {}
    for code in Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", flat=True):
        made[code] = month_prepare(month=month, region_code=code)
    return {"month": month.isoformat(), "rows": made}
