import io

import openpyxl
import pytest

from gongyi.errors import DomainError
from subsidies.bankfiles import (
    BankResult,
    ControlPlace,
    Encoding,
    FailureReason,
    Field,
    FileFormat,
    FileTemplate,
    ReturnColumn,
    ReturnField,
    ReturnTemplate,
    TemplateColumn,
    payment_file_write,
    return_file_read,
)
from tests.bankfiles.conftest import payout_line

HEADER = "姓名,身份证号码,卡号,金额,处理结果,失败原因"
TEXT_GBK = ReturnTemplate(file_format=FileFormat.TEXT, encoding=Encoding.GBK)
TEXT_UTF8 = ReturnTemplate(file_format=FileFormat.TEXT, encoding=Encoding.UTF8)


def text_return(lines, results, encoding="gbk", header=HEADER) -> bytes:
    """A return file as banks write one: the payment's columns, the result and the reason."""
    out = [header]
    for line, (status, reason) in zip(lines, results, strict=True):
        yuan = f"{line['amount'] // 100}.{line['amount'] % 100:02d}"
        out.append(
            f"{line['name']},{line['id_number']},{line['account_number']},{yuan},{status},{reason}"
        )
    return "\r\n".join(out).encode(encoding)


RESULTS = [
    ("成功", ""),
    ("失败", "户名不符"),
    ("成功", ""),
    ("失败", "该账户已冻结"),
    ("失败", "超时"),
]


@pytest.mark.parametrize(("template", "encoding"), [(TEXT_GBK, "gbk"), (TEXT_UTF8, "utf-8")])
def test_read_text_return(lines, template, encoding):
    read = return_file_read(template, text_return(lines, RESULTS, encoding))

    assert read.errors == []
    assert [r.row for r in read.rows] == [2, 3, 4, 5, 6]
    first, second = read.rows[:2]
    assert (first.id_number, first.account_number, first.amount) == (
        lines[0]["id_number"],
        lines[0]["account_number"],
        190001,
    )
    assert (first.result, first.reason) == (BankResult.PAID, None)
    assert (second.result, second.reason, second.reason_text) == (
        BankResult.FAILED,
        FailureReason.NAME_MISMATCH,
        "户名不符",
    )
    assert [r.reason for r in read.rows[3:]] == [FailureReason.ACCOUNT_CLOSED, FailureReason.OTHER]
    assert second.name == "张2"


def test_read_utf8_with_bom(lines):
    data = b"\xef\xbb\xbf" + text_return(lines, RESULTS, "utf-8")

    assert len(return_file_read(TEXT_UTF8, data).rows) == 5


def test_read_refuses_a_gbk_file_declared_utf8(lines):
    with pytest.raises(DomainError) as caught:
        return_file_read(TEXT_UTF8, text_return(lines, RESULTS, "gbk"))

    assert caught.value.message.startswith("回盘文件是 GBK 编码，但银行模板规定为 UTF-8")


def test_read_refuses_a_utf8_file_declared_gbk(lines):
    with pytest.raises(DomainError) as caught:
        return_file_read(TEXT_GBK, text_return(lines, RESULTS, "utf-8"))

    assert caught.value.message.startswith("回盘文件是 UTF-8 编码，但银行模板规定为 GBK")


def test_read_refuses_utf16_and_a_workbook_declared_text(lines):
    with pytest.raises(DomainError, match="UTF-16"):
        return_file_read(TEXT_GBK, text_return(lines, RESULTS, "utf-16"))
    with pytest.raises(DomainError, match="而此文件是 Excel 工作簿"):
        return_file_read(TEXT_GBK, b"PK\x03\x04rest")


def test_read_refuses_text_declared_xlsx(lines):
    with pytest.raises(DomainError, match="而此文件不是"):
        return_file_read(ReturnTemplate(), text_return(lines, RESULTS))


def test_read_refuses_a_file_without_the_templates_header(lines):
    data = text_return(lines, RESULTS, header="姓名,证件号,卡号,金额,处理结果,失败原因")

    with pytest.raises(DomainError) as caught:
        return_file_read(TEXT_GBK, data)

    assert "缺少：身份证号码" in caught.value.message


