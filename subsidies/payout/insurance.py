"""The year's insurance as payout lines, set-based (docs/policy.md §7, "Insurance"; seed 001
§二(四)).

- **Social-insurance subsidy** (社会保险补贴, ``BatchKind.SOCIAL_INSURANCE``): a person on an urban
  post whose insurance is the social-insurance subsidy, recorded as insured as a flexible worker
  in the year (``FlexibleInsurance``), pays the contributions first and is refunded the year's
  amount (a setting, 2,000 yuan) — by default pro rata: × the months of the year in which the
  person was on the post on at least one day / 12, rounded once to the fen, half up.
- **Accident insurance** (意外伤害保险, ``BatchKind.ACCIDENT_INSURANCE``): everyone on a post whose
  insurance is the accident insurance (every rural post), and the people on urban hourly posts
  not insured as flexible workers in the year (seed 001: "未缴纳社会保险的，为其购买意外伤害保险"),
  on the post on any day from the policy's list date (a setting: the 1st of its month) to the
  year's end. Each line is one person insured, its amount the premium (a setting); the batch
  pays the insurer their sum, premium × people, in one payment.

One statement per batch (``INSURANCE_SQL``), like the monthly generation: the year's lines
not yet in a live line of the kind, snapshot and hash, ``ON CONFLICT DO NOTHING`` against
``payout_line_one_live_yearly``; generating again adds only the people who came since.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext as _

from gongyi.errors import DomainError
from gongyi.models import Region
from gongyi.policy import policy_values
from subsidies.payout.enums import LIVE_LINE_STATUSES, BatchKind, LineStatus
from subsidies.payout.generation import Made, line_hash_sql
from subsidies.payout.policy import (
    ACCIDENT_POLICY_MONTH,
    ACCIDENT_PREMIUM,
    SOCIAL_INSURANCE_PRO_RATA,
    SOCIAL_INSURANCE_YEARLY,
)

#: Who is in each kind's lines (``p`` the placement, ``post`` its post).
FLEXIBLE = (
    "EXISTS (SELECT 1 FROM payout_flexibleinsurance fi"
    " WHERE fi.placement_id = p.id AND fi.year = %(year)s)"
)
WHO = {
    BatchKind.SOCIAL_INSURANCE: (
        "post.area_kind = 'urban' AND post.insurance_kind = 'social_insurance_subsidy'"
        f" AND {FLEXIBLE}"
    ),
    BatchKind.ACCIDENT_INSURANCE: (
        "(post.insurance_kind = 'accident_insurance' OR (post.area_kind = 'urban'"
        f" AND post.work_pattern = 'hourly' AND NOT {FLEXIBLE}))"
    ),
}

#: The amount and its rule of each kind (``f`` the facts: the cover and its months).
AMOUNT = {
    BatchKind.SOCIAL_INSURANCE: (
        "CASE WHEN %(pro_rata)s THEN round(%(yearly)s::numeric * f.months / 12)::bigint"
        " ELSE %(yearly)s::bigint END"
    ),
    BatchKind.ACCIDENT_INSURANCE: "%(premium)s::bigint",
}
REASONS = {
    BatchKind.SOCIAL_INSURANCE: (
        "jsonb_build_array(CASE WHEN %(pro_rata)s THEN jsonb_build_object("
        "'rule', 'social_insurance', 'yearly', %(yearly)s::bigint, 'months', f.months,"
        " 'amount', a.amount_fen) ELSE jsonb_build_object('rule', 'social_insurance_year',"
        " 'yearly', %(yearly)s::bigint, 'amount', a.amount_fen) END)"
    ),
    BatchKind.ACCIDENT_INSURANCE: (
        "jsonb_build_array(jsonb_build_object('rule', 'accident_premium', 'premium',"
        " a.amount_fen, 'from', to_char(f.cover_from, 'YYYY-MM-DD'),"
        " 'until', to_char(f.cover_until, 'YYYY-MM-DD')))"
    ),
}

INSURANCE_SQL = """
WITH facts AS (
    SELECT p.id AS placement_id, p.person_id, p.post_id, p.region_code,
           post.title AS post_title, post.work_pattern = 'hourly' AS hourly,
           greatest(p.start_date, %(cover_from)s) AS cover_from,
           least(coalesce(p.end_date, %(last)s), %(last)s) AS cover_until
    FROM people_placement p
    JOIN posts_post post ON post.id = p.post_id
    WHERE p.region_code LIKE %(prefix)s
      AND p.start_date <= %(last)s AND (p.end_date IS NULL OR p.end_date >= %(cover_from)s)
      AND {who}
      -- A probe of the yearly index per placement (OFFSET 0 keeps it a subplan: see
      -- generation.GENERATE_SQL, where the anti-join went quadratic).
      AND NOT EXISTS (
          SELECT 1 FROM payout_payoutline l
          WHERE l.placement_id = p.id AND l.month = %(month)s AND l.kind = %(kind)s
            AND l.status = ANY(%(live)s::text[])
          OFFSET 0)
),
counted AS (
    SELECT f.*, ((extract(year FROM f.cover_until) * 12 + extract(month FROM f.cover_until))
                 - (extract(year FROM f.cover_from) * 12 + extract(month FROM f.cover_from))
                 + 1)::int AS months
    FROM facts f
),
amounts AS (
    SELECT f.*, a.amount_fen, {reasons} AS reasons
    FROM counted f CROSS JOIN LATERAL (SELECT {amount} AS amount_fen) AS a
),
e AS (
    SELECT %(batch)s::bigint AS batch_id, a.placement_id, %(month)s::date AS month,
           NULL::bigint AS row_id, a.person_id, a.post_id, a.region_code,
           person.name AS person_name, person.id_number,
           CASE WHEN %(pays_person)s THEN person.account_number ELSE '' END AS account_number,
           CASE WHEN %(pays_person)s THEN person.bank_name ELSE '' END AS bank_name,
           a.post_title, a.hourly, (%(standard)s::numeric / 100)::numeric(10, 2) AS standard,
           0 AS required_days, 0 AS present_days, 0 AS paid_leave_days,
           0 AS unpaid_leave_days, 0 AS absent_days, 0 AS full_days,
           0::numeric(6, 1) AS required_hours, 0::numeric(6, 1) AS worked_hours,
           0::numeric(6, 1) AS paid_leave_hours, 0::numeric(6, 1) AS full_hours,
           '' AS grade, a.amount_fen, a.reasons, '[]'::jsonb AS carried_ids,
           0 AS placement_month, 0 AS lifetime_month, false AS period_ends,
           '' AS period_reason
    FROM amounts a JOIN people_person person ON person.id = a.person_id
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
           e.region_code, 'pending', '', e.person_name, e.id_number, e.account_number,
           e.bank_name, e.post_title, e.hourly, e.standard, e.required_days, e.present_days,
           e.paid_leave_days, e.unpaid_leave_days, e.absent_days, e.full_days,
           e.required_hours, e.worked_hours, e.paid_leave_hours, e.full_hours, e.grade,
           e.amount_fen, e.reasons, e.carried_ids, e.placement_month, e.lifetime_month,
           e.period_ends, e.period_reason, false, {hash}, now()
    FROM e
    ON CONFLICT DO NOTHING
    RETURNING id, amount_fen, hash
)
SELECT (SELECT count(*) FROM ins), (SELECT coalesce(sum(amount_fen), 0) FROM ins),
       (SELECT encode(sha256(convert_to(coalesce(string_agg(hash, ',' ORDER BY id), ''),
                                        'UTF8')), 'hex') FROM ins)
