"""Matching the bank's return to the payout lines (docs/policy.md §7): a pure function of the
lines the payment file held and the rows the bank sent back.

A row settles a line when its ID number, account and amount are the line's, all three (a name
alone is not enough: namesakes exist, and an account alone may be a family's). Every other row is
reported by its row number, never guessed at: a row no line has (unknown; with the cause when the
ID number is the batch's but the account is not), a second row for a line already settled
(duplicate), a row whose amount is not the line's. Lines the bank sent nothing back for are
reported too. Settled lines are paid or failed with the bank's reason in the small set of
``FailureReason``, the bank's own words kept.

Another batch's return can match by all three (last month's return, for people paid the same
each month): each payment file's remark carries its batch's reference (``payout_reference``),
and where the bank echoes the remark back (the return template's remark column), a row with
another batch's reference is reported, never settled.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _

from people.idnumbers import normalise
from subsidies.bankfiles.enums import BankResult, FailureReason
from subsidies.bankfiles.money import yuan_text
from subsidies.bankfiles.read import ReturnRow

#: A payout batch's reference in its payment file's remarks: GY and the batch's number.
REFERENCE = re.compile(r"GY\d{8,}")


def payout_reference(batch_id: int) -> str:
    """The reference of payout batch ``batch_id`` in its payment file's remarks."""
    return f"GY{batch_id:08d}"


class ProblemKind(StrEnum):
    OTHER_BATCH = "other_batch"
    UNKNOWN = "unknown"
    DUPLICATE = "duplicate"
    AMOUNT = "amount"
    MISSING = "missing"


@dataclass(frozen=True)
class LineOutcome:
    """What the bank did with a payout line."""

    line_id: Hashable
    row: int
    result: BankResult
    reason: FailureReason | None
    reason_text: str


@dataclass(frozen=True)
class MatchProblem:
    """A row that settles no line (``row``), or a line no row settled (``row`` None); the line
    when one is concerned."""

    kind: ProblemKind
    row: int | None
    line_id: Hashable | None
    message: str


@dataclass
class MatchResult:
    outcomes: list[LineOutcome] = field(default_factory=list)
    problems: list[MatchProblem] = field(default_factory=list)
    #: Set when no row of a non-empty file is a line of the batch: the return of another one.
    other_batch: str = ""

    @property
    def missing(self) -> list[Hashable]:
        return [p.line_id for p in self.problems if p.kind == ProblemKind.MISSING]


def return_match(
    expected: Mapping[Hashable, tuple[str, str, int]],
    rows: Iterable[ReturnRow],
    reference: str = "",
) -> MatchResult:
    """Match the return's ``rows`` to the payout lines ``expected`` (line id → ID number, account
    number, amount in fen, as the payment file held them). Each line gets at most one outcome; a
    line whose row is in ``problems`` gets none, and stays unsettled. With ``reference`` (the
    batch's, ``payout_reference``), a row whose remark carries another reference settles
    nothing and is reported; a row with no reference in its remark is matched as any other."""
    # (ID number, account, amount) → the lines with it not yet settled, last first; two lines
    # of one person in one file (a month and a correction) may even share all three.
    waiting: dict[tuple[str, str, int], list[Hashable]] = defaultdict(list)
    by_account: dict[tuple[str, str], list[Hashable]] = defaultdict(list)
    id_numbers: set[str] = set()
    amounts: dict[Hashable, int] = {}
    for line_id, (id_number, account, amount) in expected.items():
        id_number, account = normalise(id_number or ""), "".join((account or "").split())
        waiting[(id_number, account, amount)].append(line_id)
        by_account[(id_number, account)].append(line_id)
        id_numbers.add(id_number)
        amounts[line_id] = amount
    for lines in waiting.values():
        lines.reverse()
    result = MatchResult()
    settled_by: dict[tuple[str, str, int], int] = {}  # key → the row that settled its last line
    reported: set[Hashable] = set()  # lines whose row is a problem
    row_of: dict[Hashable, int] = {}  # a settled line → its row
    rows_seen = 0
    for row in rows:
        rows_seen += 1
        found = set(REFERENCE.findall(row.remark)) if reference else set()
        if found and reference not in found:
            result.problems.append(
                MatchProblem(
                    ProblemKind.OTHER_BATCH,
                    row.row,
                    None,
                    _(
                        "Row %(row)s carries the reference %(found)s of another payout batch "
                        "(this one's is %(reference)s); it is left out."
                    )
                    % {"row": row.row, "found": "、".join(sorted(found)), "reference": reference},
                )
            )
            continue
        key = (row.id_number, row.account_number, row.amount)
        lines = waiting.get(key)
        if lines:
            line_id = lines.pop()
            settled_by[key] = row_of[line_id] = row.row
            result.outcomes.append(
                LineOutcome(line_id, row.row, row.result, row.reason, row.reason_text)
            )
        elif key in settled_by:
            result.problems.append(
                MatchProblem(
                    ProblemKind.DUPLICATE,
                    row.row,
                    None,
                    _(
                        "Row %(row)s repeats row %(first)s (the same ID number, account and "
                        "amount), and the payout batch has no other such line; it is left out."
                    )
                    % {"row": row.row, "first": settled_by[key]},
                )
            )
        elif (row.id_number, row.account_number) in by_account:
            candidates = by_account[(row.id_number, row.account_number)]
            line_id = next((i for i in candidates if i not in row_of and i not in reported), None)
            if line_id is None:
                result.problems.append(
                    MatchProblem(
                        ProblemKind.DUPLICATE,
                        row.row,
                        None,
                        _(
                            "Row %(row)s: another row for the payout line of row %(first)s, with "
                            "another amount (%(amount)s yuan); it is left out."
                        )
                        % {
                            "row": row.row,
                            "first": row_of.get(candidates[0], "?"),
                            "amount": yuan_text(row.amount),
                        },
                    )
                )
                continue
            reported.add(line_id)
            result.problems.append(
                MatchProblem(
                    ProblemKind.AMOUNT,
                    row.row,
                    line_id,
                    _(
                        "Row %(row)s: the amount %(amount)s yuan is not the payout line's "
                        "%(expected)s yuan; the line is left unsettled."
                    )
                    % {
                        "row": row.row,
                        "amount": yuan_text(row.amount),
                        "expected": yuan_text(amounts[line_id]),
                    },
                )
            )
        elif row.id_number in id_numbers:
            result.problems.append(
                MatchProblem(
                    ProblemKind.UNKNOWN,
                    row.row,
                    None,
                    _(
                        "Row %(row)s: the ID number is in this payout batch, but not with this "
                        "card or account number."
                    )
                    % {"row": row.row},
                )
            )
        else:
            result.problems.append(
                MatchProblem(
                    ProblemKind.UNKNOWN,
                    row.row,
                    None,
                    _("Row %(row)s: no line of this payout batch has this ID number.")
                    % {"row": row.row},
                )
            )
    for line_id in expected:
        if line_id not in row_of and line_id not in reported:
            result.problems.append(
                MatchProblem(
                    ProblemKind.MISSING,
                    None,
                    line_id,
                    _("The bank's return has no row for this payout line."),
                )
            )
    if rows_seen and not result.outcomes:
        result.other_batch = _(
            "None of the return file's rows is a line of this payout batch: is it the return "
            "of another payout batch?"
        )
    return result
