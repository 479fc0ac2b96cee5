"""Every write of exits and recovery (docs/policy.md §8, "Exits and recovery"): recording an exit
(``exit_record``), bringing its debt up to date with the lines paid (``debt_collect``), repayments
and offsets (``repayment_record``, ``repayment_offset``) and the debt's moves (``debt_transition``,
by ``DEBT_TRANSITIONS``). Each runs in one transaction, writes its audit entries and raises
``DomainError`` with a message shown as it is."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.exits.enums import DebtState, ExitKind, RepaymentKind
from audits.exits.policy import ABSENCE_DAYS, FAILED_MONTHS, OFFSET_ALLOWED
from audits.exits.recovery import PaidLine, recovered_amount
from audits.exits.roles import (
    APPROVE_WRITE_OFF,
    ASK_WRITE_OFF,
    COLLECT_DEBTS,
    RECORD_EXITS,
    RECORD_REPAYMENTS,
)
from audits.models import Debt, DebtLine, Exit, Repayment
from gongyi.audit import Change, audit_record_many, snapshot
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.policy import policy_values
from gongyi.roles import has_role, require_role
from gongyi.scoping import scope_queryset
from people.models import Placement
from posts.services import post_occupancy_change
from subsidies.attendance import planning
from subsidies.attendance.enums import Grade, SheetState
from subsidies.attendance.models import AttendanceMonth
from subsidies.payout.amount import yuan
from subsidies.payout.enums import LineStatus
from subsidies.payout.models import PayoutLine
from subsidies.payout.services import payout_line_offset, payout_lines_stop

D = DebtState

#: The moves of a debt (docs/policy.md §8) → the roles that ask for them; ``None``: nobody asks,
#: the debt's sums decide (repaid in full; reopened when a line paid since adds to it).
DEBT_TRANSITIONS: dict[tuple[str, str], frozenset | None] = {
    (D.OPEN, D.WRITE_OFF_ASKED): ASK_WRITE_OFF,
    (D.WRITE_OFF_ASKED, D.WRITTEN_OFF): APPROVE_WRITE_OFF,
    (D.WRITE_OFF_ASKED, D.OPEN): APPROVE_WRITE_OFF,
    (D.OPEN, D.REPAID): None,
    (D.WRITE_OFF_ASKED, D.REPAID): None,
    (D.REPAID, D.OPEN): None,
    (D.WRITTEN_OFF, D.OPEN): None,
}
#: What a debt's move writes, for ``save(update_fields=...)``.
DEBT_FIELDS = [
    "state",
    "state_changed_at",
    "amount_fen",
    "repaid_fen",
    "written_off_fen",
    "write_off_reason",
    "write_off_asked_by",
    "write_off_decided_by",
    "refused_reason",
]


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _locked(actor, model, pk: int):
    # Locked: two writes of one row at once are made one after the other, the second seeing
    # the first (two repayments of the last yuan, two exits of one placement).
    row = scope_queryset(actor, model.objects.select_for_update()).filter(pk=pk).first()
    if row is None:
        raise DomainError(_("Not found, or outside your area."))
    return row


# --- the exit --------------------------------------------------------------------------------


def _year_before(placement: Placement, effective: dt.date):
    """The placement's closed attendance months in the year up to ``effective``."""
    start = (effective - dt.timedelta(days=365)).replace(day=1)
    return AttendanceMonth.objects.filter(
        placement=placement,
        month__gte=start,
        month__lte=effective,
        sheet__state=SheetState.CLOSED,
    )


