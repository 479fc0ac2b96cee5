import functools

from rest_framework import serializers

from gongyi.serializers import RefuseReadOnlyMixin, RegionCodeField
from posts.models import AnnualPlan, Post, PostType


class PostTypeSerializer(RefuseReadOnlyMixin, serializers.ModelSerializer):
    # None for the standard names every county shares.
    county = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = PostType
        fields = ["id", "category", "name", "county", "description", "source", "is_active"]
        read_only_fields = ["source", "is_active"]


class PostSerializer(RefuseReadOnlyMixin, serializers.ModelSerializer):
    """Writes go through ``posts.services``; the area and the pay rules are checked there."""

    post_type_name = serializers.CharField(source="post_type.name", read_only=True)
    category = serializers.CharField(source="post_type.category", read_only=True)
    township = RegionCodeField()
    village = RegionCodeField(allow_null=True, required=False)

    class Meta:
        model = Post
        fields = [
            "id",
            "post_type",
            "post_type_name",
            "category",
            "title",
            "area_kind",
            "work_pattern",
            "hours_per_week",
            "township",
            "village",
            "region_code",
            "department",
            "duties",
            "requirements",
            "headcount",
            "occupied",
            "monthly_subsidy",
            "hourly_rate",
            "insurance_kind",
            "plan_year",
            "status",
            "opened_on",
            "first_filled_on",
            "vacant_since",
            "closed_on",
            "close_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "region_code",
            "occupied",
            "status",
            "opened_on",
            "first_filled_on",
            "vacant_since",
            "closed_on",
            "close_reason",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"insurance_kind": {"required": False}}

    #: Fields whose value DRF formats (decimals, dates, times); the rest go out as they are.
    FORMATTED = (
        "hours_per_week",
        "monthly_subsidy",
        "hourly_rate",
        "opened_on",
        "first_filled_on",
        "vacant_since",
        "closed_on",
        "created_at",
        "updated_at",
    )
    PLAIN = (
        "id",
        "post_type_id",
        "title",
        "area_kind",
        "work_pattern",
        "region_code",
        "department",
        "duties",
        "requirements",
        "headcount",
        "occupied",
        "insurance_kind",
        "plan_year",
        "status",
        "close_reason",
    )

    def to_representation(self, post):
        """Built directly, in DRF's formats: DRF's per-field machinery was most of the time of a
        page of 50 posts (bench ``catalogue``)."""
        formats = output_formats()
        data = {name: getattr(post, name) for name in self.PLAIN}
        data["post_type"] = data.pop("post_type_id")
        for name in self.FORMATTED:
            value = getattr(post, name)
            data[name] = None if value is None else formats[name].to_representation(value)
        data["post_type_name"] = post.post_type.name
        data["category"] = post.post_type.category
        data["township"] = post.township.code
        data["village"] = post.village.code if post.village_id else None
        return {name: data[name] for name in self.Meta.fields}


@functools.cache
def output_formats() -> dict[str, serializers.Field]:
    """DRF's fields of ``PostSerializer.FORMATTED``, built once per process: building a model
    serializer's fields (``get_fields``) on every request was a tenth of the API list's time.
    Their ``to_representation`` reads neither the request nor the serializer (the time zone is
    the active one at each call), so one set serves every request."""
    fields = PostSerializer().fields
    return {name: fields[name] for name in PostSerializer.FORMATTED}


class PostTransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=["open", "closed"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ProgressSerializer(serializers.Serializer):
    """Shares are of the allocation."""

    allocated = serializers.IntegerField()
    developed = serializers.IntegerField()
    developed_share = serializers.FloatField(allow_null=True)
    filled = serializers.IntegerField()
    filled_share = serializers.FloatField(allow_null=True)
    on_post = serializers.IntegerField()
    on_post_share = serializers.FloatField(allow_null=True)


class PlanRowSerializer(serializers.Serializer):
    township = serializers.CharField(source="township.code", default=None, allow_null=True)
    township_name = serializers.CharField(source="township.name", default=None, allow_null=True)
    urban = ProgressSerializer()
    rural = ProgressSerializer()
    total = ProgressSerializer()


class PlanSerializer(serializers.ModelSerializer):
    county = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = AnnualPlan
        fields = ["id", "county", "year", "urban_target", "rural_target", "total_target", "note"]


class AgainstTargetSerializer(serializers.Serializer):
    kind = serializers.CharField()
    target = serializers.IntegerField()
    developed = serializers.IntegerField()
    developed_share = serializers.FloatField(allow_null=True)
    filled = serializers.IntegerField()
    filled_share = serializers.FloatField(allow_null=True)
    on_post = serializers.IntegerField()
    on_post_share = serializers.FloatField(allow_null=True)


class PlanDetailSerializer(PlanSerializer):
    rows = PlanRowSerializer(many=True, source="progress.rows")
    total = PlanRowSerializer(source="progress.total")
    against_target = AgainstTargetSerializer(many=True, source="progress.against_target")

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "rows", "total", "against_target"]
