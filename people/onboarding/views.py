"""The township's pages of the workflow: rounds and their board,
entering applications, an application's timeline with its moves, objections' findings, relative
declarations, training sessions, and the trace report per person.

Each view checks the role, reads through ``gongyi.scoping``, calls one service (or
``workflow.application_transition``) and shows its refusal; POST-only views refuse GET.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from gongyi.enums import Department, RegionLevel, Role
from gongyi.errors import DomainError
from gongyi.forms import form_refused
from gongyi.masking import shown
from gongyi.models import Region
from gongyi.roles import RoleRequiredMixin, has_role
from gongyi.scoping import get_scoped_object_or_404, scope_queryset
from people.idnumbers import IdNumberError, parse_id_number
from people.masking import id_masker
from people.models import Person, RelativeDeclaration
from people.onboarding import services
from people.onboarding.enums import BOARD_STATES, STEP_OF, OnboardingStep, RoundStatus
from people.onboarding.enums import ApplicationState as S
from people.onboarding.forms import (
    ApplicationForm,
    DecisionForm,
    FindingForm,
    PublicityStartForm,
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
    FILE_DECLARATIONS,
    MANAGE_ROUNDS,
    PUBLICISE,
    TOWNSHIP_STEPS,
    VIEW_APPLICATIONS,
)
from people.onboarding.workflow import (
    allowed_transitions,
    application_transition,
)
from people.selectors import search_filter


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


def run(request, form, action, success: str) -> None:
    """Validate ``form``, call the service with its data, and say how it went."""
    if not form.is_valid():
        form_errors(request, form)
        return
    try:
        action(form.cleaned_data)
        messages.success(request, success)
    except DomainError as exc:
        refused(request, exc)


# --- rounds -----------------------------------------------------------------------------------

#: Names shown in each column of a round's board; the column's count is always the full one.
BOARD_NAMES = 100
#: Applications a page of one state's whole list (``RoundApplicationsView``).
STATE_PAGE = 50
#: People listed by the search of the application form.
SEARCH_MATCHES = 20


def _state_counts(user, round_ids) -> dict[int, dict[str, int]]:
    """Applications per round and state, for a page of rounds in one GROUP BY query."""
    counts: dict[int, dict[str, int]] = {pk: {} for pk in round_ids}
    rows = (
        scope_queryset(user, Application.objects.filter(round_id__in=list(counts)))
        .values_list("round_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for round_id, state, n in rows:
        counts[round_id][state] = n
    return counts


def _round_of(user, pk) -> Round:
    """The round ``pk`` with its township, if it is in the user's area (else a 404)."""
    return get_scoped_object_or_404(user, Round.objects.select_related("township"), pk=pk)


class RoundListView(RoleRequiredMixin, TemplateView):
    """The rounds of the user's area, newest first, with their applications per state."""

    template_name = "onboarding/township/round_list.html"
    allowed_roles = VIEW_APPLICATIONS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rounds = scope_queryset(user, Round.objects.select_related("township"))
        status = self.request.GET.get("status", "")
        if status in RoundStatus.values:
            rounds = rounds.filter(status=status)
        page = Paginator(rounds.order_by("-opens_on", "-pk"), 50).get_page(
            self.request.GET.get("page")
        )
        counts = _state_counts(user, [r.pk for r in page])
        for r in page:
            per_state = counts[r.pk]
            r.total = sum(per_state.values())
            r.state_counts = [
                (S(state).label, state, per_state[state])
                for state in BOARD_STATES
                if per_state.get(state)
            ]
        context.update(
            page=page,
            statuses=RoundStatus.choices,
            status=status,
            can_create=has_role(user, MANAGE_ROUNDS),
        )
        return context


