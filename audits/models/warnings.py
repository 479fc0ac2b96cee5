"""Warnings (预警, docs/policy.md §8): one row per thing about to end, kept from the day the daily
job first lists it until it is dealt with (the placement ended, the post filled or closed) or
its date moved (a new row for the new date). Rows are never deleted: what was due and when the
person was told stays on record."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audits.warnings.enums import WarningKind
from gongyi.models import User
from people.models import Person, Placement
from posts.models import Post


class ExpiryWarning(models.Model):
    kind = models.CharField(_("warning"), max_length=12, choices=WarningKind.choices)
    #: The placement's (a person's kinds) or the post's (a vacancy) area.
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    placement = models.ForeignKey(
        Placement,
        verbose_name=_("placement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="warnings",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="warnings",
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="warnings"
    )
    #: The day the thing ends: the subsidy period's last day, the retirement date, the day the
    #: person passes the age limit, the day the vacancy passes the county's limit.
    due_on = models.DateField(_("due on"))
    listed_on = models.DateField(_("first listed"))
    #: The advance notice handed to the person (seed 003 §12).
    notified_on = models.DateField(_("notice given on"), null=True, blank=True)
    notified_by = models.ForeignKey(
        User,
        verbose_name=_("notice given by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: Dealt with: the placement ended, the post filled or closed, or the date moved.
    resolved_on = models.DateField(_("dealt with on"), null=True, blank=True)

    scope_code_field = "region_code"
    scope_reviewer_path = "person__applications"

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        ordering = ["due_on", "id"]
        constraints = [
            # One warning per thing and date: the daily job run twice, or killed and run
            # again, lists nothing twice.
            models.UniqueConstraint(
                fields=["kind", "placement", "post", "due_on"],
                nulls_distinct=False,
                name="warning_once",
            ),
            models.CheckConstraint(
                condition=Q(kind=WarningKind.POST_VACANT, placement__isnull=True)
                | (~Q(kind=WarningKind.POST_VACANT) & Q(placement__isnull=False)),
                name="warning_person_or_post",
            ),
        ]
        indexes = [
            # The open warnings of an area, by date (the list and the home page).
            models.Index(
                fields=["region_code", "due_on"],
                condition=Q(resolved_on__isnull=True),
                name="warning_open_area_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"
