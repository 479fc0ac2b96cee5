"""Policy settings: the rules that differ between sources or counties, as effective-dated data.

Each app registers its keys with a default and a label (``register_policy``); ``policy_value``
answers "what is this setting for this county on this day": the county's own row in force, else
a province-wide row (no county), else the registered default. docs/policy.md §11 lists them all:
where the sources disagree, the rule is a setting, not a constant.

Every key has a range (``minimum`` to ``maximum``, the rule's bounds). ``policy_setting_set`` is the
only writer and refuses a value outside it; the admin shows the rows read-only. A stored value
that is not a whole number in range (written past the service, straight into the database) is
never handed to the code: the reader logs a warning and uses the registered default, so that a
bad row cannot take a page down.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)


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
    minimum: int = 0  # the smallest

    def in_range(self, value: Any) -> bool:
        """Whether ``value`` may be in force: of the key's kind (a bool is not a number) and
        within its bounds."""
        if isinstance(value, bool) or not isinstance(value, self.kind):
            return False
        return self.minimum <= value and (self.maximum is None or value <= self.maximum)


POLICY_KEYS: dict[str, PolicyKey] = {}


def register_policy(
    key: str,
    default: Any,
    label: str,
    source: str,
    kind: type = int,
    maximum: int | None = None,
    minimum: int = 0,
) -> str:
    policy = PolicyKey(key, default, label, source, kind, maximum, minimum)
    if not policy.in_range(default):
        raise ValueError(f"the default of {key} is outside its range")
    POLICY_KEYS[key] = policy
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
    for key, value in values.items():
        policy = POLICY_KEYS[key]
        if not policy.in_range(value):
            logger.warning(
                "policy setting %s=%r for county %s is not valid; the default %r is used",
                key,
                value,
                county_code[:6],
                policy.default,
            )
            values[key] = policy.default
    return values


def policy_value(county_code: str, key: str, on: dt.date | None = None) -> Any:
    return policy_values(county_code, [key], on)[key]


def policy_setting_set(*, actor, key: str, value: Any, effective_from: dt.date, note: str = ""):
    """The county's own value of a setting from ``effective_from`` on (county HR staff only)."""
    from django.db import transaction
    from django.utils.translation import gettext as _

    from gongyi.audit import audit_created, audit_updated, snapshot
    from gongyi.enums import RegionLevel
    from gongyi.errors import DomainError
    from gongyi.models import PolicySetting
    from gongyi.roles import EDIT_SETTINGS, require_role

    require_role(actor, EDIT_SETTINGS)
    if key not in POLICY_KEYS:
        raise DomainError(_("Unknown setting."))
    if actor.region.level != RegionLevel.COUNTY:
        raise DomainError(_("Settings belong to a county."))
    policy = POLICY_KEYS[key]
    try:
        value = policy.kind(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(_("Enter a number.")) from None
    if value < 0:
        raise DomainError(_("The value cannot be negative."))
    if value < policy.minimum:
        raise DomainError(_("The value must be at least %(min)s.") % {"min": policy.minimum})
    if policy.maximum is not None and value > policy.maximum:
        raise DomainError(_("The value can be at most %(max)s.") % {"max": policy.maximum})
    if not policy.in_range(value):  # the same test as the readers', whatever the kind
        raise DomainError(_("Enter a number."))
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
