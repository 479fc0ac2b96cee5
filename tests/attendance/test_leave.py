"""Leave (请销假, docs/policy.md §7): a request, decided by the village or the township as the
county's setting says, written into the grid when approved, and 销假 giving days back."""

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from gongyi.errors import DomainError
from gongyi.models import AuditEntry
from subsidies.attendance.enums import PRESENT, LeaveState, SheetState
from subsidies.attendance.leave import leave_request, leave_transition
from subsidies.attendance.models import AbsenceKind, AttendanceMonth, AttendanceSheet, LeaveRequest
from subsidies.attendance.planning import month_prepare
from subsidies.attendance.selectors import day_list
from subsidies.attendance.services import (
    day_mark,
    grid_save,
    sheet_fill_present,
    sheet_transition,
)
from tests.attendance.conftest import AFTER, score_all
from tests.factories import PolicySettingFactory, UserFactory

DEC = dt.date(2026, 12, 1)
NOV_13 = dt.date(2026, 11, 13)


def kind(name="事假"):
    return AbsenceKind.objects.get(county=None, name=name)


def ask(actor, placement_id, first, last, name="事假"):
    return leave_request(
        actor=actor,
        placement_id=placement_id,
        kind_id=kind(name).pk,
        starts_on=first,
        ends_on=last,
        reason="家中有事",
    )


def marks(row):
    return AttendanceMonth.objects.get(pk=row.pk).marks


def test_request_counts_working_days_and_is_on_record(month, village_user):
    _sheet, (a, _b, _h) = month
    # 2026-11-06 (Friday) to 11-10 (Tuesday): Friday, Monday, Tuesday.
    leave = ask(village_user, a.placement_id, dt.date(2026, 11, 6), dt.date(2026, 11, 10))
    assert (leave.state, leave.working_days, leave.region_code) == (
        LeaveState.REQUESTED,
        3,
        a.region_code,
    )
    assert marks(a) == [None] * 30  # nothing in the grid until approved
    entry = AuditEntry.objects.filter(object_type="attendance.leaverequest").get()
    assert (entry.action, entry.object_pk) == ("create", str(leave.pk))


def test_approving_writes_the_kind_into_every_working_day(month, village_user):
    _sheet, (a, _b, _h) = month
    leave = ask(village_user, a.placement_id, dt.date(2026, 11, 6), dt.date(2026, 11, 10))
    leave_transition(actor=village_user, leave_id=leave.pk, action="approve")
    got = marks(a)
    s = kind().pk
    # Indexes 5 (Fri 6th), 8 and 9 (Mon 9th, Tue 10th); the weekend between stays a rest day.
    assert [i for i, m in enumerate(got) if m is not None] == [5, 8, 9]
    assert {got[i] for i in (5, 8, 9)} == {s}
    leave.refresh_from_db()
    assert (leave.state, leave.decided_by) == (LeaveState.APPROVED, village_user)
    rows = AuditEntry.objects.filter(object_type="attendance.attendancemonth", object_pk=str(a.pk))
    assert list(rows.values_list("changes", flat=True)) == [
        {"2026-11-06": ["", "事"], "2026-11-09": ["", "事"], "2026-11-10": ["", "事"]}
    ]


def test_approving_overwrites_marks_already_made_and_clears_hours(month, village_user):
    _sheet, (_a, _b, hourly) = month
    grid_save(
        actor=village_user, sheet_id=hourly.sheet_id, cells={(hourly.pk, 1): "2"}, today=AFTER
    )
    leave = ask(village_user, hourly.placement_id, dt.date(2026, 11, 2), dt.date(2026, 11, 2))
    leave_transition(actor=village_user, leave_id=leave.pk, action="approve")
    row = AttendanceMonth.objects.get(pk=hourly.pk)
    assert (row.marks[1], row.hours[1]) == (kind().pk, None)


