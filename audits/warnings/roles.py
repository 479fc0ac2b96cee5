"""Who sees warnings and gives the advance notice (where: ``gongyi.scoping``; docs/policy.md §8)."""

from gongyi.enums import Role

#: The township that acts on them, the village whose people they are, the county that oversees.
VIEW_WARNINGS = frozenset({Role.CLERK, Role.VILLAGE, Role.COUNTY, Role.ADMIN})
#: The advance notice to the person (seed 003 §12: the township tells them in advance).
GIVE_NOTICES = frozenset({Role.CLERK})
