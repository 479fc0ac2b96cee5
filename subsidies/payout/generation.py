"""Set-based generation of a payout batch's lines (docs/policy.md §7, "How gongyi pays").

One statement makes every line of a township's month of one kind from the closed attendance
months: ``AMOUNT_SQL`` is the SQL twin of ``amount.subsidy_amount`` (a test holds the two equal on
the worked cases), and the same statement numbers the subsidy months, takes the snapshot, hashes
it (``LINE_HASH_SQL``) and marks the carried corrections. (The months are counted on the person
when the county approves the batch: ``months_count``.)
``ON CONFLICT DO NOTHING`` against ``payout_line_one_live`` makes a second run add nothing, and
the caller's transaction makes a killed run leave nothing behind.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from gongyi.errors import DomainError
from subsidies.payout.enums import LIVE_LINE_STATUSES, MONTHLY_KINDS, PeriodEnd

# The amount of every row of ``facts`` (see ``amount.py`` for the steps and their order). ``facts``
# has the columns of ``amount.AmountFacts`` (``factor`` and ``deduction`` the grade rule's; the
# carried corrections as their count, days, hours and unrounded fen, ``carried``);
# money is worked in fen as numeric and rounded once, half up (``round`` of a non-negative
# numeric), at the end.
AMOUNT_SQL = """
SELECT f.*, k.s, b.base, t.total, round(greatest(t.total, 0))::bigint AS amount_fen,
  jsonb_build_array(CASE WHEN f.hourly
      THEN jsonb_build_object('rule', 'hours', 'rate', round(k.s), 'worked', f.worked_hours,
                              'paid_leave', f.paid_leave_hours, 'amount', round(b.base))
      ELSE jsonb_build_object('rule', 'share', 'standard', round(k.s), 'present', f.present_days,
                              'paid_leave', f.paid_leave_days, 'full_days', f.full_days,
                              'amount', round(b.base)) END)
  || CASE WHEN NOT f.hourly AND f.required_days < f.full_days THEN jsonb_build_array(
        jsonb_build_object('rule', 'part_month', 'required', f.required_days,
                           'full_days', f.full_days)) ELSE '[]'::jsonb END
  || CASE WHEN f.unpaid_leave_days > 0 OR f.absent_days > 0 THEN jsonb_build_array(
        jsonb_build_object('rule', 'unpaid', 'unpaid_leave', f.unpaid_leave_days,
                           'absent', f.absent_days)) ELSE '[]'::jsonb END
  || CASE WHEN f.factor IS NOT NULL THEN jsonb_build_array(
            jsonb_build_object('rule', 'grade', 'grade', f.grade, 'factor', f.factor,
                               'amount', round(g.graded)))
          WHEN f.deduction IS NOT NULL THEN jsonb_build_array(
            jsonb_build_object('rule', 'grade', 'grade', f.grade, 'deduction', f.deduction,
                               'amount', round(g.graded)))
          ELSE '[]'::jsonb END
  || CASE WHEN c.capped < g.graded THEN jsonb_build_array(
        jsonb_build_object('rule', 'cap', 'amount', round(b.cap))) ELSE '[]'::jsonb END
  || CASE WHEN b.minimum IS NULL THEN '[{"rule": "no_minimum"}]'::jsonb
          WHEN c.capped < b.minimum THEN jsonb_build_array(
            jsonb_build_object('rule', 'minimum', 'minimum', round(b.minimum_rate * 100),
                               'amount', round(b.minimum))) ELSE '[]'::jsonb END
  || CASE WHEN f.carried_count > 0 THEN jsonb_build_array(
        jsonb_build_object('rule', 'carried', 'count', f.carried_count, 'days', f.carried_days,
                           'hours', f.carried_hours, 'amount', round(b.carried))) ELSE '[]'::jsonb END
  || CASE WHEN t.total < 0 THEN '[{"rule": "not_negative"}]'::jsonb ELSE '[]'::jsonb END AS reasons
