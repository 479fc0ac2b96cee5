"""Importing a roster from Excel: check the whole file first, then import the good rows or nothing.

Set-based: the townships and villages of the area and the county's target groups are read once
per file, each row is checked in memory with the rules the forms use (``person_errors``), the ID
numbers already in the registry are looked up in chunks across the whole database (the ID number
is unique everywhere), and the good rows, their target groups and their audit entries go in with
COPY in one transaction. django-import-export's default import (``people.resources
.PersonResource``) runs queries for every row; bench ``people_import`` measures both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import IntegrityError as PsycopgIntegrityError

from gongyi.audit import Change, audit_record, audit_record_many, snapshot
from gongyi.db import copy_insert, copy_supported
from gongyi.enums import AuditAction, RegionLevel
from gongyi.errors import CellError, DomainError
from gongyi.importing import (
    CheckResult,
    Column,
    _date,
    _int,
    _text,
    choice_labels,
    choice_map,
    excel_number_lost,
    header_map,
    import_commit_once,
    merged_cell_errors,
    read_rows,
)
from gongyi.jobs import register_job
from gongyi.models import Job, Region
from gongyi.policy import policy_value
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset, user_region_code
from people.enums import AccountKind
from people.models import Person, PersonGroup, TargetGroup
from people.policy import IMPORT_MAX_ROWS
from people.resources import GRADE_WORDS, GROUP_SEPARATORS, PERSON_COLUMNS, file_headers
from people.roles import IMPORT_PEOPLE
from people.services import _normalise, person_errors

#: ID numbers looked up in the registry per query.
LOOKUP_CHUNK = 5000
YES, NO = ("是", "true", "1", "y", "yes"), ("否", "false", "0", "n", "no")


@dataclass
class Lookups:
    """Everything a row is checked against that is read once per file."""

    townships: dict[str, Region]
    villages: dict[tuple[int, str], Region]
    groups: dict[str, TargetGroup]
    choices: dict[str, dict[str, str]]
    today: dt.date

    @classmethod
    def load(cls, actor) -> Lookups:
        townships, villages = {}, {}
        area = scope_queryset(
            actor, Region.objects.filter(level__in=[RegionLevel.TOWNSHIP, RegionLevel.VILLAGE])
        )
        for region in area.only("pk", "code", "name", "level", "parent_id"):
            if region.level == RegionLevel.TOWNSHIP:
                townships[region.code] = townships[region.name] = region
            else:
                villages[(region.parent_id, region.code)] = region
                villages[(region.parent_id, region.name)] = region
        groups = {}
        for group in scope_queryset(actor, TargetGroup.objects.filter(is_active=True)):
            groups[group.code] = groups[group.name] = group
        return cls(
            townships=townships,
            villages=villages,
            groups=groups,
            choices={c.key: choice_map(c.choices) for c in PERSON_COLUMNS if c.choices},
            today=timezone.localdate(),
        )


@dataclass
class PersonRow:
    """A good row: the file to open and its target group memberships."""

    number: int
    person: Person
    memberships: list[PersonGroup] = field(default_factory=list)


def _cell(column: Column, raw, lookups: Lookups, row: dict[str, Any]) -> Any:
    """The value of one cell, or ValueError with the message for the user."""
    if column.kind == "id_number":
        # Kept as it came: parse_id_number tells a float Excel has made of it.
        if isinstance(raw, float):
            return f"{raw:.5E}" if abs(raw) >= 1e15 else _text(raw)
        return _text(raw) or None
    text = _text(raw)
    if not text:
        if column.required:
            raise ValueError(_("This cell is required."))
        return None
    if column.kind == "text":
        return text
    if column.kind == "long_number":
        lost = excel_number_lost(raw)
        if lost:
            raise ValueError(
                _(
                    "Excel has turned this number into %(value)s and lost its last digits. "
                    "Format the column as text and enter it again."
                )
                % {"value": lost}
            )
        return text
    if column.kind == "int":
        try:
            return _int(raw)
        except ValueError:
            raise ValueError(_("Enter a whole number, such as 3.")) from None
    if column.kind == "date":
        return _date(raw)
    if column.kind == "choice":
        value = lookups.choices[column.key].get(text)
        if value is None:
            raise ValueError(
                _("Enter one of: %(values)s.") % {"values": choice_labels(column.choices)}
            )
        return value
    if column.kind == "yes_no":
        if isinstance(raw, bool):
            return raw
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise ValueError(_("Enter yes or no."))
    if column.kind == "grade":
        grade = GRADE_WORDS.get(text) or (int(text) if text.isdigit() else None)
        if grade not in (1, 2, 3, 4):
            raise ValueError(_("Enter a grade from 1 to 4."))
        return grade
    if column.kind == "groups":
        found, unknown = [], []
        for name in (n.strip() for n in GROUP_SEPARATORS.split(text)):
            group = lookups.groups.get(name)
            if group is not None and group not in found:
                found.append(group)
            elif name and group is None:
                unknown.append(name)
        if unknown:
            raise ValueError(
                _("Not a target group of the county: %(names)s.") % {"names": "、".join(unknown)}
            )
        return found
    if column.kind == "township":
        township = lookups.townships.get(text)
        if township is None:
            raise ValueError(_("%(name)s is not a township of your area.") % {"name": text})
        return township
    if column.kind == "village":
        township = row.get("township")
        village = lookups.villages.get((township.pk, text)) if township else None
        if village is None:
            raise ValueError(
                _("%(name)s is not a village or community of the township.") % {"name": text}
            )
        return village
    raise AssertionError(column.kind)


def _row_errors(row: dict[str, Any], raw_id, lookups: Lookups, errors: dict[str, str]):
    """Add the rules of a person file (``person_errors``) and of the row's groups to ``errors``;
    the parsed ID number, or None."""
    row["account_kind"] = row.get("account_kind") or AccountKind.CARD  # empty: the card
    data = {k: v for k, v in row.items() if k not in ("groups", "recognised_on", "evidence")}
    field_errors, parsed = person_errors(data, today=lookups.today)
    for key, message in field_errors.items():
        errors.setdefault(key, message)  # a cell that could not be read keeps its own message
    if "id_number" in field_errors and isinstance(raw_id, int) and excel_number_lost(raw_id):
        # An 18-digit number stored as a number: Excel keeps 15 digits of it.
        errors["id_number"] = _(
            "Excel has turned the ID number into a number (%(value)s) and lost its last "
            "digits. Format the column as text and enter the number again."
        ) % {"value": excel_number_lost(raw_id)}
    groups, recognised_on = row.get("groups"), row.get("recognised_on")
    if groups and recognised_on is None and "recognised_on" not in errors:
        errors["recognised_on"] = _("Enter the recognition date of the target groups.")
    if recognised_on is not None:
        if recognised_on > lookups.today:
            errors["recognised_on"] = _("The recognition date cannot be in the future.")
        elif parsed and recognised_on < parsed.birth_date:
            errors["recognised_on"] = _("The recognition date is before the birth date.")
    if (row.get("evidence") or "") and len(row["evidence"]) > 200:
        errors["evidence"] = _("At most 200 characters.")
    return parsed if "id_number" not in errors else None


def person_import_check(*, actor, data: bytes, progress=None) -> CheckResult:
    """Read and check a whole roster; write nothing. Every bad cell is in ``errors``; ``good``
    holds a ``PersonRow`` for each row a commit would import."""
    require_role(actor, IMPORT_PEOPLE)
    max_rows = policy_value(user_region_code(actor), IMPORT_MAX_ROWS)
    merged: list[str] = []
    rows = read_rows(data, max_rows=max_rows, merged=merged)
    declared, header = next(rows)
    positions = header_map(header, PERSON_COLUMNS)
    lookups = Lookups.load(actor)
    headers = {c.key: h for c, h in zip(PERSON_COLUMNS, file_headers(), strict=True)}
    order = {c.key: i for i, c in enumerate(PERSON_COLUMNS)}
    result = CheckResult()
    errors_by_row: dict[int, list[CellError]] = {}
    good: dict[int, PersonRow] = {}
    first_row_of: dict[str, int] = {}  # ID number → the first row that has it
    last = 1
    for number, values in rows:
        last = number
        if progress and number % 1000 == 0:
            progress(number, declared)
        cells = {key: values[i] if i < len(values) else None for key, i in positions.items()}
        if all(_text(v) == "" for v in cells.values()):
            result.empty_rows.append(number)
            continue
        result.rows += 1
        row: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for column in PERSON_COLUMNS:
            if column.key not in positions:
                row[column.key] = None
                continue
            try:
                row[column.key] = _cell(column, cells[column.key], lookups, row)
            except ValueError as exc:
                row[column.key] = None
                errors[column.key] = str(exc)
        parsed = _row_errors(row, cells.get("id_number"), lookups, errors)
        if parsed is not None:
            first = first_row_of.setdefault(parsed.number, number)
            if first != number:
                errors["id_number"] = _("Same ID number as row %(row)s.") % {"row": first}
        if errors:
            errors_by_row[number] = [
                CellError(number, headers[k], m)
                for k, m in sorted(errors.items(), key=lambda e: order[e[0]])
            ]
            continue
        good[number] = _person_row(actor, number, row, parsed)
    if result.rows == 0:
        raise DomainError(_("The file has no rows of people below its header."))
    for number, message in _existing(actor, good).items():
        errors_by_row[number] = [CellError(number, headers["id_number"], message)]
        del good[number]
    empty = set(result.empty_rows)
    for error in merged_cell_errors(merged, positions, headers, last_row=last):
        if error.row in empty:
            continue
        errors_by_row.setdefault(error.row, []).insert(0, error)
        good.pop(error.row, None)
    for number in sorted(errors_by_row):
        result.errors.extend(errors_by_row[number])
    result.error_rows = set(errors_by_row)
    result.good = [good[n] for n in sorted(good)]
    return result


def _person_row(actor, number: int, row: dict[str, Any], parsed) -> PersonRow:
    stored = _normalise(row, parsed)
    person = Person(**stored, created_by=actor)
    person.region_code = (person.village or person.township).code
    person.id_reversed = person.id_number[::-1]  # as the database computes it, for the audit
    memberships = [
        PersonGroup(
            person=person,
            group=group,
            recognised_on=row["recognised_on"],
            evidence=row.get("evidence") or "",
            recorded_by=actor,
        )
        for group in row.get("groups") or []
    ]
    return PersonRow(number, person, memberships)


def _existing(actor, good: dict[int, PersonRow]) -> dict[int, str]:
    """Row → message for the rows whose ID number has a file already, anywhere: in the actor's
    area by the person's name, elsewhere only the township and county to ask (issue 4 part 1)."""
    by_number = {r.person.id_number: n for n, r in good.items()}
    numbers = list(by_number)
    found: dict[str, tuple[str, str, str]] = {}
    visible: dict[str, str] = {}
    for start in range(0, len(numbers), LOOKUP_CHUNK):
        chunk = numbers[start : start + LOOKUP_CHUNK]
        rows = Person.objects.filter(id_number__in=chunk).values_list(
            "id_number", "township__name", "township__code"
        )
        found.update({n: (t, c[:6], "") for n, t, c in rows})
        if found:
            visible.update(
                scope_queryset(actor, Person.objects.filter(id_number__in=chunk)).values_list(
                    "id_number", "name"
                )
            )
    if not found:
        return {}
    counties = dict(
        Region.objects.filter(code__in={c for _t, c, _x in found.values()}).values_list(
            "code", "name"
        )
    )
    messages = {}
    for id_number, (township, county, _x) in found.items():
        if id_number in visible:
            message = _("%(name)s has a file already in your area; it is not imported again.") % {
                "name": visible[id_number]
            }
        else:
            message = _(
                "This ID number has a file already, kept by %(township)s (%(county)s). Ask that "
                "township; a second file is not made."
            ) % {"township": township, "county": counties.get(county, "")}
        messages[by_number[id_number]] = message
    return messages