def _check_kind(placement: Placement, kind: str, effective: dt.date) -> None:
    """The kind's own condition (docs/policy.md §8): a natural exit on its day; a dismissal for
    absence or failed assessments on the county's figures."""
    if kind == ExitKind.TERM_END:
        if placement.subsidy_end is None or effective != placement.subsidy_end:
            raise DomainError(
                _("The agreement term or subsidy period ends on %(date)s: the exit is on that day.")
                % {"date": placement.subsidy_end or "—"}
            )
    elif kind == ExitKind.RETIREMENT:
        retires = placement.person.retirement_date
        if effective != retires:
            raise DomainError(
                _("The statutory retirement date is %(date)s: the exit is on that day.")
                % {"date": retires}
            )
    elif kind in (ExitKind.ABSENCE, ExitKind.FAILED_ASSESSMENT):
        values = policy_values(placement.region_code[:6], [ABSENCE_DAYS, FAILED_MONTHS], effective)
        months = _year_before(placement, effective)
        if kind == ExitKind.ABSENCE and values[ABSENCE_DAYS]:
            absent = months.aggregate(n=Sum("absent_days"))["n"] or 0
            if absent < values[ABSENCE_DAYS]:
                raise DomainError(
                    _(
                        "%(n)s days absent without leave in the closed months of the year before: "
                        "a dismissal for absence needs %(need)s."
                    )
                    % {"n": absent, "need": values[ABSENCE_DAYS]}
                )
        if kind == ExitKind.FAILED_ASSESSMENT and values[FAILED_MONTHS]:
            failed = months.filter(assessment__grade=Grade.FAIL).count()
            if failed < values[FAILED_MONTHS]:
                raise DomainError(
                    _(
                        "%(n)s months graded fail in the year before: a dismissal for failed "
                        "assessments needs %(need)s."
                    )
                    % {"n": failed, "need": values[FAILED_MONTHS]}
                )


def _attendance_stop(placement: Placement, effective: dt.date) -> int:
    """The placement's attendance stops after ``effective``: its open months that begin after it
    are taken off the sheets (or, when something already refers to one, left with no day
    planned), and the open month it falls in is planned again to end on it, its marks after it
    cleared. Months already submitted or closed are left as they are: the payout makes no line
    for a month that begins after the placement ended (``generation.GENERATE_SQL``), and the
    exit's month, if paid, is recovered. Returns the months taken off."""
    exit_month = effective.replace(day=1)
    later = AttendanceMonth.objects.filter(
        placement=placement, month__gt=exit_month, sheet__state=SheetState.OPEN
    )
    unreferenced = later.filter(assessment__isnull=True).exclude(
        pk__in=PayoutLine.objects.filter(placement=placement).values("row_id")
    )
    from subsidies.attendance.models import AttendanceAdjustment

    unreferenced = unreferenced.exclude(
        pk__in=AttendanceAdjustment.objects.filter(row__placement=placement).values("row_id")
    )
    removed, _by_model = unreferenced.delete()
    rows = list(
        AttendanceMonth.objects.filter(
            placement=placement, month__gte=exit_month, sheet__state=SheetState.OPEN
        )
    )
    plans = planning.month_plans_of(month=exit_month, placement_ids=[placement.pk])
    for row in rows:
        if row.month == exit_month and placement.pk in plans:
            plan = plans[placement.pk]
            row.planned, row.full_days, row.full_hours = plan.days, plan.full_days, plan.full_hours
        else:
            row.planned = [0 * p for p in row.planned]
        row.marks = [m if p > 0 else None for m, p in zip(row.marks, row.planned, strict=True)]
        if row.hours is not None:
            row.hours = [h if p > 0 else None for h, p in zip(row.hours, row.planned, strict=True)]
    AttendanceMonth.objects.bulk_update(
        rows, ["planned", "marks", "hours", "full_days", "full_hours", "updated_at"]
    )
    return removed


