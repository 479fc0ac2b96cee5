"""Set-based preparation of a month: its sheets and one row per placement with the planned hours
of each day. ``PLAN_SQL`` is the SQL twin of ``workdays.planned_hours`` (docs/policy.md §7); a test
holds the two equal on the same cases.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction

from subsidies.attendance.workdays import month_days

# The placements on a post in the month under a region, and the plan of each post (and agreed
# weekly hours, for hourly posts) over the whole month; a placement that starts or ends inside
# the month keeps only its own days. Numbered days make the arrays' order explicit.
PLAN_SQL = """
WITH days AS (
    SELECT d::date AS day, row_number() OVER (ORDER BY d) AS i
    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS d
),
placed AS (
    SELECT p.id, p.region_code, p.post_id, p.start_date, p.end_date,
           post.work_pattern = 'hourly' AS hourly,
           CASE WHEN post.work_pattern = 'hourly' THEN p.hours_per_week END AS week
    FROM people_placement p JOIN posts_post post ON post.id = p.post_id
    WHERE p.region_code LIKE %(prefix)s
      AND p.start_date <= %(last)s AND (p.end_date IS NULL OR p.end_date >= %(first)s)
      {only}
),
post_day AS (
    SELECT k.post_id, k.hourly, k.week, days.i,
           CASE WHEN coalesce(
                    c.is_workday,
                    extract(isodow FROM days.day)::int
                        = ANY(coalesce(a.weekdays, ARRAY[1, 2, 3, 4, 5]::smallint[])))
                THEN CASE
                    WHEN a.hours_per_day IS NOT NULL THEN a.hours_per_day
                    WHEN a.hours_per_week IS NOT NULL
                        THEN round(a.hours_per_week / cardinality(a.weekdays), 1)
                    WHEN k.week IS NOT NULL THEN round(k.week / 5, 1)
                    ELSE 8 END
                ELSE 0 END AS hours
    FROM (SELECT DISTINCT post_id, hourly, week FROM placed) AS k
    CROSS JOIN days
    LEFT JOIN gongyi_calendarday c ON c.date = days.day
    LEFT JOIN LATERAL (
        SELECT a.weekdays, a.hours_per_day, a.hours_per_week
        FROM attendance_workarrangement a
        WHERE a.post_id = k.post_id AND a.effective_from <= days.day
        ORDER BY a.effective_from DESC LIMIT 1
    ) AS a ON true
),
-- The post's whole month: its plan, and its working days and hours (what a placement that
-- starts or ends inside the month is paid a share of).
post_plan AS (
    SELECT post_id, hourly, week, array_agg(hours ORDER BY i) AS plan,
           count(*) FILTER (WHERE hours > 0) AS full_days, sum(hours) AS full_hours
    FROM post_day
    GROUP BY post_id, hourly, week
)
SELECT p.id, p.region_code, p.hourly,
       CASE WHEN p.start_date <= %(first)s AND (p.end_date IS NULL OR p.end_date >= %(last)s)
            THEN pp.plan
            ELSE ARRAY(
                SELECT CASE WHEN days.day >= p.start_date
                                 AND (p.end_date IS NULL OR days.day <= p.end_date)
                            THEN pp.plan[days.i] ELSE 0 END
                FROM days ORDER BY days.i)
       END AS plan,
       pp.full_days, pp.full_hours
FROM placed p
JOIN post_plan pp
  -- An equality (not IS NOT DISTINCT FROM) so that the join can hash.
  ON pp.post_id = p.post_id AND pp.hourly = p.hourly
 AND coalesce(pp.week, -1) = coalesce(p.week, -1)
