"""Marking days, the month's transitions and corrections (docs/policy.md §7)."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from gongyi.enums import Role
from gongyi.errors import DomainError
from gongyi.models import AuditEntry
from subsidies.attendance.enums import PRESENT, SheetState
from subsidies.attendance.models import AbsenceKind, AttendanceMonth, AttendanceSheet
from subsidies.attendance.planning import month_prepare
from subsidies.attendance.services import (
    adjustment_add,
    day_mark,
    grid_save,
    sheet_fill_present,
    sheet_transition,
)
from tests.attendance.conftest import AFTER, NOV, score_all
from tests.factories import PlacementFactory, PostFactory, UserFactory

D = Decimal


def kind(name):
    return AbsenceKind.objects.get(county=None, name=name).pk


def test_prepare_makes_one_row_per_placement_and_is_safe_to_run_again(area, month):
    sheet, rows = month
    assert [len(r.planned) for r in rows] == [30, 30, 30]
    assert rows[2].hourly and rows[2].hours == [None] * 30
    assert month_prepare(month=NOV, region_code=area.village.code) == 0
    assert AttendanceMonth.objects.filter(sheet=sheet).count() == 3


def test_prepare_leaves_out_placements_outside_the_month(area):
    post = PostFactory(village=area.village)
    PlacementFactory(post=post, start_date=dt.date(2026, 12, 1))
    PlacementFactory(post=post, start_date=dt.date(2026, 4, 1), end_date=dt.date(2026, 10, 31))
    assert month_prepare(month=NOV, region_code=area.village.code) == 0


def test_grid_save_writes_changed_cells_and_records_each_row(month, village_user):
    sheet, (a, b, hourly) = month
    changed = grid_save(
        actor=village_user,
        sheet_id=sheet.pk,
        cells={(a.pk, 1): "√", (a.pk, 2): "s", (b.pk, 1): "病", (hourly.pk, 1): "2.5"},
        today=AFTER,
    )
    assert changed == 3
    a.refresh_from_db()
    hourly.refresh_from_db()
    assert a.marks[1:3] == [PRESENT, kind("事假")]
    assert (hourly.marks[1], hourly.hours[1]) == (PRESENT, D("2.5"))
    entry = AuditEntry.objects.filter(object_pk=str(a.pk)).get()
    assert entry.changes == {"2026-11-02": ["", "√"], "2026-11-03": ["", "事"]}


def test_grid_save_skips_unchanged_cells(month, village_user):
    sheet, (a, _b, _h) = month
    grid_save(actor=village_user, sheet_id=sheet.pk, cells={(a.pk, 1): "√"}, today=AFTER)
    assert (
        grid_save(actor=village_user, sheet_id=sheet.pk, cells={(a.pk, 1): "v"}, today=AFTER) == 0
    )


@pytest.mark.parametrize(
    "cell, message",
    [
        ((0, 0), "不是这个岗位的工作日"),  # Sunday the 1st: a rest day
        ((0, 1), "尚未到来"),  # with today = the 2nd? see below
        ((0, 3), "不是考勤标记"),
        ((2, 1), "超过"),
    ],
)
def test_grid_save_refuses_bad_cells_and_writes_nothing(month, village_user, cell, message):
    sheet, rows = month
    row = rows[cell[0]]
    text = {0: "√", 1: "√", 3: "x"}.get(cell[1], "√")
    if cell == (2, 1):
        text = "9"
    today = dt.date(2026, 11, 1) if cell == (0, 1) else AFTER
    good = (rows[1].pk, 1)
    with pytest.raises(DomainError) as refused:
        grid_save(
            actor=village_user,
            sheet_id=sheet.pk,
            cells={good: "√", (row.pk, cell[1]): text},
            today=today,
        )
    assert message in str(refused.value)
    assert AttendanceMonth.objects.get(pk=rows[1].pk).marks[1] is None
    assert not AuditEntry.objects.filter(note="attendance marked").exists()


def test_grid_save_refuses_another_villages_sheet(month, area):
    sheet, (a, _b, _h) = month
    other = UserFactory(role=Role.VILLAGE, region=area.other_village)
    with pytest.raises(DomainError, match="范围"):
        grid_save(actor=other, sheet_id=sheet.pk, cells={(a.pk, 1): "√"}, today=AFTER)


def test_fill_present_marks_unmarked_working_days_up_to_today(month, village_user):
    sheet, (a, _b, hourly) = month
    grid_save(actor=village_user, sheet_id=sheet.pk, cells={(a.pk, 1): "s"}, today=AFTER)
    filled = sheet_fill_present(actor=village_user, sheet_id=sheet.pk, today=dt.date(2026, 11, 10))
    # Working days from the 2nd to the 10th: 2–6, 9, 10 (7 days) × 3 people, less a's leave.
    assert filled == 20
    a.refresh_from_db()
    hourly.refresh_from_db()
    assert a.marks[1] == kind("事假") and a.marks[2] == PRESENT and a.marks[10] is None
    assert hourly.hours[1] == D("1.9")
    assert a.marks[0] is None  # Sunday stays a rest day


def test_day_mark_marks_everyone_present_but_the_exceptions(month, village_user):
    sheet, (a, b, hourly) = month
    day_mark(
        actor=village_user,
        sheet_id=sheet.pk,
        day=dt.date(2026, 11, 4),
        exceptions={b.pk: "旷"},
        today=AFTER,
    )
    marks = {r.pk: r.marks[3] for r in AttendanceMonth.objects.filter(sheet=sheet)}
    assert marks == {a.pk: PRESENT, b.pk: kind("旷工"), hourly.pk: PRESENT}


def test_submit_needs_every_working_day_marked(month, village_user):
    sheet, _rows = month
    with pytest.raises(DomainError, match="63"):
        sheet_transition(actor=village_user, sheet_id=sheet.pk, to=SheetState.SUBMITTED)


def fill_and_submit(sheet, rows, village_user):
    a, b, _hourly = rows
    grid_save(
        actor=village_user,
        sheet_id=sheet.pk,
        cells={(a.pk, 1): "s", (a.pk, 2): "b", (b.pk, 3): "k", (rows[2].pk, 4): "3"},
        today=AFTER,
    )
    sheet_fill_present(actor=village_user, sheet_id=sheet.pk, today=AFTER)
    score_all(sheet, village_user)
    return sheet_transition(actor=village_user, sheet_id=sheet.pk, to=SheetState.SUBMITTED)


def test_close_freezes_the_totals(month, village_user, clerk):
    sheet, rows = month
    fill_and_submit(sheet, rows, village_user)
    sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.CLOSED)
    a, b, hourly = (AttendanceMonth.objects.get(pk=r.pk) for r in rows)
    assert (
        a.required_days,
        a.present_days,
        a.paid_leave_days,
        a.unpaid_leave_days,
        a.absent_days,
    ) == (21, 19, 1, 1, 0)
    assert a.days_by_kind == {str(kind("事假")): 1, str(kind("病假")): 1}
    assert (a.required_hours, a.worked_hours, a.paid_leave_hours) == (D(168), D(152), D(8))
    assert (b.present_days, b.absent_days) == (20, 1)
    # The hourly person: 21 days × 1.9 planned, one day at 3 hours instead of 1.9.
    assert (hourly.required_hours, hourly.worked_hours) == (D("39.9"), D("41.0"))
    assert a.closed_at is not None
    sheet.refresh_from_db()
    assert (sheet.state, sheet.closed_by) == (SheetState.CLOSED, clerk)


def test_close_of_a_month_all_present_counts_the_plan(month, village_user, clerk):
    sheet, rows = month
    sheet_fill_present(actor=village_user, sheet_id=sheet.pk, today=AFTER)
    score_all(sheet, village_user)
    sheet_transition(actor=village_user, sheet_id=sheet.pk, to=SheetState.SUBMITTED)
    sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.CLOSED)
    a, _b, hourly = (AttendanceMonth.objects.get(pk=r.pk) for r in rows)
    totals = (
        "required_days",
        "present_days",
        "paid_leave_days",
        "unpaid_leave_days",
        "absent_days",
        "required_hours",
        "worked_hours",
        "paid_leave_hours",
        "days_by_kind",
    )
    assert [getattr(a, f) for f in totals] == [21, 21, 0, 0, 0, D(168), D(168), D(0), {}]
    assert [getattr(hourly, f) for f in totals] == [
        21, 21, 0, 0, 0, D("39.9"), D("39.9"), D(0), {}
    ]  # fmt: skip


def test_fill_present_keeps_marks_after_today_on_an_unmarked_row(month, village_user):
    """A row with nothing marked up to today takes its plan's marks; a leave already written
    for a later day stays."""
    sheet, (a, b, _hourly) = month
    AttendanceMonth.objects.filter(pk=a.pk).update(marks=[None] * 19 + [kind("病假")] + [None] * 10)
    sheet_fill_present(actor=village_user, sheet_id=sheet.pk, today=dt.date(2026, 11, 10))
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.marks[:10] == b.marks[:10] == [None] + [PRESENT] * 5 + [None, None] + [PRESENT] * 2
    assert (a.marks[19], b.marks[19], a.marks[10]) == (kind("病假"), None, None)


def test_prepare_keeps_the_posts_whole_month_for_a_share_of_it(area):
    """A placement from 16 November works 11 of the post's 21 working days (docs/policy.md §7)."""
    post = PostFactory(village=area.village)
    placement = PlacementFactory(post=post, start_date=dt.date(2026, 11, 16))
    month_prepare(month=NOV, region_code=area.village.code)
    row = AttendanceMonth.objects.get(placement=placement)
    assert (sum(1 for p in row.planned if p > 0), row.full_days, row.full_hours) == (
        11,
        21,
        D(168),
    )


