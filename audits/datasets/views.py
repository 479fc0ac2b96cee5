"""The external datasets' pages (docs/policy.md §8): the versions of the county's lists with the
upload form, a version's check and load with its progress, each kind's template."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from audits.datasets import exports, selectors, services
from audits.datasets.enums import DatasetKind
from audits.datasets.forms import DatasetUploadForm
from audits.datasets.kinds import TEMPLATES
from audits.datasets.roles import RUN_MATCH, UPLOAD_DATASETS, VIEW_DATASETS, kinds_for
from gongyi.enums import Role
from gongyi.errors import DomainError
from gongyi.roles import RoleRequiredMixin, has_role

#: Who sees the county's recent matches on the page.
MATCH_READERS = RUN_MATCH | {Role.ADMIN}


class DatasetListView(RoleRequiredMixin, TemplateView):
    """The county's versions of the kinds the user keeps, newest first; the upload form."""

    template_name = "datasets/list.html"
    allowed_roles = VIEW_DATASETS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        kinds = kinds_for(user)
        kind = self.request.GET.get("kind", "")
        context.update(
            versions=selectors.dataset_versions(user, kind=kind if kind in kinds else "")[:200],
            kinds=[(k, DatasetKind(k).label, TEMPLATES[k]) for k in kinds],
            kind=kind,
            can_upload=has_role(user, UPLOAD_DATASETS) and bool(kinds),
            form=kwargs.get("form") or DatasetUploadForm(kinds=kinds),
            can_match=has_role(user, RUN_MATCH),
            matches=selectors.recent_matches(user) if has_role(user, MATCH_READERS) else [],
        )
        return context

    def post(self, request, *args, **kwargs):
        if not has_role(request.user, UPLOAD_DATASETS):
            return self.http_method_not_allowed(request)
        form = DatasetUploadForm(request.POST, request.FILES, kinds=kinds_for(request.user))
        if form.is_valid():
            try:
                version = services.dataset_upload(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    as_of=form.cleaned_data["as_of"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The file is being checked and loaded."))
                return redirect("dataset-version", pk=version.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DatasetVersionView(RoleRequiredMixin, TemplateView):
    """One version: its progress while it is checked and loaded, then its rows or its bad rows."""

    template_name = "datasets/version.html"
    allowed_roles = VIEW_DATASETS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = selectors.dataset_version(self.request.user, kwargs["pk"])
        own_job = (
            version.job
            if version.job and version.job.created_by_id == self.request.user.pk
            else None
        )
        context.update(version=version, job=own_job)
        return context


class DatasetTemplateView(RoleRequiredMixin, View):
    """A kind's empty template (``exports.dataset_template``)."""

    allowed_roles = VIEW_DATASETS

    def get(self, request, kind: str):
        if kind not in kinds_for(request.user):
            raise Http404(_("Not found, or outside your area."))
        return exports.dataset_template(kind)


class DatasetMatchView(RoleRequiredMixin, View):
    """POST: run the match of the county's people on post against the newest datasets now."""

    allowed_roles = RUN_MATCH
    http_method_names = ["post"]

    def post(self, request):
        try:
            services.dataset_match_start(actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The cross-check is running; its result is shown below."))
        return redirect("dataset-list")
