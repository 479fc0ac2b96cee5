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

#: 社会保险补贴 (docs/policy.md §7, "Insurance"): what a person on an urban post insured as a
#: flexible worker is refunded a year, in yuan (seed 001 §二(四): 2,000).
SOCIAL_INSURANCE_YEARLY = register_policy(
    "payout.social_insurance_yearly_yuan",
    2000,
    _("Social-insurance subsidy: yuan a year for a flexible worker on an urban post"),
    _("Taishan plan 2(4): 2,000 yuan a person a year, paid after the contributions"),
    maximum=100000,
    minimum=0,
)

#: 1 (the default): the subsidy is the year's amount × the months on the post in the year / 12;
#: 0: the whole year's amount whenever the person was on the post in the year. The plan says
#: "2,000 yuan a person a year" and nothing of part years.
SOCIAL_INSURANCE_PRO_RATA = register_policy(
    "payout.social_insurance_pro_rata",
    1,
    _(
        "Social-insurance subsidy: by the months on the post in the year (1 = yes, 0 = the "
        "whole year's amount)"
    ),
    _("Taishan plan 2(4) (a yearly amount; part years not mentioned): by the months by default"),
    maximum=1,
    minimum=0,
)

#: 意外伤害保险: the premium a year per person, in yuan. No source gives a figure: 100 is ours, a
#: placeholder each county replaces with its policy's premium (0: the year's accident insurance
#: is not made).
ACCIDENT_PREMIUM = register_policy(
    "payout.accident_premium_yuan",
    100,
    _("Accident insurance: premium a year per person, in yuan"),
    _(
        "Taishan plan 2(4) (accident insurance bought each year; no figure): 100 yuan by "
        "default, to be replaced with the county's policy premium"
    ),
    maximum=10000,
    minimum=0,
)

#: The month the year's accident insurance policy starts: its list of insured people is of
#: that month's first day; people who start later are added, those who leave are listed.
ACCIDENT_POLICY_MONTH = register_policy(
    "payout.accident_policy_month",
    1,
    _("Accident insurance: month the year's policy starts (1 to 12)"),
    _("Taishan plan 2(4) (bought each year; no date): January by default"),
    maximum=12,
    minimum=1,
)