FROM facts f
CROSS JOIN LATERAL (
    SELECT f.standard * 100 AS s, f.present_days + f.paid_leave_days AS paid_days,
           f.worked_hours + f.paid_leave_hours AS paid_hours,
           CASE WHEN f.hourly THEN f.minimum_hourly ELSE f.minimum_monthly END AS minimum_rate
) AS k
CROSS JOIN LATERAL (
    SELECT
      CASE WHEN f.hourly THEN k.s * k.paid_hours
           ELSE coalesce(round(k.s * k.paid_days / nullif(f.full_days, 0), 6), 0) END AS base,
      CASE WHEN f.hourly THEN k.s * f.required_hours
           ELSE coalesce(round(k.s * f.required_days / nullif(f.full_days, 0), 6), 0) END AS cap,
      CASE WHEN k.minimum_rate IS NULL THEN NULL
           WHEN f.hourly THEN k.minimum_rate * 100 * k.paid_hours
           ELSE coalesce(round(k.minimum_rate * 100 * k.paid_days / nullif(f.full_days, 0), 6), 0)
      END AS minimum,
      k.minimum_rate,
      f.carried_fen AS carried
) AS b
CROSS JOIN LATERAL (
    SELECT CASE WHEN f.factor IS NOT NULL THEN b.base * f.factor
                WHEN f.deduction IS NOT NULL THEN greatest(b.base - f.deduction, 0)
                ELSE b.base END AS graded
) AS g
CROSS JOIN LATERAL (
    SELECT CASE WHEN NOT f.allow_above AND g.graded > b.cap THEN b.cap ELSE g.graded END
           AS capped
) AS c
-- greatest() skips a NULL minimum (none entered).
CROSS JOIN LATERAL (SELECT greatest(c.capped, b.minimum) + b.carried AS total) AS t
"""

#: The snapshot's fields in the order they are hashed, each as canonical text.
HASHED = [
    "batch_id",
    "placement_id",
    "to_char({t}.month, 'YYYY-MM-DD')",
    "row_id",
    "person_id",
    "post_id",
    "person_name",
    "id_number",
    "account_number",
    "bank_name",
    "post_title",
    "hourly",
    "standard::numeric(10, 2)",
    "required_days",
    "present_days",
    "paid_leave_days",
    "unpaid_leave_days",
    "absent_days",
    "full_days",
    "required_hours::numeric(6, 1)",
    "worked_hours::numeric(6, 1)",
    "paid_leave_hours::numeric(6, 1)",
    "full_hours::numeric(6, 1)",
    "grade",
    "amount_fen",
    "reasons",
    "carried_ids",
    "placement_month",
    "lifetime_month",
    "period_ends",
    "period_reason",
]


def line_hash_sql(t: str) -> str:
    """The sha256 (hex) of the snapshot of the line (or row of line columns) ``t``: its fields
    as text, joined by the unit separator; a NULL is written ``\\N``."""
    parts = [
        f"coalesce(({(h if '{t}' in h else '{t}.' + h).format(t=t)})::text, '\\N')" for h in HASHED
    ]
    return f"encode(sha256(convert_to(concat_ws(chr(31), {', '.join(parts)}), 'UTF8')), 'hex')"


LINE_HASH_SQL = line_hash_sql("l")

# The lines of a township's month of one kind (the posts' area kind), from the months of its
# closed sheets that have no live line yet; the corrections of closed months not yet carried of
# the same placements; the grade rules, minimum wage and setting of the county (parameters);
# the subsidy months (the placement's live lines so far; the person's count, and the lines of the
# placement not yet counted on it); then the insert, and the corrections marked carried.
GENERATE_SQL = """
WITH rules AS (
    SELECT * FROM unnest(%(grades)s::text[], %(factors)s::numeric[], %(deductions)s::bigint[])
        AS r(grade, factor, deduction)
),
months AS (
    SELECT m.id AS row_id, m.placement_id, m.month, m.hourly, m.region_code,
           m.required_days, m.present_days, m.paid_leave_days, m.unpaid_leave_days,
           m.absent_days, m.required_hours, m.worked_hours, m.paid_leave_hours,
           m.full_days, m.full_hours, p.person_id, p.post_id, p.subsidy_end,
           CASE WHEN m.hourly THEN p.hourly_rate ELSE p.monthly_subsidy END AS standard,
           coalesce(a.grade, '') AS grade
    FROM attendance_attendancemonth m
    JOIN people_placement p ON p.id = m.placement_id
    JOIN posts_post post ON post.id = p.post_id AND post.area_kind = %(kind)s
    LEFT JOIN attendance_assessment a ON a.row_id = m.id
    -- The township's rows of the month (``attendance_month_area_idx``) on its closed sheets:
    -- never a walk of every month kept, nor a join that reads every row in sheet order.
    WHERE m.month = %(month)s AND m.region_code LIKE %(prefix)s
      AND m.sheet_id = ANY(ARRAY(
            SELECT s.id FROM attendance_attendancesheet s
            WHERE s.state = 'closed' AND s.month = %(month)s AND s.region_code LIKE %(prefix)s))
      AND CASE WHEN m.hourly THEN p.hourly_rate ELSE p.monthly_subsidy END IS NOT NULL
      -- A month that begins after the placement ended (an exit, docs/policy.md §8) is not paid.
      AND (p.end_date IS NULL OR p.end_date >= m.month)
      -- A probe of the live-line index per row (OFFSET 0 keeps it a subplan): as an anti-join,
      -- with the lines' statistics older than the batches made in the same run, the planner
      -- walked every line of the month for every row (quadratic: 0.8 s a township at 10,000).
      AND NOT EXISTS (
          SELECT 1 FROM payout_payoutline l
          WHERE l.placement_id = m.placement_id AND l.month = m.month
            AND l.status = ANY(%(live)s::text[]) AND l.kind = ANY(%(monthly)s::text[])
          OFFSET 0)
),
carried AS (
    SELECT r.placement_id, count(*) AS n, jsonb_agg(j.id ORDER BY j.id) AS ids,
           sum(d.paid_after - d.paid_before) AS days,
           sum(CASE WHEN r.hourly THEN d.hours_after - d.hours_before ELSE 0 END) AS hours,
           sum(CASE WHEN r.hourly THEN p.hourly_rate * 100 * (d.hours_after - d.hours_before)
                    ELSE coalesce(round(p.monthly_subsidy * 100 * (d.paid_after - d.paid_before)
                                        / nullif(r.full_days, 0), 6), 0) END) AS fen
    FROM attendance_attendanceadjustment j
    JOIN attendance_attendancemonth r ON r.id = j.row_id
    JOIN attendance_attendancesheet rs ON rs.id = r.sheet_id AND rs.state = 'closed'
    JOIN people_placement p ON p.id = r.placement_id
    CROSS JOIN LATERAL (SELECT r.planned[j.day - r.month + 1] AS planned) AS pl
    CROSS JOIN LATERAL (
        SELECT (j.mark_before = 0 OR j.mark_before = ANY(%(paid)s::int[]))::int AS paid_before,
               (j.mark_after = 0 OR j.mark_after = ANY(%(paid)s::int[]))::int AS paid_after,
               CASE WHEN j.mark_before = 0 THEN coalesce(j.hours_before, pl.planned)
                    WHEN j.mark_before = ANY(%(paid)s::int[]) THEN pl.planned ELSE 0 END
                   AS hours_before,
               CASE WHEN j.mark_after = 0 THEN coalesce(j.hours_after, pl.planned)
                    WHEN j.mark_after = ANY(%(paid)s::int[]) THEN pl.planned ELSE 0 END
                   AS hours_after
    ) AS d
    WHERE j.carried_at IS NULL AND j.region_code LIKE %(prefix)s AND r.month <= %(month)s
      AND r.placement_id IN (SELECT placement_id FROM months)
    GROUP BY r.placement_id
),
facts AS (
    SELECT m.*, rules.factor, rules.deduction,
           coalesce(c.days, 0)::int AS carried_days, coalesce(c.hours, 0) AS carried_hours,
           coalesce(c.n, 0)::int AS carried_count, coalesce(c.fen, 0) AS carried_fen,
           coalesce(c.ids, '[]') AS carried_ids,
           %(minimum_monthly)s::numeric AS minimum_monthly,
           %(minimum_hourly)s::numeric AS minimum_hourly,
           %(allow_above)s::boolean AS allow_above
    FROM months m
    LEFT JOIN rules ON rules.grade = m.grade
    LEFT JOIN carried c ON c.placement_id = m.placement_id
),
amounts AS ({amount_sql}),
numbered AS (
    SELECT a.*, person.name AS person_name, person.id_number, person.account_number,
           person.retirement_date, person.birth_date,
           person.bank_name, post.title AS post_title,
           (coalesce(so_far.n, 0) + 1)::int AS placement_month,
           (person.subsidy_months_used + coalesce(so_far.uncounted, 0)
            + row_number() OVER (PARTITION BY a.person_id ORDER BY a.placement_id))::int
               AS lifetime_month
    FROM amounts a
    JOIN people_person person ON person.id = a.person_id
    JOIN posts_post post ON post.id = a.post_id
    LEFT JOIN (
        SELECT l.placement_id, count(*) AS n, count(*) FILTER (WHERE NOT l.counted) AS uncounted
        FROM payout_payoutline l
        WHERE l.status = ANY(%(live)s::text[]) AND l.kind = ANY(%(monthly)s::text[])
          AND l.placement_id IN (SELECT placement_id FROM months)
        GROUP BY l.placement_id
    ) AS so_far ON so_far.placement_id = a.placement_id
),
ended AS (
    SELECT n.*, %(batch)s::bigint AS batch_id,
           -- Past the period first (the line is held, never paid quietly), then its last month.
           -- A placement with a subsidy end is past it by the date (a term from the 16th ends
           -- in its 37th calendar month); one without, by the months paid.
           CASE WHEN n.subsidy_end IS NULL AND n.placement_month > %(per_placement)s
                    THEN 'past_place'
                WHEN n.subsidy_end < %(month)s THEN 'past_end'
                WHEN n.lifetime_month > %(lifetime)s THEN 'past_life'
                -- A working life ends at the statutory retirement date (urban posts) or at
                -- the age limit (rural posts: the birthday after the oldest age).
                WHEN %(kind)s = 'urban' AND n.retirement_date < %(month)s THEN 'past_retire'
                WHEN %(kind)s = 'rural'
                     AND n.birth_date + make_interval(years => %(age_limit)s + 1) <= %(month)s
                    THEN 'past_age'
                WHEN n.placement_month = %(per_placement)s THEN 'placement'
                WHEN n.subsidy_end <= %(last)s THEN 'subsidy_end'
                WHEN n.lifetime_month = %(lifetime)s THEN 'lifetime'
                ELSE '' END AS period_reason
    FROM numbered n
),
ins AS (
    INSERT INTO payout_payoutline (
        batch_id, placement_id, month, kind, row_id, person_id, post_id, region_code, status,
        held_reason, person_name, id_number, account_number, bank_name, post_title, hourly,
        standard, required_days, present_days, paid_leave_days, unpaid_leave_days,
        absent_days, full_days, required_hours, worked_hours, paid_leave_hours, full_hours,
        grade, amount_fen, reasons, carried_ids, placement_month, lifetime_month,
        period_ends, period_reason, counted, hash, created_at)
    SELECT e.batch_id, e.placement_id, e.month, %(kind)s, e.row_id, e.person_id, e.post_id,
           e.region_code,
           CASE WHEN e.period_reason LIKE 'past%%' THEN 'held' ELSE 'pending' END,
           CASE e.period_reason WHEN 'past_place' THEN %(held_past_place)s
                WHEN 'past_end' THEN %(held_past_end)s WHEN 'past_life' THEN %(held_past_life)s
                WHEN 'past_retire' THEN %(held_past_retire)s
                WHEN 'past_age' THEN %(held_past_age)s ELSE '' END,
           e.person_name, e.id_number, e.account_number,
           e.bank_name, e.post_title, e.hourly, e.standard, e.required_days, e.present_days,
           e.paid_leave_days, e.unpaid_leave_days, e.absent_days, e.full_days,
           e.required_hours, e.worked_hours, e.paid_leave_hours, e.full_hours, e.grade,
           e.amount_fen, e.reasons, e.carried_ids, e.placement_month, e.lifetime_month,
           e.period_ends, e.period_reason, false, {hash}, now()
    FROM (SELECT ended.*, ended.period_reason <> '' AS period_ends FROM ended) AS e
    ON CONFLICT DO NOTHING
    RETURNING id, person_id, carried_ids, amount_fen, hash
),
marked AS (
    UPDATE attendance_attendanceadjustment SET carried_at = now()
    WHERE id IN (SELECT jsonb_array_elements_text(carried_ids)::bigint FROM ins)
      AND carried_at IS NULL
    RETURNING 1
)
SELECT (SELECT count(*) FROM ins), (SELECT coalesce(sum(amount_fen), 0) FROM ins),
       (SELECT count(*) FROM marked),
       (SELECT coalesce(sum(jsonb_array_length(carried_ids)), 0) FROM ins),
       (SELECT encode(sha256(convert_to(coalesce(string_agg(hash, ',' ORDER BY id), ''),
                                        'UTF8')), 'hex') FROM ins)
