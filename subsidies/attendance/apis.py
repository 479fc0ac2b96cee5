"""Attendance's API (docs/policy.md §7): the units' months of the caller's area, a month's rows
(the grid), marking days, all present, the month's moves (submit, return, close), corrections of
a closed month, and the reference data (kinds of absence, work arrangements).

As the pages: every queryset passes ``scope_queryset`` (a sheet outside the area is a 404); the
role is checked before anything is read (403); every write is one service call, and a refusal
(a bad cell, a future day, a closed month, a month with days unmarked) is a **400** with the
reason and changes nothing. Leave (``LeaveViewSet``) goes through ``leave.py``'s services the
same way; assessments add their viewsets to ``api_urls.api_routes``.
"""

import datetime as dt

from django.db.models import OuterRef, Prefetch, Subquery
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from gongyi.apis import ScopedViewSetMixin
from gongyi.enums import Role
from gongyi.models import Region
from gongyi.roles import has_role
from gongyi.schema import INVALID, NOT_FOUND
from gongyi.scoping import scope_queryset, user_region_code
from people.masking import id_masker
from people.onboarding.apis import RolesByActionMixin
from subsidies.attendance import leave, services
from subsidies.attendance.enums import LeaveState, SheetState
from subsidies.attendance.models import (
    AbsenceKind,
    AttendanceAdjustment,
    AttendanceMonth,
    AttendanceSheet,
    LeaveRequest,
    WorkArrangement,
)
from subsidies.attendance.roles import CLOSE_MONTHS, RECORD_ATTENDANCE, VIEW_ATTENDANCE
from subsidies.attendance.serializers import (
    AbsenceKindSerializer,
    AdjustmentFilterSerializer,
    ArrangementFilterSerializer,
    AttendanceAdjustmentCreateSerializer,
    AttendanceAdjustmentSerializer,
    LeaveCreateSerializer,
    LeaveFilterSerializer,
    LeaveSerializer,
    LeaveTransitionSerializer,
    SheetAllPresentSerializer,
    SheetCellsSavedSerializer,
    SheetCellsSerializer,
    SheetFilterSerializer,
    SheetRowSerializer,
    SheetSerializer,
    SheetTransitionSerializer,
    WorkArrangementSerializer,
)
from subsidies.attendance.services import Marks
from subsidies.attendance.workdays import month_days

#: A refusal: ``detail`` (the service's reason) or the fields at fault; outside the area a 404.
REFUSED = {400: INVALID, 404: NOT_FOUND}


