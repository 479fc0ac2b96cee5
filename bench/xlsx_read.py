"""Benchmark of reading an import file: the 50,000-row roster (bench ``people_import``'s) read by
the imports' reader (python-calamine in a limited child process, behind the zip guards), by the
library alone in this process, by the hand-written ElementTree reader it replaced
(``bench/xlsx_handwritten.py``) and by openpyxl's read-only mode, in one run. The library stays
unless the hand-written reader is at least twice as fast. Figures and ratios only."""

from __future__ import annotations

import io
import resource
import statistics
import time
import zipfile

from bench.people_import import ROWS, roster_file, roster_rows


def _imports_reader(data: bytes) -> int:
    from gongyi.xlsx import open_first_sheet

    return sum(1 for _ in open_first_sheet(data, max_rows=ROWS).rows)


def _calamine_alone(data: bytes) -> int:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    return sum(1 for _ in sheet.iter_rows())


def _handwritten(data: bytes) -> int:
    from bench.xlsx_handwritten import open_first_sheet

    return sum(1 for _ in open_first_sheet(data).rows)


def _openpyxl(data: bytes) -> int:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))


def _median_seconds(read, data: bytes, repeat: int) -> tuple[float, int]:
    samples, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = read(data)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), rows


def bench_xlsx_read(rows: int = ROWS, repeat: int = 3) -> None:
    """Reading a 50,000-row roster, python-calamine vs the hand-written reader."""
    data = roster_file(roster_rows(rows))
    sheet = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    print(
        f"file: {rows} rows, {len(data) / 1e6:.1f} MB; its sheet unpacks to "
        f"{sheet.file_size / 1e6:.1f} MB ({sheet.file_size / sheet.compress_size:.1f}x)"
    )
    readers = (
        ("imports (calamine in a child)", _imports_reader),
        ("calamine alone", _calamine_alone),
        ("hand-written", _handwritten),
        ("openpyxl read-only", _openpyxl),
    )
    figures = {}
    for label, read in readers:
        seconds, count = _median_seconds(read, data, 1 if "openpyxl" in label else repeat)
        figures[label] = seconds
        print(f"  {label:<30} {seconds:>7.2f} s  {count} rows")
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  reading child's peak memory: {child:.0f} MB")
    ours, hand = figures["imports (calamine in a child)"], figures["hand-written"]
    verdict = (
        "the hand-written reader is at least 2x faster"
        if hand * 2 <= ours
        else "the hand-written reader is not 2x faster: the library stays"
    )
    print(
        f"time hand-written / imports: {hand / ours:.2f}x; hand-written / calamine alone: "
        f"{hand / figures['calamine alone']:.2f}x; openpyxl / imports: "
        f"{figures['openpyxl read-only'] / ours:.2f}x ({verdict})"
    )
