"""Reading the first sheet of an uploaded .xlsx file: python-calamine behind our own guards.

An upload is untrusted: a 246 KB file can unpack to 95 MB of shared strings. Before any library
sees it, the zip's directory is checked: no part, and not all parts together, may unpack to more
than a file of this size and an import of this many rows can need (``part_limit``: a ratio to the
file's size, a budget per row, an absolute cap), and the sheet's declared size is read from the
head of its part so that a million-row sheet is refused at once.

Then python-calamine (a Rust reader, about 4× faster than the hand-written ElementTree reader
this replaced and 10× faster than openpyxl's read-only mode: bench ``xlsx_read``) reads it in a
child process (``gongyi/xlsx_child.py``) with a memory and a CPU-time limit, so that whatever
slips past the guards exhausts that process, never the web server or the worker that started
the import, whether the jobs run in a Celery worker or eagerly in the web process. The child's
library parses the XML as a stream (no document tree) and hands back plain values (str, int,
float, bool, date and datetime, or None) row by row, with each row's own number; once the rows
are read, ``Sheet.merged`` holds the sheet's merged ranges.
"""

from __future__ import annotations

import io
import pickle
import re
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError, fromstring

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: A part may unpack to at most this many times the file's size (a roster's sheet: about 13),
EXPANSION_RATIO = 100
#: nor to more than this many bytes per row the import allows (a roster's row: about 830),
ROW_BYTES = 2048
#: nor ever to more than this; all parts together to at most twice the part limit.
MAX_PART_BYTES = 200 * 1024 * 1024
MAX_PARTS = 1000
#: The reading child's address space and CPU time (a 50,000-row roster: about 150 MB).
CHILD_MEMORY = 1024 * 1024 * 1024
CHILD_SECONDS = 120
_CHILD = Path(__file__).with_name("xlsx_child.py")
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


class XlsxError(Exception):
    """The file is not a readable workbook."""


class XlsxTooLarge(XlsxError):
    """The file unpacks to more than an import may read; ``limit`` in bytes."""

    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit


@dataclass
class Sheet:
    declared_rows: int  # from the sheet's <dimension>, 0 when the writer left it out
    rows: Iterator[tuple[int, list]]  # (row number, values), empty rows skipped
    #: The merged ranges ("B3:B5"), filled in when ``rows`` has been read to its end.
    merged: list[str] = field(default_factory=list)


def part_limit(file_bytes: int, max_rows: int) -> int:
    """The most a part of a file of ``file_bytes`` may unpack to, for an import of
    ``max_rows`` rows."""
    return min(
        EXPANSION_RATIO * max(file_bytes, 64 * 1024),
        ROW_BYTES * (max_rows + 1) + 1024 * 1024,
        MAX_PART_BYTES,
    )


def range_bounds(ref: str) -> tuple[int, int, int, int]:
    """(first row, last row, first column index, last column index) of "B3:D5" (or "B3")."""
    start, _sep, end = ref.partition(":")
    first, last = _CELL_REF.match(start), _CELL_REF.match(end or start)
    if first is None or last is None:
        raise XlsxError(ref)
    return (
        int(first.group(2)),
        int(last.group(2)),
        _column_index(first.group(1)),
        _column_index(last.group(1)),
    )


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def open_first_sheet(data: bytes, *, max_rows: int) -> Sheet:
    """The first sheet of the workbook in ``data``, for an import of at most ``max_rows`` rows;
    XlsxTooLarge if it unpacks to more than that needs, XlsxError if it cannot be read."""
    try:
        declared = _guard(data, max_rows)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ParseError, OSError) as exc:
        raise XlsxError(str(exc)) from None
    except (ValueError, EOFError, NotImplementedError) as exc:  # compression, encryption
        raise XlsxError(str(exc)) from None
    merged: list[str] = []
    return Sheet(declared, _child_rows(data, merged, part_limit(len(data), max_rows)), merged)


def _guard(data: bytes, max_rows: int) -> int:
    """Refuse a file that unpacks to too much; the sheet's declared last row."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    limit = part_limit(len(data), max_rows)
    parts = zf.infolist()
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > 2 * limit:
        raise XlsxTooLarge(limit)
    if any(p.file_size > limit for p in parts):
        raise XlsxTooLarge(limit)
    return _declared_rows(zf, _first_sheet_path(zf))


def _first_sheet_path(zf: zipfile.ZipFile) -> str:
    workbook = fromstring(zf.read("xl/workbook.xml"))
    sheet = workbook.find(f"{MAIN}sheets/{MAIN}sheet")
    if sheet is None:
        raise XlsxError("no sheet")
    rid = sheet.get(f"{REL}id")
    rels = fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{PKG_REL}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise XlsxError("no sheet part")


def _declared_rows(zf: zipfile.ZipFile, path: str) -> int:
    """The last row of the sheet's <dimension ref="A1:P10001">, read from the part's start."""
    with zf.open(path) as stream:
        head = stream.read(4096).decode("utf-8", "replace")
    match = re.search(r'<(?:\w+:)?dimension ref="[A-Z]*\d*:?[A-Z]*(\d+)"', head)
    return int(match.group(1)) if match else 0


def _child_rows(data: bytes, merged: list[str], limit: int) -> Iterator[tuple[int, list]]:
    """The rows the reading child sends, as they come; the child is ended when they stop being
    read."""
    child = subprocess.Popen(
        # -P: the project's folder is not put on the path (gongyi/calendar.py is not the
        # standard library's calendar).
        [sys.executable, "-P", str(_CHILD), str(CHILD_MEMORY), str(CHILD_SECONDS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    timer = threading.Timer(CHILD_SECONDS, child.kill)  # a child stuck without using CPU
    timer.start()
    try:
        try:
            child.stdin.write(data)
            child.stdin.close()
        except BrokenPipeError:
            pass  # the child has ended; what it said is read below
        while True:
            try:
                message = pickle.load(child.stdout)
            except (EOFError, pickle.UnpicklingError):
                # Killed by its memory or CPU limit, or by the timer.
                child.wait()
                if child.returncode != 0:
                    raise XlsxTooLarge(limit) from None
                raise XlsxError("the reader stopped") from None
            if message[0] == "rows":
                yield from message[1]
            elif message[0] == "merged":
                merged.extend(message[1])
            elif message[0] == "end":
                return
            elif message == ("error", "memory"):
                raise XlsxTooLarge(limit)
            else:
                raise XlsxError(message[1])
    finally:
        timer.cancel()
        if child.poll() is None:
            child.kill()
        child.wait()
        child.stdout.close()
