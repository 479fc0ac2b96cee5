"""The payout reports (docs/policy.md §7, "The payout reports"): the month's payout by township,
urban and rural apart, and the year to date by month and by township — the figures of the
bulletin (seed 000: 发放公益性岗位补贴…万元，其中城镇…万元、乡村…万元).

What counts:

- **Paid**: lines the bank paid (status ``paid``). The bulletin's sentence uses these only.
- **Awaiting the bank**, shown apart: lines to be paid in batches the county approved whose
  bank's return is not read yet (approved, payment file issued).

A line counts in the month of its payout batch (the month's own batch and its follow-ups, which
keep the month; a held line released into a later batch counts in that batch's month), and only
in urban and rural batches (the subsidy, not the insurance). Every figure is summed in the
database (GROUP BY, ``payout_line_batch_idx`` from the month's batches), a few queries whatever
the number of lines; every queryset passes through ``gongyi.scoping``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from gongyi.enums import RegionLevel
from gongyi.models import Region
from gongyi.scoping import scope_queryset
from subsidies.payout.enums import BatchKind, BatchState, LineStatus
from subsidies.payout.models import PayoutLine

#: The batches the reports read: the subsidy's, urban and rural.
KINDS = (BatchKind.URBAN, BatchKind.RURAL)
#: A line to be paid in a batch in one of these states is approved and awaits the bank.
AWAITING_STATES = (BatchState.APPROVED, BatchState.FILE_ISSUED)
PAID = Q(status=LineStatus.PAID)
AWAITING = Q(status=LineStatus.PENDING, batch__state__in=AWAITING_STATES)
URBAN = Q(batch__kind=BatchKind.URBAN)
RURAL = Q(batch__kind=BatchKind.RURAL)
#: The bulletin's unit, 万元, to two decimals, half up: each figure rounded on its own from
#: whole fen (so urban and rural may differ from the total by 0.01, as seed 000's 1337 + 2607
#: differ from its 3945).
WAN_EXPONENT = Decimal("0.01")
FEN_PER_WAN = 1_000_000


def wan(fen: int) -> Decimal:
    """Whole fen as 万元, two decimals, half up: 39_454_999_999 fen → 3945.50."""
    return (Decimal(int(fen)) / FEN_PER_WAN).quantize(WAN_EXPONENT, rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    """A cell of the report: people and lines paid, the money paid urban and rural, and apart
    what awaits the bank. Amounts in whole fen."""

    people: int = 0
    lines: int = 0
    urban_fen: int = 0
    rural_fen: int = 0
    awaiting_lines: int = 0
    awaiting_urban_fen: int = 0
    awaiting_rural_fen: int = 0

    @property
    def total_fen(self) -> int:
        return self.urban_fen + self.rural_fen

    @property
    def awaiting_fen(self) -> int:
        return self.awaiting_urban_fen + self.awaiting_rural_fen


@dataclass
class Row:
    code: str
    name: str
    figures: Figures = field(default_factory=Figures)


@dataclass
class MonthReport:
    month: dt.date
    rows: list[Row]  # one per township of the user's area, by code
    total: Figures


@dataclass
class YearReport:
    year: int
    through: dt.date  # the last month counted (January of ``year`` to it)
    months: list[Row]  # one per month, ``code`` the month as YYYY-MM
    townships: list[Row]  # over the period
    cells: dict[tuple[str, dt.date], Figures]  # (township code, month) → figures
    total: Figures


def _aggregates() -> dict:
    return {
        "people": Count("person_id", distinct=True, filter=PAID),
        "lines": Count("id", filter=PAID),
        "urban_fen": Sum("amount_fen", filter=PAID & URBAN, default=0),
        "rural_fen": Sum("amount_fen", filter=PAID & RURAL, default=0),
        "awaiting_lines": Count("id", filter=AWAITING),
        "awaiting_urban_fen": Sum("amount_fen", filter=AWAITING & URBAN, default=0),
        "awaiting_rural_fen": Sum("amount_fen", filter=AWAITING & RURAL, default=0),
    }


def _figures(row: dict) -> Figures:
    return Figures(**{name: int(row[name]) for name in _aggregates()})


def report_lines(user, first: dt.date, last: dt.date) -> QuerySet[PayoutLine]:
    """The lines of ``user``'s area that the reports count, in the batches of ``first`` to
    ``last`` (first days of months): paid, or awaiting the bank."""
    lines = PayoutLine.objects.filter(
        batch__month__gte=first,
        batch__month__lte=last,
        batch__kind__in=KINDS,
        # Both statuses are the second column of payout_line_batch_idx.
        status__in=(LineStatus.PAID, LineStatus.PENDING),
    ).filter(PAID | AWAITING)
    return scope_queryset(user, lines)


def report_townships(user) -> list[Row]:
    """A row for each township of ``user``'s area (its own for a township), by code."""
    regions = scope_queryset(user, Region.objects.filter(level=RegionLevel.TOWNSHIP))
    return [Row(code, name) for code, name in regions.order_by("code").values_list("code", "name")]


