"""The roster import's two jobs (``people.import_check``, ``people.import_commit``), registered when
``people.imports`` is imported (``people.apps``)."""

from __future__ import annotations

from gongyi.importing import import_commit_once
from gongyi.jobs import register_job
from gongyi.models import Job
from people.imports.check import person_import_check
from people.imports.commit import person_import_commit
from people.imports.payload import person_import_checked_payload


@register_job("people.import_check")
def run_import_check(job: Job, progress) -> dict:
    data = bytes(job.payload)
    result = person_import_check(actor=job.created_by, data=data, progress=progress)
    # Kept with the file for the commit job, which may then write these rows as they are.
    Job.objects.filter(pk=job.pk).update(payload=person_import_checked_payload(data, result))
    return result.as_dict()


@register_job("people.import_commit")
def run_import_commit(job: Job, progress) -> dict:
    result, _check = import_commit_once(job, person_import_commit, progress=progress)
    return result.as_dict() | {"created": len(result.good)}
