"""The township's pages of the workflow (issue 5 parts 1, 2, 6–11): rounds and their board,
entering applications, an application's timeline with its moves, objections' findings, relative
declarations, training sessions, and the trace report per person.

Each view checks the role, reads through ``gongyi.scoping``, calls one service (or
``workflow.application_transition``) and shows its refusal; POST-only views refuse GET.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from gongyi.enums import RegionLevel
from gongyi.errors import DomainError
from gongyi.forms import form_refused
from gongyi.models import Region
from gongyi.roles import RoleRequiredMixin, has_role
from gongyi.scoping import get_scoped_object_or_404, scope_queryset
from people.idnumbers import IdNumberError, parse_id_number
from people.models import Person, RelativeDeclaration
from people.onboarding import services
from people.onboarding.enums import BOARD_STATES, STEP_OF, OnboardingStep, RoundStatus
from people.onboarding.enums import ApplicationState as S
from people.onboarding.forms import (
    ApplicationForm,
    DecisionForm,
    FindingForm,
    RoundForm,
    TrainingForm,
    TransitionForm,
    default_term,
)
from people.onboarding.models import (
    Application,
    DepartmentOpinion,
    Objection,
    RankingRecord,
    Round,
    RoundPost,
    StepRecord,
    TrainingAttendance,
    TrainingSession,
)
from people.onboarding.roles import (
    ENTER_APPLICATIONS,
    MANAGE_ROUNDS,
    PUBLICISE,
    TOWNSHIP_STEPS,
    VIEW_APPLICATIONS,
)
from people.onboarding.workflow import (
    allowed_transitions,
    application_transition,
)
from people.roles import SEE_ID_NUMBERS
from people.views import id_masker


def _url(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def refused(request, exc: DomainError) -> None:
    """The refusal, and for a refused bulk move each application's reason."""
    messages.error(request, exc.message)
    lines = getattr(exc, "lines", [])
    for line in lines[:50] if len(lines) > 1 else []:
        messages.error(request, line)


def form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --- rounds -----------------------------------------------------------------------------------


class RoundListView(RoleRequiredMixin, TemplateView):
    template_name = "onboarding/township/round_list.html"
    allowed_roles = VIEW_APPLICATIONS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds = scope_queryset(self.request.user, Round.objects.select_related("township"))
        status = self.request.GET.get("status", "")
        if status in RoundStatus.values:
            rounds = rounds.filter(status=status)
        rounds = rounds.annotate(
            total=Count("applications", distinct=True),
            waiting=Count(
                "applications",
                filter=~Q(applications__state__in=[S.STARTED, S.REJECTED, S.WITHDRAWN]),
                distinct=True,
            ),
            started=Count("applications", filter=Q(applications__state=S.STARTED), distinct=True),
        ).order_by("-opens_on", "-pk")
        context.update(
            page=Paginator(rounds, 50).get_page(self.request.GET.get("page")),
            statuses=RoundStatus.choices,
            status=status,
            can_create=has_role(self.request.user, MANAGE_ROUNDS),
        )
        return context


class RoundFormView(RoleRequiredMixin, TemplateView):
    template_name = "onboarding/township/round_form.html"
    allowed_roles = MANAGE_ROUNDS

    def round(self):
        if "pk" not in self.kwargs:
            return None
        return get_scoped_object_or_404(
            self.request.user, Round.objects.all(), pk=self.kwargs["pk"]
        )

    def township(self):
        round_ = self.round()
        if round_ is not None:
            return round_.township
        if self.request.user.region.level == RegionLevel.TOWNSHIP:
            return self.request.user.region
        code = self.request.GET.get("township") or self.request.POST.get("township_code")
        regions = Region.objects.filter(level=RegionLevel.TOWNSHIP, pk=code or 0)
        return scope_queryset(self.request.user, regions).first() if str(code).isdigit() else None

    def form(self, data=None):
        township = self.township()
        if data is not None and township is not None:
            data = data.copy()
            data["township"] = township.pk
        return RoundForm(data, instance=self.round(), user=self.request.user, township=township)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.form())
        context["round"] = self.round()
        context["township"] = self.township()
        context["townships"] = scope_queryset(
            self.request.user, Region.objects.filter(level=RegionLevel.TOWNSHIP)
        )
        return context

    def post(self, request, **kwargs):
        round_ = self.round()
        form = self.form(request.POST)
        if form.is_valid():
            try:
                if round_ is None:
                    round_ = services.round_create(
                        actor=request.user,
                        places=form.places(),
                        township=form.cleaned_data.get("township"),
                        **form.service_data(),
                    )
                else:
                    services.round_update(
                        actor=request.user,
                        round_=round_,
                        places=form.places(),
                        **form.service_data(),
                    )
                messages.success(request, _("The round is saved as a draft."))
                return redirect("round-detail", pk=round_.pk)
            except DomainError as exc:
                form_refused(form, exc)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RoundDetailView(RoleRequiredMixin, TemplateView):
    """The round's board: its posts and places, the applications per state in the workflow's
    order, the actions of the township and the latest ranking of each post."""

    template_name = "onboarding/township/round_detail.html"
    allowed_roles = VIEW_APPLICATIONS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        round_ = get_scoped_object_or_404(
            user, Round.objects.select_related("township"), pk=self.kwargs["pk"]
        )
        round_posts = list(
            RoundPost.objects.filter(round=round_).select_related("post", "post__post_type")
        )
        apps = list(
            scope_queryset(user, Application.objects.filter(round=round_))
            .select_related("person", "post")
            .order_by("post_id", "rank", "pk")[:2000]
        )
        masker = id_masker(user)
        columns = {state: [] for state in BOARD_STATES}
        for app in apps:
            app.id_masked = masker(app.person.id_number)
            columns[app.state].append(app)
        latest = {}
        for record in RankingRecord.objects.filter(round_post__in=round_posts).order_by(
            "created_at"
        ):
            latest[record.round_post_id] = record
        for rp in round_posts:
            rp.ranking = latest.get(rp.pk)
            rp.candidates = sum(
                1
                for a in apps
                if a.post_id == rp.post_id and a.state in (S.REREVIEW_PASSED, S.WAITLISTED)
            )
        context.update(
            round=round_,
            round_posts=round_posts,
            board=[
                (S(state).label, state, STEP_OF.get(state), columns[state])
                for state in BOARD_STATES
            ],
            total=len(apps),
            can_manage=has_role(user, MANAGE_ROUNDS),
            can_apply=has_role(user, ENTER_APPLICATIONS) and round_.status == RoundStatus.PUBLISHED,
            can_publicise=has_role(user, PUBLICISE),
            announcement_url=_url("round-announcement-print", pk=round_.pk),
            announcement_pdf=_url("round-announcement-pdf", pk=round_.pk),
        )
        return context


