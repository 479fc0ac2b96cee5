"""The system administrator's view of the registry: scoped, audited and read-only for people
(files change through the services, which check the ID number and keep one file per person)."""

from django.contrib import admin

from gongyi.admin import AuditedAdmin, ReadOnlyAdmin
from gongyi.masking import SENSITIVE_FIELDS, sees_in_full
from people.models import Person, TargetGroup


@admin.register(TargetGroup)
class TargetGroupAdmin(AuditedAdmin):
    list_display = ["name", "code", "area", "age_condition", "priority", "county", "is_active"]
    list_filter = ["area", "is_active"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["name", "township", "village", "sex", "birth_date", "residence"]
    list_select_related = ["township", "village"]
    list_filter = ["residence", "sex"]
    search_fields = ["name"]

    def get_exclude(self, request, obj=None):
        """The personal fields the administrator may not read in full are not shown at all."""
        return [
            name
            for name in SENSITIVE_FIELDS.get(Person._meta.label_lower, {})
            if not sees_in_full(request.user, Person, name)
        ]
