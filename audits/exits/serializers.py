"""The API's shapes of exits and debts (docs/api.md, "Exits and recovery"). Money in fen
(integers); ID numbers masked for every reader, as in every list (docs/policy.md §9)."""

from rest_framework import serializers

from audits.exits.enums import DebtState, ExitKind
from audits.models import Debt, DebtLine, Exit, Repayment


class ExitSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.SerializerMethodField()
    post_title = serializers.CharField(source="placement.post.title", read_only=True)
    debt = serializers.SerializerMethodField()

    class Meta:
        model = Exit
        fields = [
            "id",
            "placement",
            "person",
            "person_name",
            "id_number",
            "post_title",
            "kind",
            "effective_date",
            "recover_from",
            "reason",
            "decided_by",
            "decided_on",
            "recorded_by",
            "recorded_at",
            "lines_held",
            "months_removed",
            "debt",
        ]
        read_only_fields = fields

    def get_id_number(self, exit_) -> str:
        return self.context["masker"](exit_.person.id_number)

    def get_debt(self, exit_) -> int | None:
        debt = getattr(exit_, "debt", None)
        return debt.pk if debt else None


class ExitCreateSerializer(serializers.Serializer):
    placement = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=ExitKind.choices)
    effective_date = serializers.DateField(help_text="the last day on the post")
    reason = serializers.CharField(max_length=2000)
    decided_by = serializers.CharField(max_length=100)
    decided_on = serializers.DateField()


class DebtLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = DebtLine
        fields = ["id", "payout_line", "month", "paid_fen", "recovered_fen", "figures"]
        read_only_fields = fields


class RepaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Repayment
        fields = [
            "id",
            "kind",
            "paid_on",
            "amount_fen",
            "receipt_number",
            "payout_line",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class DebtSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.SerializerMethodField()
    outstanding_fen = serializers.IntegerField(read_only=True)

    class Meta:
        model = Debt
        fields = [
            "id",
            "exit",
            "person",
            "person_name",
            "id_number",
            "region_code",
            "state",
            "amount_fen",
            "repaid_fen",
            "written_off_fen",
            "outstanding_fen",
            "created_at",
            "write_off_reason",
            "write_off_asked_by",
            "write_off_decided_by",
            "refused_reason",
        ]
        read_only_fields = fields

    def get_id_number(self, debt) -> str:
        return self.context["masker"](debt.person.id_number)


class DebtDetailSerializer(DebtSerializer):
    lines = DebtLineSerializer(many=True, read_only=True)
    repayments = RepaymentSerializer(many=True, read_only=True)

    class Meta(DebtSerializer.Meta):
        fields = [*DebtSerializer.Meta.fields, "lines", "repayments"]
        read_only_fields = fields


class RepaymentCreateSerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    amount_fen = serializers.IntegerField(min_value=1)
    receipt_number = serializers.CharField(max_length=40)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class OffsetSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, help_text="a pending payout line of the person")
    amount_fen = serializers.IntegerField(min_value=1)


class DebtTransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=DebtState.choices,
        help_text="write_off_asked (the township), written_off or open (the county)",
    )
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class AgeingSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    debts = serializers.IntegerField()
    amount_fen = serializers.IntegerField()
    repaid_fen = serializers.IntegerField()
    written_off_fen = serializers.IntegerField()
    outstanding_fen = serializers.IntegerField()
    d30 = serializers.IntegerField(help_text="outstanding, debts opened 0–30 days ago")
    d90 = serializers.IntegerField(help_text="31–90 days")
    d180 = serializers.IntegerField(help_text="91–180 days")
    older = serializers.IntegerField(help_text="over 180 days")
