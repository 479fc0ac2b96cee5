from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Cross-checks, exits and inspections")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audits.datasets.setup import datasets_ready

        datasets_ready()
