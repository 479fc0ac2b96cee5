"""Bad input in a roster import: every case gets a clear message on its row
and column, or refuses the whole file, and nothing is half-written."""

import datetime as dt
import io
import os
import zipfile

import openpyxl
import pytest
from django.utils import timezone

from gongyi.errors import DomainError
from gongyi.models import PolicySetting
from people.imports import person_import_check, person_import_commit
from people.models import Person
from tests.factories import id_number_for
from tests.people.test_imports import (
    HEADERS,
    KEYS,
    WOMAN,
    counts,
    errors_of,
    person,
    refusal,
    row,
    xlsx,
    zh,
)
from tests.people.test_imports import _labels as _labels
from tests.people.test_imports import clerk as clerk

pytestmark = pytest.mark.django_db

DAMAGED = "文件已损坏，无法读取。请用 Excel 打开后重新另存为 .xlsx 再导入。"
XLS = "这是旧版 .xls 文件或设有密码的工作簿。请在 Excel 中另存为不设密码的 .xlsx 文件后再导入。"


def rezip(data: bytes, member: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, change(content) if item.filename == member else content)
    return out.getvalue()


def one_error(clerk, **changes) -> tuple:
    result = person_import_check(actor=clerk, data=xlsx([row(**changes)]))
    assert len(result.errors) == 1, errors_of(result)
    return errors_of(result)[0][1:]


# --- ID numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        (None, "请填写身份证号。"),
        ("37090219750501002", "身份证号应为18位（旧证15位），此号码为 17 位。"),
        ("3709021975050100261", "身份证号应为18位（旧证15位），此号码为 19 位。"),
        ("37090219750501A026", "身份证号前17位应为数字，最后一位为数字或 X。"),
        ("370902197502300026", "身份证号中的出生日期 19750230 不存在。"),
        ("370902180001010012", "身份证号中的出生日期 1800-01-01 早于1900年。"),
    ],
)
def test_bad_id_number_is_reported_on_its_cell(area, clerk, id_number, message):
    assert one_error(clerk, id_number=id_number) == ("身份证号", message)


def test_wrong_check_character_says_which_it_should_be(area, clerk):
    wrong = WOMAN[:-1] + ("0" if WOMAN[-1] != "0" else "1")

    column, message = one_error(clerk, id_number=wrong)

    assert (column, message) == ("身份证号", f"校验位应为 {WOMAN[-1]}。")


def test_birth_date_in_the_future_is_reported(area, clerk):
    future = timezone.localdate() + dt.timedelta(days=30)
    number = id_number_for(future, male=False)

    assert one_error(clerk, id_number=number) == (
        "身份证号",
        f"身份证号中的出生日期 {future.isoformat()} 晚于今天。",
    )


@pytest.mark.parametrize(
    "value", [370902197505010026.0, "3.70902E+17", 370902197505010000], ids=["float", "text", "int"]
)
def test_id_number_excel_turned_into_a_number_is_reported(area, clerk, value):
    column, message = one_error(clerk, id_number=value)

    assert column == "身份证号"
    assert message.startswith("Excel 已") and "3.70902E+17" in message


def test_legacy_15_digit_id_number_is_stored_as_18(area, clerk):
    from people.idnumbers import normalise

    result = person_import_check(actor=clerk, data=xlsx([row(id_number="370902750501002")]))

    assert (result.errors, result.good[0].values["id_number"]) == ([], normalise("370902750501002"))


# --- other cells --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "key", "message"),
    [
        ({"name": None}, "name", "此项必填。"),
        (
            {"township": "不存在街道", "village": None},
            "township",
            "“不存在街道”不是您辖区内的乡镇（街道）。",
        ),
        ({"village": "丙村"}, "village", "“丙村”不是该乡镇（街道）下的村（社区）。"),
        ({"residence": "城市"}, "residence", "请填写以下之一：城镇、乡村。"),
        ({"dibao_family": "有"}, "dibao_family", "请填写“是”或“否”。"),
        ({"disability_grade": "五级"}, "disability_grade", "请填写残疾等级：1-4 或 一级至四级。"),
        ({"placements_used": "两次"}, "placements_used", "请填写整数，如 3。"),
        ({"groups": "农村低收入人口、外星人"}, "groups", "不是本区县的人员类别：外星人。"),
        ({"recognised_on": None}, "recognised_on", "请填写人员类别的认定登记日期。"),
        (
            {"recognised_on": "去年三月"},
            "recognised_on",
            "“去年三月”不是日期，请按 2020-03-01 的格式填写。",
        ),
        ({"recognised_on": "2021-02-30"}, "recognised_on", "日期 2021-02-30 不存在。"),
        ({"recognised_on": "1970-01-01"}, "recognised_on", "认定登记日期早于出生日期。"),
        ({"recognised_on": "2999-01-01"}, "recognised_on", "认定登记日期不能晚于今天。"),
        (
            {"account_number": 6217000012345678901},
            "account_number",
            "Excel 已把此号码变成数字（6.21700E+18），丢失了末尾几位。请将此列设为文本格式后重新填写。",
        ),
    ],
)
def test_bad_cell_is_reported_with_its_message(area, clerk, changes, key, message):
    result = person_import_check(actor=clerk, data=xlsx([person(1), row(**changes)]))

    assert errors_of(result) == [(3, HEADERS[key], message)]
    assert [r.number for r in result.good] == [2]


