"""A county's bank templates (docs/policy.md §7: payout files have no public standard, so the
columns, their order and headers, the encoding and the formats are the bank's, held as data).

``FileTemplate`` describes the payment file (代发文件) the county sends the bank; ``ReturnTemplate``
the bank's return file (回盘文件). Both are plain frozen dataclasses, so the payout app can keep
them as JSON per county and bank (``as_dict`` / ``from_dict``) and a test can build one in a line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from enum import StrEnum


class Field(StrEnum):
    """What a payment file's column holds; a payout line dict has these keys."""

    NAME = "name"
    ID_NUMBER = "id_number"
    ACCOUNT_NUMBER = "account_number"
    BANK = "bank"
    ITEM = "item"
    AMOUNT = "amount"  # fen, an int
    PERIOD = "period"  # the month paid: a date (its first day)
    REMARK = "remark"


class ReturnField(StrEnum):
    """What a return file's column holds."""

    ID_NUMBER = "id_number"
    NAME = "name"
    ACCOUNT_NUMBER = "account_number"
    AMOUNT = "amount"
    STATUS = "status"
    REASON = "reason"
    #: The payment file's remark as the bank echoes it back (备注/附言): it carries the payout
    #: batch's reference, so another batch's return is known by it (``match.REFERENCE``).
    REMARK = "remark"


class FileFormat(StrEnum):
    XLSX = "xlsx"
    TEXT = "text"  # delimited text


class Encoding(StrEnum):
    """A text file's encoding. GBK is what most banks' Windows systems read."""

    GBK = "gbk"
    UTF8 = "utf-8"
    UTF8_BOM = "utf-8-sig"


class AmountFormat(StrEnum):
    YUAN = "yuan"  # 1234.50: yuan with two decimals
    FEN = "fen"  # 123450: whole fen


class ControlPlace(StrEnum):
    """Where the line count and the total go."""

    NONE = "none"
    FIRST_LINE = "first_line"  # a control line above the lines (text)
    LAST_LINE = "last_line"  # a control line below the lines (text)
    SHEET = "sheet"  # a control sheet after the lines' sheet (xlsx)


@dataclass(frozen=True)
class TemplateColumn:
    field: Field
    header: str


#: The columns of a payment file when a county has not said otherwise (docs/policy.md §7).
DEFAULT_COLUMNS = (
    TemplateColumn(Field.NAME, "姓名"),
    TemplateColumn(Field.ID_NUMBER, "身份证号码"),
    TemplateColumn(Field.ACCOUNT_NUMBER, "卡号"),
    TemplateColumn(Field.BANK, "开户银行"),
    TemplateColumn(Field.ITEM, "发放项目"),
    TemplateColumn(Field.AMOUNT, "金额"),
    TemplateColumn(Field.PERIOD, "所属期"),
    TemplateColumn(Field.REMARK, "备注"),
)


@dataclass(frozen=True)
class FileTemplate:
    """A county's payment file for one bank."""

    columns: tuple[TemplateColumn, ...] = DEFAULT_COLUMNS
    file_format: FileFormat = FileFormat.XLSX
    #: Text only: the delimiter, whether the first line holds the headers, the line ending.
    delimiter: str = ","
    header_row: bool = True
    line_ending: str = "\r\n"
    encoding: Encoding = Encoding.GBK
    #: strftime format of the period, e.g. "%Y%m" (202603) or "%Y年%m月".
    period_format: str = "%Y%m"
    amount_format: AmountFormat = AmountFormat.YUAN
    #: Where the count and total go; a control line is ``control_prefix`` then count then total,
    #: a control sheet is two rows: ``control_labels`` with the count, then with the total.
    control: ControlPlace = ControlPlace.NONE
    control_prefix: tuple[str, ...] = ()
    control_labels: tuple[str, str] = ("总笔数", "总金额")
    sheet_name: str = "代发明细"
    control_sheet_name: str = "汇总"

    def __post_init__(self):
        fields = [c.field for c in self.columns]
        if len(set(fields)) != len(fields):
            raise ValueError("a field appears twice in the template")
        if self.file_format == FileFormat.XLSX and self.control in (
            ControlPlace.FIRST_LINE,
            ControlPlace.LAST_LINE,
        ):
            raise ValueError("an xlsx payment file has its totals on a control sheet")
        if self.file_format == FileFormat.TEXT and self.control == ControlPlace.SHEET:
            raise ValueError("a text payment file has its totals on a control line")
        if self.file_format == FileFormat.TEXT and len(self.delimiter) != 1:
            raise ValueError("the delimiter is one character")
        dt.date(2026, 1, 1).strftime(self.period_format)  # fails early on a bad format

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> FileTemplate:
        data = dict(data)
        columns = tuple(TemplateColumn(Field(c["field"]), c["header"]) for c in data["columns"])
        return cls(
            **{
                **data,
                "columns": columns,
                "file_format": FileFormat(data.get("file_format", FileFormat.XLSX)),
                "encoding": Encoding(data.get("encoding", Encoding.GBK)),
                "amount_format": AmountFormat(data.get("amount_format", AmountFormat.YUAN)),
                "control": ControlPlace(data.get("control", ControlPlace.NONE)),
                "control_prefix": tuple(data.get("control_prefix", ())),
                "control_labels": tuple(data.get("control_labels", ("总笔数", "总金额"))),
            }
        )


