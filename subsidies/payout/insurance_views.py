"""The insurance's pages (docs/policy.md §7, "Insurance"): the township's flexible workers of a
year (recorded or withdrawn), the accident insurance's lists for the insurer (an Excel
download), and the premium paid to the insurer. The insurance batches themselves are the payout
batch pages. Each view checks the role, reads through ``gongyi.scoping`` (outside the area:
404), calls one service and redirects with its message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from gongyi.errors import DomainError
from gongyi.models import Region
from gongyi.roles import RoleRequiredMixin, has_role
from gongyi.scoping import get_scoped_object_or_404
from people.masking import id_masker
from subsidies.payout import services
from subsidies.payout.exports import insured_lists_xlsx
from subsidies.payout.insurance import flexible_candidates
from subsidies.payout.models import PayoutBatch
from subsidies.payout.roles import (
    DOWNLOAD_PAYMENT_FILES,
    ISSUE_PAYOUTS,
    PREPARE_PAYOUTS,
    VIEW_PAYOUTS,
)

PEOPLE_PER_PAGE = 100


def _year(text: str | None, default: int) -> int:
    return (
        int(text)
        if text and text.isascii() and text.isdigit() and 2000 <= int(text) <= 2100
        else default
    )


class FlexibleInsuranceView(RoleRequiredMixin, View):
    """灵活就业参保: the people on the area's urban posts with the social-insurance subsidy in a
    year, and whether each was insured as a flexible worker; the township records it."""

    allowed_roles = VIEW_PAYOUTS

    def get(self, request):
        year = _year(request.GET.get("year"), timezone.localdate().year)
        masker = id_masker(request.user)
        page = Paginator(flexible_candidates(request.user, year), PEOPLE_PER_PAGE).get_page(
            request.GET.get("page")
        )
        for placement in page:
            placement.id_masked = masker(placement.person.id_number)
        return render(
            request,
            "payout/flexible_insurance.html",
            {
                "page": page,
                "year": year,
                "can_record": has_role(request.user, PREPARE_PAYOUTS),
            },
        )

    def post(self, request):
        if not has_role(request.user, PREPARE_PAYOUTS):
            raise PermissionDenied
        year = _year(request.POST.get("year"), 0)
        try:
            if request.POST.get("action") == "withdraw":
                services.flexible_insurance_withdraw(
                    actor=request.user, record_id=_number(request.POST.get("record"))
                )
                messages.success(request, _("The record is withdrawn."))
            else:
                services.flexible_insurance_record(
                    actor=request.user,
                    placement_id=_number(request.POST.get("placement")),
                    year=year,
                    evidence=request.POST.get("evidence", ""),
                )
                messages.success(request, _("Recorded as insured as a flexible worker."))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect(f"{reverse('payout-flexible-insurance')}?year={year or ''}")


def _number(text: str | None) -> int:
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 19 else 0


class InsuredListView(RoleRequiredMixin, View):
    """The accident insurance batch's lists for the insurer, as one workbook (full ID numbers:
    the county HR bureau and the finance department; each download on the audit trail)."""

    allowed_roles = DOWNLOAD_PAYMENT_FILES

    def get(self, request, pk):
        batch = get_scoped_object_or_404(request.user, PayoutBatch.objects, pk=pk)
        try:
            batch, lists = services.insured_lists_download(actor=request.user, batch_id=batch.pk)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("payout-batch", pk=batch.pk)
        township = Region.objects.filter(code=batch.region_code).values_list("name", flat=True)
        return insured_lists_xlsx(batch, lists, township.first() or batch.region_code)


class PremiumPaidView(RoleRequiredMixin, View):
    """The approved accident insurance batch's premium paid to the insurer (the county)."""

    allowed_roles = ISSUE_PAYOUTS
    http_method_names = ["post"]

    def post(self, request, pk):
        batch = get_scoped_object_or_404(request.user, PayoutBatch.objects, pk=pk)
        try:
            services.accident_premium_pay(actor=request.user, batch_id=batch.pk)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The premium is recorded as paid to the insurer."))
        return redirect("payout-batch", pk=batch.pk)
