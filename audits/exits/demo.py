"""The demo's exits and debts (``seed_demo``; docs/policy.md §8, "Exits and recovery"), after the
payout step has paid the months and the datasets step has made its findings.

Two people on posts who had left without telling the township are recorded as gone, through
``exit_record`` by their township's clerk, with the 14th of the month before their newest paid
month as the last day on the post: the days paid after it (that month pro rata, the next one
whole) become each a debt with its lines, and the lines not yet with the bank are stopped. The
first debt is partly repaid (one instalment with its receipt); for the second the township asks
the county to write it off. Run again, it adds nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.exits.enums import DebtState, ExitKind
from audits.exits.services import debt_transition, exit_record, repayment_record
from audits.models import Debt, Exit, ExpiryWarning, Finding
from audits.warnings.enums import WarningKind
from audits.warnings.services import warnings_refresh
from gongyi.demo import DemoStep, register_demo_step
from gongyi.enums import Role
from gongyi.models import Region, User
from people.models import Placement
from subsidies.payout.enums import MONTHLY_KINDS, LineStatus
from subsidies.payout.models import PayoutLine

#: The last day on the post: this day of the month before the newest paid month.
LAST_DAY = 14
REASONS = (
    "本人外出务工，未按规定报告，村委会核实已离岗",
    "本人随子女迁居外地，未办理退岗手续，村委会核实已离岗",
)
RECEIPT = "泰财非税-0000371"
WRITE_OFF_REASON = "本人重病住院，家庭无力偿还，经村委会、乡镇核实出具证明"


def demo_exit_placements(county: Region) -> list[tuple[Placement, dt.date]]:
    """Two open placements with at least two months paid and no other story in the demo (no
    subsidy period ending, no finding, no line held, failed or stopped), each with its last day; in two
    townships when there are."""
    area = county.code
    others = (
        set(
            ExpiryWarning.objects.filter(
                region_code__startswith=area, kind=WarningKind.SUBSIDY_END
            ).values_list("person_id", flat=True)
        )
        | set(
            Finding.objects.filter(region_code__startswith=area).values_list("person_id", flat=True)
        )
        | set(
            PayoutLine.objects.filter(
                region_code__startswith=area,
                status__in=(LineStatus.HELD, LineStatus.FAILED),
            ).values_list("person_id", flat=True)
        )
    )
    paid = (
        PayoutLine.objects.filter(
            region_code__startswith=area,
            status=LineStatus.PAID,
            batch__kind__in=MONTHLY_KINDS,
            placement__end_date__isnull=True,
        )
        .exclude(person_id__in=others)
        .values("placement_id")
        .annotate(n=Count("month", distinct=True))
        .filter(n__gte=2)
        .order_by("placement_id")
    )
    found: list[tuple[Placement, dt.date]] = []
    townships: set[str] = set()
    for placement in Placement.objects.filter(pk__in=paid.values("placement_id")).order_by("pk"):
        months = sorted(
            set(
                PayoutLine.objects.filter(
                    placement=placement, status=LineStatus.PAID, batch__kind__in=MONTHLY_KINDS
                ).values_list("month", flat=True)
            )
        )
        last_day = months[-2].replace(day=LAST_DAY)
        if placement.start_date > last_day - dt.timedelta(days=7):
            continue
        if placement.region_code[:9] in townships:
            continue
        found.append((placement, last_day))
        townships.add(placement.region_code[:9])
        if len(found) == len(REASONS):
            break
    return found


def seed_exits(*, county: Region, options: dict, stdout) -> None:
    # The exit of the finding the datasets' demo confirmed is not one of these.
    exits = Exit.objects.filter(region_code__startswith=county.code, kind=ExitKind.OWN_CHOICE)
    if not exits.exists():
        today = timezone.localdate()
        clerks = {
            u.region.code: u
            for u in User.objects.filter(
                role=Role.CLERK, region__code__startswith=county.code, is_active=True
            ).select_related("region")
        }
        with transaction.atomic():
            debts = []
            for (placement, last_day), reason in zip(
                demo_exit_placements(county), REASONS, strict=False
            ):
                clerk = clerks.get(placement.region_code[:9])
                if clerk is None:
                    continue
                exit_ = exit_record(
                    actor=clerk,
                    placement_id=placement.pk,
                    kind=ExitKind.OWN_CHOICE,
                    effective_date=last_day,
                    reason=reason,
                    decided_by=f"{clerk.region.name}人民政府",
                    decided_on=min(last_day + dt.timedelta(days=45), today),
                    today=today,
                )
                debt = Debt.objects.filter(exit=exit_).first()
                if debt is not None:
                    debts.append((clerk, debt))
            if debts:
                clerk, debt = debts[0]
                # One instalment: about a third of the debt, in whole yuan.
                instalment = max(debt.amount_fen // 3 // 100 * 100, 100)
                repayment_record(
                    actor=clerk,
                    debt_id=debt.pk,
                    paid_on=today - dt.timedelta(days=2),
                    amount_fen=min(instalment, debt.amount_fen),
                    receipt_number=RECEIPT,
                    note="首期退还，其余按约定分期",
                )
            if len(debts) > 1:
                clerk, debt = debts[1]
                debt_transition(
                    actor=clerk,
                    debt_id=debt.pk,
                    to=DebtState.WRITE_OFF_ASKED,
                    reason=WRITE_OFF_REASON,
                )
            # The places the exits freed, as the warnings list them from today.
            warnings_refresh(county_code=county.code, today=today)
    debts = Debt.objects.filter(region_code__startswith=county.code)
    stdout.write(
        _("Demo exits: %(exits)s exits in %(county)s, %(debts)s debts to recover.")
        % {"exits": exits.count(), "county": county.name, "debts": debts.count()}
    )


register_demo_step(DemoStep("exits", seed_exits))
