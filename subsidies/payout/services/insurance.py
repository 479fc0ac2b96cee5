"""The year's insurance (docs/policy.md §7, "Insurance"): a person on an urban post recorded as
insured as a flexible worker in a year (or that record withdrawn), the accident insurance's
premium paid to the insurer, and the insurer's lists downloaded.

The insurance batches themselves are opened, generated and moved as every payout batch is
(``services.batches``); this module keeps only what the insurance adds.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_created, audit_deleted, audit_record_many
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from people.models import Placement
from posts.enums import AreaKind, InsuranceKind
from subsidies.payout.enums import LIVE_LINE_STATUSES, BatchKind, BatchState, LineStatus
from subsidies.payout.models import FlexibleInsurance, PayoutBatch, PayoutLine
from subsidies.payout.roles import DOWNLOAD_PAYMENT_FILES, ISSUE_PAYOUTS, PREPARE_PAYOUTS
from subsidies.payout.services.batches import _lock_batch, payout_batch_transition


def flexible_insurance_record(
    *, actor, placement_id: int, year: int, evidence: str = ""
) -> FlexibleInsurance:
    """Record that the person on an urban post whose insurance is the social-insurance subsidy
    was insured as a flexible worker in ``year`` (with the evidence seen): the year's
    social-insurance subsidy refunds them. Recording it again gives the same record."""
    require_role(actor, PREPARE_PAYOUTS)
    placement = (
        scope_queryset(actor, Placement.objects.select_related("post"))
        .filter(pk=placement_id)
        .first()
    )
    if placement is None:
        raise DomainError(_("Not found, or outside your area."))
    post = placement.post
    if post.area_kind != AreaKind.URBAN or post.insurance_kind != (
        InsuranceKind.SOCIAL_INSURANCE_SUBSIDY
    ):
        raise DomainError(
            _(
                "Only people on urban posts with the social-insurance subsidy are refunded as "
                "flexible workers; this post's people are covered by the accident insurance."
            )
        )
    if not 2000 <= year <= 2100 or not (
        placement.start_date <= dt.date(year, 12, 31)
        and (placement.end_date is None or placement.end_date >= dt.date(year, 1, 1))
    ):
        raise DomainError(_("The person was not on the post in that year."))
    existing = FlexibleInsurance.objects.filter(placement=placement, year=year).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            record = FlexibleInsurance.objects.create(
                placement=placement,
                year=year,
                region_code=placement.region_code,
                evidence=(evidence or "").strip()[:200],
                recorded_by=actor,
            )
            audit_created(actor=actor, instance=record)
    except IntegrityError:  # recorded by someone else at the same moment
        record = FlexibleInsurance.objects.get(placement=placement, year=year)
    return record


def flexible_insurance_withdraw(*, actor, record_id: int) -> None:
    """Withdraw a record entered by mistake, while no live social-insurance line refunds that
    year."""
    require_role(actor, PREPARE_PAYOUTS)
    with transaction.atomic():
        record = (
            scope_queryset(actor, FlexibleInsurance.objects.select_for_update())
            .filter(pk=record_id)
            .first()
        )
        if record is None:
            raise DomainError(_("Not found, or outside your area."))
        refunded = PayoutLine.objects.filter(
            placement_id=record.placement_id,
            month=dt.date(record.year, 1, 1),
            kind=BatchKind.SOCIAL_INSURANCE,
            status__in=LIVE_LINE_STATUSES,
        )
        if refunded.exists():
            raise DomainError(
                _(
                    "The year's social-insurance subsidy of this person is in a payout batch already."
                )
            )
        audit_deleted(actor=actor, instance=record)
        record.delete()


def accident_premium_pay(*, actor, batch_id: int) -> PayoutBatch:
    """The approved accident insurance batch's premium paid to the insurer in one payment
    (premium × people, not a payment file to the people): the batch moves on as a paid batch
    does — the payment issued, then settled — through ``payout_batch_transition``, and every
    line to be paid is paid."""
    require_role(actor, ISSUE_PAYOUTS)
    with transaction.atomic():
        # Locked: the premium is paid once, and no line changes meanwhile.
        batch = _lock_batch(actor, batch_id)
        if batch.kind != BatchKind.ACCIDENT_INSURANCE:
            raise DomainError(_("Only the accident insurance is paid to the insurer."))
        if batch.state != BatchState.APPROVED:
            raise DomainError(
                _("This payout batch is %(state)s: only an approved one is paid.")
                % {"state": batch.get_state_display()}
            )
        # Checks every line's hash, and says who may issue the payment.
        # The premium's payment is the batch's way to the insurer: a bank move by its own
        # service (no payment file to the people).
        payout_batch_transition(
            actor=actor, batch_id=batch.pk, to=BatchState.FILE_ISSUED, by_bank_file=True
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE payout_payoutline SET status = %s WHERE batch_id = %s AND status = %s"
                " RETURNING amount_fen",
                [LineStatus.PAID, batch.pk, LineStatus.PENDING],
            )
            amounts = [fen for (fen,) in cursor.fetchall()]
        batch = payout_batch_transition(
            actor=actor, batch_id=batch.pk, to=BatchState.RETURNED, by_bank_file=True
        )
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    action=AuditAction.UPDATE,
                    instance=batch,
                    changes={"insured": [None, len(amounts)], "premium_fen": [None, sum(amounts)]},
                    note=_("Accident insurance premium paid to the insurer."),
                )
            ],
        )
        return batch


def insured_lists_download(*, actor, batch_id: int):
    """The accident insurance batch's lists for the insurer (``insurance.insured_lists``), with
    full ID numbers: for the roles that download payment files, each download on the audit
    trail."""
    from subsidies.payout.insurance import insured_lists

    require_role(actor, DOWNLOAD_PAYMENT_FILES)
    batch = scope_queryset(actor, PayoutBatch.objects.filter(pk=batch_id)).first()
    if batch is None:
        raise DomainError(_("Not found, or outside your area."))
    if batch.kind != BatchKind.ACCIDENT_INSURANCE:
        raise DomainError(_("Only the accident insurance has lists for the insurer."))
    lists = insured_lists(batch)
    audit_record_many(
        actor=actor,
        changes=[
            Change(
                action=AuditAction.EXPORT,
                instance=batch,
                region_code=batch.region_code,
                note=_("Insured people listed for the insurer: %(n)s, full ID numbers")
                % {"n": sum(len(v) for v in lists.values())},
            )
        ],
    )
    return batch, lists
