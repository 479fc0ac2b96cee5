from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gongyi.masking import masked_changes
from gongyi.models import AuditEntry, Region, User


class RegionSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind", "parent_code"]


class UserSerializer(serializers.ModelSerializer):
    region = RegionSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "role", "department", "region"]


class AuditEntrySerializer(serializers.ModelSerializer):
    """An entry as stored, but for personal values the reader may not read in full: those are
    masked (``gongyi.masking``), so the hash no longer matches them; ``audit_verify`` checks the
    chain on the server."""

    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "at",
            "actor_username",
            "ip",
            "action",
            "object_type",
            "object_pk",
            "object_repr",
            "region_code",
            "changes",
            "note",
            "hash",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["changes"] = masked_changes(
            self.context["request"].user, instance.object_type, instance.changes
        )
        return data


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("User name"))
    password = serializers.CharField(label=_("Password"), trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
