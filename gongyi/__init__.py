"""gongyi: the system a county runs its urban and rural public-welfare posts on."""

from gongyi.celery import app as celery_app

__all__ = ["celery_app"]
