from celery import shared_task

from gongyi.models import User
from subsidies.payout.models import PayoutBatch
from subsidies.payout.selectors import batch_not_ready
from subsidies.payout.services import payout_batch_generate as generate


@shared_task(name="subsidies.payout.tasks.payout_batch_generate")
def payout_batch_generate(batch_id: int, user_id: int | None = None) -> dict:
    """Make a payout batch's lines in the background, as ``user_id`` (by default whoever opened
    the batch). Safe to run twice or to kill halfway: one transaction, and lines made are kept."""
    batch = PayoutBatch.objects.get(pk=batch_id)
    actor = User.objects.get(pk=user_id or batch.created_by_id)
    result = generate(actor=actor, batch_id=batch_id)
    not_ready = batch_not_ready(result.batch)
    return {
        "lines": result.made.lines,
        "total_fen": result.made.total_fen,
        "not_ready": sum(n.people for n in not_ready),
    }
