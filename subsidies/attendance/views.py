"""Attendance pages (docs/policy.md §7): the month overview of an area, a unit's month grid with
its actions, the day's marking on a phone, and the month's notice for the notice board. Each view
checks the role, reads the sheet through ``get_scoped_object_or_404`` (outside the area: 404),
calls one service and redirects with its message."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from gongyi.errors import DomainError
from gongyi.policy import policy_value
from gongyi.roles import RoleRequiredMixin, has_role
from gongyi.scoping import get_scoped_object_or_404
from people.onboarding.printing import pdf_response
from subsidies.attendance import arrangements, selectors, services
from subsidies.attendance.enums import WEEKDAY_NAMES, SheetState
from subsidies.attendance.models import AttendanceSheet
from subsidies.attendance.policy import NOTICE_DAYS
from subsidies.attendance.roles import (
    ARRANGE_WORK,
    CLOSE_MONTHS,
    RECORD_ATTENDANCE,
    VIEW_ATTENDANCE,
)

CELL = re.compile(r"^c-(\d+)-(\d+)$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_of(text: str | None, today: dt.date) -> dt.date:
    """``YYYY-MM`` from the query, or this month."""
    match = MONTH.match(text or "")
    if match:
        year, month = int(match[1]), int(match[2])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return dt.date(year, month, 1)
    return today.replace(day=1)


def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _failed(request, error: DomainError) -> None:
    messages.error(request, error.message)


class AttendanceHomeView(RoleRequiredMixin, View):
    """考勤: the month of every unit in the user's area, with what is missing, submitted and
    closed; the county sees it added up per township."""

    allowed_roles = VIEW_ATTENDANCE

    def get(self, request):
        today = timezone.localdate()
        month = month_of(request.GET.get("month"), today)
        units = selectors.month_overview(request.user, month, today=today)
        return render(
            request,
            "attendance/home.html",
            {
                "month": month,
                "previous": _shift(month, -1),
                "next": _shift(month, 1) if month < today.replace(day=1) else None,
                "units": units,
                "townships": selectors.township_summary(units)
                if len(request.user.region.code) == 6
                else None,
                "can_prepare": has_role(request.user, RECORD_ATTENDANCE | CLOSE_MONTHS),
                "no_attendance": sum(u.nothing for u in units),
                "without": selectors.people_without_attendance(request.user, month, today=today)
                if month <= today
                else [],
            },
        )

    def post(self, request):
        month = month_of(request.POST.get("month"), timezone.localdate())
        try:
            made = services.month_prepare_for(actor=request.user, month=month)
        except DomainError as error:
            _failed(request, error)
        else:
            messages.success(
                request, _("The list is up to date: %(n)s people added.") % {"n": made}
            )
        return redirect(f"{reverse('attendance-home')}?month={month:%Y-%m}")


class SheetView(RoleRequiredMixin, View):
    """A unit's month grid: one row per person, one cell per day; the buttons of the month's
    state (全勤, submit, return, close) and, once closed, corrections."""

    allowed_roles = VIEW_ATTENDANCE

    def get(self, request, pk):
        sheet = get_scoped_object_or_404(request.user, AttendanceSheet.objects, pk=pk)
        return self.page(request, sheet)

    def page(self, request, sheet, *, typed=None, status=200):
        today = timezone.localdate()
        grid = selectors.sheet_grid(request.user, sheet, today=today)
        if typed:
            for line in grid["rows"]:
                for cell in line.cells:
                    cell["text"] = typed.get(cell["name"], cell["text"])
        user = request.user
        editable = sheet.state == SheetState.OPEN and has_role(user, RECORD_ATTENDANCE)
        return render(
            request,
            "attendance/sheet.html",
            {
                "sheet": sheet,
                "unit": selectors.unit_name(sheet.region_code),
                **grid,
                "editable": editable,
                "can_submit": editable,
                "can_close": sheet.state == SheetState.SUBMITTED and has_role(user, CLOSE_MONTHS),
                "can_adjust": sheet.state == SheetState.CLOSED and has_role(user, CLOSE_MONTHS),
                "today": today,
                "last_day": grid["days"][-1].date,
                "has_adjustments": any(line.adjustments for line in grid["rows"]),
            },
            status=status,
        )

    def post(self, request, pk):
        sheet = get_scoped_object_or_404(request.user, AttendanceSheet.objects, pk=pk)
        action = request.POST.get("action", "save")
        try:
            if action == "save":
                cells = {}
                for name, value in request.POST.items():
                    match = CELL.match(name)
                    if match:
                        cells[(int(match[1]), int(match[2]))] = value
                changed = services.grid_save(actor=request.user, sheet_id=sheet.pk, cells=cells)
                messages.success(request, _("Saved: %(n)s people's days changed.") % {"n": changed})
            elif action == "fill":
                filled = services.sheet_fill_present(actor=request.user, sheet_id=sheet.pk)
                messages.success(request, _("%(n)s working days marked present.") % {"n": filled})
            elif action in ("submit", "return", "close"):
                to = {"submit": SheetState.SUBMITTED, "return": SheetState.OPEN}.get(
                    action, SheetState.CLOSED
                )
                services.sheet_transition(
                    actor=request.user,
                    sheet_id=sheet.pk,
                    to=to,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(
                    request, _("The month is %(state)s.") % {"state": SheetState(to).label}
                )
            elif action == "adjust":
                services.adjustment_add(
                    actor=request.user,
                    row_id=int(request.POST.get("row") or 0),
                    day=dt.date.fromisoformat(request.POST.get("day") or ""),
                    text=request.POST.get("mark", ""),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("The correction is recorded."))
        except DomainError as error:
            _failed(request, error)
            if action == "save":
                typed = {k: v for k, v in request.POST.items() if CELL.match(k)}
                return self.page(request, sheet, typed=typed, status=400)
        except ValueError:
            messages.error(request, _("Choose a day of this month."))
        return redirect("attendance-sheet", pk=sheet.pk)


class DayView(RoleRequiredMixin, View):
    """The day's marking on a phone: today's people, everyone present but those ticked."""

    allowed_roles = RECORD_ATTENDANCE

    def get(self, request, pk):
        sheet = get_scoped_object_or_404(request.user, AttendanceSheet.objects, pk=pk)
        today = timezone.localdate()
        try:
            day = dt.date.fromisoformat(request.GET.get("day") or today.isoformat())
        except ValueError:
            day = today
        last = selectors.month_days(sheet.month)[-1]
        day = min(max(day, sheet.month), last, today)
        return render(
            request,
            "attendance/day.html",
            {
                "sheet": sheet,
                "unit": selectors.unit_name(sheet.region_code),
                "day": day,
                "people": selectors.day_list(request.user, sheet, day)
                if day >= sheet.month
                else [],
                "kinds": selectors.absence_kinds(sheet.region_code[:6]),
                "editable": sheet.state == SheetState.OPEN,
            },
        )

    def post(self, request, pk):
        sheet = get_scoped_object_or_404(request.user, AttendanceSheet.objects, pk=pk)
        try:
            day = dt.date.fromisoformat(request.POST.get("day") or "")
        except ValueError:
            messages.error(request, _("Choose a day of this month."))
            return redirect("attendance-day", pk=sheet.pk)
        exceptions = {}
        for name, value in request.POST.items():
            if name.startswith("x-") and name[2:].isdigit() and value:
                exceptions[int(name[2:])] = value
        try:
            services.day_mark(actor=request.user, sheet_id=sheet.pk, day=day, exceptions=exceptions)
        except DomainError as error:
            _failed(request, error)
        else:
            messages.success(
                request,
                _("%(day)s is recorded: %(n)s not present.") % {"day": day, "n": len(exceptions)},
            )
        return redirect(f"{reverse('attendance-day', kwargs={'pk': sheet.pk})}?day={day}")


class NoticeView(RoleRequiredMixin, View):
    """按月公开: the closed month's attendance for the village notice board, A4, masked ID
    numbers, with the period for objections; as a page or, with ``pdf``, a PDF."""

    allowed_roles = VIEW_ATTENDANCE
    pdf = False
    template = "attendance/notice.html"

    def get(self, request, pk):
        sheet = get_scoped_object_or_404(
            request.user, AttendanceSheet.objects.filter(state=SheetState.CLOSED), pk=pk
        )
        posted = sheet.closed_at.astimezone(timezone.get_current_timezone()).date()
        days = policy_value(sheet.region_code[:6], NOTICE_DAYS, posted)
        context = {
            "sheet": sheet,
            "unit": selectors.unit_name(sheet.region_code),
            "township": selectors.unit_name(sheet.region_code[:9]),
            **selectors.notice_rows(request.user, sheet),
            "posted": posted,
            "until": posted + dt.timedelta(days=days - 1),
            "notice_days": days,
            "back_url": reverse("attendance-sheet", kwargs={"pk": sheet.pk}),
            "pdf_url": reverse("attendance-notice-pdf", kwargs={"pk": sheet.pk}),
        }
        if self.pdf:
            return pdf_response(
                request,
                self.template,
                context,
                _("Attendance notice %(unit)s %(month)s.pdf")
                % {"unit": context["unit"], "month": f"{sheet.month:%Y-%m}"},
            )
        return render(request, self.template, {**context, "pdf": False})


class NoticePdfView(NoticeView):
    pdf = True


class ArrangementsView(RoleRequiredMixin, View):
    """工作安排: the posts of the area with their working week, and a form to set one from a
    date on (the township or the county)."""

    allowed_roles = VIEW_ATTENDANCE

    def get(self, request):
        return render(
            request,
            "attendance/arrangements.html",
            {
                "page": selectors.arrangement_posts(request.user, page=request.GET.get("page")),
                "can_arrange": has_role(request.user, ARRANGE_WORK),
                "weekdays": list(enumerate(WEEKDAY_NAMES, start=1)),
                "today": timezone.localdate(),
            },
        )

    def post(self, request):
        try:
            hours = request.POST.get("hours", "").strip()
            value = Decimal(hours) if hours else None
            if value is not None and not value.is_finite():
                raise InvalidOperation
            weekdays = [int(d) for d in request.POST.getlist("weekdays") if d.isdigit()]
            arrangement = arrangements.arrangement_set(
                actor=request.user,
                post_id=int(request.POST.get("post") or 0),
                effective_from=dt.date.fromisoformat(request.POST.get("effective_from") or ""),
                weekdays=weekdays,
                hours=value,
                note=request.POST.get("note", ""),
            )
        except DomainError as error:
            _failed(request, error)
        except (ValueError, InvalidOperation):
            messages.error(request, _("Give a date and the hours as a number."))
        else:
            messages.success(
                request,
                _("The work arrangement of %(post)s from %(day)s is saved.")
                % {"post": arrangement.post.title, "day": arrangement.effective_from},
            )
        return redirect(f"{reverse('attendance-arrangements')}?page={request.POST.get('page', 1)}")
