"""Attendance's API shapes (docs/policy.md §7). Writes go through ``subsidies.attendance.services``;
ID numbers in the month's rows are masked for every reader, as in every list (docs/policy.md §9).

A day's ``mark`` is what a user types in the grid (``services.Marks``): ``√`` (or ``v``/``/``)
present, an absence kind's symbol, shortcut letter or name, on an hourly row a number for the
hours worked, and an empty text to clear the day. Stored marks read back as ``marks`` (NULL unmarked, 0 present, an absence kind's
id) and as ``cells``, the same texts the grid shows."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gongyi.roles import has_role
from people.onboarding.serializers import ScopedPrimaryKeyRelatedField
from subsidies.attendance.enums import LeaveState, SheetState
from subsidies.attendance.leave import LEAVE_ACTIONS
from subsidies.attendance.models import (
    AbsenceKind,
    AssessmentItem,
    AttendanceAdjustment,
    AttendanceMonth,
    AttendanceSheet,
    LeaveRequest,
    WorkArrangement,
)
from subsidies.attendance.services import SHEET_TRANSITIONS

#: How the grid's buttons name each move of the month (templates/attendance/sheet.html).
MOVE_LABELS = {
    SheetState.SUBMITTED: gettext_lazy("Submit the month to the township"),
    SheetState.OPEN: gettext_lazy("Return for correction"),
    SheetState.CLOSED: gettext_lazy("Check and close the month"),
}
HOURS = {"max_digits": 4, "decimal_places": 1}
TOTAL_HOURS = {"max_digits": 6, "decimal_places": 1}


# --- reference data -------------------------------------------------------------------------------


class AbsenceKindSerializer(serializers.ModelSerializer):
    """A kind of leave or absence; ``county`` is null for the kinds every county shares."""

    county = serializers.CharField(source="county.code", default=None, allow_null=True)

    class Meta:
        model = AbsenceKind
        fields = ["id", "county", "name", "category", "paid", "symbol", "shortcut", "active"]
        read_only_fields = fields


class WorkArrangementSerializer(serializers.ModelSerializer):
    """A post's working week from a date on: ISO weekdays (1 Monday … 7 Sunday) and either the
    hours of each working day (full-time) or the agreed hours of the week (hourly)."""

    post_title = serializers.CharField(source="post.title", read_only=True)

    class Meta:
        model = WorkArrangement
        fields = [
            "id",
            "post",
            "post_title",
            "region_code",
            "effective_from",
            "weekdays",
            "hours_per_day",
            "hours_per_week",
            "note",
            "created_at",
        ]
        read_only_fields = fields


# --- sheets ---------------------------------------------------------------------------------------


class SheetMoveSerializer(serializers.Serializer):
    """A move of the month the caller's role may make from its state (the service checks the
    rest: every working day marked to submit, a reason to return, another closer than the
    submitter)."""

    to = serializers.ChoiceField(choices=SheetState.choices)
    label = serializers.CharField()
    needs_reason = serializers.BooleanField()


class SheetSerializer(serializers.ModelSerializer):
    """A unit's month (a village's, or a township's for the posts it uses directly) and where it
    stands: open (being recorded), submitted, or closed with its totals frozen."""

    unit_name = serializers.CharField(read_only=True, help_text="the village or township")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    submitted_by = serializers.CharField(
        source="submitted_by.username", default=None, allow_null=True, read_only=True
    )
    closed_by = serializers.CharField(
        source="closed_by.username", default=None, allow_null=True, read_only=True
    )
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = AttendanceSheet
        fields = [
            "id",
            "region_code",
            "unit_name",
            "month",
            "state",
            "state_label",
            "submitted_at",
            "submitted_by",
            "closed_at",
            "closed_by",
            "returned_reason",
            "allowed_transitions",
        ]
        read_only_fields = fields

    @extend_schema_field(SheetMoveSerializer(many=True))
    def get_allowed_transitions(self, sheet) -> list:
        user = self.context["request"].user
        return [
            {"to": to, "label": str(MOVE_LABELS[to]), "needs_reason": to == SheetState.OPEN}
            for (source, to), roles in SHEET_TRANSITIONS.items()
            if source == sheet.state and has_role(user, roles)
        ]


class SheetTransitionSerializer(serializers.Serializer):
    """``submitted`` (the village submits), ``open`` (the township returns it, with the reason)
    or ``closed`` (the township closes it and the totals are frozen)."""

    to = serializers.ChoiceField(choices=SheetState.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class SheetAllPresentSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="working days marked present")


# --- the month's rows -----------------------------------------------------------------------------


class SheetRowPersonSerializer(serializers.Serializer):
    """The person: the ID number masked as the county's setting says (``people.masking``)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number = serializers.CharField()


