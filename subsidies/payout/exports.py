"""The workbooks the payout's pages send (docs/policy.md §7, "Insurance"): the accident
insurance's lists for the insurer, with Chinese headers."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from gongyi.excel import Sheet, xlsx_response
from subsidies.payout.insurance import ADDED, INSURED, LEAVING


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
