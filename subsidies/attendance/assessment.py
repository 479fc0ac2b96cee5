"""The monthly assessment (月度考核, docs/policy.md §7): the grade of a score, the score of a month's
points, and the one write, saving the scores of a unit's month.

A month starts from the county's base score; positive points and awards are added, deductions
taken off, and the result is kept between 0 and the highest score (settings). Who scores is the
county's setting ``attendance.assessor``: the unit that keeps the attendance (the village committee,
or the township for the posts it uses itself) while the month is open, before it submits it; or the
township once the month is submitted, before it closes it. The month does not leave that stage, and
is never closed, with anyone unscored (``assessment_required``, called by
``services.sheet_transition``); once closed its scores and grades stay as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_record_many
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.policy import policy_values
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from gongyi.text import control_character_error
from subsidies.attendance import policy
from subsidies.attendance.enums import AssessmentKind, Grade, SheetState
from subsidies.attendance.models import (
    Assessment,
    AssessmentEntry,
    AssessmentItem,
    AttendanceMonth,
    AttendanceSheet,
)
from subsidies.attendance.roles import CLOSE_MONTHS, RECORD_ATTENDANCE
from subsidies.attendance.services import _lock_sheet

TENTH = Decimal("0.1")


# --- the rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """A county's scoring rules for a month (settings in force on the month's first day)."""

    base: Decimal
    maximum: Decimal
    #: The lowest scores graded excellent, pass and basic pass; below the last: fail.
    thresholds: tuple[Decimal, Decimal, Decimal]
    assessor: int

    @property
    def stage(self) -> str:
        """The state the month is in while its assessor scores it."""
        return (
            SheetState.SUBMITTED if self.assessor == policy.ASSESSOR_TOWNSHIP else SheetState.OPEN
        )

    @property
    def roles(self) -> frozenset:
        """Who scores: the roles that keep the attendance, or the township's."""
        return CLOSE_MONTHS if self.assessor == policy.ASSESSOR_TOWNSHIP else RECORD_ATTENDANCE


SCALE_KEYS = [
    policy.BASE_SCORE,
    policy.MAX_SCORE,
    policy.GRADE_EXCELLENT,
    policy.GRADE_PASS,
    policy.GRADE_BASIC,
    policy.ASSESSOR,
]


def scale_for(county_code: str, month: dt.date) -> Scale:
    """The scale of ``county_code``'s ``month``, in one query."""
    values = policy_values(county_code[:6], SCALE_KEYS, month)
    return Scale(
        base=Decimal(values[policy.BASE_SCORE]),
        maximum=Decimal(values[policy.MAX_SCORE]),
        thresholds=(
            Decimal(values[policy.GRADE_EXCELLENT]),
            Decimal(values[policy.GRADE_PASS]),
            Decimal(values[policy.GRADE_BASIC]),
        ),
        assessor=values[policy.ASSESSOR],
    )


def grade_for(score: Decimal, thresholds: tuple[Decimal, Decimal, Decimal]) -> str:
    """优秀 at or above the first threshold, 合格 at or above the second, 基本合格 at or above the
    third, else 不合格 (docs/policy.md §7). Thresholds a county set out of order are read in this
    order: the first one a score reaches decides."""
    excellent, passing, basic = thresholds
    if score >= excellent:
        return Grade.EXCELLENT
    if score >= passing:
        return Grade.PASS
    if score >= basic:
        return Grade.BASIC
    return Grade.FAIL


def score_for(points: Iterable[tuple[str, Decimal]], *, base: Decimal, maximum: Decimal) -> Decimal:
    """The base score, plus positive points and awards, less deductions ((kind, points) pairs),
    kept between 0 and ``maximum``."""
    total = base + sum(
        (-value if kind == AssessmentKind.DEDUCTION else value for kind, value in points),
        Decimal(0),
    )
    return min(max(total, Decimal(0)), maximum)


def points_text(value: Decimal | None) -> str:
    """Points as typed and shown: 5, 2.5."""
    return "" if value is None else f"{value.normalize():f}"


def sheet_items(sheet: AttendanceSheet) -> list[AssessmentItem]:
    """The points sheet of ``sheet``'s county: its items in use, shared and its own, and any item
    set aside since that the month already gives (so that a save does not drop it)."""
    return list(
        AssessmentItem.objects.filter(
            Q(county__isnull=True) | Q(county__code=sheet.region_code[:6])
        ).filter(Q(active=True) | Q(pk__in=_given_items(sheet)))
    )


def _given_items(sheet: AttendanceSheet):
    return AssessmentEntry.objects.filter(assessment__row__sheet=sheet).values("item_id")


# --- the month's scores ------------------------------------------------------------------------


@dataclass(frozen=True)
class Typed:
    """What the scoring page sends for a person: points typed per item id, and the comment."""

    points: dict[int, str]
    comment: str = ""


