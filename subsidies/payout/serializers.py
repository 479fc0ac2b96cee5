"""The payout's API shapes (docs/policy.md §7, "How gongyi pays"). Money is given twice: in fen as
an integer (``…_fen``, what to compute with) and in yuan as a text with two decimals (``…_yuan``,
what to show). Writes go through ``subsidies.payout.services``; ID numbers and account numbers in
the lines are masked for every reader, as in every list (docs/policy.md §9)."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gongyi.masking import mask_text
from gongyi.roles import has_role
from subsidies.attendance.enums import Grade
from subsidies.payout.amount import rule_text, yuan
from subsidies.payout.enums import BatchKind, BatchState, LineStatus
from subsidies.payout.models import GradeRule, PayoutBatch, PayoutLine
from subsidies.payout.services import BATCH_TRANSITIONS, TO_WORDS

MONTH = r"^20\d{2}-(0[1-9]|1[0-2])$"
MONTH_ERRORS = {"invalid": gettext_lazy("Enter a month such as 2026-11.")}


class BatchMoveSerializer(serializers.Serializer):
    """A move of the batch the caller's role may make from its state (the service checks the
    rest: a line to pay, the approver not the preparer, lines unchanged)."""

    to = serializers.ChoiceField(choices=BatchState.choices)
    label = serializers.CharField()
    needs_reason = serializers.BooleanField()


class StatusTotalSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=LineStatus.choices)
    lines = serializers.IntegerField()
    amount_fen = serializers.IntegerField()
    amount_yuan = serializers.CharField()


class PayoutBatchSerializer(serializers.ModelSerializer):
    """A township's payout batch (发放批次) of a month and kind, where it stands, its lines and
    the total it pays (held lines and lines released into a later batch left out)."""

    township_name = serializers.CharField(read_only=True, allow_null=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    submitted_by = serializers.CharField(
        source="submitted_by.username", default=None, allow_null=True, read_only=True
    )
    approved_by = serializers.CharField(
        source="approved_by.username", default=None, allow_null=True, read_only=True
    )
    line_count = serializers.IntegerField(read_only=True, help_text="lines, released ones left out")
    total_fen = serializers.IntegerField(read_only=True, help_text="what the batch pays, in fen")
    total_yuan = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = PayoutBatch
        fields = [
            "id",
            "region_code",
            "township_name",
            "month",
            "kind",
            "kind_label",
            "state",
            "state_label",
            "created_by",
            "created_at",
            "generated_at",
            "submitted_by",
            "submitted_at",
            "approved_by",
            "approved_at",
            "file_issued_at",
            "returned_at",
            "closed_at",
            "returned_reason",
            "line_count",
            "total_fen",
            "total_yuan",
            "allowed_transitions",
        ]
        read_only_fields = fields

    def get_total_yuan(self, batch) -> str:
        return yuan(batch.total_fen)

    @extend_schema_field(BatchMoveSerializer(many=True))
    def get_allowed_transitions(self, batch) -> list:
        user = self.context["request"].user
        return [
            {"to": to, "label": str(TO_WORDS[to]), "needs_reason": to == BatchState.DRAFT}
            for (source, to), roles in BATCH_TRANSITIONS.items()
            if source == batch.state and has_role(user, roles)
        ]


class PayoutBatchDetailSerializer(PayoutBatchSerializer):
    """A batch with its totals by line status and whether any line was changed outside the
    system (``tampered_lines``: their ids)."""

    totals = serializers.SerializerMethodField()
    tampered_lines = serializers.SerializerMethodField()

    class Meta(PayoutBatchSerializer.Meta):
        fields = [*PayoutBatchSerializer.Meta.fields, "totals", "tampered_lines"]
        read_only_fields = fields

    @extend_schema_field(StatusTotalSerializer(many=True))
    def get_totals(self, batch) -> list:
        from subsidies.payout.selectors import batch_totals

        return [
            {
                "status": s,
                "lines": r["lines"],
                "amount_fen": r["fen"],
                "amount_yuan": yuan(r["fen"]),
            }
            for s, r in sorted(batch_totals(batch).items())
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_tampered_lines(self, batch) -> list:
        from subsidies.payout.services import lines_tampered

        return lines_tampered(batch.pk)


class BatchStartSerializer(serializers.Serializer):
    """Open the township's batch of ``month`` (YYYY-MM) and ``kind`` and make its lines in the
    background."""

    month = serializers.RegexField(MONTH, error_messages=MONTH_ERRORS)
    kind = serializers.ChoiceField(choices=BatchKind.choices)


class BatchStartedSerializer(serializers.Serializer):
    """The batch, and the background job making its lines: poll ``/jobs/<job>/`` (its
    ``status``), or read the batch again (``generated_at`` is set once they are made)."""

    batch = PayoutBatchSerializer()
    job = serializers.IntegerField()
    job_status = serializers.CharField()


class BatchTransitionSerializer(serializers.Serializer):
    """``submitted`` (the township), ``approved`` or ``draft`` (the county returns it for
    correction, with the ``reason``), and on to ``file_issued``, ``returned``, ``closed``."""

    to = serializers.ChoiceField(choices=BatchState.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class BatchFilterSerializer(serializers.Serializer):
    month = serializers.RegexField(MONTH, required=False, error_messages=MONTH_ERRORS)
    state = serializers.ChoiceField(choices=BatchState.choices, required=False)
    kind = serializers.ChoiceField(choices=BatchKind.choices, required=False)


class RuleSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="the rule's code (share, hours, grade, cap, minimum…)")
    text = serializers.CharField(help_text="the rule with its figures, in words")


class PayoutLineSerializer(serializers.ModelSerializer):
    """A line of a batch: the frozen snapshot (ID number and account masked), the amount and the
    rules that made it (``reasons`` as stored, ``rules`` in words), its status."""

    id_number = serializers.SerializerMethodField()
    account_number = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    amount_yuan = serializers.SerializerMethodField()
    rules = serializers.SerializerMethodField()

    class Meta:
        model = PayoutLine
        fields = [
            "id",
            "batch",
            "month",
            "kind",
            "region_code",
            "status",
            "status_label",
            "held_reason",
            "follows",
            "person_name",
            "id_number",
            "account_number",
            "bank_name",
            "post_title",
            "hourly",
            "standard",
            "required_days",
            "present_days",
            "paid_leave_days",
            "unpaid_leave_days",
            "absent_days",
            "full_days",
            "required_hours",
            "worked_hours",
            "paid_leave_hours",
            "full_hours",
            "grade",
            "amount_fen",
            "amount_yuan",
            "reasons",
            "rules",
            "placement_month",
            "lifetime_month",
            "period_ends",
            "period_reason",
            "counted",
        ]
        read_only_fields = fields

    def get_id_number(self, line) -> str:
        return self.context["masker"](line.id_number)

    def get_account_number(self, line) -> str:
        return mask_text(line.account_number, head=0, tail=4)

    def get_amount_yuan(self, line) -> str:
        return yuan(line.amount_fen)

    @extend_schema_field(RuleSerializer(many=True))
    def get_rules(self, line) -> list:
        return [{"rule": str(r.get("rule", "")), "text": rule_text(r)} for r in line.reasons]


class LineFilterSerializer(serializers.Serializer):
    batch = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    status = serializers.ChoiceField(choices=LineStatus.choices, required=False)


class LineHoldSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="why the payment is held")


class LineReleaseSerializer(serializers.Serializer):
    batch = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        help_text="the batch being prepared that pays it: its own, or a later one of the township "
        "and kind",
    )
    reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="why it is paid: required for a line past its subsidy period (the county's "
        "extension)",
    )


class GradeRuleSerializer(serializers.ModelSerializer):
    """A county's rule for a grade from a date: a ``factor`` on the month's amount, or a fixed
    deduction (``deduction_fen``, and ``deduction_yuan`` to read)."""

    county = serializers.CharField(source="county.code", read_only=True)
    grade_label = serializers.CharField(source="get_grade_display", read_only=True)
    deduction_yuan = serializers.SerializerMethodField()
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = GradeRule
        fields = [
            "id",
            "county",
            "grade",
            "grade_label",
            "effective_from",
            "factor",
            "deduction_fen",
            "deduction_yuan",
            "note",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_deduction_yuan(self, rule) -> str | None:
        return None if rule.deduction_fen is None else yuan(rule.deduction_fen)


class GradeRuleCreateSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=Grade.choices)
    effective_from = serializers.DateField()
    factor = serializers.DecimalField(
        max_digits=5, decimal_places=4, min_value=0, max_value=2, required=False, allow_null=True
    )
    deduction_fen = serializers.IntegerField(
        min_value=0, max_value=10**9, required=False, allow_null=True
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