class MonthTotalsSerializer(serializers.Serializer):
    """The month's totals, frozen when it closed: what the payout pays from."""

    required_days = serializers.IntegerField()
    present_days = serializers.IntegerField()
    paid_leave_days = serializers.IntegerField()
    unpaid_leave_days = serializers.IntegerField()
    absent_days = serializers.IntegerField()
    required_hours = serializers.DecimalField(**TOTAL_HOURS)
    worked_hours = serializers.DecimalField(**TOTAL_HOURS)
    paid_leave_hours = serializers.DecimalField(**TOTAL_HOURS)
    days_by_kind = serializers.DictField(
        child=serializers.IntegerField(), help_text="absence kind id → days"
    )
    closed_at = serializers.DateTimeField()


class AttendanceAdjustmentSerializer(serializers.ModelSerializer):
    """A correction of a closed month's day: what it was and what it is (as a grid's cell reads),
    why, who entered it, and when a payout carried it (null: still pending)."""

    before = serializers.SerializerMethodField()
    after = serializers.SerializerMethodField()
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = AttendanceAdjustment
        fields = [
            "id",
            "row",
            "region_code",
            "day",
            "mark_before",
            "mark_after",
            "hours_before",
            "hours_after",
            "before",
            "after",
            "reason",
            "created_by",
            "created_at",
            "carried_at",
        ]
        read_only_fields = fields

    def get_before(self, adjustment) -> str:
        return self.context["marks"].text(adjustment.mark_before, adjustment.hours_before)

    def get_after(self, adjustment) -> str:
        return self.context["marks"].text(adjustment.mark_after, adjustment.hours_after)


class SheetRowSerializer(serializers.ModelSerializer):
    """One person's month: one element per day of the month in each list, the first for day 1.
    ``planned``: the hours the work arrangement asks of the day (0: a rest day, or outside the
    placement); ``marks``: null unmarked, 0 present, or an absence kind's id; ``cells``: the
    same as the grid reads them; ``hours``: hours worked, for hourly posts only. ``totals`` once
    the month is closed, and the corrections made since."""

    person = serializers.SerializerMethodField()
    post = serializers.IntegerField(source="placement.post_id")
    post_title = serializers.CharField(source="placement.post.title")
    planned = serializers.ListField(child=serializers.DecimalField(**HOURS))
    marks = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    cells = serializers.SerializerMethodField()
    hours = serializers.ListField(
        child=serializers.DecimalField(allow_null=True, **HOURS), allow_null=True
    )
    totals = serializers.SerializerMethodField()
    adjustments = AttendanceAdjustmentSerializer(many=True)

    class Meta:
        model = AttendanceMonth
        fields = [
            "id",
            "placement",
            "person",
            "post",
            "post_title",
            "hourly",
            "planned",
            "marks",
            "cells",
            "hours",
            "totals",
            "adjustments",
        ]
        read_only_fields = fields

    @extend_schema_field(SheetRowPersonSerializer)
    def get_person(self, row) -> dict:
        person = row.placement.person
        return {
            "id": person.pk,
            "name": person.name,
            "id_number": self.context["masker"](person.id_number),
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_cells(self, row) -> list:
        text = self.context["marks"].text
        hours = row.hours if row.hourly else [None] * len(row.marks)
        return [text(mark, h) for mark, h in zip(row.marks, hours, strict=True)]

    @extend_schema_field(MonthTotalsSerializer(allow_null=True))
    def get_totals(self, row):
        return MonthTotalsSerializer(row).data if row.closed_at else None


# --- writes ---------------------------------------------------------------------------------------


class SheetCellSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="a row of the sheet (its ``id``)"
    )
    day = serializers.IntegerField(min_value=1, max_value=31, help_text="day of the month")
    mark = serializers.CharField(
        allow_blank=True, max_length=20, trim_whitespace=False, help_text="as typed in the grid"
    )


class SheetCellsSerializer(serializers.Serializer):
    """Cells of the grid, saved all together or not at all."""

    cells = SheetCellSerializer(many=True, allow_empty=False, max_length=10000)

    def validate_cells(self, cells):
        keys = [(c["row"], c["day"]) for c in cells]
        if len(keys) != len(set(keys)):
            raise serializers.ValidationError(_("Each day of a row is sent once."))
        return cells


class SheetCellsSavedSerializer(serializers.Serializer):
    changed = serializers.IntegerField(help_text="rows whose days changed")


class AttendanceAdjustmentCreateSerializer(serializers.Serializer):
    """Correct a day of a closed month: the row, the day, what the day was (as typed in the
    grid) and why."""

    row = ScopedPrimaryKeyRelatedField(queryset=AttendanceMonth.objects.all())
    day = serializers.DateField()
    mark = serializers.CharField(max_length=20)
    reason = serializers.CharField(max_length=300)


# --- query strings --------------------------------------------------------------------------------


class SheetFilterSerializer(serializers.Serializer):
    month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        error_messages={"invalid": gettext_lazy("Enter a month such as 2026-11.")},
    )
    state = serializers.ChoiceField(choices=SheetState.choices, required=False)
    region = serializers.RegexField(
        r"^(\d{6}|\d{9}|\d{12})$",
        required=False,
        error_messages={"invalid": gettext_lazy("Enter a region code of 6, 9 or 12 digits.")},
    )


