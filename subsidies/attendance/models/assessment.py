"""The monthly assessment (月度考核, docs/policy.md §7): a county's points sheet, and each
placement's month scored from it.

The points sheet is data: items of three kinds (seed 000: 正向积分、负面扣分、奖励赋分), each with
its default points and the range an assessor may give; rows without a county are shared by every
county, as the kinds of absence are. A person's month is one ``Assessment`` (the score, its grade
and the assessor's comment, required when anything is deducted) with one ``AssessmentEntry`` per
item given. It is written while the month is with its assessor and stays as it is once the
township closes the month.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gongyi.models import User, county_foreign_key
from subsidies.attendance.enums import AssessmentKind, Grade
from subsidies.attendance.models.core import AttendanceMonth

POINTS = {"max_digits": 5, "decimal_places": 1}


class AssessmentItem(models.Model):
    """An item of the points sheet: what is scored, of which kind, how many points by default and
    the range an assessor may give (a score outside it is refused)."""

    county = county_foreign_key(null=True)
    name = models.CharField(_("name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=AssessmentKind.choices)
    default_points = models.DecimalField(_("default points"), **POINTS)
    min_points = models.DecimalField(_("fewest points"), **POINTS)
    max_points = models.DecimalField(_("most points"), **POINTS)
    active = models.BooleanField(_("in use"), default=True)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_code_field = "county__code"
    scope_include_ancestors = True

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["ordering", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(county__isnull=True), name="assessment_item_shared"
            ),
            models.UniqueConstraint(fields=["county", "name"], name="assessment_item_county_name"),
            models.CheckConstraint(
                condition=Q(min_points__gt=0)
                & Q(min_points__lte=F("default_points"))
                & Q(default_points__lte=F("max_points")),
                name="assessment_item_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """考核结果: a placement's month scored, with its grade; one per attendance month."""

    row = models.OneToOneField(
        AttendanceMonth,
        verbose_name=_("attendance month"),
        on_delete=models.PROTECT,
        related_name="assessment",
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    score = models.DecimalField(_("score"), **POINTS)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    #: Why points were taken off (required when an item is a deduction), or any note.
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    assessed_by = models.ForeignKey(
        User, verbose_name=_("assessed by"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed"))

    scope_code_field = "region_code"
    scope_reviewer_path = "row__placement__person__applications"

    class Meta:
        verbose_name = _("monthly assessment")
        verbose_name_plural = _("monthly assessments")
        ordering = ["row"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0), name="assessment_score_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.row} {self.score}"


class AssessmentEntry(models.Model):
    """An item given in a month's assessment, with its points (within the item's range: the
    service checks, since the range is on another table)."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("monthly assessment"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    item = models.ForeignKey(
        AssessmentItem,
        verbose_name=_("assessment item"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    points = models.DecimalField(_("points"), **POINTS)

    scope_code_field = "region_code"
    scope_reviewer_path = "assessment__row__placement__person__applications"

    class Meta:
        verbose_name = _("assessment entry")
        verbose_name_plural = _("assessment entries")
        ordering = ["assessment", "item"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="assessment_entry_once"),
            models.CheckConstraint(condition=Q(points__gt=0), name="assessment_entry_points"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.points}"
