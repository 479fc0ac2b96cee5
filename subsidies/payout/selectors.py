"""Reads of the payout (docs/policy.md §7): a batch's totals and the months not ready for it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Sum

from subsidies.payout.models import PayoutBatch


@dataclass(frozen=True)
class NotReady:
    """A unit's month not closed (or a placement's month not prepared, ``region_code`` the
    placement's) with the people of the batch's kind on it: reported, not paid."""

    region_code: str
    state: str  # the sheet's state; "missing" without a row, "no_standard" without a standard
    people: int


def batch_totals(batch: PayoutBatch) -> dict[str, dict[str, int]]:
    """Status → {"lines": n, "fen": total} of the batch's lines."""
    rows = batch.lines.values("status").annotate(lines=Count("id"), fen=Sum("amount_fen"))
    return {r["status"]: {"lines": r["lines"], "fen": int(r["fen"] or 0)} for r in rows}


NOT_READY_SQL = """
SELECT coalesce(s.region_code, p.region_code),
       CASE WHEN m.id IS NULL THEN 'missing'
            WHEN s.state <> 'closed' THEN s.state ELSE 'no_standard' END,
       count(*)
FROM people_placement p
JOIN posts_post post ON post.id = p.post_id AND post.area_kind = %(kind)s
LEFT JOIN attendance_attendancemonth m ON m.placement_id = p.id AND m.month = %(month)s
LEFT JOIN attendance_attendancesheet s ON s.id = m.sheet_id
WHERE p.region_code LIKE %(prefix)s
  AND p.start_date <= %(last)s AND (p.end_date IS NULL OR p.end_date >= %(month)s)
  AND (m.id IS NULL OR s.state <> 'closed'
       OR CASE WHEN m.hourly THEN p.hourly_rate ELSE p.monthly_subsidy END IS NULL)
GROUP BY 1, 2 ORDER BY 1, 2
"""


def batch_not_ready(batch: PayoutBatch) -> list[NotReady]:
    """The placements on the township's posts of the batch's kind in its month that cannot be
    paid yet: their unit's month is not closed, not prepared at all, or they have no standard."""
    from subsidies.attendance.workdays import month_days

    with connection.cursor() as cursor:
        cursor.execute(
            NOT_READY_SQL,
            {
                "kind": batch.kind,
                "month": batch.month,
                "last": month_days(batch.month)[-1],
                "prefix": batch.region_code + "%",
            },
        )
        return [NotReady(*row) for row in cursor.fetchall()]
