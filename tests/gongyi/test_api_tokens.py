"""API tokens end: after GONGYI_API_TOKEN_HOURS, on revocation by the owner or the administrator,
on logout, a new password and deactivation; each issue and revocation is on the audit trail."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongyi.enums import AuditAction, Role
from gongyi.models import ApiToken, AuditEntry

pytestmark = pytest.mark.django_db


def issue(username, password) -> dict:
    response = Client().post(
        reverse("api:api-token"),
        {"username": username, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()


def me(key) -> int:
    return Client().get(reverse("api:api-me"), HTTP_AUTHORIZATION=f"Token {key}").status_code


def revocations() -> list[str]:
    return list(
        AuditEntry.objects.filter(action=AuditAction.TOKEN_REVOKED)
        .order_by("seq")
        .values_list("note", flat=True)
    )


def test_each_login_issues_a_new_token_that_ends_after_the_setting(users, password, settings):
    settings.GONGYI_API_TOKEN_HOURS = 3
    first, second = issue("clerk", password), issue("clerk", password)
    assert first["token"] != second["token"]
    token = ApiToken.objects.get(pk=first["id"])
    assert token.expires_at - token.created_at == dt.timedelta(hours=3)
    assert token.key_hash != first["token"]  # only a hash of the key is kept
    issued = AuditEntry.objects.filter(
        action=AuditAction.TOKEN, object_pk=str(users[Role.CLERK].pk)
    )
    assert issued.count() == 2


def test_an_expired_token_is_refused_in_chinese(users, password):
    key = issue("clerk", password)["token"]
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = Client().get(reverse("api:api-me"), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert response.json() == {"detail": "令牌已过期或已被撤销，请重新登录。"}


def test_an_old_drf_token_or_a_forged_one_opens_nothing(users):
    assert me("9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b") == 401


def test_the_owner_revokes_the_token_in_use(users, password):
    key = issue("clerk", password)["token"]
    response = Client().delete(reverse("api:api-token"), HTTP_AUTHORIZATION=f"Token {key}")
    assert (response.status_code, me(key)) == (204, 401)
    assert revocations() == ["被所有者撤销"]


def test_the_owner_lists_and_revokes_one_of_their_tokens(users, password):
    kept, revoked = issue("clerk", password), issue("clerk", password)
    issue("county", password)
    auth = {"HTTP_AUTHORIZATION": f"Token {kept['token']}"}
    listed = Client().get(reverse("api:api-token-own-list"), **auth).json()["results"]
    assert [(t["id"], t["current"], t["live"]) for t in listed] == [
        (revoked["id"], False, True),
        (kept["id"], True, True),
    ]
    url = reverse("api:api-token-own-detail", args=[revoked["id"]])
    assert Client().delete(url, **auth).status_code == 204
    assert (me(revoked["token"]), me(kept["token"])) == (401, 200)


def test_nobody_revokes_or_sees_another_users_token(users, password):
    county_token = issue("county", password)
    clerk_key = issue("clerk", password)["token"]
    url = reverse("api:api-token-own-detail", args=[county_token["id"]])
    response = Client().delete(url, HTTP_AUTHORIZATION=f"Token {clerk_key}")
    assert (response.status_code, me(county_token["token"])) == (404, 200)


def test_a_password_change_revokes_the_users_tokens(users, password):
    key = issue("clerk", password)["token"]
    other = issue("county", password)["token"]
    clerk = users[Role.CLERK]
    clerk.set_password("a-new-long-password-42")
    clerk.save()
    assert (me(key), me(other)) == (401, 200)
    assert revocations() == ["密码已修改"]


def test_changepassword_command_revokes_too(users, password, monkeypatch):
    key = issue("clerk", password)["token"]
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "a-new-long-password-42")
    call_command("changepassword", "clerk", stdout=io.StringIO())
    assert me(key) == 401


def test_deactivation_revokes_the_users_tokens(users, password):
    key = issue("clerk", password)["token"]
    clerk = users[Role.CLERK]
    clerk.is_active = False
    clerk.save(update_fields=["is_active"])
    assert me(key) == 401
    assert revocations() == ["账户已停用"]
    assert ApiToken.objects.get().revoked_at is not None


def test_logging_out_of_the_site_revokes_the_users_tokens(users, password, login):
    key = issue("clerk", password)["token"]
    login(users[Role.CLERK]).post(reverse("logout"))
    assert me(key) == 401


def test_the_administrator_revokes_tokens_in_the_admin(users, password, login):
    key = issue("clerk", password)["token"]
    token = ApiToken.objects.get()
    response = login(users[Role.ADMIN]).post(
        reverse("admin:gongyi_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    assert me(key) == 401
    entry = AuditEntry.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert (entry.actor_username, entry.note, entry.object_pk) == (
        "admin",
        "被管理员撤销",
        str(users[Role.CLERK].pk),
    )


def test_revoking_a_revoked_token_writes_nothing_more(users, password):
    key = issue("clerk", password)["token"]
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    Client().delete(reverse("api:api-token"), **auth)
    assert Client().delete(reverse("api:api-token"), **auth).status_code == 401
    assert len(revocations()) == 1
