"""The catalogue's API: post types, posts and plans, with the catalogue's filters, area-scoped."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from gongyi.apis import ScopedViewSetMixin
from gongyi.roles import require_role
from posts import selectors, services
from posts.enums import AreaKind, PostCategory, PostStatus, WorkPattern
from posts.models import AnnualPlan, Post, PostType
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
    base_queryset = PostType.objects.select_related("county").order_by("category", "name")

    def get_queryset(self):
        types = super().get_queryset()
        if self.request.query_params.get("category") in PostCategory.values:
            types = types.filter(category=self.request.query_params["category"])
        return types

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
    base_queryset = Post.objects.all()

    def get_queryset(self):
        posts = selectors.post_list(self.request.user, self.request.query_params.dict())
        if self.action == "list":
            # Townships and villages are named after the page is read (``paginate_queryset``):
            # joined, PostgreSQL took longer to plan the page's query than to run it.
            posts = posts.select_related(None).select_related("post_type")
        return posts

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

    base_queryset = AnnualPlan.objects.select_related("county").order_by("county__code", "-year")
    allowed_roles = PLAN_ROLES

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer

    def get_queryset(self):
        plans = super().get_queryset()
        year = self.request.query_params.get("year", "")
        return plans.filter(year=year) if selectors.is_number(year, 4) else plans

    def get_object(self):
        plan = super().get_object()
        plan.progress = selectors.plan_progress(self.request.user, plan)
        return plan
