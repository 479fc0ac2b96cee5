"""Choices of exits and recovery (docs/policy.md §8, "Exits and recovery")."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ExitKind(models.TextChoices):
    """Why a placement ends: a natural exit (自然退出) or a dismissal (清退, seed 003 §7 §9 §12)."""

    TERM_END = "term_end", _("End of the agreement term or subsidy period")
    RETIREMENT = "retirement", _("Statutory retirement date reached")
    OWN_CHOICE = "own_choice", _("Left by own choice")
    FINDING = "finding", _("Dismissed on a confirmed cross-check finding")
    FALSE_DECLARATION = "false_declaration", _("Dismissed for a false declaration")
    ABSENCE = "absence", _("Dismissed for unexcused absence")
    FAILED_ASSESSMENT = "failed_assessment", _("Dismissed for failed assessments")


#: 自然退出: the placement runs its course or the person leaves.
NATURAL_KINDS = frozenset({ExitKind.TERM_END, ExitKind.RETIREMENT, ExitKind.OWN_CHOICE})
#: 清退: the township ends the placement.
DISMISSAL_KINDS = frozenset(ExitKind) - NATURAL_KINDS


class DebtState(models.TextChoices):
    """A debt (应追回补贴): open until repaid in full or written off with the county's approval."""

    OPEN = "open", pgettext_lazy("debt", "Open")
    WRITE_OFF_ASKED = "write_off_asked", _("Write-off asked")
    REPAID = "repaid", _("Repaid")
    WRITTEN_OFF = "written_off", _("Written off")


class RepaymentKind(models.TextChoices):
    """How a repayment came in: paid back (with a receipt), or offset against a later payout."""

    PAID = "paid", pgettext_lazy("repayment", "Paid back")
    OFFSET = "offset", _("Offset against a later payout")
