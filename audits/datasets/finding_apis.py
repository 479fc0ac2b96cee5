"""The findings in the API (docs/api.md, "Findings"; docs/policy.md §8): the caller's area's
findings (list, filtered by ``kind`` and ``state``; one with its evidence) and their moves
(``transition``: under investigation, confirmed with the effective date and the evidence,
dismissed with a reason).

As the pages: the role is checked before anything is read (403); every queryset passes
``scope_queryset`` (outside the area a 404); a move is one call of ``finding_transition``, and a
refusal is a **400** with the reason in Chinese, changing nothing.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audits.datasets import selectors
from audits.datasets.enums import FINDING_KINDS, FindingState
from audits.datasets.findings import finding_transition
from audits.datasets.roles import DECIDE_FINDINGS, VIEW_FINDINGS
from audits.models import Finding
from gongyi.apis import ScopedViewSetMixin
from gongyi.schema import INVALID, NOT_FOUND
from people.masking import id_masker
from people.onboarding.apis import RolesByActionMixin


class FindingSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.SerializerMethodField(help_text="masked as the county masks lists")
    post = serializers.IntegerField(source="placement.post_id", read_only=True)
    exit = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "kind",
            "state",
            "fact_key",
            "fact_from",
            "person",
            "person_name",
            "id_number",
            "placement",
            "post",
            "region_code",
            "version",
            "evidence",
            "found_at",
            "checked_at",
            "state_changed_at",
            "note",
            "exit",
        ]
        read_only_fields = fields

    def get_id_number(self, obj) -> str:
        return self.context["masker"](obj.person.id_number)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["evidence"] = {k: v for k, v in data["evidence"].items() if k != "id_number"}
        return data


class FindingTransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=[FindingState.INVESTIGATING, FindingState.CONFIRMED, FindingState.DISMISSED]
    )
    note = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="the evidence found (confirmed) or the reason (dismissed)",
    )
    effective_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="confirmed: the last day on the post; by default the day before the fact began",
    )
    decided_by = serializers.CharField(max_length=100, required=False, allow_blank=True)
    decided_on = serializers.DateField(required=False, allow_null=True)


class FindingFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FINDING_KINDS, required=False)
    state = serializers.ChoiceField(choices=[*FindingState.values, "open"], required=False)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=[k for k, _label in FINDING_KINDS], required=False),
            OpenApiParameter("state", str, enum=[*FindingState.values, "open"], required=False),
        ]
    )
)
class FindingViewSet(
    RolesByActionMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The cross-check's findings of the caller's area, newest first."""

    serializer_class = FindingSerializer
    view_roles = VIEW_FINDINGS
    roles_by_action = {"transition": DECIDE_FINDINGS}

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["masker"] = id_masker(self.request.user)
        return context

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is being generated
            return Finding.objects.none()
        filters = FindingFilterSerializer(
            data=self.request.query_params if self.action == "list" else {}
        )
        filters.is_valid(raise_exception=True)
        return selectors.findings_of(self.request.user, **filters.validated_data)

    @extend_schema(
        request=FindingTransitionSerializer,
        responses={200: FindingSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the finding: ``investigating`` (from new), ``confirmed`` (from under
        investigation, with ``note``, ``decided_by``, ``decided_on`` and optionally
        ``effective_date``: the exit is recorded and linked as ``exit``) or ``dismissed`` (with
        the reason in ``note``)."""
        finding = self.get_object()
        serializer = FindingTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        finding_transition(actor=request.user, finding_id=finding.pk, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=finding.pk)).data)
