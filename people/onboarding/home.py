"""What each role has waiting in the workflow, on the home page (every role
sees its work). One aggregate query per page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongyi.enums import Role
from gongyi.home import HomeItem, HomePanel
from people.onboarding import selectors
from people.onboarding.enums import ApplicationState as S

#: role → (state, what the role does with it, the page where it does it)
WORK = {
    Role.CLERK: [
        (S.APPLIED, "round-list"),
        (S.REREVIEW_PASSED, "round-list"),
        (S.APPROVED, "round-list"),
        (S.AGREED, "training-create"),
        (S.TRAINED, "round-list"),
    ],
    Role.VILLAGE: [(S.INITIAL_PASSED, "village-onboarding"), (S.PUBLICITY, "village-onboarding")],
    Role.REVIEWER: [(S.REVIEWED, "opinion-queue")],
    Role.COUNTY: [(S.REVIEWED, "application-queue"), (S.PUBLICITY, "application-queue")],
}


def onboarding_panel(user) -> HomePanel | None:
    work = WORK.get(user.role)
    if not work:
        return None
    states = [state for state, _url in work]
    counts = selectors.application_state_counts(user, states)
    return HomePanel(
        _("Onboarding: work waiting"),
        [
            HomeItem(str(S(state).label), counts[state], url, f"state={state}")
            for state, url in work
        ],
    )
