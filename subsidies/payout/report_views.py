"""The payout reports' pages (docs/policy.md §7, "The payout reports"): the month's payout by
township and the year to date by month and by township, each with its chart (ECharts, served
from static/vendor/, fed with ``json_script``: no inline script, as the Content-Security-Policy
wants), the bulletin's sentence and ``?format=xlsx``. Read only, through ``gongyi.scoping``
(``report_selectors``): a township sees its own, the county its townships."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from gongyi.audit import audit_record
from gongyi.enums import AuditAction
from gongyi.excel import xlsx_response
from gongyi.roles import RoleRequiredMixin
from gongyi.scoping import user_region_code
from subsidies.bankfiles.money import yuan_text
from subsidies.payout import exports, report_selectors
from subsidies.payout.roles import VIEW_PAYOUT_REPORTS
from subsidies.payout.views import month_or_none

#: The vendored chart library (static/vendor/echarts/<version>/, see its README.md).
ECHARTS = "vendor/echarts/5.6.0/echarts.min.js"


def _last_month() -> dt.date:
    today = timezone.localdate()
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _chart(labels: list[str], rows: list[report_selectors.Row]) -> dict:
    """What the chart script draws: paid urban and rural stacked, awaiting the bank beside."""
    return {
        "labels": labels,
        "unit": _("Yuan"),
        "series": [
            {
                "name": _("Urban posts paid"),
                "stack": "paid",
                "data": [yuan_text(r.figures.urban_fen) for r in rows],
            },
            {
                "name": _("Rural posts paid"),
                "stack": "paid",
                "data": [yuan_text(r.figures.rural_fen) for r in rows],
            },
            {
                "name": _("Awaiting the bank"),
                "stack": "awaiting",
                "data": [yuan_text(r.figures.awaiting_fen) for r in rows],
            },
        ],
    }


class _ReportView(RoleRequiredMixin, TemplateView):
    """A report page: the month asked for, the report read once, then the page or the export
    (on the audit trail as every export is)."""

    allowed_roles = VIEW_PAYOUT_REPORTS
    #: The bulletin's sentence for the month, or to the month's end.
    to_date = False

    def report(self, month: dt.date, *, xlsx: bool):
        raise NotImplementedError

    def workbook(self, report):
        """(title, sheets, rows counted on the audit trail)."""
        raise NotImplementedError

    def chart_rows(self, report) -> list[report_selectors.Row]:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        month = month_or_none(request.GET.get("month")) or _last_month()
        xlsx = request.GET.get("format") == "xlsx"
        report = self.report(month, xlsx=xlsx)
        if xlsx:
            title, sheets, count = self.workbook(report)
            audit_record(
                actor=request.user,
                action=AuditAction.EXPORT,
                object_type="payout.payoutline",
                region_code=user_region_code(request.user),
                object_repr=title,
                note=_("%(n)s rows") % {"n": count},
            )
            return xlsx_response(f"{title}.xlsx", sheets)
        rows = self.chart_rows(report)
        return self.render_to_response(
            {
                "month": month,
                "report": report,
                "sentence": report_selectors.bulletin_sentence(
                    report.total, month=month, to_date=self.to_date
                ),
                "chart": _chart([r.name for r in rows], rows),
                "echarts": ECHARTS,
            }
        )


class MonthReportView(_ReportView):
    """The month's payout by township, urban and rural apart: people and lines paid, the money
    paid, and apart what awaits the bank; the bulletin's sentence; ``?format=xlsx``."""

    template_name = "payout/report_month.html"

    def report(self, month, *, xlsx):
        return report_selectors.month_report(self.request.user, month)

    def workbook(self, report):
        return (*exports.month_workbook(report), len(report.rows))

    def chart_rows(self, report):
        return report.rows


class YearReportView(_ReportView):
    """January to the month chosen: by month and by township, the bulletin's sentence to the
    month's end, ``?format=xlsx`` (with a sheet by township and month)."""

    template_name = "payout/report_year.html"
    to_date = True

    def report(self, month, *, xlsx):
        return report_selectors.year_report(self.request.user, month, cells=xlsx)

    def workbook(self, report):
        return (*exports.year_workbook(report), len(report.townships) + len(report.months))

    def chart_rows(self, report):
        return report.months