def exit_record(
    *,
    actor,
    placement_id: int,
    kind: str,
    effective_date: dt.date,
    reason: str,
    decided_by: str,
    decided_on: dt.date,
    today: dt.date | None = None,
) -> Exit:
    """退出 (docs/policy.md §8): end the placement on ``effective_date`` (its last day on the post),
    free its place on the post (the post's status follows), stop its attendance and the payout
    not yet with the bank from the day after, and open the debt of what was paid for days after
    it (for a false declaration, of all that was paid: seed 003 §9).

    Refused: a placement already ended; a date before the placement began, or after today (an
    exit is recorded on or after its day: the warnings come before); a natural exit not on its
    day (the term's end, the statutory retirement date); a dismissal for absence or failed
    assessments below the county's figures; no reason or no decision-maker."""
    require_role(actor, RECORD_EXITS)
    today = _today(today)
    if kind not in ExitKind.values:
        raise DomainError(_("Choose the kind of exit."))
    reason, decided_by = (reason or "").strip(), (decided_by or "").strip()
    if not reason:
        raise DomainError(_("Say why the person leaves the post."))
    if not decided_by:
        raise DomainError(_("Say who decided the exit."))
    if decided_on is None or decided_on > today:
        raise DomainError(_("The exit is decided on a day that has come."))
    with transaction.atomic():
        placement = _locked(actor, Placement, placement_id)
        if placement.end_date is not None:
            raise DomainError(
                _("This placement already ended on %(date)s.") % {"date": placement.end_date}
            )
        if effective_date is None or effective_date < placement.start_date:
            raise DomainError(
                _("The placement began on %(date)s: the exit cannot take effect before it.")
                % {"date": placement.start_date}
            )
        if effective_date > today:
            raise DomainError(
                _("An exit is recorded on or after its last day on the post, not before.")
            )
        _check_kind(placement, kind, effective_date)
        recover_from = (
            placement.start_date
            if kind == ExitKind.FALSE_DECLARATION
            else effective_date + dt.timedelta(days=1)
        )
        placement.end_date = effective_date
        placement.save(update_fields=["end_date"])
        post_occupancy_change(
            actor=actor,
            post_id=placement.post_id,
            delta=-1,
            on=min(effective_date + dt.timedelta(days=1), today),
        )
        removed = _attendance_stop(placement, effective_date)
        held = payout_lines_stop(
            actor=actor,
            placement_id=placement.pk,
            from_month=recover_from.replace(day=1),
            reason=_("Left the post on %(date)s (%(kind)s): not due after that day.")
            % {"date": effective_date, "kind": ExitKind(kind).label},
        )
        exit_ = Exit.objects.create(
            placement=placement,
            person=placement.person,
            region_code=placement.region_code,
            kind=kind,
            effective_date=effective_date,
            recover_from=recover_from,
            reason=reason,
            decided_by=decided_by[:100],
            decided_on=decided_on,
            recorded_by=actor,
            lines_held=held,
            months_removed=removed,
        )
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    AuditAction.CREATE,
                    exit_,
                    {k: [None, v] for k, v in snapshot(exit_).items()},
                    note=reason,
                ),
                Change(
                    AuditAction.UPDATE,
                    placement,
                    {"end_date": [None, effective_date.isoformat()]},
                    note=str(ExitKind(kind).label),
                ),
            ],
        )
        _collect(actor, exit_)
    return exit_


# --- the debt --------------------------------------------------------------------------------


def _debt_change(debt: Debt, to: str, *, actor=None) -> tuple[str, str]:
    """The one place a debt's state changes (``DEBT_TRANSITIONS``), on ``debt`` held under its
    row lock; the caller saves with ``DEBT_FIELDS`` and records it. With ``actor`` the move is
    asked for: the role is checked."""
    key = (debt.state, to)
    if key not in DEBT_TRANSITIONS:
        raise DomainError(
            _("A debt cannot go from %(from)s to %(to)s.")
            % {"from": debt.get_state_display(), "to": DebtState(to).label}
        )
    roles = DEBT_TRANSITIONS[key]
    if actor is not None:
        if roles is None:
            raise DomainError(_("This state follows from the debt's sums."))
        if not has_role(actor, roles):
            raise DomainError(_("Your role cannot make this move of the debt."))
    before = debt.state
    debt.state = to
    debt.state_changed_at = timezone.now()
    return before, to


def _settle(debt: Debt) -> tuple[str, str] | None:
    """The state the sums say: repaid when nothing is outstanding; open again when a line paid
    since adds to a debt that was settled."""
    if debt.outstanding_fen == 0 and debt.state in (D.OPEN, D.WRITE_OFF_ASKED) and debt.amount_fen:
        return _debt_change(debt, D.REPAID)
    if debt.outstanding_fen > 0 and debt.state in (D.REPAID, D.WRITTEN_OFF):
        return _debt_change(debt, D.OPEN)
    return None


# The placement's paid lines from the month recovery starts, with their attendance month's
# plan, not yet on a debt.
def _paid_lines(exit_: Exit):
    covered = DebtLine.objects.filter(debt__exit=exit_).values("payout_line_id")
    return (
        PayoutLine.objects.filter(
            placement_id=exit_.placement_id,
            status=LineStatus.PAID,
            month__gte=exit_.recover_from.replace(day=1),
        )
        .exclude(pk__in=covered)
        .select_related("row")
        .order_by("month", "pk")
    )


