"""Settings and plans are written only by their services, which check every value; a bad value
stored past them (straight into the database) never takes a page down.

The attack cases of the demo county: a rural age limit of 99, an ID mask that shows 13 of the 18
characters, a mask head of "abc" stored directly (every people page a 500), a target below what
is allocated, and the admin changing any of them past the checks."""

import datetime as dt
import logging

import pytest
from django.urls import reverse

from gongyi.enums import Role
from gongyi.errors import DomainError
from gongyi.models import AuditEntry, PolicySetting
from gongyi.policy import POLICY_KEYS, policy_setting_set, policy_value, policy_values
from people.onboarding.enums import ApplicationState
from people.policy import ID_MASK_HEAD, ID_MASK_TAIL, RURAL_MAX_AGE
from posts import services
from posts.models import AnnualPlan
from tests.factories import PersonFactory, PostFactory, make_application

pytestmark = pytest.mark.django_db

DAY = dt.date(2021, 1, 1)


def stored(area, key, value) -> PolicySetting:
    """A row written past the service, as a database console or a migration could."""
    return PolicySetting.objects.create(
        county=area.county, key=key, value=value, effective_from=DAY
    )


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (RURAL_MAX_AGE, 99, "取值最大为 70。"),
        (RURAL_MAX_AGE, 15, "取值至少为 16。"),
        (ID_MASK_HEAD, 9, "取值最大为 6。"),  # with the tail's 4: 13 of 18 shown
        (ID_MASK_TAIL, 7, "取值最大为 4。"),  # with the head's 6: 13 of 18 shown
        (ID_MASK_HEAD, "abc", "请填写数字。"),
        (ID_MASK_HEAD, "6.5", "请填写数字。"),
        ("onboarding.required_opinions", 0, "取值至少为 1。"),
    ],
)
def test_policy_setting_set_refuses_a_value_out_of_the_rules_range(
    area, users, key, value, message
):
    with pytest.raises(DomainError) as refused:
        policy_setting_set(actor=users[Role.COUNTY], key=key, value=value, effective_from=DAY)
    assert refused.value.message == message
    assert (PolicySetting.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_settings_page_refuses_a_rural_age_limit_of_99(users, login):
    response = login(users[Role.COUNTY]).post(
        reverse("policy-settings"),
        {"key": RURAL_MAX_AGE, "value": "99", "effective_from": "2021-01-01"},
    )
    assert (response.status_code, "取值最大为 70。" in response.content.decode()) == (400, True)
    assert PolicySetting.objects.count() == 0


def test_every_key_has_a_range_that_holds_its_default():
    for policy in POLICY_KEYS.values():
        assert policy.maximum is not None, policy.key
        assert policy.minimum <= policy.default <= policy.maximum, policy.key


@pytest.mark.parametrize(
    ("key", "value"),
    [
        (ID_MASK_HEAD, "abc"),
        (ID_MASK_HEAD, 9),
        (ID_MASK_TAIL, -1),
        (ID_MASK_HEAD, True),
        (ID_MASK_HEAD, 6.5),
        (ID_MASK_HEAD, {"head": 6}),
        (ID_MASK_HEAD, [6]),
        (RURAL_MAX_AGE, 99),
    ],
)
def test_a_bad_stored_value_is_read_as_the_default_with_a_warning(area, caplog, key, value):
    stored(area, key, value)
    with caplog.at_level(logging.WARNING, logger="gongyi.policy"):
        assert policy_value("370902001", key) == POLICY_KEYS[key].default
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert key in caplog.records[0].getMessage()


def test_a_good_stored_value_is_read_as_it_is(area):
    stored(area, ID_MASK_HEAD, 3)
    assert policy_values("370902", [ID_MASK_HEAD, ID_MASK_TAIL]) == {
        ID_MASK_HEAD: 3,
        ID_MASK_TAIL: 4,
    }


@pytest.fixture
def county_with_people(area, users):
    """A person who applied to a post in a round of the township, and the round."""
    post = PostFactory(village=area.village, area_kind="rural", headcount=3)
    person = PersonFactory(village=area.village, name="王报名")
    application = make_application(
        person=person, post=post, state=ApplicationState.REVIEWED, round_status="published"
    )
    return application.round


@pytest.mark.parametrize("role", [Role.COUNTY, Role.CLERK])
def test_mask_head_abc_stored_directly_pages_still_answer(
    area, users, login, county_with_people, role
):
    stored(area, ID_MASK_HEAD, "abc")
    client = login(users[role])
    urls = [
        reverse("person-list"),
        reverse("api:person-list"),
        reverse("api:application-list"),
        reverse("round-detail", args=[county_with_people.pk]),
    ]
    answers = {url: client.get(url) for url in urls}
    assert {url: r.status_code for url, r in answers.items()} == dict.fromkeys(urls, 200)
    assert "王报名" in answers[reverse("person-list")].content.decode()


# --- plans ----------------------------------------------------------------------------------------


@pytest.fixture
def allocated_plan(area, users):
    plan = services.plan_save(actor=users[Role.COUNTY], year=2022, urban_target=10, rural_target=8)
    return services.plan_allocate(
        actor=users[Role.COUNTY], plan=plan, shares={area.township.pk: (6, 5)}
    )


def test_plan_save_refuses_a_target_below_what_is_allocated(allocated_plan, users):
    with pytest.raises(DomainError) as refused:
        services.plan_save(actor=users[Role.COUNTY], year=2022, urban_target=5, rural_target=8)
    allocated_plan.refresh_from_db()
    assert refused.value.message == "城镇分配合计 6 个，超过城镇目标 5 个。"
    assert (allocated_plan.urban_target, allocated_plan.rural_target) == (10, 8)


def test_plan_save_refuses_a_target_past_the_bound(area, users):
    with pytest.raises(DomainError):
        services.plan_save(actor=users[Role.COUNTY], year=2022, urban_target=10**12, rural_target=1)
    assert AnnualPlan.objects.count() == 0


# --- the admin shows, and changes nothing ---------------------------------------------------------


def admin_urls(model: str, obj) -> dict[str, str]:
    return {
        "add": reverse(f"admin:{model}_add"),
        "change": reverse(f"admin:{model}_change", args=[obj.pk]),
        "delete": reverse(f"admin:{model}_delete", args=[obj.pk]),
    }


def test_admin_cannot_add_change_or_delete_a_policy_setting(area, users, login):
    row = stored(area, ID_MASK_HEAD, 6)
    client = login(users[Role.ADMIN])
    urls = admin_urls("gongyi_policysetting", row)
    posted = {
        "county": area.county.pk,
        "key": ID_MASK_HEAD,
        "value": "13",
        "effective_from": "2021-01-01",
    }
    statuses = {name: client.post(url, posted).status_code for name, url in urls.items()}
    bulk = client.post(
        reverse("admin:gongyi_policysetting_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    row.refresh_from_db()
    assert statuses == {"add": 403, "change": 403, "delete": 403}
    assert bulk.status_code in (200, 302)
    assert (row.value, PolicySetting.objects.count()) == (6, 1)
    assert client.get(reverse("admin:gongyi_policysetting_changelist")).status_code == 200
    assert client.get(urls["change"]).status_code == 200  # shown, read-only


def test_admin_cannot_add_change_or_delete_a_plan(allocated_plan, area, users, login):
    client = login(users[Role.ADMIN])
    urls = admin_urls("posts_annualplan", allocated_plan)
    posted = {"county": area.county.pk, "year": 2022, "urban_target": 1, "rural_target": 1}
    statuses = {name: client.post(url, posted).status_code for name, url in urls.items()}
    allocated_plan.refresh_from_db()
    assert statuses == {"add": 403, "change": 403, "delete": 403}
    assert (allocated_plan.urban_target, allocated_plan.rural_target) == (10, 8)