def test_leave_of_days_still_to_come_is_written_too(month, village_user, area):
    _sheet, (a, _b, _h) = month
    month_prepare(month=DEC, region_code=area.village.code)
    leave = ask(village_user, a.placement_id, dt.date(2026, 12, 28), dt.date(2026, 12, 29))
    leave_transition(actor=village_user, leave_id=leave.pk, action="approve")
    december = AttendanceMonth.objects.get(placement_id=a.placement_id, month=DEC)
    assert december.marks[27:29] == [kind().pk, kind().pk]


def test_overlapping_leave_is_refused_with_the_other_leave_named(month, village_user):
    _sheet, (a, _b, _h) = month
    ask(village_user, a.placement_id, dt.date(2026, 11, 9), dt.date(2026, 11, 13))
    with pytest.raises(DomainError) as refused:
        ask(village_user, a.placement_id, dt.date(2026, 11, 13), dt.date(2026, 11, 16), "病假")
    assert "已有 2026-11-09 至 2026-11-13 的请假" in refused.value.message
    assert LeaveRequest.objects.count() == 1


def test_refused_or_withdrawn_leave_frees_its_days(month, village_user, clerk):
    _sheet, (a, _b, _h) = month
    first = ask(village_user, a.placement_id, dt.date(2026, 11, 9), dt.date(2026, 11, 13))
    leave_transition(actor=clerk, leave_id=first.pk, action="reject", note="人手不足")
    second = ask(village_user, a.placement_id, dt.date(2026, 11, 9), dt.date(2026, 11, 10))
    leave_transition(actor=village_user, leave_id=second.pk, action="cancel")
    third = ask(village_user, a.placement_id, dt.date(2026, 11, 10), dt.date(2026, 11, 11))
    assert third.state == LeaveState.REQUESTED


def test_database_refuses_overlapping_live_leave(month, village_user):
    _sheet, (a, _b, _h) = month
    leave = ask(village_user, a.placement_id, dt.date(2026, 11, 9), dt.date(2026, 11, 13))
    twin = LeaveRequest(
        placement_id=a.placement_id,
        region_code=a.region_code,
        kind=kind("病假"),
        starts_on=dt.date(2026, 11, 12),
        ends_on=dt.date(2026, 11, 20),
        created_by=village_user,
    )
    with pytest.raises(IntegrityError, match="leave_no_overlap"), transaction.atomic():
        twin.save()
    # Once the first is back on the 12th (销假), its days from then on are free.
    LeaveRequest.objects.filter(pk=leave.pk).update(
        state=LeaveState.APPROVED, returned_on=dt.date(2026, 11, 12)
    )
    twin.pk = None
    twin.save()
    assert LeaveRequest.objects.count() == 2


def test_leave_over_a_closed_month_is_refused_and_nothing_written(month, village_user, clerk, area):
    sheet, (a, _b, _h) = month
    month_prepare(month=DEC, region_code=area.village.code)
    leave = ask(village_user, a.placement_id, dt.date(2026, 11, 30), dt.date(2026, 12, 2))
    sheet_fill_present(actor=village_user, sheet_id=sheet.pk, today=AFTER)
    score_all(sheet, village_user)
    sheet_transition(actor=village_user, sheet_id=sheet.pk, to=SheetState.SUBMITTED)
    sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.CLOSED)
    december = AttendanceMonth.objects.get(placement_id=a.placement_id, month=DEC)
    entries = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        leave_transition(actor=clerk, leave_id=leave.pk, action="approve")
    assert "2026-11 已结账" in refused.value.message and "更正" in refused.value.message
    assert marks(december) == [None] * 31
    assert marks(a)[29] == PRESENT
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.REQUESTED
    assert AuditEntry.objects.count() == entries


