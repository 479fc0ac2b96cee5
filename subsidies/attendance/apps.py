from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    """Work arrangements, daily attendance, leave and the monthly assessment (docs/policy.md §7).
    Inside ``subsidies/`` because the payout pays from its closed months."""

    name = "subsidies.attendance"
    label = "attendance"
    verbose_name = _("Work attendance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongyi.audit import register_history
        from gongyi.navigation import NavItem, add_nav_item
        from subsidies.attendance import (  # noqa: F401  (job runners, demo step, policy keys)
            clockin,
            demo,
            policy,
        )
        from subsidies.attendance.models import (
            Assessment,
            AttendanceSheet,
            LeaveRequest,
            WorkArrangement,
        )
        from subsidies.attendance.roles import VIEW_ATTENDANCE

        for model in (AttendanceSheet, LeaveRequest, WorkArrangement, Assessment):
            register_history(model)
        add_nav_item(
            NavItem(_("Work attendance"), "attendance-home", VIEW_ATTENDANCE, "/attendance/"),
            before="region-list",
        )
