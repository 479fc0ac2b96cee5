"""The workflow's settings (docs/policy.md §6, §11), per county and effective-dated (``gongyi.policy``)."""

from django.utils.translation import gettext_lazy as _

from gongyi.policy import register_policy

#: Sources say 3 days, 5 working days, at least 7 days (docs/policy.md §6): 5 working days by default.
PUBLICITY_WORKING_DAYS = register_policy(
    "onboarding.publicity_working_days",
    5,
    _("Publicity period (working days)"),
    _("Shandong quality year plan item 6; counties use 3 days, 5 working days or at least 7 days"),
    maximum=30,
    minimum=1,
)
#: The departments of the joint re-review are five (seed 003 §5): how many opinions the county
#: waits for before it decides.
REQUIRED_OPINIONS = register_policy(
    "onboarding.required_opinions",
    5,
    _("Re-review: department opinions required"),
    _("Shandong quality year plan item 5 (five departments review jointly)"),
    maximum=5,
    minimum=1,
)
