"""Logins, logouts and failed logins go on the audit trail like any other change.

The client address comes from RequestContextMiddleware, as for every other entry.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from gongyi.audit import audit_record
from gongyi.enums import AuditAction
from gongyi.models import User


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action=AuditAction.LOGIN, instance=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, instance=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    user = User.objects.filter(username=username).select_related("region").first()
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        instance=user,
        object_type="" if user else "gongyi.user",
        object_repr=username,
        note=username,
    )
