"""A payout line held (暂停发放) with a reason, and released into a later batch (docs/policy.md §7).

A held line stays in its batch, unpaid, standing for its placement's month (it is live: no other
line may pay that month). Released into a later draft batch of the same township and kind, it
ends as ``released`` and a new line pays it there, following it, with the person's name, ID
number and account as they are now (the reason for holding may have been the account); its
amount, rules and subsidy months are the held line's.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_record_many
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.roles import require_role
from subsidies.payout import generation
from subsidies.payout.amount import yuan
from subsidies.payout.enums import BatchState, LineStatus
from subsidies.payout.models import PayoutBatch, PayoutLine
from subsidies.payout.roles import PREPARE_PAYOUTS
from subsidies.payout.services.batches import _lock_batch


def _line(batch: PayoutBatch, line_id: int) -> PayoutLine:
    line = PayoutLine.objects.select_for_update().filter(pk=line_id, batch=batch).first()
    if line is None:
        raise DomainError(_("Not found, or outside your area."))
    return line


def _batch_of_line(actor, line_id: int) -> int:
    batch_id = PayoutLine.objects.filter(pk=line_id).values_list("batch_id", flat=True).first()
    if batch_id is None:
        raise DomainError(_("Not found, or outside your area."))
    return batch_id


def _pending_line_of_draft(actor, line_id: int, *, batch_refused: str, line_refused: str):
    """The line ``line_id`` to be paid in a batch being prepared, both locked; else the refusal
    (``%(state)s`` the batch's, ``%(status)s`` the line's)."""
    # The batch row first, as every change of a batch's lines: a change cannot slip in while
    # the batch is being submitted.
    batch = _lock_batch(actor, _batch_of_line(actor, line_id))
    if batch.state != BatchState.DRAFT:
        raise DomainError(batch_refused % {"state": batch.get_state_display()})
    line = _line(batch, line_id)
    if line.status != LineStatus.PENDING:
        raise DomainError(line_refused % {"status": line.get_status_display()})
    return line


def payout_line_hold(*, actor, line_id: int, reason: str) -> PayoutLine:
    """Hold a line of a batch being prepared, with the reason (for example an open cross-check
    finding): it is not paid with the batch."""
    require_role(actor, PREPARE_PAYOUTS)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the payment is held."))
    with transaction.atomic():
        line = _pending_line_of_draft(
            actor,
            line_id,
            batch_refused=_("This payout batch is %(state)s: its lines can no longer be held."),
            line_refused=_("This line is %(status)s: it cannot be held."),
        )
        line.status, line.held_reason = LineStatus.HELD, reason[:300]
        line.save(update_fields=["status", "held_reason"])
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    action=AuditAction.TRANSITION,
                    instance=line,
                    changes={"status": [LineStatus.PENDING, LineStatus.HELD]},
                    note=reason,
                )
            ],
        )
        return line


#: The columns a released line's follower copies as they are; the person's name, ID number and
#: account are taken again, and the batch, status and hash are its own.
COPIED = [
    "placement_id",
    "month",
    "kind",
    "row_id",
    "person_id",
    "post_id",
    "region_code",
    "post_title",
    "hourly",
    "standard",
    "required_days",
    "present_days",
    "paid_leave_days",
    "unpaid_leave_days",
    "absent_days",
    "full_days",
    "required_hours",
    "worked_hours",
    "paid_leave_hours",
    "full_hours",
    "grade",
    "amount_fen",
    "reasons",
    "carried_ids",
    "placement_month",
    "lifetime_month",
    "period_ends",
    "period_reason",
]


def follower_insert(*, line_id: int, batch_id: int) -> PayoutLine:
    """A new line to be paid in batch ``batch_id`` that pays on from line ``line_id`` (a held
    line released, or a failed one paid again): its columns copied, the person's name, ID number
    and account taken as they are now, not counted yet, hashed. In the caller's transaction."""
    columns = ", ".join(COPIED)
    copied = ", ".join(f"l.{c}" for c in COPIED)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO payout_payoutline (batch_id, status, held_reason, bank_reason,
                bank_reason_text, follows_id, person_name, id_number, account_number, bank_name,
                counted, hash, created_at, {columns})
            SELECT %(batch)s, 'pending', '', '', '', l.id, person.name, person.id_number,
                   person.account_number, person.bank_name, false, '', now(), {copied}
            FROM payout_payoutline l JOIN people_person person ON person.id = l.person_id
            WHERE l.id = %(line)s
            RETURNING id
            """,
            {"batch": batch_id, "line": line_id},
        )
        (new_id,) = cursor.fetchone()
        cursor.execute(
            f"UPDATE payout_payoutline l SET hash = {generation.LINE_HASH_SQL} WHERE l.id = %s",
            [new_id],
        )
    return PayoutLine.objects.get(pk=new_id)


def payout_line_release(*, actor, line_id: int, batch_id: int, reason: str = "") -> PayoutLine:
    """Release a held line: into its own batch while that is still being prepared (it is paid
    with it after all), or into a later batch of the same township and kind being prepared (a
    new line there pays it, following the held one, which ends ``released``). A line past its
    subsidy period is released only with the reason (the county's extension), on the record."""
    reason = (reason or "").strip()
    require_role(actor, PREPARE_PAYOUTS)
    with transaction.atomic():
        source_id = _batch_of_line(actor, line_id)
        # Both batch rows, in id order (two releases crossing cannot deadlock).
        locked = {pk: _lock_batch(actor, pk) for pk in sorted({source_id, batch_id})}
        source, target = locked[source_id], locked[batch_id]
        line = _line(source, line_id)
        if line.status != LineStatus.HELD:
            raise DomainError(
                _("This line is %(status)s: only a held line is released.")
                % {"status": line.get_status_display()}
            )
        if line.past_period and not reason:
            raise DomainError(
                _(
                    "This line is past the subsidy period (%(why)s): say why it is paid, for "
                    "example the county's decision to extend the period."
                )
                % {"why": line.get_period_reason_display()}
            )
        if target.state != BatchState.DRAFT:
            raise DomainError(
                _("This payout batch is %(state)s: nothing can be released into it.")
                % {"state": target.get_state_display()}
            )
        if (target.region_code, target.kind) != (source.region_code, source.kind) or (
            target.month < source.month
        ):
            raise DomainError(
                _(
                    "A held line is released into a later payout batch of the same township and kind."
                )
            )
        if target.pk == source.pk:
            line.status, line.held_reason = LineStatus.PENDING, ""
            line.save(update_fields=["status", "held_reason"])
            released = line
        else:
            line.status = LineStatus.RELEASED
            line.save(update_fields=["status"])
            released = follower_insert(line_id=line.pk, batch_id=target.pk)
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    action=AuditAction.TRANSITION,
                    instance=line,
                    changes={
                        "status": [LineStatus.HELD, line.status],
                        "batch": [source.pk, target.pk],
                    },
                    note=reason[:300],
                )
            ]
            + (
                [
                    Change(
                        action=AuditAction.CREATE,
                        instance=released,
                        changes={"follows": [None, line.pk]},
                    )
                ]
                if released is not line
                else []
            ),
        )
        return released


