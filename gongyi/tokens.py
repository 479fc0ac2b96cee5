"""API tokens that end: issued for ``GONGYI_API_TOKEN_HOURS``, revoked by their owner, by the
administrator, when the owner logs out of the site, changes password or is deactivated. Every
issue and every revocation is an entry on the audit trail (on the owner's history).

A token's key is 43 random URL-safe characters, shown once; the database keeps its SHA-256,
so a copy of the database opens nothing. Clients send ``Authorization: Token <key>``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from gongyi.audit import Change, audit_record, audit_record_many
from gongyi.enums import AuditAction
from gongyi.models import ApiToken, User


class RevokeReason:
    """Why a token ended, as written in the audit entry's note."""

    OWNER = gettext_lazy("revoked by its owner")
    ADMIN = gettext_lazy("revoked by the administrator")
    LOGOUT = gettext_lazy("the owner logged out")
    PASSWORD = gettext_lazy("the password was changed")
    DEACTIVATED = gettext_lazy("the account was deactivated")


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_issue(*, user: User) -> tuple[ApiToken, str]:
    """A new token for ``user`` (each login its own), and its key, which is not stored."""
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(
        user=user,
        key_hash=key_hash(key),
        created_at=now,
        expires_at=now + dt.timedelta(hours=settings.GONGYI_API_TOKEN_HOURS),
    )
    with transaction.atomic():
        token.save()
        audit_record(
            actor=user,
            action=AuditAction.TOKEN,
            instance=user,
            changes={"token": [None, token.pk], "expires_at": [None, token.expires_at]},
        )
    return token, key


def api_tokens_revoke(*, actor, tokens, reason: str) -> int:
    """Revoke the live tokens among ``tokens`` (a queryset): one audit entry for each, on its
    owner's history, ``reason`` in the note. Returns how many were live; ended ones stay as
    they are."""
    now = timezone.now()
    with transaction.atomic():
        # Locked: a token revoked twice at once is revoked, and written down, once.
        live = list(
            ApiToken.objects.filter(pk__in=tokens.values("pk"), revoked_at=None, expires_at__gt=now)
            .select_related("user__region")
            .select_for_update(of=("self",))
        )
        if not live:
            return 0
        ApiToken.objects.filter(pk__in=[t.pk for t in live]).update(revoked_at=now)
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    AuditAction.TOKEN_REVOKED,
                    token.user,
                    {"token": [token.pk, None]},
                    note=str(reason),
                )
                for token in live
            ],
        )
    return len(live)


def api_tokens_revoke_all(*, actor, user: User, reason: str) -> int:
    """Revoke every live token of ``user``."""
    return api_tokens_revoke(actor=actor, tokens=ApiToken.objects.filter(user=user), reason=reason)


def api_token_live(key: str) -> ApiToken | None:
    """The live token of this key, with its user; ``None`` for an unknown, expired or revoked one."""
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash(key), revoked_at=None, expires_at__gt=timezone.now())
        .first()
    )


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF: ``Authorization: Token <key>`` of a live token of an active user. ``request.auth``
    is the ``ApiToken``, so that a client can revoke the token it uses."""

    def authenticate_credentials(self, key):
        token = api_token_live(key)
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(_("The token has expired or was revoked. Log in again."))
        return token.user, token
