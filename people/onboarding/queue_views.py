"""Pages of the workflow's queues: the county's review and approval queue with its bulk
actions, and the department reviewers' queue (the village's page is ``village_views``).

Each view checks the role, reads through ``gongyi.scoping`` (the selectors), calls one service
(or ``workflow.application_transition`` for the bulk actions) and shows its refusal: a bulk
action refused for some applications changes none and lists which and why.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from gongyi.errors import DomainError
from gongyi.policy import policy_value
from gongyi.roles import RoleRequiredMixin, has_role
from gongyi.scoping import user_region_code
from people.masking import id_masker
from people.onboarding import selectors, services
from people.onboarding.enums import ApplicationState as S
from people.onboarding.enums import Opinion
from people.onboarding.policy import REQUIRED_OPINIONS
from people.onboarding.queue_forms import OpinionActionForm, QueueActionForm
from people.onboarding.roles import (
    ACT_ON_COUNTY_QUEUE,
    GIVE_OPINIONS,
    VIEW_COUNTY_QUEUE,
    VIEW_OPINION_QUEUE,
)
from people.onboarding.views.common import form_errors
from people.onboarding.workflow import application_transition


def application_url(pk: int) -> str:
    """The application's own page (the township's pages, ``application-detail``)."""
    return reverse("application-detail", args=[pk])


def _query_back(query: str, names=(*selectors.QUEUE_PARAMS, "given")) -> str:
    """The queue's filters as they were, for the redirect after a bulk action; only the
    queue's own parameters survive."""
    parsed = QueryDict(query or "")
    kept = {k: parsed.get(k) for k in names if parsed.get(k) and k not in ("before", "after")}
    return ("?" + urlencode(kept)) if kept else ""


#: The session key of a refused bulk action's reasons, read once by the queue page it returns to.
REFUSALS = "queue_refusals"


def show_refusal(request, exc: DomainError) -> None:
    """A refusal as one message. A bulk transition refused for some applications says how many
    in the message and why each in its row of the queue (kept in the session for the page the
    user is sent back to); any other refusal is its message and its lines."""
    refused = getattr(exc, "refused", None)
    if refused:
        request.session[REFUSALS] = {
            str(pk): {"reason": reason, "line": line}
            for (pk, reason), line in zip(refused.items(), exc.lines, strict=True)
        }
        if len(refused) == 1:  # the reason itself is as short as a summary
            messages.error(request, exc.message)
            return
        messages.error(
            request,
            ngettext(
                "%(n)s application cannot take this step, so nothing was changed: the reason "
                "is shown in its row.",
                "%(n)s applications cannot take this step, so nothing was changed: the reason "
                "is shown in each one's row.",
                len(refused),
            )
            % {"n": len(refused)},
        )
        return
    messages.error(request, exc.message)
    for line in getattr(exc, "lines", None) or []:
        if line != exc.message:
            messages.error(request, line)
    for message in (exc.field_errors or {}).values():
        if message != exc.message:
            messages.error(request, message)


def refusals_for(request, rows: list[dict]) -> list[str]:
    """The last bulk action's refusals (once): each row of ``rows`` refused gets its reason and
    stays ticked; the lines of those not on this page are returned."""
    refused = request.session.pop(REFUSALS, None) or {}
    for row in rows:
        found = refused.pop(str(row["pk"]), None)
        row["refusal"] = found["reason"] if found else ""
    return [r["line"] for r in refused.values()]


def _all_in_area(user, ids: list[int]) -> None:
    """A bulk action names applications of the user's area only: any other is a 404, as its
    page would be (the answer never confirms it exists)."""
    if len(selectors.applications_in_area(user, ids)) != len(ids):
        raise Http404(_("Not found, or outside your area."))


def _rows_with_links(rows: list[dict], masker) -> list[dict]:
    for row in rows:
        row["url"] = application_url(row["pk"])
        row["id_masked"] = masker(row["person__id_number"])
    return rows


def _county_rows(rows: list[dict], masker, required: int, user) -> list[dict]:
    """The county queue's cells that depend on a row's state, worded once per page rather than
    by template tags and filters on every row (50 rows of conditionals are most of the page's
    time)."""
    waiting = {
        S.REVIEWED: _("Awaiting re-review"),
        S.PUBLICITY: _("Awaiting approval"),
    }
    holds = {
        selectors.HOLD_OBJECTION: _("Objection under investigation"),
        selectors.HOLD_DECLARATION: _("Relative declaration pending"),
        selectors.HOLD_PERIOD: _("Publicity period not over"),
    }
    for row in _rows_with_links(rows, masker):
        # Ready for its next step as far as the list can tell (what "select the ready ones" ticks).
        row["ready_for_step"] = (
            row["opinions_in"] >= required if row["state"] == S.REVIEWED else row["ready"]
        )
        row["mine"] = row["created_by_id"] == user.pk
        row["village_shown"] = row["person__village__name"] or "—"
        ends_on = row["publicity__ends_on"]
        row["ends_on_shown"] = ends_on.isoformat() if ends_on else "—"
        row["state_label"] = waiting.get(row["state"], "")
        row["hold_label"] = holds.get(row["hold"], "")
        row["opinions_label"] = (
            f"{row['opinions_in']}/{required}" if row["state"] == S.REVIEWED else "—"
        )
        row["disagree_label"] = (
            ngettext("%(n)s disagrees", "%(n)s disagree", row["disagreements"])
            % {"n": row["disagreements"]}
            if row["state"] == S.REVIEWED and row["disagreements"]
            else ""
        )
    return rows


