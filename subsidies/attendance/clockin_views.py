"""Pages of the attendance import (docs/policy.md §7): upload a clock-in export or the county's
sheet, download the sheet's template, the check's result, import the good rows or nothing.

The file is checked by the ``attendance.import_check`` job and imported by
``attendance.import_commit`` (``subsidies.attendance.clockin``); these pages are the shared
import pages (``gongyi.import_views``) with the attendance's role, names and templates.
"""

from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gongyi.excel import Sheet, xlsx_response
from gongyi.import_views import ImportCommitView, ImportJobView, ImportUploadView
from gongyi.roles import RoleRequiredMixin
from gongyi.scoping import user_region_code
from subsidies.attendance.clockin import CHECK, COMMIT, SHEET_HEADERS
from subsidies.attendance.roles import RECORD_ATTENDANCE
from subsidies.attendance.selectors import absence_kinds


class ClockInForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Clock-in export or attendance sheet (.xlsx, .csv)"))


class _ClockInImport:
    """The attendance import: who may (the village, or the township for its own units), its
    two jobs, its URL names, the files it reads."""

    allowed_roles = RECORD_ATTENDANCE
    check_kind, commit_kind, url_name = CHECK, COMMIT, "attendance-import"
    extensions = (".xlsx", ".csv")
    form_class = ClockInForm

    def wrong_type(self) -> str:
        return _("Upload an Excel .xlsx file or a .csv file (save .xls files as .xlsx).")


class ClockInImportView(_ClockInImport, ImportUploadView):
    template_name = "attendance/clockin/upload.html"


class ClockInImportTemplateView(RoleRequiredMixin, View):
    """The county's attendance sheet, empty: one row per person and day, with a sheet explaining
    the columns and one listing the marks of the county's kinds of absence."""

    allowed_roles = RECORD_ATTENDANCE

    def get(self, request):
        with translation.override("zh-hans"):
            kinds = absence_kinds(user_region_code(request.user)[:6])
            notes = [
                _("The person's name, as in the registry."),
                _("18 characters (15 for an old number); format the column as text."),
                _("The day, such as 2026-11-02; one row per person and day."),
                _("√ for present, or the symbol, letter or name of a kind of absence."),
                _("Hourly posts only: the hours worked, such as 3.5 (empty: the planned hours)."),
            ]
            sheets = [
                Sheet(_("Work attendance"), SHEET_HEADERS, [], widths=[12, 22, 14, 8, 8]),
                Sheet(
                    _("Instructions"),
                    [_("Column"), _("Required"), _("Note")],
                    [
                        [header, _("no") if header == "工时" else _("yes"), note]
                        for header, note in zip(SHEET_HEADERS, notes, strict=True)
                    ],
                    widths=[12, 8, 70],
                ),
                Sheet(
                    _("Marks"),
                    [_("Symbol"), _("Shortcut key"), _("Kind"), _("Paid")],
                    [["√", "v", _("Present on the day"), ""]]
                    + [
                        [k.symbol, k.shortcut, k.name, _("yes") if k.paid else _("no")]
                        for k in kinds
                    ],
                    widths=[8, 10, 16, 8],
                ),
            ]
            title = _("Attendance import template")
        return xlsx_response(f"{title}.xlsx", sheets)


class ClockInImportJobView(_ClockInImport, ImportJobView):
    template_name = "attendance/clockin/job.html"


class ClockInImportCommitView(_ClockInImport, ImportCommitView):
    pass
