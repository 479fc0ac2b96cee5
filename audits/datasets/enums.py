"""Choices of the external datasets (比对数据源; docs/policy.md §8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatasetKind(models.TextChoices):
    """What another department's list says of the people on it (RULES §8; seed 003 §7)."""

    DEATHS = "deaths", _("Deaths")
    RETIREMENT_BENEFITS = "retirement_benefits", _("Retirement benefits")
    CONTRIBUTIONS = "contributions", _("Social-insurance contributions as an employee")
    BUSINESS_LICENCES = "business_licences", _("Business licences")
    FISCAL_PAYROLL = "fiscal_payroll", _("Fiscal payroll")


class InternalCheck(models.TextChoices):
    """The match's checks that need no upload (docs/policy.md §8): findings of kinds of their own.
    The statutory retirement date and the rural age limit are the warnings' (``audits.warnings``)."""

    NO_ATTENDANCE = "no_attendance", _("No attendance for months")


#: Every kind of finding: a dataset's, or an internal check's.
FINDING_KINDS = [*DatasetKind.choices, *InternalCheck.choices]


class DatasetStatus(models.TextChoices):
    """An upload is checked and loaded by one background job: loaded whole, or refused whole."""

    CHECKING = "checking", _("Checking and loading")
    LOADED = "loaded", _("Loaded")
    REJECTED = "rejected", _("Refused")


class FindingState(models.TextChoices):
    """A finding's (疑点) state. The match makes them new and closes those whose fact has gone
    from the newest data; the township's investigation moves the rest (docs/policy.md §8)."""

    NEW = "new", _("New")
    INVESTIGATING = "investigating", _("Under investigation")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
    GONE = "gone", _("No longer in the data")


#: The states the match may close when the fact has gone from the newest data.
OPEN_FINDING_STATES = (FindingState.NEW, FindingState.INVESTIGATING)
