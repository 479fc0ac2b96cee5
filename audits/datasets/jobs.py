"""The dataset load's background job (``gongyi.jobs``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongyi.jobs import register_job

LOAD = "audits.dataset_load"


@register_job(LOAD)
def run_dataset_load(job, progress) -> dict:
    from audits.datasets.enums import DatasetStatus
    from audits.datasets.loading import dataset_load
    from audits.models import DatasetVersion

    version_id = job.params["version"]
    try:
        return dataset_load(version_id=version_id, job_id=job.pk)
    except Exception:
        # Nothing was loaded (the load is one transaction); the version is refused, so that the
        # same file may be uploaded again.
        DatasetVersion.objects.filter(pk=version_id, status=DatasetStatus.CHECKING).update(
            status=DatasetStatus.REJECTED,
            error=_("The load failed unexpectedly; nothing was loaded. Upload the file again."),
        )
        raise


MATCH = "audits.dataset_match"


@register_job(MATCH)
def run_dataset_match(job, progress) -> dict:
    from audits.datasets.match import dataset_match

    return dataset_match(region_code=job.region_code, actor=job.created_by)
