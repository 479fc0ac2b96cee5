"""The system administrator's view of the catalogue: scoped and audited (``AuditedAdmin``).
Day-to-day work goes through the pages, whose services check the rules."""

from django.contrib import admin

from gongyi.admin import AuditedAdmin, ReadOnlyAdmin
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
class AnnualPlanAdmin(ReadOnlyAdmin):
    """Read-only: plans are set on the plan page, whose service keeps each target at or above
    what is allocated and records who set it."""

    list_display = ["county", "year", "urban_target", "rural_target", "note"]
    list_select_related = ["county"]


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    """Read-only: posts change through the services, which check pay, area and headcount."""

    list_display = ["title", "post_type", "township", "village", "status", "occupied", "headcount"]
    list_filter = ["status", "area_kind", "work_pattern"]
    list_select_related = ["post_type", "township", "village"]
    search_fields = ["title", "region_code"]
