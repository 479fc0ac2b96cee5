"""Leave (请销假, docs/policy.md §7): a request with its dates and kind, decided by the village or
the township as the county's setting says, written into the month grid when approved; 销假 gives
back the days from the day of return on."""

from __future__ import annotations

import datetime as dt

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import models
from django.db.models import Case, F, Func, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from gongyi.models import User
from people.models import Placement
from subsidies.attendance.enums import LIVE_LEAVE_STATES, AbsenceCategory, LeaveState
from subsidies.attendance.models.core import AbsenceKind

#: The days a leave holds: from its first day to its last, or up to the day before the person
#: came back (销假). What the database keeps from overlapping another live leave.
HELD_DAYS = Func(
    F("starts_on"),
    Coalesce(F("returned_on"), F("ends_on")),
    Case(
        When(returned_on__isnull=True, then=Value("[]")),
        default=Value("[)"),
        output_field=models.CharField(),
    ),
    function="DATERANGE",
    output_field=DateRangeField(),
)


class LeaveRequest(models.Model):
    """A person's leave (请假) of one kind from ``starts_on`` to ``ends_on``, both included.

    Once approved, its kind is the mark of every working day of it in the month grid; ``returned_on``
    (销假) is the first day back, and the days from it on are given back (docs/policy.md §7).
    """

    placement = models.ForeignKey(
        Placement, verbose_name=_("placement"), on_delete=models.PROTECT, related_name="leaves"
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    kind = models.ForeignKey(
        AbsenceKind,
        verbose_name=_("kind of leave"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"category": AbsenceCategory.LEAVE},
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    #: The working days the leave asked for when requested (the placement's planned days).
    working_days = models.PositiveSmallIntegerField(_("working days"), default=0)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=LeaveState.choices, default=LeaveState.REQUESTED
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("note on the decision"), max_length=300, blank=True)
    #: 销假: the first day back at work; the leave's days from it on are given back.
    returned_on = models.DateField(_("back at work on"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    scope_code_field = "region_code"
    scope_reviewer_path = "placement__person__applications"

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leave")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="leave_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True)
                | (Q(returned_on__gte=F("starts_on")) & Q(returned_on__lte=F("ends_on"))),
                name="leave_returned_within",
            ),
            # Two live leaves of one person's placement never hold the same day: the service
            # says so first; this stops two requests saved at once.
            ExclusionConstraint(
                name="leave_no_overlap",
                expressions=[
                    ("placement", RangeOperators.EQUAL),
                    (HELD_DAYS, RangeOperators.OVERLAPS),
                ],
                condition=Q(state__in=LIVE_LEAVE_STATES),
            ),
        ]
        indexes = [models.Index(fields=["region_code", "starts_on"], name="leave_region_idx")]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.starts_on}–{self.ends_on}"

    @property
    def last_day(self) -> dt.date:
        """The last day the leave holds: the day before the person came back, or its end."""
        if self.returned_on is not None:
            return self.returned_on - dt.timedelta(days=1)
        return self.ends_on
