from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gongyi.models import ApiToken, AuditEntry, Region, User


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


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("User name"))
    password = serializers.CharField(label=_("Password"), trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="the key, shown this once: send it as `Token <key>`")
    id = serializers.IntegerField()
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.ModelSerializer):
    """One of the caller's tokens; ``current``: the one this request was made with."""

    live = serializers.BooleanField(source="is_live", read_only=True)
    current = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "created_at", "expires_at", "revoked_at", "live", "current"]
        read_only_fields = fields

    def get_current(self, token) -> bool:
        return token == self.context["request"].auth
