"""/api/v1/people/: list, create, retrieve, update, eligibility; same scoping as the pages."""

import datetime as dt

import pytest
from django.urls import reverse

from gongyi.enums import Role
from people.models import Person
from tests.factories import PersonFactory, PostFactory, add_group, id_number_for

pytestmark = pytest.mark.django_db

NUMBER = id_number_for(dt.date(1968, 2, 29), male=True, serial=7)


def payload(area, **kw):
    return {
        "name": "孙建国",
        "id_number": NUMBER,
        "registration": "local",
        "township": area.township.code,
        "village": area.village.code,
        "residence": "urban",
        **kw,
    }


def test_create_returns_the_fields_read_from_the_id_number(area, clerk, login):
    response = login(clerk).post(
        reverse("api:person-list"), payload(area), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("id_number", "sex", "birth_date", "retirement_category")} == {
        "id_number": NUMBER,
        "sex": "male",
        "birth_date": "1968-02-29",
        "retirement_category": "male_60",
    }
    # docs/policy.md §4: born 1968-02, men: a delay of (3×12+1)//4+1 = 10 months → 2028-12.
    assert body["retirement_date"] == "2028-12-29"
    assert body["target_groups"] == []


@pytest.mark.parametrize(
    "number", ["37090219680229001", "370902196802300011", "3.70902E+17", NUMBER[:-1] + "Y"]
)
def test_an_invalid_id_number_is_a_400_on_id_number(area, clerk, login, number):
    response = login(clerk).post(
        reverse("api:person-list"), payload(area, id_number=number), content_type="application/json"
    )
    assert response.status_code == 400
    assert "id_number" in response.json()
    assert Person.objects.count() == 0


def test_a_duplicate_is_a_400_on_id_number(area, clerk, login):
    PersonFactory(id_number=NUMBER, village=area.village)
    response = login(clerk).post(
        reverse("api:person-list"), payload(area), content_type="application/json"
    )
    assert response.status_code == 400
    assert "id_number" in response.json()
    assert Person.objects.count() == 1


def test_update_through_the_service(area, clerk, login):
    person = PersonFactory(village=area.village, male=True, born=dt.date(1968, 2, 29))
    response = login(clerk).patch(
        reverse("api:person-detail", args=[person.pk]),
        {"phone": "13805381234"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    person.refresh_from_db()
    assert person.phone == "13805381234"
    bad = login(clerk).patch(
        reverse("api:person-detail", args=[person.pk]),
        {"phone": "12"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "phone" in bad.json()


def test_list_masks_the_number_detail_shows_it_to_staff_only(area, users, login):
    person = PersonFactory(village=area.village)
    add_group(person, "poverty_alleviated")
    listed = login(users[Role.COUNTY]).get(reverse("api:person-list")).json()["results"][0]
    assert listed["id_number"] == person.id_number[:6] + "********" + person.id_number[-4:]
    assert listed["target_groups"][0]["code"] == "poverty_alleviated"
    detail = reverse("api:person-detail", args=[person.pk])
    assert login(users[Role.COUNTY]).get(detail).json()["id_number"] == person.id_number
    assert login(users[Role.VILLAGE]).get(detail).json()["id_number"] != person.id_number


def test_search_parameters(area, county, login):
    person = PersonFactory(village=area.village, name="钱多多")
    PersonFactory(village=area.village, name="别人")
    client = login(county)
    for q in ("钱", person.id_number[-6:], person.id_number):
        results = client.get(reverse("api:person-list"), {"q": q}).json()["results"]
        assert [r["name"] for r in results] == ["钱多多"], q


def test_eligibility_for_a_post_and_for_a_kind(area, clerk, login):
    person = PersonFactory(village=area.village)
    add_group(person, "poverty_alleviated")
    post = PostFactory(village=area.village, area_kind="rural")
    client = login(clerk)
    url = reverse("api:person-eligibility", args=[person.pk])
    body = client.get(url, {"post": post.pk}).json()
    assert (body["eligible"], body["area_kind"], body["post"]) == (True, "rural", post.pk)
    assert [r["code"] for r in body["rules"]] == [
        "target_group",
        "age",
        "placements",
        "subsidy_months",
        "on_post",
        "declaration",
        "external_data",  # the pre-placement check (audits registers it)
    ]
    urban = client.get(url, {"kind": "urban", "on": "2026-06-01"}).json()
    assert urban["eligible"] is False
    assert urban["rules"][0]["outcome"] == "fail"
    assert client.get(url).status_code == 400
    assert client.get(url, {"on": "yesterday", "kind": "rural"}).status_code == 400
    far_post = PostFactory(village=area.far_village)
    assert client.get(url, {"post": far_post.pk}).status_code == 400


def test_another_townships_person_is_404(area, clerk, login):
    far = PersonFactory(village=area.far_village)
    client = login(clerk)
    assert client.get(reverse("api:person-detail", args=[far.pk])).status_code == 404
    assert (
        client.get(reverse("api:person-eligibility", args=[far.pk]), {"kind": "rural"}).status_code
        == 404
    )


def test_village_committee_cannot_write(area, users, login):
    response = login(users[Role.VILLAGE]).post(
        reverse("api:person-list"), payload(area), content_type="application/json"
    )
    assert response.status_code == 403


def test_schema_lists_people_and_eligibility(county, login):
    schema = login(county).get(reverse("api-schema")).content.decode()
    assert "/api/v1/people/" in schema and "/api/v1/people/{id}/eligibility/" in schema
