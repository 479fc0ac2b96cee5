"""A placement's month's subsidy, explained (docs/policy.md §7, "How gongyi pays").

A pure function of plain facts, as ``people.eligibility`` is: no database. ``generation`` reads the
same facts of a whole township's month and computes the same amounts in SQL (``AMOUNT_SQL``), and
a test holds the two equal on the worked cases of tests/payout/test_amount.py.

All arithmetic is in fen as ``Decimal``, never float; the amount is rounded once, at the end,
half up to the whole fen (ROUND_HALF_UP). The figures a rule shows on the way are rounded the
same way for display only. The steps, each a rule on the line when it applies:

1. ``share`` — full-time: the standard (the placement's monthly subsidy as it stood at start)
   × (days present + days of paid leave) / the post's working days in the whole month
   (``full_days``). A placement that starts or ends inside the month has fewer days of its own
   (``part_month``): it is paid pro rata. ``hours`` — hourly: the hourly rate × (hours worked +
   hours of paid leave). ``unpaid`` lists the days of unpaid leave and absence, not paid.
2. ``grade`` — the county's rule for the month's grade, as data (``GradeRule``): a factor, or a
   fixed deduction (not below zero). No rule: nothing changes.
3. ``cap`` — never above the standard for the placement's own time in the month (full-time:
   standard × required days / full days; hourly: rate × required hours), unless the county's
   setting ``payout.allow_above_standard`` allows.
4. ``minimum`` — never below the minimum wage in force for the time paid as normal work (present
   days and paid leave, 最低工资规定 art. 3): the monthly minimum × those days / full days, or the
   hourly minimum × those hours. The law wins over the grade and the cap; ``no_minimum`` says when
   the county has no minimum wage entered.
5. ``carried`` — corrections of closed months not yet paid: each day that became paid adds (and
   each that became unpaid takes off) standard / the working days of its own month (full-time),
   or rate × the hours (hourly). After the minimum: it pays (or takes back) another month.
6. ``not_negative`` — a correction larger than the month leaves 0, never a negative amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Carried:
    """A correction of a day of a closed month: +1 day (or hours) that became paid, -1 that
    became unpaid, and the working days of the whole month it belongs to (a day of a month of
    20 working days is worth standard / 20)."""

    days: int = 0
    hours: Decimal = ZERO
    full_days: int = 0


@dataclass(frozen=True)
class AmountFacts:
    """What the rules read about one placement's closed month. Money in yuan as the models keep
    it (``Decimal`` with two places); hours in ``Decimal`` tenths."""

    hourly: bool
    #: The monthly subsidy (full-time) or the hourly rate (hourly), as it stood at start.
    standard: Decimal
    required_days: int = 0
    present_days: int = 0
    paid_leave_days: int = 0
    unpaid_leave_days: int = 0
    absent_days: int = 0
    #: The post's working days (hours) in the whole month, ignoring the placement's start and end.
    full_days: int = 0
    required_hours: Decimal = ZERO
    worked_hours: Decimal = ZERO
    paid_leave_hours: Decimal = ZERO
    full_hours: Decimal = ZERO
    grade: str = ""
    #: The county's rule for ``grade`` in force: a factor or a deduction in fen (or neither).
    grade_factor: Decimal | None = None
    grade_deduction_fen: int | None = None
    #: Corrections of closed months carried into this one.
    carried: tuple[Carried, ...] = ()
    #: The minimum wage in force (yuan), None when the county has none entered.
    minimum_monthly: Decimal | None = None
    minimum_hourly: Decimal | None = None
    allow_above_standard: bool = False


@dataclass(frozen=True)
class Rule:
    code: str
    figures: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.code, **self.figures}


@dataclass(frozen=True)
class Amount:
    fen: int
    rules: tuple[Rule, ...]

    def as_json(self) -> list[dict[str, Any]]:
        return [r.as_dict() for r in self.rules]


def half_up(value: Decimal) -> int:
    """The one rounding of money: to the whole fen, half up."""
    return int(value.quantize(Decimal(1), ROUND_HALF_UP))


#: Every division of money is carried to a millionth of a fen, half up, here and in the SQL twin
#: (``round(…, 6)``): the two then agree to the fen, also on an amount that is exactly half a
#: fen (Python's and PostgreSQL's divisions keep different numbers of digits otherwise). This is
#: the precision of the working; the amount is rounded to the fen once, at the end.
DIVISION_SCALE = Decimal("0.000001")


def _ratio(numerator: Decimal, denominator: int) -> Decimal:
    if not denominator:
        return ZERO
    return (numerator / denominator).quantize(DIVISION_SCALE, ROUND_HALF_UP)


def subsidy_amount(facts: AmountFacts) -> Amount:
    """The month's amount in fen and the rules that made it (see the module's docstring)."""
    f = facts
    s = f.standard * HUNDRED  # fen
    rules: list[Rule] = []
    if f.hourly:
        paid_hours = f.worked_hours + f.paid_leave_hours
        base = s * paid_hours
        cap = s * f.required_hours
        rules.append(
            Rule(
                "hours",
                {
                    "rate": half_up(s),
                    "worked": str(f.worked_hours),
                    "paid_leave": str(f.paid_leave_hours),
                    "amount": half_up(base),
                },
            )
        )
    else:
        paid_days = f.present_days + f.paid_leave_days
        base = _ratio(s * paid_days, f.full_days)
        cap = _ratio(s * f.required_days, f.full_days)
        rules.append(
            Rule(
                "share",
                {
                    "standard": half_up(s),
                    "present": f.present_days,
                    "paid_leave": f.paid_leave_days,
                    "full_days": f.full_days,
                    "amount": half_up(base),
                },
            )
        )
        if f.required_days < f.full_days:
            rules.append(
                Rule("part_month", {"required": f.required_days, "full_days": f.full_days})
            )
    if f.unpaid_leave_days or f.absent_days:
        rules.append(Rule("unpaid", {"unpaid_leave": f.unpaid_leave_days, "absent": f.absent_days}))

    amount = base
    if f.grade_factor is not None:
        amount = base * f.grade_factor
        rules.append(
            Rule(
                "grade",
                {"grade": f.grade, "factor": str(f.grade_factor), "amount": half_up(amount)},
            )
        )
    elif f.grade_deduction_fen is not None:
        amount = max(base - f.grade_deduction_fen, ZERO)
        rules.append(
            Rule(
                "grade",
                {"grade": f.grade, "deduction": f.grade_deduction_fen, "amount": half_up(amount)},
            )
        )

    if not f.allow_above_standard and amount > cap:
        amount = cap
        rules.append(Rule("cap", {"amount": half_up(cap)}))

    if f.hourly:
        minimum = None if f.minimum_hourly is None else f.minimum_hourly * HUNDRED * paid_hours
        minimum_rate = f.minimum_hourly
    else:
        minimum = (
            None
            if f.minimum_monthly is None
            else _ratio(f.minimum_monthly * HUNDRED * paid_days, f.full_days)
        )
        minimum_rate = f.minimum_monthly
    if minimum is None:
        rules.append(Rule("no_minimum"))
    elif amount < minimum:
        amount = minimum
        rules.append(
            Rule(
                "minimum", {"minimum": half_up(minimum_rate * HUNDRED), "amount": half_up(minimum)}
            )
        )

    if f.carried:
        carried = sum(
            (s * c.hours if f.hourly else _ratio(s * c.days, c.full_days) for c in f.carried),
            ZERO,
        )
        amount += carried
        rules.append(
            Rule(
                "carried",
                {
                    "count": len(f.carried),
                    "days": sum(c.days for c in f.carried),
                    "hours": str(sum((c.hours for c in f.carried), ZERO)),
                    "amount": half_up(carried),
                },
            )
        )
    if amount < 0:
        amount = ZERO
        rules.append(Rule("not_negative"))
    return Amount(half_up(amount), tuple(rules))


# --- the rules in words ------------------------------------------------------------------------


def yuan(fen: int) -> str:
    """2,100.00 for 210000 fen."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{part:02d}"


