"""Attendance imported from a file (docs/policy.md §7): a clock-in app's export (钉钉 or the like:
one row per punch, or per day with several punch columns) or the county's own sheet (one row per
person and day, with the mark the grid takes), checked whole first, then the good rows or nothing
(``gongyi.importing``, as the other imports).

People are found by their ID number (15 digits become 18, a lower-case x upper-case); the platform
keeps no staff numbers, so a 工号 column is read as the ID number, and the row's name must be the
person's. A row belongs to a placement in the importer's area on that day, in a month whose sheet
is open; the day must be a planned working day of the placement and not still to come. A day with
a punch is a day present; an hourly post's hours are its last punch less its first, to 0.1 hour
rounded half up, and no more than the most a day may record (``attendance.max_hours_per_day``).
Days without a punch stay as they are: leave and absence are marked on the grid.

Set-based: the people, their placements and their months are read once per file; the commit
locks the sheets concerned, writes every changed row of them in one statement and records one
audit entry per changed row and one for the import. The same file imported twice changes
nothing the second time.

The package, by step: ``formats`` reads the file (an .xlsx workbook or a CSV file in its
encodings) and its cells; ``check`` checks every row against the registry and the months;
``commit`` writes the good days, all or nothing; ``jobs`` runs the two as background jobs;
``shared`` holds what they pass between them. Every name callers use is importable from here.
"""

from subsidies.attendance.clockin.check import MAX_MONTHS, clockin_import_check
from subsidies.attendance.clockin.commit import WRITE_SQL, clockin_import_commit
from subsidies.attendance.clockin.formats import (
    ALIASES,
    HEADER_SEARCH_ROWS,
    MAX_ROWS,
    NO_PUNCH,
    SHEET_HEADERS,
    TENTH,
    file_rows,
)
from subsidies.attendance.clockin.jobs import run_import_check, run_import_commit
from subsidies.attendance.clockin.shared import CHECK, COMMIT, ClockInResult, Line

__all__ = [
    "ALIASES",
    "CHECK",
    "COMMIT",
    "HEADER_SEARCH_ROWS",
    "MAX_MONTHS",
    "MAX_ROWS",
    "NO_PUNCH",
    "SHEET_HEADERS",
    "TENTH",
    "WRITE_SQL",
    "ClockInResult",
    "Line",
    "clockin_import_check",
    "clockin_import_commit",
    "file_rows",
    "run_import_check",
    "run_import_commit",
]
