"""Statutory retirement age (docs/policy.md §4): the delay, the retirement month, date and age, and
the default category. Pure functions: no database."""

import datetime as dt
import itertools

import pytest

from people.retirement import (
    RULES,
    RetirementCategory,
    default_category,
    retirement_age,
    retirement_date,
    retirement_delay_months,
    retirement_month,
)

MALE_60 = RetirementCategory.MALE_60
FEMALE_55 = RetirementCategory.FEMALE_55
FEMALE_50 = RetirementCategory.FEMALE_50


def born(year: int, month: int, day: int = 1) -> dt.date:
    return dt.date(year, month, day)


def test_retirement_of_woman_cadre_born_april_1971_is_august_2026_at_55y4m():
    """docs/policy.md §4's first check."""
    birth = born(1971, 4)
    assert (retirement_month(FEMALE_55, birth), retirement_age(FEMALE_55, birth)) == (
        (2026, 8),
        (55, 4),
    )


def test_retirement_of_man_born_december_1965_is_march_2026_at_60y3m():
    """docs/policy.md §4's second check."""
    birth = born(1965, 12)
    assert (retirement_month(MALE_60, birth), retirement_age(MALE_60, birth)) == (
        (2026, 3),
        (60, 3),
    )


@pytest.mark.parametrize(
    ("category", "first_capped", "expected_month", "final_age"),
    [
        (MALE_60, (1976, 9), (2039, 9), (63, 0)),
        (FEMALE_55, (1981, 9), (2039, 9), (58, 0)),
        (FEMALE_50, (1984, 11), (2039, 11), (55, 0)),
    ],
)
def test_retirement_delay_reaches_cap_at_rules_cohort(
    category, first_capped, expected_month, final_age
):
    """docs/policy.md §4: the cap is first reached by these cohorts (the month before is one short
    of it, and later cohorts stay at it), who retire at the final age of the table."""
    cap = RULES[category].cap_months
    year, month = first_capped
    birth = born(year, month)
    assert (
        retirement_delay_months(category, born(year, month - 1)),
        retirement_delay_months(category, birth),
        retirement_delay_months(category, born(1990, 12)),
        retirement_month(category, birth),
        retirement_age(category, birth),
    ) == (cap - 1, cap, cap, expected_month, final_age)


@pytest.mark.parametrize(
    ("category", "birth", "expected_month", "expected_age"),
    [
        (MALE_60, born(1964, 12), (2024, 12), (60, 0)),
        (FEMALE_50, born(1974, 12), (2024, 12), (50, 0)),
    ],
)
def test_retirement_born_before_y0_has_no_delay(category, birth, expected_month, expected_age):
    """docs/policy.md §4: idx < 0 (born before Y0) means no delay."""
    assert (
        retirement_delay_months(category, birth),
        retirement_month(category, birth),
        retirement_age(category, birth),
    ) == (0, expected_month, expected_age)


@pytest.mark.parametrize(
    ("category", "birth", "expected_delay", "expected_month"),
    [
        (MALE_60, born(1965, 1), 1, (2025, 2)),  # idx 0: 0 // 4 + 1
        (FEMALE_50, born(1975, 1), 1, (2025, 2)),  # idx 0: 0 // 2 + 1
        (FEMALE_50, born(1975, 3), 2, (2025, 5)),  # idx 2: 2 // 2 + 1
    ],
)
def test_retirement_first_delayed_cohorts_follow_the_formula(
    category, birth, expected_delay, expected_month
):
    """docs/policy.md §4: idx = 0 is the first delayed month, and the delay is idx // step + 1."""
    assert (retirement_delay_months(category, birth), retirement_month(category, birth)) == (
        expected_delay,
        expected_month,
    )


@pytest.mark.parametrize(
    ("birth", "expected_month"),
    [
        (born(1965, 9), (2025, 12)),  # 9 + 3 = 12: December, not month 0 of the next year
        (born(1965, 10), (2026, 1)),  # 10 + 3 = 13: a naive sum prints "2025-13"
    ],
)
def test_retirement_month_rolls_over_the_year(birth, expected_month):
    """docs/policy.md §4 warns of a public implementation printing month "13": a man born 1965-10
    has a 3-month delay (idx 9, 9 // 4 + 1) and retires in January 2026."""
    assert retirement_month(MALE_60, birth) == expected_month


@pytest.mark.parametrize(
    ("birth", "expected_date"),
    [
        (born(1965, 12, 31), dt.date(2026, 3, 31)),  # delay 3, March has 31 days
        (born(1966, 5, 31), dt.date(2026, 10, 31)),  # idx 16: 16 // 4 + 1 = 5, October has 31
        (born(1965, 7, 31), dt.date(2025, 9, 30)),  # idx 6: delay 2, September has 30
        (born(1965, 11, 30), dt.date(2026, 2, 28)),  # idx 10: delay 3, February 2026 has 28
    ],
)
def test_retirement_date_keeps_birth_day_clamped_to_month_end(birth, expected_date):
    """docs/policy.md §4 and ``retirement_date``'s convention: the birthday's day of the month in
    the retirement month, or that month's last day when it is shorter."""
    assert retirement_date(MALE_60, birth) == expected_date


@pytest.mark.parametrize(
    ("category", "birth", "expected_date"),
    [
        (MALE_60, born(1964, 2, 29), dt.date(2024, 2, 29)),  # no delay, 2024 is a leap year
        (FEMALE_55, born(1964, 2, 29), dt.date(2019, 2, 28)),  # no delay, 2019 is not
        (MALE_60, born(1980, 2, 29), dt.date(2043, 2, 28)),  # capped: 60 years + 36 months
    ],
)
def test_retirement_date_of_29_february_birth(category, birth, expected_date):
    """docs/policy.md §4: born on 29 February, a non-leap retirement February gives the 28th."""
    assert retirement_date(category, birth) == expected_date


BIRTH_MONTHS = [(year, month) for year in range(1960, 1991) for month in range(1, 13)]


@pytest.mark.parametrize("category", list(RetirementCategory))
@pytest.mark.parametrize(
    ("earlier", "later"),
    list(itertools.pairwise(BIRTH_MONTHS)),
    ids=[f"{y}-{m:02d}" for y, m in BIRTH_MONTHS[:-1]],
)
def test_retirement_month_never_earlier_for_later_birth(category, earlier, later):
    """docs/policy.md §4: the delay never decreases, so one month later of birth retires one month
    later, or two where the delay steps up; never earlier (every month 1960–1990)."""
    earlier_year, earlier_month = retirement_month(category, born(*earlier))
    later_year, later_month = retirement_month(category, born(*later))
    gap = (later_year * 12 + later_month) - (earlier_year * 12 + earlier_month)
    assert gap in (1, 2)


@pytest.mark.parametrize(
    ("sex", "expected"),
    [("male", RetirementCategory.MALE_60), ("female", RetirementCategory.FEMALE_50)],
)
def test_default_category_by_sex(sex, expected):
    """docs/policy.md §4: men start in the 60 category, women in the 50 one (changeable per
    person)."""
    assert default_category(sex) == expected


def test_default_category_refuses_unknown_sex():
    """docs/policy.md §4 knows only men and women; anything else is a programming error."""
    with pytest.raises(ValueError, match="unknown sex"):
        default_category("")
