"""The audits app's models, one module per part (Django reads one models module per app)."""

from audits.models.datasets import DatasetRow, DatasetVersion
from audits.models.exits import Debt, DebtLine, Exit, Repayment
from audits.models.findings import Finding
from audits.models.warnings import ExpiryWarning

__all__ = [
    "DatasetRow",
    "DatasetVersion",
    "Debt",
    "DebtLine",
    "Exit",
    "ExpiryWarning",
    "Finding",
    "Repayment",
]
