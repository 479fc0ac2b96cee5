"""The match (比对): everyone on a post in a county against the newest loaded version of each
external dataset (docs/policy.md §8; seed 003 §7), one INSERT … SELECT per kind.

A placement is open while its end date is empty. The rule of each kind says which of the
person's rows is a hit, what makes the fact this one (``FACT_KEYS``: the same fact found again
is the same finding) and from which day it holds (the row's first day):

- deaths, retirement benefits, fiscal payroll: any row of the person;
- contributions as an employee: a period that reaches into the placement (its end, or the data's
  day when it has none, on or after the placement's start);
- business licences: a licence not cancelled before the placement's start.

A county's match is one transaction under an advisory lock: a second run started meanwhile is
refused, a run killed halfway leaves nothing, and a rerun makes no finding twice (the unique
constraint ``finding_fact_once``). Findings still new or under investigation whose fact is no
longer in the newest version of their kind are closed as gone; a dismissed one stays dismissed
unless its row in the newest version has changed. The open findings then hold the payout
(``audits.datasets.findings.findings_hold``, as the county's setting says).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.datasets.enums import OPEN_FINDING_STATES, DatasetKind, FindingState
from audits.datasets.findings import findings_hold
from audits.datasets.internal import internal_checks
from audits.datasets.selectors import newest_versions
from audits.models import DatasetRow, DatasetVersion, Finding
from gongyi.audit import audit_record
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from people.models import Person, Placement

#: Kind → the SQL of a row's fact key (``r`` the dataset row).
FACT_KEYS = {
    DatasetKind.DEATHS: "r.start::text",
    DatasetKind.RETIREMENT_BENEFITS: "r.start::text",
    DatasetKind.CONTRIBUTIONS: "r.unit || '|' || r.start::text",
    DatasetKind.BUSINESS_LICENCES: "r.reference",
    DatasetKind.FISCAL_PAYROLL: "r.unit || '|' || r.start::text",
}
#: Kind → the SQL condition a row must meet beside the ID number (``r`` the row, ``v`` the
#: version), ``{since}`` the first day that counts: the placement's start in the match, the
#: start of the recent months in the pre-placement check (``audits.datasets.preplacement``).
HIT_RULES = {
    DatasetKind.DEATHS: "TRUE",
    DatasetKind.RETIREMENT_BENEFITS: "TRUE",
    DatasetKind.CONTRIBUTIONS: 'COALESCE(r."end", v.as_of) >= {since}',
    DatasetKind.BUSINESS_LICENCES: '(r."end" IS NULL OR r."end" >= {since})',
    DatasetKind.FISCAL_PAYROLL: "TRUE",
}


def hit_rule(kind: str, since: str) -> str:
    """The SQL condition of a hit of ``kind``, counting from the SQL expression ``since``."""
    return HIT_RULES[kind].format(since=since)


_LOCK_NAMESPACE = 1_600_016  # issue 16's match: the advisory lock's first key


def _tables() -> dict[str, str]:
    return {
        "finding": Finding._meta.db_table,
        "row": DatasetRow._meta.db_table,
        "version": DatasetVersion._meta.db_table,
        "person": Person._meta.db_table,
        "placement": Placement._meta.db_table,
    }


def _insert_sql(kind: str) -> str:
    return """
        INSERT INTO {finding} (person_id, placement_id, region_code, kind, fact_key, fact_from,
                               state, version_id, evidence, found_at, checked_at, note)
        SELECT DISTINCT ON (p.id, {key})
               p.id, pl.id, pl.region_code, %(kind)s, {key}, r.start, %(new)s, v.id,
               jsonb_build_object('version', v.id, 'file_name', v.file_name,
                                  'as_of', v.as_of, 'row', r.line, 'id_number', r.id_number,
                                  'name', r.name, 'start', r.start, 'end', r."end",
                                  'unit', r.unit, 'reference', r.reference),
               now(), now(), ''
          FROM {placement} pl
          JOIN {person} p ON p.id = pl.person_id
          JOIN {version} v ON v.id = %(version)s
          JOIN {row} r ON r.version_id = v.id AND r.id_number = p.id_number
         WHERE pl.end_date IS NULL AND pl.region_code LIKE %(area)s AND ({rule})
         ORDER BY p.id, {key}, pl.start_date DESC, r.line
        ON CONFLICT (person_id, kind, fact_key) DO NOTHING
    """.format(key=FACT_KEYS[kind], rule=hit_rule(kind, "pl.start_date"), **_tables())


def _fact_sql(kind: str, *, present: bool, states: str, to: str) -> str:
    """Move the kind's findings in the area in ``states`` to ``to`` when their fact is
    (``present``) or is not in the newest version."""
    return """
        UPDATE {finding} f SET state = %({to})s, checked_at = now()
         WHERE f.kind = %(kind)s AND f.region_code LIKE %(area)s AND f.state = ANY(%({states})s)
           AND {negate} EXISTS (
               SELECT 1 FROM {row} r JOIN {person} p ON p.id = f.person_id
                WHERE r.version_id = %(version)s AND r.id_number = p.id_number
                  AND {key} = f.fact_key)
    """.format(
        key=FACT_KEYS[kind], negate="" if present else "NOT", states=states, to=to, **_tables()
    )


#: The cells of a row that tell its fact; a dismissed finding whose row in the newest version
#: has other cells than its evidence is new again (the data changed: a contribution period
#: that went on, a licence cancelled…).
_CELLS = "jsonb_build_object('start', r.start, 'end', r.\"end\", 'unit', r.unit, 'reference', r.reference)"


def _changed_sql(kind: str) -> str:
    """Make the kind's dismissed findings in the area new again where the fact's row in the newest
    version differs from the row they were dismissed on; their evidence becomes the new row."""
    return """
        UPDATE {finding} f
           SET state = %(new)s, checked_at = now(), version_id = r.version_id,
               evidence = f.evidence || {cells} || jsonb_build_object(
                   'version', r.version_id, 'row', r.line, 'name', r.name,
                   'file_name', v.file_name, 'as_of', v.as_of)
          FROM {row} r, {person} p, {version} v
         WHERE f.kind = %(kind)s AND f.region_code LIKE %(area)s AND f.state = %(dismissed)s
           AND p.id = f.person_id AND v.id = %(version)s
           AND r.version_id = v.id AND r.id_number = p.id_number AND {key} = f.fact_key
           AND NOT ({cells} <@ f.evidence)
    """.format(key=FACT_KEYS[kind], cells=_CELLS, **_tables())


def dataset_match(*, region_code: str, actor=None, today: dt.date | None = None) -> dict:
    """Match the county's open placements against the newest version of each kind, then run the
    internal checks (``audits.datasets.internal``); per kind the findings made and closed as
    gone. Refused while another match of the county runs."""
    county = region_code[:6]
    area = county + "%"
    counts: dict[str, dict[str, int]] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        # One match of a county at a time: a second would read the same rows and wait on the
        # first's findings, then find nothing; it is told at once instead.
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, int(county)])
        if not cursor.fetchone()[0]:
            raise DomainError(_("A match of this county is running; wait for it to end."))
        for kind, version in newest_versions(county).items():
            params = {
                "kind": kind,
                "version": version.pk,
                "area": area,
                "new": FindingState.NEW,
                "gone": FindingState.GONE,
                "open": list(OPEN_FINDING_STATES),
                "was_gone": [FindingState.GONE],
                "dismissed": FindingState.DISMISSED,
            }
            # Facts gone from the newest data close their open findings; a fact closed so
            # that is back is new again. A dismissed or confirmed finding is left as it is.
            cursor.execute(_fact_sql(kind, present=False, states="open", to="gone"), params)
            gone = cursor.rowcount
            cursor.execute(_fact_sql(kind, present=True, states="was_gone", to="new"), params)
            back = cursor.rowcount
            cursor.execute(_changed_sql(kind), params)
            back += cursor.rowcount
            cursor.execute(_insert_sql(kind), params)
            counts[kind] = {
                "version": version.pk,
                "new": cursor.rowcount + back,
                "gone": gone,
            }
        counts.update(
            internal_checks(
                cursor,
                county=county,
                params={
                    "area": area,
                    "new": FindingState.NEW,
                    "gone": FindingState.GONE,
                    "open": list(OPEN_FINDING_STATES),
                    "was_gone": [FindingState.GONE],
                },
                today=today or timezone.localdate(),
            )
        )
        held = findings_hold(actor=actor, county=county)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            note=_("Cross-check of %(county)s: %(new)s new findings, %(gone)s gone")
            % {
                "county": county,
                "new": sum(c["new"] for c in counts.values()),
                "gone": sum(c["gone"] for c in counts.values()),
            },
            object_type=Finding._meta.label_lower,
            region_code=county,
        )
    return {"county": county, "kinds": counts, "held": held}
