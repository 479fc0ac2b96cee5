"""The system administrator's pages. Scoped and audited like every other page."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from gongyi.audit import (
    Change,
    audit_created,
    audit_deleted,
    audit_record_many,
    audit_updated,
    snapshot,
)
from gongyi.enums import AuditAction
from gongyi.history import readable_entries
from gongyi.models import ApiToken, AuditEntry, CalendarDay, PolicySetting, Region, User
from gongyi.scoping import scope_queryset
from gongyi.tokens import RevokeReason, api_tokens_revoke

admin.site.site_header = _("Public-welfare posts: administration")
admin.site.site_title = _("Public-welfare posts")


class AuditedAdmin(admin.ModelAdmin):
    """Admin changes go on the audit trail; the admin sees only their own area."""

    def get_queryset(self, request):
        return scope_queryset(request.user, super().get_queryset(request))

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if change:
            audit_updated(actor=request.user, instance=obj, before=before, note="admin")
        else:
            audit_created(actor=request.user, instance=obj, note="admin")

    def delete_model(self, request, obj):
        audit_deleted(actor=request.user, instance=obj, note="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # One append for the whole selection, not one per row.
        audit_record_many(
            actor=request.user,
            changes=[
                Change(
                    AuditAction.DELETE,
                    obj,
                    {k: [v, None] for k, v in snapshot(obj).items()},
                    note="admin",
                )
                for obj in queryset
            ],
        )
        super().delete_queryset(request, queryset)


class ReadOnlyAdmin(AuditedAdmin):
    """Rows that change only through their services, which check every value (policy settings,
    plans, posts, person files, API tokens), or never (the audit trail): the admin shows those of
    the user's area and changes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["code", "name", "level", "kind", "parent"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ["username", "name", "role", "department", "region", "is_active"]
    list_filter = ["role", "department", "is_active"]
    search_fields = ["username", "name", "region__name", "region__code"]
    list_select_related = ["region"]
    raw_id_fields = ["region"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Role and area"), {"fields": ["name", "phone", "role", "region", "department"]}),
        (_("Status"), {"fields": ["is_active", "is_staff", "is_superuser", "last_login"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"fields": ["username", "password1", "password2", "role", "region", "department"]},
        ),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """The API tokens of the area: read only; the one action revokes the selected ones."""

    list_display = ["id", "user", "created_at", "expires_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__name"]
    list_select_related = ["user"]
    fields = ["user", "created_at", "expires_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected API tokens"))
    def revoke(self, request, queryset):
        count = api_tokens_revoke(actor=request.user, tokens=queryset, reason=RevokeReason.ADMIN)
        self.message_user(request, _("%(n)s API tokens revoked.") % {"n": count})


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only. The values before and after read as on the history page (field names, labels,
    masked personal numbers: ``gongyi.history``), never as the stored JSON."""

    list_display = ["seq", "at", "actor_username", "ip", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_username", "object_repr", "object_pk"]
    exclude = ["changes"]
    change_form_template = "admin/gongyi/auditentry/change_form.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        entry = self.get_object(request, object_id) if object_id else None
        extra_context = dict(extra_context or {})
        if entry is not None:
            extra_context["r"] = readable_entries(request.user, [entry])[0]
        return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(PolicySetting)
class PolicySettingAdmin(ReadOnlyAdmin):
    """Read-only: settings are set on the settings page, whose service checks each value's
    range (``gongyi.policy``)."""

    list_display = ["key", "county", "value", "effective_from", "note"]
    list_filter = ["key"]
    list_select_related = ["county"]


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    """Holidays and make-up working days are the State Council's, the same for every county."""

    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request)


from gongyi import admin_libraries  # noqa: E402, F401  (the libraries' sections, in Chinese)