def query(serializer_class, request) -> dict:
    """The request's query string checked by ``serializer_class``: a bad value is a 400 naming
    the parameter, not an empty list."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class AttendanceViewSetMixin(RolesByActionMixin, ScopedViewSetMixin):
    """Read by the roles that see attendance; each write names its own roles."""

    view_roles = VIEW_ATTENDANCE


# --- sheets ---------------------------------------------------------------------------------------

SHEET_FILTER_PARAMETERS = [
    OpenApiParameter("month", description="YYYY-MM"),
    OpenApiParameter("state", enum=SheetState.values),
    OpenApiParameter("region", description="code of a county, township or village: its units"),
]


@extend_schema_view(list=extend_schema(parameters=SHEET_FILTER_PARAMETERS))
class SheetViewSet(AttendanceViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The units' months (考勤表) of the caller's area, newest month first: a village's, or a
    township's for the posts it uses directly. ``allowed_transitions``: the moves the caller's role
    may make from the month's state."""

    serializer_class = SheetSerializer
    base_queryset = AttendanceSheet.objects.all()
    roles_by_action = {
        "cells": RECORD_ATTENDANCE,
        "all_present": RECORD_ATTENDANCE,
        "transition": RECORD_ATTENDANCE | CLOSE_MONTHS,
    }

    def get_queryset(self):
        names = Region.objects.filter(code=OuterRef("region_code")).values("name")[:1]
        sheets = (
            super()
            .get_queryset()
            .select_related("submitted_by", "closed_by")
            .annotate(unit_name=Subquery(names))
            .order_by("-month", "region_code")
        )
        if self.action == "list":
            params = query(SheetFilterSerializer, self.request)
            if "month" in params:
                sheets = sheets.filter(month=f"{params['month']}-01")
            if "state" in params:
                sheets = sheets.filter(state=params["state"])
            if "region" in params:
                sheets = sheets.filter(region_code__startswith=params["region"])
        return sheets

    def _sheet(self, pk: int, code=status.HTTP_200_OK) -> Response:
        sheet = self.get_queryset().get(pk=pk)
        return Response(self.get_serializer(sheet).data, status=code)

    @extend_schema(responses={200: SheetRowSerializer(many=True), 404: NOT_FOUND})
    @action(detail=True, methods=["get"])
    def rows(self, request, pk=None):
        """The month grid: one row per person on a post of the unit, by name, in pages. ID numbers
        are masked; ``totals`` are there once the month is closed."""
        sheet = self.get_object()
        rows = (
            scope_queryset(request.user, AttendanceMonth.objects.filter(sheet=sheet))
            .select_related("placement__person", "placement__post")
            .prefetch_related(
                Prefetch("adjustments", AttendanceAdjustment.objects.select_related("created_by"))
            )
            .order_by("placement__person__name", "pk")
        )
        page = self.paginate_queryset(rows)
        context = {
            **self.get_serializer_context(),
            "masker": id_masker(request.user),
            "marks": Marks(sheet.region_code[:6]),
        }
        return self.get_paginated_response(
            SheetRowSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        request=SheetCellsSerializer, responses={200: SheetCellsSavedSerializer, **REFUSED}
    )
    @action(detail=True, methods=["post"])
    def cells(self, request, pk=None):
        """Mark days of the open month: ``{"cells": [{"row", "day", "mark"}, …]}``, ``day`` the day
        of the month, ``mark`` as typed in the grid (an empty text clears the day). All the cells
        or none: the first bad one (a rest day, a day still to come, too many hours, a closed
        month) is a 400 with its reason, naming the person and the day."""
        sheet = self.get_object()
        serializer = SheetCellsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cells = {(c["row"], c["day"] - 1): c["mark"] for c in serializer.validated_data["cells"]}
        changed = services.grid_save(actor=request.user, sheet_id=sheet.pk, cells=cells)
        return Response({"changed": changed})

    @extend_schema(request=None, responses={200: SheetAllPresentSerializer, **REFUSED})
    @action(detail=True, methods=["post"], url_path="all-present")
    def all_present(self, request, pk=None):
        """全勤: mark present every working day of the open month up to today that is not marked
        yet; the marks already made stay."""
        sheet = self.get_object()
        marked = services.sheet_fill_present(actor=request.user, sheet_id=sheet.pk)
        return Response({"marked": marked})

    @extend_schema(request=SheetTransitionSerializer, responses={200: SheetSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the month: ``submitted`` (the village, once every working day is marked),
        ``open`` (the township returns it, with the ``reason``) or ``closed`` (the township, not
        the one who submitted it: every row's totals are frozen). A move the month's state or
        the caller's role does not allow is a 400 with the reason."""
        sheet = self.get_object()
        serializer = SheetTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.sheet_transition(
            actor=request.user, sheet_id=sheet.pk, **serializer.validated_data
        )
        return self._sheet(sheet.pk)


# --- corrections ----------------------------------------------------------------------------------

ADJUSTMENT_FILTER_PARAMETERS = [
    OpenApiParameter("sheet", int),
    OpenApiParameter("row", int),
    OpenApiParameter(
        "pending", enum=["true", "false"], description="not yet carried into a payout, or carried"
    ),
]


@extend_schema_view(list=extend_schema(parameters=ADJUSTMENT_FILTER_PARAMETERS))
class AdjustmentViewSet(
    AttendanceViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Corrections of closed months (更正), newest first: each a day, what it was and is, the
    reason and who entered it, carried into the next payout. The closed month itself never
    changes."""

    serializer_class = AttendanceAdjustmentSerializer
    base_queryset = AttendanceAdjustment.objects.all()
    roles_by_action = {"create": CLOSE_MONTHS}

    def get_queryset(self):
        adjustments = (
            super().get_queryset().select_related("created_by").order_by("-created_at", "-pk")
        )
        if self.action == "list":
            params = query(AdjustmentFilterSerializer, self.request)
            if "sheet" in params:
                adjustments = adjustments.filter(row__sheet_id=params["sheet"])
            if "row" in params:
                adjustments = adjustments.filter(row_id=params["row"])
            if "pending" in params:
                adjustments = adjustments.filter(carried_at__isnull=params["pending"] == "true")
        return adjustments

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):  # the schema is being generated
            return context
        context["marks"] = Marks(user_region_code(self.request.user)[:6])
        return context

    @extend_schema(
        request=AttendanceAdjustmentCreateSerializer,
        responses={201: AttendanceAdjustmentSerializer, 400: INVALID},
    )
    def create(self, request, *args, **kwargs):
        """Correct a day of a closed month: ``row``, ``day`` (a date of the month), ``mark`` as
        typed in the grid and the ``reason``. The month still open, the day already so, a rest
        day: a 400 with the reason."""
        serializer = AttendanceAdjustmentCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        adjustment = services.adjustment_add(
            actor=request.user,
            row_id=data["row"].pk,
            day=data["day"],
            text=data["mark"],
            reason=data["reason"],
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=adjustment.pk)).data,
            status=status.HTTP_201_CREATED,
        )


# --- leave ---------------------------------------------------------------------------------------

LEAVE_FILTER_PARAMETERS = [
    OpenApiParameter("month", description="YYYY-MM: the leave holding a day of the month"),
    OpenApiParameter("state", enum=LeaveState.values),
]


@extend_schema_view(list=extend_schema(parameters=LEAVE_FILTER_PARAMETERS))
class LeaveViewSet(
    AttendanceViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Leave (请销假, docs/policy.md §7) of the caller's area, latest first: a request entered by
    the village (or the township), decided by the village up to the county's
    ``attendance.leave_village_max_days`` working days and by the township beyond, written into
    the month grid once approved; 销假 gives back the days from the day back at work.
    ``allowed_actions``: what the caller may do with each leave now."""

    serializer_class = LeaveSerializer
    base_queryset = LeaveRequest.objects.all()
    roles_by_action = {"create": RECORD_ATTENDANCE, "transition": RECORD_ATTENDANCE}

    def get_queryset(self):
        leaves = (
            super()
            .get_queryset()
            .select_related(
                "placement__person", "placement__post", "kind", "decided_by", "created_by"
            )
            .order_by("-starts_on", "-pk")
        )
        if self.action == "list":
            params = query(LeaveFilterSerializer, self.request)
            if "month" in params:
                first = dt.date.fromisoformat(f"{params['month']}-01")
                last = month_days(first)[-1]
                leaves = leaves.filter(starts_on__lte=last, ends_on__gte=first)
            if "state" in params:
                leaves = leaves.filter(state=params["state"])
        return leaves

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):  # the schema is being generated
            return context
        user = self.request.user
        records = has_role(user, RECORD_ATTENDANCE)
        limit = (
            leave.leave_village_limit(user_region_code(user))
            if has_role(user, {Role.VILLAGE})
            else 0
        )

        def actions(item: LeaveRequest) -> list[str]:
            if item.state == LeaveState.REQUESTED:
                decides = leave.leave_may_decide(user, item, village_limit=limit)
                return [
                    name
                    for name, allowed in (
                        ("approve", decides),
                        ("reject", decides),
                        ("cancel", records),
                    )
                    if allowed
                ]
            if item.state == LeaveState.APPROVED and item.returned_on is None and records:
                return ["return"]
            return []

        context["masker"] = id_masker(user)
        context["leave_actions"] = actions
        return context

    def _leave(self, pk: int, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(request=LeaveCreateSerializer, responses={201: LeaveSerializer, 400: INVALID})
    def create(self, request, *args, **kwargs):
        """Request leave for a person on a post of the area: ``placement``, ``kind`` (a kind of
        leave of the county), ``starts_on``, ``ends_on`` and the ``reason``. A placement outside
        the area, days outside the placement, no working day, leave overlapping another: a 400
        with the reason."""
        serializer = LeaveCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        made = leave.leave_request(
            actor=request.user,
            placement_id=data["placement"],
            kind_id=data["kind"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            reason=data["reason"],
        )
        return self._leave(made.pk, status.HTTP_201_CREATED)

    @extend_schema(request=LeaveTransitionSerializer, responses={200: LeaveSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the leave: ``approve``, ``reject`` (with the ``reason``), ``cancel`` a request, or
        ``return`` (销假, ``returned_on`` the first day back). A move its state or the caller's
        role does not allow, leave the village may not decide, a month no longer open: a 400
        with the reason, and nothing changes."""
        item = self.get_object()
        serializer = LeaveTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        leave.leave_transition(
            actor=request.user,
            leave_id=item.pk,
            action=data["action"],
            note=data["reason"],
            returned_on=data["returned_on"],
        )
        return self._leave(item.pk)


# --- reference data -------------------------------------------------------------------------------


class AbsenceKindViewSet(AttendanceViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The kinds of leave and absence of the caller's county, those every county shares
    included: what a grid's cell may say (symbol, shortcut letter or name) and whether the
    days are paid."""

    serializer_class = AbsenceKindSerializer
    base_queryset = AbsenceKind.objects.select_related("county").order_by("ordering", "pk")


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("post", int, description="a post's id")])
)
class WorkArrangementViewSet(AttendanceViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The posts' work arrangements (工作安排) of the caller's area, each in force from its date
    until the post's next one: they decide each day's planned hours."""

    serializer_class = WorkArrangementSerializer
    base_queryset = WorkArrangement.objects.select_related("post").order_by(
        "post_id", "-effective_from"
    )

    def get_queryset(self):
        arrangements = super().get_queryset()
        if self.action == "list":
            params = query(ArrangementFilterSerializer, self.request)
            if "post" in params:
                arrangements = arrangements.filter(post_id=params["post"])
        return arrangements
