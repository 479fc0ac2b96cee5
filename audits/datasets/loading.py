"""Checking and loading one uploaded version of an external dataset, in the background
(docs/policy.md §8).

One pass over the file: each row is read by its kind's template (``audits.datasets.kinds``),
and the good rows are streamed with psycopg's COPY straight into ``DatasetRow``. The load is all
or nothing: at the first bad row the writing stops, the rest of the file is still checked so
that every bad row is reported by its number, and the rows written are rolled back; the version
is then refused with its bad rows listed. A file that is not a dataset of its kind (a missing or
unknown column, too many rows, neither UTF-8 nor GBK) is refused before any row is read.
"""

from __future__ import annotations

import time

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.datasets.enums import DatasetStatus
from audits.datasets.kinds import TEMPLATES, header_key, names_of
from audits.datasets.reading import (
    NULL,
    count_lines,
    csv_encoding,
    csv_rows,
    is_xlsx,
    reader_of,
)
from audits.datasets.reading import cell_error as _message
from audits.datasets.reading import xlsx_rows as _xlsx_rows
from audits.models import DatasetRow, DatasetVersion
from gongyi.audit import audit_record
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.importing import MAX_REPORTED_ERRORS

#: Rows written to COPY at once, and between two progress reports.
_BLOCK = 20_000
_PROGRESS_SECONDS = 1.0
_COLUMNS = ("id_number", "name", "start", "end", "unit", "reference")


class _BadRows(Exception):
    """Raised inside the load's savepoint to roll its rows back."""


def too_many_rows(rows: int, limit: int) -> DomainError:
    return DomainError(
        _(
            "The file has %(n)s rows; a dataset may have at most %(max)s. Split it by township "
            "or ask the administrator to raise the limit."
        )
        % {"n": f"{rows:,}", "max": f"{limit:,}"}
    )


def header_positions(kind: str, header: list) -> list[tuple[str, int]]:
    """(field key, position) of each column of the header; a missing or unknown column refuses
    the file, naming the columns and the template's headers."""
    names = names_of(kind)
    positions: dict[str, int] = {}
    unknown, twice = [], []
    for i, cell in enumerate(header):
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        field = names.get(header_key(text))
        if field is None:
            unknown.append(text)
        elif field.key in positions:
            twice.append(text)
        else:
            positions[field.key] = i
    missing = [f.header for f in TEMPLATES[kind] if f.required and f.key not in positions]
    if missing or unknown or twice:
        parts = []
        if missing:
            parts.append(_("Missing columns: %(cols)s.") % {"cols": "、".join(missing)})
        if unknown:
            parts.append(_("Columns not in the template: %(cols)s.") % {"cols": "、".join(unknown)})
        if twice:
            parts.append(_("Columns given twice: %(cols)s.") % {"cols": "、".join(twice)})
        template = "、".join(f.header for f in TEMPLATES[kind])
        raise DomainError(
            " ".join(parts)
            + " "
            + _("This kind's columns are: %(cols)s. Keep the template's first row as it is.")
            % {"cols": template}
        )
    return list(positions.items())


