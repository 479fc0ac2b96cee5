"""Choices of the person registry (docs/policy.md §2–3; docs/glossary.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    """Read from the ID number's order code (odd male, even female; docs/policy.md §5)."""

    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Registration(models.TextChoices):
    """Where the person's household is registered (户籍)."""

    LOCAL = "local", _("This county")
    PROVINCE = "province", _("Elsewhere in the province")
    ELSEWHERE = "elsewhere", _("Outside the province")


class GroupArea(models.TextChoices):
    """Which posts a target group may be placed on (docs/policy.md §2)."""

    URBAN = "urban", _("Urban posts")
    RURAL = "rural", _("Rural posts")
    BOTH = "both", _("Urban and rural posts")


class AgeCondition(models.TextChoices):
    """A target group that is defined by age as well as by recognition (docs/policy.md §2)."""

    NONE = "", _("None")
    RURAL_OLDER = "rural_older", _("Rural older person (age range set per county)")
    URBAN_OLDER = "urban_older", _("Urban older unemployed (women and men from set ages)")
    YOUNG = "young", _("Young registered unemployed (16 to a set age)")


class AccountKind(models.TextChoices):
    """Where payouts go (docs/policy.md §7: the one-card account; a bank account where allowed)."""

    CARD = "card", _("Social-security card")
    BANK = "bank", _("Bank account")


class DisabilityGrade(models.IntegerChoices):
    """The grade on the disability certificate (一级 is the most severe)."""

    ONE = 1, _("Grade 1")
    TWO = 2, _("Grade 2")
    THREE = 3, _("Grade 3")
    FOUR = 4, _("Grade 4")


#: Grades counted as severe disability (重度残疾人, seed 003 §19: may be placed a second time).
SEVERE_GRADES = frozenset({DisabilityGrade.ONE, DisabilityGrade.TWO})


class Relation(models.TextChoices):
    """The relatives that must be declared (seed 003 §9; docs/policy.md §2)."""

    SPOUSE = "spouse", _("Spouse")
    PARENT = "parent", _("Parent")
    PARENT_IN_LAW = "parent_in_law", _("Parent-in-law")
    CHILD = "child", _("Child")
    CHILD_SPOUSE = "child_spouse", _("Child's spouse")
    SIBLING = "sibling", _("Brother or sister")
    GRANDPARENT = "grandparent", _("Grandparent (father's side)")
    MATERNAL_GRANDPARENT = "maternal_grandparent", _("Grandparent (mother's side)")
    GRANDCHILD = "grandchild", _("Grandchild (son's side)")
    MATERNAL_GRANDCHILD = "maternal_grandchild", _("Grandchild (daughter's side)")


class RelativeKind(models.TextChoices):
    OFFICIAL = "official", _("Public official")
    CADRE = "cadre", _("Village or community cadre")


class DeclarationStatus(models.TextChoices):
    """A relative declaration's way to placement (seed 003 §9): the township decides after the
    village's review and publicity without objection, then the county HR bureau files it."""

    DECLARED = "declared", _("Declared")
    TOWNSHIP_APPROVED = "township_approved", _("Approved by the township")
    FILED = "filed", _("Filed by the county")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DocumentKind(models.TextChoices):
    ID_CARD = "id_card", _("ID card")
    HOUSEHOLD = "household", _("Household register")
    DISABILITY = "disability", _("Disability certificate")
    RECOGNITION = "recognition", _("Proof of target group")
    DECLARATION = "declaration", _("Relative declaration")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    """One rule's result in an eligibility verdict."""

    PASS = "pass", _("Met")
    FAIL = "fail", _("Not met")
    ATTENTION = "attention", _("Needs action")
