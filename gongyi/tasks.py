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