def _collect(actor, exit_: Exit) -> Debt | None:
    """Add to the exit's debt every paid line not on it yet (``recovery``), in the caller's
    transaction; the debt is opened with its first line."""
    new = []
    for line in _paid_lines(exit_):
        recovered = recovered_amount(
            PaidLine(
                month=line.month,
                amount_fen=line.amount_fen,
                hourly=line.hourly,
                standard=line.standard,
                planned=list(line.row.planned),
                full_days=line.full_days,
            ),
            exit_.recover_from,
        )
        if recovered.fen:
            new.append((line, recovered))
    debt = Debt.objects.select_for_update().filter(exit=exit_).first()
    if not new:
        return debt
    created = debt is None
    if created:
        debt = Debt.objects.create(
            exit=exit_, person_id=exit_.person_id, region_code=exit_.region_code
        )
    lines = DebtLine.objects.bulk_create(
        DebtLine(
            debt=debt,
            payout_line=line,
            region_code=exit_.region_code,
            month=line.month,
            paid_fen=line.amount_fen,
            recovered_fen=recovered.fen,
            figures=recovered.figures,
        )
        for line, recovered in new
    )
    before = debt.amount_fen
    debt.amount_fen += sum(r.fen for _l, r in new)
    moved = _settle(debt)
    debt.save(update_fields=DEBT_FIELDS)
    changes = {
        "amount_fen": [before, debt.amount_fen],
        "lines": [None, [d.month.isoformat() for d in lines]],
    }
    if moved:
        changes["state"] = list(moved)
    audit_record_many(
        actor=actor,
        changes=[
            Change(
                AuditAction.CREATE if created else AuditAction.UPDATE,
                debt,
                changes,
                note=_("%(n)s paid payout lines to recover: %(yuan)s yuan")
                % {"n": len(lines), "yuan": yuan(debt.amount_fen - before)},
            )
        ],
    )
    return debt


def debt_collect(*, actor, exit_id: int) -> Debt | None:
    """Bring the exit's debt up to date: the lines the bank paid since the exit (they were with
    the bank when it was recorded) are added to it. Safe to run again: a line is on a debt once.
    Returns the debt (None when nothing was paid after the exit)."""
    require_role(actor, COLLECT_DEBTS)
    with transaction.atomic():
        exit_ = _locked(actor, Exit, exit_id)
        return _collect(actor, exit_)


def _open_debt(actor, debt_id: int) -> Debt:
    debt = _locked(actor, Debt, debt_id)
    if debt.state not in (D.OPEN, D.WRITE_OFF_ASKED):
        raise DomainError(
            _("This debt is %(state)s: nothing more is recorded on it.")
            % {"state": debt.get_state_display()}
        )
    return debt


def _check_amount(debt: Debt, amount_fen: int) -> None:
    if amount_fen is None or amount_fen <= 0:
        raise DomainError(_("Enter an amount above zero."))
    if amount_fen > debt.outstanding_fen:
        raise DomainError(
            _("%(amount)s yuan is more than the %(owed)s yuan still owed: refused.")
            % {"amount": yuan(amount_fen), "owed": yuan(debt.outstanding_fen)}
        )


def _repaid(actor, debt: Debt, repayment: Repayment, note: str) -> None:
    before = debt.repaid_fen
    debt.repaid_fen += repayment.amount_fen
    moved = _settle(debt)
    debt.save(update_fields=DEBT_FIELDS)
    changes = {"repaid_fen": [before, debt.repaid_fen]}
    if moved:
        changes["state"] = list(moved)
    audit_record_many(
        actor=actor,
        changes=[
            Change(
                AuditAction.CREATE,
                repayment,
                {k: [None, v] for k, v in snapshot(repayment).items()},
            ),
            Change(AuditAction.UPDATE, debt, changes, note=note),
        ],
    )


