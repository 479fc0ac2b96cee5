"""/api/v1/attendance/leave/: the area's leave with the moves the caller may make, a request
through ``leave.leave_request`` and each move through ``leave.leave_transition``; a refusal is a
400 with the reason, another area's leave a 404, a role without the move a 403
(docs/policy.md §7, docs/api.md)."""

import datetime as dt

import pytest
from django.urls import reverse

from subsidies.attendance.enums import LeaveState, SheetState
from subsidies.attendance.leave import leave_request, leave_transition
from subsidies.attendance.models import AbsenceKind, AttendanceMonth, AttendanceSheet, LeaveRequest
from tests.attendance.conftest import AFTER

pytestmark = pytest.mark.django_db

LEAVE = reverse("api:attendance-leave-list")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: AFTER)


def kind(name="事假"):
    return AbsenceKind.objects.get(county=None, name=name).pk


def detail(leave, name="detail"):
    return reverse(f"api:attendance-leave-{name}", args=[leave.pk])


def post_json(client, path, data):
    return client.post(path, data, content_type="application/json")


def ask(actor, row, first, last):
    return leave_request(
        actor=actor,
        placement_id=row.placement_id,
        kind_id=kind(),
        starts_on=first,
        ends_on=last,
        reason="家中有事",
    )


def test_create_requests_leave_and_answers_with_it(month, login, village_user):
    _sheet, (a, _b, _h) = month
    response = post_json(
        login(village_user),
        LEAVE,
        {
            "placement": a.placement_id,
            "kind": kind(),
            "starts_on": "2026-11-06",
            "ends_on": "2026-11-10",
            "reason": "家中有事",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    number = a.placement.person.id_number
    assert body["person"] == {
        "id": a.placement.person_id,
        "name": a.placement.person.name,
        "id_number": f"{number[:6]}********{number[-4:]}",
    }
    assert {k: body[k] for k in ("kind_name", "working_days", "state", "allowed_actions")} == {
        "kind_name": "事假",
        "working_days": 3,
        "state": "requested",
        "allowed_actions": ["approve", "reject", "cancel"],
    }
    assert LeaveRequest.objects.get().created_by == village_user


def test_create_refusal_is_a_400_with_the_reason(month, login, village_user):
    _sheet, (a, _b, _h) = month
    response = post_json(
        login(village_user),
        LEAVE,
        {
            "placement": a.placement_id,
            "kind": kind(),
            "starts_on": "2026-11-10",
            "ends_on": "2026-11-06",
        },
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "请假的结束日期早于开始日期。"
    assert not LeaveRequest.objects.exists()


def test_create_names_a_bad_field(login, village_user, month):
    response = post_json(login(village_user), LEAVE, {"placement": "x", "kind": kind()})
    assert response.status_code == 400
    assert {"placement", "starts_on", "ends_on"} <= set(response.json())


def test_list_filters_by_month_and_state(month, login, village_user, clerk):
    _sheet, (a, b, _h) = month
    november = ask(village_user, a, dt.date(2026, 11, 9), dt.date(2026, 11, 10))
    across = ask(village_user, b, dt.date(2026, 11, 30), dt.date(2026, 12, 1))
    december = ask(village_user, a, dt.date(2026, 12, 7), dt.date(2026, 12, 7))
    leave_transition(actor=village_user, leave_id=november.pk, action="approve")
    client = login(clerk)

    def ids(**params):
        response = client.get(LEAVE, params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [december.pk, across.pk, november.pk]  # latest first
    assert ids(month="2026-11") == [across.pk, november.pk]
    assert ids(month="2026-12", state="requested") == [december.pk, across.pk]
    assert ids(state="approved") == [november.pk]


@pytest.mark.parametrize("params", [{"month": "2026-13"}, {"state": "gone"}])
def test_list_refuses_a_bad_filter_naming_it(month, login, clerk, params):
    response = login(clerk).get(LEAVE, params)
    assert response.status_code == 400
    assert list(response.json()) == list(params)


def test_allowed_actions_follow_the_role_and_the_village_limit(month, login, village_user, users):
    _sheet, (a, _b, _h) = month
    # Monday 9th to Friday 13th: five working days, beyond the village's three.
    long = ask(village_user, a, dt.date(2026, 11, 9), dt.date(2026, 11, 13))
    actions = {
        role: login(user).get(detail(long)).json()["allowed_actions"]
        for role, user in users.items()
        if role in ("village", "clerk", "county")
    }
    assert actions == {
        "village": ["cancel"],
        "clerk": ["approve", "reject", "cancel"],
        "county": [],
    }


def test_approve_writes_the_grid_and_return_gives_days_back(month, login, village_user):
    _sheet, (a, _b, _h) = month
    leave = ask(village_user, a, dt.date(2026, 11, 9), dt.date(2026, 11, 10))
    client = login(village_user)
    response = post_json(client, detail(leave, "transition"), {"action": "approve"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["state"], body["decided_by"], body["allowed_actions"]) == (
        "approved",
        village_user.username,
        ["return"],
    )
    assert AttendanceMonth.objects.get(pk=a.pk).marks[8:10] == [kind(), kind()]
    response = post_json(
        client, detail(leave, "transition"), {"action": "return", "returned_on": "2026-11-10"}
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["returned_on"], response.json()["allowed_actions"]) == (
        "2026-11-10",
        [],
    )
    assert AttendanceMonth.objects.get(pk=a.pk).marks[8:10] == [kind(), None]


def test_reject_needs_a_reason_and_cancel_withdraws(month, login, village_user):
    _sheet, (a, b, _h) = month
    one = ask(village_user, a, dt.date(2026, 11, 9), dt.date(2026, 11, 9))
    two = ask(village_user, b, dt.date(2026, 11, 9), dt.date(2026, 11, 9))
    client = login(village_user)
    refused = post_json(client, detail(one, "transition"), {"action": "reject"})
    assert refused.status_code == 400
    assert refused.json()["detail"] == "请填写驳回原因。"
    response = post_json(
        client, detail(one, "transition"), {"action": "reject", "reason": "人手不足"}
    )
    assert (response.status_code, response.json()["decision_note"]) == (200, "人手不足")
    response = post_json(client, detail(two, "transition"), {"action": "cancel"})
    assert (response.status_code, response.json()["state"]) == (200, LeaveState.CANCELLED)


def test_a_move_the_state_refuses_is_a_400_and_changes_nothing(month, login, village_user):
    _sheet, (a, _b, _h) = month
    leave = ask(village_user, a, dt.date(2026, 11, 9), dt.date(2026, 11, 9))
    client = login(village_user)
    assert post_json(client, detail(leave, "transition"), {"action": "cancel"}).status_code == 200
    response = post_json(client, detail(leave, "transition"), {"action": "approve"})
    assert response.status_code == 400
    assert "detail" in response.json()
    assert LeaveRequest.objects.get().state == LeaveState.CANCELLED
    bad = post_json(client, detail(leave, "transition"), {"action": "forget"})
    assert (bad.status_code, list(bad.json())) == (400, ["action"])


def test_approving_into_a_month_no_longer_open_is_a_400(month, login, village_user):
    sheet, (a, _b, _h) = month
    leave = ask(village_user, a, dt.date(2026, 11, 9), dt.date(2026, 11, 9))
    AttendanceSheet.objects.filter(pk=sheet.pk).update(state=SheetState.SUBMITTED)
    response = post_json(login(village_user), detail(leave, "transition"), {"action": "approve"})
    assert response.status_code == 400
    assert "2026-11" in response.json()["detail"]
    assert LeaveRequest.objects.get().state == LeaveState.REQUESTED


def test_county_reads_but_may_not_write(month, login, village_user, county):
    _sheet, (a, _b, _h) = month
    leave = ask(village_user, a, dt.date(2026, 11, 9), dt.date(2026, 11, 9))
    client = login(county)
    assert client.get(detail(leave)).status_code == 200
    assert post_json(client, detail(leave, "transition"), {"action": "cancel"}).status_code == 403
    body = {"placement": a.placement_id, "kind": kind(), "starts_on": "2026-11-16"}
    assert post_json(client, LEAVE, {**body, "ends_on": "2026-11-16"}).status_code == 403
    assert LeaveRequest.objects.get().state == LeaveState.REQUESTED


def test_list_reads_a_page_in_constant_queries(
    month, login, village_user, clerk, django_assert_num_queries
):
    _sheet, rows = month
    for row in rows:
        ask(village_user, row, dt.date(2026, 11, 9), dt.date(2026, 11, 9))
    client = login(clerk)
    client.get(LEAVE)  # the first request after a login refreshes the session
    # Session, user with its region, the county's masking setting, the count, the page (person,
    # post, kind and users joined).
    with django_assert_num_queries(5):
        assert len(client.get(LEAVE).json()["results"]) == 3