def test_closed_month_refuses_marks(month, village_user, clerk):
    sheet, rows = month
    fill_and_submit(sheet, rows, village_user)
    sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.CLOSED)
    with pytest.raises(DomainError, match="已结账"):
        grid_save(actor=village_user, sheet_id=sheet.pk, cells={(rows[0].pk, 1): "√"}, today=AFTER)


def test_village_cannot_close_and_township_returns_with_a_reason(month, village_user, clerk):
    sheet, rows = month
    fill_and_submit(sheet, rows, village_user)
    with pytest.raises(DomainError):
        sheet_transition(actor=village_user, sheet_id=sheet.pk, to=SheetState.CLOSED)
    with pytest.raises(DomainError, match="原因"):
        sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.OPEN)
    sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.OPEN, reason="3日核对有误")
    assert AttendanceSheet.objects.get(pk=sheet.pk).state == SheetState.OPEN


def test_submitter_cannot_close_their_own_month(month, clerk):
    sheet, rows = month
    fill_and_submit(sheet, rows, clerk)
    with pytest.raises(DomainError, match="提交"):
        sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.CLOSED)


@pytest.mark.django_db(transaction=True)
def test_two_clerks_closing_at_once_close_it_once(month, village_user, clerk, area):
    sheet, rows = month
    fill_and_submit(sheet, rows, village_user)
    second = UserFactory(role=Role.CLERK, region=area.township)
    outcomes = []

    def close(user):
        try:
            sheet_transition(actor=user, sheet_id=sheet.pk, to=SheetState.CLOSED)
            outcomes.append("closed")
        except DomainError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=(u,)) for u in (clerk, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[0] == "closed"
    assert "已结账" in sorted(outcomes)[1]
    assert AuditEntry.objects.filter(object_pk=str(sheet.pk), action="transition").count() == 2


def test_adjustment_of_a_closed_month_keeps_the_row(month, village_user, clerk):
    sheet, rows = month
    fill_and_submit(sheet, rows, village_user)
    sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.CLOSED)
    b = rows[1]
    adjustment = adjustment_add(
        actor=clerk, row_id=b.pk, day=dt.date(2026, 11, 4), text="√", reason="补交证明，当日在岗"
    )
    assert (adjustment.mark_before, adjustment.mark_after) == (kind("旷工"), PRESENT)
    b.refresh_from_db()
    assert (b.marks[3], b.absent_days) == (kind("旷工"), 1)
    with pytest.raises(DomainError, match="已是"):
        adjustment_add(actor=clerk, row_id=b.pk, day=dt.date(2026, 11, 4), text="√", reason="再次")
    with pytest.raises(DomainError, match="原因"):
        adjustment_add(actor=clerk, row_id=b.pk, day=dt.date(2026, 11, 5), text="k", reason=" ")


def test_on_an_hourly_row_a_number_is_hours_and_a_tick_the_plan(month, village_user):
    sheet, (_a, _b, hourly) = month
    grid_save(
        actor=village_user,
        sheet_id=sheet.pk,
        cells={(hourly.pk, 1): "1", (hourly.pk, 2): "√", (hourly.pk, 3): "k"},
        today=AFTER,
    )
    hourly.refresh_from_db()
    assert hourly.hours[1:4] == [D(1), D("1.9"), None]
    assert hourly.marks[1:4] == [PRESENT, PRESENT, kind("旷工")]
