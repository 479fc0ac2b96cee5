"""A payout batch's life (docs/policy.md §7, "How gongyi pays"): opening it for a township's month,
generating its lines from the closed attendance, and its moves (``BATCH_TRANSITIONS``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from gongyi.audit import Change, audit_created, audit_record_many
from gongyi.enums import AuditAction, RegionLevel
from gongyi.errors import DomainError
from gongyi.policy import policy_values
from gongyi.roles import has_role, require_role
from gongyi.scoping import scope_queryset
from people.policy import (
    MAX_PLACEMENTS,
    RURAL_AGE_CEILING,
    RURAL_MAX_AGE,
    SUBSIDY_MONTHS_PER_PLACEMENT,
)
from posts.services.wages import minimum_wage_in_force
from subsidies.attendance.models import AbsenceKind
from subsidies.attendance.workdays import month_days
from subsidies.payout import generation, insurance
from subsidies.payout.enums import MONTHLY_KINDS, YEARLY_KINDS, BatchKind, BatchState
from subsidies.payout.models import GradeRule, PayoutBatch
from subsidies.payout.policy import ALLOW_ABOVE_STANDARD
from subsidies.payout.roles import (
    APPROVE_PAYOUTS,
    ISSUE_PAYOUTS,
    PREPARE_PAYOUTS,
    READ_RETURNS,
)

B = BatchState

#: Every move of a payout batch, with the roles that make it (docs/policy.md §7; seed 001
#: §二(四)): the township submits; the county HR bureau approves it or returns it for correction
#: (back to draft, with a reason); the payment file is issued; the bank's return is read; closed.
BATCH_TRANSITIONS: dict[tuple[str, str], frozenset] = {
    (B.DRAFT, B.SUBMITTED): PREPARE_PAYOUTS,
    (B.SUBMITTED, B.DRAFT): APPROVE_PAYOUTS,
    (B.SUBMITTED, B.APPROVED): APPROVE_PAYOUTS,
    (B.APPROVED, B.FILE_ISSUED): ISSUE_PAYOUTS,
    (B.FILE_ISSUED, B.RETURNED): READ_RETURNS,
    (B.RETURNED, B.CLOSED): ISSUE_PAYOUTS,
}

#: The moves in words, for the messages (lazy: read in the language of each request).
TO_WORDS = {
    B.DRAFT: pgettext_lazy("payout batch move", "returned for correction"),
    B.SUBMITTED: pgettext_lazy("payout batch move", "submitted"),
    B.APPROVED: pgettext_lazy("payout batch move", "approved"),
    B.FILE_ISSUED: pgettext_lazy("payout batch move", "issued to the bank"),
    B.RETURNED: pgettext_lazy("payout batch move", "marked as returned by the bank"),
    B.CLOSED: pgettext_lazy("payout batch move", "closed"),
}

#: Called after a batch's lines are made, in its transaction, with ``actor`` and the batch: the
#: apps that hold lines for reasons of their own (an open cross-check finding, docs/policy.md §8)
#: hold the new ones at once (``add_generation_hook``; the payout knows none of them).
GENERATION_HOOKS: list = []


def add_generation_hook(hook) -> None:
    if hook not in GENERATION_HOOKS:
        GENERATION_HOOKS.append(hook)


#: The time each move stamps.
STAMPS = {
    B.SUBMITTED: "submitted_at",
    B.APPROVED: "approved_at",
    B.FILE_ISSUED: "file_issued_at",
    B.RETURNED: "returned_at",
    B.CLOSED: "closed_at",
}


def _lock_batch(actor, batch_id: int) -> PayoutBatch:
    batch = (
        scope_queryset(actor, PayoutBatch.objects.select_for_update()).filter(pk=batch_id).first()
    )
    if batch is None:
        raise DomainError(_("Not found, or outside your area."))
    return batch


def payout_batch_open(*, actor, month: dt.date, kind: str) -> PayoutBatch:
    """The township's batch of ``month`` and ``kind`` (urban or rural posts), made when it does
    not exist yet: opening it twice gives the same batch. A yearly kind's (the insurance,
    docs/policy.md §7) is the batch of ``month``'s year."""
    require_role(actor, PREPARE_PAYOUTS)
    if kind not in BatchKind.values:
        raise DomainError(_("Choose urban or rural posts."))
    township = actor.region
    if township is None or township.level != RegionLevel.TOWNSHIP:
        raise DomainError(_("Only a township prepares payout batches."))
    month = month.replace(day=1)
    if kind in YEARLY_KINDS:
        month = insurance_year_check(month=month, kind=kind)
    if month > timezone.localdate():
        raise DomainError(_("That month has not begun."))
    lookup = {"region_code": township.code, "month": month, "kind": kind, "sequence": 0}
    batch = PayoutBatch.objects.filter(**lookup).first()
    if batch is not None:
        return batch
    try:
        with transaction.atomic():
            batch = PayoutBatch.objects.create(**lookup, created_by=actor)
            audit_created(actor=actor, instance=batch)
    except IntegrityError:  # opened by someone else at the same moment
        batch = PayoutBatch.objects.get(**lookup)
    return batch


