"""The exits on a person's trace report (倒查追溯, seed 003 §6; docs/policy.md §8): each exit with
its kind, last day, reason, who decided and recorded it, and its debt."""

from __future__ import annotations

from django.template.loader import render_to_string

from audits.exits import selectors
from audits.exits.roles import VIEW_EXITS
from gongyi.roles import has_role
from subsidies.payout.amount import yuan


def exits_section(user, person) -> str:
    if not has_role(user, VIEW_EXITS):
        return ""
    exits = selectors.person_exits(user, person)
    if not exits:
        return ""
    for exit_ in exits:
        debt = getattr(exit_, "debt", None)
        exit_.debt_text = (
            (debt.pk, yuan(debt.amount_fen), yuan(debt.outstanding_fen), debt.get_state_display())
            if debt
            else None
        )
    return render_to_string("exits/_trace.html", {"exits": exits})
