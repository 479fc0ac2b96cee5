"""The column template of each kind of external dataset (docs/policy.md §8): the Chinese header
the county's template has, the other names departments' exports give the same column, and how
each cell is read into a ``DatasetRow``.

Departments export their lists from their own systems, whose headers differ (身份证号,
公民身份号码, 证件号码…); a header is matched after its spaces and a bracketed note
(``死亡日期（年月日）``) are dropped. A column of another name is refused, not ignored: a list
whose dates sit under an unknown header would otherwise load with no dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from audits.datasets.enums import DatasetKind

#: How a cell is read: an ID number, a name, a date, a month (stored as its first day; an end
#: month as its last), or text.
ID, NAME, DATE, MONTH, END_MONTH, TEXT = "id", "name", "date", "month", "end_month", "text"

#: The most characters of each text field (``DatasetRow``).
MAX_LENGTH = {"name": 50, "unit": 200, "reference": 64}

_ID_ALIASES = ("身份证号码", "公民身份号码", "身份证", "证件号码", "证件号", "社会保障号码")


@dataclass(frozen=True)
class Field:
    key: str  # the DatasetRow field it fills: id_number, name, start, end, unit, reference
    header: str  # the template's header
    reads: str  # ID, NAME, DATE, MONTH, END_MONTH or TEXT
    required: bool = True
    aliases: tuple[str, ...] = ()


def _id(header: str = "身份证号", aliases: tuple[str, ...] = ()) -> Field:
    return Field("id_number", header, ID, aliases=aliases + _ID_ALIASES)


#: Kind → its columns, in the template's order.
TEMPLATES: dict[str, tuple[Field, ...]] = {
    # 民政 (funeral records) and 公安 (household register cancellations).
    DatasetKind.DEATHS: (
        _id(),
        Field("name", "姓名", NAME),
        Field("start", "死亡日期", DATE, aliases=("死亡时间", "注销日期", "火化日期")),
    ),
    # 社保: who draws a pension, from which month.
    DatasetKind.RETIREMENT_BENEFITS: (
        _id(),
        Field("name", "姓名", NAME),
        Field(
            "start",
            "待遇开始年月",
            MONTH,
            aliases=(
                "待遇享受开始年月",
                "开始领取年月",
                "领取起始年月",
                "退休年月",
                "待遇起始年月",
            ),
        ),
    ),
    # 社保: contributions as an employee, by employer and months (an empty end: still paying on
    # the day the data describes).
    DatasetKind.CONTRIBUTIONS: (
        _id(),
        Field("name", "姓名", NAME, required=False),
        Field("unit", "单位名称", TEXT, aliases=("参保单位", "缴费单位", "用人单位", "单位")),
        Field("start", "缴费起始年月", MONTH, aliases=("开始年月", "起始年月", "缴费年月")),
        Field("end", "缴费终止年月", END_MONTH, required=False, aliases=("终止年月", "截止年月")),
    ),
    # 市场监管: the legal person or operator of a registered business.
    DatasetKind.BUSINESS_LICENCES: (
        _id(
            "法定代表人或经营者身份证号",
            aliases=("身份证号", "法定代表人身份证号", "经营者身份证号", "负责人身份证号"),
        ),
        Field("name", "姓名", NAME, required=False, aliases=("法定代表人", "经营者", "经营者姓名")),
        Field(
            "reference",
            "统一社会信用代码",
            TEXT,
            aliases=("注册号", "营业执照号", "执照编号", "统一社会信用代码或注册号"),
        ),
        Field("unit", "市场主体名称", TEXT, required=False, aliases=("企业名称", "名称", "字号")),
        Field("start", "登记日期", DATE, aliases=("成立日期", "注册日期", "核准日期")),
        Field("end", "注销日期", DATE, required=False, aliases=("吊销日期",)),
    ),
    # 财政: people paid from the public payroll (财政供养).
    DatasetKind.FISCAL_PAYROLL: (
        _id(),
        Field("name", "姓名", NAME, required=False),
        Field("unit", "单位名称", TEXT, aliases=("工作单位", "供养单位", "预算单位")),
        Field("start", "起始日期", DATE, aliases=("供养起始日期", "入职日期", "进入单位时间")),
    ),
}

_BRACKETED = re.compile(r"[（(][^)）]*[)）]$")


def header_key(text: str) -> str:
    """A header as it is matched: no spaces, no bracketed note at its end, lower-case."""
    return _BRACKETED.sub("", re.sub(r"\s", "", text)).lower()


def names_of(kind: str) -> dict[str, Field]:
    """Every name a column of ``kind`` may have (after ``header_key``) → its field."""
    found: dict[str, Field] = {}
    for field in TEMPLATES[kind]:
        for name in (field.header, *field.aliases):
            found.setdefault(header_key(name), field)
    return found
