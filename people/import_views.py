"""Pages of the roster import: upload, the template, the check's result, import or nothing.

The file is checked by the ``people.import_check`` job and imported by ``people.import_commit``
(``people.imports``); these pages start the jobs and show their results.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from gongyi.excel import Sheet, xlsx_response
from gongyi.importing import MAX_FILE_BYTES, import_cancel
from gongyi.jobs import job_start
from gongyi.models import Job
from gongyi.roles import RoleRequiredMixin
from gongyi.scoping import get_scoped_object_or_404, scope_queryset
from people.models import Person, TargetGroup
from people.resources import PERSON_COLUMNS, PersonResource
from people.roles import IMPORT_PEOPLE
from posts.forms import ImportForm

CHECK, COMMIT = "people.import_check", "people.import_commit"


class PersonImportView(RoleRequiredMixin, TemplateView):
    """Upload a roster; it is checked in the background and the result page shows every bad
    cell."""

    template_name = "people/import.html"
    allowed_roles = IMPORT_PEOPLE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or ImportForm()
        context["jobs"] = scope_queryset(
            self.request.user, Job.objects.filter(created_by=self.request.user, kind=CHECK)
        ).defer("payload")[:10]
        return context

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_FILE_BYTES:
                form.add_error("file", _("The file is larger than 20 MB; split it."))
            elif not upload.name.lower().endswith(".xlsx"):
                form.add_error("file", _("Upload an Excel .xlsx file (save .xls files as .xlsx)."))
            else:
                job = job_start(
                    actor=request.user, kind=CHECK, payload=upload.read(), file_name=upload.name
                )
                return redirect("person-import-job", pk=job.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PersonImportTemplateView(RoleRequiredMixin, View):
    """The empty roster template, made by the resource, with a sheet explaining the columns and
    one listing the county's target groups."""

    allowed_roles = IMPORT_PEOPLE

    def get(self, request):
        with translation.override("zh-hans"):
            dataset = PersonResource().export(queryset=Person.objects.none())
            rules = [
                [
                    str(c.header),
                    _("yes") if c.required else _("no"),
                    "、".join(str(label) for _v, label in c.choices.choices) if c.choices else "",
                    str(c.hint),
                ]
                for c in PERSON_COLUMNS
            ]
            groups = scope_queryset(request.user, TargetGroup.objects.filter(is_active=True))
            sheets = [
                Sheet(_("People"), dataset.headers, []),
                Sheet(
                    _("Instructions"),
                    [_("Column"), _("Required"), _("Allowed values"), _("Note")],
                    rules,
                    widths=[22, 8, 60, 40],
                ),
                Sheet(
                    _("Target groups"),
                    [_("Target group"), _("Posts")],
                    [[g.name, g.get_area_display()] for g in groups],
                    widths=[30, 20],
                ),
            ]
            title = _("Roster import template")
        return xlsx_response(f"{title}.xlsx", sheets)


def _own_check_job(request, pk) -> Job:
    # Without the payload: the file and the checked rows, megabytes the pages never show.
    return get_scoped_object_or_404(
        request.user,
        Job.objects.filter(created_by=request.user, kind=CHECK).defer("payload"),
        pk=pk,
    )


class PersonImportJobView(RoleRequiredMixin, TemplateView):
    template_name = "people/import_job.html"
    allowed_roles = IMPORT_PEOPLE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = _own_check_job(self.request, kwargs["pk"])
        commit_id = job.result.get("committed_by")
        jobs = scope_queryset(self.request.user, Job.objects.defer("payload"))
        commit = jobs.filter(pk=commit_id, kind=COMMIT).first() if commit_id else None
        context.update(job=job, result=job.result, commit=commit)
        return context


class PersonImportCommitView(RoleRequiredMixin, View):
    """POST: import the good rows of a checked roster (``import``) or nothing (``cancel``)."""

    allowed_roles = IMPORT_PEOPLE
    http_method_names = ["post"]

    def post(self, request, pk):
        job = _own_check_job(request, pk)
        if request.POST.get("action") == "cancel":
            if import_cancel(job):
                messages.info(request, _("Nothing was imported."))
            else:
                messages.error(request, _("This file has been imported or cancelled already."))
            return redirect("person-import")
        if job.result.get("committed_by") is not None:
            messages.error(request, _("This file has been imported or cancelled already."))
            return redirect("person-import-job", pk=pk)
        job_start(actor=request.user, kind=COMMIT, params={"check_job": job.pk})
        return redirect("person-import-job", pk=pk)
