"""Work arrangements (docs/policy.md §7): setting a post's week from a date replans its open
months; submitted or closed months and marked days are protected. And the daily job."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from gongyi.errors import DomainError
from gongyi.models import AuditEntry
from subsidies.attendance.arrangements import arrangement_set
from subsidies.attendance.enums import SheetState
from subsidies.attendance.models import AttendanceMonth, AttendanceSheet, WorkArrangement
from subsidies.attendance.services import grid_save
from subsidies.attendance.tasks import months_prepare
from tests.attendance.conftest import AFTER, NOV
from tests.factories import PlacementFactory, PostFactory

D = Decimal


def test_arrangement_replans_the_open_month(month, clerk):
    _sheet, (a, _b, _hourly) = month
    arrangement_set(
        actor=clerk,
        post_id=a.placement.post_id,
        effective_from=dt.date(2026, 11, 1),
        weekdays=[1, 2, 3, 4, 5, 6],
        hours=D(6),
    )
    a.refresh_from_db()
    assert a.planned[6] == D(6)  # Saturday the 7th is a working day now
    assert sum(a.planned) == D(150)
    assert AuditEntry.objects.filter(object_type="attendance.workarrangement").exists()


def test_hourly_post_takes_hours_a_week(month, clerk):
    _sheet, (_a, _b, hourly) = month
    arrangement_set(
        actor=clerk,
        post_id=hourly.placement.post_id,
        effective_from=dt.date(2026, 11, 1),
        weekdays=[1, 3, 5],
        hours=D(12),
    )
    hourly.refresh_from_db()
    assert hourly.planned[1] == D(4) and hourly.planned[2] == 0
    assert WorkArrangement.objects.get(post=hourly.placement.post).hours_per_day is None


@pytest.mark.parametrize(
    "weekdays, hours, message",
    [([], D(8), "工作日"), ([1, 2], D(9), "至多"), ([1, 2], D(0), "大于")],
)
def test_bad_arrangements_are_refused(month, clerk, weekdays, hours, message):
    _sheet, (a, _b, _h) = month
    with pytest.raises(DomainError, match=message):
        arrangement_set(
            actor=clerk,
            post_id=a.placement.post_id,
            effective_from=dt.date(2026, 11, 1),
            weekdays=weekdays,
            hours=hours,
        )
    assert not WorkArrangement.objects.exists()


def test_marked_day_may_not_become_a_rest_day(month, clerk, village_user):
    sheet, (a, _b, _h) = month
    grid_save(actor=village_user, sheet_id=sheet.pk, cells={(a.pk, 1): "√"}, today=AFTER)
    with pytest.raises(DomainError, match="休息日"):
        arrangement_set(
            actor=clerk,
            post_id=a.placement.post_id,
            effective_from=dt.date(2026, 11, 1),
            weekdays=[3, 4, 5],
            hours=D(8),
        )
    assert not WorkArrangement.objects.exists()


def test_a_closed_month_is_not_replanned(month, clerk):
    sheet, (a, _b, _h) = month
    AttendanceSheet.objects.filter(pk=sheet.pk).update(state=SheetState.CLOSED)
    with pytest.raises(DomainError, match="更晚"):
        arrangement_set(
            actor=clerk,
            post_id=a.placement.post_id,
            effective_from=dt.date(2026, 11, 20),
            weekdays=[1, 2, 3, 4, 5],
            hours=D(6),
        )


def test_village_may_not_set_arrangements(month, village_user, login):
    _sheet, (a, _b, _h) = month
    response = login(village_user).post(
        reverse("attendance-arrangements"),
        {
            "post": a.placement.post_id,
            "effective_from": "2026-11-01",
            "weekdays": ["1"],
            "hours": "8",
        },
    )
    assert response.status_code == 403


def test_arrangements_page_sets_one(month, clerk, login):
    _sheet, (a, _b, _h) = month
    client = login(clerk)
    assert client.get(reverse("attendance-arrangements")).status_code == 200
    response = client.post(
        reverse("attendance-arrangements"),
        {
            "post": a.placement.post_id,
            "effective_from": "2026-11-01",
            "weekdays": ["1", "2", "3", "4", "5", "6"],
            "hours": "6",
        },
        follow=True,
    )
    assert "已保存" in response.content.decode()
    assert "一二三四五六" in client.get(reverse("attendance-arrangements")).content.decode()


def test_daily_job_prepares_the_month_and_is_safe_twice(area, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 11, 5))
    PlacementFactory(post=PostFactory(village=area.village))
    first = months_prepare()
    second = months_prepare()
    assert first["rows"]["370902"] == 1 and second["rows"]["370902"] == 0
    assert AttendanceMonth.objects.filter(month=NOV).count() == 1


def test_hourly_week_is_capped_by_the_part_time_limit(month, clerk):
    _sheet, (_a, _b, hourly) = month
    with pytest.raises(DomainError, match="24"):
        arrangement_set(
            actor=clerk,
            post_id=hourly.placement.post_id,
            effective_from=dt.date(2026, 11, 1),
            weekdays=[1, 2, 3, 4, 5],
            hours=D(25),
        )
