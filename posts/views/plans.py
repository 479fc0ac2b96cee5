"""The annual plans: the list, one plan's progress and export, its targets and allocation."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from gongyi.errors import DomainError
from gongyi.excel import xlsx_response
from gongyi.roles import RoleRequiredMixin, has_role, require_role
from posts import exports, selectors, services
from posts.forms import AllocationForm, PlanForm
from posts.models import AnnualPlan
from posts.roles import MANAGE_PLANS, PLAN_ROLES
from posts.views.common import export_logged, wants_xlsx


class PlanListView(RoleRequiredMixin, TemplateView):
    template_name = "plans/list.html"
    allowed_roles = PLAN_ROLES

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            plans=selectors.plans_for(self.request.user),
            form=kwargs.get("form") or PlanForm(initial={"year": timezone.localdate().year}),
            can_manage=has_role(self.request.user, MANAGE_PLANS),
        )
        return context

    def post(self, request, *args, **kwargs):
        require_role(request.user, MANAGE_PLANS)
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                plan = services.plan_save(actor=request.user, **form.cleaned_data)
                messages.success(request, _("The plan is saved."))
                return redirect("plan-detail", pk=plan.pk)
            except DomainError as exc:
                form.add_error(None, exc.message)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PlanDetailView(RoleRequiredMixin, TemplateView):
    """A plan's progress per township, urban and rural apart; ``?format=xlsx`` exports the
    allocation table (seed 001 附件2) and the progress."""

    template_name = "plans/detail.html"
    allowed_roles = PLAN_ROLES

    def get(self, request, *args, **kwargs):
        if wants_xlsx(request):
            plan = self.get_plan()
            progress = selectors.plan_progress(request.user, plan)
            title, sheets = exports.plan_workbook(plan, progress)
            export_logged(request, what=title, count=len(progress.rows))
            return xlsx_response(f"{title}.xlsx", sheets)
        return super().get(request, *args, **kwargs)

    def get_plan(self) -> AnnualPlan:
        return selectors.plan_get(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        context.update(
            plan=plan,
            progress=selectors.plan_progress(self.request.user, plan),
            can_manage=has_role(self.request.user, MANAGE_PLANS),
            form=PlanForm(
                initial={
                    "year": plan.year,
                    "urban_target": plan.urban_target,
                    "rural_target": plan.rural_target,
                    "note": plan.note,
                }
            ),
        )
        return context


class PlanAllocateView(RoleRequiredMixin, TemplateView):
    """The county splits a plan over its townships, urban and rural apart."""

    template_name = "plans/allocate.html"
    allowed_roles = MANAGE_PLANS

    def setup_plan(self):
        user = self.request.user
        plan = selectors.plan_get(user, self.kwargs["pk"])
        return plan, selectors.plan_townships(user, plan), selectors.plan_shares(user, plan)

    def get(self, request, *args, **kwargs):
        plan, townships, current = self.setup_plan()
        form = AllocationForm(townships=townships, current=current)
        return self.render_to_response(self.get_context_data(plan=plan, form=form))

    def post(self, request, *args, **kwargs):
        plan, townships, current = self.setup_plan()
        form = AllocationForm(request.POST, townships=townships, current=current)
        if form.is_valid():
            try:
                services.plan_allocate(actor=request.user, plan=plan, shares=form.shares())
                messages.success(request, _("The allocation is saved."))
                return redirect("plan-detail", pk=plan.pk)
            except DomainError as exc:
                form.add_error(None, exc.message)
        return self.render_to_response(self.get_context_data(plan=plan, form=form), status=400)


class PlanEditView(RoleRequiredMixin, View):
    """POST: change the targets of a plan."""

    allowed_roles = MANAGE_PLANS
    http_method_names = ["post"]

    def post(self, request, pk):
        plan = selectors.plan_get(request.user, pk)
        form = PlanForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return redirect("plan-detail", pk=pk)
        data = form.cleaned_data | {"year": plan.year}
        try:
            services.plan_save(actor=request.user, **data)
            messages.success(request, _("The targets are saved."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("plan-detail", pk=pk)
