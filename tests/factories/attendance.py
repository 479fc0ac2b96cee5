"""Factories of attendance (``subsidies.attendance``)."""

import datetime as dt
from decimal import Decimal

import factory

from subsidies.attendance.enums import AbsenceCategory, AssessmentKind, Grade, LeaveState
from subsidies.attendance.models import (
    AbsenceKind,
    Assessment,
    AssessmentEntry,
    AssessmentItem,
    AttendanceAdjustment,
    AttendanceMonth,
    AttendanceSheet,
    LeaveRequest,
    WorkArrangement,
)
from subsidies.attendance.workdays import month_days
from tests.factories.gongyi import RegionFactory, first_user
from tests.factories.people import PlacementFactory
from tests.factories.posts import PostFactory

NOVEMBER = dt.date(2026, 11, 1)


class WorkArrangementFactory(factory.django.DjangoModelFactory):
    """Monday to Saturday, 6 hours a day, from the post's opening."""

    class Meta:
        model = WorkArrangement

    post = factory.SubFactory(PostFactory)
    region_code = factory.LazyAttribute(lambda o: o.post.region_code)
    effective_from = dt.date(2026, 3, 1)
    weekdays = [1, 2, 3, 4, 5, 6]
    hours_per_day = Decimal(6)
    hours_per_week = None
    created_by = factory.LazyFunction(first_user)


class AbsenceKindFactory(factory.django.DjangoModelFactory):
    """A county's own kind: 育儿假, paid leave."""

    class Meta:
        model = AbsenceKind

    county = factory.SubFactory(RegionFactory, code="370902", name="泰山区")
    name = factory.Sequence(lambda n: f"育儿假{n}")
    category = AbsenceCategory.LEAVE
    paid = True
    symbol = "育"
    shortcut = "y"


class AttendanceSheetFactory(factory.django.DjangoModelFactory):
    """A village's November 2026, open."""

    class Meta:
        model = AttendanceSheet

    region_code = factory.Sequence(lambda n: f"370902001{n % 1000:03d}")
    month = NOVEMBER


class AttendanceMonthFactory(factory.django.DjangoModelFactory):
    """A placement's November 2026 on its sheet, nothing marked, 8 hours planned on weekdays."""

    class Meta:
        model = AttendanceMonth

    placement = factory.SubFactory(PlacementFactory)
    sheet = factory.LazyAttribute(
        lambda o: AttendanceSheet.objects.get_or_create(
            region_code=o.placement.region_code, month=o.month
        )[0]
    )
    month = NOVEMBER
    region_code = factory.LazyAttribute(lambda o: o.placement.region_code)
    hourly = False
    planned = factory.LazyAttribute(
        lambda o: [Decimal(8) if d.isoweekday() <= 5 else Decimal(0) for d in month_days(o.month)]
    )
    marks = factory.LazyAttribute(lambda o: [None] * len(o.planned))
    hours = None
    full_days = factory.LazyAttribute(lambda o: sum(1 for p in o.planned if p > 0))
    full_hours = factory.LazyAttribute(lambda o: sum(o.planned, Decimal(0)))


class AttendanceAdjustmentFactory(factory.django.DjangoModelFactory):
    """A correction of 2026-11-02 from absent to present."""

    class Meta:
        model = AttendanceAdjustment

    row = factory.SubFactory(AttendanceMonthFactory)
    region_code = factory.LazyAttribute(lambda o: o.row.region_code)
    day = dt.date(2026, 11, 2)
    mark_before = None
    mark_after = 0
    reason = "补录"
    created_by = factory.LazyFunction(first_user)


class LeaveRequestFactory(factory.django.DjangoModelFactory):
    """Two days of 事假 (the shared kind), 2026-11-02 and 03, requested."""

    class Meta:
        model = LeaveRequest

    placement = factory.SubFactory(PlacementFactory)
    region_code = factory.LazyAttribute(lambda o: o.placement.region_code)
    kind = factory.LazyFunction(lambda: AbsenceKind.objects.get(county=None, name="事假"))
    starts_on = dt.date(2026, 11, 2)
    ends_on = dt.date(2026, 11, 3)
    working_days = 2
    reason = "家中有事"
    state = LeaveState.REQUESTED
    created_by = factory.LazyFunction(first_user)


class AssessmentItemFactory(factory.django.DjangoModelFactory):
    """A county's own deduction: 2 points by default, 1 to 5."""

    class Meta:
        model = AssessmentItem

    county = factory.SubFactory(RegionFactory, code="370902", name="泰山区")
    name = factory.Sequence(lambda n: f"卫生不达标{n}")
    kind = AssessmentKind.DEDUCTION
    default_points = Decimal(2)
    min_points = Decimal(1)
    max_points = Decimal(5)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A person's November 2026 scored 95, excellent."""

    class Meta:
        model = Assessment

    row = factory.SubFactory(AttendanceMonthFactory)
    region_code = factory.LazyAttribute(lambda o: o.row.region_code)
    score = Decimal(95)
    grade = Grade.EXCELLENT
    assessed_by = factory.LazyFunction(first_user)
    assessed_at = factory.LazyFunction(lambda: dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC))


class AssessmentEntryFactory(factory.django.DjangoModelFactory):
    """Two points of a deduction in a scored month."""

    class Meta:
        model = AssessmentEntry

    assessment = factory.SubFactory(AssessmentFactory, comment="两次迟到")
    region_code = factory.LazyAttribute(lambda o: o.assessment.region_code)
    item = factory.SubFactory(AssessmentItemFactory)
    points = Decimal(2)
