"""What every Excel import shares: reading the sheet, the cell helpers, the header row, the result
of a check, and the commit that runs once per checked file.

An import checks the whole file first and writes nothing (the check job); the user then imports
the good rows or nothing (the commit job), which checks the file again and writes in one
transaction. ``posts.imports`` and ``people.imports`` build on this. An import may keep what its
check found with the file (``checked_payload``), so that its commit need not read and check the
file again when nothing the rows were checked against has changed (``people.imports``).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hmac
import json
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import TextChoices
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from gongyi.errors import CellError, DomainError
from gongyi.models import Job, JobStatus
from gongyi.text import control_character_error
from gongyi.xlsx import XlsxError, XlsxTooLarge, open_first_sheet, range_bounds

MAX_FILE_BYTES = 20 * 1024 * 1024
#: Reported cell errors are capped so that a broken file does not make a page of 200,000 rows.
MAX_REPORTED_ERRORS = 1000


@dataclass(frozen=True)
class Column:
    """One column of an import file."""

    key: str  # the field it fills
    header: str  # lazy; read under zh-hans
    kind: str  # how the cell is read: the import's own kinds (text, int, choice, …)
    required: bool = True
    choices: type[TextChoices] | None = None
    hint: str = ""


def headers_of(columns: list[Column]) -> list[str]:
    """The file's header row: the columns' Chinese headers, whatever the page's language."""
    with translation.override("zh-hans"):
        return [str(c.header) for c in columns]


def _damaged() -> DomainError:
    return DomainError(
        _(
            "The file is damaged and cannot be read. Open it in Excel, save it again as .xlsx "
            "and import that."
        )
    )


