"""What each role may do with posts and plans (where: ``gongyi.scoping``)."""

from gongyi.enums import Role

#: Create, edit, publish and close posts: township clerks in their township, the county in all.
EDIT_POSTS = frozenset({Role.CLERK, Role.COUNTY})
#: Add standard post names, minimum wages and standards.
MANAGE_CATALOGUE = frozenset({Role.COUNTY})
#: Set the year's targets and split them over townships.
MANAGE_PLANS = frozenset({Role.COUNTY})
#: The county's reviews of the catalogue (seed 003 §1.2–1.3); a clerk sees their township's.
VIEW_REVIEWS = frozenset({Role.COUNTY, Role.CLERK, Role.ADMIN})
#: Import posts from Excel.
IMPORT_POSTS = frozenset({Role.CLERK, Role.COUNTY})
#: Read the annual plans (a village committee has no part in them).
PLAN_ROLES = frozenset(Role) - {Role.VILLAGE}
