"""Benchmark of the bank files (issue 15 part 5 and 6; subsidies/bankfiles): writing a 100,000-line
payment file as .xlsx (xlsxwriter, constant_memory) and as GBK text with its control line first
(the lines spooled through a temporary file), each in a child process of its own so that its
peak memory (``ru_maxrss``, the whole process: interpreter, Django, the lines and the writer) is
its own; the baseline in the same run is openpyxl's normal workbook writing the same lines. Then
reading and matching a 100,000-line return file (GBK text, and .xlsx through the imports' reader)
against the batch's 100,000 lines, with a naive per-row scan of the lines timed on a sample as
the baseline. Targets (the issue): a file in under 10 s and under 300 MB, matching under 10 s.
Needs no database. Figures only.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LINES = 100_000
TARGET_SECONDS = 10.0
TARGET_MB = 300
#: Rows of the return that the naive matcher is timed on.
NAIVE_SAMPLE = 500
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉"
FAILURES = ("户名不符", "账户不存在", "该账户已冻结", "交易超时")


def scaled_lines() -> int:
    from bench.measure import scaled

    return scaled(LINES)


def payout_lines(n: int):
    """``n`` payout line dicts as the payout app hands them over, made as they are read."""
    from people.idnumbers import check_character

    period = dt.date(2026, 3, 1)
    for i in range(n):
        first17 = f"370902{1960 + i % 40}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
        yield {
            "id": i + 1,
            "name": SURNAMES[i % len(SURNAMES)]
            + GIVEN[i % len(GIVEN)]
            + GIVEN[(i // len(GIVEN)) % len(GIVEN)] * (i % 3 > 0),
            "id_number": first17 + check_character(first17),
            "account_number": f"6217{i:015d}",
            "bank": "泰安农村商业银行",
            "item": "城镇公益性岗位补贴",
            "amount": 190_000 + i % 50_000,
            "period": period,
            "remark": "",
        }


def templates():
    from subsidies.bankfiles import ControlPlace, Encoding, FileFormat, FileTemplate

    return {
        "xlsx": FileTemplate(control=ControlPlace.SHEET),
        "text": FileTemplate(
            file_format=FileFormat.TEXT,
            delimiter="|",
            encoding=Encoding.GBK,
            control=ControlPlace.FIRST_LINE,
        ),
    }


# --- the writing child --------------------------------------------------------------------------


def _child(kind: str, n: int, path: str, traced: bool) -> None:
    """Write the file of ``kind`` to ``path``; print as JSON the seconds, the process's resident
    memory when ready and its peak while writing (the high-water mark reset once Django is up,
    so that start-up does not hide the writing), and with ``traced`` the Python heap's peak
    while writing (tracemalloc, which slows the writing: its run is not timed)."""
    import tracemalloc

    import django

    django.setup()
    from subsidies.bankfiles import payment_file_write

    reset = _reset_peak()
    ready_mb = _status_mb("VmRSS")
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    with open(path, "wb") as out:
        if kind == "openpyxl":
            _openpyxl(n, out)
        else:
            payment_file_write(templates()[kind], payout_lines(n), out)
    seconds = time.perf_counter() - start
    heap_mb = tracemalloc.get_traced_memory()[1] / 1e6 if traced else None
    peak_mb = (
        _status_mb("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    )
    print(
        json.dumps(
            {"seconds": seconds, "peak_mb": peak_mb, "ready_mb": ready_mb, "heap_mb": heap_mb}
        )
    )


def _reset_peak() -> bool:
    """Reset the process's resident high-water mark (Linux: "5" to /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _openpyxl(n: int, out) -> None:
    """The baseline: the same columns and values through openpyxl's normal (not write-only)
    workbook, as code that has not thought of memory would write them."""
    import openpyxl

    from subsidies.bankfiles.money import yuan_decimal

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号码", "卡号", "开户银行", "发放项目", "金额", "所属期", "备注"])
    for line in payout_lines(n):
        sheet.append(
            [
                line["name"],
                line["id_number"],
                line["account_number"],
                line["bank"],
                line["item"],
                yuan_decimal(line["amount"]),
                line["period"].strftime("%Y%m"),
                line["remark"],
            ]
        )
    workbook.save(out)


def _write_in_child(kind: str, n: int, path: Path, *, traced: bool = False) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.payout_files", "child", kind, str(n), str(path)]
        + (["traced"] if traced else []),
        cwd=Path(__file__).resolve().parent.parent,
        env=os.environ,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"the {kind} child failed:\n{result.stderr}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["mb"] = path.stat().st_size / 1e6
    return figures


# --- the return ---------------------------------------------------------------------------------


