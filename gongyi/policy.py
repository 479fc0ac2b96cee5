"""Policy settings: the rules that differ between sources or counties, as effective-dated data.

Each app registers its keys with a default and a label (``register_policy``); ``policy_value``
answers "what is this setting for this county on this day": the county's own row in force, else
a province-wide row (no county), else the registered default. docs/policy.md §11 lists them all:
where the sources disagree, the rule is a setting, not a constant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone


@dataclass(frozen=True)
class PolicyKey:
    key: str
    default: Any
    label: str
    # Where the default comes from, in words a county officer knows (the document and its item,
    # translated), as the settings page shows it; docs/policy.md §11 gives the same per key.
    source: str
    kind: type = int
    maximum: int | None = None  # the largest value a county may set


POLICY_KEYS: dict[str, PolicyKey] = {}


def register_policy(
    key: str, default: Any, label: str, source: str, kind: type = int, maximum: int | None = None
) -> str:
    POLICY_KEYS[key] = PolicyKey(key, default, label, source, kind, maximum)
    return key


def policy_values(county_code: str, keys: list[str], on: dt.date | None = None) -> dict[str, Any]:
    """The settings in force on ``on`` (today by default) for a county, in one query."""
    from gongyi.models import PolicySetting

    on = on or timezone.localdate()
    values = {key: POLICY_KEYS[key].default for key in keys}
    rows = (
        PolicySetting.objects.filter(key__in=keys, effective_from__lte=on)
        .filter(Q(county__code=county_code[:6]) | Q(county__isnull=True))
        .order_by("key", "county_id", "effective_from")  # nulls last: the county's own row wins
        .values_list("key", "county_id", "value")
    )
    seen_county: set[str] = set()
    for key, county_id, value in rows:
        if county_id is not None:
            values[key] = value
            seen_county.add(key)
        elif key not in seen_county:
            values[key] = value
    return values


def policy_value(county_code: str, key: str, on: dt.date | None = None) -> Any:
    return policy_values(county_code, [key], on)[key]


def policy_setting_set(*, actor, key: str, value: Any, effective_from: dt.date, note: str = ""):
    """The county's own value of a setting from ``effective_from`` on (county HR staff only)."""
    from django.db import transaction
    from django.utils.translation import gettext as _

    from gongyi.audit import audit_created, audit_updated, snapshot
    from gongyi.enums import RegionLevel, Role
    from gongyi.errors import DomainError
    from gongyi.models import PolicySetting
    from gongyi.roles import require_role

    require_role(actor, frozenset({Role.COUNTY}))
    if key not in POLICY_KEYS:
        raise DomainError(_("Unknown setting."))
    if actor.region.level != RegionLevel.COUNTY:
        raise DomainError(_("Settings belong to a county."))
    try:
        value = POLICY_KEYS[key].kind(value)
    except (TypeError, ValueError):
        raise DomainError(_("Enter a number.")) from None
    if isinstance(value, int | float) and value < 0:
        raise DomainError(_("The value cannot be negative."))
    maximum = POLICY_KEYS[key].maximum
    if maximum is not None and value > maximum:
        raise DomainError(_("The value can be at most %(max)s.") % {"max": maximum})
    with transaction.atomic():
        row = (
            PolicySetting.objects.select_for_update()
            .filter(county=actor.region, key=key, effective_from=effective_from)
            .first()
        )
        if row is None:
            row = PolicySetting.objects.create(
                county=actor.region, key=key, value=value, effective_from=effective_from, note=note
            )
            audit_created(actor=actor, instance=row)
        else:
            before = snapshot(row)
            row.value, row.note = value, note
            row.save(update_fields=["value", "note"])
            audit_updated(actor=actor, instance=row, before=before)
    return row
