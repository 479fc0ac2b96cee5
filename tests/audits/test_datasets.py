"""External datasets (docs/policy.md §8): each kind's template, the check of every row, the
all-or-nothing load, the same file refused twice, and who may upload which kind."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from audits.datasets.enums import DatasetKind, DatasetStatus
from audits.datasets.kinds import TEMPLATES
from audits.datasets.loading import dataset_load
from audits.datasets.services import dataset_upload
from audits.models import DatasetRow, DatasetVersion
from gongyi.enums import Department, Role
from gongyi.errors import DomainError
from tests.audits.conftest import AS_OF, csv_file, upload_and_load, xlsx_file
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ID_A = "37090219600101001X"
ID_B = "370902195805060026"
#: An address code no list has: valid all the same (docs/policy.md §5).
ID_UNKNOWN_AREA = "999999197001010033"
ID_OLD = "370902600101031"  # 15 digits → 370902196001010319
ID_OLD_18 = "370902196001010319"


def stored(version) -> list[tuple]:
    return list(
        DatasetRow.objects.filter(version=version)
        .order_by("line")
        .values_list("line", "id_number", "name", "start", "end", "unit", "reference")
    )


# --- each kind's template ------------------------------------------------------------------------

#: kind → (the file's rows under the template's headers, what is stored of the first row)
KIND_CASES = {
    DatasetKind.DEATHS: (
        [[ID_A, "王某", "2026-10-03"]],
        (2, ID_A, "王某", dt.date(2026, 10, 3), None, "", ""),
    ),
    DatasetKind.RETIREMENT_BENEFITS: (
        [[ID_A, "王某", "2025-07"]],
        (2, ID_A, "王某", dt.date(2025, 7, 1), None, "", ""),
    ),
    DatasetKind.CONTRIBUTIONS: (
        [[ID_A, "王某", "泰安某建材有限公司", "202403", "2024年9月"]],
        (2, ID_A, "王某", dt.date(2024, 3, 1), dt.date(2024, 9, 30), "泰安某建材有限公司", ""),
    ),
    DatasetKind.BUSINESS_LICENCES: (
        [[ID_A, "王某", "92370902MA3XXXXX1A", "岱岳区王某百货店", "2023/5/6", ""]],
        (
            2,
            ID_A,
            "王某",
            dt.date(2023, 5, 6),
            None,
            "岱岳区王某百货店",
            "92370902MA3XXXXX1A",
        ),
    ),
    DatasetKind.FISCAL_PAYROLL: (
        [[ID_A, "王某", "泰山区某街道办事处", "20190801"]],
        (2, ID_A, "王某", dt.date(2019, 8, 1), None, "泰山区某街道办事处", ""),
    ),
}


def test_every_kind_has_a_case():
    assert set(KIND_CASES) == set(DatasetKind.values) == set(TEMPLATES)


@pytest.mark.parametrize("kind", list(KIND_CASES))
def test_each_kind_loads_under_its_template_headers(kind, county):
    rows, expected = KIND_CASES[kind]
    headers = [f.header for f in TEMPLATES[kind]]

    version = upload_and_load(county, csv_file([headers, *rows]), kind=kind)

    assert (version.status, version.row_count, version.loaded_rows) == (DatasetStatus.LOADED, 1, 1)
    assert stored(version) == [expected]


@pytest.mark.parametrize("kind", list(KIND_CASES))
def test_each_kind_loads_from_xlsx(kind, county):
    rows, expected = KIND_CASES[kind]
    headers = [f.header for f in TEMPLATES[kind]]

    version = upload_and_load(county, xlsx_file([headers, *rows]), kind=kind)

    assert version.status == DatasetStatus.LOADED
    assert stored(version) == [expected]


def test_headers_are_read_under_their_other_names_and_with_a_note(county):
    rows = [["公民身份号码", "姓名", "死亡时间（年月日）"], [ID_B, "李某", "2026年10月3日"]]

    version = upload_and_load(county, csv_file(rows))

    assert stored(version) == [(2, ID_B, "李某", dt.date(2026, 10, 3), None, "", "")]


def test_the_template_download_has_the_kinds_headers(county, login):
    import io

    import openpyxl

    response = login(county).get(reverse("dataset-template", args=[DatasetKind.CONTRIBUTIONS]))

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    first = next(book.worksheets[0].iter_rows(values_only=True))
    assert list(first) == [f.header for f in TEMPLATES[DatasetKind.CONTRIBUTIONS]]


# --- ID numbers as the registry reads them -------------------------------------------------------


def test_id_numbers_are_normalised_as_the_registry_does(county):
    rows = [
        ["身份证号", "姓名", "死亡日期"],
        [ID_OLD, "旧号", "2026-10-01"],  # 15 digits → 18
        [ID_A.lower(), "小写", "2026-10-01"],  # x → X
        [" ３７０９０２１９５８０５０６００２６ ", "全角", "2026-10-01"],  # full-width, spaces
        [ID_UNKNOWN_AREA, "外地", "2026-10-01"],  # an address code no list has
    ]

    version = upload_and_load(county, csv_file(rows))

    assert version.status == DatasetStatus.LOADED
    assert [r[1] for r in stored(version)] == [ID_OLD_18, ID_A, ID_B, ID_UNKNOWN_AREA]


# --- bad input (the "Bad input") ---------------------------------------------------------


def test_unknown_and_missing_columns_refuse_the_file(county):
    rows = [["身份证号", "姓名", "备注"], [ID_A, "王某", "x"]]

    version = upload_and_load(county, csv_file(rows))

    assert version.status == DatasetStatus.REJECTED
    assert "死亡日期" in version.error and "备注" in version.error
    assert DatasetRow.objects.count() == 0


def test_bad_id_numbers_and_dates_as_text_are_reported_by_row_and_nothing_is_loaded(county):
    rows = [
        ["身份证号", "姓名", "死亡日期"],
        [ID_A, "王某", "2026-10-03"],
        [ID_A[:-1] + "1", "错校验", "2026-10-03"],  # row 3: check character
        ["3709021960010", "太短", "2026-10-03"],  # row 4: length
        [ID_B, "文字日期", "去年十月"],  # row 5: a date as text
        [ID_B, "无此日", "2026-02-30"],  # row 6: no such day
        [ID_B, "", "2026-10-03"],  # row 7: no name
        [ID_B, "将来", "2099-01-01"],  # row 8: in the future
    ]

    version = upload_and_load(county, csv_file(rows))

    assert (version.status, version.row_count, version.error_count) == (
        DatasetStatus.REJECTED,
        7,
        6,
    )
    assert [(e["row"], e["column"]) for e in version.errors] == [
        (3, "身份证号"),
        (4, "身份证号"),
        (5, "死亡日期"),
        (6, "死亡日期"),
        (7, "姓名"),
        (8, "死亡日期"),
    ]
    assert DatasetRow.objects.count() == 0


def test_an_excel_number_that_lost_its_digits_is_reported(county):
    rows = [["身份证号", "姓名", "死亡日期"], [3.70902196001011e17, "王某", "2026-10-03"]]

    version = upload_and_load(county, xlsx_file(rows))

    assert version.status == DatasetStatus.REJECTED
    assert version.errors[0]["row"] == 2


def test_too_many_rows_refuse_the_file_before_any_row_is_read(county, settings):
    settings.GONGYI_DATASET_MAX_ROWS = 3
    rows = [["身份证号", "姓名", "死亡日期"]] + [[ID_A, "王某", "2026-10-03"]] * 4

    version = upload_and_load(county, csv_file(rows))

    assert version.status == DatasetStatus.REJECTED
    assert "4" in version.error and "3" in version.error
    assert DatasetRow.objects.count() == 0


def test_a_file_too_large_for_the_row_limit_is_refused_at_upload(county, settings):
    settings.GONGYI_DATASET_MAX_ROWS = 1
    rows = [["身份证号", "姓名", "死亡日期"]] + [[ID_A, "王某", "2026-10-03"]] * 20

    with pytest.raises(DomainError):
        dataset_upload(actor=county, kind=DatasetKind.DEATHS, upload=csv_file(rows), as_of=AS_OF)
    assert DatasetVersion.objects.count() == 0


def test_the_same_file_uploaded_twice_is_refused_with_a_clear_message(county):
    rows = [["身份证号", "姓名", "死亡日期"], [ID_A, "王某", "2026-10-03"]]
    first = upload_and_load(county, csv_file(rows))

    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        dataset_upload(actor=county, kind=DatasetKind.DEATHS, upload=csv_file(rows), as_of=AS_OF)

    assert first.status == DatasetStatus.LOADED
    assert "已" in refused.value.message and "上传" in refused.value.message
    assert DatasetVersion.objects.count() == 1


def test_a_refused_file_may_be_uploaded_again(county):
    rows = [["身份证号", "姓名", "死亡日期"], [ID_A, "王某", "去年"]]
    first = upload_and_load(county, csv_file(rows))

    second = upload_and_load(county, csv_file(rows))

    assert [first.status, second.status] == [DatasetStatus.REJECTED, DatasetStatus.REJECTED]


def test_the_same_file_is_a_new_version_of_another_kind(county):
    rows = [["身份证号", "姓名", "起始日期", "单位名称"], [ID_A, "王某", "2019-08-01", "某单位"]]
    upload_and_load(county, csv_file(rows), kind=DatasetKind.FISCAL_PAYROLL)

    with pytest.raises(DomainError):
        dataset_upload(
            actor=county, kind=DatasetKind.FISCAL_PAYROLL, upload=csv_file(rows), as_of=AS_OF
        )


# --- encodings and layouts -----------------------------------------------------------------------


def test_a_gbk_csv_is_read_as_gbk(county):
    rows = [["身份证号", "姓名", "死亡日期"], [ID_A, "张三丰", "2026-10-03"]]

    version = upload_and_load(county, csv_file(rows, encoding="gbk"))

    assert stored(version)[0][2] == "张三丰"


def test_a_utf8_csv_with_its_bom_and_tabs_is_read(county):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "\ufeff身份证号\t姓名\t死亡日期\n" + f"{ID_A}\t王某\t2026-10-03\n"

    version = upload_and_load(county, SimpleUploadedFile("l.txt", text.encode("utf-8")))

    assert stored(version) == [(2, ID_A, "王某", dt.date(2026, 10, 3), None, "", "")]


def test_empty_rows_are_skipped_and_rows_keep_their_numbers(county):
    rows = [["身份证号", "姓名", "死亡日期"], [ID_A, "王某", "2026-10-03"], ["", "", ""]]
    rows.append([ID_B, "李某", "2026-10-04"])

    version = upload_and_load(county, csv_file(rows))

    assert [r[0] for r in stored(version)] == [2, 4]
    assert version.row_count == 2


def test_a_backslash_in_a_name_is_stored_as_it_is(county):
    rows = [
        ["身份证号", "姓名", "单位名称", "缴费起始年月"],
        [ID_A, "王\\某", "公司\\甲", "2024-03"],
    ]

    version = upload_and_load(county, csv_file(rows), kind=DatasetKind.CONTRIBUTIONS)

    assert stored(version)[0][2] == "王\\某" and stored(version)[0][5] == "公司\\甲"


# --- the job ------------------------------------------------------------------------------------


def test_loading_twice_loads_once(county):
    rows = [["身份证号", "姓名", "死亡日期"], [ID_A, "王某", "2026-10-03"]]
    version = upload_and_load(county, csv_file(rows))

    again = dataset_load(version_id=version.pk)

    assert again == {"version": version.pk, "status": DatasetStatus.LOADED}
    assert DatasetRow.objects.filter(version=version).count() == 1


def test_the_upload_and_the_load_are_on_the_audit_trail(county):
    from gongyi.models import AuditEntry

    rows = [["身份证号", "姓名", "死亡日期"], [ID_A, "王某", "2026-10-03"]]
    version = upload_and_load(county, csv_file(rows))

    actions = list(
        AuditEntry.objects.filter(object_type="audits.datasetversion", object_pk=str(version.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "import"]


# --- who may upload which kind -------------------------------------------------------------------


def _reviewer(area, department):
    return UserFactory(role=Role.REVIEWER, region=area.county, department=department)


def test_a_civil_affairs_reviewer_uploads_deaths_only(area):
    reviewer = _reviewer(area, Department.CIVIL_AFFAIRS)
    rows = [["身份证号", "姓名", "死亡日期"], [ID_A, "王某", "2026-10-03"]]

    version = upload_and_load(reviewer, csv_file(rows))
    with pytest.raises(DomainError):
        dataset_upload(
            actor=reviewer,
            kind=DatasetKind.BUSINESS_LICENCES,
            upload=csv_file(rows, name="b.csv"),
            as_of=AS_OF,
        )

    assert version.status == DatasetStatus.LOADED


def test_a_market_regulation_reviewer_uploads_licences_not_deaths(area):
    reviewer = _reviewer(area, Department.MARKET_REGULATION)
    rows = [
        ["法定代表人身份证号", "统一社会信用代码", "成立日期"],
        [ID_A, "92370902MA3XXXXX1A", "2023-05-06"],
    ]

    version = upload_and_load(reviewer, csv_file(rows), kind=DatasetKind.BUSINESS_LICENCES)
    with pytest.raises(DomainError):
        dataset_upload(actor=reviewer, kind=DatasetKind.DEATHS, upload=csv_file(rows), as_of=AS_OF)

    assert version.status == DatasetStatus.LOADED


@pytest.mark.parametrize("department", [Department.AGRICULTURE, Department.DISABLED_FEDERATION])
def test_a_department_without_a_kind_uploads_nothing(area, department):
    reviewer = _reviewer(area, department)
    rows = [["身份证号", "姓名", "死亡日期"], [ID_A, "王某", "2026-10-03"]]

    for kind in DatasetKind.values:
        with pytest.raises(DomainError):
            dataset_upload(actor=reviewer, kind=kind, upload=csv_file(rows), as_of=AS_OF)


@pytest.mark.parametrize("role", [Role.CLERK, Role.VILLAGE, Role.FINANCE, Role.ADMIN])
def test_other_roles_upload_nothing(role, users):
    rows = [["身份证号", "姓名", "死亡日期"], [ID_A, "王某", "2026-10-03"]]

    with pytest.raises(DomainError):
        dataset_upload(
            actor=users[role], kind=DatasetKind.DEATHS, upload=csv_file(rows), as_of=AS_OF
        )


def test_data_of_a_future_day_is_refused(county):
    rows = [["身份证号", "姓名", "死亡日期"], [ID_A, "王某", "2026-10-03"]]

    with pytest.raises(DomainError):
        dataset_upload(
            actor=county,
            kind=DatasetKind.DEATHS,
            upload=csv_file(rows),
            as_of=dt.date.today() + dt.timedelta(days=1),
        )


def test_a_load_that_fails_unexpectedly_refuses_the_version_so_the_file_may_come_again(
    county, monkeypatch
):
    from audits.datasets import loading

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(loading, "_load", broken)
    rows = [["身份证号", "姓名", "死亡日期"], [ID_A, "王某", "2026-10-03"]]
    version = upload_and_load(county, csv_file(rows))
    monkeypatch.undo()

    again = upload_and_load(county, csv_file(rows))

    assert (version.status, again.status) == (DatasetStatus.REJECTED, DatasetStatus.LOADED)
    assert version.job.status == "failed"


def test_a_list_without_rows_is_refused(county):
    version = upload_and_load(county, csv_file([["身份证号", "姓名", "死亡日期"]]))

    assert (version.status, version.loaded_rows) == (DatasetStatus.REJECTED, 0)
    assert version.error


def test_the_upload_form_shows_today_as_the_data_day_in_a_date_input(county, login):
    """A date input takes an ISO date only: the locale's 2026/12/08 left it empty."""
    from django.utils import timezone

    page = login(county).get(reverse("dataset-list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content
    today = timezone.localdate().isoformat()
    assert f'type="date" name="as_of" value="{today}"'.encode() in page
