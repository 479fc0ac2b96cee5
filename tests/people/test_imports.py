"""Importing a roster from Excel (``people.imports``): check the whole file, then the good rows or
nothing. Files are real .xlsx workbooks written with openpyxl; the jobs run as the worker runs
them (``job_execute``) and the pages let them run when the request's transaction commits."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from gongyi.enums import AuditAction, Role
from gongyi.errors import DomainError
from gongyi.jobs import job_execute, job_start
from gongyi.models import AuditEntry, Job, JobStatus
from people.imports import person_import_check, person_import_commit
from people.models import Person, PersonGroup
from people.resources import PERSON_COLUMNS, file_headers
from tests.factories import PersonFactory, RegionFactory, UserFactory, id_number_for

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KEYS = [c.key for c in PERSON_COLUMNS]
HEADERS = dict(zip(KEYS, file_headers(), strict=True))
WOMAN = id_number_for(dt.date(1975, 5, 1), male=False, serial=1)
MAN = id_number_for(dt.date(1968, 3, 9), male=True, serial=2)


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return str(_(text))


#: A good row, by column key, as a township fills it in (Chinese labels for choices).
GOOD = {
    "name": "王秀英",
    "id_number": WOMAN,
    "phone": "13805381234",
    "registration": None,  # filled in below (the label of Registration.LOCAL)
    "township": "岱庙街道",
    "village": "甲社区",
    "residence": "乡村",
    "retirement_category": None,
    "account_kind": None,
    "account_number": "6217000012345678901",
    "bank_name": "泰安农商银行",
    "dibao_family": "是",
    "zero_employment_family": "否",
    "disability_certificate": None,
    "disability_grade": None,
    "groups": "农村低收入人口、农村大龄人员",
    "recognised_on": "2021-03-01",
    "evidence": "民政认定",
    "placements_used": 0,
    "subsidy_months_used": 0,
}


@pytest.fixture(autouse=True)
def _labels():
    from people.enums import Registration

    with translation.override("zh-hans"):
        GOOD["registration"] = str(Registration.LOCAL.label)


@pytest.fixture
def clerk(users):
    return users[Role.CLERK]


@pytest.fixture
def county(users):
    return users[Role.COUNTY]


CN_DIGITS = str.maketrans("0123456789", "零一二三四五六七八九")


def row(**changes) -> list:
    values = GOOD | changes
    return [values[key] for key in KEYS]


def person(n: int, **changes) -> list:
    """A good row of its own: another ID number and name."""
    born = dt.date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
    return row(
        id_number=id_number_for(born, male=n % 2 == 1, serial=n),
        name="测试" + str(n).translate(CN_DIGITS),
        **changes,
    )


def xlsx(rows, headers=None, merge=()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(file_headers() if headers is None else headers)
    for values in rows:
        sheet.append(values)
    for ref in merge:
        sheet.merge_cells(ref)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def errors_of(result) -> list[tuple]:
    return [(e.row, e.column, e.message) for e in result.errors]


def refusal(actor, data) -> str:
    with pytest.raises(DomainError) as exc:
        person_import_check(actor=actor, data=data)
    return exc.value.message


def counts() -> tuple[int, int, int]:
    return Person.objects.count(), PersonGroup.objects.count(), AuditEntry.objects.count()


def check_job(actor, data: bytes, name: str = "名册.xlsx") -> Job:
    job = job_start(actor=actor, kind="people.import_check", payload=data, file_name=name)
    job_execute(job.pk)
    job.refresh_from_db()
    return job


def commit_job(actor, check: Job) -> Job:
    return job_start(actor=actor, kind="people.import_commit", params={"check_job": check.pk})


# --- the check and the commit -------------------------------------------------------------------


def test_import_good_file_opens_a_file_per_row_with_its_groups(area, clerk):
    data = xlsx([row(), row(**{"id_number": MAN, "name": "李建国", "village": None})])

    result = person_import_commit(actor=clerk, data=data, file_name="名册.xlsx")

    woman, man = Person.objects.order_by("pk")
    assert (result.rows, len(result.good), result.errors) == (2, 2, [])
    assert [
        (p.name, p.id_number, p.sex, p.region_code, p.retirement_category, p.account_kind)
        for p in (woman, man)
    ] == [
        ("王秀英", WOMAN, "female", "370902001001", "female_50", "card"),
        ("李建国", MAN, "male", "370902001", "male_60", "card"),
    ]
    assert (woman.birth_date, woman.dibao_family, woman.zero_employment_family) == (
        dt.date(1975, 5, 1),
        True,
        False,
    )
    assert sorted(
        PersonGroup.objects.values_list("person__name", "group__code", "recognised_on", "evidence")
    ) == [
        ("李建国", "rural_low_income", dt.date(2021, 3, 1), "民政认定"),
        ("李建国", "rural_older", dt.date(2021, 3, 1), "民政认定"),
        ("王秀英", "rural_low_income", dt.date(2021, 3, 1), "民政认定"),
        ("王秀英", "rural_older", dt.date(2021, 3, 1), "民政认定"),
    ]
    assert Person.objects.get(pk=woman.pk).id_reversed == WOMAN[::-1]


def test_import_audits_every_file_and_membership_and_the_import(area, clerk):
    person_import_commit(actor=clerk, data=xlsx([row()]), file_name="岱庙名册.xlsx")

    created = AuditEntry.objects.filter(action=AuditAction.CREATE).order_by("seq")
    woman = Person.objects.get()
    groups = dict(PersonGroup.objects.values_list("group__code", "group_id"))
    assert [(e.object_type, e.object_pk, e.region_code, e.note) for e in created] == [
        ("people.person", str(woman.pk), "370902001001", "导入")
    ]
    assert created[0].changes["id_number"] == [None, WOMAN]
    assert created[0].changes["target_groups"] == [
        None,
        [
            {"group": groups[code], "recognised_on": "2021-03-01", "evidence": "民政认定"}
            for code in ("rural_low_income", "rural_older")
        ],
    ]
    imports = AuditEntry.objects.filter(action=AuditAction.IMPORT)
    assert [(e.object_repr, e.note, e.region_code) for e in imports] == [
        ("岱庙名册.xlsx", "导入人员档案 1 份，未导入 0 行。", "370902001")
    ]


def test_import_check_writes_nothing(area, clerk):
    result = person_import_check(actor=clerk, data=xlsx([row(), person(3)]))

    assert (len(result.good), counts()) == (2, (0, 0, 0))


def test_import_choices_may_be_codes_and_optional_cells_empty(area, clerk):
    data = xlsx(
        [
            row(
                registration="local",
                residence="urban",
                account_kind="bank",
                township="370902001",
                village=370902001002,
                dibao_family=None,
                zero_employment_family=None,
                groups=None,
                recognised_on=None,
                evidence=None,
                phone=None,
                placements_used=None,
            )
        ]
    )

    result = person_import_commit(actor=clerk, data=data)

    saved = Person.objects.get()
    assert result.errors == []
    assert (saved.registration, saved.residence, saved.account_kind, saved.village) == (
        "local",
        "urban",
        "bank",
        area.other_village,
    )
    assert (saved.dibao_family, saved.placements_used, PersonGroup.objects.count()) == (False, 0, 0)


def test_import_labels_of_every_choice_are_accepted(area, clerk):
    from people.enums import AccountKind
    from people.retirement import RetirementCategory

    with translation.override("zh-hans"):
        cadre = str(RetirementCategory.FEMALE_55.label)
        bank = str(AccountKind.BANK.label)
    data = xlsx([row(retirement_category=cadre, account_kind=bank)])

    result = person_import_check(actor=clerk, data=data)

    saved = result.good[0].values
    assert (result.errors, saved["retirement_category"], saved["account_kind"]) == (
        [],
        "female_55",
        "bank",
    )


def test_import_disability_grade_words_and_digits(area, clerk):
    certificate = WOMAN + "22"
    data = xlsx(
        [
            row(disability_certificate=certificate, disability_grade="二级"),
            person(5, disability_certificate=None, disability_grade=None),
        ]
    )

    result = person_import_check(actor=clerk, data=data)

    assert (result.errors, result.good[0].values["disability_grade"]) == ([], 2)


def test_import_dates_as_text_in_every_office_format(area, clerk):
    formats = ["2020-03-01", "2020/3/1", "2020.3.1", "20200301", 20200301, "2020年3月1日"]
    rows = [person(n, recognised_on=text) for n, text in enumerate(formats)]
    rows.append(person(9, recognised_on=dt.datetime(2020, 3, 1)))

    result = person_import_check(actor=clerk, data=xlsx(rows))

    assert result.errors == []
    assert {r.recognised_on for r in result.good} == {dt.date(2020, 3, 1)}


def test_import_empty_rows_are_skipped_and_reported(area, clerk):
    data = xlsx([row(), [None] * len(KEYS), person(4), ["", "  ", None], person(5)])

    result = person_import_check(actor=clerk, data=data)

    assert (result.rows, len(result.good), result.empty_rows, result.errors) == (3, 3, [3, 5], [])


def test_import_county_may_import_for_every_township(area, county):
    data = xlsx([row(), person(7, township="省庄镇", village="丙村")])

    result = person_import_commit(actor=county, data=data)

    assert result.errors == []
    assert sorted(Person.objects.values_list("region_code", flat=True)) == [
        "370902001001",
        "370902100200",
    ]


def test_import_refused_to_village_and_reviewer(area, users):
    for role in (Role.VILLAGE, Role.REVIEWER):
        with pytest.raises(PermissionDenied):
            person_import_check(actor=users[role], data=xlsx([row()]))


def test_import_queries_do_not_grow_with_the_rows(area, clerk):
    PersonFactory(village=area.village, id_number=id_number_for(dt.date(1970, 1, 1), male=True))

    def queries_for(n: int, offset: int) -> int:
        data = xlsx([person(offset + i) for i in range(n)])
        with CaptureQueriesContext(connection) as queries:
            result = person_import_commit(actor=clerk, data=data)
        assert result.errors == []
        return len(queries)

    assert queries_for(10, 0) == queries_for(200, 100)
    assert (Person.objects.count(), PersonGroup.objects.count()) == (211, 420)


# --- duplicates ---------------------------------------------------------------------------------


def test_import_duplicates_inside_the_file(area, clerk):
    spaced = f"{WOMAN[:6]} {WOMAN[6:14]} {WOMAN[14:]}"
    data = xlsx([row(), person(3), row(name="王秀英二"), row(id_number=spaced)])

    result = person_import_check(actor=clerk, data=data)

    assert errors_of(result) == [
        (4, "身份证号", "与第 2 行身份证号相同。"),
        (5, "身份证号", "与第 2 行身份证号相同。"),
    ]
    assert [r.number for r in result.good] == [2, 3]


def test_import_duplicate_of_a_file_in_the_area(area, clerk):
    PersonFactory(village=area.other_village, id_number=WOMAN, name="王秀英")

    result = person_import_check(actor=clerk, data=xlsx([row(), person(3)]))

    assert errors_of(result) == [(2, "身份证号", "王秀英 在您辖区已有档案，不再重复导入。")]
    assert len(result.good) == 1


def test_import_duplicate_of_a_file_in_another_county_names_only_where_to_ask(area, clerk):
    far = RegionFactory(code="370406106")
    PersonFactory(township=far, id_number=WOMAN, name="保密姓名")

    result = person_import_check(actor=clerk, data=xlsx([row()]))

    message = "此身份证号已有档案，由徐庄镇（山亭区）管理。请联系该乡镇（街道），不另建档案。"
    assert errors_of(result) == [(2, "身份证号", message)]
    assert "保密姓名" not in str(result.as_dict())


def test_import_duplicate_in_another_township_of_the_county(area, clerk):
    PersonFactory(village=area.far_village, id_number=WOMAN, name="保密姓名")

    result = person_import_check(actor=clerk, data=xlsx([row()]))

    assert errors_of(result)[0][2].startswith("此身份证号已有档案，由省庄镇（泰山区）管理")


# --- the jobs -----------------------------------------------------------------------------------


def test_import_jobs_check_then_commit(area, clerk):
    check = check_job(clerk, xlsx([row(), person(3, residence="城市")]))
    commit = commit_job(clerk, check)

    job_execute(commit.pk)

    commit.refresh_from_db()
    check.refresh_from_db()
    assert (check.status, check.result["valid"], check.result["invalid"]) == (JobStatus.DONE, 1, 1)
    assert (commit.status, commit.result["created"]) == (JobStatus.DONE, 1)
    assert (check.result["committed_by"], bytes(check.payload)) == (commit.pk, b"")
    assert list(Person.objects.values_list("name", flat=True)) == ["王秀英"]


def test_import_commit_twice_imports_once(area, clerk):
    check = check_job(clerk, xlsx([row(), person(3)]))
    first, second = commit_job(clerk, check), commit_job(clerk, check)

    job_execute(first.pk)
    job_execute(second.pk)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.error) == (
        JobStatus.DONE,
        JobStatus.FAILED,
        "此文件已经导入或已取消。",
    )
    assert Person.objects.count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 1


def test_import_commit_checks_the_file_again(area, clerk):
    check = check_job(clerk, xlsx([row(), person(3)]))
    PersonFactory(village=area.village, id_number=WOMAN)  # entered meanwhile
    commit = commit_job(clerk, check)

    job_execute(commit.pk)

    commit.refresh_from_db()
    assert (commit.result["created"], commit.result["errors"][0]["row"]) == (1, 2)
    assert Person.objects.count() == 2


def test_import_commit_of_a_file_entered_meanwhile_writes_nothing(area, clerk, monkeypatch):
    """Between the commit's check and its insert another clerk saves one of the ID numbers: the
    unique index refuses the insert, and nothing of the file is written."""
    from people.imports import commit

    check = commit.person_import_check

    def check_then_someone_saves(**kwargs):
        result = check(**kwargs)
        PersonFactory(village=area.village, id_number=WOMAN)
        return result

    monkeypatch.setattr(commit, "person_import_check", check_then_someone_saves)
    before = Person.objects.count()

    with pytest.raises(DomainError) as refused:
        commit.person_import_commit(actor=clerk, data=xlsx([person(3), row()]))

    assert refused.value.message.startswith("导入期间有人录入了其中部分人员")
    assert (Person.objects.count() - before, PersonGroup.objects.count()) == (1, 0)
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 0


def test_import_commit_job_writes_the_checked_rows_without_reading_the_file(
    area, clerk, monkeypatch
):
    from people.imports import check as checking

    check = check_job(clerk, xlsx([row(), person(3, residence="城市")]))
    commit = commit_job(clerk, check)

    def unread(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(checking, "read_rows", unread)
    job_execute(commit.pk)

    commit.refresh_from_db()
    assert (commit.status, commit.result["created"], commit.result["invalid"]) == (
        JobStatus.DONE,
        1,
        1,
    )
    assert commit.result["errors"] == check.result["errors"]
    assert list(Person.objects.values_list("name", flat=True)) == ["王秀英"]


def test_import_commit_job_checks_the_file_again_when_a_village_was_renamed(area, clerk):
    check = check_job(clerk, xlsx([row(), person(3, village="乙社区")]))
    area.village.name = "甲社区（新）"
    area.village.save()
    commit = commit_job(clerk, check)

    job_execute(commit.pk)

    commit.refresh_from_db()
    assert (commit.result["created"], commit.result["errors"]) == (
        1,
        [
            {
                "row": 2,
                "column": "村（社区）",
                "message": "“甲社区”不是该乡镇（街道）下的村（社区）。",
            }
        ],
    )


def test_import_commit_job_checks_the_file_again_when_a_group_was_retired(area, clerk):
    from people.models import TargetGroup

    check = check_job(clerk, xlsx([row()]))
    TargetGroup.objects.filter(code="rural_older").update(is_active=False)
    commit = commit_job(clerk, check)

    job_execute(commit.pk)

    commit.refresh_from_db()
    assert (commit.result["created"], commit.result["errors"][0]["column"]) == (0, "人员类别")


def test_import_commit_does_not_trust_a_kept_result_whose_signature_fails(area, clerk, monkeypatch):
    from gongyi.importing import CHECKED_MAGIC
    from people.imports import check as checking

    check = check_job(clerk, xlsx([row()]))
    payload = bytearray(check.payload)
    payload[len(CHECKED_MAGIC)] ^= 1  # the signature's first byte
    reads = []
    read_rows = checking.read_rows
    monkeypatch.setattr(
        checking, "read_rows", lambda *a, **k: reads.append(1) or read_rows(*a, **k)
    )

    result = person_import_commit(actor=clerk, data=bytes(payload))

    assert (len(result.good), reads, Person.objects.count()) == (1, [1], 1)


def test_import_audit_entries_hold_the_values_snapshot_gives_and_the_chain_holds(area, clerk):
    from gongyi.audit import audit_verify_chain, current_ip, snapshot

    rows = [row()] + [person(n, groups=None, recognised_on=None) for n in range(3, 603)]
    token = current_ip.set("10.1.2.3")
    try:
        person_import_commit(actor=clerk, data=xlsx(rows), file_name="名册.xlsx")
    finally:
        current_ip.reset(token)

    entries = {
        e.object_pk: e for e in AuditEntry.objects.filter(action=AuditAction.CREATE)
    }  # 601 of them: written with COPY
    for saved in Person.objects.all():
        changes = dict(entries[str(saved.pk)].changes)
        changes.pop("target_groups", None)
        assert changes == {k: [None, v] for k, v in snapshot(saved).items()}
    assert (len(entries), {e.ip for e in entries.values()}) == (601, {"10.1.2.3"})
    assert audit_verify_chain().ok


# --- the pages ----------------------------------------------------------------------------------


def upload(data: bytes, name: str = "名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX_TYPE)


def test_import_page_upload_shows_the_bad_cells_then_imports_the_good_rows(
    area, clerk, login, django_capture_on_commit_callbacks
):
    client = login(clerk)
    data = xlsx(
        [
            row(),
            row(name="赵六", id_number=WOMAN[:-1] + ("1" if WOMAN[-1] != "1" else "2")),
            person(4),
        ]
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("person-import"), {"file": upload(data)})
    check = Job.objects.get(kind="people.import_check")
    body = client.get(response.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("person-import-commit", args=[check.pk]), {"action": "import"})
    page = client.get(done.url).content.decode()

    assert (response.status_code, response.url) == (302, f"/people/import/{check.pk}/")
    assert "共读取 3 行：正确 2 行，有误 1 行。" in body
    assert "<td>身份证号</td><td>校验位应为" in body
    assert "导入 2 行正确数据" in body and "全部不导入" in body
    assert (done.status_code, done.url) == (302, f"/people/import/{check.pk}/")
    assert Person.objects.count() == 2
    assert "已按检查结果建立 2 份人员档案。" in page


def test_import_page_cancel_writes_nothing(area, clerk, login, django_capture_on_commit_callbacks):
    client = login(clerk)
    check = check_job(clerk, xlsx([row()]))
    url = reverse("person-import-commit", args=[check.pk])

    response = client.post(url, {"action": "cancel"})
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"action": "import"})

    check.refresh_from_db()
    assert (response.status_code, response.url) == (302, reverse("person-import"))
    assert (again.status_code, check.result["cancelled"], bytes(check.payload)) == (302, True, b"")
    assert (counts()[:2], Job.objects.filter(kind="people.import_commit").count()) == ((0, 0), 0)


def test_import_page_template_download_filled_in_imports(area, clerk, login):
    response = login(clerk).get(reverse("person-import-template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    workbook.worksheets[0].append(row())
    out = io.BytesIO()
    workbook.save(out)

    result = person_import_commit(actor=clerk, data=out.getvalue())

    assert response["Content-Type"] == XLSX_TYPE
    assert [c.value for c in next(workbook.worksheets[0].iter_rows(max_row=1))] == file_headers()
    assert workbook.sheetnames == ["人员", "填写说明", "人员类别"]
    assert (len(result.good), Person.objects.count()) == (1, 1)


def test_import_page_another_users_job_is_404(area, clerk, county, login):
    check = check_job(clerk, xlsx([row()]))
    other = UserFactory(username="clerk2", role=Role.CLERK, region=area.township)

    for user in (other, county):
        client = login(user)
        assert client.get(reverse("person-import-job", args=[check.pk])).status_code == 404
        commit = client.post(reverse("person-import-commit", args=[check.pk]), {"action": "import"})
        assert commit.status_code == 404
    assert Job.objects.count() == 1


def test_import_page_commit_is_post_only(area, clerk, login):
    check = check_job(clerk, xlsx([row()]))

    assert login(clerk).get(reverse("person-import-commit", args=[check.pk])).status_code == 405


def test_import_page_non_xlsx_upload_is_refused(area, clerk, login):
    response = login(clerk).post(
        reverse("person-import"), {"file": upload(xlsx([row()]), name="名册.xls")}
    )

    assert (response.status_code, Job.objects.count()) == (400, 0)


@pytest.mark.parametrize("role", [Role.VILLAGE, Role.REVIEWER, Role.ADMIN])
def test_import_pages_refused_to_other_roles(area, users, login, role):
    check = check_job(users[Role.CLERK], xlsx([row()]))
    client = login(users[role])

    statuses = [
        client.get(reverse("person-import")).status_code,
        client.post(reverse("person-import"), {"file": upload(xlsx([row()]))}).status_code,
        client.get(reverse("person-import-template")).status_code,
        client.get(reverse("person-import-job", args=[check.pk])).status_code,
        client.post(
            reverse("person-import-commit", args=[check.pk]), {"action": "import"}
        ).status_code,
    ]

    assert statuses == [403] * 5
    assert Job.objects.count() == 1
