"""The API of exits and recovery (docs/api.md, "Exits and recovery"): exits of the caller's area
(list, one, record), debts (list, one with lines and repayments, repayments, offsets, the
write-off's moves, bringing one up to date) and the debts by township and age.

As the pages: every queryset passes ``scope_queryset`` (outside the area a 404); the role is
checked before anything is read (403); each write is one service call, and a refusal is a **400**
with the reason, changing nothing.
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audits.exits import selectors, services
from audits.exits.roles import (
    APPROVE_WRITE_OFF,
    ASK_WRITE_OFF,
    COLLECT_DEBTS,
    RECORD_EXITS,
    RECORD_REPAYMENTS,
    VIEW_EXITS,
)
from audits.exits.serializers import (
    AgeingSerializer,
    DebtDetailSerializer,
    DebtSerializer,
    DebtTransitionSerializer,
    ExitCreateSerializer,
    ExitSerializer,
    OffsetSerializer,
    RepaymentCreateSerializer,
)
from audits.models import Debt, Exit
from gongyi.apis import ScopedViewSetMixin
from gongyi.schema import INVALID, NOT_FOUND
from people.masking import id_masker
from people.onboarding.apis import RolesByActionMixin

REFUSED = {400: INVALID, 404: NOT_FOUND}


class ExitsViewSetMixin(RolesByActionMixin, ScopedViewSetMixin):
    view_roles = VIEW_EXITS

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):  # the schema is being generated
            return context
        context["masker"] = id_masker(self.request.user)
        return context


class ExitViewSet(
    ExitsViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Exits (退出) of the caller's area, newest first (docs/policy.md §8)."""

    serializer_class = ExitSerializer
    base_queryset = Exit.objects.all()
    roles_by_action = {"create": RECORD_EXITS, "collect": COLLECT_DEBTS}

    def get_queryset(self):
        return selectors.exit_list(self.request.user)

    @extend_schema(request=ExitCreateSerializer, responses={201: ExitSerializer, 400: INVALID})
    def create(self, request, *args, **kwargs):
        """Record an exit: the placement ends on ``effective_date`` (its last day on the post),
        its place is freed, its attendance and the payments not yet with the bank stop after that
        day, and what was paid for days after it becomes a debt. A placement outside the area is
        a 400 like any refusal (nothing is said of it)."""
        serializer = ExitCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        exit_ = services.exit_record(
            actor=request.user,
            placement_id=data["placement"],
            kind=data["kind"],
            effective_date=data["effective_date"],
            reason=data["reason"],
            decided_by=data["decided_by"],
            decided_on=data["decided_on"],
        )
        exit_ = self.get_queryset().get(pk=exit_.pk)
        return Response(self.get_serializer(exit_).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ExitSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def collect(self, request, pk=None):
        """Add to the exit's debt the payout lines the bank paid since (safe to repeat)."""
        exit_ = self.get_object()
        services.debt_collect(actor=request.user, exit_id=exit_.pk)
        return Response(self.get_serializer(self.get_queryset().get(pk=exit_.pk)).data)


class DebtViewSet(ExitsViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Debts (应追回补贴) of the caller's area: what is to recover, repaid, written off and
    outstanding, in fen; one debt with its lines and repayments."""

    serializer_class = DebtSerializer
    base_queryset = Debt.objects.all()
    roles_by_action = {
        "repayments": RECORD_REPAYMENTS,
        "offset": RECORD_REPAYMENTS,
        "transition": ASK_WRITE_OFF | APPROVE_WRITE_OFF,
    }

    def get_queryset(self):
        return selectors.debt_list(self.request.user).prefetch_related("lines", "repayments")

    def get_serializer_class(self):
        if self.action == "list":
            return DebtSerializer
        return DebtDetailSerializer

    def _debt(self, pk: int) -> Response:
        return Response(
            DebtDetailSerializer(
                self.get_queryset().get(pk=pk), context=self.get_serializer_context()
            ).data
        )

    @extend_schema(
        request=RepaymentCreateSerializer, responses={200: DebtDetailSerializer, **REFUSED}
    )
    @action(detail=True, methods=["post"])
    def repayments(self, request, pk=None):
        """Record a repayment (还款): the day, the amount in fen and the receipt's number. More
        than is outstanding is a 400."""
        debt = self.get_object()
        serializer = RepaymentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.repayment_record(
            actor=request.user,
            debt_id=debt.pk,
            paid_on=data["paid_on"],
            amount_fen=data["amount_fen"],
            receipt_number=data["receipt_number"],
            note=data.get("note", ""),
        )
        return self._debt(debt.pk)

    @extend_schema(request=OffsetSerializer, responses={200: DebtDetailSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def offset(self, request, pk=None):
        """Offset part of the debt against a later payout line of the person still being
        prepared, where the county's setting allows it (off by default: a 400)."""
        debt = self.get_object()
        serializer = OffsetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.repayment_offset(
            actor=request.user,
            debt_id=debt.pk,
            line_id=serializer.validated_data["line"],
            amount_fen=serializer.validated_data["amount_fen"],
        )
        return self._debt(debt.pk)

    @extend_schema(
        request=DebtTransitionSerializer, responses={200: DebtDetailSerializer, **REFUSED}
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """The write-off: ``write_off_asked`` (the township, with a ``reason``), then
        ``written_off`` (the county, never who asked) or ``open`` (the county refuses, with a
        ``reason``)."""
        debt = self.get_object()
        serializer = DebtTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.debt_transition(
            actor=request.user,
            debt_id=debt.pk,
            to=serializer.validated_data["to"],
            reason=serializer.validated_data.get("reason", ""),
        )
        return self._debt(debt.pk)

    @extend_schema(responses={200: AgeingSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def ageing(self, request):
        """The area's debts by township: sums in fen, and the outstanding by age (days since the
        debt was opened: 0–30, 31–90, 91–180, over 180)."""
        rows = selectors.debt_ageing(request.user, timezone.localdate())
        return Response(AgeingSerializer(rows, many=True).data)
