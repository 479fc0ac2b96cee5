"""Settings of the cross-checks (docs/policy.md §8, §11), per county and effective-dated."""

from django.utils.translation import gettext_lazy as _

from gongyi.policy import register_policy

#: 1 (the default): while a finding is open (new or under investigation) the person's payout
#: lines not yet with the bank are held; 0: the payout goes on until the finding is confirmed.
HOLD_ON_FINDING = register_policy(
    "audits.hold_on_finding",
    1,
    _("Cross-checks: hold the person's payout while a finding is open (1 = yes, 0 = no)"),
    _(
        "Seed 003 §7 (dismiss in time what the cross-check finds, recover the subsidy): ours, "
        "hold by default so that less is paid that must be recovered"
    ),
    maximum=1,
    minimum=0,
)

#: Months in a row without attendance (no closed month with a day present or an hour worked)
#: after which an open placement is a finding of its own (0: no check).
NO_ATTENDANCE_MONTHS = register_policy(
    "audits.no_attendance_months",
    3,
    _("Cross-checks: months without attendance that make a finding (0 = no check)"),
    _("Seed 003 §16 (no attendance kept, absence from work; no figure): ours, 3 months"),
    maximum=24,
    minimum=0,
)

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
