"""The match's internal check, which needs no upload (docs/policy.md §8, "The match"): findings
of kinds of their own, in the same run and transaction as the datasets', one statement each.

- **No attendance for N months** (``no_attendance``, the county's ``audits.no_attendance_months``,
  0: off): an open placement with no closed attendance month with a day present or an hour worked
  in the N months before the match's month (a month with no row counts as none); the fact holds
  from the month after the last one attended (or the placement's first month).

It is closed as *no longer in the data* when the fact stops (the placement ended; a month
attended since). Two open placements of one person need no check: the database refuses them
(the constraint ``placement_one_open``). The statutory retirement date and the rural posts' age limit are not findings:
they are the warnings' (``audits.warnings``), and the payout holds the months after them.
"""

from __future__ import annotations

import datetime as dt

from audits.datasets.enums import InternalCheck
from audits.datasets.policy import NO_ATTENDANCE_MONTHS
from audits.models import Finding
from gongyi.policy import policy_values
from people.models import Person, Placement
from subsidies.attendance.enums import SheetState
from subsidies.attendance.models import AttendanceMonth, AttendanceSheet


def _tables() -> dict[str, str]:
    return {
        "finding": Finding._meta.db_table,
        "person": Person._meta.db_table,
        "placement": Placement._meta.db_table,
        "month": AttendanceMonth._meta.db_table,
        "sheet": AttendanceSheet._meta.db_table,
    }


#: The month after the placement's last attended closed month, or its first month (``pl``).
_SINCE = """COALESCE(
    (SELECT (max(m.month) + interval '1 month')::date FROM {month} m
       JOIN {sheet} s ON s.id = m.sheet_id
      WHERE m.placement_id = pl.id AND s.state = %(closed)s
        AND (COALESCE(m.present_days, 0) > 0 OR COALESCE(m.worked_hours, 0) > 0)),
    date_trunc('month', pl.start_date)::date)"""

NO_ATTENDANCE_SQL = """
    INSERT INTO {finding} (person_id, placement_id, region_code, kind, fact_key, fact_from,
                           state, version_id, evidence, found_at, checked_at, note)
    SELECT pl.person_id, pl.id, pl.region_code, %(none)s, x.since::text,
           GREATEST(x.since, pl.start_date), %(new)s, NULL,
           jsonb_build_object('since', x.since, 'months', %(months)s, 'checked_to', %(window_end)s),
           now(), now(), ''
      FROM {placement} pl
     CROSS JOIN LATERAL (SELECT {since} AS since) x
     WHERE pl.end_date IS NULL AND pl.region_code LIKE %(area)s
       AND pl.start_date <= %(window)s AND x.since <= %(window)s
    ON CONFLICT (person_id, kind, fact_key) DO NOTHING
"""

#: Open ``no_attendance`` findings whose placement ended or was attended since → gone.
NO_ATTENDANCE_GONE_SQL = """
    UPDATE {finding} f SET state = %(gone)s, checked_at = now()
      FROM {placement} pl
     WHERE pl.id = f.placement_id AND f.kind = %(none)s AND f.region_code LIKE %(area)s
       AND f.state = ANY(%(open)s)
       AND (pl.end_date IS NOT NULL OR {since}::text <> f.fact_key)
"""


def _months_back(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def internal_checks(cursor, *, county: str, params: dict, today: dt.date) -> dict:
    """Run the check for ``county`` in the match's transaction (``cursor``; ``params`` the
    match's: area, new, gone, open, was_gone). Returns per check the findings made and gone."""
    tables = _tables()
    since = _SINCE.format(**tables)
    p = {
        **params,
        "none": InternalCheck.NO_ATTENDANCE,
        "closed": SheetState.CLOSED,
    }
    counts = {}
    months = policy_values(county, [NO_ATTENDANCE_MONTHS], today)[NO_ATTENDANCE_MONTHS]
    cursor.execute(NO_ATTENDANCE_GONE_SQL.format(since=since, **tables), p)
    gone = cursor.rowcount
    made = 0
    if months:
        this_month = today.replace(day=1)
        window = _months_back(this_month, months)
        cursor.execute(
            NO_ATTENDANCE_SQL.format(since=since, **tables),
            {**p, "months": months, "window": window, "window_end": this_month},
        )
        made = cursor.rowcount
    counts[InternalCheck.NO_ATTENDANCE] = {"new": made, "gone": gone}
    return counts
