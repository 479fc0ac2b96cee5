"""Helpers of the bank tests: an approved batch with accounts on file, a GBK text template, and
the bank's return written as the bank would."""

import itertools

from gongyi.enums import Role
from people.models import Person
from subsidies.payout.enums import BatchKind, BatchState
from subsidies.payout.models import PayoutBatch
from subsidies.payout.services import (
    bank_template_save,
    payout_batch_generate,
    payout_batch_open,
    payout_batch_transition,
)
from tests.attendance.conftest import NOV

TEXT_FILE = {
    "columns": [
        {"field": "name", "header": "户名"},
        {"field": "account_number", "header": "账号"},
        {"field": "amount", "header": "金额"},
        {"field": "id_number", "header": "证件号码"},
        {"field": "item", "header": "摘要"},
        {"field": "period", "header": "所属期"},
    ],
    "file_format": "text",
    "delimiter": "|",
    "encoding": "gbk",
    "amount_format": "yuan",
    "period_format": "%Y年%m月",
    "control": "last_line",
    "control_prefix": ["合计"],
}
TEXT_RETURN = {
    "columns": [
        {"field": "name", "header": "户名"},
        {"field": "account_number", "header": "账号"},
        {"field": "amount", "header": "金额"},
        {"field": "id_number", "header": "证件号码"},
        {"field": "status", "header": "结果"},
        {"field": "reason", "header": "原因"},
    ],
    "file_format": "text",
    "delimiter": "|",
    "encoding": "gbk",
    "amount_format": "yuan",
    "paid_words": ["成功"],
    "failed_words": ["失败"],
}

_accounts = itertools.count(1)


def accounts_on_file(region_code: str) -> None:
    for person in Person.objects.filter(region_code__startswith=region_code):
        person.account_number = f"6217001{next(_accounts):012d}"
        person.bank_name = "泰安农商银行"
        person.save(update_fields=["account_number", "bank_name"])


def approved_batch(users, area) -> PayoutBatch:
    """岱庙街道's urban posts of November 2026 (three lines), approved by the county."""
    clerk, county = users[Role.CLERK], users[Role.COUNTY]
    accounts_on_file(area.township.code)
    batch = payout_batch_open(actor=clerk, month=NOV, kind=BatchKind.URBAN)
    payout_batch_generate(actor=clerk, batch_id=batch.pk)
    payout_batch_transition(actor=clerk, batch_id=batch.pk, to=BatchState.SUBMITTED)
    return payout_batch_transition(actor=county, batch_id=batch.pk, to=BatchState.APPROVED)


def text_template(county_user):
    return bank_template_save(
        actor=county_user,
        name="农商银行文本",
        bank_name="泰安农商银行",
        file_template=TEXT_FILE,
        return_template=TEXT_RETURN,
    )


def return_text(lines, failures=None, *, encoding="gbk", changes=None, extra=()) -> bytes:
    """The bank's return of ``lines`` (PayoutLine objects): paid, or failed with the bank's words
    for the lines in ``failures`` (line id → words); ``changes`` line id → amount text."""
    failures, changes = failures or {}, changes or {}
    rows = ["户名|账号|金额|证件号码|结果|原因"]
    for line in [*lines, *extra]:
        amount = changes.get(line.pk, f"{line.amount_fen // 100}.{line.amount_fen % 100:02d}")
        words = failures.get(line.pk)
        rows.append(
            f"{line.person_name}|{line.account_number}|{amount}|{line.id_number}|"
            + (f"失败|{words}" if words else "成功|")
        )
    return ("\r\n".join(rows) + "\r\n").encode(encoding)
