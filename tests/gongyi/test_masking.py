"""Full personal numbers only to the roles that need them, on every surface (docs/policy.md §9)."""

import datetime as dt

import pytest
from django.urls import reverse

from gongyi.enums import Role
from gongyi.masking import mask_text, sees_in_full
from gongyi.models import PolicySetting
from people.masking import id_mask_rule
from people.models import Person
from tests.factories import PersonFactory, PostFactory, id_number_for, make_application

pytestmark = pytest.mark.django_db

NUMBER = id_number_for(dt.date(1972, 8, 9), male=False, serial=5)
ACCOUNT = "6217000011112222333"
PHONE = "13805381234"


@pytest.fixture
def person(area, users):
    from people.services import person_create

    return person_create(
        actor=users[Role.CLERK],
        name="周敏",
        id_number=NUMBER,
        registration="local",
        township=area.township,
        village=area.village,
        residence="rural",
        account_number=ACCOUNT,
        phone=PHONE,
    )


def full_numbers_in(text: str) -> set[str]:
    return {n for n in (NUMBER, ACCOUNT, PHONE) if n in text}


def test_one_function_decides_per_role_and_field():
    readers = {
        field: {role for role in Role if sees_in_full(_Reader(role), Person, field)}
        for field in ("id_number", "account_number", "phone", "name")
    }
    assert readers == {
        "id_number": {Role.CLERK, Role.COUNTY, Role.REVIEWER},
        "account_number": {Role.CLERK, Role.COUNTY},
        "phone": {Role.CLERK, Role.COUNTY, Role.VILLAGE},
        "name": set(Role),
    }


class _Reader:
    is_authenticated = True

    def __init__(self, role):
        self.role = role


def test_administrator_paging_the_audit_api_reads_no_full_number(person, users, login):
    client = login(users[Role.ADMIN])
    url, bodies = reverse("api:audit-entry-list"), []
    while url:
        body = client.get(url).json()
        bodies.append(str(body["results"]))
        url = body["next"]
    text = "".join(bodies)
    assert full_numbers_in(text) == set()
    assert NUMBER[-4:] in text and "周敏" in text


def test_the_county_still_reads_full_numbers_in_the_audit_api(person, users, login):
    body = login(users[Role.COUNTY]).get(reverse("api:audit-entry-list")).json()
    assert full_numbers_in(str(body["results"])) == {NUMBER, ACCOUNT, PHONE}


def test_administrator_audit_log_and_admin_pages_show_no_full_number(person, users, login):
    from gongyi.models import AuditEntry

    client = login(users[Role.ADMIN])
    entry = AuditEntry.objects.get(object_type="people.person", object_pk=str(person.pk))
    pages = [
        reverse("audit-log"),
        reverse("object-history", args=["people.person", person.pk]),
        reverse("admin:gongyi_auditentry_changelist"),
        reverse("admin:gongyi_auditentry_change", args=[entry.pk]),
        reverse("admin:people_person_change", args=[person.pk]),
        reverse("person-detail", args=[person.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert full_numbers_in(response.content.decode()) == set(), url
    change_page = client.get(pages[3]).content.decode()
    assert NUMBER[-4:] in change_page and "周敏" in change_page
    assert NUMBER[::-1] not in change_page  # the reversed copy for search is not on record


def test_the_county_reads_full_numbers_in_history_and_on_the_file(person, users, login):
    client = login(users[Role.COUNTY])
    for url in (
        reverse("object-history", args=["people.person", person.pk]),
        reverse("person-detail", args=[person.pk]),
    ):
        assert full_numbers_in(client.get(url).content.decode()) == {NUMBER, ACCOUNT, PHONE}
    assert NUMBER in client.get(reverse("audit-log")).content.decode()


def test_a_reviewer_reads_the_id_number_but_not_the_phone_or_account(person, users, login):
    # A reviewer reads only people at or past the re-review (docs/security.md).
    make_application(person=person, post=PostFactory(village=person.village), state="reviewed")
    body = login(users[Role.REVIEWER]).get(reverse("api:person-detail", args=[person.pk])).json()
    assert (body["id_number"], body["account_number"], body["phone"]) == (
        NUMBER,
        mask_text(ACCOUNT),
        mask_text(PHONE),
    )


@pytest.mark.parametrize(
    ("head", "tail", "expected"),
    [
        ("abc", 4, (6, 4)),  # not a number: the rule's default
        (13, 4, (6, 4)),  # more than the rule allows
        (-3, "", (6, 4)),  # below the rule's range: the default
        ({"x": 1}, [2], (6, 4)),
        (3, 2, (3, 2)),
    ],
)
def test_a_bad_stored_mask_setting_is_clamped_to_the_rule(area, head, tail, expected):
    for key, value in (("people.id_mask_head", head), ("people.id_mask_tail", tail)):
        PolicySetting.objects.create(
            county=area.county, key=key, value=value, effective_from=dt.date(2020, 1, 1)
        )
    assert id_mask_rule(area.county.code) == expected


def test_a_bad_stored_mask_setting_takes_no_page_down(area, users, login):
    PersonFactory(village=area.village)
    PolicySetting.objects.create(
        county=area.county,
        key="people.id_mask_head",
        value="abc",
        effective_from=dt.date(2020, 1, 1),
    )
    for role in (Role.CLERK, Role.COUNTY, Role.VILLAGE):
        client = login(users[role])
        assert client.get(reverse("person-list")).status_code == 200
        assert client.get(reverse("api:person-list")).status_code == 200


@pytest.mark.parametrize(
    ("value", "head", "tail", "shown"),
    [
        ("370902197208090054", 6, 4, "370902********0054"),
        ("1234", 6, 4, "****"),
        ("370902197208090054", "x", None, "******************"),
        (None, 0, 4, ""),
    ],
)
def test_mask_text_never_fails(value, head, tail, shown):
    assert mask_text(value, head=head, tail=tail) == shown
