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


#: The weekdays as the grid's header and the arrangements show them, Monday first (ISO order).
WEEKDAY_NAMES = "一二三四五六日"
