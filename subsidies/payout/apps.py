from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayoutConfig(AppConfig):
    """The monthly subsidy payout from the closed attendance month (docs/policy.md §7)."""

    name = "subsidies.payout"
    label = "payout"
    verbose_name = _("Subsidy payout")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongyi.audit import register_history
        from gongyi.navigation import NavItem, add_nav_item
        from subsidies.payout import (  # noqa: F401  (job runner, demo step, policy keys)
            demo,
            jobs,
            policy,
        )
        from subsidies.payout.bank_views import bank_nav_register
        from subsidies.payout.models import (
            AccountFix,
            BankTemplate,
            GradeRule,
            PaymentFile,
            PayoutBatch,
            PayoutLine,
        )
        from subsidies.payout.roles import VIEW_PAYOUTS

        for model in (GradeRule, PayoutBatch, PayoutLine, BankTemplate, PaymentFile, AccountFix):
            register_history(model)
        add_nav_item(
            NavItem(_("Subsidy payout"), "payout-list", VIEW_PAYOUTS, "/payout/"),
            before="region-list",
        )
        bank_nav_register()
