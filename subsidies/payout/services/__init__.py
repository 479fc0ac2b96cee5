"""Every write of the payout (docs/policy.md §7), by concern: ``batches`` (opening a township's
month, generating its lines, the batch's moves), ``lines`` (holding and releasing a line),
``rules`` (the county's grade rules). The names callers use are re-exported."""

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
from subsidies.payout.services.lines import payout_line_hold, payout_line_release
from subsidies.payout.services.rules import grade_rule_create

__all__ = [
    "BATCH_TRANSITIONS",
    "TO_WORDS",
    "Generated",
    "grade_rule_create",
    "lines_tampered",
    "payout_batch_generate",
    "payout_batch_open",
    "payout_batch_start",
    "payout_batch_transition",
    "payout_line_hold",
    "payout_line_release",
    "settings_for",
]
