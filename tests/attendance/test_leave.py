"""Leave (请销假, docs/policy.md §7): a request, decided by the village or the township as the
county's setting says, written into the grid when approved, and 销假 giving days back."""

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from gongyi.errors import DomainError
from gongyi.models import AuditEntry
from subsidies.attendance.enums import PRESENT, LeaveState, SheetState
from subsidies.attendance.leave import leave_request, leave_transition
from subsidies.attendance.models import AbsenceKind, AttendanceMonth, AttendanceSheet, LeaveRequest
from subsidies.attendance.planning import month_prepare
from subsidies.attendance.services import grid_save, sheet_fill_present, sheet_transition
from tests.attendance.conftest import AFTER
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
    grid_save(actor=village_user, sheet_id=a.sheet_id, cells={(a.pk, 19): "病"}, today=AFTER)
    leave_transition(
        actor=village_user, leave_id=leave.pk, action="return", returned_on=dt.date(2026, 11, 18)
    )
    s, b = kind().pk, kind("病假").pk
    # 16th, 17th kept; 18th, 19th given back; the 20th was changed on the grid and stays.
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
