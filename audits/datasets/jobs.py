"""The dataset load's background job (``gongyi.jobs``)."""

from __future__ import annotations

from gongyi.jobs import register_job

LOAD = "audits.dataset_load"


@register_job(LOAD)
def run_dataset_load(job, progress) -> dict:
    from audits.datasets.loading import dataset_load

    return dataset_load(version_id=job.params["version"], job_id=job.pk)
