"""The workflow's settings (RULES.md §6), per county and effective-dated (``gongyi.policy``)."""

from django.utils.translation import gettext_lazy as _

from gongyi.policy import register_policy

#: Sources say 3 days, 5 working days, at least 7 days (RULES.md §6): 5 working days by default.
PUBLICITY_WORKING_DAYS = register_policy(
    "onboarding.publicity_working_days",
    5,
    _("Publicity period (working days)"),
    "RULES.md §6 (sources: 3 days, 5 working days, ≥ 7 days)",
    maximum=30,
    minimum=1,
)
#: The departments of the joint re-review are five (seed 003 §5): how many opinions the county
#: waits for before it decides.
REQUIRED_OPINIONS = register_policy(
    "onboarding.required_opinions",
    5,
    _("Re-review: department opinions required"),
    "seed 003 §5 (公安, 民政, 农业农村, 市场监管, 残联)",
    maximum=5,
    minimum=1,
)
