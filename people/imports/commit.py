"""Writing a checked roster: the good rows, their target groups and their audit entries go in with
COPY in one transaction, as plain tuples (no model instance per row); the bad rows are left out
and reported."""

from __future__ import annotations

import datetime as dt
from operator import itemgetter
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import IntegrityError as PsycopgIntegrityError

from gongyi.audit import Change, audit_record, audit_record_many
from gongyi.db import copy_rows, copy_writer, next_ids
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.importing import CheckResult, split_payload, without_gc
from gongyi.scoping import user_region_code
from people.imports.check import STORED, PersonRow, person_import_check
from people.imports.payload import result_of_state
from people.models import Person, PersonGroup


@without_gc
def person_import_commit(*, actor, data: bytes, progress=None, file_name: str = "") -> CheckResult:
    """Open a file for each good row, with its target groups, all in one transaction with one
    audit entry per file and one for the import; the bad rows are left out and reported.

    ``data`` is the file, or the check job's ``person_import_checked_payload``: its checked rows
    are written as they are if nothing they were checked against has changed, their ID numbers
    looked up again; otherwise, and for a bare file, the file is checked again first.
    """
    file, state = split_payload(data)
    result = result_of_state(actor, state) if state is not None else None
    if result is None:
        result = person_import_check(actor=actor, data=file, progress=progress)
    elif progress:
        progress(result.rows, result.rows)
    note = _("import")
    try:
        with transaction.atomic():
            created = _write(actor, result.good, note)
            audit_record(
                actor=actor,
                action=AuditAction.IMPORT,
                object_type="people.person",
                region_code=user_region_code(actor),
                object_repr=file_name[:200],
                note=_("%(n)s person files imported, %(bad)s rows left out.")
                % {"n": created, "bad": len(result.error_rows)},
            )
    except (IntegrityError, PsycopgIntegrityError):  # COPY raises psycopg's own error
        # Someone entered one of these ID numbers between the check and the insert.
        raise DomainError(
            _(
                "Someone entered some of these people while the file was imported; nothing was "
                "imported. Check the file again."
            )
        ) from None
    return result


#: (field name, attname) of the fields of a person's audit entry, as ``gongyi.audit.snapshot``.
_AUDITED = [
    (f.name, f.attname)
    for f in Person._meta.concrete_fields
    if f.name not in Person.audit_exclude and not getattr(f, "generated", False)
]


def _write(actor, rows: list[PersonRow], note: str) -> int:
    """Insert the files, their memberships and one audit entry per file, in the caller's
    transaction; the number of files."""
    now = timezone.now()
    known = {"created_at": now.isoformat(), "created_by": actor.pk}
    changes = []
    ids = next_ids(Person, len(rows))
    get_values = itemgetter(*STORED)
    with copy_writer(Person, ("id", *STORED, "created_at", "updated_at", "created_by_id")) as write:
        for pk, r in zip(ids, rows, strict=True):
            write((pk, *get_values(r.values), now, now, actor.pk))
            # Made here, while the server stores the rows already sent.
            changes.append(_created(pk, r, known, note))
    copy_rows(
        PersonGroup,
        ("person_id", "group_id", "recognised_on", "evidence", "recorded_by_id", "recorded_at"),
        (
            (pk, group, r.recognised_on, r.evidence, actor.pk, now)
            for pk, r in zip(ids, rows, strict=True)
            for group in r.groups
        ),
    )
    audit_record_many(actor=actor, changes=changes)
    return len(rows)


def _created(pk: int, r: PersonRow, known: dict[str, Any], note: str) -> Change:
    """The audit entry of a file opened: the values ``gongyi.audit.snapshot`` gives (a test holds
    them equal), and its target groups."""
    values = r.values
    known["id"] = pk
    after = {}
    for name, attname in _AUDITED:
        value = known[name] if name in known else values[attname]
        after[name] = [None, value.isoformat() if isinstance(value, dt.date) else value]
    if r.groups:
        recognised_on = r.recognised_on.isoformat()
        after["target_groups"] = [
            None,
            [
                {"group": group, "recognised_on": recognised_on, "evidence": r.evidence}
                for group in r.groups
            ],
        ]
    return Change(
        AuditAction.CREATE,
        changes=after,
        note=note,
        object_type="people.person",
        object_pk=str(pk),
        object_repr=values["name"],
        region_code=values["region_code"],
        plain=True,
    )
