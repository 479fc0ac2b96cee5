"""Choices of the payout (docs/policy.md §7): a payout batch's states and kinds, a line's status."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BatchState(models.TextChoices):
    """发放批次: the township prepares it (draft) and submits it; the county HR bureau approves it
    or returns it for correction (back to draft, with a reason); the payment file is issued to the
    bank; the bank's return is read; the batch is closed (docs/policy.md §7)."""

    DRAFT = "draft", pgettext_lazy("payout batch", "Being prepared")
    SUBMITTED = "submitted", pgettext_lazy("payout batch", "Submitted")
    APPROVED = "approved", pgettext_lazy("payout batch", "Approved")
    FILE_ISSUED = "file_issued", _("Payment file issued")
    RETURNED = "returned", _("Bank's return read")
    CLOSED = "closed", pgettext_lazy("payout batch", "Closed")


#: The states in which a batch has a bank side: its payment file and the bank's return.
BANK_STATES = (BatchState.APPROVED, BatchState.FILE_ISSUED, BatchState.RETURNED, BatchState.CLOSED)


class BatchKind(models.TextChoices):
    """Urban and rural posts are paid in batches of their own (seed 000 reports them apart); so
    are the year's insurance (docs/policy.md §7, "Insurance"): the social-insurance subsidy
    refunded to people on urban posts insured as flexible workers, and the accident insurance's
    premium paid to the insurer for the people on rural posts."""

    URBAN = "urban", _("Urban posts")
    RURAL = "rural", _("Rural posts")
    SOCIAL_INSURANCE = "social_insurance", _("Social-insurance subsidy")
    ACCIDENT_INSURANCE = "accident_insurance", _("Accident insurance")


#: The monthly subsidy's kinds: a batch of a month, a line of a placement's month.
MONTHLY_KINDS = (BatchKind.URBAN, BatchKind.RURAL)
#: The yearly kinds: a batch of a year (its ``month`` the year's 1 January), a line of a
#: placement's year.
YEARLY_KINDS = (BatchKind.SOCIAL_INSURANCE, BatchKind.ACCIDENT_INSURANCE)


class LineStatus(models.TextChoices):
    """A payout line: to be paid, held (暂停发放) with a reason, released into a later batch (the
    later line pays it), paid, or failed at the bank."""

    PENDING = "pending", _("To be paid")
    HELD = "held", _("Held")
    RELEASED = "released", _("Released into a later batch")
    PAID = "paid", pgettext_lazy("payout line", "Paid")
    FAILED = "failed", pgettext_lazy("payout line", "Failed")


#: The statuses in which a line stands for its placement's month: at most one such line per
#: placement and month (the database holds it: ``payout_line_one_live``), and of a yearly kind
#: one per placement, year and kind (``payout_line_one_live_yearly``).
LIVE_LINE_STATUSES = (LineStatus.PENDING, LineStatus.HELD, LineStatus.PAID)


class PeriodEnd(models.TextChoices):
    """Why a line is the last of a subsidy period (docs/policy.md §2: 36 months a placement), or
    past it: a line past the period is made held, never paid quietly (``PAST_PERIOD``)."""

    NONE = "", _("Not at the end")
    PLACEMENT = "placement", _("The placement's subsidy months are used up")
    SUBSIDY_END = "subsidy_end", _("The placement's subsidy period ends this month")
    LIFETIME = "lifetime", _("The person's lifetime subsidy months are used up")
    PAST_PLACEMENT = "past_place", _("Past the placement's subsidy months")
    PAST_SUBSIDY_END = "past_end", _("Past the placement's subsidy period")
    PAST_LIFETIME = "past_life", _("Past the person's lifetime subsidy months")
    PAST_RETIREMENT = "past_retire", _("Past the person's statutory retirement date")
    PAST_AGE_LIMIT = "past_age", _("Past the age limit of rural posts")


#: The reasons of a line past its subsidy period (or the person's working life on the post).
PAST_PERIOD = (
    PeriodEnd.PAST_PLACEMENT,
    PeriodEnd.PAST_SUBSIDY_END,
    PeriodEnd.PAST_LIFETIME,
    PeriodEnd.PAST_RETIREMENT,
    PeriodEnd.PAST_AGE_LIMIT,
)


class FixState(models.TextChoices):
    """An account fix (账户修正) after a failed payment: open until the township enters the right
    account, which pays the line again in a follow-up batch."""

    OPEN = "open", pgettext_lazy("account fix", "Open")
    FIXED = "fixed", pgettext_lazy("account fix", "Fixed")
