"""Login, lockout, session expiry, CSRF and API tokens, with Chinese messages."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongyi.enums import AuditAction, Role
from gongyi.middleware import SESSION_REFRESHED_AT
from gongyi.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese(client):
    body = client.get(reverse("login")).content.decode()
    assert ("用户名" in body, "密码" in body, 'lang="zh-Hans"' in body) == (True, True, True)


def test_login_with_right_password_goes_home(users, client, password):
    response = client.post(reverse("login"), {"username": "clerk", "password": password})
    assert (response.status_code, response.url) == (302, reverse("home"))


def test_wrong_password_gets_chinese_message(users, client):
    response = client.post(reverse("login"), {"username": "clerk", "password": "nope-nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_lockout_after_repeated_failures(users, client, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "clerk", "password": "nope-nope"})
    response = client.post(reverse("login"), {"username": "clerk", "password": password})
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_address(users, client, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"), {"username": "clerk", "password": "x"}, REMOTE_ADDR="10.0.0.9"
        )
    response = client.post(reverse("login"), {"username": "clerk", "password": password})
    assert response.status_code == 302


def test_expired_session_says_so_on_the_login_page(users, client):
    client.cookies["sessionid"] = "expired-or-unknown"
    response = client.get(reverse("region-list"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "登录已过期" in response.content.decode()


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_session_is_not_written_on_every_request(users, login):
    client = login(users[Role.CLERK])
    client.get(reverse("region-list"))  # the first request after a login refreshes it
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("region-list")).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert writes == []


def test_session_expiry_is_pushed_back_once_the_refresh_interval_has_passed(users, login, settings):
    client = login(users[Role.CLERK])
    client.get(reverse("region-list"))
    session = client.session
    session[SESSION_REFRESHED_AT] -= settings.GONGYI_SESSION_REFRESH_SECONDS
    session.save()
    Session.objects.filter(pk=session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=1)
    )

    client.get(reverse("region-list"))

    left = session_row(client).expire_date - timezone.now()
    assert left > dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_session_ends_after_the_idle_timeout(users, login):
    client = login(users[Role.CLERK])
    client.get(reverse("region-list"))
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))

    response = client.get(reverse("region-list"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "登录已过期" in response.content.decode()


def test_anonymous_requests_leave_no_session(users, client):
    client.get(reverse("login"))
    client.get(reverse("region-list"))
    assert Session.objects.count() == 0


def test_logout_is_post_only(users, login):
    client = login(users[Role.CLERK])
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert (response.status_code, response.url) == (302, reverse("login"))
    assert AuditEntry.objects.filter(action=AuditAction.LOGOUT).count() == 1


@pytest.mark.parametrize("token", [None, "forged-token-value-123"])
def test_missing_or_forged_csrf_token_is_refused_in_chinese(users, password, token):
    client = Client(enforce_csrf_checks=True)
    data = {"username": "clerk", "password": password}
    if token:
        data["csrfmiddlewaretoken"] = token
    response = client.post(reverse("login"), data)
    assert response.status_code == 403
    assert "安全校验失败" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_api_token_then_token_auth(users, password):
    client = Client()
    response = client.post(
        reverse("api:api-token"),
        {"username": "clerk", "password": password},
        content_type="application/json",
    )
    token = response.json()["token"]
    me = client.get(reverse("api:api-me"), HTTP_AUTHORIZATION=f"Token {token}")
    assert me.json()["region"]["code"] == "370902001"
    assert AuditEntry.objects.filter(action=AuditAction.TOKEN).count() == 1


def test_api_token_wrong_password_is_400_in_chinese(users):
    response = Client().post(
        reverse("api:api-token"),
        {"username": "clerk", "password": "bad"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "用户名或密码不正确。"}


def test_api_token_failures_lock_out_like_the_login_page(users, password, settings):
    client = Client()
    url = reverse("api:api-token")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "clerk", "password": "bad"}, content_type="application/json")
    response = client.post(
        url, {"username": "clerk", "password": password}, content_type="application/json"
    )
    assert response.status_code == 429
    assert "锁定" in response.json()["detail"]


def test_api_accepts_browser_session(users, login):
    response = login(users[Role.VILLAGE]).get(reverse("api:api-me"))
    assert response.json()["username"] == "village"


def test_api_without_credentials_is_refused_in_chinese(users):
    response = Client().get(reverse("api:region-list"))
    assert response.status_code in (401, 403)
    assert "身份认证信息未提供" in response.json()["detail"]
