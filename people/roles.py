"""What each role may do with the person registry (where: ``gongyi.scoping``)."""

from gongyi.enums import Role

#: Enter and change person files, groups, declarations and documents: township clerks in their
#: township, the county in all of it.
EDIT_PEOPLE = frozenset({Role.CLERK, Role.COUNTY})
#: Import rosters from Excel.
IMPORT_PEOPLE = frozenset({Role.CLERK, Role.COUNTY})
#: Add the county's own target groups.
MANAGE_GROUPS = frozenset({Role.COUNTY})
#: See the full ID number on a person's page and in the API (lists always mask it,
#: docs/policy.md §9): the staff who enter and check files, and the departments' reviewers who
#: compare data by it.
SEE_ID_NUMBERS = frozenset({Role.CLERK, Role.COUNTY, Role.REVIEWER})
#: Export the registry with full ID numbers (RULES.md §9: exports with full numbers for the roles
#: that need them): the staff who keep the files. A department reviewer's export is masked.
EXPORT_ID_NUMBERS = frozenset({Role.CLERK, Role.COUNTY})
#: See the full payout account: the staff who prepare and approve payouts.
SEE_ACCOUNTS = frozenset({Role.CLERK, Role.COUNTY})
#: See the person's phone number: the staff and village committees who call them. A department's
#: reviewer and the system administrator have no call to make.
SEE_PHONES = frozenset({Role.CLERK, Role.COUNTY, Role.VILLAGE})
#: Correct the placements and subsidy months of a person's past once the file is open: the
#: county HR bureau (docs/policy.md).
CORRECT_PAST_COUNTERS = frozenset({Role.COUNTY})
#: Open the registry at all (a village committee sees its own village's people).
VIEW_PEOPLE = frozenset(Role)
