"""The payout's API (docs/policy.md §7, "How gongyi pays"): payout batches of the caller's area
(list, one, open and make the lines in the background, the moves), their lines (list, hold,
release) and the county's grade rules. The bank's payment file and return have their own module.

As the pages: every queryset passes ``scope_queryset`` (outside the area a 404); the role is
checked before anything is read (403); each write is one service call, and a refusal is a **400**
with the reason, changing nothing.
"""

import datetime as dt

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from gongyi.apis import ScopedViewSetMixin
from gongyi.schema import INVALID, NOT_FOUND
from gongyi.scoping import scope_queryset
from people.masking import id_masker
from people.onboarding.apis import RolesByActionMixin
from subsidies.payout import selectors, services
from subsidies.payout.enums import BatchKind, BatchState, LineStatus
from subsidies.payout.models import GradeRule, PayoutBatch, PayoutLine
from subsidies.payout.roles import (
    APPROVE_PAYOUTS,
    ISSUE_PAYOUTS,
    PREPARE_PAYOUTS,
    VIEW_PAYOUTS,
)
from subsidies.payout.serializers import (
    BatchFilterSerializer,
    BatchStartedSerializer,
    BatchStartSerializer,
    BatchTransitionSerializer,
    GradeRuleCreateSerializer,
    GradeRuleSerializer,
    LineFilterSerializer,
    LineHoldSerializer,
    LineReleaseSerializer,
    PayoutBatchDetailSerializer,
    PayoutBatchSerializer,
    PayoutLineSerializer,
)

REFUSED = {400: INVALID, 404: NOT_FOUND}