class _QueuePage(RoleRequiredMixin, TemplateView):
    params = selectors.QUEUE_PARAMS

    def queue_params(self) -> dict[str, str]:
        return selectors.clean_params(self.request.GET, self.params)

    def filter_context(self, params) -> dict:
        user = self.request.user
        return {
            "params": params,
            "townships": selectors.queue_townships(user),
            "rounds": selectors.queue_rounds(user),
            "round_posts": selectors.round_posts(user, params.get("round", "")),
            "query": self.request.GET.urlencode(),
        }


class ApplicationQueueView(_QueuePage):
    """The county's review and approval queue: applications awaiting the re-review (with the
    department opinions in and disagreements) and awaiting approval after publicity (with the
    period's end and whether each is ready), 50 a page, with bulk actions."""

    template_name = "onboarding/queue/county.html"
    allowed_roles = VIEW_COUNTY_QUEUE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        params = self.queue_params()
        today = timezone.localdate()
        page = selectors.county_queue(user, params, today=today)
        required = policy_value(user_region_code(user), REQUIRED_OPINIONS, today)
        rows = _county_rows(page.rows, id_masker(user), required, user)
        context.update(
            self.filter_context(params),
            page=page,
            rows=rows,
            refused_elsewhere=refusals_for(self.request, rows),
            any_refused=any(r["refusal"] for r in rows),
            states=[
                (s.value, s.label, page.count_labels[s.value])
                for s in selectors.COUNTY_QUEUE_STATES
            ],
            required_opinions=required,
            can_act=has_role(user, ACT_ON_COUNTY_QUEUE),
            action_form=QueueActionForm(initial={"query": self.request.GET.urlencode()}),
            S=S,
            today=today,
        )
        return context


class _BulkActionView(RoleRequiredMixin, View):
    """POST: one action on the ticked applications of a queue, all or none, then back to the
    queue with its filters. ``act`` calls the service and returns the success message."""

    http_method_names = ["post"]
    form_class: type = QueueActionForm
    queue_url_name = ""

    def act(self, form, ids: list[int]) -> str:
        raise NotImplementedError

    def post(self, request):
        form = self.form_class(request.POST)
        back = reverse(self.queue_url_name) + _query_back(request.POST.get("query", ""))
        if not form.is_valid():
            form_errors(request, form)
            return redirect(back)
        ids = form.cleaned_data["applications"]
        _all_in_area(request.user, ids)
        try:
            messages.success(request, self.act(form, ids))
        except DomainError as exc:  # TransitionRefused too: each refused application listed
            show_refusal(request, exc)
        return redirect(back)


class ApplicationQueueActionView(_BulkActionView):
    """The county's bulk re-review, approval or refusal (``workflow.application_transition``)."""

    allowed_roles = ACT_ON_COUNTY_QUEUE
    queue_url_name = "application-queue"

    def act(self, form, ids: list[int]) -> str:
        moved = application_transition(
            actor=self.request.user,
            applications=ids,
            to=form.target,
            comment=form.cleaned_data["comment"],
        )
        return _("%(n)s applications: %(state)s.") % {
            "n": len(moved),
            "state": S(form.target).label,
        }


class OpinionQueueView(_QueuePage):
    """The department reviewers' queue: applications awaiting the re-review, each with this
    department's opinion if it has given one; the county and the administrator may look."""

    template_name = "onboarding/queue/opinions.html"
    allowed_roles = VIEW_OPINION_QUEUE
    params = (*selectors.QUEUE_PARAMS, "given")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        params = self.queue_params()
        page = selectors.opinion_queue(user, params)
        today = timezone.localdate()
        context.update(
            self.filter_context(params),
            page=page,
            rows=_rows_with_links(page.rows, id_masker(user)),
            can_act=has_role(user, GIVE_OPINIONS) and bool(user.department),
            department=user.get_department_display() if user.department else "",
            required_opinions=policy_value(user_region_code(user), REQUIRED_OPINIONS, today),
            action_form=OpinionActionForm(initial={"query": self.request.GET.urlencode()}),
            opinions=Opinion,
        )
        return context


class OpinionQueueActionView(_BulkActionView):
    """The reviewer's department agrees or disagrees on the ticked applications
    (``services.opinion_record``)."""

    allowed_roles = GIVE_OPINIONS
    form_class = OpinionActionForm
    queue_url_name = "opinion-queue"

    def act(self, form, ids: list[int]) -> str:
        n = services.opinion_record(
            actor=self.request.user,
            applications=ids,
            opinion=form.cleaned_data["opinion"],
            comment=form.cleaned_data["comment"],
        )
        return _("The opinion is recorded for %(n)s applications: %(opinion)s.") % {
            "n": n,
            "opinion": Opinion(form.cleaned_data["opinion"]).label,
        }
