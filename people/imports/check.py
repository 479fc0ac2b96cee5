"""Reading and checking a roster: every cell of every row in memory, against what is read once per
file (``Lookups``: the areas, the target groups, the choices), with the rules the forms use
(``people.services.person_errors``); the ID numbers already in the registry looked up in chunks
across the whole database (the ID number is unique everywhere). Writes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.enums import RegionLevel
from gongyi.errors import CellError, DomainError
from gongyi.importing import (
    CheckResult,
    Column,
    _date,
    _int,
    _text,
    checked_text,
    choice_labels,
    choice_map,
    excel_number_lost,
    header_map,
    merged_cell_errors,
    multiline_keys,
    read_rows,
    without_gc,
)
from gongyi.models import Region
from gongyi.policy import policy_value
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset, user_region_code
from people.enums import AccountKind
from people.models import Person, TargetGroup
from people.policy import IMPORT_MAX_ROWS
from people.resources import GRADE_WORDS, GROUP_SEPARATORS, PERSON_COLUMNS, file_headers
from people.roles import IMPORT_PEOPLE
from people.services.checks import _normalise, person_errors

#: The text columns that may hold several lines.
MULTILINE = multiline_keys(Person, PERSON_COLUMNS)
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

    def fingerprint(self, actor, max_rows: int) -> str:
        """A digest of everything a row is checked against besides its own cells."""
        regions = {r.pk: r for r in (*self.townships.values(), *self.villages.values())}
        groups = {g.pk: g for g in self.groups.values()}
        facts = [
            STATE_VERSION,
            actor.pk,
            user_region_code(actor),
            max_rows,
            self.today.isoformat(),
            sorted((r.pk, r.code, r.name, r.level, r.parent_id) for r in regions.values()),
            sorted((g.pk, g.code, g.name) for g in groups.values()),
        ]
        return hashlib.sha256(json.dumps(facts, ensure_ascii=False).encode()).hexdigest()


#: The columns of a person file an import writes, in this order in ``PersonRow.values``.
STORED = (
    "id_number",
    "name",
    "sex",
    "birth_date",
    "phone",
    "registration",
    "township_id",
    "village_id",
    "region_code",
    "residence",
    "retirement_category",
    "retirement_date",
    "account_kind",
    "account_number",
    "bank_name",
    "dibao_family",
    "zero_employment_family",
    "disability_certificate",
    "disability_grade",
    "placements_used",
    "subsidy_months_used",
    "note",
)
DATES = ("birth_date", "retirement_date")
#: The layout of ``person_import_checked_payload``'s state: a commit reads only its own version.
STATE_VERSION = 1


@dataclass
class PersonRow:
    """A good row: the values of the file to open (``STORED``, by attname) and its target group
    memberships (group ids, with the row's recognition date and evidence)."""

    number: int
    values: dict[str, Any]
    groups: list[int] = field(default_factory=list)
    recognised_on: dt.date | None = None
    evidence: str = ""


def _cell(column: Column, raw, lookups: Lookups, row: dict[str, Any]) -> Any:
    """The value of one cell, or ValueError with the message for the user."""
    if raw is None:  # an empty cell, as most optional ones are
        if column.required and column.kind != "id_number":  # person_errors says it for the ID
            raise ValueError(_("This cell is required."))
        return None
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
        return checked_text(text, multiline=column.key in MULTILINE)
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
        return checked_text(text)
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


@without_gc
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
    # (column, its position) of the template's columns the file has; the others are None.
    present = [(c, positions[c.key]) for c in PERSON_COLUMNS if c.key in positions]
    absent = {c.key: None for c in PERSON_COLUMNS if c.key not in positions}
    read = sorted(positions.values())
    id_position = positions.get("id_number")
    result = CheckResult(fingerprint=lookups.fingerprint(actor, max_rows))
    errors_by_row: dict[int, list[CellError]] = {}
    good: dict[int, PersonRow] = {}
    first_row_of: dict[str, int] = {}  # ID number → the first row that has it
    last = 1
    for number, values in rows:
        last = number
        if progress and number % 1000 == 0:
            progress(number, declared)
        width = len(values)
        if all(_text(values[i]) == "" for i in read if i < width):
            result.empty_rows.append(number)
            continue
        result.rows += 1
        row: dict[str, Any] = dict(absent)
        errors: dict[str, str] = {}
        for column, i in present:
            try:
                row[column.key] = _cell(column, values[i] if i < width else None, lookups, row)
            except ValueError as exc:
                row[column.key] = None
                errors[column.key] = str(exc)
        raw_id = values[id_position] if id_position is not None and id_position < width else None
        parsed = _row_errors(row, raw_id, lookups, errors)
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
        good[number] = _person_row(number, row, parsed)
    if result.rows == 0:
        raise DomainError(_("The file has no rows of people below its header."))
    for number, message in existing_files(actor, good).items():
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


def _person_row(number: int, row: dict[str, Any], parsed) -> PersonRow:
    stored = _normalise(row, parsed)
    township, village = stored.pop("township"), stored.pop("village")
    stored["township_id"] = township.pk
    stored["village_id"] = village.pk if village else None
    stored["region_code"] = (village or township).code
    groups = row.get("groups") or []
    return PersonRow(
        number,
        stored,
        [group.pk for group in groups],
        row["recognised_on"] if groups else None,
        (row.get("evidence") or "") if groups else "",
    )


def existing_files(actor, good: dict[int, PersonRow]) -> dict[int, str]:
    """Row → message for the rows whose ID number has a file already, anywhere: in the actor's
    area by the person's name, elsewhere only the township and county to ask."""
    by_number = {r.values["id_number"]: n for n, r in good.items()}
    found = {n: (t, c[:6]) for n, t, c in _registered(list(by_number))}
    if not found:
        return {}
    visible: dict[str, str] = {}
    numbers = list(found)
    for start in range(0, len(numbers), LOOKUP_CHUNK):
        chunk = numbers[start : start + LOOKUP_CHUNK]
        visible.update(
            scope_queryset(actor, Person.objects.filter(id_number__in=chunk)).values_list(
                "id_number", "name"
            )
        )
    counties = dict(
        Region.objects.filter(code__in={c for _t, c in found.values()}).values_list("code", "name")
    )
    messages = {}
    for id_number, (township, county) in found.items():
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


def _registered(numbers: list[str]) -> list[tuple[str, str, str]]:
    """(ID number, township name, township code) of those of ``numbers`` that have a file, in
    the whole registry. One query with the numbers as one array parameter (an IN
    list of 50,000 placeholders costs more to build than to run)."""
    if not numbers:
        return []
    person, region = Person._meta.db_table, Region._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT p.id_number, r.name, r.code FROM "{person}" p '
            f'JOIN "{region}" r ON r.id = p.township_id WHERE p.id_number = ANY(%s)',
            [numbers],
        )
        return cursor.fetchall()
