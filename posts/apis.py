"""The catalogue's API: post types, posts and plans, with the catalogue's filters, area-scoped."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from gongyi.apis import ScopedViewSetMixin
from gongyi.roles import require_role
from posts import selectors, services
from posts.enums import AreaKind, PostCategory, PostStatus, WorkPattern
from posts.roles import EDIT_POSTS, PLAN_ROLES
from posts.serializers import (
    PlanDetailSerializer,
    PlanSerializer,
    PostSerializer,
    PostTransitionSerializer,
    PostTypeSerializer,
)

POST_FILTER_PARAMETERS = [
    OpenApiParameter("township", description="9-digit code of the township"),
    OpenApiParameter("village", description="12-digit code of the village or community"),
    OpenApiParameter("category", enum=PostCategory.values),
    OpenApiParameter("area_kind", enum=AreaKind.values),
    OpenApiParameter("work_pattern", enum=WorkPattern.values),
    OpenApiParameter("status", enum=PostStatus.values),
    OpenApiParameter("post_type", int),
    OpenApiParameter("plan_year", int),
    OpenApiParameter("q", description="part of the local title"),
]


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("category", enum=PostCategory.values)])
)
class PostTypeViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Standard post names: the seeds' and the county's own. The county adds names."""

    serializer_class = PostTypeSerializer

    def get_queryset(self):
        category = self.request.query_params.get("category", "")
        return selectors.post_type_list(self.request.user, category)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.post_type_create(
            actor=self.request.user,
            category=data["category"],
            name=data["name"],
            description=data.get("description", ""),
        )


@extend_schema_view(list=extend_schema(parameters=POST_FILTER_PARAMETERS))
class PostViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Posts of the caller's area. Create and update check the area, pay and headcount as the
    pages do; a refusal is a 400 with the reason."""

    serializer_class = PostSerializer

    def get_queryset(self):
        params = self.request.query_params.dict()
        if self.action == "list":
            # Townships and villages are named after the page is read (``paginate_queryset``).
            return selectors.post_list_regions_apart(self.request.user, params)
        return selectors.post_list(self.request.user, params)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return page if page is None else selectors.with_regions(page)

    def perform_create(self, serializer):
        require_role(self.request.user, EDIT_POSTS)
        serializer.instance = services.post_create(
            actor=self.request.user, **self._fields(serializer.validated_data)
        )

    def perform_update(self, serializer):
        require_role(self.request.user, EDIT_POSTS)
        serializer.instance = services.post_update(
            actor=self.request.user,
            post=serializer.instance,
            **self._fields(serializer.validated_data),
        )

    @staticmethod
    def _fields(data):
        return {k: v for k, v in data.items() if k in services.POST_FIELDS}

    @extend_schema(request=PostTransitionSerializer, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Publish (``open``) or close (``closed``, with a reason) a post."""
        post = self.get_object()
        serializer = PostTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        post = services.post_transition(actor=request.user, post=post, **serializer.validated_data)
        return Response(PostSerializer(post).data, status=status.HTTP_200_OK)


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("year", int)]))
class PlanViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Annual plans; one plan comes with its progress per township, urban and rural apart."""

    allowed_roles = PLAN_ROLES

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer

    def get_queryset(self):
        return selectors.plans_for(self.request.user, self.request.query_params.get("year", ""))

    def get_object(self):
        plan = super().get_object()
        plan.progress = selectors.plan_progress(self.request.user, plan)
        return plan
