"""Attendance settings (docs/policy.md §7, §11), per county and effective-dated (``gongyi.policy``)."""

from django.utils.translation import gettext_lazy as _

from gongyi.policy import register_policy

#: The most hours one day may record. 劳动法 art. 36 sets an 8-hour working day; an hourly post
#: (非全日制, 劳动合同法 art. 68) averages at most 4 hours a day, so a single day past 8 is an error.
MAX_HOURS_PER_DAY = register_policy(
    "attendance.max_hours_per_day",
    8,
    _("Attendance: most hours recorded in one day"),
    _("Labour Law art. 36 (8-hour working day)"),
    maximum=12,
    minimum=1,
)

#: How long the month's notice hangs for objections (seed 003 §11: the month's attendance and
#: assessment are posted; the sources give no period, so the county sets it).
NOTICE_DAYS = register_policy(
    "attendance.notice_days",
    5,
    _("Attendance notice: days open for objections"),
    _("Shandong quality year plan item 11 (monthly attendance and assessment made public)"),
    maximum=30,
    minimum=1,
)

#: 请销假: the village committee approves leave of up to this many working days; longer leave
#: goes to the township, which may decide any leave; 0: the township decides all (seed 003 §11:
#: the township and the village keep leave records, with no split; *practice*: 3 days).
LEAVE_VILLAGE_MAX_DAYS = register_policy(
    "attendance.leave_village_max_days",
    3,
    _("Leave: most working days the village approves (0: the township approves all)"),
    _(
        "Shandong quality year plan item 11 (leave kept by the township and village, no split "
        "given); commonly 3 days"
    ),
    maximum=30,
    minimum=0,
)
