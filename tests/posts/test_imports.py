"""Importing posts from Excel (posts/imports.py): check the whole file, then the good rows or nothing.

Files are real .xlsx workbooks written with openpyxl. The service tests call the check and commit
functions; the job tests run the job runners as the worker does (``job_execute``); the page tests
post the file and let the jobs run eagerly when the request's transaction commits.
"""

import io
import os
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongyi.enums import AuditAction, Role
from gongyi.errors import DomainError
from gongyi.jobs import job_execute, job_start
from gongyi.models import AuditEntry, Job, JobStatus, PolicySetting, Region
from posts.imports import post_import_check, post_import_commit
from posts.models import Post
from posts.resources import POST_COLUMNS, file_headers
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KEYS = [c.key for c in POST_COLUMNS]
#: A good row, by column key, as a township fills it in (Chinese labels for choices).
GOOD = {
    "post_type": "网格员",
    "title": "网格员一",
    "area_kind": "城镇",
    "work_pattern": "全日制",
    "hours_per_week": None,
    "township": "岱庙街道",
    "village": "甲社区",
    "department": "民政",
    "duties": "网格巡查",
    "requirements": "熟悉社区情况",
    "headcount": 2,
    "monthly_subsidy": 2100,
    "hourly_rate": None,
    "insurance_kind": None,
    "plan_year": 2026,
    "status": "草稿",
}
HOURLY = {
    "post_type": "村容保洁员",
    "work_pattern": "小时岗",
    "hours_per_week": 20,
    "monthly_subsidy": None,
    "hourly_rate": 21,
}
DEPARTMENTS = (
    "人力资源和社会保障、民政、农业农村、自然资源、生态林业、生态环境、住房和城乡建设、交通运输、"
    "水利、文化和旅游、卫生健康、教育和体育、应急管理、综合行政执法、司法、文明办、残联、邮政管理、"
    "乡镇（街道）"
)
MESSAGES = {
    "required": "此项必填。",
    "integer": "请填写整数，如 3。",
    "money": "请填写金额（元），如 1820 或 17.5。",
    "urban_rural": "请填写以下之一：城镇、乡村。",
    "damaged": "文件已损坏，无法读取。请用 Excel 打开后重新另存为 .xlsx 再导入。",
    "xls": "这是旧版 .xls 文件或设有密码的工作簿。请在 Excel 中另存为不设密码的 .xlsx 文件后再导入。",
    "done_already": "此文件已经导入或已取消。",
    "headers": "请下载导入模板，第一行（表头）保持不变。",
}


def row(**changes) -> list:
    values = GOOD | changes
    return [values[key] for key in KEYS]


