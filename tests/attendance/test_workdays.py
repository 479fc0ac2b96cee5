"""The working days and planned hours of a month (docs/policy.md §7), with worked cases, and the
SQL twin (``planning.PLAN_SQL``) held equal to the rule on the same cases."""

import datetime as dt
from decimal import Decimal

import pytest

from subsidies.attendance.planning import plans_of
from subsidies.attendance.workdays import Arrangement, planned_hours
from tests.factories import CalendarDayFactory, PlacementFactory, PostFactory
from tests.factories.attendance import WorkArrangementFactory

NOV = dt.date(2026, 11, 1)  # a Sunday; 30 days; Monday to Friday: 21 days
D = Decimal


def days(plan):
    return [i + 1 for i, hours in enumerate(plan) if hours > 0]


def test_default_week_is_monday_to_friday_eight_hours():
    plan = planned_hours(
        NOV, start=dt.date(2026, 4, 1), end=None, arrangements=[], calendar_days={}
    )
    assert len(plan) == 30
    assert days(plan) == [
        2,
        3,
        4,
        5,
        6,
        9,
        10,
        11,
        12,
        13,
        16,
        17,
        18,
        19,
        20,
        23,
        24,
        25,
        26,
        27,
        30,
    ]
    assert sum(plan) == D(168)


def test_start_inside_the_month_has_only_its_own_days():
    plan = planned_hours(
        NOV, start=dt.date(2026, 11, 16), end=None, arrangements=[], calendar_days={}
    )
    assert days(plan) == [16, 17, 18, 19, 20, 23, 24, 25, 26, 27, 30]


def test_end_inside_the_month_includes_the_last_day():
    plan = planned_hours(
        NOV, start=dt.date(2026, 4, 1), end=dt.date(2026, 11, 4), arrangements=[], calendar_days={}
    )
    assert days(plan) == [2, 3, 4]


def test_holiday_is_rest_and_make_up_day_is_work():
    calendar = {dt.date(2026, 11, 2): False, dt.date(2026, 11, 7): True}
    plan = planned_hours(
        NOV, start=dt.date(2026, 4, 1), end=None, arrangements=[], calendar_days=calendar
    )
    assert 2 not in days(plan) and 7 in days(plan)
    assert len(days(plan)) == 21


def test_hourly_post_spreads_its_week_over_the_working_days():
    # 泰山区's rural posts: 10,000 yuan a year at 21 yuan an hour is about 9.5 hours a week
    # (docs/policy.md §7): 1.9 hours on each weekday.
    plan = planned_hours(
        NOV,
        start=dt.date(2026, 4, 1),
        end=None,
        arrangements=[],
        calendar_days={},
        hourly_week=D("9.5"),
    )
    assert set(h for h in plan if h) == {D("1.9")}
    assert sum(plan) == D("39.9")


def test_arrangement_adds_saturdays():
    six_days = Arrangement(dt.date(2026, 3, 1), (1, 2, 3, 4, 5, 6), hours_per_day=D(6))
    plan = planned_hours(
        NOV, start=dt.date(2026, 4, 1), end=None, arrangements=[six_days], calendar_days={}
    )
    assert len(days(plan)) == 25
    assert sum(plan) == D(150)


def test_arrangement_from_mid_month_rounds_its_day_to_a_tenth():
    six_days = Arrangement(dt.date(2026, 3, 1), (1, 2, 3, 4, 5, 6), hours_per_day=D(6))
    three_days = Arrangement(dt.date(2026, 11, 16), (1, 3, 5), hours_per_week=D(10))
    plan = planned_hours(
        NOV,
        start=dt.date(2026, 4, 1),
        end=None,
        arrangements=[three_days, six_days],
        calendar_days={},
    )
    assert plan[15] == D("3.3")  # Monday the 16th: 10 / 3 = 3.33… → 3.3
    assert plan[16] == 0  # Tuesday the 17th is no longer a working day
    assert plan[13] == D(6)  # Saturday the 14th, under the first arrangement
    assert days(plan)[-7:] == [16, 18, 20, 23, 25, 27, 30]


@pytest.mark.django_db
def test_sql_plan_equals_the_rule(area):
    CalendarDayFactory(date=dt.date(2026, 11, 2), is_workday=False, name="测试假日")
    CalendarDayFactory(date=dt.date(2026, 11, 7), is_workday=True, name="调休")
    plain = PostFactory(village=area.village)
    arranged = PostFactory(village=area.village)
    WorkArrangementFactory(post=arranged)
    WorkArrangementFactory(
        post=arranged,
        effective_from=dt.date(2026, 11, 16),
        weekdays=[1, 3, 5],
        hours_per_day=None,
        hours_per_week=D(10),
    )
    hourly = PostFactory(
        village=area.village,
        work_pattern="hourly",
        monthly_subsidy=None,
        hourly_rate=D(21),
        hours_per_week=D("9.5"),
    )
    cases = [
        PlacementFactory(post=plain),
        PlacementFactory(post=plain, start_date=dt.date(2026, 11, 16)),
        PlacementFactory(
            post=arranged, start_date=dt.date(2026, 4, 1), end_date=dt.date(2026, 11, 20)
        ),
        PlacementFactory(post=hourly),
        PlacementFactory(post=hourly, hours_per_week=D(12), start_date=dt.date(2026, 11, 3)),
    ]
    calendar = {dt.date(2026, 11, 2): False, dt.date(2026, 11, 7): True}
    sql = plans_of(month=NOV, placement_ids=[p.pk for p in cases])
    for placement in cases:
        arrangements = [
            Arrangement(a.effective_from, tuple(a.weekdays), a.hours_per_day, a.hours_per_week)
            for a in placement.post.arrangements.all()
        ]
        rule = planned_hours(
            NOV,
            start=placement.start_date,
            end=placement.end_date,
            arrangements=arrangements,
            calendar_days=calendar,
            hourly_week=placement.hours_per_week
            if placement.post.work_pattern == "hourly"
            else None,
        )
        assert [D(h) for h in sql[placement.pk]] == rule, placement
