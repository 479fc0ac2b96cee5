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
        from people.file_sections import FileSection, add_file_section
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
        from subsidies.payout.report_selectors import person_file_section
        from subsidies.payout.roles import VIEW_PAYOUT_REPORTS, VIEW_PAYOUTS

        for model in (GradeRule, PayoutBatch, PayoutLine, BankTemplate, PaymentFile, AccountFix):
            register_history(model)
        add_nav_item(
            NavItem(_("Subsidy payout"), "payout-list", VIEW_PAYOUTS, "/payout/"),
            before="region-list",
        )
        bank_nav_register()
        add_nav_item(
            NavItem(
                _("Payout reports"),
                "payout-report-month",
                VIEW_PAYOUT_REPORTS,
                "/payout/reports/",
            ),
            before="region-list",
        )
        add_file_section(
            FileSection("payout/person_months.html", VIEW_PAYOUT_REPORTS, person_file_section)
        )
