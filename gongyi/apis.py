"""The core API: token login, the current user, regions and the audit log, all area-scoped."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from gongyi.audit import audit_record
from gongyi.enums import AuditAction, RegionLevel
from gongyi.models import AuditEntry, Region
from gongyi.roles import VIEW_AUDIT, HasRole
from gongyi.scoping import scope_queryset
from gongyi.serializers import (
    AuditEntrySerializer,
    RegionSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UserSerializer,
)


class ScopedViewSetMixin:
    """Every object the view reads passes through ``scope_queryset``: outside the area is a 404."""

    permission_classes = [IsAuthenticated, HasRole]
    base_queryset = None

    def get_queryset(self):
        return scope_queryset(self.request.user, self.base_queryset.all())

    def get_object(self):
        from django.http import Http404
        from rest_framework.exceptions import NotFound

        try:
            return super().get_object()
        except (Http404, ValueError):
            raise NotFound(_("Not found, or outside your area.")) from None


class TokenView(APIView):
    """Exchange a user name and password for an API token.

    Send it as ``Authorization: Token …``.
    """

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The plain HttpRequest, so that django-axes counts failures and locks out as on the page.
        user = authenticate(request._request, **serializer.validated_data)
        if user is None or not user.is_active:
            return Response(
                {"detail": _("Wrong user name or password.")}, status=status.HTTP_400_BAD_REQUEST
            )
        token, created = Token.objects.get_or_create(user=user)
        if created:
            audit_record(actor=user, action=AuditAction.TOKEN, instance=user)
        return Response({"token": token.key})


class MeView(APIView):
    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)


@extend_schema(
    parameters=[
        OpenApiParameter("level", enum=RegionLevel.values),
        OpenApiParameter("parent", description="code of the parent region"),
    ]
)
class RegionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionSerializer
    base_queryset = Region.objects.select_related("parent").order_by("code")
    lookup_field = "code"

    def get_queryset(self):
        regions = super().get_queryset()
        params = self.request.query_params
        if params.get("level") in RegionLevel.values:
            regions = regions.filter(level=params["level"])
        if params.get("parent"):
            regions = regions.filter(parent__code=params["parent"])
        return regions


@extend_schema(parameters=[OpenApiParameter("object_type"), OpenApiParameter("object_pk")])
class AuditEntryViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AuditEntrySerializer
    base_queryset = AuditEntry.objects.order_by("-seq")
    allowed_roles = VIEW_AUDIT

    def get_queryset(self):
        entries = super().get_queryset()
        for param in ("object_type", "object_pk"):
            if self.request.query_params.get(param):
                entries = entries.filter(**{param: self.request.query_params[param]})
        return entries


def exception_handler(exc, context):
    """DRF's handler, and a service's refusal (``DomainError``) as a 400 with its reason."""
    from rest_framework.views import exception_handler as drf_handler

    from gongyi.errors import DomainError

    if isinstance(exc, DomainError):
        body = {"detail": exc.message}
        body.update({field: [message] for field, message in exc.field_errors.items()})
        if exc.errors:
            body["errors"] = [
                {"row": e.row, "column": e.column, "message": e.message} for e in exc.errors
            ]
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_handler(exc, context)