#: The batches whose pending lines are not yet with the bank: an exit may still stop them.
NOT_ISSUED = (BatchState.DRAFT, BatchState.SUBMITTED, BatchState.APPROVED)


def payout_lines_stop(*, actor, placement_id: int, from_month, reason: str) -> list[int]:
    """Hold every line of the placement still to be paid for ``from_month`` and later whose batch
    is not yet with the bank (being prepared, submitted or approved), with ``reason``: an exit
    (docs/policy.md §8) stops the payout from its date. A month counted at approval is taken off
    the person again, as a line stopped before the payment file is (``bank._hold``). In the
    caller's transaction; returns the ids of the lines held."""
    reason = (reason or "").strip()[:300]
    if not reason:
        raise DomainError(_("Say why the payment is held."))
    batch_ids = sorted(
        set(
            PayoutLine.objects.filter(
                placement_id=placement_id,
                month__gte=from_month,
                status=LineStatus.PENDING,
                batch__state__in=NOT_ISSUED,
            ).values_list("batch_id", flat=True)
        )
    )
    # The batch rows first, in id order, as every change of a batch's lines: a batch cannot be
    # submitted, approved or issued while its lines are being held.
    batches = list(PayoutBatch.objects.select_for_update().filter(pk__in=batch_ids).order_by("pk"))
    open_ids = [b.pk for b in batches if b.state in NOT_ISSUED]
    lines = list(
        PayoutLine.objects.select_for_update().filter(
            placement_id=placement_id,
            month__gte=from_month,
            status=LineStatus.PENDING,
            batch_id__in=open_ids,
        )
    )
    if not lines:
        return []
    ids = [line.pk for line in lines]
    PayoutLine.objects.filter(pk__in=ids).update(status=LineStatus.HELD, held_reason=reason)
    generation.months_uncount(ids)
    audit_record_many(
        actor=actor,
        changes=[
            Change(
                action=AuditAction.TRANSITION,
                instance=line,
                changes={"status": [LineStatus.PENDING, LineStatus.HELD]},
                note=reason,
            )
            for line in lines
        ],
    )
    return ids


def payout_line_offset(*, actor, line_id: int, fen: int, note: str) -> PayoutLine:
    """Take ``fen`` off a line still being prepared, to repay a debt (an offset, 抵扣: where the
    county allows it, docs/policy.md §8): its amount is lowered, an ``offset`` rule says why, and
    it is hashed again. Called by the recovery's service in its transaction."""
    require_role(actor, PREPARE_PAYOUTS)
    line = _pending_line_of_draft(
        actor,
        line_id,
        batch_refused=_("This payout batch is %(state)s: its lines can no longer be changed."),
        line_refused=_("This line is %(status)s: nothing can be taken off it."),
    )
    if not 0 < fen <= line.amount_fen:
        raise DomainError(
            _("The line pays %(yuan)s yuan: no more can be taken off it.")
            % {"yuan": yuan(line.amount_fen)}
        )
    before = line.amount_fen
    line.amount_fen -= fen
    line.reasons = [*line.reasons, {"rule": "offset", "amount": fen, "note": note[:100]}]
    line.save(update_fields=["amount_fen", "reasons"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE payout_payoutline l SET hash = {generation.LINE_HASH_SQL} WHERE l.id = %s",
            [line.pk],
        )
    audit_record_many(
        actor=actor,
        changes=[
            Change(
                action=AuditAction.UPDATE,
                instance=line,
                changes={"amount_fen": [before, line.amount_fen]},
                note=note,
            )
        ],
    )
    line.refresh_from_db()
    return line
