"""The month's amount, worked out by hand (docs/policy.md §7, "How gongyi pays"): each case
writes its figures out, in fen, rounded once at the end half up; the SQL twin gives the same."""

from decimal import Decimal as D

import pytest

from subsidies.payout.amount import AmountFacts, Carried, rule_text, subsidy_amount, yuan
from subsidies.payout.generation import amounts_of

#: Shandong's second tier in these cases: 1,900 yuan a month, 19 yuan an hour.
MINIMUM = {"minimum_monthly": D("1900.00"), "minimum_hourly": D("19.00")}


def full_time(**kw) -> AmountFacts:
    """A full-time post at 2,100.00 a month, 22 working days in the month, all of them the
    placement's."""
    base = {
        "hourly": False,
        "standard": D("2100.00"),
        "required_days": 22,
        "present_days": 22,
        "full_days": 22,
        "required_hours": D("176.0"),
        "worked_hours": D("176.0"),
        "full_hours": D("176.0"),
    }
    return AmountFacts(**(base | MINIMUM | kw))


CASES = {
    # 2,100.00 × (21 present + 1 paid leave) / 22 = 2,100.00.
    "full month": (full_time(present_days=21, paid_leave_days=1), 210000, ["share"]),
    # Started on the 16th: 11 of the month's 22 working days, all present.
    # 2,100.00 × 11 / 22 = 1,050.00 (the minimum's share, 1,900 × 11 / 22 = 950.00, is below).
    "start mid-month": (
        full_time(required_days=11, present_days=11),
        105000,
        ["share", "part_month"],
    ),
    # Left after the 9th: 7 of 22 days, 6 present and 1 of sick leave (paid).
    # 2,100.00 × 7 / 22 = 668.1818… → 668.18.
    "exit mid-month": (
        full_time(required_days=7, present_days=6, paid_leave_days=1),
        66818,
        ["share", "part_month"],
    ),
    # 19 present, 2 of personal leave (unpaid), 1 absent: 2,100.00 × 19 / 22 = 1,813.6363… →
    # 1,813.64; the minimum's share 1,900 × 19 / 22 = 1,640.91 is below it.
    "unpaid leave": (
        full_time(present_days=19, unpaid_leave_days=2, absent_days=1),
        181364,
        ["share", "unpaid"],
    ),
    # 9.5 hours a week (1.9 a day) over 22 days: 41.8 hours, 39.9 worked and 1.9 of paid leave.
    # 21.00 × 41.8 = 877.80.
    "hourly post": (
        AmountFacts(
            hourly=True,
            standard=D("21.00"),
            required_days=22,
            present_days=21,
            paid_leave_days=1,
            full_days=22,
            required_hours=D("41.8"),
            worked_hours=D("39.9"),
            paid_leave_hours=D("1.9"),
            full_hours=D("41.8"),
            **MINIMUM,
        ),
        87780,
        ["hours"],
    ),
    # A standard of 1,800.00 where the minimum is 2,100.00; 20 present, 2 absent.
    # 1,800.00 × 20 / 22 = 1,636.36, below 2,100.00 × 20 / 22 = 1,909.0909… → 1,909.09.
    "below minimum": (
        full_time(
            standard=D("1800.00"),
            present_days=20,
            absent_days=2,
            minimum_monthly=D("2100.00"),
            minimum_hourly=D("21.00"),
        ),
        190909,
        ["share", "unpaid", "minimum"],
    ),
    # A standard of 2,500.00, graded 基本合格, which the county docks 200.00:
    # 2,500.00 × 22 / 22 − 200.00 = 2,300.00 (above the minimum 1,900.00).
    "grade deduction": (
        full_time(standard=D("2500.00"), grade="basic", grade_deduction_fen=20000),
        230000,
        ["share", "grade"],
    ),
    # 不合格 × 0.8 of 2,100.00 is 1,680.00, below the minimum 1,900.00: the law comes first.
    "grade factor below the minimum": (
        full_time(grade="fail", grade_factor=D("0.8000")),
        190000,
        ["share", "grade", "minimum"],
    ),
    # 优秀 × 1.1 of 2,100.00 is 2,310.00, but never above the standard: 2,100.00 …
    "grade factor above the standard": (
        full_time(grade="excellent", grade_factor=D("1.1000")),
        210000,
        ["share", "grade", "cap"],
    ),
    # … unless the county's setting allows it: 2,310.00.
    "grade factor, above allowed": (
        full_time(grade="excellent", grade_factor=D("1.1000"), allow_above_standard=True),
        231000,
        ["share", "grade"],
    ),
    # A full month (2,100.00) and a correction of last month, of 20 working days: a day recorded
    # absent was at work after all (+1 day): 2,100.00 / 20 = 105.00. 2,205.00 in all.
    "carried correction": (
        full_time(carried=(Carried(days=1, full_days=20),)),
        220500,
        ["share", "carried"],
    ),
    # Two corrections the other way on an hourly post: 2 + 1.5 hours that were not worked after
    # all, at 21.00: −73.50 on top of 21.00 × 41.8 = 877.80: 804.30.
    "carried correction, hourly, taken back": (
        AmountFacts(
            hourly=True,
            standard=D("21.00"),
            required_days=22,
            present_days=22,
            full_days=22,
            required_hours=D("41.8"),
            worked_hours=D("41.8"),
            full_hours=D("41.8"),
            carried=(
                Carried(days=-1, hours=D("-2.0"), full_days=21),
                Carried(days=-1, hours=D("-1.5"), full_days=21),
            ),
            **MINIMUM,
        ),
        80430,
        ["hours", "carried"],
    ),
    # No minimum wage entered for the county: said on the line, nothing raised.
    "no minimum entered": (
        full_time(minimum_monthly=None, minimum_hourly=None),
        210000,
        ["share", "no_minimum"],
    ),
    # A month's taking back larger than the month: 0, never negative (1 day of 22 present,
    # 95.45, less 3 days of a 20-day month, 315.00).
    "not negative": (
        full_time(present_days=1, absent_days=21, carried=(Carried(days=-3, full_days=20),)),
        0,
        ["share", "unpaid", "carried", "not_negative"],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_amount_worked_case(name):
    facts, fen, rules = CASES[name]
    amount = subsidy_amount(facts)
    assert (amount.fen, [r.code for r in amount.rules]) == (fen, rules)


def test_full_month_rules_read_in_words():
    amount = subsidy_amount(full_time(present_days=20, paid_leave_days=1, absent_days=1))
    texts = [rule_text(r) for r in amount.as_json()]
    assert texts[0] == "标准 2,100.00 ×（出勤 20 天 + 带薪假 1 天）÷ 当月工作日 22 天 = 2,004.55"
    assert yuan(amount.fen) == "2,004.55"


def test_below_minimum_line_says_the_law_comes_first():
    facts, _fen, _rules = CASES["below minimum"]
    minimum = subsidy_amount(facts).as_json()[-1]
    assert minimum == {"rule": "minimum", "minimum": 210000, "amount": 190909}
    assert "法" in rule_text(minimum)


def _plain(rules: list[dict]) -> list[dict]:
    """Rules with their numbers as Decimals, whichever side wrote them."""
    return [
        {
            k: (D(str(v)) if isinstance(v, int | float | D) or k in NUMERIC else v)
            for k, v in r.items()
        }
        for r in rules
    ]


NUMERIC = {"worked", "paid_leave", "hours", "factor"}


#: Amounts exactly half a fen, where the two sides' divisions once disagreed (found in review):
#: 1,712.75 × (10 + 1 corrected) / 22 = 85,637.5 fen → 85,638; 1,669.11 × (10 − 1 + 2) / 22 =
#: 83,455.5 fen → 83,456; 2,100.03 × (10 + 1) / 22 = 105,001.5 fen → 105,002.
TIES = [
    (
        AmountFacts(
            hourly=False,
            standard=D(standard),
            required_days=10,
            present_days=10,
            full_days=22,
            carried=tuple(Carried(days=d, full_days=22) for d in days),
            minimum_monthly=None,
        ),
        fen,
    )
    for standard, days, fen in (
        ("1712.75", (1,), 85638),
        ("1669.11", (-1, 1, 1), 83456),
        ("2100.03", (1,), 105002),
    )
]


@pytest.mark.django_db
def test_sql_amount_equals_the_rule_on_half_a_fen():
    sql = amounts_of([facts for facts, _fen in TIES])
    assert [subsidy_amount(f).fen for f, _fen in TIES] == [fen for _f, fen in TIES]
    assert [fen for fen, _reasons in sql] == [fen for _f, fen in TIES]


@pytest.mark.django_db
def test_sql_amount_equals_the_rule():
    facts = [case[0] for case in CASES.values()]
    sql = amounts_of(facts)
    for name, f, (fen, reasons) in zip(CASES, facts, sql, strict=True):
        amount = subsidy_amount(f)
        assert (name, fen, _plain(reasons)) == (name, amount.fen, _plain(amount.as_json()))
