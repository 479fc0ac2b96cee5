"""The payout's background jobs (``gongyi.jobs``): a batch's lines made, its payment file
issued, the bank's return read, each by a Celery worker, with the job row telling the page how
far it is (docs/policy.md §7, "How gongyi pays" and "How gongyi pays the bank").

Each runs the service as it is (``payout_batch_generate``, ``payout_file_issue``,
``payout_return_read``) through the shared job task (``gongyi.tasks.job_run``), so that the page
can poll ``/jobs/<id>/``. Each service is one transaction, so the progress says "queued",
"running" and "done"; each is safe to run twice (the generation skips months already in a live
line; the file is issued and the return read only from the batch's state before, under its
lock).
"""

from __future__ import annotations

from gongyi.jobs import register_job
from gongyi.models import Job

#: The job kinds; ``params["batch"]`` is the batch's id (and ``params["template"]`` the bank
#: template of the payment file; the return file travels in the job's ``payload``).
GENERATE = "payout.generate"
ISSUE = "payout.issue"
READ_RETURN = "payout.return"
BANK_JOBS = (ISSUE, READ_RETURN)


@register_job(GENERATE)
def run_generate(job, progress) -> dict:
    from subsidies.payout.tasks import payout_batch_generate

    progress(0, 1)
    # The task's own body, run here in the job's worker (``Task.__call__`` runs it in place).
    result = payout_batch_generate(job.params["batch"], job.created_by_id)
    progress(1, 1)
    return {"batch": job.params["batch"], **result}


@register_job(ISSUE)
def run_issue(job, progress) -> dict:
    from subsidies.payout.services import payout_file_issue

    progress(0, 1)
    issued = payout_file_issue(
        actor=job.created_by, batch_id=job.params["batch"], template_id=job.params["template"]
    )
    progress(1, 1)
    return {
        "batch": job.params["batch"],
        "lines": issued.lines,
        "total_fen": issued.total_fen,
        "stopped": issued.stopped,
        "sha256": issued.sha256,
    }


@register_job(READ_RETURN)
def run_return(job, progress) -> dict:
    from subsidies.payout.services import ReturnRefused, payout_return_read

    progress(0, 1)
    try:
        done = payout_return_read(
            actor=job.created_by,
            batch_id=job.params["batch"],
            file=bytes(job.payload),
            same_as_before=job.params.get("same_as_before", False),
        )
    except ReturnRefused as refused:
        # The job fails with the message (``gongyi.jobs``); the page lists every problem.
        Job.objects.filter(pk=job.pk).update(
            result={"batch": job.params["batch"], "problems": refused.problems}
        )
        raise
    progress(1, 1)
    return {
        "batch": job.params["batch"],
        "paid": done.paid,
        "failed": done.failed,
        "paid_fen": done.paid_fen,
        "failed_fen": done.failed_fen,
        "fixes": done.fixes,
    }
