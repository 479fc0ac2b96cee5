"""Settings of the cross-checks (docs/policy.md §8, §11), per county and effective-dated
(``gongyi.policy``)."""

from django.utils.translation import gettext_lazy as _

from gongyi.policy import register_policy

#: The pre-placement check (前置比对): contributions as an employee paid, or a business licence
#: not cancelled, in this many of the newest data's last months (its own month included) is a
#: hit. The sources name the check, not the months (seed 003 §7).
PREPLACEMENT_MONTHS = register_policy(
    "audits.preplacement_months",
    3,
    _(
        "Pre-placement check: months of the newest data in which employee contributions or an "
        "uncancelled business licence count as a hit"
    ),
    _("Shandong quality year plan item 7 (check people before placement; no figure)"),
    maximum=24,
    minimum=1,
)
