"""The county's policy settings page (docs/policy.md §11: settings are data, per county,
effective-dated, editable by county staff)."""

import datetime as dt

import pytest
from django.urls import reverse

from gongyi.enums import Role
from gongyi.models import AuditEntry, PolicySetting
from gongyi.policy import policy_value

pytestmark = pytest.mark.django_db

KEY = "posts.vacant_days"


def test_settings_page_shows_the_value_in_force(users, login, area):
    PolicySetting.objects.create(
        county=area.county, key=KEY, value=120, effective_from=dt.date(2020, 1, 1)
    )
    PolicySetting.objects.create(
        county=area.other_county, key=KEY, value=30, effective_from=dt.date(2020, 1, 1)
    )
    body = login(users[Role.COUNTY]).get(reverse("policy-settings")).content.decode()
    assert ("120" in body, "山亭区" in body) == (True, False)


def test_county_sets_a_value_from_a_date_on_record(users, login, area):
    response = login(users[Role.COUNTY]).post(
        reverse("policy-settings"),
        {"key": KEY, "value": "45", "effective_from": "2021-01-01", "note": "县人社局通知"},
    )
    assert response.status_code == 302
    assert policy_value(area.county.code, KEY) == 45
    assert AuditEntry.objects.filter(object_type="gongyi.policysetting").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"key": KEY, "value": "abc", "effective_from": "2021-01-01"}, "请填写数字"),
        ({"key": KEY, "value": "-3", "effective_from": "2021-01-01"}, "不能为负数"),
        ({"key": "nope", "value": "3", "effective_from": "2021-01-01"}, "未知的设置项"),
        ({"key": KEY, "value": "3", "effective_from": "2021-13-01"}, "YYYY-MM-DD"),
    ],
)
def test_bad_setting_refused_in_chinese_nothing_saved(users, login, data, message):
    response = login(users[Role.COUNTY]).post(reverse("policy-settings"), data)
    assert (response.status_code, message in response.content.decode()) == (400, True)
    assert PolicySetting.objects.count() == 0


@pytest.mark.parametrize("role", [Role.CLERK, Role.VILLAGE, Role.REVIEWER])
def test_settings_page_refused_to_other_roles(role, users, login):
    assert login(users[role]).get(reverse("policy-settings")).status_code == 403


def test_admin_sees_but_cannot_set(users, login):
    client = login(users[Role.ADMIN])
    assert client.get(reverse("policy-settings")).status_code == 200
    response = client.post(
        reverse("policy-settings"), {"key": KEY, "value": "3", "effective_from": "2021-01-01"}
    )
    assert response.status_code == 403


def test_settings_page_names_sources_in_chinese_without_keys_or_file_names(users, login, area):
    PolicySetting.objects.create(
        county=area.county, key=KEY, value=120, effective_from=dt.date(2020, 1, 1)
    )
    body = login(users[Role.COUNTY]).get(reverse("policy-settings")).content.decode()
    assert "《山东省城乡公益性岗位“质效提升年”实施方案》第3条" in body
    assert "《劳动合同法》第六十八条" in body
    visible = body.replace(f'value="{KEY}"', "")  # the form's option values are keys, unseen
    for internal in (KEY, "RULES", "policy.md", "seed 00", "README"):
        assert internal not in visible


def test_every_setting_is_documented_in_the_policy_reference():
    """docs/policy.md §11 lists every registered setting, so the reference stays true."""
    from pathlib import Path

    from django.conf import settings

    from gongyi.policy import POLICY_KEYS

    text = (Path(settings.BASE_DIR) / "docs" / "policy.md").read_text(encoding="utf-8")
    section = text.split("## 11. ", 1)[1].split("\n## ", 1)[0]
    assert [key for key in sorted(POLICY_KEYS) if f"`{key}`" not in section] == []