def insurance_year_check(*, month: dt.date, kind: str) -> dt.date:
    """The year's 1 January, the ``month`` of a yearly kind's batch; the social-insurance
    subsidy, refunded after the year's contributions are paid (seed 001 §二(四): 先缴后补), not
    before the year's December (docs/policy.md §7, "Insurance")."""
    today = timezone.localdate()
    if month.year > today.year:
        raise DomainError(_("That year has not begun."))
    if kind == BatchKind.SOCIAL_INSURANCE and (month.year, 12) > (today.year, today.month):
        raise DomainError(
            _(
                "The social-insurance subsidy of a year is refunded after its contributions are "
                "paid: from the year's December on."
            )
        )
    return month.replace(month=1, day=1)


def payout_batch_start(*, actor, month: dt.date | None = None, kind: str = "", batch_id=None):
    """Open the township's batch of ``month`` and ``kind`` (or take the draft ``batch_id``) and
    have its lines made in the background (``subsidies.payout.jobs``): the batch and its job. A
    generation already queued or running for the batch is the job returned, not a second one."""
    from gongyi.jobs import job_start
    from gongyi.models import Job, JobStatus
    from subsidies.payout.jobs import GENERATE

    require_role(actor, PREPARE_PAYOUTS)
    if batch_id is None:
        if month is None:
            raise DomainError(_("Choose a month."))
        batch = payout_batch_open(actor=actor, month=month, kind=kind)
    else:
        batch = scope_queryset(actor, PayoutBatch.objects.filter(pk=batch_id)).first()
        if batch is None:
            raise DomainError(_("Not found, or outside your area."))
    if batch.state != B.DRAFT:
        raise DomainError(
            _("This payout batch is %(state)s: its lines can no longer be made.")
            % {"state": batch.get_state_display()}
        )
    running = Job.objects.filter(
        kind=GENERATE,
        params__batch=batch.pk,
        status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
    ).first()
    if running is not None:
        return batch, running
    return batch, job_start(actor=actor, kind=GENERATE, params={"batch": batch.pk})


