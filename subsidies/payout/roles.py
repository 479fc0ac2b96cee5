"""What each role may do with payouts (where: ``gongyi.scoping``; docs/policy.md §7).

Seed 001 §二(四): the township gathers the month's pay from the posts' pay, the attendance and the
assessment, files it with the county HR bureau, and asks the county finance bureau to pay it.
"""

from gongyi.enums import Role

#: See payout batches and their lines: the township that prepares them, the county that approves,
#: the finance department that pays.
VIEW_PAYOUTS = frozenset({Role.CLERK, Role.COUNTY, Role.FINANCE, Role.ADMIN})
#: Generate the month's batch from the closed attendance, hold and release lines, submit: the
#: township.
PREPARE_PAYOUTS = frozenset({Role.CLERK})
#: Approve a submitted batch or return it for correction: the county HR bureau (never the one who
#: prepared it); and set the county's grade rules.
APPROVE_PAYOUTS = frozenset({Role.COUNTY})
#: Issue the payment file and close the batch: the county.
ISSUE_PAYOUTS = frozenset({Role.COUNTY})
#: The county's bank templates: kept by the county HR bureau, read by the finance department.
MANAGE_BANK_TEMPLATES = frozenset({Role.COUNTY})
VIEW_BANK_TEMPLATES = frozenset({Role.COUNTY, Role.FINANCE, Role.ADMIN})
#: The bank's side of a batch: its page, the payment file (full ID and account numbers: only the
#: county HR bureau and the finance department download it, each download on the audit trail)
#: and the bank's return, read in by either.
VIEW_BANK_FILES = frozenset({Role.COUNTY, Role.FINANCE, Role.ADMIN})
DOWNLOAD_PAYMENT_FILES = frozenset({Role.COUNTY, Role.FINANCE})
READ_RETURNS = frozenset({Role.COUNTY, Role.FINANCE})
#: Account fixes after a failed payment: the township that keeps the person's file.
VIEW_ACCOUNT_FIXES = frozenset({Role.CLERK, Role.COUNTY, Role.ADMIN})
FIX_ACCOUNTS = frozenset({Role.CLERK})
#: The payout reports (the month's, the year to date) and the months paid on a person's file:
#: the township its own, the county HR bureau and the finance department the county's.
VIEW_PAYOUT_REPORTS = frozenset({Role.CLERK, Role.COUNTY, Role.FINANCE, Role.ADMIN})
