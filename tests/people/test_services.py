"""The registry's services: one file per ID number, values read from it, every change on record,
and refusals that leave the data as it was."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongyi.enums import Role
from gongyi.errors import DomainError
from gongyi.models import AuditEntry
from people import services
from people.models import Person, PersonDocument, PersonGroup, RelativeDeclaration, TargetGroup
from tests.factories import PersonFactory, UserFactory, id_number_for

pytestmark = pytest.mark.django_db

WOMAN_1971 = id_number_for(dt.date(1971, 4, 15), male=False, serial=3)


def data(area, **kw):
    return {
        "name": "王秀英",
        "id_number": WOMAN_1971,
        "registration": "local",
        "township": area.township,
        "village": area.village,
        "residence": "urban",
        "account_kind": "card",
        "account_number": "6217000000000000123",
        **kw,
    }


def test_create_reads_sex_birth_and_retirement_from_the_id_number(area, clerk):
    person = services.person_create(actor=clerk, **data(area))
    assert (person.sex, person.birth_date) == ("female", dt.date(1971, 4, 15))
    assert person.retirement_category == "female_50"  # the default for women (docs/policy.md §4)
    assert person.region_code == area.village.code
    cadre = services.person_update(actor=clerk, person=person, retirement_category="female_55")
    assert cadre.retirement_date == dt.date(2026, 8, 15)  # docs/policy.md §4's check: 2026-08
    entries = AuditEntry.objects.filter(object_type="people.person", object_pk=str(person.pk))
    assert list(entries.order_by("seq").values_list("action", flat=True)) == ["create", "update"]


def test_lower_case_x_and_15_digit_numbers_are_stored_as_18_upper_case(area, clerk):
    first17 = "37090219800101002"
    from people.idnumbers import check_character

    number = first17 + check_character(first17)
    typed = number[:-1] + "x" if number.endswith("X") else number
    person = services.person_create(actor=clerk, **data(area, id_number=typed))
    assert person.id_number == number
    legacy = services.person_create(
        actor=clerk, **data(area, id_number="370902800101003", name="李四")
    )
    assert legacy.id_number.startswith("37090219800101003") and len(legacy.id_number) == 18


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "请填写身份证号。"),
        ("37090219710415", "此号码为 14 位"),
        ("37090219710415002A", "身份证号前17位应为数字"),
        ("370902197102300021", "出生日期 19710230 不存在"),
        ("370902209901010021", "出生日期 2099-01-01 晚于今天"),
        ("3.70902E+17", "Excel 已把身份证号变成了数字"),
    ],
)
def test_bad_id_numbers_are_refused_on_the_field(area, clerk, number, message):
    with pytest.raises(DomainError) as caught:
        services.person_create(actor=clerk, **data(area, id_number=number))
    assert message in caught.value.field_errors["id_number"]
    assert Person.objects.count() == 0


def test_a_wrong_check_character_names_the_right_one(area, clerk):
    wrong = WOMAN_1971[:-1] + ("0" if WOMAN_1971[-1] != "0" else "1")
    with pytest.raises(DomainError) as caught:
        services.person_create(actor=clerk, **data(area, id_number=wrong))
    assert caught.value.field_errors["id_number"] == f"校验位应为 {WOMAN_1971[-1]}。"


def test_an_id_number_in_the_area_leads_to_the_existing_file(area, clerk):
    person = services.person_create(actor=clerk, **data(area))
    with pytest.raises(DomainError) as caught:
        services.person_create(actor=clerk, **data(area, name="王秀英二"))
    assert caught.value.existing.person == person
    assert Person.objects.count() == 1


def test_an_id_number_kept_elsewhere_says_only_where(area, clerk, users):
    other = UserFactory(
        username="other-clerk",
        role=Role.CLERK,
        region=area.other_county.children.get(),
    )
    services.person_create(
        actor=other,
        **data(area, township=other.region, village=None, name="赵六"),
    )
    with pytest.raises(DomainError) as caught:
        services.person_create(actor=clerk, **data(area))
    message = caught.value.field_errors["id_number"]
    assert "徐庄镇" in message and "山亭区" in message
    assert "赵六" not in message
    assert caught.value.existing.person is None
    assert Person.objects.count() == 1


def test_the_database_refuses_a_second_file_whatever_the_service_missed(area, clerk):
    person = services.person_create(actor=clerk, **data(area))
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(id_number=person.id_number, village=area.village)


def test_a_clerk_cannot_open_a_file_in_another_township(area, clerk):
    with pytest.raises(DomainError) as caught:
        services.person_create(
            actor=clerk, **data(area, township=area.other_township, village=area.far_village)
        )
    assert caught.value.field_errors["township"] == _("Not found, or outside your area.")
    assert Person.objects.count() == 0


def test_the_retirement_category_must_fit_the_sex(area, clerk):
    with pytest.raises(DomainError) as caught:
        services.person_create(actor=clerk, **data(area, retirement_category="male_60"))
    assert "retirement_category" in caught.value.field_errors


def test_disability_certificate_is_the_id_number_and_kind_and_grade(area, clerk):
    person = services.person_create(
        actor=clerk, **data(area, disability_certificate=WOMAN_1971 + "42")
    )
    assert person.disability_grade == 2
    for certificate, grade in [
        (WOMAN_1971 + "4", None),
        ("370902198001010011" + "42", None),
        (WOMAN_1971 + "85", None),
        (WOMAN_1971 + "42", 3),
    ]:
        with pytest.raises(DomainError):
            services.person_update(
                actor=clerk,
                person=person,
                disability_certificate=certificate,
                disability_grade=grade,
            )
    person.refresh_from_db()
    assert person.disability_grade == 2


def test_a_corrected_id_number_changes_sex_and_birth(area, clerk):
    person = services.person_create(actor=clerk, **data(area))
    man = id_number_for(dt.date(1966, 1, 5), male=True, serial=9)
    person = services.person_update(actor=clerk, person=person, id_number=man)
    assert (person.sex, person.birth_date, person.retirement_category) == (
        "male",
        dt.date(1966, 1, 5),
        "male_60",
    )


def test_membership_needs_a_real_recognition_date_and_once_per_group(area, clerk):
    person = PersonFactory(village=area.village)
    group = TargetGroup.objects.get(code="poverty_alleviated")
    for day in (dt.date(2099, 1, 1), dt.date(1960, 1, 1)):
        with pytest.raises(DomainError):
            services.membership_add(actor=clerk, person=person, group=group, recognised_on=day)
    services.membership_add(
        actor=clerk,
        person=person,
        group=group,
        recognised_on=dt.date(2021, 3, 1),
        evidence="扶贫办",
    )
    with pytest.raises(DomainError):
        services.membership_add(
            actor=clerk, person=person, group=group, recognised_on=dt.date(2021, 3, 1)
        )
    membership = PersonGroup.objects.get()
    with pytest.raises(DomainError):
        services.membership_remove(actor=clerk, membership=membership, reason=" ")
    services.membership_remove(actor=clerk, membership=membership, reason="录入错误")
    assert PersonGroup.objects.count() == 0
    assert AuditEntry.objects.filter(object_type="people.persongroup").count() == 2


def test_a_county_adds_its_own_group_and_a_clerk_cannot(area, county, clerk):
    group = services.target_group_create(
        actor=county, name="受灾困难人员", area="both", priority=None
    )
    assert group.county == area.county
    assert group.code == services.group_code_for(area.county.code, "受灾困难人员")
    with pytest.raises(DomainError):
        services.target_group_create(actor=county, name=" 受灾困难人员", area="rural")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.target_group_create(actor=clerk, name="其他", area="rural")


def test_a_groups_code_is_made_from_its_name_and_fits_the_code_field():
    code = services.group_code_for("370902", "受灾困难人员")

    assert code == services.group_code_for("370902", " 受灾困难人员 ")
    assert code != services.group_code_for("370902", "受灾人员")
    assert re.fullmatch(r"c370902_[0-9a-f]{10}", code)


def test_declarations_are_recorded_and_withdrawn_only_undecided(area, clerk):
    person = PersonFactory(village=area.village)
    declaration = services.declaration_add(
        actor=clerk,
        person=person,
        relation="sibling",
        relative_name="张三",
        relative_kind="cadre",
        relative_post="某村党支部书记",
        declared_on=dt.date(2026, 11, 1),
    )
    with pytest.raises(DomainError):
        services.declaration_add(
            actor=clerk,
            person=person,
            relation="cousin",
            relative_name="",
            relative_kind="cadre",
            relative_post="",
            declared_on=dt.date(2099, 1, 1),
        )
    RelativeDeclaration.objects.filter(pk=declaration.pk).update(status="filed")
    declaration.refresh_from_db()
    with pytest.raises(DomainError):
        services.declaration_withdraw(actor=clerk, declaration=declaration, reason="错了")
    assert RelativeDeclaration.objects.count() == 1


def test_documents_are_checked_by_their_bytes_not_their_name(area, clerk):
    person = PersonFactory(village=area.village)
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError):
        services.document_add(actor=clerk, person=person, kind="id_card", upload=fake)
    pdf = SimpleUploadedFile("身份证 370902.pdf", b"%PDF-1.4\n%test\n", content_type="text/plain")
    document = services.document_add(actor=clerk, person=person, kind="id_card", upload=pdf)
    assert document.content_type == "application/pdf"
    assert "370902" not in document.file.name  # stored under a random name
    assert PersonDocument.objects.count() == 1
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(DomainError):
        services.document_add(actor=clerk, person=person, kind="other", upload=big)
    assert PersonDocument.objects.count() == 1
