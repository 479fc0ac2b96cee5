"""Exit and recovery settings (docs/policy.md §8, §11), per county and effective-dated."""

from django.utils.translation import gettext_lazy as _

from gongyi.policy import register_policy

#: 1: a debt may be offset against a later payout line of the same person; 0 (the default): no,
#: the person pays it back.
OFFSET_ALLOWED = register_policy(
    "exits.offset_allowed",
    0,
    _("Recovery: may a debt be offset against a later payout (1 = yes, 0 = no)"),
    _("Seed 003 §7 (recover the subsidy as the rules say; no offset named): no by default"),
    maximum=1,
    minimum=0,
)

#: Days absent without leave, in the placement's closed months of the year before the exit,
#: that a dismissal for absence needs (0: no check).
ABSENCE_DAYS = register_policy(
    "exits.absence_days",
    10,
    _("Dismissal for absence: days absent without leave in the year before (0 = no check)"),
    _("Seed 003 §16 (absence from work, no figure): ours, 10 days"),
    maximum=365,
    minimum=0,
)

#: Months graded 不合格 in the year before the exit that a dismissal for failed assessments
#: needs (0: no check).
FAILED_MONTHS = register_policy(
    "exits.failed_assessment_months",
    2,
    _("Dismissal for failed assessments: months graded fail in the year before (0 = no check)"),
    _("Seed 003 §11 (monthly assessment is the basis of pay, no figure): ours, 2 months"),
    maximum=12,
    minimum=0,
)
