"""The demo county's attendance (``seed_demo``; docs/policy.md §7).

The onboarding demo places its people today, so they have no past to show. This step adds the
people who were on posts before the county took up gongyi (placed from June to September 2026,
as a county's existing roster would be), and gives every placement its months: past months
recorded by the village with a few absences and leave, the months before last closed by the
township, last month submitted by some villages and closed for others, and the current month
open, recorded up to yesterday except in one village (whose people show as having no attendance);
and next week's leave in three villages, one approved, one waiting for the township.
Every write goes through the services, with its audit entries. Run again, it adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_record_many, snapshot
from gongyi.demo import DemoStep, register_demo_step
from gongyi.enums import AuditAction, Role
from gongyi.models import Region, User
from people.models import Person, Placement
from posts.enums import PostStatus
from posts.models import Post
from posts.selectors import free_places
from posts.services import post_occupancy_change
from subsidies.attendance.assessment import Typed, assessment_save, sheet_items
from subsidies.attendance.enums import SheetState
from subsidies.attendance.leave import leave_request, leave_transition
from subsidies.attendance.models import AbsenceKind, AttendanceMonth, AttendanceSheet, LeaveRequest
from subsidies.attendance.planning import month_prepare
from subsidies.attendance.services import grid_save, sheet_fill_present, sheet_transition
from subsidies.attendance.workdays import month_days

SEED = "gongyi-demo-attendance"
#: Months of attendance before the current one: six, so that the payout demo has a closed month
#: for each state of a payout batch (subsidies/payout/demo.py).
PAST_MONTHS = 6
#: Earlier placements to add, at most, per village with open posts.
PER_VILLAGE = 4
NOTE = "seed_demo: 系统上线前已在岗"
#: An hourly worker's day now and then half an hour shorter or longer than planned.
HALF_HOURS = (Decimal("-0.5"), Decimal("0.5"))


def _months(today: dt.date) -> list[dt.date]:
    first = today.replace(day=1)
    months = [first]
    for _i in range(PAST_MONTHS):
        months.insert(0, (months[0] - dt.timedelta(days=1)).replace(day=1))
    return months


def _earlier_placements(county: Region, rng: random.Random, actor: User) -> int:
    """People of each village placed on its open posts between June and September, as the
    county's roster had them before gongyi; skipped once the demo has any."""
    if Placement.objects.filter(
        region_code__startswith=county.code, start_date__lt=dt.date(2026, 10, 1)
    ).exists():
        return 0
    posts = list(
        Post.objects.filter(
            region_code__startswith=county.code,
            village__isnull=False,
            status__in=[PostStatus.OPEN, PostStatus.VACANT],
        ).order_by("region_code", "pk")
    )
    free = free_places(posts)
    made = []
    for village_code in sorted({p.region_code for p in posts}):
        people = list(
            Person.objects.filter(region_code=village_code, placements_used=0).order_by("pk")[
                : PER_VILLAGE * 3
            ]
        )
        rng.shuffle(people)
        village_posts = [p for p in posts if p.region_code == village_code and free[p.pk] > 0]
        for person, post in zip(people[:PER_VILLAGE], village_posts * PER_VILLAGE, strict=False):
            if free[post.pk] <= 0:
                continue
            start = dt.date(2026, rng.choice([6, 7, 8, 9]), 1)
            placement = Placement.objects.create(
                person=person,
                post=post,
                region_code=post.region_code,
                start_date=start,
                monthly_subsidy=post.monthly_subsidy,
                hourly_rate=post.hourly_rate,
                hours_per_week=post.hours_per_week,
                subsidy_start=start,
                subsidy_end=start.replace(year=start.year + 3) - dt.timedelta(days=1),
            )
            post_occupancy_change(actor=actor, post_id=post.pk, delta=1, on=start)
            Person.objects.filter(pk=person.pk).update(placements_used=1)
            free[post.pk] -= 1
            made.append(placement)
    audit_record_many(
        actor=actor,
        changes=[
            Change(AuditAction.CREATE, p, {k: [None, v] for k, v in snapshot(p).items()}, note=NOTE)
            for p in made
        ],
    )
    return len(made)


def _record(sheet: AttendanceSheet, user: User, rng: random.Random, upto: dt.date) -> None:
    """The village's month: all present up to ``upto``, then a few days of leave or absence."""
    kinds = {k.name: k.symbol for k in AbsenceKind.objects.filter(county__isnull=True)}
    cells = {}
    for row in AttendanceMonth.objects.filter(sheet=sheet).order_by("pk"):
        for index, planned in enumerate(row.planned):
            day = sheet.month + dt.timedelta(days=index)
            if planned <= 0 or day > upto:
                continue
            roll = rng.random()
            if roll < 0.02:
                cells[(row.pk, index)] = kinds["事假"]
            elif roll < 0.035:
                cells[(row.pk, index)] = kinds["病假"]
            elif roll < 0.04:
                cells[(row.pk, index)] = kinds["旷工"]
            elif row.hourly and roll < 0.2:
                cells[(row.pk, index)] = str(max(planned + rng.choice(HALF_HOURS), HALF_HOURS[1]))
    if cells:
        grid_save(actor=user, sheet_id=sheet.pk, cells=cells, today=upto)
    sheet_fill_present(actor=user, sheet_id=sheet.pk, today=upto)


