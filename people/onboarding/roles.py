"""What each role may do in the onboarding workflow (where: ``gongyi.scoping``). The moves of an
application are in ``workflow.TRANSITIONS``, each with one of the sets below: the step service
that makes a move checks the same set the table names for it."""

from gongyi.enums import Role

#: Open, change, publish and close recruitment rounds: the township, or the county for it.
MANAGE_ROUNDS = frozenset({Role.CLERK, Role.COUNTY})
#: Enter applications: the township clerks who receive them, or the county on their behalf.
ENTER_APPLICATIONS = frozenset({Role.CLERK, Role.COUNTY})
#: Pass or fail the initial review (初审): the township that received the application.
INITIAL_REVIEW = frozenset({Role.CLERK})
#: Record a village's democratic review: the village committee, or the township for it.
RECORD_DEMOCRATIC_REVIEW = frozenset({Role.VILLAGE, Role.CLERK})
#: Rank and publicise: the township, for its villages' notice boards.
PUBLICISE = frozenset({Role.CLERK})
#: The departments' opinions in the joint re-review.
GIVE_OPINIONS = frozenset({Role.REVIEWER})
#: Receive objections during publicity: the village where the list hangs, or the township.
RECORD_OBJECTIONS = frozenset({Role.CLERK, Role.VILLAGE})
#: Pass or fail the re-review and approve (复审, 县级审批): the county HR bureau.
REREVIEW_AND_APPROVE = frozenset({Role.COUNTY})
#: Not approve a publicised applicant: the township that upholds an objection, or the county at
#: approval.
NOT_APPROVE = frozenset({Role.CLERK, Role.COUNTY})
#: Withdraw an application in progress: the township or the county, for the applicant.
WITHDRAW = frozenset({Role.CLERK, Role.COUNTY})
#: Record agreements, training and starts: the township.
TOWNSHIP_STEPS = frozenset({Role.CLERK})
#: See rounds and applications at all (each role its own area).
VIEW_APPLICATIONS = frozenset(Role)
#: The recruitment pages in the navigation: those who run rounds, and the administrator who looks.
RECRUITMENT_NAV = frozenset({Role.CLERK, Role.COUNTY, Role.ADMIN})
#: Resolve an objection (upheld or not): the township that investigated it (seed 003 §6).
RESOLVE_OBJECTIONS = frozenset({Role.CLERK})
#: Approve or refuse a relative declaration: the township, after the village's review and
#: publicity (seed 003 §9).
DECIDE_DECLARATIONS = frozenset({Role.CLERK})
#: File the relative declarations the township approved: the county HR bureau (seed 003 §9).
FILE_DECLARATIONS = frozenset({Role.COUNTY})
#: Print documents that name a person to the person alone, or bind the parties (the notice of not
#: passing, the agreement with the full ID number): the township and the county that handle them.
PRINT_PERSONAL_DOCUMENTS = frozenset({Role.CLERK, Role.COUNTY})
#: See the county's queue: the county HR bureau acts on it, the administrator may look.
VIEW_COUNTY_QUEUE = frozenset({Role.COUNTY, Role.ADMIN})
#: Act on the county's queue: its actions are the re-review and the approval.
ACT_ON_COUNTY_QUEUE = REREVIEW_AND_APPROVE
#: See the departments' queue: the reviewers act on it, the county and the administrator may look.
VIEW_OPINION_QUEUE = frozenset({Role.REVIEWER, Role.COUNTY, Role.ADMIN})
#: The village's page: the village committee, and the township's clerks for its villages.
VIEW_VILLAGE_PAGE = frozenset({Role.VILLAGE, Role.CLERK})
#: Read a meeting's record (anyone whose area holds it).
VIEW_REVIEW_RECORDS = frozenset(Role)
