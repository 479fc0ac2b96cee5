"""The clock-in import's background jobs (``gongyi.jobs``): the check, and the commit of a file
checked (once per check, ``import_commit_once``)."""

from __future__ import annotations

from gongyi.importing import import_commit_once
from gongyi.jobs import register_job
from gongyi.models import Job
from subsidies.attendance.clockin.check import clockin_import_check
from subsidies.attendance.clockin.commit import clockin_import_commit
from subsidies.attendance.clockin.shared import CHECK, COMMIT


@register_job(CHECK)
def run_import_check(job: Job, progress) -> dict:
    return clockin_import_check(
        actor=job.created_by, data=bytes(job.payload), progress=progress
    ).as_dict()


@register_job(COMMIT)
def run_import_commit(job: Job, progress) -> dict:
    result, _check = import_commit_once(job, clockin_import_commit, progress=progress)
    return result.as_dict()
