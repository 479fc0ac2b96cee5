"""Choices of attendance: the month sheet's states and the marks of a day (docs/policy.md §7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SheetState(models.TextChoices):
    """A unit's month: the village (or the using unit) keeps it open, submits it, and the
    township closes it or returns it (docs/policy.md §7)."""

    OPEN = "open", _("Being recorded")
    SUBMITTED = "submitted", _("Submitted")
    CLOSED = "closed", _("Month closed")


#: The mark of a day on which the person worked. Any other mark is an absence kind's id (>0);
#: an unmarked working day is NULL. Rest days have 0 planned hours and no mark.
PRESENT = 0


class AbsenceCategory(models.TextChoices):
    LEAVE = "leave", _("Leave")
    ABSENCE = "absence", _("Absence")


class AssessmentKind(models.TextChoices):
    """The three kinds of item on a county's points sheet (seed 000: 正向积分、负面扣分、奖励赋分;
    docs/policy.md §7). Points are kept as positive numbers; a deduction's are taken off."""

    POSITIVE = "positive", _("Positive points")
    DEDUCTION = "deduction", _("Deduction")
    AWARD = "award", _("Award points")


class Grade(models.TextChoices):
    """A month's grade by its score (docs/policy.md §7; thresholds are settings)."""

    EXCELLENT = "excellent", _("Excellent")
    PASS = "pass", _("Pass")
    BASIC = "basic", _("Basic pass")
    FAIL = "fail", _("Fail")
