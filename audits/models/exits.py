"""Exits (退出) and the recovery (追回) of subsidy paid after them (docs/policy.md §8, "Exits and
recovery").

An exit ends one placement on its effective date (the placement's last day). A debt is what was
paid for days after the exit (or, for a false declaration, all that was paid: seed 003 §9), one
line per payout line paid, each with how its amount was reached; repayments (in instalments, each
with its receipt) and a write-off approved by the county settle it. Money in fen.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audits.exits.enums import DebtState, ExitKind, RepaymentKind
from gongyi.models import User
from people.models import Person, Placement
from subsidies.payout.models import PayoutLine

__all__ = ["Debt", "DebtLine", "Exit", "Repayment"]


class Exit(models.Model):
    """退出: the end of a placement, natural (自然退出) or a dismissal (清退), with who decided it and
    why. One per placement."""

    placement = models.OneToOneField(
        Placement, verbose_name=_("placement"), on_delete=models.PROTECT, related_name="exit"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="exits"
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    kind = models.CharField(_("kind of exit"), max_length=20, choices=ExitKind.choices)
    #: The placement's last day on the post (its ``end_date``).
    effective_date = models.DateField(_("last day on the post"))
    #: The first day whose subsidy is recovered: the day after the exit, or the placement's first
    #: day for a false declaration (seed 003 §9).
    recover_from = models.DateField(_("subsidy recovered from"))
    reason = models.TextField(_("reason"))
    #: Who decided the exit (the township's office or meeting), and when.
    decided_by = models.CharField(_("decided by"), max_length=100)
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    #: The payout lines not yet paid that the exit held (ids), and the attendance months taken off.
    lines_held = models.JSONField(_("payout lines held"), default=list, blank=True)
    months_removed = models.PositiveSmallIntegerField(_("attendance months taken off"), default=0)

    scope_code_field = "region_code"
    scope_reviewer_path = "person__applications"

    class Meta:
        verbose_name = _("exit")
        verbose_name_plural = _("exits")
        ordering = ["-effective_date", "-id"]
        indexes = [
            models.Index(
                fields=["region_code", "effective_date"],
                name="exit_area_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_kind_display()} {self.effective_date}"


class Debt(models.Model):
    """应追回补贴: what an exit leaves to recover, with its lines, repayments and write-off."""

    exit = models.OneToOneField(
        Exit, verbose_name=_("exit"), on_delete=models.PROTECT, related_name="debt"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="debts"
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    state = models.CharField(
        _("state"), max_length=16, choices=DebtState.choices, default=DebtState.OPEN
    )
    amount_fen = models.BigIntegerField(_("to recover (fen)"), default=0)
    repaid_fen = models.BigIntegerField(_("repaid (fen)"), default=0)
    written_off_fen = models.BigIntegerField(_("written off (fen)"), default=0)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("state changed"), null=True, blank=True)
    write_off_reason = models.TextField(_("why written off"), blank=True)
    write_off_asked_by = models.ForeignKey(
        User,
        verbose_name=_("write-off asked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    write_off_decided_by = models.ForeignKey(
        User,
        verbose_name=_("write-off decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: Why the county refused the last write-off asked.
    refused_reason = models.CharField(
        _("why the write-off was refused"), max_length=300, blank=True
    )

    scope_code_field = "region_code"
    scope_reviewer_path = "person__applications"

    class Meta:
        verbose_name = _("debt")
        verbose_name_plural = _("debts")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["region_code", "state"],
                name="debt_area_idx",
                opclasses=["varchar_pattern_ops", "varchar_ops"],
            )
        ]
        constraints = [
            # Never more repaid and written off than owed (the service refuses first).
            models.CheckConstraint(
                condition=Q(repaid_fen__gte=0)
                & Q(written_off_fen__gte=0)
                & Q(amount_fen__gte=models.F("repaid_fen") + models.F("written_off_fen")),
                name="debt_not_overpaid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.amount_fen}"

    @property
    def outstanding_fen(self) -> int:
        return self.amount_fen - self.repaid_fen - self.written_off_fen


class DebtLine(models.Model):
    """A paid payout line's part that was not due: all of a month after the exit, or the share
    of the days after it in the exit's month (``audits.exits.recovery``)."""

    debt = models.ForeignKey(
        Debt, verbose_name=_("debt"), on_delete=models.PROTECT, related_name="lines"
    )
    #: A paid line is recovered once.
    payout_line = models.OneToOneField(
        PayoutLine, verbose_name=_("payout line"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    month = models.DateField(_("month paid"))
    paid_fen = models.BigIntegerField(_("paid (fen)"))
    recovered_fen = models.BigIntegerField(_("to recover (fen)"))
    #: How the amount was reached (``recovery.Recovered.figures``).
    figures = models.JSONField(_("how the amount was reached"))

    scope_code_field = "region_code"
    scope_reviewer_path = "debt__person__applications"

    class Meta:
        verbose_name = _("debt line")
        verbose_name_plural = _("debt lines")
        ordering = ["debt", "month"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recovered_fen__gte=0) & Q(recovered_fen__lte=models.F("paid_fen")),
                name="debt_line_within_paid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.debt_id} {self.month:%Y-%m}"


class Repayment(models.Model):
    """A repayment (还款): an instalment paid back with its receipt, or an offset against a later
    payout line where the county allows it."""

    debt = models.ForeignKey(
        Debt, verbose_name=_("debt"), on_delete=models.PROTECT, related_name="repayments"
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    kind = models.CharField(
        _("kind"), max_length=8, choices=RepaymentKind.choices, default=RepaymentKind.PAID
    )
    paid_on = models.DateField(_("paid on"))
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    #: An offset: the later payout line it was taken from.
    payout_line = models.ForeignKey(
        PayoutLine,
        verbose_name=_("offset against payout line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    scope_code_field = "region_code"
    scope_reviewer_path = "debt__person__applications"

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ["debt", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="repayment_positive"),
            # Paid back: with its receipt; an offset: with the line it was taken from.
            models.CheckConstraint(
                condition=(Q(kind=RepaymentKind.PAID) & ~Q(receipt_number=""))
                | (Q(kind=RepaymentKind.OFFSET) & Q(payout_line__isnull=False)),
                name="repayment_receipt_or_line",
            ),
            models.UniqueConstraint(
                fields=["debt", "receipt_number"],
                condition=~Q(receipt_number=""),
                name="repayment_one_receipt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.debt_id} {self.paid_on} {self.amount_fen}"