def test_return_gives_back_the_days_from_the_day_back(month, village_user, clerk):
    _sheet, (a, _b, _h) = month
    leave = ask(village_user, a.placement_id, dt.date(2026, 11, 16), dt.date(2026, 11, 20))
    leave_transition(actor=clerk, leave_id=leave.pk, action="approve")
    with pytest.raises(DomainError, match="请先销假"):  # the leave holds the 20th
        grid_save(actor=village_user, sheet_id=a.sheet_id, cells={(a.pk, 19): "病"}, today=AFTER)
    leave_transition(
        actor=village_user, leave_id=leave.pk, action="return", returned_on=dt.date(2026, 11, 18)
    )
    s, b = kind().pk, kind("病假").pk
    # 16th, 17th kept; 18th to 20th given back, and the grid marks them now.
    assert marks(a)[15:20] == [s, s, None, None, None]
    grid_save(actor=village_user, sheet_id=a.sheet_id, cells={(a.pk, 19): "病"}, today=AFTER)
    assert marks(a)[15:20] == [s, s, None, None, b]
    leave.refresh_from_db()
    assert (leave.state, leave.returned_on, leave.last_day) == (
        LeaveState.APPROVED,
        dt.date(2026, 11, 18),
        dt.date(2026, 11, 17),
    )
    with pytest.raises(DomainError, match="已登记销假"):
        leave_transition(
            actor=village_user,
            leave_id=leave.pk,
            action="return",
            returned_on=dt.date(2026, 11, 17),
        )


def test_return_on_a_day_outside_the_leave_is_refused(month, village_user, clerk):
    _sheet, (a, _b, _h) = month
    leave = ask(village_user, a.placement_id, dt.date(2026, 11, 16), dt.date(2026, 11, 20))
    leave_transition(actor=clerk, leave_id=leave.pk, action="approve")
    with pytest.raises(DomainError):
        leave_transition(
            actor=village_user,
            leave_id=leave.pk,
            action="return",
            returned_on=dt.date(2026, 11, 23),
        )
    assert marks(a)[19] == kind().pk


@pytest.mark.parametrize(
    ("setting", "days", "village_may"),
    [(None, 3, True), (None, 4, False), (5, 4, True), (0, 1, False)],
)
def test_setting_decides_whether_the_village_approves(
    setting, days, village_may, month, village_user, clerk, area
):
    _sheet, (a, _b, _h) = month
    if setting is not None:
        PolicySettingFactory(
            county=area.county, key="attendance.leave_village_max_days", value=setting
        )
    # From Monday the 9th: `days` working days.
    leave = ask(village_user, a.placement_id, dt.date(2026, 11, 9), dt.date(2026, 11, 8 + days))
    assert leave.working_days == days
    if village_may:
        leave_transition(actor=village_user, leave_id=leave.pk, action="approve")
    else:
        with pytest.raises(DomainError, match="乡镇"):
            leave_transition(actor=village_user, leave_id=leave.pk, action="approve")
        leave_transition(actor=clerk, leave_id=leave.pk, action="approve")
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.APPROVED


def test_refusing_needs_a_reason(month, village_user):
    _sheet, (a, _b, _h) = month
    leave = ask(village_user, a.placement_id, dt.date(2026, 11, 9), dt.date(2026, 11, 9))
    with pytest.raises(DomainError, match="原因"):
        leave_transition(actor=village_user, leave_id=leave.pk, action="reject")


def test_decided_leave_cannot_be_decided_again(month, village_user, clerk):
    _sheet, (a, _b, _h) = month
    leave = ask(village_user, a.placement_id, dt.date(2026, 11, 9), dt.date(2026, 11, 9))
    leave_transition(actor=village_user, leave_id=leave.pk, action="approve")
    with pytest.raises(DomainError, match="已批准"):
        leave_transition(actor=clerk, leave_id=leave.pk, action="reject", note="重复")


