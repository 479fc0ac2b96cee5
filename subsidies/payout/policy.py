"""Payout settings (docs/policy.md §7, §11), per county and effective-dated (``gongyi.policy``)."""

from django.utils.translation import gettext_lazy as _

from gongyi.policy import register_policy

#: 1: a month's amount may go above the placement's standard (a grade factor above 1); 0 (the
#: default): never above it. The minimum wage is paid whatever this says: the law comes first.
ALLOW_ABOVE_STANDARD = register_policy(
    "payout.allow_above_standard",
    0,
    _("Payout: may a month's amount go above the subsidy standard (1 = yes, 0 = no)"),
    _("Taishan plan 2(4) (pay by post pay, attendance and performance; no figure): no by default"),
    maximum=1,
    minimum=0,
)
