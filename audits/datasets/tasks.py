"""The match's monthly run (Celery beat; docs/policy.md §8)."""

from celery import shared_task

from audits.datasets.enums import DatasetStatus
from audits.models import DatasetVersion
from gongyi.errors import DomainError


@shared_task(name="audits.datasets.tasks.dataset_match_monthly")
def dataset_match_monthly() -> dict:
    """Monthly: every county with a loaded dataset matched against its newest versions. Each
    county is one transaction: safe to run twice or to kill halfway (no finding twice). A county
    whose match is already running (started on demand) is left to it."""
    from audits.datasets.match import dataset_match

    done = {}
    counties = (
        DatasetVersion.objects.filter(status=DatasetStatus.LOADED)
        .values_list("region_code", flat=True)
        .distinct()
    )
    for county in counties:
        try:
            done[county] = dataset_match(region_code=county)
        except DomainError as exc:
            done[county] = {"refused": exc.message}
    return done
