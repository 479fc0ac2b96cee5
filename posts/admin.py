"""The system administrator's view of the catalogue: scoped and audited (``AuditedAdmin``).
Day-to-day work goes through the pages, whose services check the rules."""

from django.contrib import admin

from gongyi.admin import AuditedAdmin
from posts.models import AnnualPlan, MinimumWage, Post, PostType, SubsidyStandard


@admin.register(PostType)
class PostTypeAdmin(AuditedAdmin):
    list_display = ["name", "category", "county", "is_active", "source"]
    list_filter = ["category", "is_active"]
    search_fields = ["name"]


@admin.register(MinimumWage)
class MinimumWageAdmin(AuditedAdmin):
    list_display = ["county", "tier", "monthly", "hourly", "effective_from", "source"]
    list_select_related = ["county"]


@admin.register(SubsidyStandard)
class SubsidyStandardAdmin(AuditedAdmin):
    list_display = ["county", "area_kind", "annual_amount", "effective_from", "source"]
    list_select_related = ["county"]


@admin.register(AnnualPlan)
class AnnualPlanAdmin(AuditedAdmin):
    list_display = ["county", "year", "urban_target", "rural_target", "note"]
    list_select_related = ["county"]
    readonly_fields = ["created_by"]

    def has_add_permission(self, request):
        return False  # plans are set on the plan page, which records who set them


@admin.register(Post)
class PostAdmin(AuditedAdmin):
    """Read-only: posts change through the services, which check pay, area and headcount."""

    list_display = ["title", "post_type", "township", "village", "status", "occupied", "headcount"]
    list_filter = ["status", "area_kind", "work_pattern"]
    list_select_related = ["post_type", "township", "village"]
    search_fields = ["title", "region_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
