"""The township's training pages (step 7) and the trace report per person.

Each view checks the role, reads through the selectors, calls one service and shows its refusal.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from gongyi.errors import DomainError
from gongyi.forms import form_refused
from gongyi.roles import RoleRequiredMixin, has_role
from people.masking import id_masker
from people.onboarding import selectors, services
from people.onboarding.forms import TrainingForm
from people.onboarding.roles import TOWNSHIP_STEPS, VIEW_APPLICATIONS
from people.onboarding.trace import trace_sections
from people.onboarding.views.applications import role_label


class TrainingListView(RoleRequiredMixin, TemplateView):
    template_name = "onboarding/township/training_list.html"
    allowed_roles = VIEW_APPLICATIONS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sessions = selectors.training_sessions(self.request.user)
        context["page"] = Paginator(sessions, 50).get_page(self.request.GET.get("page"))
        context["can_create"] = has_role(self.request.user, TOWNSHIP_STEPS)
        return context


class TrainingCreateView(RoleRequiredMixin, TemplateView):
    template_name = "onboarding/township/training_form.html"
    allowed_roles = TOWNSHIP_STEPS

    def applications(self):
        return selectors.trainable_applications(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", TrainingForm(applications=self.applications()))
        return context

    def post(self, request):
        apps = self.applications()
        form = TrainingForm(request.POST, applications=apps)
        if form.is_valid():
            present = [a.pk for a in form.cleaned_data.pop("present")]
            absent = [a.pk for a in apps if a.pk not in set(present)]
            try:
                session = services.training_session_record(
                    actor=request.user, present=present, absent=absent, **form.cleaned_data
                )
                messages.success(request, _("The training session is recorded."))
                return redirect("training-signin-print", pk=session.pk)
            except DomainError as exc:
                form_refused(form, exc)
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- the trace report per person ----------------------------------------------------------------


class PersonTraceView(RoleRequiredMixin, TemplateView):
    """Every step of every application of one person, in order (倒查追溯, seed 003 §6)."""

    template_name = "onboarding/township/person_trace.html"
    allowed_roles = VIEW_APPLICATIONS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        person = selectors.person_of(user, self.kwargs["pk"])
        apps = selectors.person_trace(user, person)
        for app in apps:
            for record in app.records.all():
                record.role_label = role_label(record.actor_role)
        context.update(
            person=person,
            id_masked=id_masker(user)(person.id_number),
            applications=apps,
            sections=trace_sections(user, person),
        )
        return context
