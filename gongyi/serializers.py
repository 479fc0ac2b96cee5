from collections.abc import Mapping

from django.utils.encoding import smart_str
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gongyi.masking import masked_changes
from gongyi.models import ApiToken, AuditEntry, Region, User


class RefuseReadOnlyMixin:
    """A value sent for a field that no request sets (a state, a region code, a count) is a 400
    naming the field, not dropped in silence; sending back unchanged what was read is fine."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            sent = [
                name
                for name, field in self.fields.items()
                if field.read_only and data.get(name) not in (None, "")
            ]
            current = self.to_representation(self.instance) if sent and self.instance else {}
            errors = {
                name: [_("This field is set by the system; it cannot be sent.")]
                for name in sent
                if data[name] != current.get(name)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class RegionCodeField(serializers.SlugRelatedField):
    """A region named by its code. What cannot be a code (letters, a NUL byte) does not
    exist, as an unknown code does, without a query: PostgreSQL refuses a NUL in a query."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", None if kwargs.get("read_only") else Region.objects.all())
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if not (isinstance(data, str) and data.isascii() and data.isdigit() and len(data) <= 12):
            self.fail("does_not_exist", slug_name=self.slug_field, value=smart_str(data))
        return super().to_internal_value(data)


class RegionSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(
        source="parent.code", default=None, read_only=True, allow_null=True
    )

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