class _RoundAction(RoleRequiredMixin, View):
    allowed_roles = MANAGE_ROUNDS
    http_method_names = ["post"]

    def round(self):
        return get_scoped_object_or_404(
            self.request.user, Round.objects.all(), pk=self.kwargs["pk"]
        )

    def run(self, action, success):
        try:
            action()
            messages.success(self.request, success)
        except DomainError as exc:
            refused(self.request, exc)
        return redirect("round-detail", pk=self.kwargs["pk"])


class RoundPublishView(_RoundAction):
    def post(self, request, pk):
        round_ = self.round()
        return self.run(
            lambda: services.round_publish(actor=request.user, round_=round_),
            _("The announcement is published; applications may be entered within its window."),
        )


class RoundCloseView(_RoundAction):
    def post(self, request, pk):
        round_ = self.round()
        return self.run(
            lambda: services.round_close(
                actor=request.user, round_=round_, reason=request.POST.get("reason", "")
            ),
            _("The round is closed."),
        )


class RoundPublicityStartView(_RoundAction):
    allowed_roles = PUBLICISE

    def post(self, request, pk):
        round_post = get_scoped_object_or_404(
            request.user,
            RoundPost.objects.all(),
            pk=request.POST.get("round_post") or 0,
            round_id=pk,
        )
        starts_on = None
        if request.POST.get("starts_on"):
            from django.utils.dateparse import parse_date

            starts_on = parse_date(request.POST["starts_on"])
        return self.run(
            lambda: services.publicity_start(
                actor=request.user, round_post=round_post, starts_on=starts_on
            ),
            _("The ranking is made and the publicity lists are ready for the villages."),
        )


# --- applications ------------------------------------------------------------------------------