def test_request_outside_the_placement_or_on_rest_days_is_refused(month, village_user):
    _sheet, (a, _b, _h) = month
    with pytest.raises(DomainError, match="在岗"):
        ask(village_user, a.placement_id, dt.date(2026, 3, 30), dt.date(2026, 4, 2))
    with pytest.raises(DomainError, match="没有工作日"):
        ask(village_user, a.placement_id, dt.date(2026, 11, 7), dt.date(2026, 11, 8))
    with pytest.raises(DomainError):
        ask(village_user, a.placement_id, dt.date(2026, 11, 9), dt.date(2026, 11, 6))
    absence = kind("旷工")
    with pytest.raises(DomainError, match="请假类别"):
        leave_request(
            actor=village_user,
            placement_id=a.placement_id,
            kind_id=absence.pk,
            starts_on=dt.date(2026, 11, 9),
            ends_on=dt.date(2026, 11, 9),
        )
    assert LeaveRequest.objects.count() == 0


def test_request_for_a_person_of_another_village_is_not_found(month, area):
    _sheet, (a, _b, _h) = month
    other = UserFactory(role="village", region=area.other_village)
    with pytest.raises(DomainError):
        ask(other, a.placement_id, dt.date(2026, 11, 9), dt.date(2026, 11, 9))


def test_month_prepared_after_approval_shows_the_leave(month, village_user, clerk, area):
    _sheet, (a, _b, _h) = month
    leave = ask(village_user, a.placement_id, dt.date(2026, 11, 30), dt.date(2026, 12, 4))
    leave_transition(actor=clerk, leave_id=leave.pk, action="approve")
    assert not AttendanceSheet.objects.filter(month=DEC).exists()
    month_prepare(month=DEC, region_code=area.village.code)
    december = {r.placement_id: r for r in AttendanceMonth.objects.filter(month=DEC)}
    s = kind().pk
    # Tuesday 1st to Friday 4th; the others on the sheet have nothing marked.
    assert december[a.placement_id].marks[:5] == [s, s, s, s, None]
    assert sorted(r.marks.count(None) for r in december.values()) == [27, 31, 31]
    assert marks(a)[29] == s