"""


def plan_params(month: dt.date, prefix: str) -> dict:
    days = month_days(month)
    return {"first": days[0], "last": days[-1], "prefix": prefix + "%"}


def month_prepare(*, month: dt.date, region_code: str) -> int:
    """Make the month's sheets and rows for every placement under ``region_code`` that is on a
    post in ``month``; rows that exist, and sheets no longer open, are left as they are. Safe to
    run again (the unique constraints and ON CONFLICT): the daily job and the grid's 更新名单 both
    call it. A row made for a placement on approved leave shows the leave (``LEAVE_SQL``).
    Returns the number of rows made."""
    params = plan_params(month, region_code)
    count = len(month_days(month))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO attendance_attendancesheet (region_code, month, state, returned_reason)
            SELECT DISTINCT p.region_code, %(first)s::date, 'open', ''
            FROM people_placement p
            WHERE p.region_code LIKE %(prefix)s
              AND p.start_date <= %(last)s AND (p.end_date IS NULL OR p.end_date >= %(first)s)
            ON CONFLICT (region_code, month) DO NOTHING
            """,
            params,
        )
        cursor.execute(
            f"""
            WITH made AS (
            INSERT INTO attendance_attendancemonth
                (sheet_id, placement_id, month, region_code, hourly, planned, full_days,
                 full_hours, marks, hours, updated_at)
            SELECT s.id, planned.id, %(first)s::date, planned.region_code, planned.hourly,
                   planned.plan, planned.full_days, planned.full_hours,
                   array_fill(NULL::int, ARRAY[{count}]),
                   CASE WHEN planned.hourly THEN array_fill(NULL::numeric, ARRAY[{count}]) END,
                   now()
            FROM ({PLAN_SQL.format(only="")}) AS planned
            JOIN attendance_attendancesheet s
              ON s.region_code = planned.region_code AND s.month = %(first)s::date
            WHERE s.state = 'open'
            ON CONFLICT (placement_id, month) DO NOTHING
            RETURNING id
            )
            SELECT count(*), min(id) FROM made
            """,
            params,
        )
        made, first_id = cursor.fetchone()
        if made:
            cursor.execute(LEAVE_SQL, params | {"first_id": first_id})
        return made


# A month prepared after a leave was approved shows it (docs/policy.md §7, ``leave.py``): the
# rows just made (ids from the first one made on) of placements with approved leave in the
# month take the leave's kind on each planned day it holds, up to the day before 销假.
LEAVE_SQL = """
UPDATE attendance_attendancemonth m SET
    marks = ARRAY(
        SELECT CASE WHEN x.planned > 0 THEN (
                    SELECT l.kind_id FROM attendance_leaverequest l
                    WHERE l.placement_id = m.placement_id AND l.state = 'approved'
                      AND m.month + (x.i - 1)::int
                          BETWEEN l.starts_on AND coalesce(l.returned_on - 1, l.ends_on)
                    LIMIT 1)
               END
        FROM unnest(m.planned) WITH ORDINALITY AS x(planned, i)
        ORDER BY x.i)
FROM (
    SELECT DISTINCT l.placement_id FROM attendance_leaverequest l
    WHERE l.state = 'approved' AND l.region_code LIKE %(prefix)s
      AND l.starts_on <= %(last)s AND coalesce(l.returned_on - 1, l.ends_on) >= %(first)s
) AS on_leave
WHERE m.placement_id = on_leave.placement_id AND m.month = %(first)s AND m.id >= %(first_id)s
"""


def plans_of(*, month: dt.date, placement_ids: list[int]) -> dict[int, list]:
    """The SQL plan of the given placements (the twin's side of the equality test)."""
    return {
        pk: plan.days
        for pk, plan in month_plans_of(month=month, placement_ids=placement_ids).items()
    }


class MonthPlan(NamedTuple):
    """A placement's plan of a month: the hours of each of its days, and its post's working days
    and hours in the whole month."""

    days: list
    full_days: int
    full_hours: Decimal


def month_plans_of(*, month: dt.date, placement_ids: list[int]) -> dict[int, MonthPlan]:
    """``PLAN_SQL`` for the given placements: placement id → its ``MonthPlan``."""
    params = plan_params(month, "") | {"ids": placement_ids}
    with connection.cursor() as cursor:
        cursor.execute(PLAN_SQL.format(only="AND p.id = ANY(%(ids)s)"), params)
        return {row[0]: MonthPlan(row[3], row[4], row[5]) for row in cursor.fetchall()}
