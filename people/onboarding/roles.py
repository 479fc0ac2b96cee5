"""What each role may do in the onboarding workflow (where: ``gongyi.scoping``). The moves of an
application are in ``workflow.TRANSITIONS``, each with its roles."""

from gongyi.enums import Role

#: Open, change, publish and close recruitment rounds: the township, or the county for it.
MANAGE_ROUNDS = frozenset({Role.CLERK, Role.COUNTY})
#: Enter applications: the township clerks who receive them, or the county on their behalf.
ENTER_APPLICATIONS = frozenset({Role.CLERK, Role.COUNTY})
#: Record a village's democratic review: the village committee, or the township for it.
RECORD_DEMOCRATIC_REVIEW = frozenset({Role.VILLAGE, Role.CLERK})
#: Rank and publicise: the township, for its villages' notice boards.
PUBLICISE = frozenset({Role.CLERK})
#: The departments' opinions in the joint re-review.
GIVE_OPINIONS = frozenset({Role.REVIEWER})
#: Receive objections during publicity: the village where the list hangs, or the township.
RECORD_OBJECTIONS = frozenset({Role.CLERK, Role.VILLAGE})
#: Record agreements, training and starts: the township.
TOWNSHIP_STEPS = frozenset({Role.CLERK})
#: See rounds and applications at all (each role its own area).
VIEW_APPLICATIONS = frozenset(Role)
