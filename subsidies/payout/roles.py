"""What each role may do with payouts (where: ``gongyi.scoping``; docs/policy.md §7).

Seed 001 §二(四): the township gathers the month's pay from the posts' pay, the attendance and the
assessment, files it with the county HR bureau, and asks the county finance bureau to pay it.
"""

from gongyi.enums import Role

#: See payout batches and their lines: the township that prepares them, the county that approves.
VIEW_PAYOUTS = frozenset({Role.CLERK, Role.COUNTY, Role.ADMIN})
#: Generate the month's batch from the closed attendance, hold and release lines, submit: the
#: township.
PREPARE_PAYOUTS = frozenset({Role.CLERK})
#: Approve a submitted batch or return it for correction: the county HR bureau (never the one who
#: prepared it); and set the county's grade rules.
APPROVE_PAYOUTS = frozenset({Role.COUNTY})
#: Issue the payment file, read the bank's return and close the batch: the county.
ISSUE_PAYOUTS = frozenset({Role.COUNTY})
