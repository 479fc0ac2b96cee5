"""Payout pages (subsidies/payout/views.py): the batches list and its open-and-generate form (the
lines made by the background job), the batch page with its lines and how each amount was
reached, holding and releasing, the moves by role, the tampered warning, the grade rules."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from gongyi.enums import Role
from gongyi.models import Job, JobStatus
from subsidies.payout.enums import BatchKind, BatchState, LineStatus
from subsidies.payout.jobs import GENERATE
from subsidies.payout.models import GradeRule, PayoutBatch, PayoutLine
from subsidies.payout.services import payout_batch_generate, payout_batch_open
from tests.attendance.conftest import NOV
from tests.factories import UserFactory
from tests.factories.payout import PayoutBatchFactory, PayoutLineFactory

pytestmark = pytest.mark.django_db

LIST = reverse("payout-list")


def made(clerk):
    batch = payout_batch_open(actor=clerk, month=NOV, kind=BatchKind.URBAN)
    return payout_batch_generate(actor=clerk, batch_id=batch.pk).batch


def page(url):
    return reverse("payout-batch", args=[url])


def test_clerk_opens_and_generates_the_month_in_the_background(
    closed, clerk, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = login(clerk).post(LIST, {"month": "2026-11", "kind": "urban"})
    batch = PayoutBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page(batch.pk)
    assert len(callbacks) == 1
    job = Job.objects.get(kind=GENERATE)
    assert (job.status, job.params, job.result["lines"]) == (JobStatus.DONE, {"batch": batch.pk}, 3)
    assert batch.lines.count() == 3
    assert batch.generated_at is not None


def test_a_generation_running_is_shown_with_its_progress(closed, clerk, login):
    # Without the commit callbacks the job stays queued: the page shows its progress bar.
    login(clerk).post(LIST, {"month": "2026-11", "kind": "urban"})
    batch = PayoutBatch.objects.get()
    job = Job.objects.get(kind=GENERATE)
    assert job.status == JobStatus.QUEUED
    body = login(clerk).get(page(batch.pk)).content.decode()
    assert reverse("job-status", args=[job.pk]) in body
    # A second start while it runs is the same job.
    login(clerk).post(page(batch.pk), {"action": "generate"})
    assert Job.objects.filter(kind=GENERATE).count() == 1


def test_opening_a_month_not_begun_is_refused_with_a_message(area, clerk, login):
    response = login(clerk).post(LIST, {"month": "2099-01", "kind": "urban"}, follow=True)
    assert not PayoutBatch.objects.exists()
    assert "尚未开始" in response.content.decode() or response.context["messages"]


@pytest.mark.parametrize("role", [Role.COUNTY, Role.ADMIN])
def test_only_the_township_opens_a_batch(role, area, users, login):
    response = login(users[role]).post(LIST, {"month": "2026-11", "kind": "urban"})
    assert response.status_code == 403
    assert not PayoutBatch.objects.exists()


@pytest.mark.parametrize("role", [Role.VILLAGE, Role.REVIEWER])
def test_village_and_reviewer_are_refused(role, area, users, login):
    client = login(users[role])
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, {"month": "2026-11", "kind": "urban"}).status_code == 403


def test_list_shows_state_kind_lines_and_total_in_yuan_and_filters(closed, clerk, county, login):
    batch = made(clerk)
    total = sum(batch.lines.values_list("amount_fen", flat=True))
    body = login(county).get(LIST).content.decode()
    assert "岱庙街道" in body
    whole, fen = divmod(total, 100)
    assert f"{whole:,}.{fen:02d}" in body
    assert login(county).get(LIST, {"state": "approved"}).context["page"].object_list == []
    assert list(login(county).get(LIST, {"month": "2026-11", "kind": "urban"}).context["page"]) == [
        batch
    ]
    assert list(login(county).get(LIST, {"kind": "rural"}).context["page"]) == []


def test_batch_page_shows_lines_masked_with_their_rules(closed, clerk, login):
    batch = made(clerk)
    response = login(clerk).get(page(batch.pk))
    body = response.content.decode()
    line = batch.lines.get(row=closed.a)
    assert line.person_name in body
    assert line.id_number not in body
    assert line.id_number[:6] in body
    # a: 2,100.00 × 20 / 21 = 2,000.00, with the rule in words
    assert "2,000.00" in body
    assert "2,100.00" in body
    assert response.context["tampered"] == []


def test_hold_needs_a_reason_and_release_into_a_later_batch(closed, clerk, login):
    batch = made(clerk)
    line = batch.lines.get(row=closed.a)
    client = login(clerk)
    client.post(page(batch.pk), {"action": "hold", "line": line.pk, "reason": " "})
    assert PayoutLine.objects.get(pk=line.pk).status == LineStatus.PENDING
    response = client.post(page(batch.pk), {"action": "hold", "line": line.pk, "reason": "核查中"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.status, line.held_reason) == (LineStatus.HELD, "核查中")
    assert "核查中" in client.get(page(batch.pk)).content.decode()
    later = payout_batch_open(actor=clerk, month=dt.date(2026, 12, 1), kind=BatchKind.URBAN)
    response = client.post(
        page(batch.pk), {"action": "release", "line": line.pk, "batch": later.pk}
    )
    assert response["Location"] == page(later.pk)
    line.refresh_from_db()
    assert line.status == LineStatus.RELEASED
    assert later.lines.get().follows_id == line.pk


def test_moves_by_role_and_the_preparer_cannot_approve(closed, clerk, county, login):
    batch = made(clerk)
    assert [m["action"] for m in login(clerk).get(page(batch.pk)).context["moves"]] == ["submit"]
    assert login(county).get(page(batch.pk)).context["moves"] == []
    # The county cannot submit: the service refuses, nothing moves.
    login(county).post(page(batch.pk), {"action": "submit"})
    assert PayoutBatch.objects.get(pk=batch.pk).state == BatchState.DRAFT
    login(clerk).post(page(batch.pk), {"action": "submit"})
    assert PayoutBatch.objects.get(pk=batch.pk).state == BatchState.SUBMITTED
    moves = [m["action"] for m in login(county).get(page(batch.pk)).context["moves"]]
    assert moves == ["approve", "return"]
    # Returning needs a reason.
    login(county).post(page(batch.pk), {"action": "return", "reason": ""})
    assert PayoutBatch.objects.get(pk=batch.pk).state == BatchState.SUBMITTED
    login(county).post(page(batch.pk), {"action": "return", "reason": "人数不符"})
    batch.refresh_from_db()
    assert (batch.state, batch.returned_reason) == (BatchState.DRAFT, "人数不符")
    login(clerk).post(page(batch.pk), {"action": "submit"})
    login(clerk).post(page(batch.pk), {"action": "approve"})  # not the clerk's move
    assert PayoutBatch.objects.get(pk=batch.pk).state == BatchState.SUBMITTED
    response = login(county).post(page(batch.pk), {"action": "approve"})
    assert response["Location"] == page(batch.pk)
    batch.refresh_from_db()
    assert (batch.state, batch.approved_by) == (BatchState.APPROVED, county)


def test_a_county_user_who_prepared_it_cannot_approve(area, login):
    """The approver is never the preparer: shown by the service's message on the page."""
    county = UserFactory(role=Role.COUNTY, region=area.county)
    batch = PayoutBatchFactory(
        region_code=area.township.code, state=BatchState.SUBMITTED, created_by=county
    )
    PayoutLineFactory(batch=batch, region_code=area.village.code)
    response = login(county).post(page(batch.pk), {"action": "approve"}, follow=True)
    assert PayoutBatch.objects.get(pk=batch.pk).state == BatchState.SUBMITTED
    assert response.status_code == 200