class ApplicationCreateView(RoleRequiredMixin, TemplateView):
    template_name = "onboarding/township/application_form.html"
    allowed_roles = ENTER_APPLICATIONS

    def round(self):
        return get_scoped_object_or_404(
            self.request.user, Round.objects.all(), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round_ = self.round()
        context.setdefault("form", ApplicationForm(round_=round_))
        context["round"] = round_
        return context

    def post(self, request, pk):
        round_ = self.round()
        form = ApplicationForm(request.POST, round_=round_)
        if form.is_valid():
            try:
                number = parse_id_number(form.cleaned_data["id_number"]).number
            except IdNumberError as exc:
                form.add_error("id_number", str(exc))
                number = None
            person = (
                scope_queryset(request.user, Person.objects.all()).filter(id_number=number).first()
                if number
                else None
            )
            if number and person is None:
                form.add_error(
                    "id_number",
                    _(
                        "No file with this ID number in your area: enter the person in the registry first."
                    ),
                )
            if person is not None:
                try:
                    app = services.application_submit(
                        actor=request.user,
                        round_=round_,
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
        app = get_scoped_object_or_404(
            user,
            Application.objects.select_related(
                "person",
                "post",
                "round",
                "publicity",
                "declaration",
                "placement",
                "created_by",
                "democratic_review",
            ).prefetch_related(
                Prefetch("records", queryset=StepRecord.objects.select_related("actor")),
                Prefetch("opinions", queryset=DepartmentOpinion.objects.select_related("reviewer")),
                Prefetch(
                    "objections",
                    queryset=Objection.objects.select_related("received_by", "found_by"),
                ),
            ),
            pk=self.kwargs["pk"],
        )
        moves = [t for t in allowed_transitions(app, user) if not t.via]
        term_start, term_end = default_term(app)
        current = STEP_OF.get(app.state)
        steps = [
            (
                step.value,
                step.label,
                "done"
                if current and step.value < current
                else "current"
                if step.value == current
                else "",
            )
            for step in OnboardingStep
        ]
        context.update(
            app=app,
            id_number=app.person.id_number
            if has_role(user, SEE_ID_NUMBERS)
            else id_masker(user)(app.person.id_number),
            steps=steps,
            moves=moves,
            default_term_start=term_start,
            default_term_end=term_end,
            finding_form=FindingForm(),
            can_find=has_role(user, TOWNSHIP_STEPS),
            declarations=list(
                RelativeDeclaration.objects.filter(person=app.person).order_by("declared_on")
            ),
            notice_url=_url("application-notice-print", pk=app.pk)
            if app.state == S.REJECTED
            else None,
            agreement_url=_url("application-agreement-print", pk=app.pk) if app.signed_on else None,
            agreement_pdf=_url("application-agreement-pdf", pk=app.pk) if app.signed_on else None,
            trace_url=reverse("person-trace", kwargs={"pk": app.person_id}),
        )
        return context


class ApplicationTransitionView(RoleRequiredMixin, View):
    """POST only: one move of one application, through the one transition function."""

    http_method_names = ["post"]
    allowed_roles = VIEW_APPLICATIONS

    def post(self, request, pk):
        app = get_scoped_object_or_404(request.user, Application.objects.all(), pk=pk)
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
        objection = get_scoped_object_or_404(request.user, Objection.objects.all(), pk=pk)
        form = FindingForm(request.POST)
        if form.is_valid():
            try:
                services.objection_resolve(
                    actor=request.user, objection=objection, **form.cleaned_data
                )
                messages.success(request, _("The finding is recorded and published with the list."))
            except DomainError as exc:
                refused(request, exc)
        else:
            form_errors(request, form)
        return redirect("application-detail", pk=objection.application_id)


class _DeclarationView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def declaration(self):
        return get_scoped_object_or_404(
            self.request.user, RelativeDeclaration.objects.all(), pk=self.kwargs["pk"]
        )

    def back(self, declaration):
        app = (
            scope_queryset(self.request.user, Application.objects.all())
            .filter(person_id=declaration.person_id)
            .order_by("-pk")
            .first()
        )
        if app is None:
            return redirect("person-detail", pk=declaration.person_id)
        return redirect("application-detail", pk=app.pk)


class DeclarationDecideView(_DeclarationView):
    allowed_roles = TOWNSHIP_STEPS

    def post(self, request, pk):
        declaration = self.declaration()
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.declaration_decide(
                    actor=request.user, declaration=declaration, **form.cleaned_data
                )
                messages.success(request, _("The township's decision is recorded."))
            except DomainError as exc:
                refused(request, exc)
        else:
            form_errors(request, form)
        return self.back(declaration)


class DeclarationFileView(_DeclarationView):
    allowed_roles = frozenset(MANAGE_ROUNDS - TOWNSHIP_STEPS)

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


# --- training ----------------------------------------------------------------------------------


def _attendance(present: bool):
    rows = (
        TrainingAttendance.objects.filter(session=OuterRef("pk"), present=present)
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


class TrainingListView(RoleRequiredMixin, TemplateView):
    template_name = "onboarding/township/training_list.html"
    allowed_roles = VIEW_APPLICATIONS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sessions = (
            scope_queryset(self.request.user, TrainingSession.objects.select_related("township"))
            .annotate(present=_attendance(True), absent=_attendance(False))
            .order_by("-held_on", "-pk")
        )
        context["page"] = Paginator(sessions, 50).get_page(self.request.GET.get("page"))
        context["can_create"] = has_role(self.request.user, TOWNSHIP_STEPS)
        return context


class TrainingCreateView(RoleRequiredMixin, TemplateView):
    template_name = "onboarding/township/training_form.html"
    allowed_roles = TOWNSHIP_STEPS

    def applications(self):
        return (
            scope_queryset(self.request.user, Application.objects.filter(state=S.AGREED))
            .select_related("person", "post")
            .order_by("person__name", "pk")
        )

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
                url = _url("training-signin-print", pk=session.pk)
                return redirect(url or "training-list")
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
        person = get_scoped_object_or_404(user, Person.objects.all(), pk=self.kwargs["pk"])
        apps = list(
            scope_queryset(user, Application.objects.filter(person=person))
            .select_related("post", "round", "placement")
            .prefetch_related(
                Prefetch("records", queryset=StepRecord.objects.select_related("actor"))
            )
            .order_by("pk")
        )
        context.update(
            person=person,
            id_masked=id_masker(user)(person.id_number),
            applications=apps,
        )
        return context
