"""工作安排: setting a post's working week, and planning its open months again (docs/policy.md §7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_record_many
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.policy import policy_value
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from posts.enums import WorkPattern
from posts.models import Post
from posts.policy import HOURLY_MAX_HOURS
from subsidies.attendance import planning
from subsidies.attendance.enums import SheetState
from subsidies.attendance.models import AttendanceMonth, WorkArrangement
from subsidies.attendance.policy import MAX_HOURS_PER_DAY
from subsidies.attendance.roles import ARRANGE_WORK


def arrangement_set(
    *,
    actor,
    post_id: int,
    effective_from: dt.date,
    weekdays: list[int],
    hours: Decimal | None,
    note: str = "",
) -> WorkArrangement:
    """工作安排: a post's working days and hours from ``effective_from`` on (docs/policy.md §7):
    ``hours`` are a day's for a full-time post, a week's for an hourly one. The open months of the
    post's placements from that month on are planned again; a month already submitted or closed
    is not, so the date must come after them, and a marked day may not turn into a rest day."""
    require_role(actor, ARRANGE_WORK)
    weekdays = sorted(set(weekdays))
    if not weekdays or not set(weekdays) <= set(range(1, 8)):
        raise DomainError(_("Choose the working days of the week."))
    with transaction.atomic():
        # Locked: two arrangements of one post from the same day cannot both be checked first.
        post = scope_queryset(actor, Post.objects.select_for_update()).filter(pk=post_id).first()
        if post is None:
            raise DomainError(_("Not found, or outside your area."))
        max_hours = policy_value(post.region_code[:6], MAX_HOURS_PER_DAY, effective_from)
        if post.work_pattern == WorkPattern.HOURLY:
            # Part-time work: at most 24 hours a week by default (劳动合同法 art. 68).
            week_max = min(
                policy_value(post.region_code[:6], HOURLY_MAX_HOURS, effective_from),
                max_hours * len(weekdays),
            )
            if hours is None or not 0 < hours <= week_max:
                raise DomainError(
                    _("An hourly post gives its hours a week: more than 0, at most %(max)s.")
                    % {"max": week_max}
                )
            hours_per_day, hours_per_week = None, hours
        else:
            if hours is None or not 0 < hours <= max_hours:
                raise DomainError(
                    _("A full-time post gives its hours a day: more than 0, at most %(max)s.")
                    % {"max": max_hours}
                )
            hours_per_day, hours_per_week = hours, None
        month = effective_from.replace(day=1)
        rows = AttendanceMonth.objects.filter(
            placement__post=post, month__gte=month
        ).select_related("sheet")
        if any(r.sheet.state != SheetState.OPEN for r in rows):
            raise DomainError(
                _("A month from that date on is already submitted or closed: choose a later date.")
            )
        arrangement, _created = WorkArrangement.objects.update_or_create(
            post=post,
            effective_from=effective_from,
            defaults={
                "region_code": post.region_code,
                "weekdays": weekdays,
                "hours_per_day": hours_per_day,
                "hours_per_week": hours_per_week,
                "note": note.strip()[:200],
                "created_by": actor,
            },
        )
        replanned = _replan(list(rows))
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    action=AuditAction.UPDATE,
                    instance=arrangement,
                    changes={
                        "weekdays": [None, weekdays],
                        "hours_per_day": [None, hours_per_day],
                        "hours_per_week": [None, hours_per_week],
                    },
                    note=_("%(n)s open months planned again") % {"n": replanned},
                )
            ],
        )
        return arrangement


def _replan(rows: list[AttendanceMonth]) -> int:
    """Plan ``rows`` again from the arrangements now in force (``planning.plans_of``); refuse if
    a marked day would become a rest day."""
    by_month: dict[dt.date, list[AttendanceMonth]] = {}
    for row in rows:
        by_month.setdefault(row.month, []).append(row)
    changed = []
    for month, month_rows in by_month.items():
        plans = planning.month_plans_of(
            month=month, placement_ids=[r.placement_id for r in month_rows]
        )
        for row in month_rows:
            plan, full_days, full_hours = plans[row.placement_id]
            lost = [
                i + 1
                for i, (p, m) in enumerate(zip(plan, row.marks, strict=True))
                if p <= 0 and m is not None
            ]
            if lost:
                raise DomainError(
                    _(
                        "Days already marked would become rest days (%(month)s: %(days)s): "
                        "clear them first or choose another date."
                    )
                    % {"month": f"{month:%Y-%m}", "days": "、".join(map(str, lost[:10]))}
                )
            if (plan, full_days, full_hours) != (row.planned, row.full_days, row.full_hours):
                row.planned, row.full_days, row.full_hours = plan, full_days, full_hours
                changed.append(row)
    AttendanceMonth.objects.bulk_update(
        changed, ["planned", "full_days", "full_hours", "updated_at"]
    )
    return len(changed)
