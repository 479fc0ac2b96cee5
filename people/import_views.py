"""Pages of the roster import: upload, the template, the check's result, import or nothing.

The file is checked by the ``people.import_check`` job and imported by ``people.import_commit``
(``people.imports``); these pages start the jobs and show their results.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from gongyi.excel import Sheet, xlsx_response
from gongyi.import_views import ImportCommitView, ImportJobView, ImportUploadView
from gongyi.roles import RoleRequiredMixin
from gongyi.scoping import scope_queryset
from people.models import Person, TargetGroup
from people.resources import PERSON_COLUMNS, PersonResource
from people.roles import IMPORT_PEOPLE

CHECK, COMMIT = "people.import_check", "people.import_commit"


class _PersonImport:
    """The roster import: who may, its two jobs, its URL names."""

    allowed_roles = IMPORT_PEOPLE
    check_kind, commit_kind, url_name = CHECK, COMMIT, "person-import"


class PersonImportView(_PersonImport, ImportUploadView):
    template_name = "people/import.html"


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


class PersonImportJobView(_PersonImport, ImportJobView):
    template_name = "people/import_job.html"


class PersonImportCommitView(_PersonImport, ImportCommitView):
    pass
