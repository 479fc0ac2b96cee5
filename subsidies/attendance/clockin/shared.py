"""What the steps of a clock-in import pass between them (docs/policy.md §7): the jobs' kinds,
a row of the file as read, and the check's result, which the commit writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from gongyi.importing import CheckResult

CHECK, COMMIT = "attendance.import_check", "attendance.import_commit"


@dataclass
class Line:
    """One row of the file, read: whose, which day, and what it says of the day."""

    number: int
    id_number: str
    name: str
    day: dt.date | None
    punches: list[dt.time] = field(default_factory=list)
    mark: str = ""
    hours: Decimal | None = None


@dataclass
class ClockInResult(CheckResult):
    #: (attendance row id, day index from 0) → (mark, hours): what a commit writes.
    cells: dict[tuple[int, int], tuple[int, Decimal | None]] = field(default_factory=dict)
    changed: int = 0

    def as_dict(self):
        return super().as_dict() | {"days": len(self.cells), "changed": self.changed}
