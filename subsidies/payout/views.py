"""Payout pages (docs/policy.md §7, "How gongyi pays"): the area's payout batches with the form
that opens and generates the month's batch, a batch's page (its header, the months not ready, its
lines with how each amount was reached, holding and releasing lines, its moves), and the county's
grade rules. Each view checks the role, reads through ``gongyi.scoping`` (outside the area: 404),
calls one service and redirects with its message.

The bank's payment file and return are pages of their own (another module): the batch page
includes ``payout/batch_bank.html`` when that template exists (``BANK_TEMPLATE``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from gongyi.errors import DomainError
from gongyi.models import JobStatus, Region
from gongyi.roles import RoleRequiredMixin, has_role
from gongyi.scoping import get_scoped_object_or_404, user_region_code
from people.idnumbers import normalise
from people.masking import id_masker
from subsidies.attendance.enums import Grade, SheetState
from subsidies.attendance.views import MONTH
from subsidies.bankfiles import payment_lines_check
from subsidies.payout import selectors, services
from subsidies.payout.amount import rule_text, yuan
from subsidies.payout.enums import (
    BANK_STATES,
    MONTHLY_KINDS,
    YEARLY_KINDS,
    BatchKind,
    BatchState,
    LineStatus,
)
from subsidies.payout.models import PayoutBatch
from subsidies.payout.roles import (
    APPROVE_PAYOUTS,
    DOWNLOAD_PAYMENT_FILES,
    ISSUE_PAYOUTS,
    PREPARE_PAYOUTS,
    VIEW_BANK_FILES,
    VIEW_PAYOUTS,
)
from subsidies.payout.services import BATCH_TRANSITIONS

#: Where the bank's part of the batch page (payment file, return) lives, built apart.
BANK_TEMPLATE = "payout/batch_bank.html"
#: The moves this page makes; issuing the file and reading the return are the bank's pages.
PAGE_MOVES = {
    "submit": BatchState.SUBMITTED,
    "approve": BatchState.APPROVED,
    "return": BatchState.DRAFT,
    "close": BatchState.CLOSED,
}
#: The states in which the lines to be paid have yet to pass the payment file's check.
BEFORE_THE_FILE = (BatchState.DRAFT, BatchState.SUBMITTED, BatchState.APPROVED)
LINES_PER_PAGE = 100
BATCHES_PER_PAGE = 50


def month_or_none(text: str | None) -> dt.date | None:
    """``YYYY-MM`` as the month's first day, or None."""
    match = MONTH.match(text or "")
    if match and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
        return dt.date(int(match[1]), int(match[2]), 1)
    return None