def _leave(county: Region, users: dict, today: dt.date, *, exclude: str | None) -> int:
    """In each of the first three villages with people on posts: two days of sick leave next week,
    approved by the village, and a week of personal leave the township has still to decide."""
    if LeaveRequest.objects.filter(region_code__startswith=county.code).exists():
        return 0
    kinds = {k.name: k.pk for k in AbsenceKind.objects.filter(county__isnull=True)}
    monday = today + dt.timedelta(days=7 - today.weekday())
    made = 0
    villages = (
        Placement.objects.filter(region_code__startswith=county.code, end_date__isnull=True)
        .exclude(region_code=exclude)
        .filter(region_code__regex=r"^\d{12}$")
        .order_by("region_code")
        .values_list("region_code", flat=True)
        .distinct()[:3]
    )
    for code in villages:
        village = users.get(code)
        people = list(
            Placement.objects.filter(region_code=code, end_date__isnull=True, start_date__lte=today)
            .order_by("pk")
            .values_list("pk", flat=True)[:2]
        )
        if village is None or len(people) < 2:
            continue
        with transaction.atomic():
            sick = leave_request(
                actor=village,
                placement_id=people[0],
                kind_id=kinds["病假"],
                starts_on=monday,
                ends_on=monday + dt.timedelta(days=1),
                reason="看病复查",
            )
            leave_transition(actor=village, leave_id=sick.pk, action="approve")
            leave_request(
                actor=village,
                placement_id=people[1],
                kind_id=kinds["事假"],
                starts_on=monday,
                ends_on=monday + dt.timedelta(days=4),
                reason="家中老人住院陪护",
            )
        made += 2
    return made


def _touched(sheet: AttendanceSheet) -> bool:
    """Whether any day of ``sheet`` is marked."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM attendance_attendancemonth WHERE sheet_id = %s"
            " AND cardinality(array_positions(marks, NULL)) < cardinality(marks))",
            [sheet.pk],
        )
        return cursor.fetchone()[0]


def _score(sheet: AttendanceSheet, user: User, rng: random.Random) -> None:
    """The month's assessment: most people at full marks, now and then a deduction with its
    reason or an award (the county's shared points sheet)."""
    items = {i.name: i.pk for i in sheet_items(sheet)}
    typed = {}
    for row_id in (
        AttendanceMonth.objects.filter(sheet=sheet).order_by("pk").values_list("pk", flat=True)
    ):
        roll = rng.random()
        if roll < 0.1 and "迟到早退" in items:
            typed[row_id] = Typed({items["迟到早退"]: "2"}, "本月迟到两次")
        elif roll < 0.13 and "岗位任务未完成" in items:
            typed[row_id] = Typed({items["岗位任务未完成"]: "5"}, "保洁区域未按时清扫")
        elif roll < 0.18 and "群众表扬" in items:
            typed[row_id] = Typed({items["群众表扬"]: "2"})
        else:
            typed[row_id] = Typed({})
    if typed:
        assessment_save(actor=user, sheet_id=sheet.pk, rows=typed)


def seed_attendance(*, county: Region, options: dict, stdout) -> None:
    today = timezone.localdate()
    rng = random.Random(SEED)
    users = {
        u.region.code: u
        for u in User.objects.filter(region__code__startswith=county.code).select_related("region")
        if u.role in (Role.VILLAGE, Role.CLERK)
    }
    county_user = User.objects.filter(role=Role.COUNTY, region=county).order_by("pk").first()
    with transaction.atomic():
        placed = _earlier_placements(county, rng, county_user)
    months = _months(today)
    # The village left unrecorded this month: the first village with people on posts.
    quiet = (
        Placement.objects.filter(region_code__startswith=county.code, end_date__isnull=True)
        .exclude(region_code__regex=r"^\d{9}$")
        .order_by("region_code")
        .values_list("region_code", flat=True)
        .first()
    )
    closed = 0
    for month in months:
        with transaction.atomic():
            month_prepare(month=month, region_code=county.code)
        current = month == months[-1]
        last = month == months[-2]
        sheets = AttendanceSheet.objects.filter(
            region_code__startswith=county.code, month=month, state=SheetState.OPEN
        ).order_by("region_code")
        for n, sheet in enumerate(sheets):
            recorder = users.get(sheet.region_code) or users.get(sheet.region_code[:9])
            clerk = users.get(sheet.region_code[:9])
            if recorder is None or clerk is None or (current and sheet.region_code == quiet):
                continue
            if _touched(sheet):
                continue  # recorded by an earlier run, or by hand since: left as it is
            month_end = month_days(month)[-1]
            with transaction.atomic():
                _record(sheet, recorder, rng, min(month_end, today - dt.timedelta(days=1)))
                if current:
                    continue
                _score(sheet, recorder, rng)
                if recorder == clerk:
                    # A township's own posts: submitted by its clerk, closed by the county's
                    # other clerk would be needed; leave them submitted for the demo clerk.
                    sheet_transition(actor=recorder, sheet_id=sheet.pk, to=SheetState.SUBMITTED)
                    continue
                sheet_transition(actor=recorder, sheet_id=sheet.pk, to=SheetState.SUBMITTED)
                if not last or n % 2:
                    sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.CLOSED)
                    closed += 1
    leaves = _leave(county, users, today, exclude=quiet)
    rows = AttendanceMonth.objects.filter(region_code__startswith=county.code).count()
    stdout.write(
        _(
            "Demo attendance: %(placed)s earlier placements, %(closed)s months closed, "
            "%(leaves)s leave requests; %(rows)s person-months in %(county)s."
        )
        % {
            "placed": placed,
            "closed": closed,
            "leaves": leaves,
            "rows": rows,
            "county": county.name,
        }
    )


register_demo_step(DemoStep("attendance", seed_attendance))