def test_read_reports_every_bad_row_by_number(lines):
    data = text_return(lines, RESULTS).decode("gbk").split("\r\n")
    data[2] = data[2].replace("1900.02", "一千九")
    data[3] = data[3].replace("成功", "已处理")
    data[4] = data[4].replace(lines[3]["id_number"], "")
    text = "\r\n".join(["XX银行批量代发结果", "", *data, "合计,5笔,,9500.15,,", ""])

    read = return_file_read(TEXT_GBK, text.encode("gbk"))

    assert [(e.row, e.column) for e in read.errors] == [
        (5, "金额"),
        (6, "处理结果"),
        (7, "身份证号码"),
    ]
    assert read.errors[1].message == (
        "“已处理”不是银行表示处理结果的用语"
        "（成功、交易成功、处理成功、已入账、入账成功、失败、交易失败、处理失败、未入账、入账失败）。"
    )
    assert [r.row for r in read.rows] == [4, 8]
    assert read.skipped == [9]  # the bank's summary line


def test_read_by_position_without_header(lines):
    template = ReturnTemplate(
        columns=(
            ReturnColumn(ReturnField.ACCOUNT_NUMBER, position=1),
            ReturnColumn(ReturnField.ID_NUMBER, position=2),
            ReturnColumn(ReturnField.AMOUNT, position=3),
            ReturnColumn(ReturnField.STATUS, position=4),
            ReturnColumn(ReturnField.REASON, position=5),
        ),
        file_format=FileFormat.TEXT,
        delimiter="|",
        header_row=False,
        skip_lines=1,
        encoding=Encoding.UTF8,
        paid_words=("S",),
        failed_words=("F",),
    )
    data = f"H|2|100.00\n{lines[0]['account_number']}|{lines[0]['id_number']}|50|S|\n"
    data += f"{lines[1]['account_number']}|{lines[1]['id_number']}|50|F|无此账户\n"

    read = return_file_read(template, data.encode())

    assert [(r.row, r.amount, r.result, r.reason) for r in read.rows] == [
        (2, 5000, BankResult.PAID, None),
        (3, 5000, BankResult.FAILED, FailureReason.NO_ACCOUNT),
    ]


def test_xlsx_round_trip_write_then_read_as_return(lines):
    """The payment file as written, with the bank's two columns filled, reads back exactly."""
    template = FileTemplate(
        columns=(
            TemplateColumn(Field.NAME, "姓名"),
            TemplateColumn(Field.ID_NUMBER, "身份证号码"),
            TemplateColumn(Field.ACCOUNT_NUMBER, "卡号"),
            TemplateColumn(Field.AMOUNT, "金额"),
            TemplateColumn(Field.REMARK, "处理结果"),
            TemplateColumn(Field.ITEM, "失败原因"),
        ),
        control=ControlPlace.SHEET,
    )
    for line, (status, reason) in zip(lines, RESULTS, strict=True):
        line["remark"], line["item"] = status, reason
    lines[2]["amount"] = 1  # 0.01 yuan
    out = io.BytesIO()
    payment_file_write(template, lines, out)

    read = return_file_read(ReturnTemplate(), out.getvalue())

    assert read.errors == []
    assert [(r.row, r.id_number, r.account_number, r.amount) for r in read.rows] == [
        (n, line["id_number"], line["account_number"], line["amount"])
        for n, line in enumerate(lines, start=2)
    ]
    assert [r.reason for r in read.rows] == [
        None,
        FailureReason.NAME_MISMATCH,
        None,
        FailureReason.ACCOUNT_CLOSED,
        FailureReason.OTHER,
    ]


def test_xlsx_reports_an_account_excel_turned_into_a_number():
    line = payout_line(1)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号码", "卡号", "金额", "处理结果", "失败原因"])
    sheet.append([line["name"], line["id_number"], int(line["account_number"]), 1900.01, "成功"])
    sheet.append([line["name"], line["id_number"], 62170001, 1900.01, "成功"])
    out = io.BytesIO()
    workbook.save(out)

    read = return_file_read(ReturnTemplate(), out.getvalue())

    assert [(e.row, e.column) for e in read.errors] == [(2, "卡号")]
    assert "6.21700E+18" in read.errors[0].message
    assert [(r.row, r.account_number) for r in read.rows] == [(3, "62170001")]