def _by_township(rows: list[Row], sums) -> list[Row]:
    """``rows`` with the sums grouped by ``township`` filled in; a township the area's list
    lacks (its region gone) is added under its code."""
    by_code = {row.code: row for row in rows}
    for s in sums:
        row = by_code.get(s["township"])
        if row is None:
            row = by_code[s["township"]] = Row(s["township"], s["township"])
        row.figures = _figures(s)
    return sorted(by_code.values(), key=lambda r: r.code)


def month_report(user, month: dt.date) -> MonthReport:
    """The month's payout by township, urban and rural apart (three queries)."""
    lines = report_lines(user, month, month)
    sums = lines.values(township=F("batch__region_code")).annotate(**_aggregates())
    total = lines.aggregate(**_aggregates())
    return MonthReport(month, _by_township(report_townships(user), sums), _figures(total))


def year_report(user, through: dt.date, *, cells: bool = False) -> YearReport:
    """January of ``through``'s year to ``through``: by month and by township over the period
    (four queries); with ``cells``, by township and month too (the export's, one more)."""
    first = through.replace(month=1)
    lines = report_lines(user, first, through)
    by_month = {
        s["paid_month"]: _figures(s)
        for s in lines.values(paid_month=F("batch__month")).annotate(**_aggregates())
    }
    months = []
    for number in range(1, through.month + 1):
        month = through.replace(month=number)
        months.append(Row(f"{month:%Y-%m}", f"{month:%Y-%m}", by_month.get(month, Figures())))
    townships = _by_township(
        report_townships(user),
        lines.values(township=F("batch__region_code")).annotate(**_aggregates()),
    )
    by_cell = {}
    if cells:
        by_cell = {
            (s["township"], s["paid_month"]): _figures(s)
            for s in lines.values(
                township=F("batch__region_code"), paid_month=F("batch__month")
            ).annotate(**_aggregates())
        }
    total = _figures(lines.aggregate(**_aggregates()))
    return YearReport(through.year, through, months, townships, by_cell, total)


def bulletin_sentence(figures: Figures, *, month: dt.date, to_date: bool) -> str:
    """The bulletin's sentence (seed 000), ready to copy, in Chinese whatever the reader's
    language: the money paid (never what awaits the bank) in 万元 (``wan``)."""
    with translation.override("zh-hans"):
        values = {
            "year": month.year,
            "month": month.month,
            "total": wan(figures.total_fen),
            "urban": wan(figures.urban_fen),
            "rural": wan(figures.rural_fen),
        }
        if to_date:
            text = _(
                "By the end of %(month)s/%(year)s, public-welfare post subsidies of %(total)s "
                "ten-thousand yuan were paid, of which urban %(urban)s ten-thousand yuan and "
                "rural %(rural)s ten-thousand yuan."
            )
        else:
            text = _(
                "In %(month)s/%(year)s, public-welfare post subsidies of %(total)s ten-thousand "
                "yuan were paid, of which urban %(urban)s ten-thousand yuan and rural %(rural)s "
                "ten-thousand yuan."
            )
        return text % values


def person_months_paid(user, person) -> list[PayoutLine]:
    """The person file's months paid: every payout line of ``person`` in ``user``'s area with
    its batch, newest month first (one query, ``payout_line_person_idx``)."""
    lines = PayoutLine.objects.filter(person=person).select_related("batch")
    return list(scope_queryset(user, lines).order_by("-month", "-batch__sequence", "-pk"))


def person_file_section(user, person) -> dict:
    """The payout's section of the person file (``people.file_sections``)."""
    return {"lines": person_months_paid(user, person)}
