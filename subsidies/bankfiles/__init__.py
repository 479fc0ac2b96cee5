"""The bank's files of a payout (docs/policy.md §7), with no models of their own: the payment
file (代发文件) written in a county's bank template, the check that stops lines the bank would
refuse, the bank's return file (回盘文件) read in its template and matched to the payout lines.
The payout app (subsidies/payout) calls these; they read and write nothing in the database.

- ``templates``: ``FileTemplate`` and ``ReturnTemplate``, the columns and formats as data;
- ``check.payment_lines_check``: lines with an empty or malformed account or a name that is
  not the person file's, stopped with the reason;
- ``write.payment_file_write``: the payment file, streamed (xlsx or GBK/UTF-8 text);
- ``read.return_file_read``: the return's rows, each bad row reported by number;
- ``match.return_match``: each row to its payout line by ID number, account and amount.
"""

from subsidies.bankfiles.check import LineCheck, StoppedLine, payment_lines_check
from subsidies.bankfiles.enums import BankResult, FailureReason
from subsidies.bankfiles.match import (
    LineOutcome,
    MatchProblem,
    MatchResult,
    ProblemKind,
    payout_reference,
    return_match,
)
from subsidies.bankfiles.read import ReturnRead, ReturnRow, return_file_read
from subsidies.bankfiles.templates import (
    AmountFormat,
    ControlPlace,
    Encoding,
    Field,
    FileFormat,
    FileTemplate,
    ReturnColumn,
    ReturnField,
    ReturnTemplate,
    TemplateColumn,
)
from subsidies.bankfiles.write import FileTotals, payment_file_write

__all__ = [
    "AmountFormat",
    "BankResult",
    "ControlPlace",
    "Encoding",
    "FailureReason",
    "Field",
    "FileFormat",
    "FileTemplate",
    "FileTotals",
    "LineCheck",
    "LineOutcome",
    "MatchProblem",
    "MatchResult",
    "ProblemKind",
    "ReturnColumn",
    "ReturnField",
    "ReturnRead",
    "ReturnRow",
    "ReturnTemplate",
    "StoppedLine",
    "TemplateColumn",
    "payment_file_write",
    "payment_lines_check",
    "payout_reference",
    "return_file_read",
    "return_match",
]
