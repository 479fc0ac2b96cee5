from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    """The eight-step onboarding workflow (RULES.md §6). Inside ``people/`` because it stands on
    the registry and the catalogue; the subsidy app stands on its placements."""

    name = "people.onboarding"
    label = "onboarding"
    verbose_name = _("Onboarding")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongyi.audit import register_history
        from gongyi.home import add_home_panel
        from people.onboarding.home import onboarding_panel
        from people.onboarding import policy  # noqa: F401  (policy keys)
        from people.onboarding.models import Application, Round

        for model in (Application, Round):
            register_history(model)
        add_home_panel(onboarding_panel)
