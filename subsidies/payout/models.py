"""The payout (docs/policy.md §7, "How gongyi pays"): a county's grade rules, the township's
monthly payout batch (发放批次) and its lines.

A line is a frozen snapshot of what is paid and why — the person's name, ID number, account and
bank, the post, the standard, the closed month's figures, the amount and its rules — with a
sha256 over those fields (``generation.LINE_HASH_SQL``), so that a line changed behind the
system's back is found (``services.lines_tampered``). A placement's month is in at most one live
line: ``payout_line_one_live``, a partial unique index, holds it whatever the code does.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongyi.models import User, county_foreign_key
from people.models import Person, Placement
from posts.models import Post
from subsidies.attendance.enums import Grade
from subsidies.attendance.models import AttendanceMonth
from subsidies.bankfiles.enums import FailureReason
from subsidies.bankfiles.match import payout_reference
from subsidies.payout.enums import (
    LIVE_LINE_STATUSES,
    MONTHLY_KINDS,
    PAST_PERIOD,
    YEARLY_KINDS,
    BatchKind,
    BatchState,
    FixState,
    LineStatus,
    PeriodEnd,
)

TOTAL_HOURS = {"max_digits": 6, "decimal_places": 1}


class GradeRule(models.Model):
    """A county's rule for a month's grade, from a date on: a factor on the month's amount, or a
    fixed deduction in fen (docs/policy.md §7). The sources give no figure, so there is none by
    default: a grade without a rule changes nothing."""

    county = county_foreign_key()
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    effective_from = models.DateField(_("effective from"))
    factor = models.DecimalField(_("factor"), max_digits=5, decimal_places=4, null=True, blank=True)
    deduction_fen = models.PositiveIntegerField(_("deduction (fen)"), null=True, blank=True)
    note = models.CharField(_("basis"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    scope_code_field = "county__code"
    scope_include_ancestors = True

    class Meta:
        verbose_name = _("grade rule")
        verbose_name_plural = _("grade rules")
        ordering = ["county", "grade", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "grade", "effective_from"], name="grade_rule_one_per_day"
            ),
            # Exactly one of the two: a factor (0 to 2) or a deduction.
            models.CheckConstraint(
                condition=(Q(factor__gte=0, factor__lte=2) & Q(deduction_fen__isnull=True))
                | (Q(factor__isnull=True) & Q(deduction_fen__isnull=False)),
                name="grade_rule_one_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} {self.effective_from}"


class PayoutBatch(models.Model):
    """发放批次 (the township's 工资汇总表): one per township, month and kind (urban or rural); a
    yearly kind's (the insurance, docs/policy.md §7) one per township and year, its ``month``
    the year's 1 January."""

    region_code = models.CharField(_("township"), max_length=12)
    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=20, choices=BatchKind.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=BatchState.choices, default=BatchState.DRAFT
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    generated_at = models.DateTimeField(_("lines made"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        User,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(
        User,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    file_issued_at = models.DateTimeField(_("payment file issued"), null=True, blank=True)
    returned_at = models.DateTimeField(_("bank's return read"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    #: Why the county returned it for correction (the last time).
    returned_reason = models.CharField(_("reason returned"), max_length=300, blank=True)
    #: 0 for the month's batch; 1, 2, … for its follow-up batches (补发批次), which pay again the
    #: lines the bank failed once their accounts are fixed (docs/policy.md §7).
    sequence = models.PositiveSmallIntegerField(_("follow-up number"), default=0)
    follows_batch = models.ForeignKey(
        "self",
        verbose_name=_("follows payout batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )

    scope_code_field = "region_code"

    class Meta:
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")
        ordering = ["-month", "region_code", "kind", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "month", "kind", "sequence"],
                name="payout_batch_one_per_month",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="payout_batch_month_first_day"),
            # A follow-up batch follows one; the month's own batch follows none.
            models.CheckConstraint(
                condition=Q(sequence=0, follows_batch__isnull=True)
                | Q(sequence__gt=0, follows_batch__isnull=False),
                name="payout_batch_follow_up",
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.region_code} {self.month:%Y-%m} {self.get_kind_display()}"
        return f"{label} #{self.sequence}" if self.sequence else label

    @property
    def reference(self) -> str:
        """The reference its payment file's remarks carry (the bank's return is known by it)."""
        return payout_reference(self.pk)


class PayoutLine(models.Model):
    """One placement's month in a payout batch: the frozen snapshot, its hash, and its status."""

    # Few indexes, as the generation writes a province's month at once: the batch is the head
    # of ``payout_line_batch_idx``, the placement of ``payout_line_one_live``, the person of
    # ``payout_line_person_idx`` (the person file's months paid); the others are followed from
    # the line, never to it.
    batch = models.ForeignKey(
        PayoutBatch,
        verbose_name=_("payout batch"),
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
    )
    placement = models.ForeignKey(
        Placement,
        verbose_name=_("placement"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    #: The month paid (a line released into a later batch keeps its own month); a yearly
    #: kind's line, the year's 1 January.
    month = models.DateField(_("month paid"))
    #: The batch's kind, on the line so that the database can hold "paid once" per kind.
    kind = models.CharField(_("kind"), max_length=20, choices=BatchKind.choices)
    #: The attendance month paid; none on a yearly kind's line (docs/policy.md §7, "Insurance").
    row = models.ForeignKey(
        AttendanceMonth,
        verbose_name=_("attendance month"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=LineStatus.choices, default=LineStatus.PENDING
    )
    held_reason = models.CharField(_("reason held"), max_length=300, blank=True)
    #: A failed line: the bank's reason, and its own words.
    # Defaults in the database too: the generation's INSERT names only its own columns.
    bank_reason = models.CharField(
        _("bank's reason"),
        max_length=16,
        choices=FailureReason.choices,
        blank=True,
        default="",
        db_default="",
    )
    bank_reason_text = models.CharField(
        _("bank's words"), max_length=200, blank=True, default="", db_default=""
    )
    #: The line this one pays on from: a held line released into this batch, or a failed line
    #: paid again in a follow-up batch.
    follows = models.ForeignKey(
        "self",
        verbose_name=_("follows line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_by",
        db_index=False,
    )
    # The snapshot: what is paid, to whom and why, as it stood when the line was made.
    person_name = models.CharField(_("name"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18)
    account_number = models.CharField(_("card or account number"), max_length=32, blank=True)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    post_title = models.CharField(_("post"), max_length=100)
    hourly = models.BooleanField(_("hourly post"))
    standard = models.DecimalField(_("standard (yuan)"), max_digits=10, decimal_places=2)
    required_days = models.PositiveSmallIntegerField(_("days required"))
    present_days = models.PositiveSmallIntegerField(_("days present"))
    paid_leave_days = models.PositiveSmallIntegerField(_("paid leave days"))
    unpaid_leave_days = models.PositiveSmallIntegerField(_("unpaid leave days"))
    absent_days = models.PositiveSmallIntegerField(_("days absent"))
    full_days = models.PositiveSmallIntegerField(_("working days in the month"))
    required_hours = models.DecimalField(_("hours required"), **TOTAL_HOURS)
    worked_hours = models.DecimalField(_("hours worked"), **TOTAL_HOURS)
    paid_leave_hours = models.DecimalField(_("paid leave hours"), **TOTAL_HOURS)
    full_hours = models.DecimalField(_("working hours in the month"), **TOTAL_HOURS)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    #: The rules that made the amount, with their figures (``amount.Rule.as_dict``).
    reasons = models.JSONField(_("how the amount was reached"))
    #: The corrections of closed months carried into this line.
    carried_ids = models.JSONField(_("corrections carried"), default=list, blank=True)
    #: The line's month as the placement's n-th and the person's n-th month of subsidy.
    placement_month = models.PositiveSmallIntegerField(_("month of the placement's subsidy"))
    lifetime_month = models.PositiveSmallIntegerField(_("month of the lifetime's subsidy"))
    period_ends = models.BooleanField(_("subsidy period ends"), default=False)
    period_reason = models.CharField(
        _("why the period ends"), max_length=12, choices=PeriodEnd.choices, blank=True
    )
    #: Counted in the person's subsidy months (when the county approved the batch).
    counted = models.BooleanField(_("counted in the subsidy months"), default=False)
    hash = models.CharField(_("sha256 of the snapshot"), max_length=64)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)

    scope_code_field = "region_code"
    #: The pages are refused to reviewers by role; the scope says the same as the person's.
    scope_reviewer_path = "person__applications"

    class Meta:
        verbose_name = _("payout line")
        verbose_name_plural = _("payout lines")
        ordering = ["batch", "region_code", "id"]
        constraints = [
            # No double payment: a placement's month is in at most one live line.
            models.UniqueConstraint(
                fields=["placement", "month"],
                condition=Q(status__in=LIVE_LINE_STATUSES, kind__in=MONTHLY_KINDS),
                name="payout_line_one_live",
            ),
            # And a placement's year in at most one live line of each yearly kind (its month is
            # the year's 1 January: apart from the monthly index, never taken for January).
            models.UniqueConstraint(
                fields=["placement", "month", "kind"],
                condition=Q(status__in=LIVE_LINE_STATUSES, kind__in=YEARLY_KINDS),
                name="payout_line_one_live_yearly",
            ),
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="payout_line_amount"),
            # Every line has its kind: one without would be in neither index above.
            models.CheckConstraint(condition=Q(kind__in=BatchKind.values), name="payout_line_kind"),
            models.CheckConstraint(
                condition=~Q(status=LineStatus.HELD) | ~Q(held_reason=""),
                name="payout_line_held_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["batch", "status"], name="payout_line_batch_idx"),
            models.Index(fields=["person", "month"], name="payout_line_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} {self.month:%Y-%m}"

    @property
    def past_period(self) -> bool:
        """Past its subsidy period: made held, paid only if released (docs/policy.md §7)."""
        return self.period_reason in PAST_PERIOD


class BankTemplate(models.Model):
    """A county's payment file (代发文件) and return file (回盘文件) for one bank, as data
    (docs/policy.md §7, "The bank's files"): ``subsidies.bankfiles``' ``FileTemplate`` and
    ``ReturnTemplate`` as their ``as_dict``. A row without a county is the shared default every
    county may use at once."""

    county = county_foreign_key(null=True)
    name = models.CharField(_("template name"), max_length=60)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    file_template = models.JSONField(_("payment file"))
    return_template = models.JSONField(_("return file"))
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    scope_code_field = "county__code"
    scope_include_ancestors = True

    class Meta:
        verbose_name = _("bank template")
        verbose_name_plural = _("bank templates")
        ordering = ["county", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                nulls_distinct=False,
                name="bank_template_one_name",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PaymentFile(models.Model):
    """The payment file issued for a batch: where it is kept (private storage, never served as
    a static file), its sha256, line count and total; the templates as they stood when it was
    written (the return is read by the same); and the bank's return once read."""

    batch = models.OneToOneField(
        PayoutBatch,
        verbose_name=_("payout batch"),
        on_delete=models.PROTECT,
        related_name="payment_file",
    )
    template = models.ForeignKey(
        BankTemplate, verbose_name=_("bank template"), on_delete=models.PROTECT, related_name="+"
    )
    file_template = models.JSONField(_("payment file"))
    return_template = models.JSONField(_("return file"))
    created_by = models.ForeignKey(
        User, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    path = models.CharField(_("stored as"), max_length=200)
    sha256 = models.CharField(_("sha256"), max_length=64)
    lines = models.PositiveIntegerField(_("lines"))
    total_fen = models.BigIntegerField(_("total (fen)"))
    stopped = models.PositiveIntegerField(_("lines stopped"), default=0)
    return_sha256 = models.CharField(_("sha256 of the bank's return"), max_length=64, blank=True)
    returned_by = models.ForeignKey(
        User,
        verbose_name=_("return read by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_code_field = "batch__region_code"

    class Meta:
        verbose_name = _("payment file")
        verbose_name_plural = _("payment files")
        indexes = [
            # A return already read is found by its bytes' sha256 (last month's file read into
            # this month's batch is refused unless the reader says it is the same file).
            models.Index(
                fields=["return_sha256"],
                condition=~Q(return_sha256=""),
                name="payment_file_return_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch} {self.sha256[:12]}"


class AccountFix(models.Model):
    """账户修正: a line the bank failed, for the township to fix the person's account; once fixed,
    a new line pays it in a follow-up batch, following the failed one (docs/policy.md §7)."""

    line = models.OneToOneField(
        PayoutLine,
        verbose_name=_("failed line"),
        on_delete=models.PROTECT,
        related_name="account_fix",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region code"), max_length=12)
    reason = models.CharField(_("bank's reason"), max_length=16, choices=FailureReason.choices)
    reason_text = models.CharField(_("bank's words"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=FixState.choices, default=FixState.OPEN
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    fixed_by = models.ForeignKey(
        User,
        verbose_name=_("fixed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fixed_at = models.DateTimeField(_("fixed"), null=True, blank=True)
    account_number = models.CharField(_("new card or account number"), max_length=32, blank=True)
    bank_name = models.CharField(_("new bank"), max_length=60, blank=True)
    #: The line that pays it again, in the follow-up batch.
    follow_up = models.OneToOneField(
        PayoutLine,
        verbose_name=_("paid again by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_code_field = "region_code"
    #: The pages are refused to reviewers by role; the scope says the same as the person's.
    scope_reviewer_path = "person__applications"

    class Meta:
        verbose_name = _("account fix")
        verbose_name_plural = _("account fixes")
        ordering = ["state", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=FixState.OPEN, fixed_at__isnull=True)
                | Q(state=FixState.FIXED, fixed_at__isnull=False, follow_up__isnull=False),
                name="account_fix_fixed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.get_reason_display()}"


class FlexibleInsurance(models.Model):
    """灵活就业参保: a person on a post insured as a flexible worker (灵活就业人员) in a year, who pays
    the contributions first and is refunded the social-insurance subsidy (docs/policy.md §7,
    "Insurance"; seed 001 §二(四)). Recorded by the township for the placement and year, with
    the evidence seen (a payment receipt, the insurance number)."""

    placement = models.ForeignKey(
        Placement, verbose_name=_("placement"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    evidence = models.CharField(_("evidence"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    scope_code_field = "region_code"
    #: The pages are refused to reviewers by role; the scope says the same as the person's.
    scope_reviewer_path = "placement__person__applications"

    class Meta:
        verbose_name = _("flexible-worker insurance")
        verbose_name_plural = _("flexible-worker insurance")
        ordering = ["-year", "region_code", "placement"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "year"], name="flexible_insurance_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="flexible_insurance_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.year}"