""".format(amount_sql=AMOUNT_SQL, hash=line_hash_sql("e"))


# The months a batch pays, counted on each person once the county approves it: its lines to be
# paid not yet counted (a held line counts when the later line that pays it is approved).
COUNT_SQL = """
WITH counted AS (
    UPDATE payout_payoutline SET counted = true
    WHERE batch_id = %(batch)s AND status = 'pending' AND NOT counted
    RETURNING person_id
)
UPDATE people_person person SET subsidy_months_used = person.subsidy_months_used + x.n
FROM (SELECT person_id, count(*) AS n FROM counted GROUP BY person_id) AS x
WHERE person.id = x.person_id
"""


def months_count(batch_id: int) -> int:
    """Count the batch's months on its people (``COUNT_SQL``), in the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(COUNT_SQL, {"batch": batch_id})
        return cursor.rowcount


# A month counted at approval and then not paid — its line stopped before the payment file, or
# failed at the bank — is taken off the person again; the line that pays it later counts it.
UNCOUNT_SQL = """
WITH uncounted AS (
    UPDATE payout_payoutline SET counted = false
    WHERE id = ANY(%(lines)s::bigint[]) AND counted
    RETURNING person_id
)
UPDATE people_person person SET subsidy_months_used = person.subsidy_months_used - x.n
FROM (SELECT person_id, count(*) AS n FROM uncounted GROUP BY person_id) AS x
WHERE person.id = x.person_id
"""