def person_import_commit(*, actor, data: bytes, progress=None, file_name: str = "") -> CheckResult:
    """Check the file again (the registry may have changed) and open a file for each good row,
    with its target groups, all in one transaction with one audit append; the bad rows are left
    out and reported."""
    result = person_import_check(actor=actor, data=data, progress=progress)
    people = [r.person for r in result.good]
    note = _("import")
    try:
        with transaction.atomic():
            if copy_supported():
                copy_insert(Person, people)
            else:
                Person.objects.bulk_create(people, batch_size=2000)
            memberships = []
            for r in result.good:
                for membership in r.memberships:
                    membership.person = r.person  # now with its id
                    memberships.append(membership)
            if copy_supported():
                copy_insert(PersonGroup, memberships)
            else:
                PersonGroup.objects.bulk_create(memberships, batch_size=2000)
            # One entry per file opened, its target groups in it (as many entries as rows).
            changes = []
            for r in result.good:
                after = snapshot(r.person)
                if r.memberships:
                    after["target_groups"] = [
                        {
                            "group": m.group_id,
                            "recognised_on": m.recognised_on.isoformat(),
                            "evidence": m.evidence,
                        }
                        for m in r.memberships
                    ]
                changes.append(
                    Change(
                        AuditAction.CREATE,
                        r.person,
                        {k: [None, v] for k, v in after.items()},
                        note=note,
                        plain=True,
                    )
                )
            audit_record_many(actor=actor, changes=changes)
            audit_record(
                actor=actor,
                action=AuditAction.IMPORT,
                object_type="people.person",
                region_code=user_region_code(actor),
                object_repr=file_name[:200],
                note=_("%(n)s person files imported, %(bad)s rows left out.")
                % {"n": len(people), "bad": len(result.error_rows)},
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


@register_job("people.import_check")
def run_import_check(job: Job, progress) -> dict:
    return person_import_check(
        actor=job.created_by, data=bytes(job.payload), progress=progress
    ).as_dict()


@register_job("people.import_commit")
def run_import_commit(job: Job, progress) -> dict:
    result, _check = import_commit_once(job, person_import_commit, progress=progress)
    return result.as_dict() | {"created": len(result.good)}
