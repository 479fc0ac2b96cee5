"""A field a role may not set is refused with the reason, never silently replaced."""

import pytest
from django.urls import reverse

from people.onboarding.models import Round
from tests.onboarding.test_api import post_json, round_payload

pytestmark = pytest.mark.django_db


def test_a_clerks_round_for_another_township_is_a_400_with_the_reason(area, clerk, post, login):
    response = post_json(
        login(clerk),
        reverse("api:round-list"),
        round_payload(post, township=area.other_township.code),
    )
    assert response.status_code == 400
    assert response.json()["township"] == [
        "乡镇（街道）经办人只能发布本乡镇（街道）的招聘公告（岱庙街道）。"
    ]
    assert Round.objects.count() == 0


def test_a_clerk_may_name_the_own_township(area, clerk, post, login):
    response = post_json(
        login(clerk), reverse("api:round-list"), round_payload(post, township=area.township.code)
    )
    assert (response.status_code, response.json()["township"]) == (201, area.township.code)


def test_a_field_no_request_sets_is_a_400_naming_it(area, clerk, post, login):
    client = login(clerk)
    created = post_json(
        client, reverse("api:round-list"), round_payload(post, status="published", id=999)
    )
    assert created.status_code == 400
    assert set(created.json()) == {"status", "id"}
    assert Round.objects.count() == 0


def test_sending_back_what_was_read_is_not_refused(area, clerk, post, login):
    client = login(clerk)
    body = post_json(client, reverse("api:round-list"), round_payload(post)).json()
    body["title"] = "改过的标题"
    url = reverse("api:round-detail", args=[body["id"]])
    response = client.put(url, body, content_type="application/json")
    assert (response.status_code, response.json()["title"]) == (200, "改过的标题")
    body["status"] = "published"
    refused = client.put(url, body, content_type="application/json")
    assert (refused.status_code, list(refused.json())) == (400, ["status"])
    assert Round.objects.get().status == "draft"
