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


class DatasetStatus(models.TextChoices):
    """An upload is checked and loaded by one background job: loaded whole, or refused whole."""

    CHECKING = "checking", _("Checking and loading")
    LOADED = "loaded", _("Loaded")
    REJECTED = "rejected", _("Refused")