def rule_text(rule: dict[str, Any]) -> str:
    """One stored rule (``Rule.as_dict``, or a line's ``reasons`` item) in words."""
    from subsidies.attendance.enums import Grade

    code = rule.get("rule")
    r = {k: (yuan(v) if k in MONEY_FIGURES else v) for k, v in rule.items()}
    if code == "share":
        return (
            _(
                "standard %(standard)s × (%(present)s present + %(paid_leave)s paid leave) / "
                "%(full_days)s working days in the month = %(amount)s"
            )
            % r
        )
    if code == "hours":
        return (
            _(
                "rate %(rate)s × (%(worked)s hours worked + %(paid_leave)s hours of paid leave) = "
                "%(amount)s"
            )
            % r
        )
    if code == "part_month":
        return (
            _("on the post %(required)s of the month's %(full_days)s working days: paid pro rata")
            % r
        )
    if code == "unpaid":
        return _("%(unpaid_leave)s days of unpaid leave and %(absent)s days absent: not paid") % r
    if code == "grade":
        r["grade"] = dict(Grade.choices).get(rule.get("grade"), rule.get("grade"))
        if "factor" in rule:
            return _("grade %(grade)s: × %(factor)s = %(amount)s") % r
        return _("grade %(grade)s: less %(deduction)s = %(amount)s") % r
    if code == "cap":
        return _("not above the standard: %(amount)s") % r
    if code == "minimum":
        return (
            _(
                "raised to the minimum wage in force (%(minimum)s) for the time paid: %(amount)s "
                "(the law comes first)"
            )
            % r
        )
    if code == "no_minimum":
        return _("no minimum wage entered for the county: not checked")
    if code == "carried":
        return (
            _(
                "%(count)s corrections of closed months carried (%(days)s days, %(hours)s hours): "
                "%(amount)s"
            )
            % r
        )
    if code == "offset":
        return _("offset against a debt of subsidy paid after an exit: less %(amount)s") % r
    if code == "not_negative":
        return _("corrections larger than the month: nothing paid, never a negative amount")
    if code == "social_insurance":
        return (
            _(
                "insured as a flexible worker: %(yearly)s a year × %(months)s months on the post / 12 = %(amount)s"
            )
            % r
        )
    if code == "social_insurance_year":
        return _("insured as a flexible worker: %(yearly)s for the year") % r
    if code == "accident_premium":
        return _("accident insurance premium %(premium)s, covered %(from)s to %(until)s") % r
    return str(code)


#: The figures of a rule that are money (fen), shown in yuan.
MONEY_FIGURES = frozenset(
    {"standard", "rate", "amount", "deduction", "minimum", "yearly", "premium"}
)
