"""The external datasets in the API (docs/policy.md §8), as the pages at /datasets/: the county's
versions of the kinds the caller keeps, and uploading one (``multipart/form-data``).

Same roles as the pages (``audits.datasets.roles``), checked before anything is read (403);
every queryset passes ``scope_queryset`` (outside the county a 404). An upload the service
refuses (a kind the caller does not keep, the same file again) is a **400** with the reason in
Chinese; the upload answers **201** at once, and its rows are checked and loaded in the
background: poll the version until ``status`` is no longer ``checking``.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from audits.datasets import selectors, services
from audits.datasets.enums import DatasetKind
from audits.datasets.roles import RUN_MATCH, UPLOAD_DATASETS, VIEW_DATASETS
from audits.datasets.serializers import (
    DatasetFilterSerializer,
    DatasetUploadSerializer,
    DatasetVersionSerializer,
)
from audits.models import DatasetVersion
from gongyi.apis import ScopedViewSetMixin
from gongyi.schema import INVALID
from people.onboarding.apis import RolesByActionMixin


class MatchStartedSerializer(serializers.Serializer):
    job = serializers.IntegerField(help_text="the background job; its progress at /jobs/<id>/")
    job_status = serializers.CharField()


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("kind", str, enum=DatasetKind.values, required=False)]
    )
)
class DatasetVersionViewSet(
    RolesByActionMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The versions of the caller's county's external datasets, newest first; a department's
    reviewer sees the kinds the department keeps."""

    serializer_class = DatasetVersionSerializer
    view_roles = VIEW_DATASETS
    roles_by_action = {"create": UPLOAD_DATASETS, "match": RUN_MATCH}
    parser_classes = [MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is being generated
            return DatasetVersion.objects.none()
        if self.action == "list":
            filters = DatasetFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            kind = filters.validated_data.get("kind", "")
        else:
            kind = ""
        return selectors.dataset_versions(self.request.user, kind=kind).defer(None)

    @extend_schema(
        request={"multipart/form-data": DatasetUploadSerializer},
        responses={201: DatasetVersionSerializer, 400: INVALID},
    )
    def create(self, request, *args, **kwargs):
        """Upload a new version of a kind; it is checked and loaded in the background."""
        serializer = DatasetUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = services.dataset_upload(
            actor=request.user, kind=data["kind"], upload=data["file"], as_of=data["as_of"]
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=version.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={202: MatchStartedSerializer, 400: INVALID})
    @action(detail=False, methods=["post"])
    def match(self, request):
        """Run the match of the county's people on post against the newest loaded version of each
        kind now, in the background (it also runs on the first of each month). A county with no
        loaded dataset, or whose match is running: a 400, or the job ends failed with the
        reason; poll ``/jobs/{job}/``."""
        job = services.dataset_match_start(actor=request.user)
        return Response({"job": job.pk, "job_status": job.status}, status=status.HTTP_202_ACCEPTED)
