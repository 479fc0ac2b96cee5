"""Warnings in the API (docs/api.md): ID numbers masked as on the pages."""

from rest_framework import serializers

from audits.models import ExpiryWarning
from audits.warnings.enums import WarningKind
from audits.warnings.selectors import COMING, OVERDUE
from people.masking import id_masker


class WarningFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=WarningKind.choices, required=False)
    due = serializers.ChoiceField(choices=[OVERDUE, COMING], required=False)


class ExpiryWarningSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    person_name = serializers.CharField(source="person.name", default="", read_only=True)
    id_number = serializers.SerializerMethodField()
    post_title = serializers.CharField(source="post.title", read_only=True)

    class Meta:
        model = ExpiryWarning
        fields = [
            "id",
            "kind",
            "kind_label",
            "region_code",
            "placement",
            "person",
            "person_name",
            "id_number",
            "post",
            "post_title",
            "due_on",
            "listed_on",
            "notified_on",
        ]
        read_only_fields = fields

    def get_id_number(self, warning) -> str:
        if warning.person is None:
            return ""
        mask = self.context.setdefault("_mask", id_masker(self.context["request"].user))
        return mask(warning.person.id_number)