def _bank_template() -> str | None:
    try:
        get_template(BANK_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return BANK_TEMPLATE


class BatchListView(RoleRequiredMixin, View):
    """发放批次: the area's payout batches by month, with their state, kind, lines and total; the
    township opens and generates the month's batch."""

    allowed_roles = VIEW_PAYOUTS

    def get(self, request):
        month_text = request.GET.get("month", "")
        state = request.GET.get("state", "")
        kind = request.GET.get("kind", "")
        batches = selectors.batch_list(
            request.user,
            month=month_or_none(month_text),
            state=state if state in BatchState.values else "",
            kind=kind if kind in BatchKind.values else "",
        )
        page = Paginator(batches, BATCHES_PER_PAGE).get_page(request.GET.get("page"))
        for batch in page:
            batch.total_yuan = yuan(batch.total_fen)
        today = timezone.localdate()
        last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        return render(
            request,
            "payout/list.html",
            {
                "page": page,
                "filters": {"month": month_text, "state": state, "kind": kind},
                "states": BatchState.choices,
                "kinds": BatchKind.choices,
                "monthly_kinds": [(k.value, k.label) for k in MONTHLY_KINDS],
                "yearly_kinds": [(k.value, k.label) for k in YEARLY_KINDS],
                "can_prepare": has_role(request.user, PREPARE_PAYOUTS),
                "default_month": last_month,
                "this_year": today.year,
            },
        )

    def post(self, request):
        if not has_role(request.user, PREPARE_PAYOUTS):
            raise PermissionDenied
        month = month_or_none(request.POST.get("month"))
        year = request.POST.get("year", "")
        if year:  # the year's insurance (docs/policy.md §7, "Insurance")
            month = month_or_none(f"{year}-01")
        try:
            batch, job = services.payout_batch_start(
                actor=request.user, month=month, kind=request.POST.get("kind", "")
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("payout-list")
        _generation_message(request, job)
        return redirect("payout-batch", pk=batch.pk)


class BatchView(RoleRequiredMixin, View):
    """A payout batch: who prepared, submitted and approved it, its totals, the months not ready,
    its lines (how each amount was reached, held lines with their reason) and the buttons of the
    moves the user's role may make; the service decides."""

    allowed_roles = VIEW_PAYOUTS

    def get(self, request, pk):
        batch = get_scoped_object_or_404(
            request.user,
            PayoutBatch.objects.select_related("created_by", "submitted_by", "approved_by"),
            pk=pk,
        )
        user = request.user
        masker = id_masker(user)
        page = Paginator(selectors.batch_lines(user, batch), LINES_PER_PAGE).get_page(
            request.GET.get("page")
        )
        for line in page:
            line.id_masked = masker(line.id_number)
            line.amount_yuan = yuan(line.amount_fen)
            line.rules = [rule_text(r) for r in line.reasons]
        stops = _stops(batch, page) if batch.state in BEFORE_THE_FILE else {}
        for line in page:
            line.stop_reason = stops.get(line.pk, "")
        totals = selectors.batch_totals(batch)
        labels = dict(LineStatus.choices)
        not_ready = selectors.batch_not_ready(batch) if batch.state == BatchState.DRAFT else []
        names = dict(
            Region.objects.filter(code__in={n.region_code for n in not_ready}).values_list(
                "code", "name"
            )
        )
        sheet_states = dict(SheetState.choices)
        why = {
            "missing": _("No attendance month prepared"),
            "no_standard": _("No subsidy standard on the placement"),
        }
        job = selectors.generation_job(batch)
        prepares = has_role(user, PREPARE_PAYOUTS)
        moves = [
            {"action": action, "to": to}
            for action, to in PAGE_MOVES.items()
            if has_role(user, BATCH_TRANSITIONS.get((batch.state, to), frozenset()))
        ]
        return render(
            request,
            "payout/batch.html",
            {
                "batch": batch,
                "township": Region.objects.filter(code=batch.region_code)
                .values_list("name", flat=True)
                .first(),
                "page": page,
                "totals": [
                    {
                        "status": status,
                        "label": labels.get(status, status),
                        "lines": row["lines"],
                        "yuan": yuan(row["fen"]),
                    }
                    for status, row in sorted(totals.items())
                ],
                "total_yuan": yuan(
                    sum(r["fen"] for s, r in totals.items() if s in selectors.PAID_BY_BATCH)
                ),
                "not_ready": [
                    {
                        "unit": names.get(n.region_code, n.region_code),
                        "why": why.get(n.state) or sheet_states.get(n.state, n.state),
                        "people": n.people,
                    }
                    for n in not_ready
                ],
                "tampered": services.lines_tampered(batch.pk),
                "past_period": selectors.past_period_lines(batch),
                "job": job,
                "job_running": job is not None
                and job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
                "own_job": job is not None and job.created_by_id == user.pk,
                "can_prepare": prepares and batch.state == BatchState.DRAFT,
                "can_release": prepares,
                "targets": list(selectors.release_targets(user, batch)) if prepares else [],
                "moves": moves,
                "bank_template": _bank_template(),
                "bank_side": batch.state in BANK_STATES and has_role(user, VIEW_BANK_FILES),
                "yearly": batch.kind in YEARLY_KINDS,
                "insurer": batch.kind == BatchKind.ACCIDENT_INSURANCE,
                "can_list_insured": has_role(user, DOWNLOAD_PAYMENT_FILES),
                "can_pay_premium": batch.kind == BatchKind.ACCIDENT_INSURANCE
                and batch.state == BatchState.APPROVED
                and has_role(user, ISSUE_PAYOUTS),
            },
        )

    def post(self, request, pk):
        batch = get_scoped_object_or_404(request.user, PayoutBatch.objects, pk=pk)
        action = request.POST.get("action", "")
        user = request.user
        try:
            if action == "generate":
                _batch, job = services.payout_batch_start(actor=user, batch_id=batch.pk)
                _generation_message(request, job)
            elif action == "hold":
                services.payout_line_hold(
                    actor=user,
                    line_id=_number(request.POST.get("line")),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("The line is held."))
            elif action == "release":
                released = services.payout_line_release(
                    actor=user,
                    line_id=_number(request.POST.get("line")),
                    batch_id=_number(request.POST.get("batch")) or batch.pk,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("The line is released."))
                if released.batch_id != batch.pk:
                    return redirect("payout-batch", pk=released.batch_id)
            elif action in PAGE_MOVES:
                services.payout_batch_transition(
                    actor=user,
                    batch_id=batch.pk,
                    to=PAGE_MOVES[action],
                    reason=request.POST.get("reason", ""),
                )
                messages.success(
                    request,
                    _("The payout batch is %(to)s.")
                    % {"to": services.TO_WORDS[PAGE_MOVES[action]]},
                )
            else:
                messages.error(request, _("Unknown action."))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("payout-batch", pk=batch.pk)


def _generation_message(request, job) -> None:
    """Lines being made, or made already (a failure is the page's error box)."""
    if selectors.job_still_running(job):
        messages.success(request, _("The payout batch's lines are being made."))
    elif job.status == JobStatus.DONE:
        messages.success(request, _("The payout batch's lines are made."))


def _stops(batch, lines) -> dict[int, str]:
    """Line id → why the payment file will stop it, for the lines to be paid on the page: the
    very check issuing the file makes (``subsidies.bankfiles.check``), told in advance so that
    the township sees it before the batch goes up."""
    pending = [line for line in lines if line.status == LineStatus.PENDING]
    check = payment_lines_check(
        [
            {
                "id": line.pk,
                "name": line.person_name,
                "id_number": line.id_number,
                "account_number": line.account_number,
                "amount": line.amount_fen,
            }
            for line in pending
        ],
        {normalise(line.file_id_number): line.file_name for line in pending},
    )
    return {stopped.line_id: stopped.reason for stopped in check.stopped}


def _number(text: str | None) -> int:
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 19 else 0


class GradeRulesView(RoleRequiredMixin, View):
    """The county's grade rules (docs/policy.md §7): a grade's factor on the month's amount or a
    fixed deduction, from a date; the county HR bureau adds them."""

    allowed_roles = VIEW_PAYOUTS

    def get(self, request):
        rules = list(selectors.grade_rule_list(request.user))
        for rule in rules:
            rule.deduction_yuan = (
                yuan(rule.deduction_fen) if rule.deduction_fen is not None else None
            )
        return render(
            request,
            "payout/grade_rules.html",
            {
                "rules": rules,
                "grades": Grade.choices,
                "can_add": has_role(request.user, APPROVE_PAYOUTS)
                and len(user_region_code(request.user)) == 6,
                "today": timezone.localdate(),
            },
        )

    def post(self, request):
        if not has_role(request.user, APPROVE_PAYOUTS):
            raise PermissionDenied
        data = request.POST
        try:
            factor, deduction = _rule_figures(data.get("kind", ""), data.get("value", ""))
            effective_from = dt.date.fromisoformat(data.get("effective_from") or "")
        except ValueError:
            messages.error(request, _("Enter a date, and a factor such as 0.9 or a sum in yuan."))
            return redirect("payout-grade-rules")
        try:
            services.grade_rule_create(
                actor=request.user,
                grade=data.get("grade", ""),
                effective_from=effective_from,
                factor=factor,
                deduction_fen=deduction,
                note=data.get("note", ""),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The grade rule is added."))
        return redirect("payout-grade-rules")


def _rule_figures(kind: str, value: str) -> tuple[Decimal | None, int | None]:
    """A factor, or a deduction typed in yuan as fen; anything else a ``ValueError``."""
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    if kind == "factor":
        if number.as_tuple().exponent < -4:
            raise ValueError(value)
        return number, None
    if kind == "deduction":
        fen = number * 100
        if fen != fen.to_integral_value() or abs(fen) > 10**9:
            raise ValueError(value)
        return None, int(fen)
    raise ValueError(kind)
