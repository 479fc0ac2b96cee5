"""The check's result, kept with the file: the check job stores its good rows as plain values, and
the commit job takes them back instead of reading the file again when nothing they were checked
against has changed (``CheckResult.fingerprint``), after looking their ID numbers up again."""

from __future__ import annotations

import datetime as dt
from operator import itemgetter

from gongyi.errors import CellError
from gongyi.importing import CheckResult, checked_payload, without_gc
from gongyi.policy import policy_value
from gongyi.roles import require_role
from gongyi.scoping import user_region_code
from people.imports.check import DATES, STATE_VERSION, STORED, Lookups, PersonRow, existing_files
from people.policy import IMPORT_MAX_ROWS
from people.resources import PERSON_COLUMNS, file_headers
from people.roles import IMPORT_PEOPLE


@without_gc
def person_import_checked_payload(data: bytes, result: CheckResult) -> bytes:
    """What the check job keeps: the file and the check's result, so that the commit job can
    write the checked rows without reading the file again (``person_import_commit``)."""
    get_values = itemgetter(*STORED)
    dates = [STORED.index(k) for k in DATES]
    good = []
    for r in result.good:
        values = list(get_values(r.values))
        for i in dates:
            values[i] = values[i].isoformat()
        recognised_on = r.recognised_on.isoformat() if r.recognised_on else None
        good.append([r.number, values, r.groups, recognised_on, r.evidence])
    state = {
        "version": STATE_VERSION,
        "fingerprint": result.fingerprint,
        "rows": result.rows,
        "empty_rows": result.empty_rows,
        "error_rows": sorted(result.error_rows),
        "errors": [[e.row, e.column, e.message] for e in result.errors],
        "good": good,
    }
    return checked_payload(data, state)


def result_of_state(actor, state) -> CheckResult | None:
    """The check's result kept in ``state``, with the ID numbers looked up again (someone may
    have entered some meanwhile); None if the rows were checked against anything that has
    changed since, or by another version of this code."""
    require_role(actor, IMPORT_PEOPLE)
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        return None
    max_rows = policy_value(user_region_code(actor), IMPORT_MAX_ROWS)
    if state["fingerprint"] != Lookups.load(actor).fingerprint(actor, max_rows):
        return None
    dates = [STORED.index(k) for k in DATES]
    good = {}
    for number, values, groups, recognised_on, evidence in state["good"]:
        for i in dates:
            values[i] = dt.date.fromisoformat(values[i])
        good[number] = PersonRow(
            number,
            dict(zip(STORED, values, strict=True)),
            groups,
            dt.date.fromisoformat(recognised_on) if recognised_on else None,
            evidence,
        )
    result = CheckResult(
        rows=state["rows"],
        errors=[CellError(row, column, message) for row, column, message in state["errors"]],
        error_rows=set(state["error_rows"]),
        empty_rows=state["empty_rows"],
        fingerprint=state["fingerprint"],
    )
    header = file_headers()[[c.key for c in PERSON_COLUMNS].index("id_number")]
    for number, message in existing_files(actor, good).items():
        result.errors.append(CellError(number, header, message))
        result.error_rows.add(number)
        del good[number]
    result.errors.sort(key=lambda e: e.row)  # stable: a row's errors keep their order
    result.good = [good[n] for n in sorted(good)]
    return result