def months_uncount(line_ids: list[int]) -> int:
    """Take the months of ``line_ids`` that were counted off their people (``UNCOUNT_SQL``), in
    the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(UNCOUNT_SQL, {"lines": list(line_ids)})
        return cursor.rowcount


@dataclass(frozen=True)
class Settings:
    """What the statement reads of the county besides its tables, in force in the month."""

    grades: dict[str, tuple] = field(default_factory=dict)  # grade → (factor, deduction_fen)
    minimum_monthly: object = None
    minimum_hourly: object = None
    allow_above: bool = False
    paid_kinds: tuple[int, ...] = ()
    per_placement: int = 36
    lifetime: int = 72
    age_limit: int = 65


@dataclass(frozen=True)
class Made:
    lines: int
    total_fen: int
    carried: int
    digest: str


def _past_period_reasons() -> dict[str, str]:
    """Why a line past its subsidy period is held, in the words the pages show."""
    with translation.override("zh-hans"):
        past = _(
            "Held: %(why)s. Pay it only if the county has extended the period (for example to "
            "the statutory retirement date); otherwise the person's placement should end."
        )
        return {
            f"held_{key}": past % {"why": str(PeriodEnd(key).label)}
            for key in ("past_place", "past_end", "past_life", "past_retire", "past_age")
        }


def lines_insert(
    *, batch_id: int, prefix: str, month: dt.date, last: dt.date, kind: str, settings: Settings
) -> Made:
    """Run ``GENERATE_SQL`` for one batch, in the caller's transaction."""
    grades = list(settings.grades)
    with connection.cursor() as cursor:
        cursor.execute(
            GENERATE_SQL,
            {
                "batch": batch_id,
                "prefix": prefix + "%",
                "month": month,
                "last": last,
                "kind": kind,
                "live": list(LIVE_LINE_STATUSES),
                "monthly": list(MONTHLY_KINDS),
                "paid": list(settings.paid_kinds),
                "grades": grades,
                "factors": [settings.grades[g][0] for g in grades],
                "deductions": [settings.grades[g][1] for g in grades],
                "minimum_monthly": settings.minimum_monthly,
                "minimum_hourly": settings.minimum_hourly,
                "allow_above": settings.allow_above,
                "per_placement": settings.per_placement,
                "lifetime": settings.lifetime,
                "age_limit": settings.age_limit,
                **_past_period_reasons(),
            },
        )
        lines, total, carried, to_carry, digest = cursor.fetchone()
    if carried != to_carry:
        # A correction carried by another batch since it was read: never paid twice (the
        # caller's transaction rolls the lines back).
        raise DomainError(
            _("A correction was just carried into another payout batch: make the lines again.")
        )
    return Made(lines, int(total), carried, digest)


