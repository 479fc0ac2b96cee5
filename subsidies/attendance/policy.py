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

# The monthly assessment (月度考核, docs/policy.md §7). The sources name the kinds of points (seed
# 000: 正向积分、负面扣分、奖励赋分) and the grades' idea but no figures: a 100-point scale (百分制),
# the scale the usual grade thresholds are of, is this system's default.

#: The score a month starts from, before its points are added and taken off.
BASE_SCORE = register_policy(
    "attendance.base_score",
    100,
    _("Monthly assessment: score before points (100-point scale)"),
    _("Zaozhuang work bulletin 2022 no. 9, Xuecheng (points, deductions, awards; no figure)"),
    maximum=1000,
)
#: The most a month may score: points and awards make up for deductions, but full marks stay the
#: scale's top, so that grades mean the same in every village. The points themselves are kept for
#: the quarterly and yearly evaluation (季考核、年总评).
MAX_SCORE = register_policy(
    "attendance.max_score",
    100,
    _("Monthly assessment: highest score"),
    _("This system's default: full marks of the 100-point scale"),
    maximum=1000,
    minimum=1,
)
GRADE_EXCELLENT = register_policy(
    "attendance.grade_excellent",
    90,
    _("Monthly assessment: lowest score graded excellent"),
    _("This system's default (the sources give no figure)"),
    maximum=1000,
)
GRADE_PASS = register_policy(
    "attendance.grade_pass",
    70,
    _("Monthly assessment: lowest score graded pass"),
    _("This system's default (the sources give no figure)"),
    maximum=1000,
)
GRADE_BASIC = register_policy(
    "attendance.grade_basic",
    60,
    _("Monthly assessment: lowest score graded basic pass (below it: fail)"),
    _("This system's default (the sources give no figure)"),
    maximum=1000,
)
#: Who scores the month: 1, the unit that keeps the attendance (the village committee, or the
#: township for the posts it uses itself), before it submits the month (seed 003 §11); 2, the
#: township, after the month is submitted and before it closes (seed 004: 用人单位做好工作记录，
#: 民政部门做好月度考核).
ASSESSOR = register_policy(
    "attendance.assessor",
    1,
    _("Monthly assessment: who scores (1 = the village or the using unit, 2 = the township)"),
    _("Shandong quality year plan item 11; Zhangzhou case (civil affairs assess monthly)"),
    maximum=2,
    minimum=1,
)
ASSESSOR_UNIT, ASSESSOR_TOWNSHIP = 1, 2