"""


def insurance_sql(kind: str) -> str:
    return INSURANCE_SQL.format(
        who=WHO[kind], amount=AMOUNT[kind], reasons=REASONS[kind], hash=line_hash_sql("e")
    )


@dataclass(frozen=True)
class YearSettings:
    """What the county says for a year's insurance (in force on the year's 1 January)."""

    yearly_fen: int
    pro_rata: bool
    premium_fen: int
    policy_month: int

    def list_date(self, year: int) -> dt.date:
        """The day the accident insurance's list of insured people is of."""
        return dt.date(year, self.policy_month, 1)


def year_settings(county_code: str, year: int) -> YearSettings:
    keys = [
        SOCIAL_INSURANCE_YEARLY,
        SOCIAL_INSURANCE_PRO_RATA,
        ACCIDENT_PREMIUM,
        ACCIDENT_POLICY_MONTH,
    ]
    values = policy_values(county_code, keys, dt.date(year, 1, 1))
    return YearSettings(
        yearly_fen=int(values[SOCIAL_INSURANCE_YEARLY]) * 100,
        pro_rata=bool(values[SOCIAL_INSURANCE_PRO_RATA]),
        premium_fen=int(values[ACCIDENT_PREMIUM]) * 100,
        policy_month=int(values[ACCIDENT_POLICY_MONTH]),
    )


