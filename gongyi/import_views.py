"""The pages every Excel import has: upload, the check's result, import the good rows or nothing.

A file is checked by one background job (``check_kind``) and imported by another
(``commit_kind``), as ``gongyi.importing`` runs them; these pages start the jobs and show their
results. An import names its jobs, its URL names (``url_name`` and ``url_name``-``job``,
``-commit``, ``-template``) and its templates, which extend ``imports/upload.html`` and
``imports/job.html``.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from gongyi import selectors
from gongyi.forms import ImportForm
from gongyi.importing import MAX_FILE_BYTES, import_cancel
from gongyi.jobs import job_start
from gongyi.models import Job
from gongyi.roles import RoleRequiredMixin


class _ImportPage(RoleRequiredMixin):
    check_kind: str
    commit_kind: str
    url_name: str
    #: The endings of the files the import reads.
    extensions: tuple[str, ...] = (".xlsx",)
    form_class = ImportForm

    def wrong_type(self) -> str:
        return _("Upload an Excel .xlsx file (save .xls files as .xlsx).")

    def own_check_job(self, pk) -> Job:
        """The user's own checked file, without the payload (the file and the checked rows,
        megabytes the pages never show)."""
        return selectors.own_job(self.request.user, pk, kind=self.check_kind)

    def import_urls(self) -> dict[str, str]:
        return {
            "upload": reverse(self.url_name),
            "template": reverse(f"{self.url_name}-template"),
            "job_name": f"{self.url_name}-job",
            "accept": ",".join(self.extensions),
        }


class ImportUploadView(_ImportPage, TemplateView):
    """Upload a file; it is checked in the background and the result page shows every bad
    cell."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or self.form_class()
        context["import_urls"] = self.import_urls()
        context["jobs"] = selectors.recent_own_jobs(self.request.user, self.check_kind, 10)
        return context

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_FILE_BYTES:
                form.add_error("file", _("The file is larger than 20 MB; split it."))
            elif not upload.name.lower().endswith(self.extensions):
                form.add_error("file", self.wrong_type())
            else:
                job = job_start(
                    actor=request.user,
                    kind=self.check_kind,
                    payload=upload.read(),
                    file_name=upload.name,
                )
                return redirect(f"{self.url_name}-job", pk=job.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ImportJobView(_ImportPage, TemplateView):
    """The check's progress and result, then the import's."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.own_check_job(kwargs["pk"])
        commit_id = job.result.get("committed_by")
        commit = (
            selectors.job_of_kind(self.request.user, commit_id, self.commit_kind)
            if commit_id
            else None
        )
        context.update(
            job=job,
            result=job.result,
            commit=commit,
            import_urls=self.import_urls()
            | {"commit": reverse(f"{self.url_name}-commit", args=[job.pk])},
        )
        return context


class ImportCommitView(_ImportPage, View):
    """POST: import the good rows of a checked file (``import``) or nothing (``cancel``)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        job = self.own_check_job(pk)
        if request.POST.get("action") == "cancel":
            if import_cancel(job):
                messages.info(request, _("Nothing was imported."))
            else:
                messages.error(request, _("This file has been imported or cancelled already."))
            return redirect(self.url_name)
        if job.result.get("committed_by") is not None:
            messages.error(request, _("This file has been imported or cancelled already."))
            return redirect(f"{self.url_name}-job", pk=pk)
        job_start(actor=request.user, kind=self.commit_kind, params={"check_job": job.pk})
        return redirect(f"{self.url_name}-job", pk=pk)
