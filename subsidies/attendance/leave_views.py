"""Leave pages (请销假, docs/policy.md §7): the area's leave of a month with the buttons each
leave's state and the user's role allow, the form of a new request, and the one URL its actions
post to. Each view checks the role, reads through ``gongyi.scoping`` (outside the area: 404),
calls one service and redirects with its message."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gongyi.errors import DomainError
from gongyi.roles import RoleRequiredMixin, has_role
from gongyi.scoping import get_scoped_object_or_404, scope_queryset, user_region_code
from people.models import Placement
from subsidies.attendance import leave as services
from subsidies.attendance.enums import AbsenceCategory, LeaveState
from subsidies.attendance.models import AbsenceKind, LeaveRequest
from subsidies.attendance.roles import RECORD_ATTENDANCE, VIEW_ATTENDANCE
from subsidies.attendance.views import _shift, month_of

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlacementChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.name}（{obj.post.title}）"


class LeaveForm(forms.Form):
    """A leave request: who, which kind, from when to when, and why."""

    placement = PlacementChoice(queryset=Placement.objects.none(), label=gettext_lazy("Person"))
    kind = forms.ModelChoiceField(
        queryset=AbsenceKind.objects.none(), label=gettext_lazy("Kind of leave")
    )
    starts_on = forms.DateField(label=gettext_lazy("First day"), widget=DATE)
    ends_on = forms.DateField(label=gettext_lazy("Last day"), widget=DATE)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300, required=False)

    def __init__(self, *args, user, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        # People on a post now or lately (a leave may be entered after the fact).
        self.fields["placement"].queryset = (
            scope_queryset(user, Placement.objects.all())
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today - dt.timedelta(days=92)))
            .select_related("person", "post")
            .order_by("person__name", "pk")
        )
        county = user_region_code(user)[:6]
        self.fields["kind"].queryset = AbsenceKind.objects.filter(
            Q(county__isnull=True) | Q(county__code=county),
            category=AbsenceCategory.LEAVE,
            active=True,
        )


class LeaveListView(RoleRequiredMixin, View):
    """请销假: the leave of a month in the user's area, by state, with its buttons."""

    allowed_roles = VIEW_ATTENDANCE

    def get(self, request):
        today = timezone.localdate()
        month = month_of(request.GET.get("month"), today)
        state = request.GET.get("state", "")
        user = request.user
        rows = list(services.leave_list(user, month=month, state=state))
        records = has_role(user, RECORD_ATTENDANCE)
        limit = services.leave_village_limit(user_region_code(user)) if records else 0
        for leave in rows:
            leave.may_decide = leave.state == LeaveState.REQUESTED and services.leave_may_decide(
                user, leave, village_limit=limit
            )
            leave.may_cancel = records and leave.state == LeaveState.REQUESTED
            leave.may_return = (
                records and leave.state == LeaveState.APPROVED and leave.returned_on is None
            )
            leave.back_default = min(max(today, leave.starts_on), leave.ends_on)
        return render(
            request,
            "attendance/leave/list.html",
            {
                "month": month,
                "previous": _shift(month, -1),
                "next": _shift(month, 1),
                "state": state,
                "states": LeaveState.choices,
                "rows": rows,
                "can_request": records,
                "village_limit": limit,
            },
        )


class LeaveNewView(RoleRequiredMixin, View):
    """A new leave request, entered by the village (or the township) for a person on a post."""

    allowed_roles = RECORD_ATTENDANCE

    def get(self, request):
        today = timezone.localdate()
        initial = {"starts_on": today, "ends_on": today}
        if (request.GET.get("placement") or "").isdigit():
            initial["placement"] = int(request.GET["placement"])
        form = LeaveForm(user=request.user, today=today, initial=initial)
        return render(request, "attendance/leave/form.html", {"form": form})

    def post(self, request):
        form = LeaveForm(request.POST, user=request.user, today=timezone.localdate())
        if form.is_valid():
            data = form.cleaned_data
            try:
                leave = services.leave_request(
                    actor=request.user,
                    placement_id=data["placement"].pk,
                    kind_id=data["kind"].pk,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    reason=data["reason"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("The leave request is recorded: %(n)s working days.")
                    % {"n": leave.working_days},
                )
                return redirect(f"{reverse('attendance-leave-list')}?month={leave.starts_on:%Y-%m}")
        return render(request, "attendance/leave/form.html", {"form": form}, status=400)


class LeaveTransitionView(RoleRequiredMixin, View):
    """Approve, refuse, withdraw or 销假 one leave (``leave.LEAVE_TRANSITIONS``)."""

    allowed_roles = RECORD_ATTENDANCE

    def post(self, request, pk):
        leave = get_scoped_object_or_404(request.user, LeaveRequest.objects, pk=pk)
        action = request.POST.get("action", "")
        try:
            returned_on = (
                dt.date.fromisoformat(request.POST["returned_on"])
                if request.POST.get("returned_on")
                else None
            )
            services.leave_transition(
                actor=request.user,
                leave_id=leave.pk,
                action=action,
                note=request.POST.get("note", ""),
                returned_on=returned_on,
            )
        except DomainError as error:
            messages.error(request, error.message)
        except ValueError:
            messages.error(request, _("Choose the day back at work."))
        else:
            messages.success(
                request,
                _("The leave is %(action)s.") % {"action": services.ACTION_WORDS[action]},
            )
        month = request.POST.get("month") or f"{leave.starts_on:%Y-%m}"
        return redirect(
            f"{reverse('attendance-leave-list')}?month={month_of(month, leave.starts_on):%Y-%m}"
        )
