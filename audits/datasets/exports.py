"""The workbook the datasets' pages send: each kind's empty template (docs/policy.md §8)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from audits.datasets.enums import DatasetKind
from audits.datasets.kinds import DATE, END_MONTH, ID, MONTH, TEMPLATES
from gongyi.excel import Sheet, xlsx_response


def _how(reads: str) -> str:
    return {
        ID: _("18 characters (15-digit numbers are converted); format the column as text"),
        DATE: _("a date such as 2020-03-01"),
        MONTH: _("a month such as 2020-03"),
        END_MONTH: _("a month such as 2020-03; empty: still paying on the data's day"),
    }.get(reads, _("text"))


def dataset_template(kind: str):
    """The kind's template: its headers, and a sheet that says what each column takes and which
    other headers are read as it."""
    fields = TEMPLATES[kind]
    with translation.override("zh-hans"):
        label = str(DatasetKind(kind).label)
        notes = [
            (
                f.header,
                _("Required") if f.required else _("Optional"),
                _how(f.reads),
                "、".join(f.aliases),
            )
            for f in fields
        ]
        sheets = [
            Sheet(label, [f.header for f in fields], [], widths=[24] * len(fields)),
            Sheet(
                _("Columns"),
                [_("Column"), _("Required"), _("What it takes"), _("Also read under")],
                notes,
                widths=[24, 8, 48, 60],
            ),
        ]
        return xlsx_response(f"{label}.xlsx", sheets)