@dataclass(frozen=True)
class ReturnColumn:
    """A return file's column: found by its header text, or by its position (1 is the first
    column) when the file has no header row."""

    field: ReturnField
    header: str = ""
    position: int | None = None


#: A return file's columns when a county has not said otherwise.
DEFAULT_RETURN_COLUMNS = (
    ReturnColumn(ReturnField.NAME, "姓名"),
    ReturnColumn(ReturnField.ID_NUMBER, "身份证号码"),
    ReturnColumn(ReturnField.ACCOUNT_NUMBER, "卡号"),
    ReturnColumn(ReturnField.AMOUNT, "金额"),
    ReturnColumn(ReturnField.STATUS, "处理结果"),
    ReturnColumn(ReturnField.REASON, "失败原因"),
    ReturnColumn(ReturnField.REMARK, "备注"),
)


@dataclass(frozen=True)
class ReturnTemplate:
    """A bank's return file: where each value is, and the bank's words for paid and failed."""

    columns: tuple[ReturnColumn, ...] = DEFAULT_RETURN_COLUMNS
    file_format: FileFormat = FileFormat.XLSX
    delimiter: str = ","
    #: With a header row, columns are found by header text (the header row is the first of the
    #: file's first rows that has them all, so a title or control line above it is skipped);
    #: without one, by position, after ``skip_lines`` lines.
    header_row: bool = True
    skip_lines: int = 0
    encoding: Encoding = Encoding.GBK
    amount_format: AmountFormat = AmountFormat.YUAN
    paid_words: tuple[str, ...] = ("成功", "交易成功", "处理成功", "已入账", "入账成功")
    failed_words: tuple[str, ...] = ("失败", "交易失败", "处理失败", "未入账", "入账失败")
    #: Lines that start with one of these (a bank's summary line, e.g. "合计") are not lines.
    summary_prefixes: tuple[str, ...] = ("合计", "总计", "总笔数")

    def __post_init__(self):
        fields = [c.field for c in self.columns]
        if len(set(fields)) != len(fields):
            raise ValueError("a field appears twice in the return template")
        required = {ReturnField.ID_NUMBER, ReturnField.ACCOUNT_NUMBER, ReturnField.AMOUNT}
        if not required <= set(fields) or ReturnField.STATUS not in fields:
            raise ValueError("a return template needs the ID number, account, amount and status")
        for column in self.columns:
            if self.header_row and not column.header:
                raise ValueError(f"{column.field}: a header row needs each column's header")
            if not self.header_row and not column.position:
                raise ValueError(f"{column.field}: without a header row, give each position")
        if self.file_format == FileFormat.TEXT and len(self.delimiter) != 1:
            raise ValueError("the delimiter is one character")

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ReturnTemplate:
        data = dict(data)
        columns = tuple(
            ReturnColumn(ReturnField(c["field"]), c.get("header", ""), c.get("position"))
            for c in data["columns"]
        )
        return cls(
            **{
                **data,
                "columns": columns,
                "file_format": FileFormat(data.get("file_format", FileFormat.XLSX)),
                "encoding": Encoding(data.get("encoding", Encoding.GBK)),
                "amount_format": AmountFormat(data.get("amount_format", AmountFormat.YUAN)),
                **{
                    key: tuple(data[key])
                    for key in ("paid_words", "failed_words", "summary_prefixes")
                    if key in data
                },
            }
        )
