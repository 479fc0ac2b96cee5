from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Cross-checks, exits and inspections")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audits.models import ExpiryWarning
        from audits.warnings import demo, policy  # noqa: F401  (demo step, policy keys)
        from audits.warnings.home import warnings_panel
        from audits.warnings.roles import VIEW_WARNINGS
        from gongyi.audit import register_history
        from gongyi.home import add_home_panel
        from gongyi.navigation import NavItem, add_nav_item

        register_history(ExpiryWarning)
        add_nav_item(
            NavItem(_("Warnings"), "warning-list", VIEW_WARNINGS, "/warnings/"),
            before="region-list",
        )
        add_home_panel(warnings_panel)
        from audits.datasets.setup import datasets_ready

        datasets_ready()
        self._exits_ready()

    def _exits_ready(self) -> None:
        """Exits and recovery (docs/policy.md §8): history, navigation, the trace report's
        section, the settings and the demo step (after the datasets')."""
        from audits.exits import demo, policy  # noqa: F401  (demo step, policy keys)
        from audits.exits.home import debts_panel
        from audits.exits.roles import VIEW_EXITS
        from audits.exits.trace import exits_section
        from audits.models import Debt, DebtLine, Exit, Repayment
        from gongyi.audit import register_history
        from gongyi.home import add_home_panel
        from gongyi.navigation import NavItem, add_nav_item
        from people.onboarding.trace import add_trace_section

        for model in (Exit, Debt, DebtLine, Repayment):
            register_history(model)
        add_nav_item(
            NavItem(_("Exits and recovery"), "exit-list", VIEW_EXITS, "/exits/"),
            before="region-list",
        )
        add_trace_section(exits_section)
        add_home_panel(debts_panel)
