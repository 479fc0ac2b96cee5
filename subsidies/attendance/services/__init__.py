"""Every write of attendance (docs/policy.md §7), by concern: ``cells`` (marking days: the grid,
all present, the day's marking) and ``months`` (submit, return, close with the frozen totals,
preparing a month, corrections of a closed month). The names callers use are re-exported."""

from subsidies.attendance.services.cells import (
    PRESENT_TEXT,
    PRESENT_TOKENS,
    Cell,
    Marks,
    _lock_sheet,
    day_mark,
    fill_present_rows,
    grid_save,
    leave_held,
    leave_refusal,
    sheet_fill_present,
)
from subsidies.attendance.services.months import (
    SHEET_TRANSITIONS,
    TO_WORDS,
    adjustment_add,
    freeze_totals,
    month_prepare_for,
    sheet_transition,
)

__all__ = [
    "PRESENT_TEXT",
    "PRESENT_TOKENS",
    "SHEET_TRANSITIONS",
    "TO_WORDS",
    "Cell",
    "Marks",
    "_lock_sheet",
    "adjustment_add",
    "day_mark",
    "fill_present_rows",
    "freeze_totals",
    "grid_save",
    "leave_held",
    "leave_refusal",
    "month_prepare_for",
    "sheet_fill_present",
    "sheet_transition",
]
