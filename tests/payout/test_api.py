"""The payout's API (subsidies/payout/apis.py): batches (open and generate, list, one, moves),
lines (list, hold, release) and grade rules; amounts in fen and in yuan; refusals are 400s."""

import datetime as dt

import pytest

from gongyi.models import Job, JobStatus
from subsidies.payout.enums import BatchKind, BatchState, LineStatus
from subsidies.payout.models import GradeRule, PayoutBatch
from subsidies.payout.services import payout_batch_generate, payout_batch_open
from tests.attendance.conftest import NOV

pytestmark = pytest.mark.django_db

BATCHES = "/api/v1/payout/batches/"
LINES = "/api/v1/payout/lines/"
RULES = "/api/v1/payout/grade-rules/"


def made(clerk):
    batch = payout_batch_open(actor=clerk, month=NOV, kind=BatchKind.URBAN)
    return payout_batch_generate(actor=clerk, batch_id=batch.pk).batch


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_open_and_generate_in_the_background(
    closed, clerk, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(login(clerk), BATCHES, {"month": "2026-11", "kind": "urban"})
    assert response.status_code == 202, response.json()
    data = response.json()
    batch = PayoutBatch.objects.get()
    assert data["batch"]["id"] == batch.pk
    assert Job.objects.get(pk=data["job"]).status == JobStatus.DONE
    one = login(clerk).get(f"{BATCHES}{batch.pk}/").json()
    assert one["line_count"] == 3
    assert one["total_yuan"] == f"{one['total_fen'] // 100:,}.{one['total_fen'] % 100:02d}"
    assert sum(t["amount_fen"] for t in one["totals"]) == one["total_fen"]
    assert one["tampered_lines"] == []
    assert [m["to"] for m in one["allowed_transitions"]] == ["submitted"]


def test_bad_month_and_kind_are_400(area, clerk, login):
    client = login(clerk)
    assert post(client, BATCHES, {"month": "2026-13", "kind": "urban"}).status_code == 400
    assert post(client, BATCHES, {"month": "2026-11", "kind": "x"}).status_code == 400
    response = post(client, BATCHES, {"month": "2099-01", "kind": "urban"})
    assert response.status_code == 400 and response.json()["detail"]
    assert client.get(BATCHES, {"state": "nope"}).status_code == 400


def test_list_filters(closed, clerk, county, login):
    batch = made(clerk)
    client = login(county)
    assert [b["id"] for b in client.get(BATCHES, {"month": "2026-11"}).json()["results"]] == [
        batch.pk
    ]
    assert client.get(BATCHES, {"kind": "rural"}).json()["results"] == []
    assert client.get(BATCHES, {"state": "closed"}).json()["results"] == []


def test_lines_hold_release_and_transitions(closed, clerk, county, login):
    batch = made(clerk)
    client = login(clerk)
    lines = client.get(LINES, {"batch": batch.pk}).json()["results"]
    assert len(lines) == 3
    line = next(x for x in lines if x["amount_fen"] == 200000)
    assert line["amount_yuan"] == "2,000.00"
    assert "*" in line["id_number"]
    assert line["rules"][0]["rule"] == "share" and line["rules"][0]["text"]
    assert post(client, f"{LINES}{line['id']}/hold/", {"reason": ""}).status_code == 400
    held = post(client, f"{LINES}{line['id']}/hold/", {"reason": "核查中"})
    assert (held.status_code, held.json()["status"]) == (200, LineStatus.HELD)
    later = payout_batch_open(actor=clerk, month=dt.date(2026, 12, 1), kind=BatchKind.URBAN)
    released = post(client, f"{LINES}{line['id']}/release/", {"batch": later.pk})
    assert released.status_code == 200, released.json()
    assert (released.json()["batch"], released.json()["follows"]) == (later.pk, line["id"])
    # The county may not hold a line.
    other = lines[1]["id"]
    assert post(login(county), f"{LINES}{other}/hold/", {"reason": "x"}).status_code == 403

    client = login(clerk)  # one test client: logging in again is another user
    moved = post(client, f"{BATCHES}{batch.pk}/transition/", {"to": "submitted"})
    assert (moved.status_code, moved.json()["state"]) == (200, BatchState.SUBMITTED)
    refused = post(client, f"{BATCHES}{batch.pk}/transition/", {"to": "approved"})
    assert refused.status_code == 400
    approved = post(login(county), f"{BATCHES}{batch.pk}/transition/", {"to": "approved"})
    assert (approved.status_code, approved.json()["approved_by"]) == (200, county.username)


def test_grade_rules(area, county, clerk, login):
    response = post(
        login(county),
        RULES,
        {"grade": "fail", "effective_from": "2026-01-01", "deduction_fen": 20000},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["deduction_yuan"] == "200.00"
    both = post(
        login(county),
        RULES,
        {"grade": "pass", "effective_from": "2026-01-01", "deduction_fen": 1, "factor": "0.5"},
    )
    assert both.status_code == 400
    assert (
        post(login(clerk), RULES, {"grade": "fail", "effective_from": "2026-02-01"}).status_code
        == 403
    )
    assert [r["grade"] for r in login(clerk).get(RULES).json()["results"]] == ["fail"]
    assert GradeRule.objects.count() == 1
