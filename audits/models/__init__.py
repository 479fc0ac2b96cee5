"""The audits app's models, one module per part (Django reads one models module per app)."""

from audits.models.datasets import DatasetRow, DatasetVersion

__all__ = ["DatasetRow", "DatasetVersion"]
