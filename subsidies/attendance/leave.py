"""Leave (请销假, docs/policy.md §7): a request with its dates and kind, decided by the village or
the township as the county's setting says, written into the month grid when approved, and 销假
(the person is back before the leave ends), which gives the days from the day of return back.

The village or the township records a request for a person on a post. Who decides it follows
``attendance.leave_village_max_days``: the village approves or refuses leave of up to that many
working days, the township any leave (0: the township decides all). An approved leave's kind is
the mark of each of its working days in the months already prepared, days still to come included
(a leave is planned ahead; the grid refuses only marks of days to come); a month prepared later
takes it from ``planning.month_prepare``. A leave whose days fall in a month no longer open is
refused: the township corrects a closed month (``services.adjustment_add``).

Every write locks the sheets of the leave's months first, in id order, as ``services.grid_save``
locks its sheet: a leave and a save or a closing of the same month never interleave.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyi.audit import Change, audit_record_many
from gongyi.enums import AuditAction, Role
from gongyi.errors import DomainError
from gongyi.policy import policy_value
from gongyi.roles import has_role, require_role
from gongyi.scoping import scope_queryset
from people.models import Placement
from subsidies.attendance import planning
from subsidies.attendance.enums import LIVE_LEAVE_STATES, AbsenceCategory, SheetState
from subsidies.attendance.enums import LeaveState as L
from subsidies.attendance.models import (
    AbsenceKind,
    AttendanceMonth,
    AttendanceSheet,
    LeaveRequest,
)
from subsidies.attendance.policy import LEAVE_VILLAGE_MAX_DAYS
from subsidies.attendance.roles import RECORD_ATTENDANCE
from subsidies.attendance.services import Marks
from subsidies.attendance.workdays import month_days

#: The longest leave one request may hold; a longer absence is recorded as more than one.
MAX_LEAVE_DAYS = 366

#: Who decides a leave: the township always, the village within the county's setting
#: (``leave_may_decide``).
DECIDES = "decides"

#: Every move of a leave (docs/policy.md §7): action → (from, to, the roles that make it).
#: 销假 ("return") leaves an approved leave approved and records the day the person came back.
LEAVE_TRANSITIONS: dict[str, tuple[str, str, frozenset | str]] = {
    "approve": (L.REQUESTED, L.APPROVED, DECIDES),
    "reject": (L.REQUESTED, L.REJECTED, DECIDES),
    "cancel": (L.REQUESTED, L.CANCELLED, RECORD_ATTENDANCE),
    "return": (L.APPROVED, L.APPROVED, RECORD_ATTENDANCE),
}
#: The moves' names, as the API takes them (one enum in the OpenAPI schema).
LEAVE_ACTIONS = tuple(LEAVE_TRANSITIONS)
ACTION_WORDS = {
    "approve": gettext_lazy("approved"),
    "reject": gettext_lazy("refused"),
    "cancel": gettext_lazy("withdrawn"),
    "return": gettext_lazy("closed: the person is back at work"),
}


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from ``first``'s to ``last``'s."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def leave_working_days(*, placement_id: int, starts_on: dt.date, ends_on: dt.date) -> int:
    """The placement's working days from ``starts_on`` to ``ends_on`` by its work arrangement and
    the county's calendar (``planning.PLAN_SQL``), one query a month."""
    count = 0
    for month in _months(starts_on, ends_on):
        plan = planning.plans_of(month=month, placement_ids=[placement_id]).get(placement_id, [])
        count += sum(
            1
            for day, hours in zip(month_days(month), plan, strict=False)
            if starts_on <= day <= ends_on and hours > 0
        )
    return count


def leave_village_limit(county_code: str, on: dt.date | None = None) -> int:
    """The most working days of leave the village approves in the county on ``on`` (today)."""
    return policy_value(county_code[:6], LEAVE_VILLAGE_MAX_DAYS, on or timezone.localdate())


def leave_may_decide(actor, leave: LeaveRequest, *, village_limit: int | None = None) -> bool:
    """Whether ``actor`` approves or refuses ``leave``: the township any leave, the village leave
    of up to ``attendance.leave_village_max_days`` working days, the setting in force on the day
    of the decision (``village_limit``: that setting, read once for a list)."""
    if has_role(actor, {Role.CLERK}):
        return True
    if not has_role(actor, {Role.VILLAGE}):
        return False
    if village_limit is None:
        village_limit = leave_village_limit(leave.region_code)
    return 0 < leave.working_days <= village_limit


def _decider_refusal(leave: LeaveRequest) -> str:
    most = leave_village_limit(leave.region_code)
    if most == 0:
        return _("In this county the township approves all leave.")
    return _(
        "Leave of %(n)s working days is decided by the township: the village approves up to "
        "%(most)s."
    ) % {"n": leave.working_days, "most": most}


