"""The warnings on the home page (docs/policy.md §8): each kind with its count, overdue ones
said apart; one query."""

from __future__ import annotations

from django.utils.translation import gettext as _

from audits.warnings import selectors
from audits.warnings.enums import WarningKind
from audits.warnings.roles import VIEW_WARNINGS
from gongyi.home import HomeItem, HomePanel
from gongyi.roles import has_role


def warnings_panel(user) -> HomePanel | None:
    if not has_role(user, VIEW_WARNINGS):
        return None
    counts = selectors.warning_counts(user)
    items = []
    for kind in WarningKind:
        n, overdue = counts[kind]
        label = str(kind.label)
        if overdue:
            label = _("%(label)s (%(n)s overdue)") % {"label": label, "n": overdue}
        items.append(HomeItem(label, n, "warning-list", f"kind={kind}"))
    return HomePanel(_("Warnings: what ends soon"), items)
