"""The payout's background job (``gongyi.jobs``): a batch's lines made by a Celery worker, with
the job row telling the batch page how far it is (docs/policy.md §7, "How gongyi pays").

The runner is the body of the Celery task ``subsidies.payout.tasks.payout_batch_generate``, run
by the shared job task (``gongyi.tasks.job_run``) so that the page can poll ``/jobs/<id>/``. The
lines are made in one statement, so the progress says "queued", "running" and "done"; safe to run
twice (the generation skips months already in a live line).
"""

from __future__ import annotations

from gongyi.jobs import register_job

#: The job kind of a batch's generation; ``params["batch"]`` is the batch's id.
GENERATE = "payout.generate"


@register_job(GENERATE)
def run_generate(job, progress) -> dict:
    from subsidies.payout.tasks import payout_batch_generate

    progress(0, 1)
    # The task's own body, run here in the job's worker (``Task.__call__`` runs it in place).
    result = payout_batch_generate(job.params["batch"], job.created_by_id)
    progress(1, 1)
    return {"batch": job.params["batch"], **result}