FACT_COLUMNS = [
    ("n", "int"),
    ("hourly", "boolean"),
    ("standard", "numeric"),
    ("required_days", "int"),
    ("present_days", "int"),
    ("paid_leave_days", "int"),
    ("unpaid_leave_days", "int"),
    ("absent_days", "int"),
    ("full_days", "int"),
    ("required_hours", "numeric"),
    ("worked_hours", "numeric"),
    ("paid_leave_hours", "numeric"),
    ("full_hours", "numeric"),
    ("grade", "text"),
    ("factor", "numeric"),
    ("deduction", "bigint"),
    ("carried_count", "int"),
    ("carried_days", "int"),
    ("carried_hours", "numeric"),
    ("carried_fen", "numeric"),
    ("minimum_monthly", "numeric"),
    ("minimum_hourly", "numeric"),
    ("allow_above", "boolean"),
]


def amounts_of(cases: list) -> list[tuple[int, list]]:
    """``AMOUNT_SQL`` over ``amount.AmountFacts`` given as values (the twin's side of the equality
    test): (amount in fen, reasons) of each, in order. The carried corrections go in as their
    fen, summed as ``GENERATE_SQL`` sums them."""
    from subsidies.payout.amount import ZERO, _ratio

    values, params = [], []
    for n, f in enumerate(cases):
        s = f.standard * 100
        carried_fen = sum(
            (s * c.hours if f.hourly else _ratio(s * c.days, c.full_days) for c in f.carried),
            ZERO,
        )
        row = [
            n,
            f.hourly,
            f.standard,
            f.required_days,
            f.present_days,
            f.paid_leave_days,
            f.unpaid_leave_days,
            f.absent_days,
            f.full_days,
            f.required_hours,
            f.worked_hours,
            f.paid_leave_hours,
            f.full_hours,
            f.grade,
            f.grade_factor,
            f.grade_deduction_fen,
            len(f.carried),
            sum(c.days for c in f.carried),
            sum((c.hours for c in f.carried), ZERO),
            carried_fen,
            f.minimum_monthly,
            f.minimum_hourly,
            f.allow_above_standard,
        ]
        values.append("(" + ", ".join(f"%s::{t}" for _, t in FACT_COLUMNS) + ")")
        params += row
    names = ", ".join(n for n, _ in FACT_COLUMNS)
    sql = (
        f"WITH facts ({names}) AS (VALUES {', '.join(values)}) "
        f"SELECT amount_fen, reasons FROM ({AMOUNT_SQL}) AS a ORDER BY a.n"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(fen, json.loads(r) if isinstance(r, str) else r) for fen, r in cursor.fetchall()]
