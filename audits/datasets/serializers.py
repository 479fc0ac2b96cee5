"""The external datasets in the API (docs/policy.md §8)."""

from rest_framework import serializers

from audits.datasets.enums import DatasetKind
from audits.models import DatasetVersion


class DatasetErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="the row's number in the file; the header is row 1")
    column = serializers.CharField(help_text="the column's header as the file has it")
    message = serializers.CharField()


class DatasetVersionSerializer(serializers.ModelSerializer):
    """One upload of a department's list: ``checking`` while the background job reads it, then
    ``loaded`` (every row) or ``rejected`` (none: ``error`` for the file, ``errors`` for its
    first bad cells, ``error_count`` bad rows in all)."""

    uploaded_by = serializers.StringRelatedField()
    job = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="the background job; its progress at /jobs/<id>/"
    )
    errors = DatasetErrorSerializer(many=True, read_only=True)

    class Meta:
        model = DatasetVersion
        fields = [
            "id",
            "kind",
            "region_code",
            "status",
            "as_of",
            "file_name",
            "file_size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "job",
            "loaded_at",
            "row_count",
            "loaded_rows",
            "error_count",
            "error",
            "errors",
        ]
        read_only_fields = fields


class DatasetUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DatasetKind.choices)
    as_of = serializers.DateField(help_text="the day the department's list describes")
    file = serializers.FileField(help_text="the list, .xlsx or .csv (UTF-8 or GBK)")


class DatasetFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DatasetKind.choices, required=False)
