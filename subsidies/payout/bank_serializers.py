"""The API shapes of the payout's bank side (docs/policy.md §7, "How gongyi pays the bank"): bank
templates, a batch's payment file and the bank's return, account fixes. Money in fen (``…_fen``)
and in yuan (``…_yuan``) as everywhere in the payout's API; ID and account numbers masked (the
full numbers are only in the payment file, downloaded by the roles that need them)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gongyi.masking import mask_text
from subsidies.payout.amount import yuan
from subsidies.payout.enums import FixState
from subsidies.payout.models import AccountFix, BankTemplate, PaymentFile
from subsidies.payout.serializers import PayoutBatchSerializer

BIGINT = 2**63 - 1


class BankTemplateSerializer(serializers.ModelSerializer):
    """A bank's payment file and return file, as data (``subsidies.bankfiles``' ``FileTemplate``
    and ``ReturnTemplate``, each its ``as_dict``). ``county`` is null, and ``shared`` true, for
    the shared default every county may use; a county changes only its own."""

    county = serializers.CharField(source="county.code", default=None, allow_null=True)
    shared = serializers.SerializerMethodField()
    created_by = serializers.CharField(source="created_by.username", default=None, allow_null=True)

    class Meta:
        model = BankTemplate
        fields = [
            "id",
            "county",
            "shared",
            "name",
            "bank_name",
            "file_template",
            "return_template",
            "active",
            "created_by",
            "updated_at",
        ]
        read_only_fields = fields

    def get_shared(self, template) -> bool:
        return template.county_id is None


class BankTemplateWriteSerializer(serializers.Serializer):
    """A county's template: ``file_template`` and ``return_template`` are checked by the
    service (the columns a file cannot do without, the formats), a refusal a 400 with the
    reason."""

    name = serializers.CharField(max_length=60)
    bank_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    file_template = serializers.DictField(help_text="the payment file: columns, format, control")
    return_template = serializers.DictField(
        help_text="the return file: columns, format, the bank's words for paid and failed"
    )
    active = serializers.BooleanField(required=False, default=True)


class PaymentFileSerializer(serializers.ModelSerializer):
    """A batch's payment file as issued: its template, line count, total and sha256, the lines
    stopped before it was written, and the return once read (``return_sha256``)."""

    template_name = serializers.CharField(source="template.name", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    returned_by = serializers.CharField(
        source="returned_by.username", default=None, allow_null=True, read_only=True
    )
    total_yuan = serializers.SerializerMethodField()

    class Meta:
        model = PaymentFile
        fields = [
            "id",
            "batch",
            "template",
            "template_name",
            "created_by",
            "created_at",
            "lines",
            "total_fen",
            "total_yuan",
            "sha256",
            "stopped",
            "return_sha256",
            "returned_by",
        ]
        read_only_fields = fields

    def get_total_yuan(self, issued) -> str:
        return yuan(issued.total_fen)


class BankBatchSerializer(PayoutBatchSerializer):
    """A batch approved or further, with its payment file (null before it is issued)."""

    payment_file = serializers.SerializerMethodField()

    class Meta(PayoutBatchSerializer.Meta):
        fields = [*PayoutBatchSerializer.Meta.fields, "sequence", "follows_batch", "payment_file"]
        read_only_fields = fields

    @extend_schema_field(PaymentFileSerializer(allow_null=True))
    def get_payment_file(self, batch) -> dict | None:
        issued = getattr(batch, "payment_file", None)
        return None if issued is None else PaymentFileSerializer(issued).data


class IssueSerializer(serializers.Serializer):
    template = serializers.IntegerField(
        min_value=1, max_value=BIGINT, help_text="a bank template in use, the county's or shared"
    )


class ReturnUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="the bank's return file (回盘文件), xlsx or text")
    same_as_before = serializers.BooleanField(
        default=False,
        help_text="read it though it is byte for byte a return already read for another batch "
        "(only when the bank confirms it is this batch's)",
    )


class ReturnDoneSerializer(serializers.Serializer):
    """The return read: the lines paid and failed, and the account fixes opened for the failed."""

    batch = serializers.IntegerField()
    state = serializers.CharField()
    paid = serializers.IntegerField()
    paid_fen = serializers.IntegerField()
    paid_yuan = serializers.CharField()
    failed = serializers.IntegerField()
    failed_fen = serializers.IntegerField()
    failed_yuan = serializers.CharField()
    fixes = serializers.ListField(child=serializers.IntegerField())


class ReturnRefusedSerializer(serializers.Serializer):
    """The return not read, nothing changed: ``problems``, each naming its row or line."""

    detail = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField(), required=False)


class AccountFixSerializer(serializers.ModelSerializer):
    """账户修正: a line the bank failed, with its reason, until the township enters the right
    account; then ``follow_up`` is the line that pays it again and ``follow_up_batch`` its
    batch."""

    batch = serializers.IntegerField(source="line.batch_id", read_only=True)
    month = serializers.DateField(source="line.month", read_only=True)
    person_name = serializers.CharField(source="line.person_name", read_only=True)
    id_number = serializers.SerializerMethodField()
    amount_fen = serializers.IntegerField(source="line.amount_fen", read_only=True)
    amount_yuan = serializers.SerializerMethodField()
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    account_number = serializers.SerializerMethodField()
    fixed_by = serializers.CharField(
        source="fixed_by.username", default=None, allow_null=True, read_only=True
    )
    follow_up_batch = serializers.IntegerField(
        source="follow_up.batch_id", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = AccountFix
        fields = [
            "id",
            "line",
            "batch",
            "month",
            "region_code",
            "person_name",
            "id_number",
            "amount_fen",
            "amount_yuan",
            "reason",
            "reason_label",
            "reason_text",
            "state",
            "state_label",
            "created_at",
            "fixed_by",
            "fixed_at",
            "account_number",
            "bank_name",
            "follow_up",
            "follow_up_batch",
        ]
        read_only_fields = fields

    def get_id_number(self, fix) -> str:
        return self.context["masker"](fix.line.id_number)

    def get_amount_yuan(self, fix) -> str:
        return yuan(fix.line.amount_fen)

    def get_account_number(self, fix) -> str:
        return mask_text(fix.account_number, head=0, tail=4)


class AccountFixFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=FixState.choices, required=False)


class AccountFixCompleteSerializer(serializers.Serializer):
    account_number = serializers.CharField(max_length=32, help_text="the right card or account")
    bank_name = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default="", help_text="empty: unchanged"
    )
