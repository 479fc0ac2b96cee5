import io
import json

import openpyxl
import pytest

from gongyi.errors import DomainError
from subsidies.bankfiles import (
    AmountFormat,
    ControlPlace,
    Encoding,
    Field,
    FileFormat,
    FileTemplate,
    FileTotals,
    ReturnColumn,
    ReturnField,
    ReturnTemplate,
    TemplateColumn,
    payment_file_write,
)
from subsidies.bankfiles.money import amount_fen, yuan_text
from tests.bankfiles.conftest import payout_line

PIPE_GBK = FileTemplate(
    file_format=FileFormat.TEXT,
    delimiter="|",
    encoding=Encoding.GBK,
    control=ControlPlace.LAST_LINE,
    control_prefix=("T",),
)


def written(template: FileTemplate, lines) -> tuple[bytes, FileTotals]:
    out = io.BytesIO()
    totals = payment_file_write(template, lines, out)
    return out.getvalue(), totals


def test_text_gbk_has_the_templates_columns_and_a_control_line(lines):
    data, totals = written(PIPE_GBK, lines)

    text = data.decode("gbk").split("\r\n")
    assert text[0] == "姓名|身份证号码|卡号|开户银行|发放项目|金额|所属期|备注"
    assert text[1] == (
        f"张1|{lines[0]['id_number']}|6217000000000000001|泰安农商银行|公益性岗位补贴|1900.01|202603|"
    )
    assert text[6] == "T|5|9500.15"
    assert text[7] == ""
    assert totals == FileTotals(5, 950015)


def test_text_utf8_with_bom_first_control_line_fen_and_no_header(lines):
    template = FileTemplate(
        columns=(
            TemplateColumn(Field.ACCOUNT_NUMBER, "账号"),
            TemplateColumn(Field.NAME, "户名"),
            TemplateColumn(Field.AMOUNT, "金额(分)"),
            TemplateColumn(Field.PERIOD, "月份"),
        ),
        file_format=FileFormat.TEXT,
        delimiter=",",
        header_row=False,
        line_ending="\n",
        encoding=Encoding.UTF8_BOM,
        period_format="%Y年%m月",
        amount_format=AmountFormat.FEN,
        control=ControlPlace.FIRST_LINE,
    )

    data, totals = written(template, lines)

    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8").split("\n")
    assert text[:2] == ["5,950015", "6217000000000000001,张1,190001,2026年03月"]
    assert len(text) == 7
    assert totals.total == 950015


def test_text_gbk_refuses_a_character_outside_gbk_naming_the_line(lines):
    lines[2]["name"] = "王𠈌"  # CJK extension B: not in GBK

    with pytest.raises(DomainError) as caught:
        written(PIPE_GBK, lines)

    assert caught.value.message.startswith("第 3 笔发放明细（王𠈌），“姓名”列：字符“𠈌”（U+2020C）")
    assert "GBK" in caught.value.message


def test_text_utf8_takes_a_character_outside_gbk(lines):
    lines[2]["name"] = "王𠈌"
    template = FileTemplate(file_format=FileFormat.TEXT, encoding=Encoding.UTF8)

    data, _totals = written(template, lines)

    assert "王𠈌" in data.decode("utf-8")


def test_text_refuses_the_delimiter_inside_a_value(lines):
    lines[1]["remark"] = "补发|3月"

    with pytest.raises(DomainError) as caught:
        written(PIPE_GBK, lines)

    assert caught.value.message.startswith(
        "第 2 笔发放明细（张2），“备注”列：内容含有文件的分隔符“|”"
    )


def test_text_refuses_an_amount_that_is_not_fen(lines):
    lines[0]["amount"] = 1900.5

    with pytest.raises(DomainError):
        written(PIPE_GBK, lines)


def test_xlsx_has_text_numbers_exact_amounts_and_a_control_sheet(lines):
    lines[0]["amount"] = 10  # 0.10 yuan
    lines[1]["amount"] = 20  # 0.1 + 0.2 in floats is not 0.3
    lines[3]["remark"] = "=1+1"
    template = FileTemplate(control=ControlPlace.SHEET)

    data, totals = written(template, lines)

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet, control = workbook.worksheets
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "姓名",
        "身份证号码",
        "卡号",
        "开户银行",
        "发放项目",
        "金额",
        "所属期",
        "备注",
    )
    assert rows[1][1:3] == (lines[0]["id_number"], "6217000000000000001")
    assert [r[5] for r in rows[1:]] == [0.1, 0.2, 1900.03, 1900.04, 1900.05]
    assert rows[4][7] == "=1+1"  # text, not a formula
    assert sheet.cell(2, 6).number_format == "0.00"
    assert control.title == "汇总"
    assert list(control.iter_rows(values_only=True)) == [("总笔数", 5), ("总金额", 5700.42)]
    assert totals == FileTotals(5, 570042)


def test_xlsx_without_lines_states_zero():
    data, totals = written(FileTemplate(control=ControlPlace.SHEET), [])

    control = openpyxl.load_workbook(io.BytesIO(data)).worksheets[1]
    assert list(control.iter_rows(values_only=True)) == [("总笔数", 0), ("总金额", 0)]
    assert totals == FileTotals(0, 0)


def test_template_refuses_a_control_line_in_xlsx():
    with pytest.raises(ValueError):
        FileTemplate(control=ControlPlace.FIRST_LINE)


def test_templates_round_trip_as_json():
    returns = ReturnTemplate(
        columns=(
            ReturnColumn(ReturnField.ID_NUMBER, position=2),
            ReturnColumn(ReturnField.ACCOUNT_NUMBER, position=1),
            ReturnColumn(ReturnField.AMOUNT, position=3),
            ReturnColumn(ReturnField.STATUS, position=4),
        ),
        header_row=False,
        paid_words=("S",),
    )

    assert FileTemplate.from_dict(json.loads(json.dumps(PIPE_GBK.as_dict()))) == PIPE_GBK
    assert ReturnTemplate.from_dict(json.loads(json.dumps(returns.as_dict()))) == returns


@pytest.mark.parametrize(
    ("fen", "text"), [(0, "0.00"), (5, "0.05"), (190050, "1900.50"), (-5, "-0.05")]
)
def test_yuan_text_from_fen(fen, text):
    assert yuan_text(fen) == text


@pytest.mark.parametrize(
    ("value", "fen"),
    [("1900.50", 190050), (1900.5, 190050), ("1,900.5", 190050), ("￥0.07", 7), (19, 1900)],
)
def test_amount_fen_from_yuan(value, fen):
    assert amount_fen(value, AmountFormat.YUAN) == fen


@pytest.mark.parametrize("value", ["1900.505", "abc", "", None, True])
def test_amount_fen_refuses(value):
    with pytest.raises(ValueError):
        amount_fen(value, AmountFormat.YUAN)


def test_amount_fen_in_fen():
    assert amount_fen("190050", AmountFormat.FEN) == 190050
    with pytest.raises(ValueError):
        amount_fen("1900.50", AmountFormat.FEN)


def test_payout_line_helper_is_valid():
    assert payout_line(1)["amount"] == 190001
