"""Findings waiting on the township's home page (one aggregate query; docs/policy.md §8)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from audits.datasets.enums import OPEN_FINDING_STATES, FindingState
from audits.models import Finding
from gongyi.enums import Role
from gongyi.home import HomeItem, HomePanel
from gongyi.scoping import scope_queryset


def findings_panel(user) -> HomePanel | None:
    """The township's open findings, new and under investigation."""
    if user.role != Role.CLERK:
        return None
    counts = scope_queryset(user, Finding.objects.all()).aggregate(
        **{s: Count("id", filter=Q(state=s)) for s in OPEN_FINDING_STATES}
    )
    if not any(counts.values()):
        return None
    return HomePanel(
        _("Cross-check findings"),
        [
            HomeItem(str(FindingState(s).label), counts[s], "finding-list", f"state={s}")
            for s in OPEN_FINDING_STATES
        ],
    )
