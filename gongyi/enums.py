"""Choices of the core: region levels and kinds, roles, departments, audit actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    """The three levels of the tree (GLOSSARY: county / township / village; docs/policy.md §10)."""

    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")


class RegionKind(models.TextChoices):
    """What a region is within its level (docs/policy.md §10)."""

    COUNTY = "county", _("County or district")
    STREET = "street", _("Street")
    TOWN = "town", _("Town")
    TOWNSHIP = "township", _("Rural township")
    TOWNSHIP_OTHER = "township_other", _("Other township-level unit")
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")


#: The number of digits of a code at each level (docs/policy.md §10).
CODE_LENGTH = {RegionLevel.COUNTY: 6, RegionLevel.TOWNSHIP: 9, RegionLevel.VILLAGE: 12}
LEVEL_OF_LENGTH = {length: level for level, length in CODE_LENGTH.items()}
PARENT_LEVEL = {RegionLevel.TOWNSHIP: RegionLevel.COUNTY, RegionLevel.VILLAGE: RegionLevel.TOWNSHIP}


class Role(models.TextChoices):
    """The kinds of user. Each user is tied to one region of ROLE_LEVEL."""

    COUNTY = "county", _("County HR bureau")
    CLERK = "clerk", _("Township clerk")
    VILLAGE = "village", _("Village committee")
    REVIEWER = "reviewer", _("Department reviewer")
    #: 财政部门: reads the payout batches, downloads the payment file, reads the bank's return in
    #: (issue 15; seed 001 §二(四): the township asks the county finance bureau to pay).
    FINANCE = "finance", _("Finance department")
    ADMIN = "admin", _("System administrator")


ROLE_LEVEL = {
    Role.COUNTY: RegionLevel.COUNTY,
    Role.CLERK: RegionLevel.TOWNSHIP,
    Role.VILLAGE: RegionLevel.VILLAGE,
    Role.REVIEWER: RegionLevel.COUNTY,
    Role.FINANCE: RegionLevel.COUNTY,
    Role.ADMIN: RegionLevel.COUNTY,
}


class Department(models.TextChoices):
    """Departments that give opinions in the joint re-review (docs/policy.md §6)."""

    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    AGRICULTURE = "agriculture", _("Agriculture and rural affairs")
    DISABLED_FEDERATION = "disabled_federation", _("Disabled persons' federation")
    PUBLIC_SECURITY = "public_security", _("Public security")
    MARKET_REGULATION = "market_regulation", _("Market regulation")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    TRANSITION = "transition", _("State changed")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOGOUT = "logout", _("Logged out")
    TOKEN = "token", _("API token issued")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    IMPORT = "import", _("Imported")
    EXPORT = "export", _("Exported")
