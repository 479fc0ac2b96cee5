"""The village's page of the workflow: its applicants awaiting the democratic review with the
meeting's form, its meetings and their minutes, and its publicity lists with the objections
received.

Each view checks the role, reads through the selectors, calls one service and shows its refusal.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from gongyi.enums import RegionLevel, Role
from gongyi.errors import DomainError
from gongyi.forms import form_refused
from gongyi.models import Region
from gongyi.roles import RoleRequiredMixin, has_role
from people.masking import id_masker
from people.onboarding import selectors, services
from people.onboarding.enums import ApplicationState as S
from people.onboarding.models import Application
from people.onboarding.queue_forms import DemocraticReviewForm, ObjectionForm
from people.onboarding.queue_views import application_url, show_refusal
from people.onboarding.roles import (
    RECORD_DEMOCRATIC_REVIEW,
    RECORD_OBJECTIONS,
    VIEW_REVIEW_RECORDS,
    VIEW_VILLAGE_PAGE,
)
from people.onboarding.views.common import form_errors
from people.scans import scan_type


def village_of(request, code: str | None = None) -> Region | None:
    """The village the page is about: a village user's own; for a clerk the one chosen (a
    village of the township, else 404), or the first with work waiting."""
    user = request.user
    if user.region.level == RegionLevel.VILLAGE:
        if code and code != user.region.code:
            raise Http404(_("Not found, or outside your area."))
        return user.region
    if code:
        village = selectors.village_by_code(user, code)
        if village is None:
            raise Http404(_("Not found, or outside your area."))
        return village
    return None


class VillageOnboardingView(RoleRequiredMixin, TemplateView):
    """The village committee's page: its applicants awaiting the democratic review with the
    meeting's form, its past meetings, and its publicity lists (current and past) with their
    people, objections and the print buttons."""

    template_name = "onboarding/queue/village.html"
    allowed_roles = VIEW_VILLAGE_PAGE

    def get(self, request, *args, **kwargs):
        village = village_of(request, (request.GET.get("village") or "").strip()[:12] or None)
        return self.render_to_response(self.page_context(village))

    def page_context(self, village, review_form=None) -> dict:
        user = self.request.user
        today = timezone.localdate()
        context = self.get_context_data()
        villages = list(selectors.village_choices(user)) if user.role == Role.CLERK else []
        counts = (
            selectors.village_work_counts(user, selectors.village_choices(user)) if villages else {}
        )
        if village is None and villages:
            village = next((v for v in villages if v.code in counts), villages[0])
        context.update(village=village, villages=villages, village_counts=counts, today=today)
        if village is None:
            return context
        masker = id_masker(user)
        applicants = selectors.village_awaiting_review(user, village)
        for app in applicants:
            app.url = application_url(app.pk)
            app.id_masked = masker(app.person.id_number)
        if review_form is None and applicants and has_role(user, RECORD_DEMOCRATIC_REVIEW):
            review_form = DemocraticReviewForm(
                villages=[village],
                applicants=applicants,
                fixed_village=village,
                initial={"village": village.code},
            )
        publicities = selectors.village_publicities(user, village, today=today)
        can_object = has_role(user, RECORD_OBJECTIONS)
        for item in publicities:
            item.print_url = reverse("publicity-print", args=[item.publicity.pk])
            item.pdf_url = reverse("publicity-pdf", args=[item.publicity.pk])
            for app in item.applications:
                app.url = application_url(app.pk)
                app.id_masked = masker(app.person.id_number)
                app.objection_form = (
                    ObjectionForm(prefix=f"o{app.pk}")
                    if can_object and app.state == S.PUBLICITY and item.current
                    else None
                )
        context.update(
            applicants=applicants,
            review_form=review_form,
            reviews=selectors.village_reviews(user, village),
            publicities=publicities,
            can_object=can_object,
        )
        return context


class DemocraticReviewCreateView(VillageOnboardingView):
    """POST: the village's democratic review meeting and each applicant's result
    (``services.democratic_review_record``); the form again with its errors otherwise."""

    allowed_roles = RECORD_DEMOCRATIC_REVIEW
    http_method_names = ["post"]

    def post(self, request):
        village = village_of(request, (request.POST.get("village") or "").strip()[:12] or None)
        if village is None:
            raise Http404(_("Not found, or outside your area."))
        applicants = selectors.village_awaiting_review(request.user, village)
        form = DemocraticReviewForm(
            request.POST,
            request.FILES,
            villages=[village],
            applicants=applicants,
            fixed_village=village,
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                review = services.democratic_review_record(
                    actor=request.user,
                    village=village,
                    held_on=data["held_on"],
                    attendance=data["attendance"],
                    minutes=data["minutes"],
                    results=data["results"],
                    place=data["place"],
                    minutes_file=data["minutes_file"],
                )
            except DomainError as exc:
                form_refused(form, exc)
                for line in getattr(exc, "lines", None) or []:
                    if line != exc.message:
                        form.add_error(None, line)
            else:
                messages.success(request, _("The democratic review is recorded."))
                return redirect("democratic-review-detail", pk=review.pk)
        return self.render_to_response(self.page_context(village, review_form=form), status=400)


class DemocraticReviewDetailView(RoleRequiredMixin, TemplateView):
    """A democratic review meeting: when, where, who came, the minutes, each applicant's
    result."""

    template_name = "onboarding/queue/review_detail.html"
    allowed_roles = VIEW_REVIEW_RECORDS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        review = selectors.democratic_review_of(user, self.kwargs["pk"])
        masker = id_masker(user)
        results = selectors.democratic_review_results(user, review)
        for app in results:
            app.url = application_url(app.pk)
            app.id_masked = masker(app.person.id_number)
        context.update(
            review=review,
            results=results,
            passed=sum(1 for a in results if not _failed_review(a)),
            S=S,
            can_see_village=has_role(user, VIEW_VILLAGE_PAGE),
        )
        return context


def _failed_review(app: Application) -> bool:
    return app.state == S.REJECTED and app.rejected_state == S.INITIAL_PASSED


class DemocraticReviewMinutesView(RoleRequiredMixin, View):
    """The minutes' scan, only to users whose area holds the meeting; never a public media URL."""

    allowed_roles = VIEW_REVIEW_RECORDS

    def get(self, request, pk):
        review = selectors.democratic_review_of(request.user, pk)
        if not review.minutes_file:
            raise Http404(_("No scan is attached."))
        handle = review.minutes_file.open("rb")
        content_type = scan_type(handle) or "application/octet-stream"
        return FileResponse(
            handle,
            content_type=content_type,
            as_attachment=request.GET.get("download") == "1",
            filename=review.minutes_file.name.rsplit("/", 1)[-1],
        )


class ObjectionCreateView(RoleRequiredMixin, View):
    """POST: an objection received against a publicised applicant (``services.objection_raise``),
    then back to the village's page."""

    allowed_roles = RECORD_OBJECTIONS
    http_method_names = ["post"]

    def post(self, request, pk):
        app = selectors.application_of(request.user, pk)
        form = ObjectionForm(request.POST, prefix=f"o{app.pk}")
        back = reverse("village-onboarding")
        if request.user.role == Role.CLERK and len(app.region_code) == 12:
            back += "?" + urlencode({"village": app.region_code})
        back += f"#application-{app.pk}"
        if not form.is_valid():
            form_errors(request, form)
            return redirect(back)
        try:
            services.objection_raise(actor=request.user, application=app, **form.cleaned_data)
        except DomainError as exc:
            show_refusal(request, exc)
            return redirect(back)
        messages.success(request, _("The objection is recorded; the township investigates it."))
        return redirect(back)
