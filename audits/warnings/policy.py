"""Warning settings (docs/policy.md §8, §11), per county and effective-dated (``gongyi.policy``)."""

from django.utils.translation import gettext_lazy as _

from gongyi.policy import register_policy

#: Days ahead a subsidy period's end, a statutory retirement date or a rural post's age limit
#: is listed (seed 003 §12: tell in advance those whose subsidy period is about to end).
WARNING_DAYS = register_policy(
    "audits.warning_days",
    60,
    _("Warnings: days ahead that a subsidy period, working life or age limit is listed"),
    _(
        "Shandong quality year plan item 12 (tell in advance those whose subsidy period is "
        "about to end; no figure)"
    ),
    maximum=365,
    minimum=1,
)
