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
    allowed_roles = VIEW_PAYOUT_REPORTS

    def month(self) -> dt.date:
        """The month asked for (``?month=YYYY-MM``), else the last one."""
        return month_or_none(self.request.GET.get("month")) or _last_month()

    def export(self, title: str, sheets, count: int):
        audit_record(
            actor=self.request.user,
            action=AuditAction.EXPORT,
            object_type="payout.payoutline",
            region_code=user_region_code(self.request.user),
            object_repr=title,
            note=_("%(n)s rows") % {"n": count},
        )
        return xlsx_response(f"{title}.xlsx", sheets)


class MonthReportView(_ReportView):
    """The month's payout by township, urban and rural apart: people and lines paid, the money
    paid, and apart what awaits the bank; the bulletin's sentence; ``?format=xlsx``."""

    template_name = "payout/report_month.html"

    def get(self, request, *args, **kwargs):
        month = self.month()
        report = report_selectors.month_report(request.user, month)
        if request.GET.get("format") == "xlsx":
            title, sheets = exports.month_workbook(report)
            return self.export(title, sheets, len(report.rows))
        return self.render_to_response(
            {
                "month": month,
                "report": report,
                "sentence": report_selectors.bulletin_sentence(
                    report.total, month=month, to_date=False
                ),
                "chart": _chart([r.name for r in report.rows], report.rows),
                "echarts": ECHARTS,
            }
        )


class YearReportView(_ReportView):
    """January to the month chosen: by month and by township, the bulletin's sentence to the
    month's end, ``?format=xlsx`` (with a sheet by township and month)."""

    template_name = "payout/report_year.html"

    def get(self, request, *args, **kwargs):
        through = self.month()
        xlsx = request.GET.get("format") == "xlsx"
        report = report_selectors.year_report(request.user, through, cells=xlsx)
        if xlsx:
            title, sheets = exports.year_workbook(report)
            return self.export(title, sheets, len(report.townships) + len(report.months))
        return self.render_to_response(
            {
                "month": through,
                "report": report,
                "sentence": report_selectors.bulletin_sentence(
                    report.total, month=through, to_date=True
                ),
                "chart": _chart([r.name for r in report.months], report.months),
                "echarts": ECHARTS,
            }
        )
