"""The findings' pages (docs/policy.md §8, "Deciding a finding"): the township's queue with its
filters and bulk decisions, and a finding's page with its evidence and the forms of its moves.
Each view checks the role, calls one service and redirects."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from audits.datasets import selectors
from audits.datasets.enums import FINDING_KINDS, FindingState
from audits.datasets.findings import (
    FINDING_TRANSITIONS,
    finding_transition,
    findings_transition,
    proposed_exit_date,
)
from audits.datasets.roles import DECIDE_FINDINGS, VIEW_FINDINGS
from gongyi.errors import DomainError
from gongyi.roles import RoleRequiredMixin, has_role
from people.masking import id_masker

FINDINGS_PER_PAGE = 100
#: The evidence's cells, in the order and words the page shows them.
EVIDENCE = (
    ("row", gettext_lazy("Row")),
    ("name", gettext_lazy("Full name")),
    ("start", gettext_lazy("From")),
    ("end", gettext_lazy("To")),
    ("unit", gettext_lazy("Unit")),
    ("reference", gettext_lazy("Reference number")),
    ("since", gettext_lazy("No attendance since")),
    ("months", gettext_lazy("Months without attendance")),
)
#: The queue's bulk moves.
BULK_MOVES = (FindingState.INVESTIGATING, FindingState.DISMISSED)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise DomainError(_("Enter a valid date.")) from None


class FindingListView(RoleRequiredMixin, View):
    """疑点: the area's findings, by kind and state (open by default), several decided at once."""

    allowed_roles = VIEW_FINDINGS

    def get(self, request):
        kind = request.GET.get("kind", "")
        state = request.GET.get("state", "open")
        findings = selectors.findings_of(request.user, kind=kind, state=state)
        page = Paginator(findings, FINDINGS_PER_PAGE).get_page(request.GET.get("page"))
        mask = id_masker(request.user)
        for finding in page:
            finding.id_masked = mask(finding.person.id_number)
        return render(
            request,
            "audits/findings/list.html",
            {
                "page": page,
                "filters": {"kind": kind, "state": state},
                "kinds": FINDING_KINDS,
                "states": FindingState.choices,
                "can_decide": has_role(request.user, DECIDE_FINDINGS),
            },
        )

    def post(self, request):
        if not has_role(request.user, DECIDE_FINDINGS):
            raise PermissionDenied
        to = request.POST.get("to", "")
        try:
            if to not in BULK_MOVES:
                raise DomainError(_("Choose what to do with the findings."))
            ids = [int(pk) for pk in request.POST.getlist("finding")]
            count = findings_transition(
                actor=request.user, finding_ids=ids, to=to, note=request.POST.get("note", "")
            )
        except (DomainError, ValueError) as error:
            messages.error(request, getattr(error, "message", _("Choose at least one finding.")))
        else:
            messages.success(
                request,
                _("%(n)s findings %(to)s.") % {"n": count, "to": FindingState(to).label},
            )
        query = request.GET.urlencode()
        return redirect(reverse("finding-list") + (f"?{query}" if query else ""))


class FindingDetailView(RoleRequiredMixin, View):
    """A finding: the fact, the dataset row it came from, its moves' forms (investigate, confirm
    with the effective date and the evidence, dismiss with a reason), and the exit it led to."""

    allowed_roles = VIEW_FINDINGS

    def get(self, request, pk: int):
        finding = selectors.finding_of(request.user, pk)
        can_decide = has_role(request.user, DECIDE_FINDINGS)
        moves = [to for (state, to) in FINDING_TRANSITIONS if state == finding.state]
        return render(
            request,
            "audits/findings/detail.html",
            {
                "finding": finding,
                "id_masked": id_masker(request.user)(finding.person.id_number),
                "moves": moves if can_decide else [],
                "proposed": proposed_exit_date(finding),
                "evidence": [
                    (label, finding.evidence[key])
                    for key, label in EVIDENCE
                    if finding.evidence.get(key) not in (None, "")
                ],
            },
        )

    def post(self, request, pk: int):
        if not has_role(request.user, DECIDE_FINDINGS):
            raise PermissionDenied
        finding = selectors.finding_of(request.user, pk)
        data = request.POST
        try:
            finding_transition(
                actor=request.user,
                finding_id=finding.pk,
                to=data.get("to", ""),
                note=data.get("note", ""),
                effective_date=_date(data.get("effective_date", "")),
                decided_by=data.get("decided_by", ""),
                decided_on=_date(data.get("decided_on", "")),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The finding is recorded as %(state)s.")
                % {"state": FindingState(data["to"]).label},
            )
        return redirect("finding-detail", pk=finding.pk)
