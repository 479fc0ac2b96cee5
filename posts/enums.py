"""Choices of the post catalogue (docs/policy.md §1; docs/glossary.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PostCategory(models.TextChoices):
    """The five categories of seed 001 §二(二) and seed 003 §二(一)1."""

    PUBLIC_MANAGEMENT = "public_management", _("Public management")
    PUBLIC_SERVICE = "public_service", _("Public service")
    SOCIAL_UNDERTAKING = "social_undertaking", _("Social undertakings")
    FACILITY_MAINTENANCE = "facility_maintenance", _("Facility maintenance")
    SOCIAL_GOVERNANCE = "social_governance", _("Social governance")


class AreaKind(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")


class WorkPattern(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    HOURLY = "hourly", _("Hourly")


class InsuranceKind(models.TextChoices):
    """docs/policy.md §7, seed 001 §二(四): urban posts get the social-insurance subsidy, rural posts
    a commercial accident insurance bought each year (and so do hourly urban workers who are not
    insured as flexible workers)."""

    SOCIAL_INSURANCE_SUBSIDY = "social_insurance_subsidy", _("Social-insurance subsidy")
    ACCIDENT_INSURANCE = "accident_insurance", _("Accident insurance")


DEFAULT_INSURANCE = {
    AreaKind.URBAN: InsuranceKind.SOCIAL_INSURANCE_SUBSIDY,
    AreaKind.RURAL: InsuranceKind.ACCIDENT_INSURANCE,
}


class PostStatus(models.TextChoices):
    """draft → open → filled ⇄ vacant; any but closed → closed (seed 003 §1.3: cut useless posts).

    ``open``: published, places free, recruiting. ``filled``: every place taken. ``vacant``: places
    fell free after people left (GLOSSARY: a post with no one on it) and nobody recruits yet.
    """

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    VACANT = "vacant", _("Vacant")
    CLOSED = "closed", _("Closed")


#: Statuses of a post that counts as developed (in the plan's progress and the reviews).
DEVELOPED_STATUSES = (PostStatus.OPEN, PostStatus.FILLED, PostStatus.VACANT)


class LeadDepartment(models.TextChoices):
    """行业主管部门: the county departments that set posts' duties with the townships (seed 001
    §二(二) and its 附件1, the members of the county's leading group)."""

    HR = "hr", _("Human resources and social security")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    AGRICULTURE = "agriculture", _("Agriculture and rural affairs")
    NATURAL_RESOURCES = "natural_resources", _("Natural resources")
    FORESTRY = "forestry", _("Ecology and forestry")
    ECOLOGY = "ecology", _("Ecology and environment")
    HOUSING = "housing", _("Housing and urban-rural development")
    TRANSPORT = "transport", _("Transport")
    WATER = "water", _("Water resources")
    CULTURE = "culture", _("Culture and tourism")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education and sports")
    EMERGENCY = "emergency", _("Emergency management")
    URBAN_MANAGEMENT = "urban_management", _("Urban management and law enforcement")
    JUSTICE = "justice", _("Justice")
    CIVILISATION = "civilisation", _("Civilisation office")
    DISABLED_FEDERATION = "disabled_federation", _("Disabled persons' federation")
    POSTAL = "postal", _("Postal administration")
    TOWNSHIP = "township", _("Township or street")