class _Progress:
    """The job's progress, written on a connection of its own: the load's transaction holds its
    rows until it ends, and the page must see the count move meanwhile."""

    def __init__(self, job_id: int | None):
        self.job_id, self.conn, self.last = job_id, None, 0.0

    def __call__(self, done: int, total: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.job_id is None or (not force and now - self.last < _PROGRESS_SECONDS):
            return
        self.last = now
        try:
            if self.conn is None:
                params = connection.get_connection_params()
                keys = ("dbname", "user", "password", "host", "port")
                self.conn = psycopg.connect(
                    **{k: params[k] for k in keys if params.get(k)}, autocommit=True
                )
            self.conn.execute(
                "UPDATE gongyi_job SET done = %s, total = %s WHERE id = %s",
                (done, max(total, done), self.job_id),
            )
        except psycopg.Error:
            self.job_id = None  # the progress is a courtesy: the load goes on without it

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def _rows_of(version: DatasetVersion, max_rows: int):
    """(estimated data rows, iterator of (row number, cells) from the header on)."""
    version.file.open("rb")
    stream = version.file.file
    head = stream.read(_SAMPLE_BYTES)
    stream.seek(0)
    if is_xlsx(head):
        declared, rows = _xlsx_rows(stream.read(), max_rows)
        return max(declared - 1, 0), rows
    lines = count_lines(stream)
    stream.seek(0)
    if lines - 1 > max_rows:
        raise too_many_rows(lines - 1, max_rows)
    return max(lines - 1, 0), csv_rows(stream, csv_encoding(head))


_SAMPLE_BYTES = 1024 * 1024


def dataset_load(*, version_id: int, job_id: int | None = None) -> dict:
    """Check and load the version's file: the version becomes loaded with all its rows, or
    refused with none (its file's problem or its bad rows). Safe to run twice: a version no
    longer being checked is left as it is."""
    progress = _Progress(job_id)
    try:
        with transaction.atomic():
            # Locked: two workers given the same version load it once.
            version = DatasetVersion.objects.select_for_update().get(pk=version_id)
            if version.status != DatasetStatus.CHECKING:
                return {"version": version.pk, "status": version.status}
            try:
                with transaction.atomic():
                    found = _load(version, progress)
                    if found["bad_rows"]:
                        raise _BadRows(found)
            except _BadRows as exc:
                found = exc.args[0]
                version.status = DatasetStatus.REJECTED
            except DomainError as exc:
                found = {"rows": 0, "bad_rows": 0, "errors": [], "error": exc.message}
                version.status = DatasetStatus.REJECTED
            else:
                version.status = DatasetStatus.LOADED
                version.loaded_at = timezone.now()
                version.loaded_rows = found["rows"]
            version.row_count = found["rows"]
            version.error_count = found["bad_rows"]
            version.errors = found["errors"]
            version.error = found.get("error", "")
            version.save(
                update_fields=[
                    "status",
                    "loaded_at",
                    "loaded_rows",
                    "row_count",
                    "error_count",
                    "errors",
                    "error",
                ]
            )
            audit_record(
                actor=version.uploaded_by,
                action=AuditAction.IMPORT,
                instance=version,
                note=_("%(kind)s: %(status)s, %(rows)s rows, %(bad)s bad rows")
                % {
                    "kind": version.get_kind_display(),
                    "status": version.get_status_display(),
                    "rows": version.row_count,
                    "bad": version.error_count,
                },
            )
    finally:
        progress.close()
    return {
        "version": version.pk,
        "status": version.status,
        "rows": version.row_count,
        "loaded": version.loaded_rows,
        "bad_rows": version.error_count,
    }


def _load(version: DatasetVersion, progress: _Progress) -> dict:
    """COPY the file's good rows into ``DatasetRow``; what was found. Raises DomainError for a
    file refused as a whole."""
    max_rows = settings.GONGYI_DATASET_MAX_ROWS
    total, rows = _rows_of(version, max_rows)
    _number, header = next(rows, (0, None))
    if header is None:
        raise DomainError(_("The file is empty."))
    template = {f.key: f for f in TEMPLATES[version.kind]}
    positions = header_positions(version.kind, header)
    headers = {key: str(header[i]).strip() for key, i in positions}
    # COPY's columns after the version: the ID number, the row's number, then the rest.
    order = ["id_number", "line", *_COLUMNS[1:]]
    readers = [
        (order.index(key), i, reader_of(template[key]), template[key].required, headers[key])
        for key, i in positions
    ]
    width = max(i for _key, i in positions) + 1
    empty = [""] * len(order)
    empty[order.index("end")] = NULL
    version_id = str(version.pk)
    errors: list[dict] = []
    bad_rows = data_rows = 0
    block: list[str] = []
    table = DatasetRow._meta.db_table
    columns = ", ".join(f'"{c}"' for c in ("version_id", *order))
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        writing = True
        for number, cells in rows:
            if len(cells) < width:
                cells = list(cells) + [None] * (width - len(cells))
            if not any(cells):
                continue  # an empty row
            data_rows += 1
            if data_rows > max_rows:
                raise too_many_rows(data_rows, max_rows)
            values = empty.copy()
            values[1] = str(number)
            row_bad = False
            for at, i, read, required, column in readers:
                cell = cells[i]
                if cell is None or cell == "" or (type(cell) is str and cell.isspace()):
                    if not required:
                        continue
                    message = _("This column is required.")
                else:
                    try:
                        values[at] = read(cell)
                        continue
                    except ValueError as exc:
                        message = _message(exc)
                row_bad = True
                if len(errors) < MAX_REPORTED_ERRORS:
                    errors.append({"row": number, "column": column, "message": message})
            if row_bad:
                bad_rows += 1
                writing = False
                block = []
            elif writing:
                block.append(version_id)
                block.append("\t")
                block.append("\t".join(values))
                block.append("\n")
                if len(block) >= 4 * _BLOCK:  # four items a row
                    copy.write("".join(block))
                    block = []
                    progress(data_rows, total)
            elif data_rows % _BLOCK == 0:
                progress(data_rows, total)
        if writing and block:
            copy.write("".join(block))
    progress(data_rows, total, force=True)
    if not data_rows:
        # An empty list would make every open finding of its kind look gone.
        raise DomainError(_("The file has no rows under its header."))
    return {"rows": data_rows, "bad_rows": bad_rows, "errors": errors}
