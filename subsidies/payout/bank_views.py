"""The bank's side of the payout in the browser (docs/policy.md §7, "How gongyi pays the bank"):
the county's bank templates, a batch's payment file and return, and the township's account
fixes. Each view checks the role, finds the object in the user's area (404 outside it), calls
one service and redirects."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gongyi.errors import DomainError
from gongyi.models import JobStatus
from gongyi.navigation import NavItem, add_nav_item
from gongyi.roles import RoleRequiredMixin, has_role, require_role
from gongyi.scoping import get_scoped_object_or_404, scope_queryset
from subsidies.payout import selectors, services
from subsidies.payout.amount import yuan
from subsidies.payout.bank_forms import BankTemplateForm
from subsidies.payout.enums import BANK_STATES, BatchState, FixState, LineStatus
from subsidies.payout.jobs import ISSUE, READ_RETURN
from subsidies.payout.models import AccountFix, BankTemplate, PaymentFile, PayoutBatch
from subsidies.payout.roles import (
    DOWNLOAD_PAYMENT_FILES,
    FIX_ACCOUNTS,
    ISSUE_PAYOUTS,
    MANAGE_BANK_TEMPLATES,
    READ_RETURNS,
    VIEW_ACCOUNT_FIXES,
    VIEW_BANK_FILES,
    VIEW_BANK_TEMPLATES,
)


def bank_nav_register() -> None:
    """The bank pages in the navigation (called from the app's ``ready``)."""
    add_nav_item(
        NavItem(
            gettext_lazy("Bank files"), "payout-bank-batches", VIEW_BANK_FILES, "/payout/bank/"
        ),
        before="region-list",
    )
    add_nav_item(
        NavItem(
            gettext_lazy("Account fixes"),
            "payout-account-fixes",
            frozenset(FIX_ACCOUNTS),
            "/payout/bank/fixes/",
        ),
        before="region-list",
    )


def _failed(request, error: DomainError) -> None:
    messages.error(request, error.message)
    for message in set(error.field_errors.values()) - {error.message}:
        messages.error(request, message)


# --- templates ----------------------------------------------------------------------------------


class TemplateListView(RoleRequiredMixin, View):
    allowed_roles = VIEW_BANK_TEMPLATES

    def get(self, request):
        templates = scope_queryset(request.user, BankTemplate.objects.select_related("county"))
        return render(
            request,
            "payout/bank/templates.html",
            {
                "templates": templates.order_by("county__code", "name"),
                "can_manage": has_role(request.user, MANAGE_BANK_TEMPLATES),
                "county_id": request.user.region_id,
            },
        )


class TemplateEditView(RoleRequiredMixin, View):
    """Add a template (from a copy of another when ``?copy=`` names one), or change one of the
    county's own."""

    allowed_roles = MANAGE_BANK_TEMPLATES

    def _own(self, request, pk):
        if pk is None:
            return None
        return get_scoped_object_or_404(
            request.user, BankTemplate.objects.filter(county_id=request.user.region_id), pk=pk
        )

    def get(self, request, pk=None):
        template = self._own(request, pk)
        source = template
        if source is None:
            copy = request.GET.get("copy", "")
            source = (
                get_scoped_object_or_404(request.user, BankTemplate.objects, pk=int(copy))
                if copy.isdigit()
                else BankTemplate.objects.filter(county=None).order_by("pk").first()
            )
        initial = BankTemplateForm.initial_from(source) if source else {}
        if template is None and source is not None:
            initial["name"] = ""
        return self._page(request, BankTemplateForm(initial=initial), template)

    def post(self, request, pk=None):
        template = self._own(request, pk)
        form = BankTemplateForm(request.POST)
        if form.is_valid():
            payment, bank_return = form.templates()
            try:
                saved = services.bank_template_save(
                    actor=request.user,
                    template_id=template.pk if template else None,
                    name=form.cleaned_data["name"],
                    bank_name=form.cleaned_data["bank_name"],
                    file_template=payment,
                    return_template=bank_return,
                    active=form.cleaned_data["active"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("The bank template %(name)s is saved.") % {"name": saved.name}
                )
                return redirect("payout-bank-templates")
        return self._page(request, form, template, status=400)

    def _page(self, request, form, template, status=200):
        return render(
            request,
            "payout/bank/template_form.html",
            {"form": form, "template": template},
            status=status,
        )


# --- a batch's bank side ------------------------------------------------------------------------


class BatchListView(RoleRequiredMixin, View):
    """The batches approved or further, for the county and the finance department."""

    allowed_roles = VIEW_BANK_FILES

    def get(self, request):
        batches = (
            scope_queryset(request.user, PayoutBatch.objects.filter(state__in=BANK_STATES))
            .select_related("payment_file")
            .annotate(
                township_name=selectors.township_name_of_batch(),
                n=Count("lines"),
                fen=Sum("lines__amount_fen", filter=~Q(lines__status=LineStatus.RELEASED)),
            )
            .order_by("-month", "region_code", "kind", "sequence")
        )
        page = Paginator(batches, 50).get_page(request.GET.get("page"))
        return render(request, "payout/bank/batches.html", {"page": page})


def _job_view(user, batch) -> dict:
    """The batch's latest bank job for the page: its progress while it runs (the bar for the
    one who started it), then the problems of a refusal while they still apply, or the
    result."""
    job = selectors.bank_job(batch)
    if job is None:
        return {"job": None}
    running = job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    # A job's outcome is shown while the batch is where that job left it.
    before, after = {
        ISSUE: (BatchState.APPROVED, BatchState.FILE_ISSUED),
        READ_RETURN: (BatchState.FILE_ISSUED, BatchState.RETURNED),
    }[job.kind]
    failed = job.status == JobStatus.FAILED and batch.state == before
    done = ""
    if job.status == JobStatus.DONE and batch.state == after:
        result = job.result
        if job.kind == ISSUE:
            done = _(
                "The payment file is issued: %(lines)s lines, %(yuan)s yuan; %(stopped)s lines "
                "stopped."
            ) % {
                "lines": result.get("lines"),
                "yuan": yuan(result.get("total_fen") or 0),
                "stopped": result.get("stopped"),
            }
        else:
            done = _("The bank's return is read: %(paid)s lines paid, %(failed)s failed.") % {
                "paid": result.get("paid"),
                "failed": result.get("failed"),
            }
    return {
        "job": job,
        "job_running": running,
        "own_job": job.created_by_id == user.pk,
        "job_error": job.error if failed else "",
        "problems": job.result.get("problems", []) if failed else [],
        "job_done": done,
    }


def _batch_page(request, batch):
    totals = {
        row["status"]: row
        for row in batch.lines.values("status").annotate(n=Count("id"), fen=Sum("amount_fen"))
    }
    issued = PaymentFile.objects.filter(batch=batch).select_related("template").first()
    user = request.user
    job = _job_view(user, batch)
    idle = not job.get("job_running")
    return render(
        request,
        "payout/bank/batch.html",
        {
            "batch": batch,
            "township": selectors.township_names([batch.region_code]).get(batch.region_code, ""),
            "totals": [
                (LineStatus(s).label, totals[s]["n"], totals[s]["fen"])
                for s in LineStatus
                if s in totals
            ],
            "issued": issued,
            "held": batch.lines.filter(status=LineStatus.HELD).order_by("id")[:200],
            "failed": batch.lines.filter(status=LineStatus.FAILED)
            .select_related("account_fix")
            .order_by("id")[:200],
            "templates": scope_queryset(user, BankTemplate.objects.filter(active=True)).order_by(
                "county", "name"
            ),
            "can_issue": idle
            and batch.state == BatchState.APPROVED
            and has_role(user, ISSUE_PAYOUTS),
            "can_download": issued is not None and has_role(user, DOWNLOAD_PAYMENT_FILES),
            "can_return": idle
            and batch.state == BatchState.FILE_ISSUED
            and has_role(user, READ_RETURNS),
            **job,
        },
    )


def _number(value) -> int:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 18 else 0


class BatchBankView(RoleRequiredMixin, View):
    """A batch's payment file and return: issue it (the county), read the return in (the county
    or the finance department). Both run in the background (``subsidies.payout.jobs``): the
    page shows the job's progress, then its result or every problem of the return."""

    allowed_roles = VIEW_BANK_FILES

    def get(self, request, pk):
        batch = get_scoped_object_or_404(request.user, PayoutBatch.objects, pk=pk)
        return _batch_page(request, batch)

    def post(self, request, pk):
        action = request.POST.get("action")
        require_role(request.user, ISSUE_PAYOUTS if action == "issue" else READ_RETURNS)
        batch = get_scoped_object_or_404(request.user, PayoutBatch.objects, pk=pk)
        try:
            if action == "issue":
                job = services.payout_file_issue_start(
                    actor=request.user,
                    batch_id=batch.pk,
                    template_id=_number(request.POST.get("template")),
                )
                if selectors.job_still_running(job):  # else the page says how it ended
                    messages.success(request, _("The payment file is being written."))
            else:
                job = services.payout_return_start(
                    actor=request.user,
                    batch_id=batch.pk,
                    file=request.FILES.get("file"),
                    same_as_before=request.POST.get("same_as_before") == "1",
                )
                if selectors.job_still_running(job):
                    messages.success(request, _("The bank's return is being read."))
        except DomainError as error:
            _failed(request, error)
        return redirect("payout-bank-batch", pk=batch.pk)


class DownloadView(RoleRequiredMixin, View):
    """The payment file: full ID and account numbers, so only for the county HR bureau and the
    finance department, and each download on the audit trail."""

    allowed_roles = DOWNLOAD_PAYMENT_FILES

    def get(self, request, pk):
        batch = get_scoped_object_or_404(request.user, PayoutBatch.objects, pk=pk)
        try:
            download = services.payment_file_download(actor=request.user, batch_id=batch.pk)
        except DomainError as error:
            _failed(request, error)
            return redirect("payout-bank-batch", pk=batch.pk)
        return FileResponse(
            default_storage.open(download.payment_file.path, "rb"),
            as_attachment=True,
            filename=download.name,
            content_type=download.content_type,
        )


# --- account fixes ------------------------------------------------------------------------------


class FixListView(RoleRequiredMixin, View):
    allowed_roles = VIEW_ACCOUNT_FIXES

    def get(self, request):
        state = request.GET.get("state", FixState.OPEN)
        fixes = (
            scope_queryset(request.user, AccountFix.objects.filter(state=state))
            .select_related("line", "line__batch", "follow_up__batch")
            .order_by("-created_at", "pk")
        )
        page = Paginator(fixes, 50).get_page(request.GET.get("page"))
        names = selectors.township_names(f.line.batch.region_code for f in page)
        for f in page:
            f.batch_title = selectors.payout_batch_title(
                f.line.batch, names.get(f.line.batch.region_code, "")
            )
        return render(
            request,
            "payout/bank/fixes.html",
            {
                "page": page,
                "state": state,
                "states": FixState.choices,
                "can_fix": has_role(request.user, FIX_ACCOUNTS),
            },
        )


class FixView(RoleRequiredMixin, View):
    """Enter the right account of a failed payment (POST only, from the list)."""

    allowed_roles = FIX_ACCOUNTS
    http_method_names = ["post"]

    def post(self, request, pk):
        fix = get_scoped_object_or_404(request.user, AccountFix.objects, pk=pk)
        try:
            fixed = services.account_fix_complete(
                actor=request.user,
                fix_id=fix.pk,
                account_number=request.POST.get("account_number", ""),
                bank_name=request.POST.get("bank_name", ""),
            )
        except DomainError as error:
            _failed(request, error)
        else:
            messages.success(
                request,
                _("The account is fixed: the month is paid again in follow-up batch %(batch)s.")
                % {"batch": fixed.follow_up.batch.sequence},
            )
        return redirect(reverse("payout-account-fixes"))
