"""Every write of the payout (docs/policy.md §7), by concern: ``batches`` (opening a township's
month, generating its lines, the batch's moves), ``lines`` (holding and releasing a line),
``rules`` (the county's grade rules), ``insurance`` (flexible workers' insurance, the accident
premium paid to the insurer), ``bank`` (bank templates, the payment file and the
bank's return), ``fixes`` (account fixes and follow-up batches). The names callers use are
re-exported."""

from subsidies.payout.services.bank import (
    ReturnDone,
    ReturnRefused,
    bank_template_save,
    payment_file_download,
    payout_file_issue,
    payout_file_issue_start,
    payout_return_read,
    payout_return_start,
)
from subsidies.payout.services.batches import (
    BATCH_TRANSITIONS,
    TO_WORDS,
    Generated,
    lines_tampered,
    payout_batch_generate,
    payout_batch_open,
    payout_batch_start,
    payout_batch_transition,
    settings_for,
)
from subsidies.payout.services.fixes import account_fix_complete
from subsidies.payout.services.insurance import (
    accident_premium_pay,
    flexible_insurance_record,
    flexible_insurance_withdraw,
    insured_lists_download,
)
from subsidies.payout.services.lines import (
    payout_line_hold,
    payout_line_offset,
    payout_line_release,
    payout_lines_stop,
)
from subsidies.payout.services.rules import grade_rule_create

__all__ = [
    "BATCH_TRANSITIONS",
    "TO_WORDS",
    "Generated",
    "ReturnDone",
    "ReturnRefused",
    "accident_premium_pay",
    "account_fix_complete",
    "bank_template_save",
    "flexible_insurance_record",
    "flexible_insurance_withdraw",
    "grade_rule_create",
    "insured_lists_download",
    "lines_tampered",
    "payment_file_download",
    "payout_batch_generate",
    "payout_batch_open",
    "payout_batch_start",
    "payout_batch_transition",
    "payout_file_issue",
    "payout_file_issue_start",
    "payout_line_hold",
    "payout_line_offset",
    "payout_line_release",
    "payout_lines_stop",
    "payout_return_read",
    "payout_return_start",
    "settings_for",
]
