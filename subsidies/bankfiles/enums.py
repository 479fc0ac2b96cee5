"""What the bank said of a payout line (docs/policy.md §7): paid or failed, and why, in a small
set of reasons the township can act on; the bank's own words are kept beside it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BankResult(models.TextChoices):
    PAID = "paid", _("Paid by the bank")
    FAILED = "failed", _("Failed at the bank")


class FailureReason(models.TextChoices):
    """A failed line's reason: each but OTHER says what to fix before it is paid again."""

    NAME_MISMATCH = "name_mismatch", _("Account name does not match")
    NO_ACCOUNT = "no_account", _("Account does not exist")
    ACCOUNT_CLOSED = "account_closed", _("Account frozen or closed")
    OTHER = "other", _("Other reason")


#: The bank's words for each reason, looked for in its text in this order (a name mismatch is
#: checked first: "账户户名不符" also holds "账户").
REASON_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        FailureReason.NAME_MISMATCH,
        (
            "户名不符",
            "户名不一致",
            "户名错误",
            "姓名不符",
            "姓名不一致",
            "户名与账号不符",
            "账户名称不符",
        ),
    ),
    (
        FailureReason.ACCOUNT_CLOSED,
        (
            "冻结",
            "销户",
            "已销",
            "注销",
            "止付",
            "挂失",
            "久悬",
            "睡眠",
            "不动户",
            "状态异常",
            "状态不正常",
        ),
    ),
    (
        FailureReason.NO_ACCOUNT,
        (
            "账户不存在",
            "账号不存在",
            "帐号不存在",
            "帐户不存在",
            "卡号不存在",
            "无此账户",
            "无此账号",
            "无此帐号",
            "无此卡",
            "账号错误",
            "卡号错误",
            "无效账号",
            "无效卡号",
        ),
    ),
)


def failure_reason(text: str) -> str:
    """The reason the bank's ``text`` names; OTHER when it names none of them."""
    for reason, words in REASON_WORDS:
        if any(word in text for word in words):
            return reason
    return FailureReason.OTHER
