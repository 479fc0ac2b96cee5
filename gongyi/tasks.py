import logging

from celery import shared_task
from django.utils import translation

from gongyi.audit import audit_verify_chain as verify


@shared_task(name="gongyi.tasks.audit_verify_chain")
def audit_verify_chain() -> dict:
    """Nightly: recompute the audit chain. Read-only, so running it twice is harmless."""
    with translation.override("zh-hans"):
        report = verify()
    if not report.ok:
        logging.getLogger(__name__).error(
            "audit chain broken at %s: %s", report.broken_seq, report.reason
        )
    return {
        "ok": report.ok,
        "checked": report.checked,
        "broken_seq": report.broken_seq,
        "reason": report.reason,
    }


@shared_task(name="gongyi.tasks.job_run")
def job_run(job_id: int) -> None:
    """Run one background job; a job that already ran is left alone."""
    from gongyi.jobs import job_execute

    with translation.override("zh-hans"):
        job_execute(job_id)