def _overlapping(placement_id: int, starts_on: dt.date, ends_on: dt.date):
    """The placement's live leaves holding a day from ``starts_on`` to ``ends_on``."""
    return LeaveRequest.objects.filter(
        placement_id=placement_id, state__in=LIVE_LEAVE_STATES, starts_on__lte=ends_on
    ).filter(Q(returned_on__isnull=True, ends_on__gte=starts_on) | Q(returned_on__gt=starts_on))


def leave_request(
    *,
    actor,
    placement_id: int,
    kind_id: int,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str = "",
) -> LeaveRequest:
    """Record a leave request (请假) for a person on a post in the actor's area: a kind of leave of
    the county, within the placement's dates, with at least one working day, overlapping no other
    requested or approved leave of the placement."""
    require_role(actor, RECORD_ATTENDANCE)
    reason = (reason or "").strip()
    if ends_on < starts_on:
        raise DomainError(_("The last day of the leave comes before its first day."))
    if (ends_on - starts_on).days >= MAX_LEAVE_DAYS:
        raise DomainError(
            _("One request holds at most a year of leave: record the rest as another.")
        )
    with transaction.atomic():
        # Two requests for one person are made one after the other (the constraint would stop
        # the second anyway; this way it gets the message naming the first).
        placement = (
            scope_queryset(actor, Placement.objects.select_for_update(no_key=True, of=("self",)))
            .select_related("person")
            .filter(pk=placement_id)
            .first()
        )
        if placement is None:
            raise DomainError(_("Not found, or outside your area."))
        kind = (
            AbsenceKind.objects.filter(
                Q(county__isnull=True) | Q(county__code=placement.region_code[:6]),
                pk=kind_id,
                active=True,
            )
            .filter(category=AbsenceCategory.LEAVE)
            .first()
        )
        if kind is None:
            raise DomainError(_("Choose a kind of leave of the county."))
        if starts_on < placement.start_date or (
            placement.end_date is not None and ends_on > placement.end_date
        ):
            raise DomainError(
                _("%(name)s is on the post from %(start)s to %(end)s: the leave must lie within.")
                % {
                    "name": placement.person.name,
                    "start": placement.start_date,
                    "end": placement.end_date or _("now"),
                }
            )
        other = _overlapping(placement.pk, starts_on, ends_on).order_by("starts_on").first()
        if other is not None:
            raise DomainError(_overlap_message(placement.person.name, other))
        days = leave_working_days(placement_id=placement.pk, starts_on=starts_on, ends_on=ends_on)
        if days == 0:
            raise DomainError(
                _("%(name)s has no working day from %(start)s to %(end)s: no leave is needed.")
                % {"name": placement.person.name, "start": starts_on, "end": ends_on}
            )
        try:
            with transaction.atomic():
                leave = LeaveRequest.objects.create(
                    placement=placement,
                    region_code=placement.region_code,
                    kind=kind,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    working_days=min(days, 32767),
                    reason=reason[:300],
                    created_by=actor,
                )
        except IntegrityError:
            raise DomainError(
                _("%(name)s already has leave on some of these days.")
                % {"name": placement.person.name}
            ) from None
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    action=AuditAction.CREATE,
                    instance=leave,
                    object_repr=_leave_repr(leave, kind),
                    changes={
                        "kind": [None, kind.name],
                        "starts_on": [None, starts_on],
                        "ends_on": [None, ends_on],
                        "working_days": [None, days],
                    },
                    note=reason,
                )
            ],
        )
        return leave


def _overlap_message(name: str, other: LeaveRequest) -> str:
    return _(
        "%(name)s already has leave from %(start)s to %(end)s (%(state)s): a leave may not "
        "overlap another."
    ) % {
        "name": name,
        "start": other.starts_on,
        "end": other.last_day,
        "state": other.get_state_display(),
    }


def _leave_repr(leave: LeaveRequest, kind: AbsenceKind) -> str:
    return f"{leave.placement.person.name} {kind.name} {leave.starts_on}–{leave.ends_on}"


