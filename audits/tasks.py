"""The app's Celery tasks, found by ``autodiscover_tasks``: each lives with its part."""

from audits.warnings.tasks import warnings_refresh_all

__all__ = ["warnings_refresh_all"]
