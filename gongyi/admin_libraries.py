"""The libraries' sections of the administrator's pages in Chinese.

django-axes (the login lockouts) ships no Chinese catalogue and names its records in English
(``__str__``), which the admin shows beside each row's checkbox; its section is re-registered
here with Chinese names. The English msgids below are axes' own: marked here so that our
catalogue carries their translation. django-celery-beat names one field in English without
gettext: its filter gets a Chinese title.
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.utils.formats import localize
from django.utils.timezone import localtime
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import PeriodicTask

AXES_PHRASES = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("Username"),
)
#: Column captions of Django 5.2's admin index that its Chinese catalogue lacks (read aloud by
#: screen readers).
DJANGO_ADMIN_PHRASES = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)


def _row_name(obj) -> str:
    """A login record as the admin reads it: the login name and the time, in Chinese."""
    return gettext("%(username)s at %(time)s") % {
        "username": obj.username or "-",
        "time": localize(localtime(obj.attempt_time)) if obj.attempt_time else "-",
    }


class ChineseRowsMixin:
    def action_checkbox(self, obj):
        attrs = {
            "class": "action-select",
            "aria-label": gettext("Select this record: %(name)s") % {"name": _row_name(obj)},
        }
        return forms.CheckboxInput(attrs, lambda value: False).render(
            helpers.ACTION_CHECKBOX_NAME, str(obj.pk)
        )


class AccessAttemptAdmin(ChineseRowsMixin, axes_admin.AccessAttemptAdmin):
    pass


class AccessLogAdmin(ChineseRowsMixin, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(ChineseRowsMixin, axes_admin.AccessFailureLogAdmin):
    pass


for model, model_admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)


class TaskFilter(admin.AllValuesFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = gettext_lazy("Task")


class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    list_filter = [
        (f, TaskFilter) if f == "task" else f for f in beat_admin.PeriodicTaskAdmin.list_filter
    ]


if admin.site.is_registered(PeriodicTask):
    admin.site.unregister(PeriodicTask)
    admin.site.register(PeriodicTask, PeriodicTaskAdmin)
