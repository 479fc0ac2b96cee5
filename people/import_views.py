"""Pages of the roster import: upload, the template, the check's result, import or nothing.

The file is checked by the ``people.import_check`` job and imported by ``people.import_commit``
(``people.imports``); these pages start the jobs and show their results.
"""

from __future__ import annotations

from django.views import View

from gongyi.import_views import ImportCommitView, ImportJobView, ImportUploadView
from gongyi.roles import RoleRequiredMixin
from people import exports
from people.roles import IMPORT_PEOPLE

CHECK, COMMIT = "people.import_check", "people.import_commit"


class _PersonImport:
    """The roster import: who may, its two jobs, its URL names."""

    allowed_roles = IMPORT_PEOPLE
    check_kind, commit_kind, url_name = CHECK, COMMIT, "person-import"


class PersonImportView(_PersonImport, ImportUploadView):
    template_name = "people/import.html"


class PersonImportTemplateView(RoleRequiredMixin, View):
    """The empty roster template (``people.exports.person_import_template``)."""

    allowed_roles = IMPORT_PEOPLE

    def get(self, request):
        return exports.person_import_template(actor=request.user)


class PersonImportJobView(_PersonImport, ImportJobView):
    template_name = "people/import_job.html"


class PersonImportCommitView(_PersonImport, ImportCommitView):
    pass
