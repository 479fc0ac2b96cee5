"""Background jobs: start one, let a Celery worker run it, report progress to the page.

An app registers a runner for a job kind (``register_job``). The runner gets the job and a
``progress(done, total)`` callback and returns the result dict the page shows. Runners must be
safe to run twice: the task refuses a job that has already finished.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.errors import DomainError
from gongyi.models import Job, JobStatus

logger = logging.getLogger(__name__)

Runner = Callable[[Job, Callable[[int, int], None]], dict]
JOB_RUNNERS: dict[str, Runner] = {}


def register_job(kind: str) -> Callable[[Runner], Runner]:
    def decorator(runner: Runner) -> Runner:
        JOB_RUNNERS[kind] = runner
        return runner

    return decorator


def job_start(
    *, actor, kind: str, payload: bytes = b"", file_name: str = "", params: dict | None = None
) -> Job:
    """Create a queued job in the actor's area and hand it to the worker once this commits."""
    from gongyi.tasks import job_run

    if kind not in JOB_RUNNERS:
        raise DomainError(_("Unknown kind of job."))
    job = Job.objects.create(
        kind=kind,
        created_by=actor,
        region_code=actor.region.code,
        payload=payload,
        file_name=file_name[:200],
        params=params or {},
    )
    transaction.on_commit(lambda: job_run.delay(job.pk))
    return job


def job_execute(job_id: int) -> None:
    """Run a queued job to its end (the Celery task's body)."""
    updated = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING
    )
    if not updated:
        return  # already run, or running elsewhere
    job = Job.objects.select_related("created_by__region").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(done=done, total=total)

    try:
        result = JOB_RUNNERS[job.kind](job, progress)
    except DomainError as exc:
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, error=exc.message, finished_at=timezone.now()
        )
        return
    except Exception:
        logger.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            error=_("The job failed unexpectedly; nothing was changed. Tell the administrator."),
            finished_at=timezone.now(),
        )
        return
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.DONE, result=result, finished_at=timezone.now()
    )
