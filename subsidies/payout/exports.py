"""The workbooks the payout's pages send (docs/policy.md §7): the payout reports ("The payout
reports": Chinese headers whatever the reader's language, amounts in yuan as numbers with two
decimals, from whole fen, never through a float, a total row, and a sheet with the bulletin's
sentence and what counts) and the accident insurance's lists for the insurer ("Insurance")."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from gongyi.excel import Sheet, xlsx_response
from subsidies.bankfiles.money import yuan_decimal
from subsidies.payout.insurance import ADDED, INSURED, LEAVING
from subsidies.payout.report_selectors import (
    Figures,
    MonthReport,
    Row,
    YearReport,
    bulletin_sentence,
)

YUAN_FORMAT = "0.00"


def _figure_headers() -> list[str]:
    return [
        _("People paid"),
        _("Lines paid"),
        _("Urban posts paid (yuan)"),
        _("Rural posts paid (yuan)"),
        _("Total paid (yuan)"),
        _("Lines awaiting the bank"),
        _("Urban posts awaiting the bank (yuan)"),
        _("Rural posts awaiting the bank (yuan)"),
        _("Total awaiting the bank (yuan)"),
    ]


def _figure_cells(f: Figures) -> list:
    return [
        f.people,
        f.lines,
        yuan_decimal(f.urban_fen),
        yuan_decimal(f.rural_fen),
        yuan_decimal(f.total_fen),
        f.awaiting_lines,
        yuan_decimal(f.awaiting_urban_fen),
        yuan_decimal(f.awaiting_rural_fen),
        yuan_decimal(f.awaiting_fen),
    ]


#: The columns after the leading text ones: counts, then yuan.
_FIGURE_FORMATS = [None, None, YUAN_FORMAT, YUAN_FORMAT, YUAN_FORMAT, None] + [YUAN_FORMAT] * 3


def _table(title: str, first: list[str], rows: list[Row], total: Figures) -> Sheet:
    lead = len(first)
    body = [[row.name, *_figure_cells(row.figures)] for row in rows]
    body.append([_("Total"), *_figure_cells(total)])
    return Sheet(
        title,
        [*first, *_figure_headers()],
        body,
        widths=[16] * lead + [12, 12, 18, 18, 18, 16, 22, 22, 22],
        formats=[None] * lead + _FIGURE_FORMATS,
    )


def _notes(sentence: str) -> Sheet:
    return Sheet(
        _("Notes"),
        [_("Bulletin sentence")],
        [
            [sentence],
            [
                _(
                    "Paid: lines the bank paid. Awaiting the bank: lines of approved payout "
                    "batches whose bank's return is not read yet; they are not in the sentence."
                )
            ],
            [
                _(
                    "A line counts in its payout batch's month; urban and rural posts' subsidies "
                    "only. Ten-thousand yuan: each figure rounded half up to two decimals on its "
                    "own, so the parts may differ from the total by 0.01."
                )
            ],
        ],
        widths=[120],
    )


def month_workbook(report: MonthReport) -> tuple[str, list[Sheet]]:
    """The month's payout by township, and the notes."""
    with translation.override("zh-hans"):
        title = _("Subsidy payout %(month)s") % {"month": f"{report.month:%Y-%m}"}
        sentence = bulletin_sentence(report.total, month=report.month, to_date=False)
        return title, [
            _table(_("By township"), [_("Township")], report.rows, report.total),
            _notes(sentence),
        ]


def year_workbook(report: YearReport) -> tuple[str, list[Sheet]]:
    """January to the month: by month, by township, by township and month, and the notes."""
    with translation.override("zh-hans"):
        title = _("Subsidy payout %(first)s to %(last)s") % {
            "first": f"{report.through:%Y}-01",
            "last": f"{report.through:%Y-%m}",
        }
        sentence = bulletin_sentence(report.total, month=report.through, to_date=True)
        detail_rows = [
            [township.name, month.code, *_figure_cells(report.cells[township.code, when])]
            for township in report.townships
            for month, when in _months(report)
            if (township.code, when) in report.cells
        ]
        detail = Sheet(
            _("By township and month"),
            [_("Township"), _("Month"), *_figure_headers()],
            detail_rows,
            widths=[16, 10, 12, 12, 18, 18, 18, 16, 22, 22, 22],
            formats=[None, None, *_FIGURE_FORMATS],
        )
        return title, [
            _table(_("By month"), [_("Month")], report.months, report.total),
            _table(_("By township"), [_("Township")], report.townships, report.total),
            detail,
            _notes(sentence),
        ]


def _months(report: YearReport):
    for row in report.months:
        yield row, report.through.replace(month=int(row.code[5:7]))


def insured_lists_xlsx(batch, lists, township: str):
    """One workbook: the insured on the list date, those added, those leaving (a sheet each):
    name, ID number, post, village, cover period."""
    with translation.override("zh-hans"):
        headers = [_("Full name"), _("ID number"), _("Post"), _("Village"), _("Cover period")]
        titles = {
            INSURED: _("Insured"),
            ADDED: _("Added during the year"),
            LEAVING: _("Leaving during the year"),
        }
        title = _("Accident insurance %(year)s %(township)s") % {
            "year": batch.month.year,
            "township": township,
        }
    sheets = [
        Sheet(
            titles[key],
            headers,
            (
                [
                    p.name,
                    p.id_number,
                    p.post,
                    p.village,
                    f"{p.cover_from:%Y-%m-%d} 至 {p.cover_until:%Y-%m-%d}",
                ]
                for p in lists[key]
            ),
            widths=[12, 22, 24, 16, 26],
        )
        for key in (INSURED, ADDED, LEAVING)
    ]
    return xlsx_response(f"{title}.xlsx", sheets)
