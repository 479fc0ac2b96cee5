"""The county's minimum wage table and subsidy standards (docs/policy.md §7)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from gongyi.errors import DomainError
from gongyi.roles import RoleRequiredMixin, has_role, require_role
from gongyi.scoping import user_region_code
from posts import selectors, services
from posts.forms import MinimumWageForm, SubsidyStandardForm
from posts.roles import MANAGE_CATALOGUE, PLAN_ROLES


class StandardsView(RoleRequiredMixin, TemplateView):
    """The county's minimum wage table and subsidy standards; the county adds rows."""

    template_name = "posts/standards.html"
    allowed_roles = PLAN_ROLES  # who reads the plans reads the pay rules behind them

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            wages=selectors.minimum_wages_for(user),
            standards=selectors.subsidy_standards_for(user),
            in_force=services.minimum_wage_in_force(user_region_code(user), timezone.localdate()),
            wage_form=kwargs.get("wage_form") or MinimumWageForm(),
            standard_form=kwargs.get("standard_form") or SubsidyStandardForm(),
            can_add=has_role(user, MANAGE_CATALOGUE),
        )
        return context

    def post(self, request, *args, **kwargs):
        require_role(request.user, MANAGE_CATALOGUE)
        which = request.POST.get("which")
        form_class, service, key = (
            (MinimumWageForm, services.minimum_wage_create, "wage_form")
            if which == "wage"
            else (SubsidyStandardForm, services.subsidy_standard_create, "standard_form")
        )
        form = form_class(request.POST)
        if form.is_valid():
            try:
                service(actor=request.user, **form.cleaned_data)
                messages.success(request, _("The row is added."))
                return redirect("post-standards")
            except DomainError as exc:
                form.add_error(None, exc.message)
        return self.render_to_response(self.get_context_data(**{key: form}), status=400)
