"""The audits app's models, one module per part (Django reads one models module per app)."""

from audits.models.datasets import DatasetRow, DatasetVersion
from audits.models.findings import Finding

__all__ = ["DatasetRow", "DatasetVersion", "Finding"]
