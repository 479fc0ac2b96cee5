"""The registry's API: people of the caller's area, with search and the eligibility verdict."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from gongyi.apis import ScopedViewSetMixin
from gongyi.roles import require_role
from people import selectors, services
from people.masking import id_masker
from people.models import Person
from people.roles import EDIT_PEOPLE, VIEW_PEOPLE
from people.serializers import EligibilitySerializer, PersonSerializer
from posts.enums import AreaKind

PERSON_FILTER_PARAMETERS = [
    OpenApiParameter("q", description="full ID number, its last 4+ digits, or a name's beginning"),
    OpenApiParameter("township", description="9-digit code of the township"),
    OpenApiParameter("village", description="12-digit code of the village or community"),
    OpenApiParameter("group", int, description="target group id"),
    OpenApiParameter("residence", enum=AreaKind.values),
    OpenApiParameter("eligible_for", enum=AreaKind.values, description="eligible today for"),
]


@extend_schema_view(list=extend_schema(parameters=PERSON_FILTER_PARAMETERS))
class PersonViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """People of the caller's area. ID numbers are masked in the list; a file shows the full
    number to the roles that need it. Creating an ID number that has a file already is a 400 that
    says where the file is."""

    serializer_class = PersonSerializer
    base_queryset = Person.objects.all()
    allowed_roles = VIEW_PEOPLE

    def get_queryset(self):
        people = selectors.person_api_people(super().get_queryset())
        if self.action == "list":
            people = selectors.person_api_list(people, self.request.query_params)
        return people

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["masker"] = id_masker(self.request.user)
        context["masked"] = self.action == "list"
        return context

    @staticmethod
    def _fields(data):
        return {k: v for k, v in data.items() if k in services.PERSON_FIELDS}

    def perform_create(self, serializer):
        require_role(self.request.user, EDIT_PEOPLE)
        serializer.instance = services.person_create(
            actor=self.request.user, **self._fields(serializer.validated_data)
        )

    def perform_update(self, serializer):
        require_role(self.request.user, EDIT_PEOPLE)
        serializer.instance = services.person_update(
            actor=self.request.user,
            person=serializer.instance,
            **self._fields(serializer.validated_data),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("post", int, description="a post of the caller's area"),
            OpenApiParameter("kind", enum=AreaKind.values, description="or a kind of post"),
            OpenApiParameter("on", dt.date, description="the day (today by default)"),
        ],
        responses=EligibilitySerializer,
    )
    @action(detail=True, methods=["get"])
    def eligibility(self, request, pk=None):
        """The eligibility verdict for a post (or a kind of post) with every rule checked."""
        person = self.get_object()
        post_id = request.query_params.get("post", "")
        post = None
        if post_id:
            if not (post_id.isascii() and post_id.isdigit()):
                raise ValidationError({"post": _("Enter a post id.")})
            post = selectors.post_for(request.user, post_id)
            if post is None:
                raise ValidationError({"post": _("Not found, or outside your area.")})
            kind = post.area_kind
        else:
            kind = request.query_params.get("kind", "")
            if kind not in AreaKind.values:
                raise ValidationError({"kind": _("Give a post, or a kind: urban or rural.")})
        on = timezone.localdate()
        if request.query_params.get("on"):
            try:
                on = dt.date.fromisoformat(request.query_params["on"])
                if not 1900 <= on.year <= 2100:
                    raise ValueError
            except ValueError:
                raise ValidationError({"on": _("Enter a date such as 2026-03-01.")}) from None
        verdict = selectors.person_verdict(person, kind, on)
        return Response(verdict.as_dict() | {"post": post.pk if post else None})
