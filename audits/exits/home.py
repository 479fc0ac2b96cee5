"""Debts waiting on the home page: the township's debts still open, the county's write-offs
asked (one aggregate query)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from audits.exits.enums import DebtState
from audits.models import Debt
from gongyi.enums import Role
from gongyi.home import HomeItem, HomePanel
from gongyi.scoping import scope_queryset

#: role → the debt states it has work on.
WORK = {
    Role.CLERK: [DebtState.OPEN, DebtState.WRITE_OFF_ASKED],
    Role.COUNTY: [DebtState.WRITE_OFF_ASKED],
}


def debts_panel(user) -> HomePanel | None:
    states = WORK.get(user.role)
    if not states:
        return None
    counts = scope_queryset(user, Debt.objects.all()).aggregate(
        **{state: Count("id", filter=Q(state=state)) for state in states}
    )
    if not any(counts.values()):
        return None
    return HomePanel(
        _("Debts to recover"),
        [
            HomeItem(str(DebtState(state).label), counts[state], "debt-list", f"state={state}")
            for state in states
        ],
    )