def _too_large(exc: XlsxTooLarge) -> DomainError:
    return DomainError(
        _(
            "Unpacked, this file is larger than an import can take (%(limit)s MB): it is not an "
            "ordinary workbook. Save it again in Excel as .xlsx, or split it into smaller files."
        )
        % {"limit": exc.limit // (1024 * 1024)}
    )


def read_rows(
    data: bytes,
    *,
    max_rows: int,
    merged: list[str] | None = None,
    header_number: list[int] | None = None,
):
    """Yield (row number, values) of the first sheet's rows; first (declared row count, header).

    Refuses, with a message the user can act on, what is not a readable .xlsx: an old .xls or a
    password-protected file (both OLE containers), a corrupted file, a sheet with too many rows
    (at once when the sheet declares its size, else at the first row past the limit), a file
    that unpacks to more than such a sheet needs (``gongyi.xlsx.part_limit``). Once the rows are
    read, the sheet's merged ranges are appended to ``merged``; the header's row number (the
    first row that holds something) is appended to ``header_number`` before it is yielded.
    """
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise DomainError(
            _(
                "This is an old .xls file or a password-protected workbook. Save it in Excel as "
                ".xlsx without a password and import that."
            )
        )
    if data[:2] != b"PK":
        raise DomainError(_("This is not an Excel .xlsx file. Use the template."))
    try:
        sheet = open_first_sheet(data, max_rows=max_rows)  # not read yet
    except XlsxTooLarge as exc:
        raise _too_large(exc) from None
    except XlsxError:
        raise _damaged() from None
    try:
        try:
            first = next(sheet.rows, None)
        except XlsxTooLarge as exc:
            raise _too_large(exc) from None
        except XlsxError:
            raise _damaged() from None
        if first is None:
            raise DomainError(_("The file is empty."))
        first_number, header = first
        if header_number is not None:
            header_number.append(first_number)
        declared = sheet.declared_rows
        if declared - first_number > max_rows:
            raise DomainError(
                _(
                    "The file has %(n)s rows; one import takes at most %(max)s. Split it into "
                    "smaller files."
                )
                % {"n": declared - first_number, "max": max_rows}
            )
        yield declared, header  # the first item: the declared row count, the header
        yield from _body_rows(sheet.rows, first_number, max_rows)
    finally:
        sheet.rows.close()  # ends the reading child at once when the rows are not all read
    if merged is not None:
        merged.extend(sheet.merged)


def _body_rows(rows, header_number: int, max_rows: int):
    """The rows below the header, with a row for each row the file holds nothing in."""
    previous = header_number
    while True:
        try:
            item = next(rows, None)
        except XlsxTooLarge as exc:
            raise _too_large(exc) from None
        except XlsxError:  # a damaged sheet can fail anywhere below its header
            raise _damaged() from None
        if item is None:
            return
        number, values = item
        if number - header_number > max_rows:
            raise DomainError(
                _("The file has more than %(max)s rows; split it into smaller files.")
                % {"max": max_rows}
            )
        for empty in range(previous + 1, number):
            yield empty, []
        previous = number
        yield number, values


def without_gc(function):
    """Run ``function`` with the cyclic garbage collector off (as it was, after).

    A check or commit of tens of thousands of rows makes millions of small objects that live
    until it ends; the collector would walk them again and again (a third of a 50,000-row
    import's time, bench ``people_import``) and find nothing: they are freed by reference
    counting when the import returns."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper


# --- cells --------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def checked_text(text: str, *, multiline: bool = False) -> str:
    """``text``, or ValueError with the message if it holds a control character."""
    message = control_character_error(text, multiline=multiline)
    if message:
        raise ValueError(message)
    return text


def multiline_keys(model, columns: list[Column]) -> frozenset[str]:
    """The keys of the text columns that fill a multi-line field (a TextField) of ``model``."""
    from django.core.exceptions import FieldDoesNotExist
    from django.db.models import TextField

    keys = set()
    for column in columns:
        try:
            if isinstance(model._meta.get_field(column.key), TextField):
                keys.add(column.key)
        except FieldDoesNotExist:
            pass
    return frozenset(keys)


def _int(value) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value).replace(",", "")
    if not text.lstrip("-").isdigit():
        raise ValueError
    return int(text)


def _decimal(value, places: int) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    text = str(value) if isinstance(value, int | float) else _text(value)
    try:
        number = Decimal(text.replace(",", "").replace("元", "").strip())
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    rounded = number.quantize(Decimal(1).scaleb(-places))
    if rounded != number:
        raise ValueError  # more decimal places than the column has
    return rounded


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _date(value) -> dt.date:
    """A date cell: a real date, or text as offices write it: 2020-03-01, 2020/3/1, 2020.3.1,
    20200301, 2020年3月1日. ValueError with the message for the user otherwise."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise ValueError(_("Enter a date without a time, such as 2020-03-01."))
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    match = _DATE_TEXT.match(text) or _DATE_DIGITS.match(text)
    if match is None or isinstance(value, bool):
        raise ValueError(
            _("%(value)s is not a date. Enter a date such as 2020-03-01.") % {"value": text}
        )
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(_("The date %(value)s does not exist.") % {"value": text}) from None


def excel_number_lost(value) -> str | None:
    """How Excel shows a long number it has stored as a float (3.70902E+17), if ``value`` is
    one: such a number has lost its digits past the fifteenth."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, int) and len(str(abs(value))) <= 15:
        return None
    if isinstance(value, float) and abs(value) < 1e15:
        return None
    return f"{float(value):.5E}"


def choice_map(choices: type[TextChoices]) -> dict[str, str]:
    """Chinese label → value, and each value to itself."""
    with translation.override("zh-hans"):
        return {str(label): value for value, label in choices.choices} | {
            value: value for value in choices.values
        }


def choice_labels(choices: type[TextChoices]) -> str:
    with translation.override("zh-hans"):
        return "、".join(str(label) for _v, label in choices.choices)


# --- the header row -----------------------------------------------------------------------------


def header_map(header: tuple | list, columns: list[Column]) -> dict[str, int]:
    """Column key → position; wrong or missing headers are refused before any row is read."""
    with translation.override("zh-hans"):
        expected = {str(c.header): c for c in columns}
    found = [_text(h) for h in header]
    positions = {expected[h].key: i for i, h in enumerate(found) if h in expected}
    missing = [h for h, c in expected.items() if c.required and c.key not in positions]
    unknown = [h for h in found if h and h not in expected]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("Missing columns: %(cols)s.") % {"cols": "、".join(missing)})
        if unknown:
            parts.append(_("Columns not in the template: %(cols)s.") % {"cols": "、".join(unknown)})
        raise DomainError(
            " ".join(parts) + " " + _("Download the template and keep its first row as it is.")
        )
    return positions


def merged_cell_errors(
    merged: list[str], positions: dict[str, int], headers: dict[str, str], *, last_row: int
) -> Iterator[CellError]:
    """One error on each row a merged range covers below the header: a merged cell holds its
    value in its first row only, so the other rows would be read as empty."""
    by_position = {i: key for key, i in positions.items()}
    for ref in merged:
        top, bottom, left, right = range_bounds(ref)
        keys = [by_position[i] for i in range(left, right + 1) if i in by_position]
        if not keys or bottom <= 1:
            continue  # outside the template's columns, or in the header row
        message = _("Merged cells %(range)s: unmerge them and fill in every row.") % {"range": ref}
        for number in range(max(top, 2), min(bottom, last_row) + 1):
            yield CellError(number, headers[keys[0]], message)


# --- the result of a check ----------------------------------------------------------------------


@dataclass
class CheckResult:
    """What a check found: ``good`` holds the objects a commit writes."""

    rows: int = 0
    good: list = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    error_rows: set[int] = field(default_factory=set)
    empty_rows: list[int] = field(default_factory=list)
    #: A digest of what the rows were checked against (areas, lists, settings, the day): a commit
    #: that computes the same may write the checked rows without checking them again.
    fingerprint: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "valid": len(self.good),
            "invalid": len(self.error_rows),
            "error_count": len(self.errors),
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message}
                for e in self.errors[:MAX_REPORTED_ERRORS]
            ],
            "empty_rows": self.empty_rows[:100],
        }


# --- what a check found, kept with the file -----------------------------------------------------

#: The check job's payload after the check: this, an HMAC, the file's length, the file, and the
#: check's state as compressed JSON. An .xlsx file begins with "PK", never with this.
CHECKED_MAGIC = b"gongyi-checked\n"
_HMAC_SALT = "gongyi.importing.checked_payload"


def _signature(body: bytes) -> bytes:
    return salted_hmac(_HMAC_SALT, body, algorithm="sha256").digest()


def checked_payload(data: bytes, state: Any) -> bytes:
    """The file ``data`` and what its check found (``state``, JSON values), signed with the
    secret key so that only this code's own states are ever read back (``split_payload``)."""
    text = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
    body = len(data).to_bytes(8, "big") + data + zlib.compress(text.encode(), 1)
    return CHECKED_MAGIC + _signature(body) + body


def split_payload(payload: bytes) -> tuple[bytes, Any]:
    """(the file, the check's state or None) of a check job's payload: None for a bare file, and
    for a state whose signature does not hold or that cannot be read."""
    if not payload.startswith(CHECKED_MAGIC):
        return payload, None
    signature = payload[len(CHECKED_MAGIC) : len(CHECKED_MAGIC) + 32]
    body = payload[len(CHECKED_MAGIC) + 32 :]
    size = int.from_bytes(body[:8], "big")
    data = body[8 : 8 + size]
    if not hmac.compare_digest(signature, _signature(body)):
        return data, None
    try:
        return data, json.loads(zlib.decompress(body[8 + size :]))
    except (zlib.error, ValueError):
        return data, None


# --- check job → commit job, once ---------------------------------------------------------------


def done_already() -> DomainError:
    return DomainError(_("This file has been imported or cancelled already."))


def import_commit_once(
    job: Job, commit: Callable[..., CheckResult], *, progress
) -> tuple[CheckResult, Job]:
    """Run ``commit(actor=, data=, progress=, file_name=)`` on the payload of the job's check job
    (the file, or ``checked_payload``'s file and state), once: the check job is locked and marked, so pressing "import" twice, or after "import
    nothing", imports nothing more. Runs in the caller's transaction or its own."""
    with transaction.atomic():
        # Locked so that pressing "import" twice imports once.
        check = Job.objects.select_for_update().get(pk=job.params["check_job"])
        if check.status != JobStatus.DONE or check.result.get("committed_by") is not None:
            raise done_already()
        result = commit(
            actor=job.created_by,
            data=bytes(check.payload),
            progress=progress,
            file_name=check.file_name,
        )
        check.result = check.result | {"committed_by": job.pk}
        check.payload = b""
        check.save(update_fields=["result", "payload"])
    return result, check


def import_cancel(job: Job) -> bool:
    """Mark a checked file "import nothing" and drop its bytes; False if it was imported or
    cancelled already."""
    with transaction.atomic():
        # Locked as the commit job locks it: a cancel and an import never both win.
        job = Job.objects.select_for_update().get(pk=job.pk)
        if not job.finished or job.result.get("committed_by") is not None:
            return False
        job.result = job.result | {"committed_by": 0, "cancelled": True}
        job.payload = b""
        job.save(update_fields=["result", "payload"])
    return True
