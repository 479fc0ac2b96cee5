"""Importing posts from Excel: check the whole file first, then import the good rows or nothing.

Set-based: the lookups (standard names, townships and villages of the area, the minimum wage in
force, posts already there) are read once per file, every row is checked in memory, and the good
rows go in with ``bulk_create`` and one audit append, in one transaction. django-import-export's
default import (``posts.resources.PostResource``) runs several queries per row; bench
``posts_import`` measures both on the same file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_record, audit_record_many, snapshot
from gongyi.db import copy_insert
from gongyi.enums import AuditAction, RegionLevel
from gongyi.errors import CellError, DomainError
from gongyi.importing import MAX_FILE_BYTES as MAX_FILE_BYTES  # re-exported for the views
from gongyi.importing import CheckResult as BaseCheckResult
from gongyi.importing import (
    Column,
    _decimal,
    _int,
    _text,
    checked_text,
    header_map,
    import_commit_once,
    multiline_keys,
)
from gongyi.importing import read_rows as read_rows  # re-exported for the benchmark
from gongyi.jobs import register_job
from gongyi.models import Job, Region
from gongyi.policy import policy_value
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset, user_region_code
from posts.models import Post, PostType
from posts.policy import IMPORT_MAX_ROWS
from posts.resources import IMPORT_STATUSES, POST_COLUMNS
from posts.roles import IMPORT_POSTS
from posts.services import _normalise, no_minimum_wage_message, pay_rules, post_errors

#: The text columns that may hold several lines (duties, requirements).
MULTILINE = multiline_keys(Post, POST_COLUMNS)


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
class CheckResult(BaseCheckResult):
    @property
    def posts(self) -> list[Post]:
        return self.good


def _cell(column: Column, raw, lookups: Lookups, row: dict[str, Any]) -> Any:
    """The value of one cell, or ValueError with the message for the user."""
    text = _text(raw)
    if not text:
        if column.required:
            raise ValueError(_("This cell is required."))
        return None
    if column.kind == "text":
        return checked_text(text, multiline=column.key in MULTILINE)
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
    positions = header_map(header, POST_COLUMNS)
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
        result.good.append(post)
    if result.rows == 0:
        raise DomainError(_("The file has no rows of posts below its header."))
    return result


def post_import_commit(*, actor, data: bytes, progress=None, file_name: str = "") -> CheckResult:
    """Check the file again (the catalogue may have changed) and import the good rows, all in one
    transaction with one audit append; the bad rows are left out and reported."""
    result = post_import_check(actor=actor, data=data, progress=progress)
    note = _("import")
    with transaction.atomic():
        copy_insert(Post, result.posts)
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
    result, _check = import_commit_once(job, post_import_commit, progress=progress)
    return result.as_dict() | {"created": len(result.posts)}
