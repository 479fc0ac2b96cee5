"""Attendance (docs/policy.md §7): work arrangements, the kinds of absence, and one row per
placement and month holding every day of it.

Storage for a province (500,000 placements × 31 days, years of it): a placement's month is one
row, not 31. Its days are arrays indexed by the day of the month: ``planned`` (the hours the work
arrangement asks of that day, 0 on a rest day or outside the placement), ``marks`` (NULL not yet
marked, ``PRESENT``, or an absence kind's id) and, for hourly posts, ``hours`` worked. The month's
totals are computed and frozen when the township closes the month; afterwards a correction is an
``AttendanceAdjustment`` row, never an edit of the closed row.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongyi.models import User, county_foreign_key
from people.models import Placement
from posts.models import Post
from subsidies.attendance.enums import WEEKDAY_NAMES, AbsenceCategory, SheetState

HOURS = {"max_digits": 4, "decimal_places": 1}


class WorkArrangement(models.Model):
    """工作安排: a post's working days of the week and hours, from a date on (docs/policy.md §7).

    ``weekdays`` are ISO numbers (1 Monday … 7 Sunday). A full-time post works ``hours_per_day``
    on each; an hourly post's agreed ``hours_per_week`` spread evenly over them. Without a row a
    post works Monday to Friday, 8 hours a day, or its agreed weekly hours
    (``workdays.DEFAULT_WEEKDAYS``).
    """

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="arrangements"
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    effective_from = models.DateField(_("effective from"))
    weekdays = ArrayField(models.PositiveSmallIntegerField(), verbose_name=_("working days"))
    hours_per_day = models.DecimalField(_("hours a day"), null=True, blank=True, **HOURS)
    hours_per_week = models.DecimalField(_("hours a week"), null=True, blank=True, **HOURS)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    scope_code_field = "region_code"

    class Meta:
        verbose_name = _("work arrangement")
        verbose_name_plural = _("work arrangements")
        ordering = ["post", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "effective_from"], name="arrangement_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(weekdays__contained_by=[1, 2, 3, 4, 5, 6, 7]) & Q(weekdays__len__gt=0),
                name="arrangement_weekdays_valid",
            ),
            # Exactly one of the two: daily hours (full-time) or weekly hours (hourly).
            models.CheckConstraint(
                condition=(Q(hours_per_day__gt=0) & Q(hours_per_week__isnull=True))
                | (Q(hours_per_day__isnull=True) & Q(hours_per_week__gt=0)),
                name="arrangement_hours_one_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} {self.effective_from}"

    @property
    def weekdays_text(self) -> str:
        return "".join(WEEKDAY_NAMES[d - 1] for d in self.weekdays)


class AbsenceKind(models.Model):
    """A kind of leave or absence (事假, 病假, 婚丧假, 工伤, 旷工 and the county's own), saying
    whether its days are paid. Rows without a county are shared by every county."""

    county = county_foreign_key(null=True)
    name = models.CharField(_("name"), max_length=20)
    category = models.CharField(
        _("leave or absence"), max_length=8, choices=AbsenceCategory.choices
    )
    paid = models.BooleanField(_("paid"))
    #: One character for the grid's cell (事, 病, 旷…).
    symbol = models.CharField(_("symbol"), max_length=1)
    #: A Latin letter typed for it in the grid (s 事假, b 病假…), unique in the county.
    shortcut = models.CharField(_("shortcut key"), max_length=1)
    active = models.BooleanField(_("in use"), default=True)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_code_field = "county__code"
    scope_include_ancestors = True

    class Meta:
        verbose_name = _("kind of absence")
        verbose_name_plural = _("kinds of absence")
        ordering = ["ordering", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(county__isnull=True), name="absence_kind_shared_name"
            ),
            models.UniqueConstraint(fields=["county", "name"], name="absence_kind_county_name"),
        ]

    def __str__(self) -> str:
        return self.name


class AttendanceSheet(models.Model):
    """A unit's month (a village, or a township for the posts it uses directly): recorded by the
    village, submitted, checked and closed by the township (docs/policy.md §7)."""

    region_code = models.CharField(_("region code"), max_length=12)
    month = models.DateField(_("month"))
    state = models.CharField(
        _("state"), max_length=12, choices=SheetState.choices, default=SheetState.OPEN
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        User,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_reason = models.CharField(_("reason returned"), max_length=300, blank=True)

    scope_code_field = "region_code"

    class Meta:
        verbose_name = _("attendance sheet")
        verbose_name_plural = _("attendance sheets")
        ordering = ["-month", "region_code"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "month"], name="sheet_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="sheet_month_first_day"),
        ]
        indexes = [
            models.Index(
                fields=["month", "region_code"],
                name="sheet_month_idx",
                opclasses=["date_ops", "varchar_pattern_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.month:%Y-%m}"


class AttendanceMonth(models.Model):
    """A placement's month: its planned hours, its marks and, once closed, its frozen totals.

    The totals are what the payout pays from (docs/policy.md §7): required and present days,
    paid and unpaid leave, absence, required and worked hours, and the leave days by kind.
    """

    # No index of their own: (sheet, placement) and (placement, month) below lead with them.
    sheet = models.ForeignKey(
        AttendanceSheet,
        verbose_name=_("sheet"),
        on_delete=models.PROTECT,
        related_name="rows",
        db_index=False,
    )
    placement = models.ForeignKey(
        Placement,
        verbose_name=_("placement"),
        on_delete=models.PROTECT,
        related_name="months",
        db_index=False,
    )
    month = models.DateField(_("month"))
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    hourly = models.BooleanField(_("hourly post"))
    planned = ArrayField(models.DecimalField(**HOURS), verbose_name=_("planned hours"))
    marks = ArrayField(models.IntegerField(null=True, blank=True), verbose_name=_("marks"))
    hours = ArrayField(
        models.DecimalField(null=True, blank=True, **HOURS),
        verbose_name=_("hours worked"),
        null=True,
        blank=True,
    )
    #: The post's working days and hours in the whole month, as if the placement covered all of
    #: it: a placement that starts or ends inside the month is paid its share of them. Written
    #: with ``planned`` (``planning.PLAN_SQL``).
    full_days = models.PositiveSmallIntegerField(_("working days of the month"))
    full_hours = models.DecimalField(
        _("working hours of the month"), max_digits=6, decimal_places=1
    )
    # The totals, written when the month closes (``services.sheet_close``).
    required_days = models.PositiveSmallIntegerField(_("days required"), null=True, blank=True)
    present_days = models.PositiveSmallIntegerField(_("days present"), null=True, blank=True)
    paid_leave_days = models.PositiveSmallIntegerField(_("paid leave days"), null=True, blank=True)
    unpaid_leave_days = models.PositiveSmallIntegerField(
        _("unpaid leave days"), null=True, blank=True
    )
    absent_days = models.PositiveSmallIntegerField(_("days absent"), null=True, blank=True)
    required_hours = models.DecimalField(
        _("hours required"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    worked_hours = models.DecimalField(
        _("hours worked"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    paid_leave_hours = models.DecimalField(
        _("paid leave hours"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    #: {absence kind id: days} of the closed month, for the notice's leave by kind.
    days_by_kind = models.JSONField(_("days by kind"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_code_field = "region_code"
    #: The pages are refused to reviewers by role; the scope says the same as the placement's.
    scope_reviewer_path = "placement__person__applications"

    class Meta:
        verbose_name = _("attendance month")
        verbose_name_plural = _("attendance months")
        ordering = ["month", "placement"]
        constraints = [
            # A placement's month is one row: the payout pays it once.
            models.UniqueConstraint(fields=["placement", "month"], name="attendance_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="attendance_month_first_day"),
            # One element per day of the month in every array.
            models.CheckConstraint(
                condition=Q(planned__len__gte=28)
                & Q(planned__len__lte=31)
                & Q(marks__len=models.F("planned__len")),
                name="attendance_days_of_month",
            ),
        ]
        indexes = [
            models.Index(fields=["sheet", "placement"], name="attendance_sheet_idx"),
            # An area's month (the overview, the people with no attendance): a prefix of the
            # region code within one month, never a scan of every month kept.
            models.Index(
                fields=["month", "region_code"],
                name="attendance_month_area_idx",
                opclasses=["date_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.month:%Y-%m}"


class AttendanceAdjustment(models.Model):
    """A correction of a closed month (docs/policy.md §7): the day, what it was and what it is,
    the reason, and who made it. It is shown on the sheet and carried into the next payout;
    the closed row is never edited."""

    row = models.ForeignKey(
        AttendanceMonth,
        verbose_name=_("attendance month"),
        on_delete=models.PROTECT,
        related_name="adjustments",
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    day = models.DateField(_("day"))
    mark_before = models.IntegerField(_("mark before"), null=True, blank=True)
    mark_after = models.IntegerField(_("mark after"), null=True, blank=True)
    hours_before = models.DecimalField(_("hours before"), null=True, blank=True, **HOURS)
    hours_after = models.DecimalField(_("hours after"), null=True, blank=True, **HOURS)
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        User, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)
    #: Set by the payout that carries it; until then the adjustment is pending.
    carried_at = models.DateTimeField(_("carried into a payout"), null=True, blank=True)

    scope_code_field = "region_code"
    scope_reviewer_path = "row__placement__person__applications"

    class Meta:
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.row} {self.day}"