def query(serializer_class, request) -> dict:
    """The query string checked: a bad value is a 400 naming the parameter."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _month(text: str) -> dt.date:
    return dt.date.fromisoformat(f"{text}-01")


class PayoutViewSetMixin(RolesByActionMixin, ScopedViewSetMixin):
    """Read by the roles that see payouts; each write names its own roles."""

    view_roles = VIEW_PAYOUTS


BATCH_FILTER_PARAMETERS = [
    OpenApiParameter("month", description="YYYY-MM"),
    OpenApiParameter("state", enum=BatchState.values),
    OpenApiParameter("kind", enum=BatchKind.values),
]


@extend_schema_view(list=extend_schema(parameters=BATCH_FILTER_PARAMETERS))
class PayoutBatchViewSet(
    PayoutViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Payout batches (发放批次) of the caller's area, newest month first: a township's own, the
    county's every township's. ``allowed_transitions``: the moves the caller's role may make
    from the batch's state."""

    serializer_class = PayoutBatchSerializer
    base_queryset = PayoutBatch.objects.all()
    roles_by_action = {
        "create": PREPARE_PAYOUTS,
        "generate": PREPARE_PAYOUTS,
        "transition": PREPARE_PAYOUTS | APPROVE_PAYOUTS,
        "premium": ISSUE_PAYOUTS,
    }

    def get_queryset(self):
        params = query(BatchFilterSerializer, self.request) if self.action == "list" else {}
        return selectors.batch_list(
            self.request.user,
            month=_month(params["month"]) if "month" in params else None,
            state=params.get("state", ""),
            kind=params.get("kind", ""),
        ).select_related("created_by", "submitted_by", "approved_by")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return PayoutBatchDetailSerializer
        return PayoutBatchSerializer

    def _started(self, batch_id: int, job) -> Response:
        batch = self.get_queryset().get(pk=batch_id)
        data = {
            "batch": PayoutBatchSerializer(batch, context=self.get_serializer_context()).data,
            "job": job.pk,
            "job_status": job.status,
        }
        return Response(data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=BatchStartSerializer, responses={202: BatchStartedSerializer, 400: INVALID}
    )
    def create(self, request, *args, **kwargs):
        """Open the township's batch of ``month`` and ``kind`` (urban or rural posts; opening it
        again gives the same batch) and make its lines from the closed attendance months in the
        background. For the year's insurance, ``kind`` ``social_insurance`` or
        ``accident_insurance`` and any ``month`` of the year: the batch of that year. A month not begun, a batch no longer being prepared, a caller who is not a
        township's: a 400 with the reason."""
        serializer = BatchStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        batch, job = services.payout_batch_start(
            actor=request.user, month=_month(data["month"]), kind=data["kind"]
        )
        return self._started(batch.pk, job)

    @extend_schema(request=None, responses={202: BatchStartedSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def generate(self, request, pk=None):
        """Make the lines again, in the background: only the months closed since are added."""
        batch = self.get_object()
        batch, job = services.payout_batch_start(actor=request.user, batch_id=batch.pk)
        return self._started(batch.pk, job)

    @extend_schema(
        request=BatchTransitionSerializer, responses={200: PayoutBatchDetailSerializer, **REFUSED}
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the batch: ``submitted`` (the township, with a line to pay), ``approved`` (the
        county, never who prepared it) or ``draft`` (returned for correction, with the
        ``reason``), ``closed``. A move the state or the role does not allow, or a line changed
        outside the system: a 400 with the reason."""
        batch = self.get_object()
        serializer = BatchTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.payout_batch_transition(
            actor=request.user, batch_id=batch.pk, **serializer.validated_data
        )
        moved = self.get_queryset().get(pk=batch.pk)
        return Response(
            PayoutBatchDetailSerializer(moved, context=self.get_serializer_context()).data
        )

    @extend_schema(request=None, responses={200: PayoutBatchDetailSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def premium(self, request, pk=None):
        """An approved ``accident_insurance`` batch's premium paid to the insurer in one payment:
        its lines paid, the batch ``returned`` (then closed as any). Another kind or state: a 400
        with the reason."""
        batch = self.get_object()
        services.accident_premium_pay(actor=request.user, batch_id=batch.pk)
        moved = self.get_queryset().get(pk=batch.pk)
        return Response(
            PayoutBatchDetailSerializer(moved, context=self.get_serializer_context()).data
        )


LINE_FILTER_PARAMETERS = [
    OpenApiParameter("batch", int, description="a payout batch's id"),
    OpenApiParameter("status", enum=LineStatus.values),
]


@extend_schema_view(list=extend_schema(parameters=LINE_FILTER_PARAMETERS))
class PayoutLineViewSet(PayoutViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Payout lines of the caller's area, by batch and name: each the frozen snapshot of a
    placement's month, its amount in fen and yuan and the rules that made it, in words."""

    serializer_class = PayoutLineSerializer
    base_queryset = PayoutLine.objects.all()
    roles_by_action = {"hold": PREPARE_PAYOUTS, "release": PREPARE_PAYOUTS}

    def get_queryset(self):
        lines = super().get_queryset().order_by("batch_id", "person_name", "pk")
        if self.action == "list":
            params = query(LineFilterSerializer, self.request)
            if "batch" in params:
                lines = lines.filter(batch_id=params["batch"])
            if "status" in params:
                lines = lines.filter(status=params["status"])
        return lines

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):  # the schema is being generated
            return context
        context["masker"] = id_masker(self.request.user)
        return context

    def _line(self, pk: int) -> Response:
        return Response(
            self.get_serializer(
                scope_queryset(self.request.user, PayoutLine.objects).get(pk=pk)
            ).data
        )

    @extend_schema(request=LineHoldSerializer, responses={200: PayoutLineSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        """Hold a line of a batch being prepared (暂停发放), with the ``reason``: it is not paid
        with the batch."""
        line = self.get_object()
        serializer = LineHoldSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.payout_line_hold(
            actor=request.user, line_id=line.pk, reason=serializer.validated_data["reason"]
        )
        return self._line(line.pk)

    @extend_schema(request=LineReleaseSerializer, responses={200: PayoutLineSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        """Release a held line into ``batch``: its own batch while it is being prepared, or a
        later batch of the township and kind being prepared (a new line there pays it; the
        answer is that line)."""
        line = self.get_object()
        serializer = LineReleaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        released = services.payout_line_release(
            actor=request.user,
            line_id=line.pk,
            batch_id=serializer.validated_data["batch"],
            reason=serializer.validated_data.get("reason", ""),
        )
        return self._line(released.pk)


class GradeRuleViewSet(
    PayoutViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The county's grade rules: how a month's grade changes its amount from a date (a factor or
    a fixed deduction in fen). The county HR bureau adds them."""

    serializer_class = GradeRuleSerializer
    base_queryset = GradeRule.objects.select_related("county", "created_by").order_by(
        "grade", "-effective_from", "-pk"
    )
    roles_by_action = {"create": APPROVE_PAYOUTS}

    @extend_schema(
        request=GradeRuleCreateSerializer, responses={201: GradeRuleSerializer, 400: INVALID}
    )
    def create(self, request, *args, **kwargs):
        """A rule for ``grade`` from ``effective_from``: either a ``factor`` (0 to 2) or a
        ``deduction_fen``, not both. A rule of that grade and day already, or a caller who is not
        the county's: a 400 with the reason."""
        serializer = GradeRuleCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rule = services.grade_rule_create(actor=request.user, **serializer.validated_data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=rule.pk)).data,
            status=status.HTTP_201_CREATED,
        )
