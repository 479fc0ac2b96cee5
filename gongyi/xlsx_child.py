"""The child process that reads an uploaded workbook with python-calamine (``gongyi.xlsx``).

Run as a script (``python -P xlsx_child.py MEMORY_BYTES CPU_SECONDS``), it limits its own address
space and CPU time first, reads the file from stdin and writes pickled messages to stdout:
``("rows", [(row number, values), …])`` in chunks, ``("merged", ["B3:B5", …])``, then
``("end",)``; or ``("error", text)``. It imports nothing of the project (nor Django): a file that
exhausts it takes down this process only.
"""

from __future__ import annotations

import io
import pickle
import resource
import sys

CHUNK = 2000


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _value(value):
    # Calamine gives "" for an empty cell and a float for every number; the imports want None,
    # and a whole number as an int (a float past 2**53 has lost digits and stays a float).
    if value == "" and isinstance(value, str):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return value if type(value).__module__ == "datetime" else str(value)


def read(data: bytes, send) -> None:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    start_column = sheet.start[1] if sheet.start else 0
    padding = [None] * start_column
    chunk = []
    # iter_rows starts at row 1 (empty rows are empty lists) but at the first used column.
    for index, cells in enumerate(sheet.iter_rows()):
        values = [_value(v) for v in cells]
        while values and values[-1] is None:
            values.pop()
        if values:
            chunk.append((index + 1, padding + values))
            if len(chunk) >= CHUNK:
                send(("rows", chunk))
                chunk = []
    if chunk:
        send(("rows", chunk))
    send(
        (
            "merged",
            [
                f"{_letters(c0)}{r0 + 1}:{_letters(c1)}{r1 + 1}"
                for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []
                if (r0, c0) != (r1, c1)  # a one-cell "range" merges nothing
            ],
        )
    )


def main() -> None:
    for limit, wanted in (
        (resource.RLIMIT_AS, int(sys.argv[1])),
        (resource.RLIMIT_CPU, int(sys.argv[2])),
    ):
        _soft, hard = resource.getrlimit(limit)
        value = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(limit, (value, value))
    out = sys.stdout.buffer

    def send(message) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)

    data = sys.stdin.buffer.read()
    try:
        read(data, send)
    except MemoryError:
        send(("error", "memory"))
    except Exception as exc:  # the library's errors: a damaged file
        send(("error", f"{type(exc).__name__}: {exc}"[:500]))
    else:
        send(("end",))
    out.flush()


if __name__ == "__main__":
    main()
