"""Logins, logouts and failed logins go on the audit trail like any other change; logging out,
a new password and deactivation end the user's API tokens, wherever they are made (a page, the
admin, ``manage.py changepassword``).

The client address comes from RequestContextMiddleware, as for every other entry.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from gongyi.audit import audit_record
from gongyi.enums import AuditAction
from gongyi.models import User
from gongyi.tokens import RevokeReason, api_tokens_revoke_all


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action=AuditAction.LOGIN, instance=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, instance=user)
        api_tokens_revoke_all(actor=user, user=user, reason=RevokeReason.LOGOUT)


@receiver(post_save, sender=User)
def _password_or_access_changed(sender, instance, created, **kwargs):
    # ``set_password`` keeps the new raw password in ``_password`` until the save that stores it
    # has run (``AbstractBaseUser.save``): this is that save.
    if created:
        return
    if getattr(instance, "_password", None) is not None:
        api_tokens_revoke_all(actor=None, user=instance, reason=RevokeReason.PASSWORD)
    elif not instance.is_active:
        api_tokens_revoke_all(actor=None, user=instance, reason=RevokeReason.DEACTIVATED)


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
