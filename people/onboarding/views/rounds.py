"""The township's round pages: the rounds, a round's form, its board and the applications of
one state, and the round's actions (publish, close, start a post's publicity).

Each view checks the role, reads through the selectors, calls one service and shows its refusal;
POST-only views refuse GET.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from gongyi.enums import RegionLevel
from gongyi.errors import DomainError
from gongyi.forms import form_refused
from gongyi.roles import RoleRequiredMixin, has_role
from people.masking import id_masker
from people.onboarding import selectors, services
from people.onboarding.enums import BOARD_STATES, STEP_OF, RoundStatus
from people.onboarding.enums import ApplicationState as S
from people.onboarding.forms import PublicityStartForm, RoundForm
from people.onboarding.models import RankingRecord
from people.onboarding.roles import ENTER_APPLICATIONS, MANAGE_ROUNDS, PUBLICISE, VIEW_APPLICATIONS
from people.onboarding.views.common import form_errors, refused
from posts.selectors import townships_for

#: Names shown in each column of a round's board; the column's count is always the full one.
BOARD_NAMES = 100
#: Applications a page of one state's whole list (``RoundApplicationsView``).
STATE_PAGE = 50


class RoundListView(RoleRequiredMixin, TemplateView):
    """The rounds of the user's area, newest first, with their applications per state."""

    template_name = "onboarding/township/round_list.html"
    allowed_roles = VIEW_APPLICATIONS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        status = self.request.GET.get("status", "")
        page = Paginator(selectors.round_list(user, status), 50).get_page(
            self.request.GET.get("page")
        )
        counts = selectors.round_state_counts(user, [r.pk for r in page])
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
        self.round_ = selectors.round_of(request.user, kwargs["pk"]) if "pk" in kwargs else None
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
        return selectors.township_of(user, code)

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
            context["townships"] = townships_for(self.request.user)
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
        round_ = selectors.round_of(user, self.kwargs["pk"])
        counts = selectors.round_application_counts(user, round_)
        state = self.request.GET.get("state", "")
        if state not in BOARD_STATES:
            state = next((s for s in BOARD_STATES if counts.get(s)), BOARD_STATES[0])
        rows = selectors.round_applications_in_state(user, round_, state)
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
    however many applications (``selectors.round_board``)."""

    template_name = "onboarding/township/round_detail.html"
    allowed_roles = VIEW_APPLICATIONS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        round_ = selectors.round_of(user, self.kwargs["pk"])
        board = selectors.round_board(user, round_, names=BOARD_NAMES)
        masker = id_masker(user)
        for column in board.columns.values():
            for app in column:
                app.id_masked = masker(app.person.id_number)
        for rp in board.round_posts:
            rp.ranking_rows = _ranking_rows(rp.ranking) if rp.ranking else []
        counts, columns = board.counts, board.columns
        context.update(
            round=round_,
            round_posts=board.round_posts,
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
        return selectors.round_of(self.request.user, self.kwargs["pk"])

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
        round_post = selectors.round_post_of(
            request.user, form.cleaned_data["round_post"], round_id=pk
        )
        return self.run(
            lambda: services.publicity_start(
                actor=request.user,
                round_post=round_post,
                starts_on=form.cleaned_data["starts_on"],
            ),
            _("The ranking is made and the publicity lists are ready for the villages."),
        )
