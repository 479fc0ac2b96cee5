"""Findings (疑点): a hit of the monthly match of everyone on a post against the newest version of
each external dataset, with the dataset row as evidence (docs/policy.md §8; seed 003 §7)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from audits.datasets.enums import FINDING_KINDS, FindingState


class Finding(models.Model):
    """One fact about one person of one kind: the same fact found again by a later match is the
    same finding (``finding_fact_once``), so a rerun never makes a second one and never reopens
    a dismissed one."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    #: The open placement the match found the person on.
    placement = models.ForeignKey(
        "people.Placement", verbose_name=_("placement"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=FINDING_KINDS)
    #: What makes the fact this one (the date of death; the employer and first month; the
    #: licence number…: ``audits.datasets.match.FACT_KEYS``).
    fact_key = models.CharField(_("fact"), max_length=300)
    #: The day from which the fact holds, as the data say.
    fact_from = models.DateField(_("fact holds from"))
    state = models.CharField(
        _("state"), max_length=16, choices=FindingState.choices, default=FindingState.NEW
    )
    #: The version whose row found it first, and the row as it was: file, row number and cells
    #: (none for an internal check: its evidence is the placements or the months it read).
    version = models.ForeignKey(
        "audits.DatasetVersion",
        verbose_name=_("dataset version"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    evidence = models.JSONField(_("evidence"), default=dict)
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    #: When the match last saw the fact in the newest data (or closed it as gone).
    checked_at = models.DateTimeField(_("last checked"), auto_now=True)
    #: The township's decision (``audits.datasets.findings.finding_transition``): the last move's
    #: time and maker, and the note of a confirmation or the reason of a dismissal.
    state_changed_at = models.DateTimeField(_("state changed"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "gongyi.User",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    note = models.TextField(_("note"), blank=True)
    #: The exit a confirmation recorded (dismissal on a confirmed finding).
    exit = models.OneToOneField(
        "audits.Exit",
        verbose_name=_("exit"),
        on_delete=models.PROTECT,
        related_name="finding",
        null=True,
        blank=True,
    )

    scope_code_field = "region_code"
    scope_reviewer_path = "person__applications"

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-found_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "fact_key"], name="finding_fact_once")
        ]
        indexes = [
            models.Index(
                fields=["region_code", "state"],
                name="finding_area_idx",
                opclasses=["varchar_pattern_ops", "varchar_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.fact_from}"