def test_month_prepared_after_a_return_leaves_the_days_given_back(month, village_user, clerk, area):
    _sheet, (a, _b, _h) = month
    leave = ask(village_user, a.placement_id, dt.date(2026, 11, 30), dt.date(2026, 12, 4))
    leave_transition(actor=clerk, leave_id=leave.pk, action="approve")
    leave_transition(
        actor=village_user, leave_id=leave.pk, action="return", returned_on=dt.date(2026, 12, 3)
    )
    month_prepare(month=DEC, region_code=area.village.code)
    december = AttendanceMonth.objects.get(placement_id=a.placement_id, month=DEC)
    assert december.marks[:4] == [kind().pk, kind().pk, None, None]


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_requests_at_once_make_one_leave(month, village_user, clerk):
    _sheet, (a, _b, _h) = month
    outcomes = []

    def request(user, first, last):
        try:
            ask(user, a.placement_id, first, last)
            outcomes.append("made")
        except DomainError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=request, args=(village_user, dt.date(2026, 11, 9), NOV_13)),
        threading.Thread(target=request, args=(clerk, dt.date(2026, 11, 12), NOV_13)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[0] == "made"
    assert "不得重叠" in sorted(outcomes)[1]
    assert LeaveRequest.objects.count() == 1


# --- approved leave is kept: the grid, the day's marking and the import refuse its days -----


@pytest.fixture
def on_leave(month, village_user, clerk):
    """甲's approved 事假 of Monday 16 to Wednesday 18 November (indexes 15 to 17)."""
    sheet, (a, b, _hourly) = month
    leave = ask(village_user, a.placement_id, dt.date(2026, 11, 16), dt.date(2026, 11, 18))
    leave_transition(actor=clerk, leave_id=leave.pk, action="approve")
    return sheet, a, b, leave


@pytest.mark.parametrize("text", ["√", "", "病"])
def test_grid_refuses_to_mark_an_approved_leaves_day_otherwise(on_leave, village_user, text):
    sheet, a, b, _leave = on_leave
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        grid_save(
            actor=village_user,
            sheet_id=sheet.pk,
            cells={(b.pk, 16): "√", (a.pk, 16): text},
            today=AFTER,
        )
    name = a.placement.person.name
    assert refused.value.message == (
        f"{name} 2026-11-17 在已批准的请假中（事假）：如要改记这一天，请先销假。"
    )
    # All or nothing: the other person's day is not written either.
    assert marks(a)[15:18] == [kind().pk] * 3 and marks(b)[16] is None
    assert AuditEntry.objects.count() == before


def test_grid_keeps_a_leaves_own_mark_and_other_kinds_of_day(on_leave, village_user):
    sheet, a, b, _leave = on_leave
    # The leave's own mark is no change; 事假 typed on the grid without a leave is changed freely;
    # a leave still requested holds no day.
    grid_save(actor=village_user, sheet_id=sheet.pk, cells={(b.pk, 2): "事"}, today=AFTER)
    ask(village_user, b.placement_id, dt.date(2026, 11, 5), dt.date(2026, 11, 5))
    changed = grid_save(
        actor=village_user,
        sheet_id=sheet.pk,
        cells={(a.pk, 16): "事", (b.pk, 2): "√", (b.pk, 4): "病"},
        today=AFTER,
    )
    assert changed == 1
    assert marks(b)[2] == PRESENT and marks(b)[4] == kind("病假").pk


def test_all_present_and_the_leave_service_keep_working(on_leave, village_user):
    sheet, a, _b, leave = on_leave
    sheet_fill_present(actor=village_user, sheet_id=sheet.pk, today=AFTER)
    assert marks(a)[15:18] == [kind().pk] * 3 and marks(a)[18] == PRESENT
    # 销假 gives the days back; the leave's own writes are never refused.
    leave_transition(
        actor=village_user, leave_id=leave.pk, action="return", returned_on=dt.date(2026, 11, 17)
    )
    assert marks(a)[15:18] == [kind().pk, None, None]


def test_days_marking_leaves_a_person_on_leave_as_the_leave_has_it(on_leave, village_user):
    sheet, a, b, _leave = on_leave
    day = dt.date(2026, 11, 17)
    changed = day_mark(
        actor=village_user, sheet_id=sheet.pk, day=day, exceptions={b.pk: "病"}, today=AFTER
    )
    assert changed == 2  # b and the hourly post; a is on leave
    assert marks(a)[16] == kind().pk and marks(b)[16] == kind("病假").pk
    # Naming the person with the leave's own mark changes nothing; with another, it is refused.
    day_mark(actor=village_user, sheet_id=sheet.pk, day=day, exceptions={a.pk: "事"}, today=AFTER)
    with pytest.raises(DomainError, match="请先销假"):
        day_mark(
            actor=village_user, sheet_id=sheet.pk, day=day, exceptions={a.pk: "旷"}, today=AFTER
        )
    assert marks(a)[16] == kind().pk


def test_days_page_shows_the_leave_instead_of_a_choice(on_leave, village_user, login):
    sheet, a, b, _leave = on_leave
    url = reverse("attendance-day", args=[sheet.pk])
    client = login(village_user)
    page = client.get(url + "?day=2026-11-17").content.decode()
    assert f'name="x-{a.pk}"' not in page and f'name="x-{b.pk}"' in page
    assert "事假：已批准请假。如要改记这一天，请先销假。" in page
    people = day_list(village_user, sheet, dt.date(2026, 11, 17))
    assert [p["leave"] is not None for p in people if p["row"].pk in (a.pk, b.pk)].count(True) == 1
    # The page's form as sent: everyone present but the person on leave.
    client.post(url, {"day": "2026-11-17"})
    assert marks(a)[16] == kind().pk and marks(b)[16] == PRESENT