class RoundFormView(RoleRequiredMixin, TemplateView):
    """A new round (``round-create``) or a draft's changes (``round-edit``): its fields and the
    places offered on each open post of the township. A county user picks the township first."""

    template_name = "onboarding/township/round_form.html"
    allowed_roles = MANAGE_ROUNDS

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not has_role(request.user, self.allowed_roles):
            return super().dispatch(request, *args, **kwargs)
        self.round_ = _round_of(request.user, kwargs["pk"]) if "pk" in kwargs else None
        if self.round_ is not None and self.round_.status != RoundStatus.DRAFT:
            messages.error(
                request, _("A published round cannot be changed; close it and open another.")
            )
            return redirect("round-detail", pk=self.round_.pk)
        self.township = self._township()
        return super().dispatch(request, *args, **kwargs)

    def _township(self):
        if self.round_ is not None:
            return self.round_.township
        user = self.request.user
        if user.region.level == RegionLevel.TOWNSHIP:
            return user.region
        code = str(self.request.GET.get("township") or self.request.POST.get("township_code"))
        if not code.isdigit():
            return None
        regions = Region.objects.filter(level=RegionLevel.TOWNSHIP, pk=code)
        return scope_queryset(user, regions).first()

    def form(self, data=None):
        if data is not None and self.township is not None:
            data = data.copy()
            data["township"] = self.township.pk
        return RoundForm(data, instance=self.round_, user=self.request.user, township=self.township)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.form())
        context["round"] = self.round_
        context["township"] = self.township
        if self.township is None:
            context["townships"] = scope_queryset(
                self.request.user, Region.objects.filter(level=RegionLevel.TOWNSHIP)
            ).order_by("code")
        return context

    def post(self, request, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                if self.round_ is None:
                    round_ = services.round_create(
                        actor=request.user,
                        places=form.places(),
                        township=self.township,
                        **form.service_data(),
                    )
                else:
                    round_ = services.round_update(
                        actor=request.user,
                        round_=self.round_,
                        places=form.places(),
                        **form.service_data(),
                    )
                messages.success(request, _("The round is saved as a draft."))
                return redirect("round-detail", pk=round_.pk)
            except DomainError as exc:
                form_refused(form, exc)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RoundApplicationsView(RoleRequiredMixin, TemplateView):
    """Every application of a round in one state (``?state=``, the board's states), a page
    at a time in the board's order (priority position, then entry): the whole of a board column,
    which shows its first ``BOARD_NAMES``. Tabs per state with their counts (one GROUP BY)."""

    template_name = "onboarding/township/round_applications.html"
    allowed_roles = VIEW_APPLICATIONS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        round_ = _round_of(user, self.kwargs["pk"])
        apps = scope_queryset(user, Application.objects.filter(round=round_))
        counts = dict(apps.values_list("state").annotate(n=Count("pk")).order_by())
        state = self.request.GET.get("state", "")
        if state not in BOARD_STATES:
            state = next((s for s in BOARD_STATES if counts.get(s)), BOARD_STATES[0])
        rows = (
            apps.filter(state=state)
            .select_related("person", "person__village", "post")
            .order_by(F("rank").asc(nulls_last=True), "pk")
        )
        page = Paginator(rows, STATE_PAGE).get_page(self.request.GET.get("page"))
        masker = id_masker(user)
        for app in page:
            app.id_masked = masker(app.person.id_number)
        context.update(
            round=round_,
            state=state,
            state_label=S(state).label,
            tabs=[(s, S(s).label, counts.get(s, 0)) for s in BOARD_STATES],
            page=page,
        )
        return context


class RoundDetailView(RoleRequiredMixin, TemplateView):
    """The round's board: its posts and places, the applications per state in the workflow's
    order (``BOARD_STATES``) with their counts and names, the township's actions, and the
    latest ranking of each post with its positions and reasons. A fixed number of queries,
    however many applications: counts by one GROUP BY, names by one windowed query."""

    template_name = "onboarding/township/round_detail.html"
    allowed_roles = VIEW_APPLICATIONS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        round_ = _round_of(user, self.kwargs["pk"])
        round_posts = list(
            scope_queryset(user, RoundPost.objects.filter(round=round_)).select_related(
                "post", "post__post_type", "post__village", "post__township"
            )
        )
        apps = scope_queryset(user, Application.objects.filter(round=round_))
        per_post_state = apps.values_list("post_id", "state").annotate(n=Count("pk")).order_by()
        counts = dict.fromkeys(BOARD_STATES, 0)
        candidates: dict[int, int] = {}
        for post_id, state, n in per_post_state:
            counts[state] += n
            if state in (S.REREVIEW_PASSED, S.WAITLISTED):
                candidates[post_id] = candidates.get(post_id, 0) + n
        names = (
            apps.annotate(
                row=Window(
                    RowNumber(),
                    partition_by=[F("state")],
                    order_by=[F("rank").asc(nulls_last=True), F("pk").asc()],
                )
            )
            .filter(row__lte=BOARD_NAMES)
            .select_related("person", "post")
            .order_by("state", "row")
        )
        masker = id_masker(user)
        columns: dict[str, list[Application]] = {state: [] for state in BOARD_STATES}
        for app in names:
            app.id_masked = masker(app.person.id_number)
            columns[app.state].append(app)
        latest = {
            r.round_post_id: r
            for r in scope_queryset(user, RankingRecord.objects.filter(round_post__round=round_))
            .order_by("round_post_id", "-created_at", "-pk")
            .distinct("round_post_id")
        }
        for rp in round_posts:
            rp.candidates = candidates.get(rp.post_id, 0)
            rp.ranking = latest.get(rp.pk)
            rp.ranking_rows = _ranking_rows(rp.ranking) if rp.ranking else []
        context.update(
            round=round_,
            round_posts=round_posts,
            board=[
                (
                    S(state).label,
                    state,
                    STEP_OF.get(state),
                    counts[state],
                    columns[state],
                    counts[state] - len(columns[state]),
                )
                for state in BOARD_STATES
            ],
            total=sum(counts.values()),
            can_manage=has_role(user, MANAGE_ROUNDS),
            can_apply=has_role(user, ENTER_APPLICATIONS) and round_.status == RoundStatus.PUBLISHED,
            can_publicise=has_role(user, PUBLICISE),
            publicity_form=PublicityStartForm(),
            announcement_url=reverse("round-announcement-print", args=[round_.pk]),
            announcement_pdf=reverse("round-announcement-pdf", args=[round_.pk]),
        )
        return context


def _ranking_rows(record: RankingRecord) -> list[dict]:
    """The ranking's rows for the page: the ranked in their order, proposed within the places
    and the others waiting, then those found not eligible with their reasons."""
    rows = []
    for row in record.rows:
        position = row.get("position")
        rows.append(
            {
                **row,
                "proposed": bool(position) and position <= record.places,
                "not_eligible": "；".join(row.get("not_eligible") or []),
            }
        )
    return rows


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
    """Rank one post's qualified applicants and publicise as many as it has places."""

    allowed_roles = PUBLICISE

    def post(self, request, pk):
        form = PublicityStartForm(request.POST)
        if not form.is_valid():
            self.round()  # out of the area: 404 before any message
            form_errors(request, form)
            return redirect("round-detail", pk=pk)
        round_post = get_scoped_object_or_404(
            request.user,
            RoundPost.objects.all(),
            pk=form.cleaned_data["round_post"],
            round_id=pk,
        )
        return self.run(
            lambda: services.publicity_start(
                actor=request.user,
                round_post=round_post,
                starts_on=form.cleaned_data["starts_on"],
            ),
            _("The ranking is made and the publicity lists are ready for the villages."),
        )


# --- applications ------------------------------------------------------------------------------


class ApplicationCreateView(RoleRequiredMixin, TemplateView):
    """Enter an application for a post of a published round: the person is found in the
    township's registry by name or the last digits of the ID number, or given by ID number."""

    template_name = "onboarding/township/application_form.html"
    allowed_roles = ENTER_APPLICATIONS

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_role(request.user, self.allowed_roles):
            self.round_ = _round_of(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def people(self):
        """The registry of the round's township, as far as the user may see it."""
        return scope_queryset(
            self.request.user, Person.objects.filter(township_id=self.round_.township_id)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        q = (self.request.GET.get("q") or self.request.POST.get("q") or "").strip()
        matches = []
        if q:
            masker = id_masker(self.request.user)
            matches = list(
                search_filter(self.people(), q)
                .select_related("village")
                .order_by("name", "pk")[: SEARCH_MATCHES + 1]
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
            person = self.people().filter(pk=form.cleaned_data["person"]).first()
            if person is None:
                form.add_error(None, _("Not found, or outside your area."))
            return person
        try:
            number = parse_id_number(form.cleaned_data["id_number"]).number
        except IdNumberError as exc:
            form.add_error("id_number", str(exc))
            return None
        person = scope_queryset(self.request.user, Person.objects.filter(id_number=number)).first()
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
        for record in app.records.all():
            record.role_label = _role_label(record.actor_role)
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
            declarations=list(
                scope_queryset(
                    user, RelativeDeclaration.objects.filter(person_id=app.person_id)
                ).order_by("declared_on", "pk")
            ),
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


def _role_label(value: str) -> str:
    return Role(value).label if value in Role.values else value


def _department_label(value: str) -> str:
    return Department(value).label if value in Department.values else value


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
        person = get_scoped_object_or_404(user, Person.objects.all(), pk=self.kwargs["pk"])
        apps = list(
            scope_queryset(user, Application.objects.filter(person=person))
            .select_related("post", "round", "placement")
            .prefetch_related(
                Prefetch("records", queryset=StepRecord.objects.select_related("actor"))
            )
            .order_by("pk")
        )
        for app in apps:
            for record in app.records.all():
                record.role_label = _role_label(record.actor_role)
        context.update(
            person=person,
            id_masked=id_masker(user)(person.id_number),
            applications=apps,
        )
        return context
