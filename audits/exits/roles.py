"""What each role may do with exits and debts (where: ``gongyi.scoping``; docs/policy.md §8).

Seed 003 §12: the township ends placements (natural exits and dismissals) under the county HR
bureau's guidance; §7 §9: subsidy paid when it was not due is recovered.
"""

from gongyi.enums import Role

#: See exits, their notices and debts: the township that records them, the county that
#: approves write-offs, the finance department whose money it is.
VIEW_EXITS = frozenset({Role.CLERK, Role.COUNTY, Role.FINANCE, Role.ADMIN})
#: Record an exit: the township that keeps the placement.
RECORD_EXITS = frozenset({Role.CLERK})
#: Record repayments and offsets, and ask for a write-off: the township that follows the debt.
RECORD_REPAYMENTS = frozenset({Role.CLERK})
ASK_WRITE_OFF = frozenset({Role.CLERK})
#: Approve or refuse a write-off: the county HR bureau (never who asked for it).
APPROVE_WRITE_OFF = frozenset({Role.COUNTY})
#: Bring a debt up to date with the lines the bank paid since: anyone who follows it.
COLLECT_DEBTS = frozenset({Role.CLERK, Role.COUNTY})
