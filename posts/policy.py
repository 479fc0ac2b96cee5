"""The settings of the catalogue reviews (seed 003 §1.2–1.3; docs/policy.md §1, §11), per county."""

from django.utils.translation import gettext_lazy as _

from gongyi.policy import register_policy

PAY_DISPARITY_PERCENT = register_policy(
    "posts.pay_disparity_percent",
    20,
    _("Posts of one standard name: largest allowed pay difference (%)"),
    _("Shandong quality year plan item 2 (no figure given: this system's default)"),
    maximum=1000,
)
HOURS_DISPARITY_PERCENT = register_policy(
    "posts.hours_disparity_percent",
    25,
    _("Hourly posts of one standard name: largest allowed difference in hours (%)"),
    _("Shandong quality year plan item 2 (no figure given: this system's default)"),
    maximum=1000,
)
VACANT_DAYS = register_policy(
    "posts.vacant_days",
    90,
    _("A post with free places for longer than this many days is reviewed"),
    _("Shandong quality year plan item 3 (no figure given: this system's default)"),
    maximum=3650,
    minimum=1,
)
UNUSED_DAYS = register_policy(
    "posts.unused_days",
    60,
    _("A published post with nobody ever on it after this many days is reviewed"),
    _("Shandong quality year plan item 3 (no figure given: this system's default)"),
    maximum=3650,
    minimum=1,
)
#: The largest number of rows one import file may hold.
IMPORT_MAX_ROWS = register_policy(
    "posts.import_max_rows",
    20000,
    _("Most rows in one import file"),
    _("Set by this system: the size of one file"),
    maximum=100000,
    minimum=1,
)
HOURLY_MAX_HOURS = register_policy(
    "posts.hourly_max_hours",
    24,
    _("Hourly posts: most hours a week"),
    _("Labour Contract Law art. 68 (part-time work: at most 24 hours a week)"),
    maximum=40,
    minimum=1,
)
