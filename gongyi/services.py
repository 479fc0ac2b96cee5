"""Writes of the core: the region tree and user accounts. Each runs in one transaction."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_created, audit_record_many, snapshot
from gongyi.enums import (
    CODE_LENGTH,
    LEVEL_OF_LENGTH,
    PARENT_LEVEL,
    ROLE_LEVEL,
    AuditAction,
    Department,
    RegionKind,
    RegionLevel,
    Role,
)
from gongyi.errors import CellError, DomainError
from gongyi.models import Region, User

REGION_CSV_HEADER = ["code", "name", "parent_code"]


def region_kind_for_code(code: str) -> RegionKind | None:
    """The kind that an official code implies (docs/policy.md §10), or None if the code allows none.

    Township digits 7–9: 001–099 street, 100–199 town, 200–399 township, 400–599 other
    township-level units (development zones and the like). Village digits 10–12 (statistics
    codes): 001–199 community (居委会), 200–399 village (村委会).
    """
    level = LEVEL_OF_LENGTH.get(len(code))
    if level == RegionLevel.COUNTY:
        return RegionKind.COUNTY
    if level == RegionLevel.TOWNSHIP:
        n = int(code[6:9])
        for upper, kind in (
            (99, RegionKind.STREET),
            (199, RegionKind.TOWN),
            (399, RegionKind.TOWNSHIP),
            (599, RegionKind.TOWNSHIP_OTHER),
        ):
            if 1 <= n <= upper:
                return kind
        return None
    if level == RegionLevel.VILLAGE:
        n = int(code[9:12])
        if 1 <= n <= 199:
            return RegionKind.COMMUNITY
        if 200 <= n <= 399:
            return RegionKind.VILLAGE
    return None


@dataclass
class RegionImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    codes: list[str] = field(default_factory=list)


def _decode(data: bytes) -> str:
    # Excel in a Chinese locale saves CSV as GB18030 (GBK); elsewhere UTF-8, often with a BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(_("The file is neither UTF-8 nor GBK text; save it as CSV and try again."))


def _parse_region_rows(text: str, existing: dict[str, Region]) -> tuple[list, list[CellError]]:
    errors: list[CellError] = []
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if header != REGION_CSV_HEADER:
        raise DomainError(
            _("The first row must be the header %(expected)s; found %(found)s.")
            % {"expected": ",".join(REGION_CSV_HEADER), "found": ",".join(header) or _("nothing")}
        )
    rows, seen = [], {}
    for number, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != 3:
            errors.append(
                CellError(number, "-", _("expected 3 columns, found %(n)s") % {"n": len(raw)})
            )
            continue
        code, name, parent_code = (cell.strip() for cell in raw)
        level = LEVEL_OF_LENGTH.get(len(code))
        if not code.isdigit() or not code.isascii() or level is None:
            errors.append(
                CellError(number, "code", _("a code has 6, 9 or 12 digits; “%s” does not") % code)
            )
            continue
        if code in seen:
            errors.append(
                CellError(
                    number,
                    "code",
                    _("code %(code)s already appears in row %(row)s")
                    % {"code": code, "row": seen[code]},
                )
            )
            continue
        seen[code] = number
        kind = region_kind_for_code(code)
        if kind is None:
            errors.append(
                CellError(
                    number, "code", _("code %s is not a valid township or village code") % code
                )
            )
        if not name:
            errors.append(CellError(number, "name", _("the name is empty")))
        elif len(name) > 100:
            errors.append(CellError(number, "name", _("the name is longer than 100 characters")))
        if level == RegionLevel.COUNTY:
            if parent_code:
                errors.append(
                    CellError(number, "parent_code", _("a county has no parent in this tree"))
                )
        else:
            expected = code[: CODE_LENGTH[PARENT_LEVEL[level]]]
            if parent_code != expected:
                errors.append(
                    CellError(
                        number,
                        "parent_code",
                        _("the parent of %(code)s must be %(expected)s, found “%(found)s”")
                        % {"code": code, "expected": expected, "found": parent_code},
                    )
                )
        rows.append((number, code, name, level, kind, parent_code))
    known = set(seen) | set(existing)
    for number, _code, _name, level, _kind, parent_code in rows:
        if level != RegionLevel.COUNTY and parent_code and parent_code not in known:
            errors.append(
                CellError(
                    number,
                    "parent_code",
                    _("parent %s is neither in the file nor in the system") % parent_code,
                )
            )
    return rows, errors


def region_import_csv(*, actor, data: bytes) -> RegionImportResult:
    """Create or rename regions from a ``code,name,parent_code`` CSV, all rows or none.

    Re-running the same file changes nothing. Raises DomainError listing every bad cell.
    """
    text = _decode(data)
    with transaction.atomic():
        codes = {
            row[0].strip()
            for row in csv.reader(io.StringIO(text))
            if row and row[0].strip().isdigit()
        }
        prefixes = {c[:n] for c in codes for n in (6, 9) if len(c) > n}
        existing = {r.code: r for r in Region.objects.filter(code__in=codes | prefixes)}
        rows, errors = _parse_region_rows(text, existing)
        if errors:
            raise DomainError(
                _("The file has %(n)s problems; nothing was imported.") % {"n": len(errors)},
                errors=sorted(errors, key=lambda e: e.row),
            )
        result, changes = RegionImportResult(), []
        to_update = []
        for level in (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
            new = []
            for _number, code, name, row_level, kind, parent_code in rows:
                if row_level != level:
                    continue
                result.codes.append(code)
                region = existing.get(code)
                if region is None:
                    parent = existing.get(parent_code) if parent_code else None
                    new.append(Region(code=code, name=name, level=level, kind=kind, parent=parent))
                elif region.name != name:
                    changes.append(
                        Change(
                            AuditAction.UPDATE,
                            region,
                            {"name": [region.name, name]},
                            note=_("region import"),
                        )
                    )
                    region.name = name
                    to_update.append(region)
                else:
                    result.unchanged += 1
            for region in Region.objects.bulk_create(new):
                existing[region.code] = region
                after = snapshot(region)
                changes.append(
                    Change(
                        AuditAction.CREATE,
                        region,
                        {k: [None, v] for k, v in after.items()},
                        note=_("region import"),
                    )
                )
            result.created += len(new)
        Region.objects.bulk_update(to_update, ["name"])
        result.updated = len(to_update)
        audit_record_many(actor=actor, changes=changes)
    return result


def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    region: Region,
    department: str = "",
    name: str = "",
    check_password: bool = True,
) -> User:
    """Create a login for one role in one region. The region's level must fit the role."""
    if ROLE_LEVEL[Role(role)] != region.level:
        raise DomainError(
            _("A %(role)s account belongs to a %(level)s, not to %(region)s.")
            % {
                "role": Role(role).label,
                "level": RegionLevel(ROLE_LEVEL[Role(role)]).label,
                "region": region,
            }
        )
    if (role == Role.REVIEWER) != bool(department) or (
        department and department not in Department.values
    ):
        raise DomainError(_("A department is required for reviewers, and only for them."))
    if User.objects.filter(username=username).exists():
        raise DomainError(_("The user name %s is taken.") % username)
    user = User(
        username=username,
        role=role,
        region=region,
        department=department,
        name=name,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages)) from exc
    user.set_password(password)
    with transaction.atomic():
        user.save()
        audit_created(actor=actor, instance=user)
    return user