def _points(text: str, item: AssessmentItem, who: str) -> Decimal | None:
    """The points typed for ``item``, within its range; None for an empty cell."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise DomainError(
            _("%(who)s: “%(text)s” is not a number of points for “%(item)s”.")
            % {"who": who, "text": text[:10], "item": item.name}
        )
    if not item.min_points <= value <= item.max_points:
        raise DomainError(
            _("%(who)s: “%(item)s” gives %(min)s to %(max)s points, not %(points)s.")
            % {
                "who": who,
                "item": item.name,
                "min": points_text(item.min_points),
                "max": points_text(item.max_points),
                "points": text[:10],
            }
        )
    if value != value.quantize(TENTH):
        raise DomainError(_("%(who)s: points are given to one decimal place.") % {"who": who})
    return value


def _comment(text: str, who: str) -> str:
    text = (text or "").strip()
    problem = control_character_error(text)
    if problem:
        raise DomainError(f"{who}：{problem}")
    if len(text) > 300:
        raise DomainError(_("%(who)s: the comment is longer than 300 characters.") % {"who": who})
    return text


def assessment_save(
    *, actor, sheet_id: int, rows: dict[int, Typed], now: dt.datetime | None = None
) -> int:
    """Score the people of a unit's month: ``rows`` maps a row id to the points typed per item and
    the comment. All of them or, on any bad value, none, with the person and the reason: points
    outside an item's range, a deduction without a comment, a month not with this assessor. Each
    row's entries become the typed ones and its score and grade are written, with who scored and
    when; a row already scored so is left as it is. Each changed row is one audit entry. Returns
    the number of changed rows; a constant number of queries for any number of rows."""
    now = now or timezone.now()
    with transaction.atomic():
        sheet = _lock_sheet(actor, sheet_id)
        scale = scale_for(sheet.region_code, sheet.month)
        require_role(actor, scale.roles)
        if sheet.state != scale.stage:
            raise DomainError(
                _("This month is %(state)s: its scores can no longer be changed here.")
                % {"state": sheet.get_state_display()}
                if sheet.state == SheetState.CLOSED or scale.stage == SheetState.OPEN
                else _("The township scores this month once the village has submitted it.")
            )
        items = {item.pk: item for item in sheet_items(sheet)}
        found = {
            row.pk: row
            for row in scope_queryset(
                actor, AttendanceMonth.objects.filter(sheet=sheet, pk__in=list(rows))
            ).select_related("placement__person", "assessment")
        }
        given: dict[int, dict[int, Decimal]] = {}
        for entry in AssessmentEntry.objects.filter(assessment__row__in=list(found)):
            given.setdefault(entry.assessment_id, {})[entry.item_id] = entry.points
        written: list[tuple[AttendanceMonth, Assessment | None, Assessment, dict]] = []
        for row_id, typed in sorted(rows.items()):
            row = found.get(row_id)
            if row is None or not set(typed.points) <= set(items):
                raise DomainError(_("The sheet has changed since it was opened: reload it."))
            who = row.placement.person.name
            points = {}
            for item_id, text in typed.points.items():
                value = _points(text, items[item_id], who)
                if value is not None:
                    points[item_id] = value
            comment = _comment(typed.comment, who)
            if not comment and any(items[i].kind == AssessmentKind.DEDUCTION for i in points):
                raise DomainError(
                    _("%(who)s: points are deducted, so say why in the comment.") % {"who": who}
                )
            score = score_for(
                ((items[i].kind, value) for i, value in points.items()),
                base=scale.base,
                maximum=scale.maximum,
            )
            grade = grade_for(score, scale.thresholds)
            old = getattr(row, "assessment", None)
            before = given.get(old.pk, {}) if old else {}
            if old and (old.score, old.grade, old.comment, before) == (
                score,
                grade,
                comment,
                points,
            ):
                continue
            new = Assessment(
                pk=old.pk if old else None,
                row=row,
                region_code=row.region_code,
                score=score,
                grade=grade,
                comment=comment,
                assessed_by=actor,
                assessed_at=now,
            )
            changes = {
                "score": [points_text(old.score) if old else None, points_text(score)],
                "grade": [old.grade if old else None, grade],
            }
            if comment != (old.comment if old else ""):
                changes["comment"] = [old.comment if old else "", comment]
            for item_id in sorted(set(points) | set(before)):
                if points.get(item_id) != before.get(item_id):
                    changes[items[item_id].name] = [
                        points_text(before.get(item_id)),
                        points_text(points.get(item_id)),
                    ]
            written.append((row, old, new, {"points": points, "changes": changes}))
        _write(actor, sheet, written)
        return len(written)


def _write(actor, sheet: AttendanceSheet, written: list) -> None:
    """Store the changed rows' assessments and entries in bulk, and their audit entries."""
    if not written:
        return
    fresh = [new for _row, old, new, _data in written if old is None]
    Assessment.objects.bulk_create(fresh)
    again = [new for _row, old, new, _data in written if old is not None]
    Assessment.objects.bulk_update(
        again, ["score", "grade", "comment", "assessed_by", "assessed_at"]
    )
    AssessmentEntry.objects.filter(assessment__in=[new.pk for new in again]).delete()
    AssessmentEntry.objects.bulk_create(
        [
            AssessmentEntry(
                assessment=new, region_code=new.region_code, item_id=item_id, points=value
            )
            for _row, _old, new, data in written
            for item_id, value in data["points"].items()
        ]
    )
    audit_record_many(
        actor=actor,
        changes=[
            Change(
                action=AuditAction.UPDATE if old else AuditAction.CREATE,
                instance=new,
                object_repr=f"{row.placement.person.name} {sheet.month:%Y-%m}",
                changes=data["changes"],
                note=_("monthly assessment"),
            )
            for row, old, new, data in written
        ],
    )


def assessment_required(sheet: AttendanceSheet, to: str) -> None:
    """Refuse to move ``sheet`` to ``to`` while someone on it is unscored: past its assessor's
    stage (submitting, when the unit scores) and, in any case, closing (docs/policy.md §7)."""
    if to != SheetState.CLOSED:
        scale = scale_for(sheet.region_code, sheet.month)
        if not (to == SheetState.SUBMITTED and scale.stage == SheetState.OPEN):
            return
    names = list(
        AttendanceMonth.objects.filter(sheet=sheet, assessment__isnull=True)
        .order_by("placement__person__name")
        .values_list("placement__person__name", flat=True)
    )
    if names:
        raise DomainError(
            _("%(n)s people are not scored yet (%(who)s): score the month first.")
            % {"n": len(names), "who": "、".join(names[:5])}
        )