def settings_for(batch: PayoutBatch) -> generation.Settings:
    """What the county says for the batch's month: the grade rules in force on its first day,
    the minimum wage, the settings, and the kinds of absence that are paid."""
    county = batch.region_code[:6]
    rules = {}
    for rule in GradeRule.objects.filter(
        county__code=county, effective_from__lte=batch.month
    ).order_by("grade", "-effective_from"):
        rules.setdefault(rule.grade, (rule.factor, rule.deduction_fen))
    wage = minimum_wage_in_force(county, batch.month)
    values = policy_values(
        county,
        [ALLOW_ABOVE_STANDARD, SUBSIDY_MONTHS_PER_PLACEMENT, MAX_PLACEMENTS, RURAL_MAX_AGE],
        batch.month,
    )
    paid = AbsenceKind.objects.filter(
        Q(county__isnull=True) | Q(county__code=county), paid=True
    ).values_list("pk", flat=True)
    per_placement = values[SUBSIDY_MONTHS_PER_PLACEMENT]
    return generation.Settings(
        grades=rules,
        minimum_monthly=wage.monthly if wage else None,
        minimum_hourly=wage.hourly if wage else None,
        allow_above=bool(values[ALLOW_ABOVE_STANDARD]),
        paid_kinds=tuple(paid),
        per_placement=per_placement,
        # As the eligibility rule counts a lifetime (people.eligibility._subsidy_months).
        lifetime=min(values[MAX_PLACEMENTS], 2) * per_placement,
        # Never past 70, whatever the setting (docs/policy.md §2).
        age_limit=min(values[RURAL_MAX_AGE], RURAL_AGE_CEILING),
    )


@dataclass(frozen=True)
class Generated:
    batch: PayoutBatch
    made: generation.Made


def payout_batch_generate(*, actor, batch_id: int) -> Generated:
    """Make the batch's lines from its township's closed months of its kind, in one statement
    (``generation.GENERATE_SQL``): each line's amount and rules, its subsidy months, its snapshot
    and hash; the corrections it carries are marked carried. Months already in a live line are skipped, so a second run adds only what closed
    since; months not closed are left out (``selectors.batch_not_ready`` lists them). One
    transaction: a run killed halfway leaves nothing, and the next one makes it all. A yearly
    kind's batch makes the year's insurance lines instead (``insurance.INSURANCE_SQL``), under
    the same lock and with the same guarantees."""
    require_role(actor, PREPARE_PAYOUTS)
    with transaction.atomic():
        # Locked: two generations of one batch at once run one after the other, and the second
        # finds the lines made (ON CONFLICT and the unique index are the backstop).
        batch = _lock_batch(actor, batch_id)
        # One generation at a time per township: two of its batches (months, kinds) made at once
        # would both read the same corrections not yet carried and the same subsidy months.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext('payout.generate:' || %s))",
                [batch.region_code],
            )
        if batch.state != B.DRAFT:
            raise DomainError(
                _("This payout batch is %(state)s: its lines can no longer be made.")
                % {"state": batch.get_state_display()}
            )
        if batch.sequence:
            raise DomainError(
                _(
                    "A follow-up payout batch holds only the lines paid again after an account "
                    "fix: the month's lines are made in its own batch."
                )
            )
        if batch.kind in YEARLY_KINDS:
            made = insurance.lines_insert(
                batch_id=batch.pk,
                prefix=batch.region_code,
                year=batch.month.year,
                kind=batch.kind,
                settings=insurance.year_settings(batch.region_code, batch.month.year),
            )
        else:
            made = generation.lines_insert(
                batch_id=batch.pk,
                prefix=batch.region_code,
                month=batch.month,
                last=month_days(batch.month)[-1],
                kind=batch.kind,
                settings=settings_for(batch),
            )
        batch.generated_at = timezone.now()
        batch.save(update_fields=["generated_at"])
        for hook in GENERATION_HOOKS:
            hook(actor=actor, batch=batch)
        # One entry for the lines made: their count, total and a digest of their hashes tie
        # every line to the audit chain without an entry per line.
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    action=AuditAction.UPDATE,
                    instance=batch,
                    changes={
                        "lines_made": [None, made.lines],
                        "total_fen": [None, made.total_fen],
                        "corrections_carried": [None, made.carried],
                        "lines_digest": [None, made.digest],
                    },
                    note=_("Payout lines made from the closed months.")
                    if batch.kind in MONTHLY_KINDS
                    else _("Insurance lines made for the year."),
                )
            ],
        )
    return Generated(batch, made)


