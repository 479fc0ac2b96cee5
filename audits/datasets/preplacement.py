"""The pre-placement check (前置比对, docs/policy.md §8; seed 003 §7): applicants against the
newest loaded version of each external dataset of their county, by the match's own hit rules
(``audits.datasets.match.HIT_RULES``), for the eligibility verdict (``people.eligibility``,
rule ``external_data``). Registered into ``people.external_checks`` at ``ready``.

Nobody is on a post yet, so where the match counts from the placement's start (contributions,
licences) this check counts from the start of the newest data's last months (a setting,
``PREPLACEMENT_MONTHS``): contributions paid as an employee in one of those months, or a licence
not cancelled before them, is a hit; deaths, pensions and the fiscal payroll are a hit whatever
their dates. Any number of applicants in three queries and one per county for the setting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection
from django.utils.translation import gettext as _

from audits.datasets.enums import DatasetKind, DatasetStatus
from audits.datasets.match import hit_rule
from audits.datasets.policy import PREPLACEMENT_MONTHS
from audits.models import DatasetRow, DatasetVersion
from gongyi.policy import policy_value
from people.eligibility import ExternalCheck, ExternalHit
from people.external_checks import Applicant

#: The first day that counts, for the hit rules' ``{since}``: the first day of the month
#: ``a.months - 1`` months before the month of the version's data.
_SINCE = "(date_trunc('month', v.as_of) - make_interval(months => a.months - 1))::date"


def _facts(kind: str, start: dt.date, end: dt.date | None, unit: str, reference: str) -> str:
    """What a row says, in the words the application page shows."""
    if kind == DatasetKind.DEATHS:
        return _("died on %(date)s") % {"date": start.isoformat()}
    if kind == DatasetKind.RETIREMENT_BENEFITS:
        return _("draws a pension from %(month)s") % {"month": start.strftime("%Y-%m")}
    if kind == DatasetKind.CONTRIBUTIONS:
        if end is None:
            return _("contributions as an employee of %(unit)s from %(start)s, still paid") % {
                "unit": unit,
                "start": start.strftime("%Y-%m"),
            }
        return _("contributions as an employee of %(unit)s from %(start)s to %(end)s") % {
            "unit": unit,
            "start": start.strftime("%Y-%m"),
            "end": end.strftime("%Y-%m"),
        }
    if kind == DatasetKind.BUSINESS_LICENCES:
        text = _("business licence %(reference)s %(unit)s registered on %(start)s") % {
            "reference": reference,
            "unit": unit,
            "start": start.isoformat(),
        }
        if end is not None:
            text += _(", cancelled on %(date)s") % {"date": end.isoformat()}
        return text
    return _("on the fiscal payroll of %(unit)s since %(start)s") % {
        "unit": unit,
        "start": start.isoformat(),
    }


def _newest(counties: set[str]) -> list[DatasetVersion]:
    """The newest loaded version of each kind of each county (one query; as ``newest_versions``)."""
    return list(
        DatasetVersion.objects.filter(region_code__in=counties, status=DatasetStatus.LOADED)
        .order_by("region_code", "kind", "-as_of", "-loaded_at", "-pk")
        .distinct("region_code", "kind")
        .only("pk", "region_code", "kind", "as_of")
    )


def preplacement_check(applicants: Sequence[Applicant], on: dt.date) -> dict[int, ExternalCheck]:
    """Person id → the newest lists of the person's county and the person's hits in them."""
    counties = {a.region_code[:6] for a in applicants}
    versions = _newest(counties)
    sources: dict[str, list[str]] = {}
    for v in sorted(versions, key=lambda v: DatasetKind.values.index(v.kind)):
        sources.setdefault(v.region_code, []).append(
            _("%(kind)s (data as of %(date)s)")
            % {"kind": DatasetKind(v.kind).label, "date": v.as_of.isoformat()}
        )
    hits: dict[int, list[ExternalHit]] = {}
    if versions:
        months = {c: policy_value(c, PREPLACEMENT_MONTHS, on) for c in counties}
        rules = " OR ".join(
            f"(v.kind = %(kind_{i})s AND {hit_rule(kind, _SINCE)})"
            for i, kind in enumerate(DatasetKind.values)
        )
        sql = f"""
            SELECT a.person_id, v.kind, v.as_of, r.line, r.start, r."end", r.unit, r.reference
              FROM unnest(%(people)s::bigint[], %(ids)s::text[], %(counties)s::text[],
                          %(months)s::int[]) AS a(person_id, id_number, county, months)
              JOIN {DatasetVersion._meta.db_table} v
                ON v.id = ANY(%(versions)s) AND v.region_code = a.county
              JOIN {DatasetRow._meta.db_table} r
                ON r.version_id = v.id AND r.id_number = a.id_number
             WHERE {rules}
             ORDER BY a.person_id, v.kind, r.line
        """
        params = {
            "people": [a.person_id for a in applicants],
            "ids": [a.id_number for a in applicants],
            "counties": [a.region_code[:6] for a in applicants],
            "months": [months[a.region_code[:6]] for a in applicants],
            "versions": [v.pk for v in versions],
            **{f"kind_{i}": kind for i, kind in enumerate(DatasetKind.values)},
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for person_id, kind, as_of, line, start, end, unit, reference in cursor.fetchall():
                hits.setdefault(person_id, []).append(
                    ExternalHit(
                        kind=kind,
                        source=str(DatasetKind(kind).label),
                        as_of=as_of,
                        line=line,
                        facts=_facts(kind, start, end, unit, reference),
                    )
                )
        order = {kind: i for i, kind in enumerate(DatasetKind.values)}
        for found in hits.values():
            found.sort(key=lambda h: (order[h.kind], h.line))
    return {
        a.person_id: ExternalCheck(
            sources=tuple(sources.get(a.region_code[:6], ())),
            hits=tuple(hits.get(a.person_id, ())),
        )
        for a in applicants
    }
