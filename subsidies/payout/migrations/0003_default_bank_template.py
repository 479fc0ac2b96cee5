"""The shared default bank template (no county): an UTF-8 .xlsx payment file of name, ID number,
account, bank, item, amount, period and remark with a control sheet of the count and total, and
its return file by the same headers with the result and the reason; so a county can issue its
first payment file at once (docs/policy.md §7). Frozen here as data: a later change of the
library's defaults does not change what was seeded (a test reads both through ``from_dict``)."""

from django.db import migrations

NAME = "通用模板（xlsx）"

FILE_TEMPLATE = {
    "columns": [
        {"field": "name", "header": "姓名"},
        {"field": "id_number", "header": "身份证号码"},
        {"field": "account_number", "header": "卡号"},
        {"field": "bank", "header": "开户银行"},
        {"field": "item", "header": "发放项目"},
        {"field": "amount", "header": "金额"},
        {"field": "period", "header": "所属期"},
        {"field": "remark", "header": "备注"},
    ],
    "file_format": "xlsx",
    "delimiter": ",",
    "header_row": True,
    "line_ending": "\r\n",
    "encoding": "utf-8",
    "period_format": "%Y%m",
    "amount_format": "yuan",
    "control": "sheet",
    "control_prefix": [],
    "control_labels": ["总笔数", "总金额"],
    "sheet_name": "代发明细",
    "control_sheet_name": "汇总",
}

RETURN_TEMPLATE = {
    "columns": [
        {"field": "name", "header": "姓名", "position": None},
        {"field": "id_number", "header": "身份证号码", "position": None},
        {"field": "account_number", "header": "卡号", "position": None},
        {"field": "amount", "header": "金额", "position": None},
        {"field": "status", "header": "处理结果", "position": None},
        {"field": "reason", "header": "失败原因", "position": None},
    ],
    "file_format": "xlsx",
    "delimiter": ",",
    "header_row": True,
    "skip_lines": 0,
    "encoding": "utf-8",
    "amount_format": "yuan",
    "paid_words": ["成功", "交易成功", "处理成功", "已入账", "入账成功"],
    "failed_words": ["失败", "交易失败", "处理失败", "未入账", "入账失败"],
    "summary_prefixes": ["合计", "总计", "总笔数"],
}


def add(apps, schema_editor):
    BankTemplate = apps.get_model("payout", "BankTemplate")
    BankTemplate.objects.get_or_create(
        county=None,
        name=NAME,
        defaults={"file_template": FILE_TEMPLATE, "return_template": RETURN_TEMPLATE},
    )


def remove(apps, schema_editor):
    apps.get_model("payout", "BankTemplate").objects.filter(county=None, name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("payout", "0002_bank_files")]

    operations = [migrations.RunPython(add, remove)]
