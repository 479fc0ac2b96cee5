"""The month's transitions (docs/policy.md §7): submit, return and close, with the totals frozen at
closing; preparing a month for an area; corrections of a closed month."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyi.audit import Change, audit_record_many
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.policy import policy_value
from gongyi.roles import has_role, require_role
from gongyi.scoping import scope_queryset, user_region_code
from subsidies.attendance import planning
from subsidies.attendance.enums import AbsenceCategory, SheetState
from subsidies.attendance.models import (
    AbsenceKind,
    AttendanceAdjustment,
    AttendanceMonth,
    AttendanceSheet,
)
from subsidies.attendance.policy import MAX_HOURS_PER_DAY
from subsidies.attendance.roles import CLOSE_MONTHS, RECORD_ATTENDANCE
from subsidies.attendance.services.cells import Marks, _check_day, _lock_sheet


def freeze_totals(sheet_ids: list[int]) -> int:
    """The statement behind closing, for any number of sheets (``CLOSE_SQL``): every row's totals
    computed from its days and written once. Returns the number of rows."""
    codes = set(
        AttendanceSheet.objects.filter(pk__in=sheet_ids).values_list("region_code", flat=True)
    )
    # Every kind a mark of these sheets can hold: the shared ones and their counties' own, used
    # or retired (a retired kind's days still count).
    kinds = list(
        AbsenceKind.objects.filter(
            Q(county__isnull=True) | Q(county__code__in={c[:6] for c in codes})
        ).order_by("pk")
    )
    paid = [k.pk for k in kinds if k.paid]
    with connection.cursor() as cursor:
        cursor.execute(_close_sql(kinds), {"sheets": list(sheet_ids), "paid": paid})
        return cursor.fetchone()[0]


# --- the month's transitions -----------------------------------------------------------------

S = SheetState
#: Every move of a unit's month, with the roles that make it (docs/policy.md §7): the village
#: submits, the township returns it for correction or closes it.
SHEET_TRANSITIONS: dict[tuple[str, str], frozenset] = {
    (S.OPEN, S.SUBMITTED): RECORD_ATTENDANCE,
    (S.SUBMITTED, S.OPEN): CLOSE_MONTHS,
    (S.SUBMITTED, S.CLOSED): CLOSE_MONTHS,
}


def sheet_transition(*, actor, sheet_id: int, to: str, reason: str = "") -> AttendanceSheet:
    """Move a unit's month to ``to`` by ``SHEET_TRANSITIONS``: submitting needs every working day
    up to the month's end marked; returning needs a reason; closing computes and freezes every
    row's totals (``CLOSE_SQL``). Submitting (when the unit scores) and closing need everyone
    scored (``assessment.assessment_required``). The sheet row is locked: of two users closing the same month at
    once, the second is told it is closed already."""
    reason = (reason or "").strip()
    with transaction.atomic():
        sheet = _lock_sheet(actor, sheet_id)
        roles = SHEET_TRANSITIONS.get((sheet.state, to))
        if roles is None:
            raise DomainError(
                _("This month is %(state)s: it cannot be %(to)s.")
                % {"state": sheet.get_state_display(), "to": TO_WORDS.get(to, to)}
            )
        if not has_role(actor, roles):
            raise DomainError(
                _("Your role cannot make this month %(to)s.") % {"to": TO_WORDS.get(to, to)}
            )
        now = timezone.now()
        before = sheet.state
        fields = ["state"]
        if to == S.SUBMITTED:
            missing = _unmarked(sheet)
            if missing:
                raise DomainError(
                    _("%(n)s working days are not marked yet (%(who)s): mark them first.")
                    % {"n": sum(missing.values()), "who": "、".join(list(missing)[:5])}
                )
            sheet.submitted_at, sheet.submitted_by = now, actor
            sheet.returned_reason = ""
            fields += ["submitted_at", "submitted_by", "returned_reason"]
        elif to == S.OPEN:
            if not reason:
                raise DomainError(_("Say why the month is returned."))
            sheet.returned_reason = reason[:300]
            fields.append("returned_reason")
        elif to == S.CLOSED:
            if sheet.submitted_by_id == actor.pk:
                raise DomainError(_("The month is closed by someone other than who submitted it."))
            freeze_totals([sheet.pk])
            sheet.closed_at, sheet.closed_by = now, actor
            fields += ["closed_at", "closed_by"]
        # Nobody unscored past the assessor's stage (imported here: the assessment builds on
        # this module).
        from subsidies.attendance.assessment import assessment_required

        assessment_required(sheet, to)
        sheet.state = to
        sheet.save(update_fields=fields)
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    action=AuditAction.TRANSITION,
                    instance=sheet,
                    changes={"state": [before, to]},
                    note=reason,
                )
            ],
        )
        return sheet


#: The moves in words, for the messages (lazy: read in the language of each request).
TO_WORDS = {
    S.SUBMITTED: gettext_lazy("submitted"),
    S.OPEN: gettext_lazy("returned"),
    S.CLOSED: gettext_lazy("closed"),
}


def _unmarked(sheet: AttendanceSheet) -> dict[str, int]:
    """Name → unmarked working days, of the sheet's rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT person.name, count(*)
            FROM attendance_attendancemonth m
            JOIN people_placement p ON p.id = m.placement_id
            JOIN people_person person ON person.id = p.person_id
            CROSS JOIN LATERAL unnest(m.planned, m.marks) AS x(planned, mark)
            WHERE m.sheet_id = %s AND x.planned > 0 AND x.mark IS NULL
            GROUP BY person.name ORDER BY person.name
            """,
            [sheet.pk],
        )
        return dict(cursor.fetchall())


# The month's totals of every row of a sheet, frozen at closing (docs/policy.md §7), in one
# statement of two disjoint parts. Required days and hours are counted once per distinct plan.
# A full-time row present on every working day (most rows) takes its plan's figures: no leave,
# no absence, the planned hours worked. Every other row is counted day by day: present days and
# hours count the marks ``PRESENT``, leave and absence go by their kind's category and pay, one
# term per kind of absence.
CLOSE_SQL = """
WITH plans AS MATERIALIZED (
    SELECT t.planned,
           (SELECT count(*) FROM unnest(t.planned) AS x(p) WHERE x.p > 0) AS required_days,
           (SELECT coalesce(sum(x.p), 0) FROM unnest(t.planned) AS x(p)) AS required_hours
    FROM (SELECT DISTINCT planned FROM attendance_attendancemonth
          WHERE sheet_id = ANY(%(sheets)s)) AS t
),
present AS (
    UPDATE attendance_attendancemonth m SET
        required_days = p.required_days,
        present_days = p.required_days,
        paid_leave_days = 0,
        unpaid_leave_days = 0,
        absent_days = 0,
        required_hours = p.required_hours,
        worked_hours = p.required_hours,
        paid_leave_hours = 0,
        days_by_kind = '{{}}'::jsonb,
        closed_at = now(),
        updated_at = now()
    FROM plans p
    WHERE m.sheet_id = ANY(%(sheets)s) AND m.planned = p.planned AND NOT m.hourly
      AND cardinality(array_positions(m.marks, 0)) = p.required_days
    RETURNING 1
),
counted AS (
    UPDATE attendance_attendancemonth m SET
        required_days = p.required_days,
        present_days = cardinality(array_positions(m.marks, 0)),
        paid_leave_days = {paid_leave},
        unpaid_leave_days = {unpaid_leave},
        absent_days = {absent},
        required_hours = p.required_hours,
        worked_hours = h.worked_hours,
        paid_leave_hours = h.paid_leave_hours,
        days_by_kind = {by_kind},
        closed_at = now(),
        updated_at = now()
    FROM attendance_attendancemonth r
    JOIN plans p ON p.planned = r.planned
    CROSS JOIN LATERAL (
        SELECT coalesce(sum(coalesce(x.h, x.p)) FILTER (WHERE x.k = 0), 0) AS worked_hours,
               coalesce(sum(x.p) FILTER (WHERE x.k = ANY(%(paid)s)), 0) AS paid_leave_hours
        FROM unnest(r.planned, r.marks, r.hours) AS x(p, k, h)
    ) AS h
    WHERE m.id = r.id AND r.sheet_id = ANY(%(sheets)s)
      AND (r.hourly OR cardinality(array_positions(r.marks, 0)) <> p.required_days)
    RETURNING 1
)
SELECT (SELECT count(*) FROM present) + (SELECT count(*) FROM counted)
"""


def _days_of(kinds) -> str:
    """The SQL sum of the days marked with any of ``kinds`` (0 for none)."""
    terms = [f"cardinality(array_positions(m.marks, {int(k.pk)}))" for k in kinds]
    return " + ".join(terms) or "0"


def _close_sql(kinds: list[AbsenceKind]) -> str:
    pairs = [
        f"'{int(k.pk)}', nullif(cardinality(array_positions(m.marks, {int(k.pk)})), 0)"
        for k in kinds
    ]
    # jsonb_build_object takes at most 100 arguments: 50 kinds a call, joined.
    objects = [
        f"jsonb_build_object({', '.join(pairs[i : i + 50])})" for i in range(0, len(pairs), 50)
    ]
    return CLOSE_SQL.format(
        paid_leave=_days_of(k for k in kinds if k.category == AbsenceCategory.LEAVE and k.paid),
        unpaid_leave=_days_of(
            k for k in kinds if k.category == AbsenceCategory.LEAVE and not k.paid
        ),
        absent=_days_of(k for k in kinds if k.category == AbsenceCategory.ABSENCE),
        by_kind=f"jsonb_strip_nulls({' || '.join(objects)})" if objects else "'{}'::jsonb",
    )


# --- preparing a month -----------------------------------------------------------------------


def month_prepare_for(*, actor, month: dt.date) -> int:
    """更新名单: make the month's rows for the placements in the actor's area (``planning``)."""
    require_role(actor, RECORD_ATTENDANCE | CLOSE_MONTHS)
    return planning.month_prepare(month=month.replace(day=1), region_code=user_region_code(actor))


# --- corrections of a closed month -----------------------------------------------------------


def adjustment_add(
    *, actor, row_id: int, day: dt.date, text: str, reason: str
) -> AttendanceAdjustment:
    """Correct one day of a closed month: a dated adjustment with its reason, shown on the sheet
    and carried into the next payout; the closed row stays as it was (docs/policy.md §7)."""
    require_role(actor, CLOSE_MONTHS)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the closed month is corrected."))
    with transaction.atomic():
        row = (
            scope_queryset(actor, AttendanceMonth.objects.select_for_update(of=("self",)))
            .select_related("sheet", "placement__person")
            .filter(pk=row_id)
            .first()
        )
        if row is None:
            raise DomainError(_("Not found, or outside your area."))
        if row.sheet.state != S.CLOSED:
            raise DomainError(_("The month is still open: change the day on the sheet itself."))
        index = (day - row.month).days
        if not 0 <= index < len(row.planned):
            raise DomainError(_("That day is not in this month."))
        marks = Marks(row.region_code[:6])
        cell = marks.parse(text, hourly=row.hourly, planned=row.planned[index])
        if cell.mark is None:
            raise DomainError(_("Say what the day was: √, a kind of absence or the hours."))
        _check_day(
            row,
            index,
            cell,
            today=timezone.localdate(),
            max_hours=policy_value(row.region_code[:6], MAX_HOURS_PER_DAY, row.month),
        )
        last = row.adjustments.filter(day=day).order_by("-id").first()
        before_mark, before_hours = (
            (last.mark_after, last.hours_after)
            if last
            else (row.marks[index], row.hours[index] if row.hourly else None)
        )
        if (before_mark, before_hours) == (cell.mark, cell.hours):
            raise DomainError(_("The day is already recorded so."))
        adjustment = AttendanceAdjustment.objects.create(
            row=row,
            region_code=row.region_code,
            day=day,
            mark_before=before_mark,
            mark_after=cell.mark,
            hours_before=before_hours,
            hours_after=cell.hours,
            reason=reason[:300],
            created_by=actor,
        )
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    action=AuditAction.CREATE,
                    instance=adjustment,
                    object_repr=f"{row.placement.person.name} {day}",
                    changes={
                        day.isoformat(): [
                            marks.text(before_mark, before_hours),
                            marks.text(cell.mark, cell.hours),
                        ]
                    },
                    note=reason,
                )
            ],
        )
        return adjustment
