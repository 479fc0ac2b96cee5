"""The township's application pages: entering an application, its timeline with its moves,
objections' findings and relative declarations.

Each view checks the role, reads through the selectors, calls one service (or
``workflow.application_transition``) and shows its refusal; POST-only views refuse GET.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from gongyi.enums import Department, Role
from gongyi.errors import DomainError
from gongyi.forms import form_refused
from gongyi.masking import shown
from gongyi.roles import RoleRequiredMixin, has_role
from people.idnumbers import IdNumberError, parse_id_number
from people.masking import id_masker
from people.models import Person
from people.onboarding import selectors, services
from people.onboarding.enums import STEP_OF, OnboardingStep
from people.onboarding.enums import ApplicationState as S
from people.onboarding.forms import (
    ApplicationForm,
    DecisionForm,
    FindingForm,
    TransitionForm,
    default_term,
)
from people.onboarding.models import Application
from people.onboarding.roles import (
    ENTER_APPLICATIONS,
    FILE_DECLARATIONS,
    TOWNSHIP_STEPS,
    VIEW_APPLICATIONS,
)
from people.onboarding.views.common import form_errors, refused, run
from people.onboarding.workflow import allowed_transitions, application_transition

#: People listed by the search of the application form.
SEARCH_MATCHES = 20


class ApplicationCreateView(RoleRequiredMixin, TemplateView):
    """Enter an application for a post of a published round: the person is found in the
    township's registry by name or the last digits of the ID number, or given by ID number."""

    template_name = "onboarding/township/application_form.html"
    allowed_roles = ENTER_APPLICATIONS

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_role(request.user, self.allowed_roles):
            self.round_ = selectors.round_of(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        q = (self.request.GET.get("q") or self.request.POST.get("q") or "").strip()
        matches = []
        if q:
            masker = id_masker(self.request.user)
            matches = selectors.round_people_search(
                self.request.user, self.round_, q, SEARCH_MATCHES + 1
            )
            for person in matches:
                person.id_masked = masker(person.id_number)
        form = context.setdefault("form", ApplicationForm(round_=self.round_))
        context.update(
            round=self.round_,
            q=q,
            matches=matches[:SEARCH_MATCHES],
            more_matches=len(matches) > SEARCH_MATCHES,
            chosen=str(form["person"].value() or ""),
        )
        return context

    def person(self, form) -> Person | None:
        """The chosen or numbered person, or ``None`` with the reason on the form."""
        if form.cleaned_data["person"]:
            person = selectors.round_person(
                self.request.user, self.round_, form.cleaned_data["person"]
            )
            if person is None:
                form.add_error(None, _("Not found, or outside your area."))
            return person
        try:
            number = parse_id_number(form.cleaned_data["id_number"]).number
        except IdNumberError as exc:
            form.add_error("id_number", str(exc))
            return None
        person = selectors.person_by_id_number(self.request.user, number)
        if person is None:
            form.add_error(
                "id_number",
                _(
                    "No file with this ID number in your area: enter the person in the registry first."
                ),
            )
        return person

    def post(self, request, pk):
        form = ApplicationForm(request.POST, round_=self.round_)
        if form.is_valid() and (person := self.person(form)) is not None:
            try:
                app = services.application_submit(
                    actor=request.user,
                    round_=self.round_,
                    post=form.cleaned_data["post"],
                    person=person,
                    applied_on=form.cleaned_data["applied_on"],
                    evidence=form.cleaned_data["evidence"],
                )
                messages.success(
                    request, _("The application is entered; it awaits the initial review.")
                )
                return redirect("application-detail", pk=app.pk)
            except DomainError as exc:
                form_refused(form, exc)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ApplicationDetailView(RoleRequiredMixin, TemplateView):
    """The application's timeline (倒查追溯): every step record, opinions, objections, the
    declaration, the agreement and the placement; the moves the user may make."""

    template_name = "onboarding/township/application_detail.html"
    allowed_roles = VIEW_APPLICATIONS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        app = selectors.application_timeline(user, self.kwargs["pk"])
        moves = [t for t in allowed_transitions(app, user) if not t.via]
        term_start, term_end = default_term(app)
        for record in app.records.all():
            record.role_label = role_label(record.actor_role)
        for opinion in app.opinions.all():
            opinion.department_label = _department_label(opinion.department)
        context.update(
            app=app,
            id_number=shown(user, Person, "id_number")(app.person.id_number),
            steps=progress_steps(app),
            moves=moves,
            default_term_start=term_start,
            default_term_end=term_end,
            finding_form=FindingForm(),
            can_find=has_role(user, TOWNSHIP_STEPS),
            can_file=has_role(user, FILE_DECLARATIONS),
            declarations=selectors.person_declarations(user, app.person_id),
            notice_url=reverse("application-notice-print", args=[app.pk])
            if app.state == S.REJECTED
            else None,
            agreement_url=reverse("application-agreement-print", args=[app.pk])
            if app.signed_on
            else None,
            agreement_pdf=reverse("application-agreement-pdf", args=[app.pk])
            if app.signed_on
            else None,
            trace_url=reverse("person-trace", kwargs={"pk": app.person_id}),
        )
        return context


def progress_steps(app: Application) -> list[tuple[int, str, str]]:
    """The eight steps with each one's mark: done, current, or where a refused or withdrawn
    application stopped."""
    stopped = app.state in (S.REJECTED, S.WITHDRAWN)
    current = STEP_OF.get(app.rejected_state if stopped else app.state)
    marks = []
    for step in OnboardingStep:
        if current and step.value < current:
            mark = "done"
        elif step.value == current:
            mark = "stopped" if stopped else "current"
        else:
            mark = ""
        marks.append((step.value, step.label, mark))
    return marks


def role_label(value: str) -> str:
    return Role(value).label if value in Role.values else value


def _department_label(value: str) -> str:
    return Department(value).label if value in Department.values else value


class ApplicationTransitionView(RoleRequiredMixin, View):
    """POST only: one move of one application, through the one transition function."""

    http_method_names = ["post"]
    allowed_roles = VIEW_APPLICATIONS

    def post(self, request, pk):
        app = selectors.application_of(request.user, pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
            return redirect("application-detail", pk=pk)
        try:
            application_transition(
                actor=request.user,
                applications=[app],
                to=form.cleaned_data["to"],
                comment=form.cleaned_data["comment"],
                evidence=form.cleaned_data["evidence"],
                data=form.data_for_service(),
            )
            messages.success(request, _("The step is recorded."))
        except DomainError as exc:
            refused(request, exc)
        return redirect("application-detail", pk=pk)


class ObjectionResolveView(RoleRequiredMixin, View):
    http_method_names = ["post"]
    allowed_roles = TOWNSHIP_STEPS

    def post(self, request, pk):
        objection = selectors.objection_of(request.user, pk)
        run(
            request,
            FindingForm(request.POST),
            lambda data: services.objection_resolve(
                actor=request.user, objection=objection, **data
            ),
            _("The finding is recorded and published with the list."),
        )
        return redirect("application-detail", pk=objection.application_id)


class _DeclarationView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def declaration(self):
        return selectors.declaration_of(self.request.user, self.kwargs["pk"])

    def back(self, declaration):
        app = selectors.latest_application(self.request.user, declaration.person_id)
        if app is None:
            return redirect("person-detail", pk=declaration.person_id)
        return redirect("application-detail", pk=app.pk)


class DeclarationDecideView(_DeclarationView):
    allowed_roles = TOWNSHIP_STEPS

    def post(self, request, pk):
        declaration = self.declaration()
        run(
            request,
            DecisionForm(request.POST),
            lambda data: services.declaration_decide(
                actor=request.user, declaration=declaration, **data
            ),
            _("The township's decision is recorded."),
        )
        return self.back(declaration)


class DeclarationFileView(_DeclarationView):
    allowed_roles = FILE_DECLARATIONS

    def post(self, request, pk):
        declaration = self.declaration()
        try:
            services.declaration_file(
                actor=request.user, declaration=declaration, comment=request.POST.get("comment", "")
            )
            messages.success(request, _("The declaration is filed by the county."))
        except DomainError as exc:
            refused(request, exc)
        return self.back(declaration)