def xlsx(rows, headers=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(file_headers() if headers is None else headers)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def refusal(actor, data) -> str:
    with pytest.raises(DomainError) as exc:
        post_import_check(actor=actor, data=data)
    return exc.value.message


def errors_of(result) -> list[tuple]:
    return [(e.row, e.column, e.message) for e in result.errors]


def rezip(data: bytes, member: str, change) -> bytes:
    """The same workbook with one member of the zip changed (a damaged part inside a valid zip)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, change(content) if item.filename == member else content)
    return out.getvalue()


def upload(data: bytes, name: str = "岗位.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX_TYPE)


def check_job(actor, data: bytes, name: str = "岗位.xlsx") -> Job:
    """A check job run to its end, as the worker runs it."""
    job = job_start(actor=actor, kind="posts.import_check", payload=data, file_name=name)
    job_execute(job.pk)
    job.refresh_from_db()
    return job


def commit_job(actor, check: Job) -> Job:
    return job_start(actor=actor, kind="posts.import_commit", params={"check_job": check.pk})


# --- the check and the commit -------------------------------------------------------------------


def test_import_good_file_imports_every_row(area, clerk, minimum_wage):
    data = xlsx(
        [
            row(),
            row(title="网格员二", village=None, status="招聘中"),
            row(title="保洁员", **HOURLY, area_kind="乡村", village="乙社区"),
        ]
    )

    result = post_import_commit(actor=clerk, data=data, file_name="岗位.xlsx")

    posts = list(Post.objects.order_by("pk"))
    assert (result.rows, len(result.posts), result.errors) == (3, 3, [])
    assert [(p.title, p.region_code, p.status, p.created_by) for p in posts] == [
        ("网格员一", "370902001001", "draft", clerk),
        ("网格员二", "370902001", "open", clerk),
        ("保洁员", "370902001002", "draft", clerk),
    ]
    assert (posts[1].opened_on, posts[1].vacant_since) == (timezone.localdate(),) * 2
    assert (posts[2].work_pattern, posts[2].hours_per_week, posts[2].hourly_rate) == (
        "hourly",
        Decimal("20.0"),
        Decimal("21.00"),
    )
    assert [p.insurance_kind for p in posts] == [
        "social_insurance_subsidy",
        "social_insurance_subsidy",
        "accident_insurance",
    ]


def test_import_good_file_audits_each_post_and_the_import(area, clerk):
    data = xlsx([row(), row(title="网格员二"), row(title="网格员三")])

    post_import_commit(actor=clerk, data=data, file_name="岱庙街道岗位.xlsx")

    created = AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="posts.post")
    imports = AuditEntry.objects.filter(action=AuditAction.IMPORT)
    assert sorted(created.values_list("object_pk", flat=True)) == sorted(
        str(pk) for pk in Post.objects.values_list("pk", flat=True)
    )
    assert set(created.values_list("note", flat=True)) == {"导入"}
    assert [(e.object_repr, e.note, e.region_code, e.actor) for e in imports] == [
        ("岱庙街道岗位.xlsx", "导入岗位 3 个，未导入 0 行。", "370902001", clerk)
    ]


def test_import_template_download_filled_in_imports(area, clerk, login):
    response = login(clerk).get(reverse("post-import-template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    sheet.append(row())
    sheet.append(row(title="网格员二"))
    out = io.BytesIO()
    workbook.save(out)

    result = post_import_commit(actor=clerk, data=out.getvalue())

    assert response["Content-Type"] == XLSX_TYPE
    assert [c.value for c in next(workbook.worksheets[0].iter_rows(max_row=1))] == file_headers()
    assert workbook.sheetnames == ["岗位", "填写说明", "岗位标准名称"]
    assert (len(result.posts), Post.objects.count()) == (2, 2)


def test_import_empty_requirements_cell_imports(area, clerk):
    data = xlsx([row(requirements=None), row(title="网格员二", requirements="")])

    post_import_commit(actor=clerk, data=data)

    assert list(Post.objects.values_list("requirements", flat=True)) == ["", ""]


def test_import_commit_job_with_empty_requirements_does_not_fail(area, clerk):
    check = check_job(clerk, xlsx([row(requirements=None)]))
    commit = commit_job(clerk, check)

    job_execute(commit.pk)

    commit.refresh_from_db()
    assert (commit.status, commit.error, Post.objects.count()) == (JobStatus.DONE, "", 1)


def test_import_check_writes_nothing(area, clerk):
    result = post_import_check(actor=clerk, data=xlsx([row(), row(title="网格员二")]))

    assert (len(result.posts), Post.objects.count(), AuditEntry.objects.count()) == (2, 0, 0)


def test_import_bad_rows_report_every_bad_cell(area, clerk):
    data = xlsx(
        [
            row(),
            row(title="岗位三", headcount="三"),
            row(title="岗位四", area_kind="城市"),
            row(title="岗位五", monthly_subsidy=2100.125),
            row(title="岗位六"),
            row(title="岗位七", headcount=2.5),
            row(post_type="不存在员", title=None, duties="  "),
        ]
    )

    result = post_import_check(actor=clerk, data=data)

    assert errors_of(result) == [
        (3, "岗位人数", MESSAGES["integer"]),
        (4, "城镇/乡村", MESSAGES["urban_rural"]),
        (5, "月补贴标准（元）", MESSAGES["money"]),
        (7, "岗位人数", MESSAGES["integer"]),
        (8, "岗位标准名称", "“不存在员”不是岗位目录中的标准名称。"),
        (8, "岗位名称", MESSAGES["required"]),
        (8, "岗位职责", MESSAGES["required"]),
    ]
    assert result.as_dict() | {"errors": None} == {
        "rows": 7,
        "valid": 2,
        "invalid": 5,
        "error_count": 7,
        "errors": None,
        "empty_rows": [],
    }
    assert result.as_dict()["errors"][0] == {
        "row": 3,
        "column": "岗位人数",
        "message": MESSAGES["integer"],
    }


def test_import_commit_imports_only_the_good_rows(area, clerk):
    data = xlsx([row(), row(title="坏行", headcount="三"), row(title="网格员二")])

    result = post_import_commit(actor=clerk, data=data, file_name="f.xlsx")

    assert sorted(Post.objects.values_list("title", flat=True)) == ["网格员一", "网格员二"]
    assert result.error_rows == {3}
    assert AuditEntry.objects.get(action=AuditAction.IMPORT).note == "导入岗位 2 个，未导入 1 行。"


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"headcount": "三个"}, "岗位人数", MESSAGES["integer"]),
        ({"headcount": 2.5}, "岗位人数", MESSAGES["integer"]),
        ({"headcount": True}, "岗位人数", MESSAGES["integer"]),
        ({"headcount": 0}, "岗位人数", "岗位人数至少为 1。"),
        ({"plan_year": "2026年"}, "计划年度", MESSAGES["integer"]),
        ({"monthly_subsidy": 2100.125}, "月补贴标准（元）", MESSAGES["money"]),
        ({"monthly_subsidy": "两千"}, "月补贴标准（元）", MESSAGES["money"]),
        ({"monthly_subsidy": -5}, "月补贴标准（元）", "请填写大于零的数。"),
        ({"monthly_subsidy": None}, "月补贴标准（元）", "全日制岗位须填写月补贴标准。"),
        ({"area_kind": "城市"}, "城镇/乡村", MESSAGES["urban_rural"]),
        ({"work_pattern": "兼职"}, "用工形式", "请填写以下之一：全日制、小时岗。"),
        ({"status": "已撤销"}, "状态", "请填写以下之一：草稿、招聘中。"),
        ({"department": "外交部"}, "行业主管部门", f"请填写以下之一：{DEPARTMENTS}。"),
        ({**HOURLY, "hours_per_week": 17.55}, "每周工时", "请填写每周工时，如 20 或 17.5。"),
        (
            {**HOURLY, "hours_per_week": 25},
            "每周工时",
            "小时岗每周工时不超过 24 小时（区县设置）。",
        ),
        ({**HOURLY, "hourly_rate": None}, "小时补贴标准（元）", "小时岗须填写小时补贴标准。"),
        (
            {"township": "不存在街道", "village": None},
            "乡镇（街道）",
            "“不存在街道”不是您辖区内的乡镇（街道）。",
        ),
    ],
)
def test_import_wrong_value_is_reported_on_its_cell(area, clerk, changes, column, message):
    result = post_import_check(actor=clerk, data=xlsx([row(), row(title="岗位二", **changes)]))

    assert errors_of(result) == [(3, column, message)]
    assert [p.title for p in result.posts] == ["网格员一"]


def test_import_choice_values_may_be_the_codes_too(area, clerk):
    data = xlsx([row(area_kind="urban", work_pattern="full_time", department="civil_affairs")])

    result = post_import_check(actor=clerk, data=data)

    assert (result.errors, result.posts[0].area_kind, result.posts[0].department) == (
        [],
        "urban",
        "civil_affairs",
    )


def test_import_numbers_read_as_floats_are_accepted(area, clerk):
    # Excel stores every number as a float: codes and counts come back as 370902001.0 and 3.0.
    data = xlsx(
        [
            row(
                township=370902001.0,
                village=370902001001.0,
                headcount=3.0,
                plan_year=2026.0,
                monthly_subsidy=2100.0,
            )
        ]
    )

    result = post_import_commit(actor=clerk, data=data)

    post = Post.objects.get()
    assert result.errors == []
    assert (post.headcount, post.plan_year, post.region_code, post.monthly_subsidy) == (
        3,
        2026,
        "370902001001",
        Decimal("2100.00"),
    )


def test_import_codes_as_text_are_accepted(area, clerk):
    result = post_import_check(
        actor=clerk, data=xlsx([row(township="370902001", village="370902001002", headcount="4")])
    )

    assert (result.errors, result.posts[0].village, result.posts[0].headcount) == (
        [],
        area.other_village,
        4,
    )


def test_import_empty_rows_are_skipped_and_reported(area, clerk):
    data = xlsx(
        [
            row(),
            [None] * len(KEYS),
            row(title="网格员二"),
            ["", "   ", None],
            row(title="网格员三"),
        ]
    )

    result = post_import_check(actor=clerk, data=data)

    assert (result.rows, len(result.posts), result.empty_rows, result.errors) == (
        3,
        3,
        [3, 5],
        [],
    )


def test_import_file_with_only_a_header_is_refused(area, clerk):
    assert refusal(clerk, xlsx([])) == "文件表头下没有岗位数据。"


def test_import_wrong_headers_give_one_message_and_write_nothing(area, clerk):
    headers = [h for h in file_headers() if h != "岗位人数"] + ["备注"]

    message = refusal(clerk, xlsx([row()[:10] + row()[11:] + ["x"]], headers=headers))

    assert message == f"缺少列：岗位人数。 模板中没有的列：备注。 {MESSAGES['headers']}"
    assert Post.objects.count() == 0


def test_import_headers_in_another_order_and_optional_columns_left_out(area, clerk):
    optional = {"requirements", "insurance_kind", "status"}
    keys = [k for k in reversed(KEYS) if k not in optional]
    headers = {c.key: h for c, h in zip(POST_COLUMNS, file_headers(), strict=True)}

    result = post_import_check(
        actor=clerk, data=xlsx([[GOOD[k] for k in keys]], headers=[headers[k] for k in keys])
    )

    assert (result.errors, result.posts[0].title, result.posts[0].requirements) == (
        [],
        "网格员一",
        "",
    )


def test_import_english_headers_are_refused(area, clerk):
    headers = [c.key for c in POST_COLUMNS]

    message = refusal(clerk, xlsx([row()], headers=headers))

    assert message.startswith("缺少列：岗位标准名称、岗位名称、")
    assert message.endswith(MESSAGES["headers"])


def test_import_random_bytes_starting_with_pk_are_refused(area, clerk):
    assert refusal(clerk, b"PK\x03\x04" + os.urandom(2000)) == MESSAGES["damaged"]


def test_import_truncated_file_is_refused(area, clerk):
    data = xlsx([row(title=f"岗位{n}") for n in range(30)])

    assert refusal(clerk, data[: len(data) // 2]) == MESSAGES["damaged"]


@pytest.mark.parametrize("damage", ["garbage", "cut"])
def test_import_damaged_sheet_inside_a_valid_zip_is_refused(area, clerk, damage):
    data = xlsx([row(title=f"岗位{n}") for n in range(30)])
    data = rezip(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: b"garbage" if damage == "garbage" else xml[: len(xml) // 2],
    )

    assert refusal(clerk, data) == MESSAGES["damaged"]


def test_import_old_xls_file_is_refused_with_save_as_xlsx(area, clerk):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(1000)

    assert refusal(clerk, ole) == MESSAGES["xls"]


def test_import_csv_is_refused(area, clerk):
    data = ",".join(file_headers()).encode()

    assert refusal(clerk, data) == "这不是 Excel .xlsx 文件，请使用导入模板。"


def test_import_over_the_county_row_limit_is_refused(area, clerk):
    PolicySetting.objects.create(
        county=area.county, key="posts.import_max_rows", value=50, effective_from="2020-01-01"
    )

    message = refusal(clerk, xlsx([row(title=f"岗位{n}") for n in range(60)]))

    assert message == "文件有 60 行，一次最多导入 50 行。请拆分成较小的文件。"
    assert Post.objects.count() == 0


def test_import_at_the_county_row_limit_is_accepted(area, clerk):
    PolicySetting.objects.create(
        county=area.county, key="posts.import_max_rows", value=50, effective_from="2020-01-01"
    )

    result = post_import_check(actor=clerk, data=xlsx([row(title=f"岗位{n}") for n in range(50)]))

    assert (len(result.posts), result.errors) == (50, [])


def test_import_200000_row_sheet_is_refused_without_reading_it_all(area, clerk):
    # Costly on purpose (about 12 s, half of it writing the file): a real 200,000-row sheet in
    # write-only mode. Such files declare no size, so the check cannot refuse them from the header;
    # it stops at the first row past the default limit of 20,000 instead of reading the whole
    # sheet: the progress reports never pass that row.
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(file_headers())
    for n in range(200_000):
        sheet.append(["网格员", f"岗位{n}"])
    out = io.BytesIO()
    workbook.save(out)
    reported = []

    with pytest.raises(DomainError) as exc:
        post_import_check(
            actor=clerk, data=out.getvalue(), progress=lambda d, t: reported.append(d)
        )

    assert exc.value.message == "文件超过 20000 行，请拆分成较小的文件。"
    assert max(reported) <= 20_001
    assert Post.objects.count() == 0


def test_import_duplicate_rows_inside_the_file(area, clerk):
    data = xlsx([row(), row(title="网格员二"), row(), row(village=None), row(plan_year=2027)])

    result = post_import_check(actor=clerk, data=data)

    assert errors_of(result) == [(4, "岗位名称", "与第 2 行是同一岗位。")]
    assert len(result.posts) == 4


def test_import_duplicate_of_an_existing_post(area, clerk):
    PostFactory(village=area.village, title="网格员一", plan_year=2026)

    result = post_import_check(actor=clerk, data=xlsx([row(), row(title="网格员二")]))

    assert errors_of(result) == [
        (2, "岗位名称", "岗位目录中已有此岗位（乡镇、村（社区）、岗位名称和年度均相同）。")
    ]


def test_import_post_of_another_county_is_no_duplicate(area, county):
    PostFactory(township=Region.objects.get(code="370406106"), title="网格员一", plan_year=2026)

    result = post_import_check(actor=county, data=xlsx([row()]))

    assert (result.errors, len(result.posts)) == ([], 1)


@pytest.mark.parametrize("village", ["丙村", "370902100200", "丁村"])
def test_import_village_not_under_the_township(area, county, village):
    result = post_import_check(actor=county, data=xlsx([row(village=village)]))

    assert errors_of(result) == [
        (2, "村（社区）", f"“{village}”不是该乡镇（街道）下的村（社区）。")
    ]


def test_import_clerk_township_outside_their_area(area, clerk):
    result = post_import_check(actor=clerk, data=xlsx([row(township="省庄镇", village="丙村")]))

    assert errors_of(result) == [
        (2, "乡镇（街道）", "“省庄镇”不是您辖区内的乡镇（街道）。"),
        (2, "村（社区）", "“丙村”不是该乡镇（街道）下的村（社区）。"),
    ]


def test_import_county_may_import_for_every_township(area, county):
    result = post_import_commit(
        actor=county, data=xlsx([row(), row(township="省庄镇", village="丙村", area_kind="乡村")])
    )

    assert sorted(Post.objects.values_list("region_code", flat=True)) == [
        "370902001001",
        "370902100200",
    ]
    assert result.errors == []


def test_import_pay_below_the_minimum_wage(area, clerk, minimum_wage):
    data = xlsx(
        [
            row(),
            row(title="低薪", monthly_subsidy=2000),
            row(title="保洁员", **HOURLY),
            row(title="保洁员二", **HOURLY | {"hourly_rate": 20}),
        ]
    )

    result = post_import_check(actor=clerk, data=data)

    assert errors_of(result) == [
        (
            3,
            "月补贴标准（元）",
            "每月 2000.00 元低于现行最低工资标准（自 2021-10-01 起每月 2100.00 元）。",
        ),
        (
            5,
            "小时补贴标准（元）",
            "每小时 20.00 元低于现行小时最低工资标准（自 2021-10-01 起每小时 21.00 元）。",
        ),
    ]
    assert [p.title for p in result.posts] == ["网格员一", "保洁员"]


def test_import_queries_do_not_grow_with_the_rows(area, clerk):
    def queries_for(n: int) -> int:
        data = xlsx([row(title=f"{n}号岗位{i}") for i in range(n)])
        with CaptureQueriesContext(connection) as queries:
            post_import_commit(actor=clerk, data=data)
        return len(queries)

    assert queries_for(10) == queries_for(300)
    assert Post.objects.count() == 310


def test_import_refused_to_village_and_reviewer(area, users):
    for role in (Role.VILLAGE, Role.REVIEWER):
        with pytest.raises(PermissionDenied):
            post_import_check(actor=users[role], data=xlsx([row()]))


# --- the jobs -----------------------------------------------------------------------------------


def test_import_jobs_check_then_commit(area, clerk):
    check = check_job(clerk, xlsx([row(), row(title="坏行", headcount="三")]))
    commit = commit_job(clerk, check)

    job_execute(commit.pk)

    commit.refresh_from_db()
    check.refresh_from_db()
    assert (check.status, check.result["valid"], check.result["invalid"]) == (JobStatus.DONE, 1, 1)
    assert (commit.status, commit.result["created"]) == (JobStatus.DONE, 1)
    assert (check.result["committed_by"], bytes(check.payload)) == (commit.pk, b"")
    assert list(Post.objects.values_list("title", flat=True)) == ["网格员一"]


def test_import_check_job_with_a_refused_file_fails_with_the_message(area, clerk):
    check = check_job(clerk, b"\xd0\xcf\x11\xe0" + os.urandom(100), name="旧.xlsx")

    assert (check.status, check.error) == (JobStatus.FAILED, MESSAGES["xls"])


def test_import_commit_twice_imports_once(area, clerk):
    check = check_job(clerk, xlsx([row(), row(title="网格员二")]))
    first, second = commit_job(clerk, check), commit_job(clerk, check)

    job_execute(first.pk)
    job_execute(second.pk)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.error) == (
        JobStatus.DONE,
        JobStatus.FAILED,
        MESSAGES["done_already"],
    )
    assert Post.objects.count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 1


def test_import_commit_checks_the_file_again(area, clerk):
    check = check_job(clerk, xlsx([row(), row(title="网格员二")]))
    PostFactory(village=area.village, title="网格员二", plan_year=2026)  # entered meanwhile
    commit = commit_job(clerk, check)

    job_execute(commit.pk)

    commit.refresh_from_db()
    assert (commit.result["created"], commit.result["errors"][0]["row"]) == (1, 3)
    assert sorted(Post.objects.values_list("title", flat=True)) == ["网格员一", "网格员二"]


def test_import_commit_queued_before_a_cancel_is_refused(area, clerk, login):
    check = check_job(clerk, xlsx([row()]))
    commit = commit_job(clerk, check)  # pressed "import"; the worker has not run it yet
    login(clerk).post(reverse("post-import-commit", args=[check.pk]), {"action": "cancel"})

    job_execute(commit.pk)

    commit.refresh_from_db()
    assert (commit.status, commit.error) == (JobStatus.FAILED, MESSAGES["done_already"])


# --- the pages ----------------------------------------------------------------------------------


def test_import_page_upload_redirects_to_the_checked_result(
    area, clerk, login, django_capture_on_commit_callbacks
):
    client = login(clerk)
    data = xlsx([row(), row(title="坏行", area_kind="城市"), [None] * 3, row(title="网格员二")])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("post-import"), {"file": upload(data)})

    job = Job.objects.get(kind="posts.import_check")
    page = client.get(response.url)
    body = page.content.decode()
    assert (response.status_code, response.url) == (302, f"/posts/import/{job.pk}/")
    assert (job.status, job.file_name, job.region_code) == (
        JobStatus.DONE,
        "岗位.xlsx",
        "370902001",
    )
    assert page.status_code == 200
    assert "共读取 3 行：正确 2 行，有误 1 行。" in body
    assert "已跳过空行：4。" in body
    assert "<td>城镇/乡村</td><td>请填写以下之一：城镇、乡村。</td>" in body
    assert "导入 2 行正确数据" in body
    assert Post.objects.count() == 0


def test_import_page_import_writes_the_good_rows(
    area, clerk, login, django_capture_on_commit_callbacks
):
    client = login(clerk)
    data = xlsx([row(), row(title="坏行", headcount=2.5), row(title="网格员二")])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("post-import"), {"file": upload(data)})
    check = Job.objects.get(kind="posts.import_check")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("post-import-commit", args=[check.pk]), {"action": "import"})

    page = client.get(response.url).content.decode()
    assert (response.status_code, response.url) == (302, f"/posts/import/{check.pk}/")
    assert sorted(Post.objects.values_list("title", flat=True)) == ["网格员一", "网格员二"]
    assert "已按检查结果导入 2 个岗位。" in page


def test_import_page_pressing_import_twice_imports_once(
    area, clerk, login, django_capture_on_commit_callbacks
):
    client = login(clerk)
    check = check_job(clerk, xlsx([row(), row(title="网格员二")]))
    url = reverse("post-import-commit", args=[check.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "import"})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "import"}, follow=True)

    assert MESSAGES["done_already"] in response.content.decode()
    assert Post.objects.count() == 2
    assert Job.objects.filter(kind="posts.import_commit").count() == 1


def test_import_page_cancel_writes_nothing(area, clerk, login, django_capture_on_commit_callbacks):
    client = login(clerk)
    check = check_job(clerk, xlsx([row(), row(title="网格员二")]))
    url = reverse("post-import-commit", args=[check.pk])

    response = client.post(url, {"action": "cancel"})
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"action": "import"})

    check.refresh_from_db()
    assert (response.status_code, response.url) == (302, reverse("post-import"))
    assert (again.status_code, again.url) == (302, f"/posts/import/{check.pk}/")
    assert (check.result["cancelled"], bytes(check.payload)) == (True, b"")
    assert (Post.objects.count(), Job.objects.filter(kind="posts.import_commit").count()) == (0, 0)
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 0
    assert "未导入任何数据。" in client.get(again.url).content.decode()


def test_import_page_refused_file_shows_the_message(
    area, clerk, login, django_capture_on_commit_callbacks
):
    client = login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("post-import"), {"file": upload(b"\xd0\xcf\x11\xe0" + os.urandom(64))}
        )

    body = client.get(response.url).content.decode()
    assert MESSAGES["xls"] in body
    assert "全部不导入" not in body


def test_import_page_non_xlsx_upload_is_refused(area, clerk, login):
    response = login(clerk).post(
        reverse("post-import"), {"file": upload(xlsx([row()]), name="岗位.xls")}
    )

    assert response.status_code == 400
    assert "请上传 Excel .xlsx 文件（.xls 文件请先另存为 .xlsx）。" in response.content.decode()
    assert Job.objects.count() == 0


def test_import_page_without_a_file_is_refused(area, clerk, login):
    response = login(clerk).post(reverse("post-import"), {})

    assert (response.status_code, Job.objects.count()) == (400, 0)


def test_import_page_lists_own_recent_imports(area, clerk, login):
    check_job(clerk, xlsx([row()]), name="我的文件.xlsx")
    other = UserFactory(username="clerk2", role=Role.CLERK, region=area.township)
    check_job(other, xlsx([row()]), name="别人的文件.xlsx")

    body = login(clerk).get(reverse("post-import")).content.decode()

    assert ("我的文件.xlsx" in body, "别人的文件.xlsx" in body) == (True, False)


def test_import_page_another_users_job_is_404(area, clerk, county, login):
    check = check_job(clerk, xlsx([row()]))
    other = UserFactory(username="clerk2", role=Role.CLERK, region=area.township)

    for user in (other, county):
        client = login(user)
        assert client.get(reverse("post-import-job", args=[check.pk])).status_code == 404
        commit = client.post(reverse("post-import-commit", args=[check.pk]), {"action": "import"})
        cancel = client.post(reverse("post-import-commit", args=[check.pk]), {"action": "cancel"})
        assert (commit.status_code, cancel.status_code) == (404, 404)
    check.refresh_from_db()
    assert ("committed_by" in check.result, Job.objects.count()) == (False, 1)


def test_import_page_commit_is_post_only(area, clerk, login):
    check = check_job(clerk, xlsx([row()]))

    response = login(clerk).get(reverse("post-import-commit", args=[check.pk]))

    assert response.status_code == 405


@pytest.mark.parametrize("role", [Role.VILLAGE, Role.REVIEWER])
def test_import_pages_refused_to_village_and_reviewer(area, users, login, role):
    check = check_job(users[Role.CLERK], xlsx([row()]))
    client = login(users[role])

    statuses = [
        client.get(reverse("post-import")).status_code,
        client.post(reverse("post-import"), {"file": upload(xlsx([row()]))}).status_code,
        client.get(reverse("post-import-template")).status_code,
        client.get(reverse("post-import-job", args=[check.pk])).status_code,
        client.post(
            reverse("post-import-commit", args=[check.pk]), {"action": "import"}
        ).status_code,
    ]

    assert statuses == [403] * 5
    assert Job.objects.count() == 1
