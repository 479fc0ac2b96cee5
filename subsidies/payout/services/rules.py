"""The county's grade rules (docs/policy.md §7): a grade's factor or fixed deduction from a date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongyi.audit import audit_created
from gongyi.enums import RegionLevel
from gongyi.errors import DomainError
from gongyi.roles import require_role
from subsidies.attendance.enums import Grade
from subsidies.payout.models import GradeRule
from subsidies.payout.roles import APPROVE_PAYOUTS


def grade_rule_create(
    *,
    actor,
    grade: str,
    effective_from: dt.date,
    factor: Decimal | None = None,
    deduction_fen: int | None = None,
    note: str = "",
) -> GradeRule:
    """The county's rule for ``grade`` from ``effective_from``: a factor (0 to 2) on the month's
    amount, or a fixed deduction in fen; the earlier rule stays for the months before."""
    require_role(actor, APPROVE_PAYOUTS)
    county = actor.region
    if county is None or county.level != RegionLevel.COUNTY:
        raise DomainError(_("Only the county sets grade rules."))
    if grade not in Grade.values:
        raise DomainError(_("Choose a grade."))
    if (factor is None) == (deduction_fen is None):
        raise DomainError(_("Give either a factor or a deduction, not both."))
    if factor is not None and not Decimal(0) <= factor <= Decimal(2):
        raise DomainError(_("The factor is between 0 and 2."))
    if deduction_fen is not None and deduction_fen < 0:
        raise DomainError(_("The deduction cannot be negative."))
    try:
        with transaction.atomic():
            rule = GradeRule.objects.create(
                county=county,
                grade=grade,
                effective_from=effective_from,
                factor=factor,
                deduction_fen=deduction_fen,
                note=note[:200],
                created_by=actor,
            )
            audit_created(actor=actor, instance=rule)
    except IntegrityError:
        raise DomainError(_("There is a rule for that grade and date already.")) from None
    return rule
