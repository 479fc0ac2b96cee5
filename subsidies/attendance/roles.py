"""What each role may do with attendance (where: ``gongyi.scoping``; docs/policy.md §7)."""

from gongyi.enums import Role

#: See attendance at all: the village and the township record and close it, the county reads its
#: townships' summary. Department reviewers have no business with it.
VIEW_ATTENDANCE = frozenset({Role.VILLAGE, Role.CLERK, Role.COUNTY, Role.ADMIN})
#: Mark days, fill a month and submit it: the village committee (or the township for a unit it
#: uses directly, whose posts sit at the township).
RECORD_ATTENDANCE = frozenset({Role.VILLAGE, Role.CLERK})
#: Close a submitted month or return it for correction, and correct a closed month: the township
#: (seed 003 §11: the township checks; the county only reads).
CLOSE_MONTHS = frozenset({Role.CLERK})
#: Keep the posts' work arrangements: the township that runs the posts, or the county.
ARRANGE_WORK = frozenset({Role.CLERK, Role.COUNTY})
