"""Minimum wages and subsidy standards (docs/policy.md §7): the row in force, and the county's new
rows."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongyi.audit import (
    audit_created,
)
from gongyi.errors import DomainError
from gongyi.roles import require_role
from posts.models import MinimumWage, SubsidyStandard
from posts.roles import MANAGE_CATALOGUE


def minimum_wage_in_force(county_code: str, on: dt.date) -> MinimumWage | None:
    """The newest row of the county's minimum wage table that is in force on ``on``."""
    return (
        MinimumWage.objects.filter(county__code=county_code[:6], effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def _standard_create(*, actor, model, unique: dict, **fields):
    require_role(actor, MANAGE_CATALOGUE)
    county = actor.region
    if model.objects.filter(county=county, **unique).exists():
        raise DomainError(_("There is a row for that date already; change the date."))
    try:
        with transaction.atomic():
            row = model.objects.create(county=county, **unique, **fields)
            audit_created(actor=actor, instance=row)
    except IntegrityError:  # the same row added at the same moment
        raise DomainError(_("There is a row for that date already; change the date.")) from None
    return row


def minimum_wage_create(*, actor, effective_from: dt.date, monthly, hourly, tier="", source=""):
    """Add a row to the county's minimum wage table, in force from ``effective_from``."""
    if monthly is None or hourly is None or monthly <= 0 or hourly <= 0:
        raise DomainError(_("Both minimums must be above zero."))
    return _standard_create(
        actor=actor,
        model=MinimumWage,
        unique={"effective_from": effective_from},
        monthly=monthly,
        hourly=hourly,
        tier=tier,
        source=source,
    )


def subsidy_standard_create(*, actor, area_kind: str, annual_amount, effective_from, source=""):
    """Add the yearly subsidy per post for urban or rural posts, from ``effective_from``."""
    if annual_amount is None or annual_amount <= 0:
        raise DomainError(_("The amount must be above zero."))

    return _standard_create(
        actor=actor,
        model=SubsidyStandard,
        unique={"effective_from": effective_from, "area_kind": area_kind},
        annual_amount=annual_amount,
        source=source,
    )
