from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GongyiConfig(AppConfig):
    name = "gongyi"
    verbose_name = _("Core: regions, users and audit trail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from gongyi import signals  # noqa: F401  (login auditing)
        from gongyi.audit import register_history
        from gongyi.models import Region, User
        from gongyi.pagecache import install_triggers

        register_history(Region)
        register_history(User)
        # After every app's migrations (and a test flush): the data version's triggers.
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="gongyi-data-version")