def test_rules_of_the_person_file_apply_to_each_row(area, clerk):
    men = "男职工（原法定退休年龄60周岁）"
    result = person_import_check(
        actor=clerk, data=xlsx([row(phone="12345", retirement_category=men)])
    )

    phone = zh("Enter a mobile number of 11 digits or a landline such as 0538-6221234.")
    assert [e.column for e in result.errors] == [HEADERS["phone"], HEADERS["retirement_category"]]
    assert (result.errors[0].message, result.good) == (phone, [])


def test_every_bad_cell_of_a_row_is_reported(area, clerk):
    data = xlsx([row(name=None, id_number="123", residence="城市", groups="外星人")])

    result = person_import_check(actor=clerk, data=data)

    assert [e.column for e in result.errors] == ["姓名", "身份证号", "城镇或农村", "人员类别"]


def test_commit_with_bad_rows_writes_only_the_good_ones(area, clerk):
    data = xlsx([row(), person(3, residence="城市"), row(name="赵六", id_number="123")])

    result = person_import_commit(actor=clerk, data=data)

    assert (result.error_rows, counts()[:2]) == ({3, 4}, (1, 2))


# --- merged cells -------------------------------------------------------------------------------


def test_merged_cells_are_reported_on_every_row_they_cover(area, clerk):
    # One township typed once and merged down three rows: rows 3 and 4 would read as empty.
    rows = [person(1), person(2), person(3), person(4)]
    data = xlsx(rows, merge=["E2:E4"])

    result = person_import_check(actor=clerk, data=data)

    message = "合并单元格 E2:E4：请取消合并并在每行填写。"
    assert [(e.row, e.column, e.message) for e in result.errors if "合并" in e.message] == [
        (2, "乡镇（街道）", message),
        (3, "乡镇（街道）", message),
        (4, "乡镇（街道）", message),
    ]
    assert [r.number for r in result.good] == [5]


def test_merged_cells_in_the_header_row_only_are_no_error(area, clerk):
    result = person_import_check(actor=clerk, data=xlsx([row()], merge=["V1:W1"]))

    assert result.errors == []


# --- whole files --------------------------------------------------------------------------------


def test_wrong_headers_are_refused_and_nothing_written(area, clerk):
    headers = [h for h in HEADERS.values() if h != "身份证号"] + ["备注"]

    message = refusal(clerk, xlsx([row()[:1] + row()[2:] + ["x"]], headers=headers))

    assert (
        message
        == "缺少列：身份证号。 模板中没有的列：备注。 请下载导入模板，第一行（表头）保持不变。"
    )
    assert counts() == (0, 0, 0)


def test_password_protected_or_xls_file_is_refused(area, clerk):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(1000)

    assert refusal(clerk, ole) == XLS


@pytest.mark.parametrize("damage", ["random", "truncated", "sheet"])
def test_corrupted_file_is_refused(area, clerk, damage):
    data = xlsx([person(n) for n in range(30)])
    damaged = {
        "random": lambda: b"PK\x03\x04" + os.urandom(2000),
        "truncated": lambda: data[: len(data) // 2],
        "sheet": lambda: rezip(data, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2]),
    }[damage]()

    assert refusal(clerk, damaged) == DAMAGED
    assert counts() == (0, 0, 0)


def test_million_row_sheet_is_refused_at_once_by_its_dimension(area, clerk):
    data = rezip(
        xlsx([row()]),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<dimension ref="A1:T2" />', b'<dimension ref="A1:T1000001" />'),
    )

    assert refusal(clerk, data) == "文件有 1000000 行，一次最多导入 50000 行。请拆分成较小的文件。"


def test_sheet_whose_dimension_lies_is_refused_by_counting(area, clerk):
    PolicySetting.objects.create(
        county=area.county, key="people.import_max_rows", value=20, effective_from="2020-01-01"
    )
    data = rezip(
        xlsx([person(n) for n in range(25)]),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<dimension ref="A1:T26" />', b'<dimension ref="A1:T3" />'),
    )
    reported = []

    with pytest.raises(DomainError) as exc:
        person_import_commit(actor=clerk, data=data, progress=lambda d, t: reported.append(d))

    assert exc.value.message == "文件超过 20 行，请拆分成较小的文件。"
    assert counts() == (0, 0, 0)


def test_file_with_only_a_header_is_refused(area, clerk):
    assert refusal(clerk, xlsx([])) == "文件表头下没有人员数据。"


def test_write_only_file_without_a_dimension_is_read(area, clerk):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(HEADERS.values()))
    sheet.append(row())
    out = io.BytesIO()
    workbook.save(out)

    result = person_import_check(actor=clerk, data=out.getvalue())

    assert (result.errors, len(result.good), Person.objects.count()) == ([], 1, 0)
    assert len(KEYS) == 20
