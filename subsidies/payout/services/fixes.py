"""Account fixes (账户修正) after a failed payment, and the follow-up batch that pays them again
(docs/policy.md §7, "How gongyi pays the bank").

A line the bank failed is not live: it stays as the bank left it, with its reason. Once the
township enters the right account on the person file, a new line pays the month in a follow-up
batch (补发批次) of the same township, month and kind — numbered 1, 2, … after the month's own —
following the failed line; the failed line is never sent again.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_created, audit_record_many
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from people.models import Person
from people.services import person_update
from subsidies.payout.enums import BatchState, FixState
from subsidies.payout.models import AccountFix, PayoutBatch
from subsidies.payout.roles import FIX_ACCOUNTS
from subsidies.payout.services.batches import _lock_batch
from subsidies.payout.services.lines import follower_insert


def _follow_up_batch(actor, batch: PayoutBatch) -> PayoutBatch:
    """The follow-up batch being prepared of ``batch``'s township, month and kind; a new one,
    numbered after the last, when there is none."""
    siblings = PayoutBatch.objects.filter(
        region_code=batch.region_code, month=batch.month, kind=batch.kind
    )
    follow_up = (
        siblings.select_for_update()
        .filter(sequence__gt=0, state=BatchState.DRAFT)
        .order_by("-sequence")
        .first()
    )
    if follow_up is not None:
        return follow_up
    last = siblings.aggregate(last=Max("sequence"))["last"] or 0
    follow_up = PayoutBatch.objects.create(
        region_code=batch.region_code,
        month=batch.month,
        kind=batch.kind,
        sequence=last + 1,
        follows_batch=batch,
        created_by=actor,
    )
    audit_created(actor=actor, instance=follow_up)
    return follow_up


def account_fix_complete(
    *, actor, fix_id: int, account_number: str, bank_name: str = ""
) -> AccountFix:
    """Fix the account of a failed payment: the person file takes the new account (checked as
    every file's is), and a new line pays the failed line's month in the follow-up batch being
    prepared (made when there is none), following the failed line."""
    require_role(actor, FIX_ACCOUNTS)
    batch_id = (
        scope_queryset(actor, AccountFix.objects)
        .filter(pk=fix_id)
        .values_list("line__batch_id", flat=True)
        .first()
    )
    if batch_id is None:
        raise DomainError(_("Not found, or outside your area."))
    try:
        with transaction.atomic():
            # Locked, the failed line's batch first as every change of its lines: two fixes of
            # its lines at once find or make one follow-up batch, not two.
            batch = _lock_batch(actor, batch_id)
            # And the month's own batch, before anything is written (the audit chain's head is
            # locked by the first write): fixes of lines failed in two batches of the month —
            # its own and a follow-up — find or make one follow-up batch, not two of one number.
            PayoutBatch.objects.select_for_update().filter(
                region_code=batch.region_code, month=batch.month, kind=batch.kind, sequence=0
            ).first()
            fix = AccountFix.objects.select_for_update().select_related("line").get(pk=fix_id)
            if fix.state != FixState.OPEN:
                raise DomainError(_("This account has been fixed already."))
            person = Person.objects.get(pk=fix.person_id)
            person = person_update(
                actor=actor,
                person=person,
                account_number=account_number,
                bank_name=(bank_name or "").strip() or person.bank_name,
            )
            follow_up = _follow_up_batch(actor, batch)
            line = follower_insert(line_id=fix.line_id, batch_id=follow_up.pk)
            fix.state, fix.fixed_by, fix.fixed_at = FixState.FIXED, actor, timezone.now()
            fix.account_number, fix.bank_name = person.account_number, person.bank_name
            fix.follow_up = line
            fix.save(
                update_fields=[
                    "state",
                    "fixed_by",
                    "fixed_at",
                    "account_number",
                    "bank_name",
                    "follow_up",
                ]
            )
            audit_record_many(
                actor=actor,
                changes=[
                    Change(
                        action=AuditAction.TRANSITION,
                        instance=fix,
                        changes={
                            "state": [FixState.OPEN, FixState.FIXED],
                            "follow_up": [None, line.pk],
                        },
                    ),
                    Change(
                        action=AuditAction.CREATE,
                        instance=line,
                        changes={"follows": [None, fix.line_id], "batch": [None, follow_up.pk]},
                    ),
                ],
            )
            return fix
    except IntegrityError as exc:
        constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "")
        if constraint == "payout_line_one_live":
            raise DomainError(
                _("The month of this line is in another payout line already: it is not paid twice.")
            ) from None
        raise DomainError(
            _("Another account of this month was fixed at the same moment: please try again.")
        ) from None
