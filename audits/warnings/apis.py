"""Warnings in the API (docs/policy.md §8, docs/api.md): the area's open warnings, soonest first,
and the advance notice recorded as given. Scoped as the pages (outside the area a 404)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audits.models import ExpiryWarning
from audits.warnings import selectors, services
from audits.warnings.enums import WarningKind
from audits.warnings.roles import GIVE_NOTICES, VIEW_WARNINGS
from audits.warnings.selectors import COMING, OVERDUE
from audits.warnings.serializers import ExpiryWarningSerializer, WarningFilterSerializer
from gongyi.apis import ScopedViewSetMixin
from gongyi.schema import INVALID, NOT_FOUND
from people.onboarding.apis import RolesByActionMixin


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("kind", enum=WarningKind.values),
            OpenApiParameter("due", enum=[OVERDUE, COMING]),
        ]
    )
)
class ExpiryWarningViewSet(
    RolesByActionMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Warnings (预警) of the caller's area not yet dealt with: subsidy periods, statutory
    retirement dates and rural posts' age limits within the county's days ahead, and posts
    vacant past the county's limit; ``due_on`` is the day it ends."""

    serializer_class = ExpiryWarningSerializer
    base_queryset = ExpiryWarning.objects.all()
    view_roles = VIEW_WARNINGS
    roles_by_action = {"notice_given": GIVE_NOTICES}

    def get_queryset(self):
        if self.action == "list":
            params = WarningFilterSerializer(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            return selectors.warnings_open(self.request.user, **params.validated_data)
        return selectors.warnings_open(self.request.user)

    @extend_schema(
        request=None, responses={200: ExpiryWarningSerializer, 400: INVALID, 404: NOT_FOUND}
    )
    @action(detail=True, methods=["post"], url_path="notice-given")
    def notice_given(self, request, pk=None):
        """Record the advance notice as handed to the person today (a post's warning: 400)."""
        warning = self.get_object()
        warning = services.warning_notice_record(actor=request.user, warning_id=warning.pk)
        return Response(self.get_serializer(warning).data)
