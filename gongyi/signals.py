"""Logins, logouts and failed logins go on the audit trail like any other change."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from gongyi.audit import audit_record
from gongyi.enums import AuditAction
from gongyi.middleware import client_ip
from gongyi.models import User


def _with_request_ip(request, record):
    from gongyi.audit import current_ip

    token = current_ip.set(client_ip(request)) if request is not None else None
    try:
        return record()
    finally:
        if token is not None:
            current_ip.reset(token)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    _with_request_ip(
        request, lambda: audit_record(actor=user, action=AuditAction.LOGIN, instance=user)
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        _with_request_ip(
            request, lambda: audit_record(actor=user, action=AuditAction.LOGOUT, instance=user)
        )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    user = User.objects.filter(username=username).select_related("region").first()
    _with_request_ip(
        request,
        lambda: audit_record(
            actor=None,
            action=AuditAction.LOGIN_FAILED,
            instance=user,
            object_type="" if user else "gongyi.user",
            object_repr=username,
            note=username,
        ),
    )