class AdjustmentFilterSerializer(serializers.Serializer):
    sheet = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    row = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    #: A choice, not a BooleanField: a query string without it would read as false.
    pending = serializers.ChoiceField(choices=["true", "false"], required=False)


class ArrangementFilterSerializer(serializers.Serializer):
    post = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


# --- leave ----------------------------------------------------------------------------------------


class LeaveSerializer(serializers.ModelSerializer):
    """A leave (请假): the person (ID number masked as in the month's rows), the post, the kind,
    its days, where it stands, who decided it, and ``allowed_actions``, the moves the caller may
    make now (``leave.LEAVE_TRANSITIONS``; the village decides leave up to the county's
    ``attendance.leave_village_max_days`` working days, the township any)."""

    person = serializers.SerializerMethodField()
    post = serializers.IntegerField(source="placement.post_id", read_only=True)
    post_title = serializers.CharField(source="placement.post.title", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    paid = serializers.BooleanField(source="kind.paid", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.username", default=None, allow_null=True, read_only=True
    )
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = LeaveRequest
        fields = [
            "id",
            "placement",
            "person",
            "post",
            "post_title",
            "region_code",
            "kind",
            "kind_name",
            "paid",
            "starts_on",
            "ends_on",
            "working_days",
            "reason",
            "state",
            "state_label",
            "decided_by",
            "decided_at",
            "decision_note",
            "returned_on",
            "created_by",
            "created_at",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(SheetRowPersonSerializer)
    def get_person(self, leave) -> dict:
        person = leave.placement.person
        return {
            "id": person.pk,
            "name": person.name,
            "id_number": self.context["masker"](person.id_number),
        }

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=LEAVE_ACTIONS))
    )
    def get_allowed_actions(self, leave) -> list:
        return self.context["leave_actions"](leave)


class LeaveCreateSerializer(serializers.Serializer):
    """A leave request for a person on a post of the caller's area: the placement, a kind of
    leave of the county (``absence-kinds`` of category ``leave``), the first and last day."""

    placement = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    kind = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class LeaveTransitionSerializer(serializers.Serializer):
    """``approve``, ``reject`` (with the ``reason``), ``cancel`` (withdraw a request) or
    ``return`` (销假: ``returned_on`` the first day back at work)."""

    action = serializers.ChoiceField(choices=LEAVE_ACTIONS)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    returned_on = serializers.DateField(required=False, allow_null=True, default=None)


class LeaveFilterSerializer(SheetFilterSerializer):
    """``month`` (the leave holding a day of it) and ``state``."""

    state = serializers.ChoiceField(choices=LeaveState.choices, required=False)
    region = None


# --- the monthly assessment -----------------------------------------------------------------------


class AssessmentItemSerializer(serializers.ModelSerializer):
    """An item of the points sheet (积分): its kind (positive points, a deduction or an award), the
    points it gives by default and the range an assessor may give; ``county`` is null for the
    items every county shares."""

    county = serializers.CharField(source="county.code", default=None, allow_null=True)

    class Meta:
        model = AssessmentItem
        fields = [
            "id",
            "county",
            "name",
            "kind",
            "default_points",
            "min_points",
            "max_points",
            "active",
            "ordering",
        ]
        read_only_fields = fields


class AssessmentEntrySerializer(serializers.Serializer):
    item = serializers.IntegerField()
    item_name = serializers.CharField()
    kind = serializers.CharField()
    points = serializers.DecimalField(max_digits=5, decimal_places=1)


class AssessmentRowSerializer(serializers.Serializer):
    """A person's month on the sheet: ``score``, ``grade`` and ``entries`` are null or empty while
    the person is unscored."""

    row = serializers.IntegerField()
    name = serializers.CharField()
    post = serializers.CharField()
    score = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    grade = serializers.CharField(allow_blank=True)
    grade_label = serializers.CharField(allow_blank=True)
    comment = serializers.CharField(allow_blank=True)
    entries = AssessmentEntrySerializer(many=True)


class AssessmentTypedSerializer(serializers.Serializer):
    """A person's scores as typed: the points per item id (an empty text for none) and the
    comment, required when anything is deducted."""

    row = serializers.IntegerField()
    points = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=20), required=False
    )
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=300)

    def validate_points(self, value):
        for key in value:
            if not (str(key).isascii() and str(key).isdigit()):
                raise serializers.ValidationError(_("Points are keyed by an item's id."))
        return {int(key): text for key, text in value.items()}


class AssessmentSaveSerializer(serializers.Serializer):
    rows = AssessmentTypedSerializer(many=True, allow_empty=False, max_length=500)

    def validate_rows(self, value):
        if len({row["row"] for row in value}) != len(value):
            raise serializers.ValidationError(_("Each row at most once."))
        return value


class AssessmentSavedSerializer(serializers.Serializer):
    changed = serializers.IntegerField(help_text="people whose scores changed")
