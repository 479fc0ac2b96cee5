from axes import apps as axes_apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GongyiConfig(AppConfig):
    name = "gongyi"
    verbose_name = _("Core: regions, users and audit trail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.apps import apps

        from gongyi import signals  # noqa: F401  (login auditing)
        from gongyi.audit import register_history
        from gongyi.history import register_object_page
        from gongyi.models import Region, User
        from gongyi.text import protect_plain_text_fields, protect_text_fields

        register_history(Region)
        register_history(User)
        protect_text_fields(apps.get_models())
        protect_plain_text_fields()
        register_object_page(Region, "region-detail", key="code")


class AxesConfig(axes_apps.AppConfig):
    """django-axes (login lockouts) under a Chinese name in the administrator's pages."""

    default = False  # "gongyi" itself stays GongyiConfig
    verbose_name = _("Login lockouts")
