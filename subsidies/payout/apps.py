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
        from subsidies.payout import policy  # noqa: F401  (policy keys)
        from subsidies.payout.bank_views import bank_nav_register
        from subsidies.payout.models import (
            AccountFix,
            BankTemplate,
            GradeRule,
            PaymentFile,
            PayoutBatch,
            PayoutLine,
        )

        for model in (GradeRule, PayoutBatch, PayoutLine, BankTemplate, PaymentFile, AccountFix):
            register_history(model)
        bank_nav_register()
