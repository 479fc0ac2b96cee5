from celery import shared_task
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import TruncMonth

from audits.models import DebtLine, Exit
from subsidies.payout.enums import LineStatus
from subsidies.payout.models import PayoutLine


@shared_task(name="audits.exits.tasks.debts_collect")
def debts_collect() -> dict:
    """Nightly: the lines the bank paid after an exit was recorded (they were with the bank then)
    are added to its debt (docs/policy.md §8), as 「补入此后发放的补贴」 does by hand. One query finds
    the exits concerned; each is one transaction; safe to run twice (a line is on a debt once)."""
    from audits.exits.services import _collect

    uncovered = PayoutLine.objects.filter(
        placement_id=OuterRef("placement_id"),
        status=LineStatus.PAID,
        month__gte=OuterRef("recovery_month"),
    ).exclude(pk__in=DebtLine.objects.values("payout_line_id"))
    ids = list(
        Exit.objects.annotate(recovery_month=TruncMonth("recover_from"))
        .filter(Exists(uncovered))
        .values_list("pk", flat=True)
    )
    added = 0
    for pk in ids:
        with transaction.atomic():
            exit_ = Exit.objects.select_for_update().get(pk=pk)
            added += _collect(None, exit_) is not None
    return {"exits": len(ids), "debts": added}