def leave_transition(
    *,
    actor,
    leave_id: int,
    action: str,
    note: str = "",
    returned_on: dt.date | None = None,
) -> LeaveRequest:
    """Move a leave by ``LEAVE_TRANSITIONS``: approve it (its kind written into every working day
    of it in the months prepared), refuse it (with a reason), withdraw a request, or 销假 (the
    days from ``returned_on`` on that still hold the leave go back to unmarked in open months).
    The leave row is locked: of two users deciding it at once, the second is told it is decided."""
    note = (note or "").strip()
    if action not in LEAVE_TRANSITIONS:
        raise DomainError(_("Unknown action."))
    source, to, roles = LEAVE_TRANSITIONS[action]
    with transaction.atomic():
        leave = (
            scope_queryset(actor, LeaveRequest.objects.select_for_update(of=("self",)))
            .select_related("placement__person", "kind")
            .filter(pk=leave_id)
            .first()
        )
        if leave is None:
            raise DomainError(_("Not found, or outside your area."))
        if leave.state != source:
            raise DomainError(
                _("This leave is %(state)s: it cannot be %(action)s.")
                % {"state": leave.get_state_display(), "action": ACTION_WORDS[action]}
            )
        if roles == DECIDES:
            if not has_role(actor, RECORD_ATTENDANCE):
                raise DomainError(_("Your role cannot decide leave."))
            if not leave_may_decide(actor, leave):
                raise DomainError(_decider_refusal(leave))
        elif not has_role(actor, roles):
            raise DomainError(
                _("Your role cannot make this leave %(action)s.") % {"action": ACTION_WORDS[action]}
            )
        changes: dict = {"state": [leave.state, to]}
        fields = ["state"]
        day_changes: list[Change] = []
        if action in ("approve", "reject"):
            if action == "reject" and not note:
                raise DomainError(_("Say why the leave is refused."))
            leave.decided_by, leave.decided_at = actor, timezone.now()
            leave.decision_note = note[:300]
            fields += ["decided_by", "decided_at", "decision_note"]
            if action == "approve":
                day_changes = _write_days(leave, leave.starts_on, leave.ends_on, give=True)
        elif action == "return":
            if leave.returned_on is not None:
                raise DomainError(
                    _("The return to work is recorded already: %(day)s.")
                    % {"day": leave.returned_on}
                )
            if returned_on is None or not leave.starts_on <= returned_on <= leave.ends_on:
                raise DomainError(
                    _(
                        "The day back at work is a day from the leave's first to its last "
                        "(%(start)s to %(end)s)."
                    )
                    % {"start": leave.starts_on, "end": leave.ends_on}
                )
            day_changes = _write_days(leave, returned_on, leave.ends_on, give=False)
            leave.returned_on = returned_on
            fields.append("returned_on")
            changes["returned_on"] = [None, returned_on]
        leave.state = to
        leave.save(update_fields=fields)
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    action=AuditAction.TRANSITION,
                    instance=leave,
                    object_repr=_leave_repr(leave, leave.kind),
                    changes=changes,
                    note=note,
                ),
                *day_changes,
            ],
        )
        return leave


def _write_days(leave: LeaveRequest, first: dt.date, last: dt.date, *, give: bool) -> list[Change]:
    """Mark the leave's kind on every working day from ``first`` to ``last`` of the placement's
    months prepared (``give``), or unmark the days there that still hold it; one audit change per
    changed row. Approving refuses a day in a month no longer open; giving days back leaves such
    a month as it is (its correction is the township's)."""
    months = _months(first, last)
    rows = AttendanceMonth.objects.filter(placement=leave.placement, month__in=months)
    # The sheets first, in id order: a save or a closing of the same month waits for the leave.
    sheets = {
        s.pk: s
        for s in AttendanceSheet.objects.select_for_update()
        .filter(
            Q(region_code=leave.region_code, month__in=months) | Q(pk__in=rows.values("sheet_id"))
        )
        .order_by("pk")
    }
    if give:
        for sheet in sorted(sheets.values(), key=lambda s: s.month):
            if sheet.state != SheetState.OPEN:
                raise DomainError(
                    _(
                        "%(month)s is %(state)s: its days cannot take this leave. Ask the "
                        "township for a correction of the month."
                    )
                    % {"month": f"{sheet.month:%Y-%m}", "state": sheet.get_state_display()}
                )
    marks = Marks(leave.region_code[:6])
    changed, changes = [], []
    for row in rows.order_by("month"):
        if sheets[row.sheet_id].state != SheetState.OPEN:
            continue
        days = {}
        for index, day in enumerate(month_days(row.month)):
            if not first <= day <= last or row.planned[index] <= 0:
                continue
            old = row.marks[index]
            new = leave.kind_id if give else None
            if old == new or (not give and old != leave.kind_id):
                continue
            old_hours = row.hours[index] if row.hourly else None
            days[day.isoformat()] = [marks.text(old, old_hours), marks.text(new)]
            row.marks[index] = new
            if row.hourly:
                row.hours[index] = None
        if days:
            changed.append(row)
            changes.append(
                Change(
                    action=AuditAction.UPDATE,
                    instance=row,
                    object_repr=f"{leave.placement.person.name} {row.month:%Y-%m}",
                    changes=days,
                    note=_("leave approved") if give else _("leave days given back: back at work"),
                )
            )
    if changed:
        AttendanceMonth.objects.bulk_update(changed, ["marks", "hours", "updated_at"])
    return changes


# --- reads -----------------------------------------------------------------------------------


def leave_list(user, *, month: dt.date, state: str = ""):
    """The leave in ``user``'s area holding a day of ``month`` (of one ``state`` if given), with
    the person, post and kind: one query."""
    first, last = month, month_days(month)[-1]
    rows = (
        scope_queryset(user, LeaveRequest.objects.filter(starts_on__lte=last, ends_on__gte=first))
        .select_related("placement__person", "placement__post", "kind", "decided_by")
        .order_by("starts_on", "placement__person__name", "pk")
    )
    if state in L.values:
        rows = rows.filter(state=state)
    return rows