def _return_rows(n: int):
    """The bank's answer to the batch: every 50th line failed, with one of four reasons."""
    for line in payout_lines(n):
        failed = line["id"] % 50 == 0
        yield (
            line["name"],
            line["id_number"],
            line["account_number"],
            f"{line['amount'] // 100}.{line['amount'] % 100:02d}",
            "失败" if failed else "成功",
            FAILURES[line["id"] // 50 % 4] if failed else "",
        )


HEADER = ("姓名", "身份证号码", "卡号", "金额", "处理结果", "失败原因")


def return_text(n: int) -> bytes:
    lines = [",".join(HEADER)] + [",".join(row) for row in _return_rows(n)]
    return "\r\n".join(lines).encode("gbk")


def return_xlsx(n: int) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    for r, row in enumerate(_return_rows(n), start=1):
        for c, value in enumerate(row):
            if c == 3:
                sheet.write_number(r, c, float(value))  # as a bank's Excel holds it
            else:
                sheet.write_string(r, c, value)
    workbook.close()
    return out.getvalue()


def _naive_match(expected_list, rows):
    """The baseline matcher: each row looked for by scanning the lines."""
    found = []
    for row in rows:
        for line_id, (id_number, account, amount) in expected_list:
            if (id_number, account, amount) == (row.id_number, row.account_number, row.amount):
                found.append(line_id)
                break
    return found


def bench_payout_files() -> None:
    """The payment file (xlsx, GBK text) and matching the bank's return, 100,000 lines."""
    from subsidies.bankfiles import (
        FileFormat,
        ReturnTemplate,
        return_file_read,
        return_match,
    )

    n = scaled_lines()
    print(f"{n} payout lines; targets: a file under {TARGET_SECONDS:.0f} s and {TARGET_MB} MB")
    print(
        f"  {'payment file':<36}{'s':>7}{'peak MB':>9}{'ready MB':>10}{'heap MB':>9}{'file MB':>9}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        figures = {}
        for kind, label in (
            ("xlsx", "xlsx (xlsxwriter, constant memory)"),
            ("text", "GBK text, control line first"),
            ("openpyxl", "baseline: openpyxl normal workbook"),
        ):
            f = figures[kind] = _write_in_child(kind, n, Path(tmp) / kind)
            heap = _write_in_child(kind, n, Path(tmp) / kind, traced=True)["heap_mb"]
            met = (
                ""
                if kind == "openpyxl"
                else "  ok"
                if f["seconds"] < TARGET_SECONDS and f["peak_mb"] < TARGET_MB
                else "  MISSED"
            )
            print(
                f"  {label:<36}{f['seconds']:>7.2f}{f['peak_mb']:>9.0f}{f['ready_mb']:>10.0f}"
                f"{heap:>9.1f}{f['mb']:>9.1f}{met}"
            )
        base, ours = figures["openpyxl"], figures["xlsx"]
        print(
            f"  xlsx against the baseline: {base['seconds'] / ours['seconds']:.1f}x faster; "
            f"resident memory {ours['peak_mb'] - ours['ready_mb']:.0f} MB above the ready "
            f"process against {base['peak_mb'] - base['ready_mb']:.0f} MB"
        )

    expected = {
        line["id"]: (line["id_number"], line["account_number"], line["amount"])
        for line in payout_lines(n)
    }
    print(f"  {'return file':<36}{'read s':>8}{'match s':>10}{'total s':>10}")
    for label, template, data in (
        (
            "GBK text",
            ReturnTemplate(file_format=FileFormat.TEXT),
            return_text(n),
        ),
        ("xlsx (calamine in a child)", ReturnTemplate(), return_xlsx(n)),
    ):
        start = time.perf_counter()
        read = return_file_read(template, data)
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        result = return_match(expected, read.rows)
        match_s = time.perf_counter() - start
        assert not read.errors and not result.problems, (read.errors[:3], result.problems[:3])
        assert len(result.outcomes) == n
        total = read_s + match_s
        met = "  ok" if total < TARGET_SECONDS else "  MISSED"
        print(f"  {label:<36}{read_s:>8.2f}{match_s:>10.3f}{total:>10.2f}{met}")
    sample = read.rows[-min(NAIVE_SAMPLE, n) :]  # the last rows: the scan's worst case
    start = time.perf_counter()
    _naive_match(list(expected.items()), sample)
    naive_per_row = (time.perf_counter() - start) / len(sample)
    ours_per_row = match_s / n
    print(
        f"  baseline: a per-row scan of the lines, {naive_per_row * 1000:.1f} ms a row on "
        f"{len(sample)} rows ({naive_per_row * n:.0f} s for the file); return_match "
        f"{ours_per_row * 1e6:.1f} µs a row, {naive_per_row / ours_per_row:.0f}x faster"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongyi.settings")
        _child(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:6] == ["traced"])
    else:
        sys.exit("run it as: python -m bench payout_files")
