"""Importing posts from Excel: check the whole file first, then import the good rows or nothing.

Set-based: the lookups (standard names, townships and villages of the area, the minimum wage in
force, posts already there) are read once per file, every row is checked in memory, and the good
rows go in with ``bulk_create`` and one audit append, in one transaction. django-import-export's
default import (``posts.resources.PostResource``) runs several queries per row; bench
``posts_import`` measures both on the same file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_record, audit_record_many, snapshot
from gongyi.db import copy_insert, copy_supported
from gongyi.enums import AuditAction, RegionLevel
from gongyi.errors import CellError, DomainError
from gongyi.jobs import register_job
from gongyi.models import Job, JobStatus, Region
from gongyi.policy import policy_value
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset, user_region_code
from gongyi.xlsx import XlsxError, open_first_sheet
from posts.models import Post, PostType
from posts.policy import IMPORT_MAX_ROWS
from posts.resources import IMPORT_STATUSES, POST_COLUMNS, Column
from posts.roles import IMPORT_POSTS
from posts.services import _normalise, no_minimum_wage_message, pay_rules, post_errors

MAX_FILE_BYTES = 20 * 1024 * 1024
#: Reported cell errors are capped so that a broken file does not make a page of 200,000 rows.
MAX_REPORTED_ERRORS = 1000


def read_rows(data: bytes, *, max_rows: int):
    """Yield (row number, values) of the first sheet's rows; first (declared row count, header).

    Refuses, with a message the user can act on, what is not a readable .xlsx: an old .xls or a
    password-protected file (both OLE containers), a corrupted file, a sheet with too many rows.
    """
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise DomainError(
            _(
                "This is an old .xls file or a password-protected workbook. Save it in Excel as "
                ".xlsx without a password and import that."
            )
        )
    if data[:2] != b"PK":
        raise DomainError(_("This is not an Excel .xlsx file. Use the template."))
    damaged = DomainError(
        _(
            "The file is damaged and cannot be read. Open it in Excel, save it again as .xlsx "
            "and import that."
        )
    )
    try:
        sheet = open_first_sheet(data)
        first = next(sheet.rows, None)
    except XlsxError:
        raise damaged from None
    if first is None:
        raise DomainError(_("The file is empty."))
    header_number, header = first
    declared = sheet.declared_rows
    if declared - header_number > max_rows:
        raise DomainError(
            _(
                "The file has %(n)s rows; one import takes at most %(max)s. Split it into smaller "
                "files."
            )
            % {"n": declared - header_number, "max": max_rows}
        )
    yield declared, header  # the first item: the declared row count (for progress), the header
    previous = header_number
    while True:
        try:
            item = next(sheet.rows, None)
        except XlsxError:  # a damaged sheet can fail anywhere below its header
            raise damaged from None
        if item is None:
            return
        number, values = item
        if number - header_number > max_rows:
            raise DomainError(
                _("The file has more than %(max)s rows; split it into smaller files.")
                % {"max": max_rows}
            )
        for empty in range(previous + 1, number):  # rows the file holds nothing in
            yield empty, []
        previous = number
        yield number, values


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _int(value) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value).replace(",", "")
    if not text.lstrip("-").isdigit():
        raise ValueError
    return int(text)


def _decimal(value, places: int) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    text = str(value) if isinstance(value, int | float) else _text(value)
    try:
        number = Decimal(text.replace(",", "").replace("元", "").strip())
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    rounded = number.quantize(Decimal(1).scaleb(-places))
    if rounded != number:
        raise ValueError  # more decimal places than the column has
    return rounded


@dataclass
class Lookups:
    """Everything a row is checked against, read once per file."""

    post_types: dict[str, PostType]
    townships: dict[str, Region]
    villages: dict[tuple[int, str], Region]
    existing: set[tuple]
    rules_by_county: dict[str, dict[str, Any]]  # pay_rules of each county
    choices: dict[str, dict[str, str]]

    @classmethod
    def load(cls, actor) -> Lookups:
        today = timezone.localdate()
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
        counties = {r.code[:6] for r in townships.values()}
        with translation.override("zh-hans"):
            choices = {
                c.key: {str(label): value for value, label in c.choices.choices}
                | {value: value for value in c.choices.values}
                for c in POST_COLUMNS
                if c.choices
            }
        return cls(
            post_types={
                t.name: t for t in scope_queryset(actor, PostType.objects.filter(is_active=True))
            },
            townships=townships,
            villages=villages,
            existing=set(
                scope_queryset(actor, Post.objects.all()).values_list(
                    "township_id", "village_id", "title", "plan_year"
                )
            ),
            rules_by_county={code: pay_rules(code, today) for code in counties},
            choices=choices,
        )


@dataclass
class CheckResult:
    rows: int = 0
    posts: list[Post] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    error_rows: set[int] = field(default_factory=set)
    empty_rows: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "valid": len(self.posts),
            "invalid": len(self.error_rows),
            "error_count": len(self.errors),
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message}
                for e in self.errors[:MAX_REPORTED_ERRORS]
            ],
            "empty_rows": self.empty_rows[:100],
        }


def _header_map(header: tuple) -> dict[str, int]:
    """Column key → position; wrong or missing headers are refused before any row is read."""
    with translation.override("zh-hans"):
        expected = {str(c.header): c for c in POST_COLUMNS}
    found = [_text(h) for h in header]
    positions = {expected[h].key: i for i, h in enumerate(found) if h in expected}
    missing = [h for h, c in expected.items() if c.required and c.key not in positions]
    unknown = [h for h in found if h and h not in expected]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("Missing columns: %(cols)s.") % {"cols": "、".join(missing)})
        if unknown:
            parts.append(_("Columns not in the template: %(cols)s.") % {"cols": "、".join(unknown)})
        raise DomainError(
            " ".join(parts) + " " + _("Download the template and keep its first row as it is.")
        )
    return positions


def _cell(column: Column, raw, lookups: Lookups, row: dict[str, Any]) -> Any:
    """The value of one cell, or ValueError with the message for the user."""
    text = _text(raw)
    if not text:
        if column.required:
            raise ValueError(_("This cell is required."))
        return None
    if column.kind == "text":
        return text
    if column.kind == "int":
        try:
            return _int(raw)
        except ValueError:
            raise ValueError(_("Enter a whole number, such as 3.")) from None
    if column.kind in ("money", "hours"):
        try:
            number = _decimal(raw, 2 if column.kind == "money" else 1)
        except ValueError:
            raise ValueError(
                _("Enter an amount in yuan, such as 1820 or 17.5.")
                if column.kind == "money"
                else _("Enter hours a week, such as 20 or 17.5.")
            ) from None
        if number <= 0:
            raise ValueError(_("Enter a number above zero."))
        return number
    if column.kind == "choice":
        value = lookups.choices[column.key].get(text)
        if value is None or (column.key == "status" and value not in IMPORT_STATUSES):
            with translation.override("zh-hans"):
                allowed = [
                    str(label)
                    for v, label in column.choices.choices
                    if column.key != "status" or v in IMPORT_STATUSES
                ]
            raise ValueError(_("Enter one of: %(values)s.") % {"values": "、".join(allowed)})
        return value
    if column.kind == "post_type":
        post_type = lookups.post_types.get(text)
        if post_type is None:
            raise ValueError(
                _("%(name)s is not a standard post name of the catalogue.") % {"name": text}
            )
        return post_type
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


def post_import_check(*, actor, data: bytes, progress=None) -> CheckResult:
    """Read and check a whole file; write nothing. Every bad cell is in ``errors``."""
    require_role(actor, IMPORT_POSTS)
    max_rows = policy_value(user_region_code(actor), IMPORT_MAX_ROWS)
    rows = read_rows(data, max_rows=max_rows)
    declared, header = next(rows)
    positions = _header_map(header)
    lookups = Lookups.load(actor)
    result = CheckResult()
    seen: dict[tuple, int] = {}
    with translation.override("zh-hans"):
        headers = {c.key: str(c.header) for c in POST_COLUMNS}
    for number, values in rows:
        if progress and number % 1000 == 0:
            progress(number, declared)
        cells = {key: values[i] if i < len(values) else None for key, i in positions.items()}
        if all(_text(v) == "" for v in cells.values()):
            result.empty_rows.append(number)
            continue
        result.rows += 1
        row: dict[str, Any] = {}
        errors: list[CellError] = []
        for column in POST_COLUMNS:
            if column.key not in positions:
                row[column.key] = None
                continue
            try:
                row[column.key] = _cell(column, cells[column.key], lookups, row)
            except ValueError as exc:
                row[column.key] = None
                errors.append(CellError(number, headers[column.key], str(exc)))
        if not errors:
            data_row = _normalise(row)
            township = data_row["township"]
            rules = lookups.rules_by_county[township.code[:6]]
            for key, message in post_errors(data_row, **rules).items():
                errors.append(CellError(number, headers[key], message))
        if not errors:
            key = (
                data_row["township"].pk,
                data_row["village"].pk if data_row["village"] else None,
                data_row["title"],
                data_row["plan_year"],
            )
            if key in seen:
                errors.append(
                    CellError(
                        number,
                        headers["title"],
                        _("Same post as row %(row)s.") % {"row": seen[key]},
                    )
                )
            elif key in lookups.existing:
                errors.append(
                    CellError(
                        number,
                        headers["title"],
                        _(
                            "This post is in the catalogue already (same township, village, "
                            "title and year)."
                        ),
                    )
                )
            seen.setdefault(key, number)
        if errors:
            result.errors.extend(errors)
            result.error_rows.add(number)
            continue
        status = data_row.pop("status") or "draft"
        if status == "open" and rules["minimum"] is None:
            result.errors.append(CellError(number, headers["status"], no_minimum_wage_message()))
            result.error_rows.add(number)
            continue
        post = Post(**data_row, created_by=actor, status=status)
        post.region_code = (post.village or post.township).code
        if status == "open":
            post.opened_on = post.vacant_since = timezone.localdate()
            post.status_changed_at = timezone.now()
        result.posts.append(post)
    if result.rows == 0:
        raise DomainError(_("The file has no rows of posts below its header."))
    return result


def post_import_commit(*, actor, data: bytes, progress=None, file_name: str = "") -> CheckResult:
    """Check the file again (the catalogue may have changed) and import the good rows, all in one
    transaction with one audit append; the bad rows are left out and reported."""
    result = post_import_check(actor=actor, data=data, progress=progress)
    note = _("import")
    with transaction.atomic():
        if copy_supported():
            copy_insert(Post, result.posts)
        else:
            Post.objects.bulk_create(result.posts, batch_size=2000)
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    AuditAction.CREATE,
                    post,
                    {k: [None, v] for k, v in snapshot(post).items()},
                    note=note,
                    plain=True,
                )
                for post in result.posts
            ],
        )
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            object_type="posts.post",
            region_code=user_region_code(actor),
            object_repr=file_name[:200],
            note=_("%(n)s posts imported, %(bad)s rows left out.")
            % {"n": len(result.posts), "bad": len(result.error_rows)},
        )
    return result


@register_job("posts.import_check")
def run_import_check(job: Job, progress) -> dict:
    return post_import_check(
        actor=job.created_by, data=bytes(job.payload), progress=progress
    ).as_dict()


@register_job("posts.import_commit")
def run_import_commit(job: Job, progress) -> dict:
    with transaction.atomic():
        # Locked so that pressing "import" twice imports once.
        check = Job.objects.select_for_update().get(pk=job.params["check_job"])
        if check.status != JobStatus.DONE or check.result.get("committed_by") is not None:
            raise DomainError(_("This file has been imported or cancelled already."))
        result = post_import_commit(
            actor=job.created_by,
            data=bytes(check.payload),
            progress=progress,
            file_name=check.file_name,
        )
        check.result = check.result | {"committed_by": job.pk}
        check.payload = b""
        check.save(update_fields=["result", "payload"])
    return result.as_dict() | {"created": len(result.posts)}