def lines_insert(
    *, batch_id: int, prefix: str, year: int, kind: str, settings: YearSettings
) -> Made:
    """Run the kind's ``INSURANCE_SQL`` for one batch of ``year``, in the caller's transaction."""
    if kind == BatchKind.ACCIDENT_INSURANCE and not settings.premium_fen:
        raise DomainError(
            _(
                "The county has not entered the accident insurance's premium per person: enter it "
                "in the settings first."
            )
        )
    accident = kind == BatchKind.ACCIDENT_INSURANCE
    with connection.cursor() as cursor:
        cursor.execute(
            insurance_sql(kind),
            {
                "batch": batch_id,
                "kind": kind,
                "prefix": prefix + "%",
                "year": year,
                "month": dt.date(year, 1, 1),
                "cover_from": settings.list_date(year) if accident else dt.date(year, 1, 1),
                "last": dt.date(year, 12, 31),
                "live": list(LIVE_LINE_STATUSES),
                "yearly": settings.yearly_fen,
                "pro_rata": settings.pro_rata,
                "premium": settings.premium_fen,
                "standard": settings.premium_fen if accident else settings.yearly_fen,
                # The refund is paid to the person's account; the premium to the insurer.
                "pays_person": not accident,
            },
        )
        lines, total, digest = cursor.fetchone()
    return Made(lines, int(total), 0, digest)


# --- the insurer's lists ---------------------------------------------------------------------

#: The lists of an accident insurance batch (``insured_lists``).
INSURED, ADDED, LEAVING = "insured", "added", "leaving"


@dataclass(frozen=True)
class Insured:
    line_id: int
    name: str
    id_number: str
    post: str
    village: str
    cover_from: dt.date
    cover_until: dt.date
    start_date: dt.date
    end_date: dt.date | None


def insured_lists(batch) -> dict[str, list[Insured]]:
    """The accident insurance batch's people, as the insurer wants them: those insured on the
    policy's list date (``insured``), those who started on a post after it (``added``) and those
    who left a post during the year after it (``leaving``), each with the cover period as the
    placement stands now (one query; a line released into another batch is left out)."""
    year = batch.month.year
    list_date = year_settings(batch.region_code, year).list_date(year)
    last = dt.date(year, 12, 31)
    village = Region.objects.filter(code=OuterRef("placement__region_code")).values("name")[:1]
    rows = (
        batch.lines.exclude(status=LineStatus.RELEASED)
        .annotate(
            village=Subquery(village),
            start=F("placement__start_date"),
            end=F("placement__end_date"),
        )
        .order_by("region_code", "person_name", "pk")
        .values_list("pk", "person_name", "id_number", "post_title", "village", "start", "end")
    )
    lists: dict[str, list[Insured]] = {INSURED: [], ADDED: [], LEAVING: []}
    for pk, name, id_number, post, village_name, start, end in rows:
        person = Insured(
            pk,
            name,
            id_number,
            post,
            village_name or "",
            max(start, list_date),
            min(end or last, last),
            start,
            end,
        )
        lists[ADDED if start > list_date else INSURED].append(person)
        if end is not None and list_date <= end <= last:
            lists[LEAVING].append(person)
    return lists


def flexible_candidates(user, year: int):
    """The placements of ``user``'s area on urban posts whose insurance is the social-insurance
    subsidy, on the post on a day of ``year``, each with its flexible-worker record of the year
    (``record_id``, ``evidence``; None without), by name: one query."""
    from django.db.models import Q

    from gongyi.scoping import scope_queryset
    from people.models import Placement
    from subsidies.payout.models import FlexibleInsurance

    records = FlexibleInsurance.objects.filter(placement=OuterRef("pk"), year=year)
    return (
        scope_queryset(user, Placement.objects.all())
        .filter(
            post__area_kind="urban",
            post__insurance_kind="social_insurance_subsidy",
            start_date__lte=dt.date(year, 12, 31),
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=dt.date(year, 1, 1)))
        .annotate(
            record_id=Subquery(records.values("pk")[:1]),
            evidence=Subquery(records.values("evidence")[:1]),
        )
        .select_related("person", "post")
        .order_by("person__name", "pk")
    )
