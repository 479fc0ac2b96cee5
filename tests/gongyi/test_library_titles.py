"""The libraries' pages a county officer reads: the admin's login-lockout section and the API
docs, in Chinese."""

import pytest

from gongyi.enums import Role

pytestmark = pytest.mark.django_db


def test_admin_index_names_the_login_lockouts_in_chinese(login, users):
    response = login(users[Role.ADMIN]).get("/admin/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "登录锁定" in text
    assert "Access attempts" not in text
    assert "Axes" not in text


def test_admin_access_log_rows_are_named_in_chinese(login, users, client):
    client.post("/login/", {"username": users[Role.CLERK].username, "password": "wrong"})

    response = login(users[Role.ADMIN]).get("/admin/axes/accessattempt/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "选择此记录：clerk，" in text
    assert "Attempted Access" not in text


def test_api_docs_page_has_a_chinese_title(login, users):
    response = login(users[Role.COUNTY]).get("/api/docs/")

    assert response.status_code == 200
    assert "<title>城乡公益性岗位管理系统接口</title>" in response.content.decode()
