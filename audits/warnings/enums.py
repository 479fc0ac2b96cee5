"""The kinds of warning (docs/policy.md §8, "Warnings")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningKind(models.TextChoices):
    """What is about to end. The first three are a person's and call for an exit on the day; the
    last is a post's and calls for recruiting or closing it (seed 003 §1.3)."""

    SUBSIDY_END = "subsidy_end", _("Subsidy period ends")
    RETIREMENT = "retirement", _("Statutory retirement date")
    AGE_LIMIT = "age_limit", _("Age limit of rural posts")
    POST_VACANT = "post_vacant", _("Post vacant too long")


#: The kinds that concern a person on a post (an advance notice is printed for them).
PERSON_KINDS = (WarningKind.SUBSIDY_END, WarningKind.RETIREMENT, WarningKind.AGE_LIMIT)
