"""/api/v1/attendance/…: the units' months, their rows, marking, all present, the month's moves,
corrections and the reference data, through the services, refusals as a 400 with the reason
(docs/policy.md §7, docs/api.md)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gongyi.enums import Role
from gongyi.tokens import api_token_issue
from subsidies.attendance.enums import PRESENT, SheetState
from subsidies.attendance.models import (
    AbsenceKind,
    AttendanceAdjustment,
    AttendanceMonth,
    AttendanceSheet,
)
from subsidies.attendance.planning import month_prepare
from subsidies.attendance.services import sheet_fill_present, sheet_transition
from tests.attendance.conftest import AFTER, NOV, score_all
from tests.factories import PlacementFactory, PostFactory, UserFactory
from tests.factories.attendance import WorkArrangementFactory

pytestmark = pytest.mark.django_db

SHEETS = reverse("api:attendance-sheet-list")
ADJUSTMENTS = reverse("api:attendance-adjustment-list")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: AFTER)


def url(name, sheet):
    return reverse(f"api:attendance-sheet-{name}", args=[sheet.pk])


def post_json(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def kind(name):
    return AbsenceKind.objects.get(county=None, name=name).pk


def closed(sheet, village_user, clerk):
    sheet_fill_present(actor=village_user, sheet_id=sheet.pk, today=AFTER)
    score_all(sheet, village_user)
    sheet_transition(actor=village_user, sheet_id=sheet.pk, to=SheetState.SUBMITTED)
    sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.CLOSED)
    sheet.refresh_from_db()
    return sheet


# --- sheets ---------------------------------------------------------------------------------------


def test_sheet_list_with_filters(area, month, login, clerk):
    sheet, _rows = month
    PlacementFactory(post=PostFactory(village=area.other_village))
    month_prepare(month=dt.date(2026, 10, 1), region_code=area.other_village.code)
    client = login(clerk)

    def ids(**params):
        response = client.get(SHEETS, params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    october = AttendanceSheet.objects.get(month=dt.date(2026, 10, 1)).pk
    assert ids() == [sheet.pk, october]  # newest month first
    assert ids(month="2026-10") == [october]
    assert ids(region=area.village.code) == [sheet.pk]
    assert ids(region=area.township.code, state="open") == [sheet.pk, october]
    assert ids(state="closed") == []


@pytest.mark.parametrize(
    "params", [{"month": "2026-13"}, {"month": "11"}, {"state": "shut"}, {"region": "3709"}]
)
def test_sheet_list_refuses_a_bad_filter_naming_it(month, login, clerk, params):
    response = login(clerk).get(SHEETS, params)
    assert response.status_code == 400
    assert list(response.json()) == list(params)


def test_sheet_detail_says_the_moves_of_the_callers_role(area, month, login, village_user, county):
    sheet, _rows = month
    body = login(village_user).get(url("detail", sheet)).json()
    assert {k: body[k] for k in ("region_code", "unit_name", "month", "state", "state_label")} == {
        "region_code": area.village.code,
        "unit_name": "甲社区",
        "month": "2026-11-01",
        "state": "open",
        "state_label": "填报中",
    }
    assert [m["to"] for m in body["allowed_transitions"]] == ["submitted"]
    assert login(county).get(url("detail", sheet)).json()["allowed_transitions"] == []


def test_sheet_list_reads_a_page_in_constant_queries(area, login, clerk, django_assert_num_queries):
    for village in (area.village, area.other_village):
        PlacementFactory(post=PostFactory(village=village))
        for m in (9, 10, 11):
            month_prepare(month=dt.date(2026, m, 1), region_code=village.code)
    client = login(clerk)
    client.get(SHEETS)  # the first request after a login refreshes the session
    # Session, user with its region, the count, the page (units' names and users joined).
    with django_assert_num_queries(4):
        assert len(client.get(SHEETS).json()["results"]) == 6


def test_token_reads_the_sheets(month):
    sheet, _rows = month
    _token, key = api_token_issue(user=UserFactory(role=Role.VILLAGE, region=sheet_region(sheet)))
    response = Client().get(SHEETS, HTTP_AUTHORIZATION=f"Token {key}")
    assert [row["id"] for row in response.json()["results"]] == [sheet.pk]
    assert Client().get(SHEETS).status_code == 401


def sheet_region(sheet):
    from gongyi.models import Region

    return Region.objects.get(code=sheet.region_code)


# --- rows -----------------------------------------------------------------------------------------


def test_rows_are_the_grid_with_masked_id_numbers(month, login, village_user):
    sheet, (a, _b, hourly) = month
    post_json(
        login(village_user),
        url("cells", sheet),
        {
            "cells": [
                {"row": a.pk, "day": 2, "mark": "s"},
                {"row": hourly.pk, "day": 3, "mark": "2"},
            ]
        },
    )
    body = login(village_user).get(url("rows", sheet)).json()
    assert body["count"] == 3
    rows = {row["id"]: row for row in body["results"]}
    number = a.placement.person.id_number
    assert rows[a.pk]["person"] == {
        "id": a.placement.person_id,
        "name": a.placement.person.name,
        "id_number": f"{number[:6]}********{number[-4:]}",
    }
    assert len(rows[a.pk]["planned"]) == 30
    assert (rows[a.pk]["planned"][0], rows[a.pk]["planned"][1]) == ("0.0", "8.0")  # Sun, Mon
    assert rows[a.pk]["marks"][:3] == [None, kind("事假"), None]
    assert rows[a.pk]["cells"][:3] == ["", "事", ""]
    assert (rows[a.pk]["hours"], rows[a.pk]["totals"]) == (None, None)
    assert rows[hourly.pk]["hours"][2] == "2.0" and rows[hourly.pk]["cells"][2] == "2"


def test_rows_carry_the_totals_once_closed_and_the_corrections(month, login, village_user, clerk):
    sheet, (a, _b, _h) = month
    closed(sheet, village_user, clerk)
    response = post_json(
        login(clerk),
        ADJUSTMENTS,
        {"row": a.pk, "day": "2026-11-02", "mark": "病", "reason": "补交病假条"},
    )
    assert response.status_code == 201, response.json()
    rows = {r["id"]: r for r in login(clerk).get(url("rows", sheet)).json()["results"]}
    totals = rows[a.pk]["totals"]
    assert (totals["required_days"], totals["present_days"], totals["absent_days"]) == (21, 21, 0)
    assert [(x["before"], x["after"], x["reason"]) for x in rows[a.pk]["adjustments"]] == [
        ("√", "病", "补交病假条")
    ]


def test_rows_of_a_village_read_in_constant_queries(
    area, login, village_user, django_assert_max_num_queries
):
    post = PostFactory(village=area.village, headcount=60)
    for _ in range(40):
        PlacementFactory(post=post)
    month_prepare(month=NOV, region_code=area.village.code)
    sheet = AttendanceSheet.objects.get(region_code=area.village.code)
    client = login(village_user)
    client.get(url("rows", sheet))
    # Session, user, the sheet, the count, the page, its corrections, the kinds, the mask rule.
    with django_assert_max_num_queries(10):
        assert len(client.get(url("rows", sheet)).json()["results"]) == 40


# --- writing cells --------------------------------------------------------------------------------


def test_cells_are_saved(month, login, village_user):
    sheet, (a, b, hourly) = month
    response = post_json(
        login(village_user),
        url("cells", sheet),
        {
            "cells": [
                {"row": a.pk, "day": 2, "mark": "√"},
                {"row": b.pk, "day": 2, "mark": "b"},
                {"row": hourly.pk, "day": 2, "mark": "1.5"},
            ]
        },
    )
    assert (response.status_code, response.json()) == (200, {"changed": 3})
    rows = {r.pk: r for r in AttendanceMonth.objects.filter(sheet=sheet)}
    assert [rows[r.pk].marks[1] for r in (a, b, hourly)] == [PRESENT, kind("病假"), PRESENT]
    assert str(rows[hourly.pk].hours[1]) == "1.5"


def test_a_bad_cell_saves_nothing_and_says_why_in_chinese(month, login, village_user):
    sheet, (a, b, _h) = month
    response = post_json(
        login(village_user),
        url("cells", sheet),
        {"cells": [{"row": a.pk, "day": 2, "mark": "√"}, {"row": b.pk, "day": 2, "mark": "zz"}]},
    )
    assert response.status_code == 400
    assert "不是考勤标记" in response.json()["detail"]
    assert b.placement.person.name in response.json()["detail"]
    assert AttendanceMonth.objects.get(pk=a.pk).marks[1] is None


@pytest.mark.parametrize(
    "day, mark, reason",
    [(1, "√", "不是这个岗位的工作日"), (30, "√", None)],
)
def test_a_rest_day_is_refused(month, login, village_user, day, mark, reason):
    sheet, (a, _b, _h) = month
    response = post_json(
        login(village_user),
        url("cells", sheet),
        {"cells": [{"row": a.pk, "day": day, "mark": mark}]},
    )
    if reason is None:  # Monday 30 November: a working day, past by AFTER
        assert response.status_code == 200
    else:
        assert response.status_code == 400 and reason in response.json()["detail"]


def test_a_day_still_to_come_is_refused(month, login, village_user, monkeypatch):
    sheet, (a, _b, _h) = month
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 11, 10))
    response = post_json(
        login(village_user), url("cells", sheet), {"cells": [{"row": a.pk, "day": 20, "mark": "√"}]}
    )
    assert response.status_code == 400 and "尚未到来" in response.json()["detail"]


@pytest.mark.parametrize(
    "cells",
    [
        [],
        [{"row": 1, "day": 32, "mark": "√"}],
        [{"row": 1, "day": 2, "mark": "√"}, {"row": 1, "day": 2, "mark": "s"}],
        [{"row": 1, "day": 2}],
    ],
)
def test_a_malformed_body_is_a_400_on_cells(month, login, village_user, cells):
    sheet, _rows = month
    response = post_json(login(village_user), url("cells", sheet), {"cells": cells})
    assert response.status_code == 400 and "cells" in response.json()


def test_a_row_of_another_sheet_is_refused(area, month, login, clerk):
    sheet, _rows = month
    PlacementFactory(post=PostFactory(village=area.other_village))
    month_prepare(month=NOV, region_code=area.other_village.code)
    other = AttendanceMonth.objects.get(region_code=area.other_village.code)
    response = post_json(
        login(clerk), url("cells", sheet), {"cells": [{"row": other.pk, "day": 2, "mark": "√"}]}
    )
    assert response.status_code == 400
    assert AttendanceMonth.objects.get(pk=other.pk).marks[1] is None


def test_a_submitted_month_is_not_marked(month, login, village_user):
    sheet, (a, _b, _h) = month
    client = login(village_user)
    assert post_json(client, url("all-present", sheet)).json() == {"marked": 63}
    score_all(sheet, village_user)
    assert post_json(client, url("transition", sheet), {"to": "submitted"}).status_code == 200
    response = post_json(
        client, url("cells", sheet), {"cells": [{"row": a.pk, "day": 2, "mark": "s"}]}
    )
    assert response.status_code == 400 and "不能再在此修改" in response.json()["detail"]
    assert post_json(client, url("all-present", sheet)).status_code == 400


@pytest.mark.parametrize("role", [Role.COUNTY, Role.ADMIN, Role.REVIEWER])
def test_roles_that_do_not_record_are_refused(month, login, users, role):
    sheet, (a, _b, _h) = month
    client = login(users[role])
    body = {"cells": [{"row": a.pk, "day": 2, "mark": "√"}]}
    assert post_json(client, url("cells", sheet), body).status_code == 403
    assert post_json(client, url("all-present", sheet)).status_code == 403
    assert AttendanceMonth.objects.get(pk=a.pk).marks[1] is None


# --- the month's moves ----------------------------------------------------------------------------


def test_the_month_is_submitted_returned_and_closed(month, login, village_user, clerk):
    sheet, (a, _b, _h) = month
    village, township = login(village_user), Client()
    township.force_login(clerk)
    move = url("transition", sheet)

    unmarked = post_json(village, move, {"to": "submitted"})
    assert unmarked.status_code == 400 and "未记考勤" in unmarked.json()["detail"]
    post_json(village, url("all-present", sheet))
    unscored = post_json(village, move, {"to": "submitted"})
    assert unscored.status_code == 400 and "未评分" in unscored.json()["detail"]
    score_all(sheet, village_user)
    assert post_json(village, move, {"to": "submitted"}).json()["state"] == "submitted"
    assert post_json(village, move, {"to": "closed"}).status_code == 400  # the village's role
    no_reason = post_json(township, move, {"to": "open"})
    assert no_reason.status_code == 400 and "退回原因" in no_reason.json()["detail"]
    returned = post_json(township, move, {"to": "open", "reason": "张三11月2日请假未登记"})
    assert (returned.json()["state"], returned.json()["returned_reason"]) == (
        "open",
        "张三11月2日请假未登记",
    )
    post_json(village, url("cells", sheet), {"cells": [{"row": a.pk, "day": 2, "mark": "s"}]})
    post_json(village, move, {"to": "submitted"})
    body = post_json(township, move, {"to": "closed"}).json()
    assert (body["state"], body["closed_by"], body["allowed_transitions"]) == (
        "closed",
        clerk.username,
        [],
    )
    assert AttendanceMonth.objects.get(pk=a.pk).unpaid_leave_days == 1


def test_a_move_to_no_state_is_a_400_on_to(month, login, village_user):
    sheet, _rows = month
    response = post_json(login(village_user), url("transition", sheet), {"to": "paid"})
    assert response.status_code == 400 and "to" in response.json()


# --- corrections ----------------------------------------------------------------------------------


def test_corrections_are_listed_and_filtered(month, login, village_user, clerk):
    sheet, (a, b, _h) = month
    closed(sheet, village_user, clerk)
    client = login(clerk)
    for row, mark in ((a, "s"), (b, "k")):
        body = {"row": row.pk, "day": "2026-11-03", "mark": mark, "reason": "核实"}
        assert post_json(client, ADJUSTMENTS, body).status_code == 201
    listed = client.get(ADJUSTMENTS, {"sheet": sheet.pk, "pending": "true"}).json()["results"]
    assert [(x["row"], x["after"]) for x in listed] == [(b.pk, "旷"), (a.pk, "事")]
    assert client.get(ADJUSTMENTS, {"row": a.pk}).json()["count"] == 1
    assert client.get(ADJUSTMENTS, {"pending": "false"}).json()["count"] == 0
    assert client.get(ADJUSTMENTS, {"pending": "maybe"}).status_code == 400
    assert login(village_user).get(ADJUSTMENTS).json()["count"] == 2


def test_a_correction_of_an_open_month_is_refused(month, login, clerk):
    _sheet, (a, _b, _h) = month
    response = post_json(
        login(clerk), ADJUSTMENTS, {"row": a.pk, "day": "2026-11-03", "mark": "√", "reason": "核实"}
    )
    assert response.status_code == 400 and "尚未结账" in response.json()["detail"]
    assert not AttendanceAdjustment.objects.exists()


@pytest.mark.parametrize("role", [Role.VILLAGE, Role.COUNTY, Role.REVIEWER])
def test_corrections_are_the_townships(month, login, users, village_user, clerk, role):
    sheet, (a, _b, _h) = month
    closed(sheet, village_user, clerk)
    response = post_json(
        login(users[role]),
        ADJUSTMENTS,
        {"row": a.pk, "day": "2026-11-03", "mark": "s", "reason": "核实"},
    )
    assert response.status_code == 403
    assert not AttendanceAdjustment.objects.exists()


# --- reference data -------------------------------------------------------------------------------


def test_absence_kinds_are_the_shared_and_the_countys(login, village_user):
    rows = login(village_user).get(reverse("api:attendance-absence-kind-list")).json()["results"]
    assert [(k["name"], k["symbol"], k["paid"], k["county"]) for k in rows][:2] == [
        ("事假", "事", False, None),
        ("病假", "病", True, None),
    ]


def test_work_arrangements_by_post(area, login, clerk):
    one = WorkArrangementFactory(post=PostFactory(village=area.village))
    WorkArrangementFactory(post=PostFactory(village=area.village))
    client = login(clerk)
    assert client.get(reverse("api:attendance-work-arrangement-list")).json()["count"] == 2
    rows = client.get(reverse("api:attendance-work-arrangement-list"), {"post": one.post_id})
    assert [(r["id"], r["weekdays"], r["hours_per_day"]) for r in rows.json()["results"]] == [
        (one.pk, [1, 2, 3, 4, 5, 6], "6.0")
    ]
