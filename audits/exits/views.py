"""Pages of exits and recovery (docs/policy.md §8, "Exits and recovery"): the area's exits with a
search for people on a post, the exit form, an exit's page, its printed notice, the debts page
with their ageing (and its Excel), and a debt's page with its lines, repayments and write-off.
Each view checks the role, reads through ``gongyi.scoping`` (outside the area: 404), calls one
service and redirects with its message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from audits.exits import exports, selectors, services
from audits.exits.enums import DISMISSAL_KINDS, DebtState, ExitKind
from audits.exits.roles import (
    APPROVE_WRITE_OFF,
    ASK_WRITE_OFF,
    COLLECT_DEBTS,
    RECORD_EXITS,
    RECORD_REPAYMENTS,
    VIEW_EXITS,
)
from gongyi.errors import DomainError
from gongyi.models import Region
from gongyi.roles import RoleRequiredMixin, has_role
from people.masking import id_masker
from people.onboarding.print_views import DocumentView
from subsidies.payout.amount import yuan
from subsidies.payout.models import PayoutLine

PER_PAGE = 50
AGEING_SUMS = (
    "amount_fen",
    "repaid_fen",
    "written_off_fen",
    "outstanding_fen",
    "d30",
    "d90",
    "d180",
    "older",
)


def fen_of(text: str | None) -> int | None:
    """An amount typed in yuan (two places at most) as fen; None when it is not one."""
    try:
        number = Decimal((text or "").strip().replace(",", ""))
    except InvalidOperation:
        return None
    fen = number * 100
    if not number.is_finite() or fen != fen.to_integral_value() or abs(fen) > 10**12:
        return None
    return int(fen)


def date_of(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _amount(data) -> int:
    amount = fen_of(data.get("amount"))
    if amount is None:
        raise DomainError(_("Enter the amount in yuan, such as 500 or 1145.45."))
    return amount


def _number(text: str | None) -> int:
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 19 else 0


class ExitListView(RoleRequiredMixin, View):
    """退出: the area's exits, newest first; the township finds a person on a post to record an
    exit."""

    allowed_roles = VIEW_EXITS

    def get(self, request):
        user = request.user
        kind = request.GET.get("kind", "")
        find = request.GET.get("find", "").strip()[:30]
        page = Paginator(selectors.exit_list(user, kind=kind), PER_PAGE).get_page(
            request.GET.get("page")
        )
        masker = id_masker(user)
        for exit_ in page:
            exit_.id_masked = masker(exit_.person.id_number)
            debt = getattr(exit_, "debt", None)
            exit_.debt_link = (debt.pk, yuan(debt.amount_fen)) if debt else None
        can_record = has_role(user, RECORD_EXITS)
        found = selectors.open_placements(user, find) if can_record else []
        for placement in found:
            placement.id_masked = masker(placement.person.id_number)
        return render(
            request,
            "exits/list.html",
            {
                "page": page,
                "kinds": ExitKind.choices,
                "kind": kind,
                "find": find,
                "found": found,
                "can_record": can_record,
            },
        )


class ExitCreateView(RoleRequiredMixin, View):
    """The exit form for one person on a post: the kind, the last day on the post, the reason,
    who decided and when."""

    allowed_roles = RECORD_EXITS

    def _page(self, request, placement, data):
        person = placement.person
        return render(
            request,
            "exits/create.html",
            {
                "placement": placement,
                "id_masked": id_masker(request.user)(person.id_number),
                "kinds": ExitKind.choices,
                "dismissals": sorted(DISMISSAL_KINDS),
                "data": data,
                "today": timezone.localdate(),
            },
        )

    def get(self, request, pk):
        placement = selectors.placement_of(request.user, pk)
        # A warning's link proposes the kind and the day (audits/warnings): a proposal only.
        proposed = {k: request.GET[k] for k in ("kind", "effective_date") if k in request.GET}
        return self._page(request, placement, proposed)

    def post(self, request, pk):
        placement = selectors.placement_of(request.user, pk)
        data = request.POST
        try:
            exit_ = services.exit_record(
                actor=request.user,
                placement_id=placement.pk,
                kind=data.get("kind", ""),
                effective_date=date_of(data.get("effective_date")),
                reason=data.get("reason", ""),
                decided_by=data.get("decided_by", ""),
                decided_on=date_of(data.get("decided_on")),
            )
        except DomainError as error:
            messages.error(request, error.message)
            return self._page(request, placement, data)
        messages.success(request, _("The exit is recorded."))
        return redirect("exit-detail", pk=exit_.pk)


class ExitDetailView(RoleRequiredMixin, View):
    """An exit: its facts, the payout lines it held, and its debt."""

    allowed_roles = VIEW_EXITS

    def get(self, request, pk):
        user = request.user
        exit_ = selectors.exit_of(user, pk)
        held = list(
            PayoutLine.objects.filter(pk__in=exit_.lines_held)
            .select_related("batch")
            .order_by("month")
        )
        for line in held:
            line.amount_yuan = yuan(line.amount_fen)
        debt = getattr(exit_, "debt", None)
        return render(
            request,
            "exits/detail.html",
            {
                "exit": exit_,
                "id_masked": id_masker(user)(exit_.person.id_number),
                "held": held,
                "debt": debt,
                "debt_yuan": yuan(debt.amount_fen) if debt else None,
                "dismissal": exit_.kind in DISMISSAL_KINDS,
                "can_collect": has_role(user, COLLECT_DEBTS),
            },
        )

    def post(self, request, pk):
        exit_ = selectors.exit_of(request.user, pk)
        if not has_role(request.user, COLLECT_DEBTS):
            raise PermissionDenied
        try:
            debt = services.debt_collect(actor=request.user, exit_id=exit_.pk)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The debt is up to date: %(yuan)s yuan to recover.")
                % {"yuan": yuan(debt.amount_fen if debt else 0)},
            )
        return redirect("exit-detail", pk=exit_.pk)


class ExitNoticeView(DocumentView):
    """退出通知书: the notice to the person that the placement ends, with the kind, the last day,
    the reason, who decided, and what is to be paid back (seed 003 §12)."""

    template_name = "exits/notice.html"
    allowed_roles = VIEW_EXITS
    pdf_url_name = "exit-notice-pdf"

    def own_page(self, context) -> str:
        return reverse("exit-detail", kwargs={"pk": context["exit"].pk})

    def document(self, request, pk) -> dict:
        from people.masking import notice_masker

        exit_ = selectors.exit_of(request.user, pk)
        debt = getattr(exit_, "debt", None)
        post = exit_.placement.post
        return {
            "exit": exit_,
            "masked_id": notice_masker(exit_.region_code)(exit_.person.id_number),
            "dismissal": exit_.kind in DISMISSAL_KINDS,
            "debt": debt,
            "debt_yuan": yuan(debt.amount_fen) if debt else None,
            "township": Region.objects.filter(code=exit_.region_code[:9])
            .values_list("name", flat=True)
            .first(),
            "workplace": post.title,
        }

    def filename(self, context) -> str:
        return _("Exit notice %(name)s %(date)s.pdf") % {
            "name": context["exit"].person.name,
            "date": context["exit"].effective_date.isoformat(),
        }


class ExitNoticePdfView(ExitNoticeView):
    pdf = True


class DebtListView(RoleRequiredMixin, View):
    """应追回补贴: the debts by township and their ageing, and the debts one by one."""

    allowed_roles = VIEW_EXITS

    def get(self, request):
        user = request.user
        today = timezone.localdate()
        state = request.GET.get("state", "")
        ageing = selectors.debt_ageing(user, today)
        for row in ageing:
            row.yuan = {k: yuan(getattr(row, k)) for k in AGEING_SUMS}
        page = Paginator(selectors.debt_list(user, state=state), PER_PAGE).get_page(
            request.GET.get("page")
        )
        masker = id_masker(user)
        for debt in page:
            debt.id_masked = masker(debt.person.id_number)
            debt.amount_yuan, debt.outstanding_yuan = yuan(debt.amount_fen), yuan(debt.outstanding)
            debt.age_days = (today - timezone.localtime(debt.created_at).date()).days
        totals = {
            k: yuan(sum(getattr(r, k) for r in ageing))
            for k in ("outstanding_fen", "d30", "d90", "d180", "older")
        }
        return render(
            request,
            "exits/debts.html",
            {
                "ageing": ageing,
                "totals": totals,
                "page": page,
                "states": DebtState.choices,
                "state": state,
            },
        )


class DebtExportView(RoleRequiredMixin, View):
    allowed_roles = VIEW_EXITS

    def get(self, request):
        return exports.debts_export(actor=request.user, today=timezone.localdate())


class DebtDetailView(RoleRequiredMixin, View):
    """A debt: its lines (how each amount was reached), its repayments, and the forms of the
    user's role: a repayment or an offset, asking for a write-off, deciding it."""

    allowed_roles = VIEW_EXITS

    def get(self, request, pk):
        user = request.user
        debt = selectors.debt_of(user, pk)
        lines = list(selectors.debt_lines(user, debt))
        for line in lines:
            line.paid_yuan, line.recovered_yuan = yuan(line.paid_fen), yuan(line.recovered_fen)
        repayments = list(selectors.debt_repayments(user, debt))
        for repayment in repayments:
            repayment.amount_yuan = yuan(repayment.amount_fen)
        followed = debt.state in selectors.FOLLOWED
        repays = has_role(user, RECORD_REPAYMENTS) and followed
        offsets = []
        if repays:
            offsets = list(selectors.offset_lines(user, debt))
            for line in offsets:
                line.amount_yuan = yuan(line.amount_fen)
        return render(
            request,
            "exits/debt.html",
            {
                "debt": debt,
                "id_masked": id_masker(user)(debt.person.id_number),
                "lines": lines,
                "repayments": repayments,
                "sums": {
                    "amount": yuan(debt.amount_fen),
                    "repaid": yuan(debt.repaid_fen),
                    "written_off": yuan(debt.written_off_fen),
                    "outstanding": yuan(debt.outstanding_fen),
                },
                "can_repay": repays,
                "offsets": offsets,
                "can_ask": has_role(user, ASK_WRITE_OFF) and debt.state == DebtState.OPEN,
                "can_decide": has_role(user, APPROVE_WRITE_OFF)
                and debt.state == DebtState.WRITE_OFF_ASKED,
                "today": timezone.localdate(),
            },
        )

    def post(self, request, pk):
        user = request.user
        debt = selectors.debt_of(user, pk)
        data = request.POST
        action = data.get("action", "")
        try:
            if action == "repay":
                amount = _amount(data)
                services.repayment_record(
                    actor=user,
                    debt_id=debt.pk,
                    paid_on=date_of(data.get("paid_on")),
                    amount_fen=amount,
                    receipt_number=data.get("receipt_number", ""),
                    note=data.get("note", ""),
                )
                messages.success(request, _("The repayment is recorded."))
            elif action == "offset":
                amount = _amount(data)
                services.repayment_offset(
                    actor=user,
                    debt_id=debt.pk,
                    line_id=_number(data.get("line")),
                    amount_fen=amount,
                )
                messages.success(request, _("The offset is recorded."))
            elif action in ("ask_write_off", "approve_write_off", "refuse_write_off"):
                to = {
                    "ask_write_off": DebtState.WRITE_OFF_ASKED,
                    "approve_write_off": DebtState.WRITTEN_OFF,
                    "refuse_write_off": DebtState.OPEN,
                }[action]
                if to == DebtState.WRITE_OFF_ASKED and not has_role(user, ASK_WRITE_OFF):
                    raise PermissionDenied
                if to != DebtState.WRITE_OFF_ASKED and not has_role(user, APPROVE_WRITE_OFF):
                    raise PermissionDenied
                services.debt_transition(
                    actor=user, debt_id=debt.pk, to=to, reason=data.get("reason", "")
                )
                messages.success(
                    request, _("The debt is %(state)s.") % {"state": DebtState(to).label}
                )
            else:
                messages.error(request, _("Unknown action."))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("debt-detail", pk=debt.pk)
