"""The registry's API shapes. Writes go through ``people.services``; ID numbers and accounts are
shown in full only to the roles of ``people.roles`` (docs/policy.md §9)."""

from rest_framework import serializers

from gongyi.masking import mask_text, shown
from gongyi.serializers import RefuseReadOnlyMixin, RegionCodeField
from people.models import Person, PersonGroup, RelativeDeclaration


class MembershipSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="group.code", read_only=True)
    name = serializers.CharField(source="group.name", read_only=True)

    class Meta:
        model = PersonGroup
        fields = ["code", "name", "recognised_on", "evidence"]


class DeclarationSerializer(serializers.ModelSerializer):
    class Meta:
        model = RelativeDeclaration
        fields = [
            "relation",
            "relative_name",
            "relative_kind",
            "relative_post",
            "declared_on",
            "status",
        ]


class PersonSerializer(RefuseReadOnlyMixin, serializers.ModelSerializer):
    """A person file. ``id_number`` accepts lower-case x, full-width digits and 15-digit numbers;
    an invalid one is a 400 with the reason on ``id_number``."""

    id_number = serializers.CharField(max_length=40)
    township = RegionCodeField()
    village = RegionCodeField(allow_null=True, required=False)
    retirement_category = serializers.ChoiceField(
        choices=Person._meta.get_field("retirement_category").choices, required=False
    )
    target_groups = MembershipSerializer(source="memberships", many=True, read_only=True)
    declarations = DeclarationSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "id_number",
            "name",
            "sex",
            "birth_date",
            "retirement_category",
            "retirement_date",
            "phone",
            "registration",
            "township",
            "village",
            "region_code",
            "residence",
            "account_kind",
            "account_number",
            "bank_name",
            "dibao_family",
            "zero_employment_family",
            "disability_certificate",
            "disability_grade",
            "placements_used",
            "subsidy_months_used",
            "note",
            "target_groups",
            "declarations",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["sex", "birth_date", "retirement_date", "region_code"]

    def validate(self, attrs):
        return attrs  # the service checks everything, with the same messages as the pages

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self.context["request"].user
        for name in ("id_number", "disability_certificate", "account_number", "phone"):
            data[name] = shown(user, Person, name)(getattr(instance, name))
        if self.context.get("masked", False):  # a list masks the numbers for every reader
            data["id_number"] = self.context["masker"](instance.id_number)
            data["disability_certificate"] = mask_text(instance.disability_certificate, tail=2)
        return data


class ExternalHitSerializer(serializers.Serializer):
    """A row of another department's list that concerns the person (docs/policy.md §8)."""

    kind = serializers.CharField()
    source = serializers.CharField()
    as_of = serializers.DateField()
    line = serializers.IntegerField()
    facts = serializers.CharField()


class EligibilityRuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["pass", "fail", "attention"])
    reason = serializers.CharField()
    #: Only on the pre-placement check's rule (``external_data``) with hits.
    evidence = ExternalHitSerializer(many=True, required=False)


class EligibilitySerializer(serializers.Serializer):
    """The verdict: ``eligible`` if no rule fails, ``ready`` if none needs action either."""

    area_kind = serializers.CharField()
    on = serializers.DateField()
    post = serializers.IntegerField(allow_null=True)
    eligible = serializers.BooleanField()
    ready = serializers.BooleanField()
    groups = serializers.ListField(child=serializers.CharField())
    rules = EligibilityRuleSerializer(many=True)
