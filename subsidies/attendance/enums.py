"""Choices of attendance: the month sheet's states and the marks of a day (docs/policy.md §7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


#: The weekdays as the grid's header and the arrangements show them, Monday first (ISO order).
WEEKDAY_NAMES = "一二三四五六日"


class LeaveState(models.TextChoices):
    """A leave request (请假): requested, then approved or refused by the village or township as
    the county's setting says, or withdrawn before a decision (docs/policy.md §7). 销假 (coming
    back early) keeps an approved leave approved and records the day of return."""

    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("leave", "Refused")
    CANCELLED = "cancelled", _("Withdrawn")


#: The states of a leave that holds its days: two of them of one placement never overlap.
LIVE_LEAVE_STATES = (LeaveState.REQUESTED, LeaveState.APPROVED)


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
