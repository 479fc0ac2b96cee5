"""The system administrator's view of attendance's reference data: scoped and audited
(``AuditedAdmin``). Day-to-day work goes through the pages, whose services check the rules."""

from django.contrib import admin

from gongyi.admin import AuditedAdmin
from subsidies.attendance.models import AssessmentItem


@admin.register(AssessmentItem)
class AssessmentItemAdmin(AuditedAdmin):
    """The points sheet (docs/policy.md §7): a county's own items beside the shared ones; an item
    in use is set aside (not in use), never deleted, so that months that gave it keep it."""

    list_display = [
        "name",
        "kind",
        "county",
        "default_points",
        "min_points",
        "max_points",
        "active",
    ]
    list_filter = ["kind", "active"]
    list_select_related = ["county"]
    search_fields = ["name"]