def test_a_line_changed_behind_the_systems_back_is_warned_of(closed, clerk, login):
    batch = made(clerk)
    line = batch.lines.first()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE payout_payoutline SET amount_fen = 1 WHERE id = %s", [line.pk])
    response = login(clerk).get(page(batch.pk))
    assert response.context["tampered"] == [line.pk]
    assert (
        "系统外" in response.content.decode() or "outside the system" in response.content.decode()
    )


def test_get_and_post_of_unknown_methods(closed, clerk, login):
    batch = made(clerk)
    assert login(clerk).put(page(batch.pk)).status_code == 405
    assert login(clerk).delete(LIST).status_code == 405


@pytest.mark.parametrize("lines", [5, 50])
def test_batch_page_queries_do_not_grow_with_the_lines(
    lines, area, clerk, login, django_assert_num_queries
):
    batch = PayoutBatchFactory(region_code=area.township.code)
    for _ in range(lines):
        PayoutLineFactory(batch=batch, region_code=area.village.code)
    client = login(clerk)
    client.get(page(batch.pk))  # warm the session and the settings caches
    with django_assert_num_queries(QUERIES):
        response = client.get(page(batch.pk))
    assert len(response.context["page"]) == lines


#: The batch page's queries whatever its number of lines.
QUERIES = 13


def test_grade_rules_list_and_add_by_the_county(area, county, clerk, login):
    client = login(county)
    response = client.post(
        reverse("payout-grade-rules"),
        {
            "grade": "fail",
            "effective_from": "2026-01-01",
            "kind": "deduction",
            "value": "200",
            "note": "区人社局文件",
        },
    )
    assert response.status_code == 302
    rule = GradeRule.objects.get()
    assert (rule.grade, rule.deduction_fen, rule.factor, rule.county) == (
        "fail",
        20000,
        None,
        area.county,
    )
    client.post(
        reverse("payout-grade-rules"),
        {"grade": "basic", "effective_from": "2026-01-01", "kind": "factor", "value": "abc"},
    )
    assert GradeRule.objects.count() == 1
    body = login(clerk).get(reverse("payout-grade-rules")).content.decode()
    assert "200.00" in body
    response = login(clerk).post(
        reverse("payout-grade-rules"),
        {"grade": "fail", "effective_from": "2026-02-01", "kind": "factor", "value": "0.5"},
    )
    assert response.status_code == 403
    assert GradeRule.objects.count() == 1
