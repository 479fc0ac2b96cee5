"""The core API: token login, the current user, regions and the audit log, all area-scoped."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from gongyi import selectors
from gongyi.enums import RegionLevel
from gongyi.roles import VIEW_AUDIT, HasRole
from gongyi.schema import ERROR, INVALID
from gongyi.scoping import scope_queryset
from gongyi.serializers import (
    ApiTokenSerializer,
    AuditEntrySerializer,
    RegionSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UserSerializer,
)
from gongyi.tokens import (
    ExpiringTokenAuthentication,
    RevokeReason,
    api_token_issue,
    api_tokens_revoke,
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
    """``POST``: exchange a user name and password for a new API token, which ends after
    ``expires_at``. Send it as ``Authorization: Token …``. ``DELETE``: revoke the token this
    request is made with (log out of the API)."""

    def _logging_in(self) -> bool:
        # No request yet while a schema is generated: the login's view of things, then.
        request = getattr(self, "request", None)
        return request is None or request.method == "POST"

    def get_permissions(self):
        return [AllowAny()] if self._logging_in() else [IsAuthenticated()]

    def get_authenticators(self):
        # Logging in needs no session and no CSRF token; revoking needs the token itself.
        return [] if self._logging_in() else [ExpiringTokenAuthentication()]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer, 400: INVALID, 429: ERROR},
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The plain HttpRequest, so that django-axes counts failures and locks out as on the page.
        user = authenticate(request._request, **serializer.validated_data)
        if user is None or not user.is_active:
            return Response(
                {"detail": _("Wrong user name or password.")}, status=status.HTTP_400_BAD_REQUEST
            )
        token, key = api_token_issue(user=user)
        return Response({"token": key, "id": token.pk, "expires_at": token.expires_at})

    @extend_schema(request=None, responses={204: None, 401: ERROR})
    def delete(self, request):
        api_tokens_revoke(
            actor=request.user,
            tokens=selectors.api_token_by_pk(request.auth.pk),
            reason=RevokeReason.OWNER,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's own API tokens, newest first; ``DELETE`` revokes one (it stays listed, with
    ``revoked_at``). The administrator revokes anyone's in the admin."""

    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        return selectors.own_api_tokens(self.request.user)

    def perform_destroy(self, instance):
        api_tokens_revoke(
            actor=self.request.user,
            tokens=selectors.api_token_by_pk(instance.pk),
            reason=RevokeReason.OWNER,
        )


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
    lookup_field = "code"
    # Any text up to the slash reaches the view, so a code that is no region (with a dot, say) is
    # the API's JSON 404, not the router's unmatched URL and its HTML page.
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        params = self.request.query_params
        return selectors.region_api_list(
            self.request.user, level=params.get("level", ""), parent=params.get("parent", "")
        )


@extend_schema(parameters=[OpenApiParameter("object_type"), OpenApiParameter("object_pk")])
class AuditEntryViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AuditEntrySerializer
    allowed_roles = VIEW_AUDIT

    def get_queryset(self):
        params = self.request.query_params
        return selectors.audit_entry_api_list(
            self.request.user,
            object_type=params.get("object_type", ""),
            object_pk=params.get("object_pk", ""),
        )


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
