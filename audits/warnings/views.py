"""Warnings' pages (docs/policy.md §8): the area's list with the advance notice recorded as given,
and the notice itself, an A4 page for the person (seed 003 §12: 提前通知即将补贴期满人员)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from audits.exits.roles import RECORD_EXITS
from audits.warnings import selectors, services
from audits.warnings.enums import PERSON_KINDS, WarningKind
from audits.warnings.roles import GIVE_NOTICES, VIEW_WARNINGS
from gongyi.errors import DomainError
from gongyi.roles import RoleRequiredMixin, has_role
from people.masking import id_masker, notice_masker
from people.onboarding.print_views import DocumentView

WARNINGS_PER_PAGE = 100


class WarningListView(RoleRequiredMixin, View):
    """预警: what ends soon in the area (subsidy periods, retirement dates, rural age limits) and
    posts vacant too long, soonest first; overdue ones stand out."""

    allowed_roles = VIEW_WARNINGS

    def get(self, request):
        kind, due = request.GET.get("kind", ""), request.GET.get("due", "")
        today = timezone.localdate()
        warnings = selectors.warnings_open(request.user, kind=kind, due=due, today=today)
        page = Paginator(warnings, WARNINGS_PER_PAGE).get_page(request.GET.get("page"))
        mask = id_masker(request.user)
        for warning in page:
            warning.days_left = (warning.due_on - today).days
            warning.days_overdue = -warning.days_left
            warning.id_masked = mask(warning.person.id_number) if warning.person else ""
            warning.for_person = warning.kind in PERSON_KINDS
        return render(
            request,
            "audits/warnings/list.html",
            {
                "page": page,
                "filters": {"kind": kind, "due": due},
                "kinds": WarningKind.choices,
                "can_notify": has_role(request.user, GIVE_NOTICES),
                # Each warning of a person links to the exit it calls for (its kind and day).
                "can_record_exit": has_role(request.user, RECORD_EXITS),
            },
        )

    def post(self, request):
        if not has_role(request.user, GIVE_NOTICES):
            raise PermissionDenied
        try:
            warning = services.warning_notice_record(
                actor=request.user, warning_id=int(request.POST.get("warning") or 0)
            )
        except (DomainError, ValueError) as error:
            messages.error(request, getattr(error, "message", _("Choose a warning.")))
        else:
            messages.success(
                request,
                _("The advance notice to %(name)s is recorded as given.")
                % {"name": warning.person.name},
            )
        query = request.GET.urlencode()
        return redirect(reverse("warning-list") + (f"?{query}" if query else ""))


class WarningNoticeView(DocumentView):
    """提前通知书: the advance notice to a person whose subsidy period, working life or age limit on
    rural posts ends soon — what ends, on which day, what follows (the placement ends that day
    and the subsidy stops), and whom to ask. Personal, for the person only: the ID number masked
    as on public notices all the same."""

    template_name = "audits/warnings/notice.html"
    allowed_roles = GIVE_NOTICES

    def own_page(self, context) -> str:
        return reverse("warning-list")

    def document(self, request, pk) -> dict:
        warning = selectors.warning_for_notice(request.user, pk)
        township = warning.post.township
        return {
            "warning": warning,
            "person": warning.person,
            "masked_id": notice_masker(warning.region_code)(warning.person.id_number),
            "township": township,
            "county_name": township.parent.name if township.parent_id else "",
            "today": timezone.localdate(),
        }

    def filename(self, context) -> str:
        return _("Advance notice %(name)s.pdf") % {"name": context["person"].name}