def repayment_record(
    *,
    actor,
    debt_id: int,
    paid_on: dt.date,
    amount_fen: int,
    receipt_number: str,
    note: str = "",
    today: dt.date | None = None,
) -> Repayment:
    """还款: an instalment paid back, with the day, the amount and the receipt's number. More than
    is still owed is refused; the debt is repaid when nothing is left."""
    require_role(actor, RECORD_REPAYMENTS)
    receipt_number = (receipt_number or "").strip()
    if not receipt_number:
        raise DomainError(_("Enter the receipt's number."))
    if paid_on is None or paid_on > _today(today):
        raise DomainError(_("Enter the day it was paid; not a day to come."))
    with transaction.atomic():
        debt = _open_debt(actor, debt_id)
        _check_amount(debt, amount_fen)
        if debt.repayments.filter(receipt_number=receipt_number[:40]).exists():
            raise DomainError(
                _("Receipt %(number)s is already recorded on this debt.")
                % {"number": receipt_number}
            )
        repayment = Repayment.objects.create(
            debt=debt,
            region_code=debt.region_code,
            kind=RepaymentKind.PAID,
            paid_on=paid_on,
            amount_fen=amount_fen,
            receipt_number=receipt_number[:40],
            note=(note or "").strip()[:200],
            recorded_by=actor,
        )
        _repaid(actor, debt, repayment, _("receipt %(number)s") % {"number": receipt_number})
        return repayment


def repayment_offset(*, actor, debt_id: int, line_id: int, amount_fen: int) -> Repayment:
    """Offset (抵扣) part of a debt against a later payout line of the same person still being
    prepared, where the county's setting ``exits.offset_allowed`` says so (off by default): the
    line pays that much less (``payout_line_offset``) and the debt is repaid by it."""
    require_role(actor, RECORD_REPAYMENTS)
    with transaction.atomic():
        debt = _open_debt(actor, debt_id)
        today = timezone.localdate()
        if not policy_values(debt.region_code[:6], [OFFSET_ALLOWED], today)[OFFSET_ALLOWED]:
            raise DomainError(_("The county does not allow offsetting a debt against a payout."))
        _check_amount(debt, amount_fen)
        line = (
            scope_queryset(actor, PayoutLine.objects.all())
            .filter(pk=line_id, person_id=debt.person_id)
            .first()
        )
        if line is None:
            raise DomainError(_("Choose a payout line of the same person."))
        line = payout_line_offset(
            actor=actor,
            line_id=line.pk,
            fen=amount_fen,
            note=_("offset against debt %(debt)s") % {"debt": debt.pk},
        )
        repayment = Repayment.objects.create(
            debt=debt,
            region_code=debt.region_code,
            kind=RepaymentKind.OFFSET,
            paid_on=today,
            amount_fen=amount_fen,
            payout_line=line,
            recorded_by=actor,
        )
        _repaid(
            actor, debt, repayment, _("offset against payout line %(line)s") % {"line": line.pk}
        )
        return repayment


def debt_transition(*, actor, debt_id: int, to: str, reason: str = "") -> Debt:
    """Move a debt by ``DEBT_TRANSITIONS``: the township asks for a write-off with the reason; the
    county HR bureau approves it (what is outstanding is written off) or refuses it with a
    reason. The approver is never who asked."""
    reason = (reason or "").strip()
    if to not in DebtState.values:
        raise DomainError(_("Unknown action."))
    with transaction.atomic():
        debt = _locked(actor, Debt, debt_id)
        before = snapshot(debt)
        if DEBT_TRANSITIONS.get((debt.state, to)):
            require_role(actor, DEBT_TRANSITIONS[(debt.state, to)])
        if to == D.WRITE_OFF_ASKED:
            if not reason:
                raise DomainError(_("Say why the debt should be written off."))
            debt.write_off_reason, debt.write_off_asked_by = reason, actor
            debt.refused_reason = ""
        elif to == D.WRITTEN_OFF:
            if debt.write_off_asked_by_id == actor.pk:
                raise DomainError(_("A write-off is approved by someone other than who asked."))
            if debt.state == D.WRITE_OFF_ASKED:
                debt.written_off_fen += debt.outstanding_fen
            debt.write_off_decided_by = actor
        elif to == D.OPEN and debt.state == D.WRITE_OFF_ASKED:
            if not reason:
                raise DomainError(_("Say why the write-off is refused."))
            debt.refused_reason, debt.write_off_decided_by = reason[:300], actor
        _debt_change(debt, to, actor=actor)
        debt.save(update_fields=DEBT_FIELDS)
        after = snapshot(debt)
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    AuditAction.TRANSITION,
                    debt,
                    {k: [before[k], after[k]] for k in after if before.get(k) != after[k]},
                    note=reason,
                )
            ],
        )
        return debt