def lines_tampered(batch_id: int) -> list[int]:
    """The ids of the batch's lines whose snapshot no longer matches its hash: changed behind the
    system's back."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT l.id FROM payout_payoutline l WHERE l.batch_id = %s"
            f" AND l.hash <> {generation.LINE_HASH_SQL} ORDER BY l.id",
            [batch_id],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _check_lines(batch: PayoutBatch, to: str) -> None:
    tampered = lines_tampered(batch.pk)
    if tampered:
        raise DomainError(
            _(
                "%(n)s lines of this payout batch were changed outside the system (line "
                "%(ids)s): it cannot be %(to)s. Tell the system administrator."
            )
            % {"n": len(tampered), "ids": "、".join(map(str, tampered[:5])), "to": TO_WORDS[to]}
        )


#: The moves only the bank's files make: issuing the payment file (``payout_file_issue``) and
#: reading the bank's return (``payout_return_read``) — for the accident insurance, the premium
#: paid to the insurer (``accident_premium_pay``). Called directly, a batch would stand as
#: with the bank without a file, or as returned with no line paid or failed.
BANK_MOVES = frozenset({B.FILE_ISSUED, B.RETURNED})


def payout_batch_transition(
    *, actor, batch_id: int, to: str, reason: str = "", by_bank_file: bool = False
) -> PayoutBatch:
    """Move a payout batch to ``to`` by ``BATCH_TRANSITIONS``. Submitting needs a line to pay;
    returning for correction needs a reason; the approver is never who prepared or submitted it,
    and approving counts the lines to be paid in their people's subsidy months;
    submitting, approving and issuing check every line's hash first. The batch row is locked: of
    two users approving at once, the second is told it is approved already."""
    reason = (reason or "").strip()
    with transaction.atomic():
        # Locked: two moves of one batch at once (two approvers) are made one after the other,
        # and the second finds the batch moved on.
        batch = _lock_batch(actor, batch_id)
        roles = BATCH_TRANSITIONS.get((batch.state, to))
        if roles is None:
            raise DomainError(
                _("This payout batch is %(state)s: it cannot be %(to)s.")
                % {"state": batch.get_state_display(), "to": TO_WORDS.get(to, to)}
            )
        if not has_role(actor, roles):
            raise DomainError(
                _("Your role cannot make this payout batch %(to)s.") % {"to": TO_WORDS[to]}
            )
        if to in BANK_MOVES and not by_bank_file:
            raise DomainError(
                _(
                    "A payout batch goes to the bank by issuing its payment file, and comes back "
                    "by reading the bank's return."
                )
            )
        before = batch.state
        fields = ["state"]
        now = timezone.now()
        if to == B.SUBMITTED:
            if not batch.lines.filter(status="pending").exists():
                raise DomainError(_("The payout batch has no line to pay: make its lines first."))
            batch.submitted_by = actor
            fields.append("submitted_by")
        elif to == B.DRAFT:
            if not reason:
                raise DomainError(_("Say why the payout batch is returned for correction."))
            batch.returned_reason = reason[:300]
            fields.append("returned_reason")
        elif to == B.APPROVED:
            if actor.pk in (batch.created_by_id, batch.submitted_by_id):
                raise DomainError(
                    _("The payout batch is approved by someone other than who prepared it.")
                )
            batch.approved_by = actor
            fields.append("approved_by")
            # The money is committed: the months count towards the subsidy periods now (a
            # yearly kind's lines are no subsidy months).
            if batch.kind in MONTHLY_KINDS:
                generation.months_count(batch.pk)
        if to in (B.SUBMITTED, B.APPROVED, B.FILE_ISSUED):
            _check_lines(batch, to)
        if to in STAMPS:
            setattr(batch, STAMPS[to], now)
            fields.append(STAMPS[to])
        batch.state = to
        batch.save(update_fields=fields)
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    action=AuditAction.TRANSITION,
                    instance=batch,
                    changes={"state": [before, to]},
                    note=reason,
                )
            ],
        )
        return batch
