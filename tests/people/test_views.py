"""The registry's pages: post, then check the redirect, the database and the refusals of a wrong
method or role (STYLE.md "Tests")."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from gongyi.enums import AuditAction, Role
from gongyi.errors import DomainError
from gongyi.models import AuditEntry
from people.models import Person, PersonDocument, PersonGroup, RelativeDeclaration, TargetGroup
from tests.factories import PersonFactory, PostFactory, UserFactory, add_group, id_number_for
from tests.gongyi.test_scoping import under_review

pytestmark = pytest.mark.django_db

NUMBER = id_number_for(dt.date(1972, 8, 9), male=False, serial=5)


def form(area, **kw):
    return {
        "name": "刘桂兰",
        "id_number": NUMBER.lower(),
        "registration": "local",
        "township": area.township.pk,
        "village": area.village.pk,
        "residence": "rural",
        "account_kind": "card",
        "account_number": "6217000011112222333",
        "placements_used": 0,
        "subsidy_months_used": 0,
        **kw,
    }


def test_clerk_opens_a_file(area, clerk, login):
    response = login(clerk).post(reverse("person-create"), form(area))
    person = Person.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("person-detail", args=[person.pk])
    assert (person.id_number, person.sex, person.birth_date) == (
        NUMBER,
        "female",
        dt.date(1972, 8, 9),
    )


def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(area, clerk, login):
    response = login(clerk).post(
        reverse("person-create"), form(area, id_number=NUMBER[:-1] + "0", phone="12")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "校验位应为" in body
    assert Person.objects.count() == 0


def test_an_existing_number_in_the_area_opens_the_existing_file(area, clerk, login):
    person = PersonFactory(id_number=NUMBER, village=area.village)
    response = login(clerk).post(reverse("person-create"), form(area, name="另一人"))
    assert response.status_code == 302
    assert response.url == reverse("person-detail", args=[person.pk])
    assert Person.objects.count() == 1


def test_an_existing_number_elsewhere_says_who_keeps_it(area, clerk, login):
    PersonFactory(id_number=NUMBER, township=area.other_township, name="不可见")
    response = login(clerk).post(reverse("person-create"), form(area))
    body = response.content.decode()
    assert response.status_code == 400
    assert area.other_township.name in body and "不可见" not in body
    assert Person.objects.count() == 1


@pytest.mark.parametrize("role", [Role.VILLAGE, Role.REVIEWER, Role.ADMIN])
def test_only_clerks_and_the_county_open_files(role, area, users, login):
    client = login(users[role])
    assert client.get(reverse("person-create")).status_code == 403
    assert client.post(reverse("person-create"), form(area)).status_code == 403
    assert Person.objects.count() == 0


def test_the_list_masks_id_numbers_and_reads_the_same_few_queries(
    area, clerk, login, django_assert_max_num_queries, settings
):
    client = login(clerk)
    PersonFactory.create_batch(3, village=area.village)
    client.get(reverse("person-list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("person-list"))
    for person in PersonFactory.create_batch(60, village=area.village):
        add_group(person, "poverty_alleviated")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("person-list"))
    body = response.content.decode()
    person = Person.objects.order_by("region_code", "id").first()
    assert person.id_number not in body
    assert person.id_number[:6] + "********" + person.id_number[-4:] in body


@pytest.mark.parametrize(
    ("q", "found"),
    [("测试人甲", True), ("甲", False), ("TAIL4", True), ("FULL", True), ("0000", False)],
)
def test_search_by_name_beginning_id_tail_or_full_number(area, clerk, login, q, found):
    person = PersonFactory(village=area.village, name="测试人甲")
    PersonFactory(village=area.village, name="别人")
    q = {"TAIL4": person.id_number[-4:], "FULL": person.id_number.lower()}.get(q, q)
    response = login(clerk).get(reverse("person-list"), {"q": q})
    assert (person.name in response.content.decode()) is found


def test_search_by_group_village_and_eligibility(area, clerk, login):
    eligible = PersonFactory(village=area.village, name="可安置")
    add_group(eligible, "poverty_alleviated")
    too_old = PersonFactory(village=area.other_village, name="超龄者", born=dt.date(1950, 1, 1))
    add_group(too_old, "poverty_alleviated")
    client = login(clerk)
    group = TargetGroup.objects.get(code="poverty_alleviated")
    by_group = client.get(reverse("person-list"), {"group": group.pk}).content.decode()
    assert "可安置" in by_group and "超龄者" in by_group
    by_village = client.get(reverse("person-list"), {"village": area.village.code}).content.decode()
    assert "可安置" in by_village and "超龄者" not in by_village
    rural = client.get(reverse("person-list"), {"eligible_for": "rural"}).content.decode()
    assert "可安置" in rural and "超龄者" not in rural
    urban = client.get(reverse("person-list"), {"eligible_for": "urban"}).content.decode()
    assert "可安置" not in urban


def test_export_full_numbers_for_the_county_masked_for_a_village_and_logged(area, users, login):
    person = PersonFactory(village=area.village)
    for role, full in [(Role.COUNTY, True), (Role.VILLAGE, False)]:
        response = login(users[role]).get(reverse("person-list"), {"format": "xlsx"})
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [c.value for c in sheet[2]]
        assert (person.id_number in values) is full
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 2


def test_the_file_shows_full_numbers_to_staff_only(area, users, login):
    person = PersonFactory(village=area.village, account_number="6217000011112222333")
    under_review(person)  # a department reviewer reads the file from the re-review on
    for role, full_id, full_account in [
        (Role.CLERK, True, True),
        (Role.REVIEWER, True, False),
        (Role.VILLAGE, False, False),
    ]:
        body = login(users[role]).get(reverse("person-detail", args=[person.pk])).content.decode()
        assert (person.id_number in body) is full_id, role
        assert ("6217000011112222333" in body) is full_account, role
        assert "2025-05-01" in body or person.retirement_date.isoformat() in body


def test_the_file_checks_eligibility_for_a_chosen_post(area, clerk, login):
    person = PersonFactory(village=area.village)
    add_group(person, "poverty_alleviated")
    rural = PostFactory(village=area.village, area_kind="rural", title="护林岗")
    urban = PostFactory(village=area.village, area_kind="urban", title="网格岗")
    client = login(clerk)
    url = reverse("person-detail", args=[person.pk])
    assert 'data-verdict="eligible"' in client.get(url, {"post": rural.pk}).content.decode()
    body = client.get(url, {"post": urban.pk}).content.decode()
    assert 'data-verdict="not-eligible"' in body
    assert "脱贫享受政策人口" in body


def test_groups_declarations_and_documents_from_the_file(area, clerk, login):
    person = PersonFactory(village=area.village)
    client = login(clerk)
    group = TargetGroup.objects.get(code="rural_low_income")
    response = client.post(
        reverse("person-group-add", args=[person.pk]),
        {"group": group.pk, "recognised_on": "2021-05-01", "evidence": "民政局 2021-12 号"},
    )
    assert response.status_code == 302
    membership = PersonGroup.objects.get()
    assert membership.evidence == "民政局 2021-12 号"
    client.post(
        reverse("person-declaration-add", args=[person.pk]),
        {
            "relation": "spouse",
            "relative_name": "张某",
            "relative_kind": "cadre",
            "relative_post": "村委会委员",
            "declared_on": "2026-11-20",
        },
    )
    declaration = RelativeDeclaration.objects.get()
    client.post(
        reverse("person-document-add", args=[person.pk]),
        {"kind": "recognition", "file": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\nxx")},
    )
    document = PersonDocument.objects.get()
    body = client.get(reverse("person-detail", args=[person.pk])).content.decode()
    assert "农村低收入人口" in body and "张某" in body and "a.png" in body
    download = client.get(reverse("person-document", args=[document.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    client.post(
        reverse("person-declaration-withdraw", args=[person.pk, declaration.pk]),
        {"reason": "录入错误"},
    )
    client.post(
        reverse("person-group-remove", args=[person.pk, membership.pk]), {"reason": "录入错误"}
    )
    declaration.refresh_from_db()
    assert (declaration.status, PersonGroup.objects.count()) == ("withdrawn", 0)


def test_actions_refuse_get_wrong_roles_and_other_areas(area, users, login):
    person = PersonFactory(village=area.village)
    far = PersonFactory(village=area.far_village)
    clerk = login(users[Role.CLERK])
    url = reverse("person-group-add", args=[person.pk])
    assert clerk.get(url).status_code == 405
    group = TargetGroup.objects.get(code="rural_low_income")
    payload = {"group": group.pk, "recognised_on": "2021-05-01"}
    assert clerk.post(reverse("person-group-add", args=[far.pk]), payload).status_code == 404
    assert login(users[Role.VILLAGE]).post(url, payload).status_code == 403
    assert PersonGroup.objects.count() == 0


def test_documents_of_another_area_are_404(area, users, login):
    far = PersonFactory(village=area.far_village)
    other = UserFactory(username="far-clerk", role=Role.CLERK, region=area.other_township)
    login(other).post(
        reverse("person-document-add", args=[far.pk]),
        {"kind": "other", "file": SimpleUploadedFile("b.pdf", b"%PDF-1.4\n")},
    )
    document = PersonDocument.objects.get()
    assert (
        login(users[Role.CLERK]).get(reverse("person-document", args=[document.pk])).status_code
        == 404
    )
    assert (
        login(users[Role.VILLAGE]).get(reverse("person-document", args=[document.pk])).status_code
        == 403
    )


def test_groups_page_county_adds_clerk_reads(area, users, login):
    county = login(users[Role.COUNTY])
    response = county.post(
        reverse("target-group-list"),
        {"name": "受灾困难人员", "area": "both"},
    )
    assert response.status_code == 302
    assert TargetGroup.objects.filter(county=area.county, name="受灾困难人员").exists()
    assert 'name="code"' not in county.get(reverse("target-group-list")).content.decode()
    clerk = login(users[Role.CLERK])
    assert "受灾困难人员" in clerk.get(reverse("target-group-list")).content.decode()
    assert (
        clerk.post(reverse("target-group-list"), {"name": "y", "area": "both"}).status_code == 405
    )


def test_ranking_page_orders_the_townships_eligible_people(area, clerk, login):
    post = PostFactory(village=area.village, area_kind="rural")
    older = PersonFactory(village=area.village, name="年长者", born=dt.date(1964, 1, 1))
    younger = PersonFactory(village=area.village, name="年轻者", born=dt.date(1985, 1, 1))
    for person in (older, younger):
        add_group(person, "poverty_alleviated")
    add_group(PersonFactory(village=area.far_village, name="外乡人"), "poverty_alleviated")
    body = login(clerk).get(reverse("person-ranking"), {"post": post.pk}).content.decode()
    assert body.index("年长者") < body.index("年轻者")
    assert "外乡人" not in body
    assert _("Same group, younger: %(age)s years old.") % {"age": 41} in body


@pytest.mark.parametrize(
    ("query", "status"), [({"group": "²"}, 200), ({"q": "\x00"}, 400), ({"residence": "\x00"}, 400)]
)
def test_odd_query_parameters_are_not_errors(area, clerk, login, query, status):
    """An unknown value is ignored; a control character is refused with the reason."""
    PersonFactory(village=area.village)
    assert login(clerk).get(reverse("person-list"), query).status_code == status
    assert login(clerk).get(reverse("api:person-list"), query).status_code == status


def test_lifetime_counts_are_corrected_by_the_county_only(area, users, login):
    person = PersonFactory(village=area.village, placements_used=1, subsidy_months_used=30)
    data = form(area, id_number=person.id_number, name=person.name, placements_used=0)
    login(users[Role.CLERK]).post(reverse("person-edit", args=[person.pk]), data)
    person.refresh_from_db()
    assert person.placements_used == 1  # the field is read-only for a clerk
    from people.services import person_update

    with pytest.raises(DomainError):
        person_update(actor=users[Role.CLERK], person=person, placements_used=0)
    person_update(actor=users[Role.COUNTY], person=person, placements_used=0)
    person.refresh_from_db()
    assert person.placements_used == 0


def test_village_committees_do_not_see_document_names(area, users, login):
    person = PersonFactory(village=area.village)
    login(users[Role.CLERK]).post(
        reverse("person-document-add", args=[person.pk]),
        {"kind": "id_card", "file": SimpleUploadedFile("周敏身份证.pdf", b"%PDF-1.4\n")},
    )
    village = login(users[Role.VILLAGE]).get(reverse("person-detail", args=[person.pk]))
    assert "周敏身份证" not in village.content.decode()
