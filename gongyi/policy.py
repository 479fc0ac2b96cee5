"""Policy settings: the rules that differ between sources or counties, as effective-dated data.

Each app registers its keys with a default and a label (``register_policy``); ``policy_value``
answers "what is this setting for this county on this day": the county's own row in force, else
a province-wide row (no county), else the registered default. RULES.md's preamble asks for this.
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
    source: str  # where the default comes from (a seed or RULES.md section)
    kind: type = int


POLICY_KEYS: dict[str, PolicyKey] = {}


def register_policy(key: str, default: Any, label: str, source: str, kind: type = int) -> str:
    POLICY_KEYS[key] = PolicyKey(key, default, label, source, kind)
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
