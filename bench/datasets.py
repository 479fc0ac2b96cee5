"""Benchmark of loading an external dataset (docs/policy.md §8): a 5,000,000-row deaths list
(CSV, UTF-8) checked row by row and loaded by ``audits.datasets.loading.dataset_load``, against
PostgreSQL's own ``COPY … (FORMAT csv)`` of the same file into a table of the same shape and
index, in the same run. Imported by ``bench.__main__`` after ``django.setup()``; figures and
ratios only, never assertions of speed. ``GONGYI_BENCH_DATASET_ROWS`` makes it smaller."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import time
from pathlib import Path

from django.db import connection

ROWS = int(os.environ.get("GONGYI_BENCH_DATASET_ROWS", 5_000_000))
#: An address code of the demo county; the birth dates run over 1940–2000.
AREA = "370902"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def write_deaths_csv(path: Path, rows: int) -> None:
    """``rows`` deaths with unique valid ID numbers, names and dates of death, as a
    department's export has them (the template's header, CRLF lines)."""
    from people.idnumbers import CHECK_CHARACTERS

    surnames, given = "王李张刘陈杨赵黄周吴", "秀英建国桂兰海燕志强玉梅明华红霞"
    start = dt.date(1940, 1, 1)
    days = [(start + dt.timedelta(days=d)).strftime("%Y%m%d") for d in range(22_000)]
    deaths = [(dt.date(2020, 1, 1) + dt.timedelta(days=d)).isoformat() for d in range(2000)]
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("身份证号,姓名,死亡日期\r\n")
        block = []
        for i in range(rows):
            # 999 order codes a day: unique numbers for up to 22 million rows.
            base = f"{AREA}{days[i // 999 % 22_000]}{i % 999 + 1:03d}"
            check = CHECK_CHARACTERS[
                sum(int(d) * w for d, w in zip(base, _WEIGHTS, strict=True)) % 11
            ]
            name = surnames[i % 10] + given[(i // 10) % 16] + given[(i // 160) % 16]
            block.append(f"{base}{check},{name},{deaths[i % 2000]}\r\n")
            if len(block) == 100_000:
                out.write("".join(block))
                block = []
        out.write("".join(block))


def _floor(path: Path, *, indexed: bool) -> float:
    """Seconds PostgreSQL takes to COPY the file itself (its CSV parser, no check) into a
    table with the rows table's columns, and its key index when ``indexed``, committed."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_dataset_floor")
        cursor.execute(
            "CREATE TABLE bench_dataset_floor (version_id bigint NOT NULL DEFAULT 1,"
            " id_number varchar(18) NOT NULL, name varchar(50) NOT NULL, start date NOT NULL)"
        )
        if indexed:
            cursor.execute(
                "CREATE INDEX bench_dataset_floor_key ON bench_dataset_floor (version_id, id_number)"
            )
    began = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY bench_dataset_floor (id_number, name, start) FROM STDIN (FORMAT csv, HEADER)"
        ) as copy,
        path.open("rb") as source,
    ):
        while block := source.read(1024 * 1024):
            copy.write(block)
    seconds = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_dataset_floor")
    return seconds


def _ours(path: Path) -> tuple[float, dict]:
    from django.core.files import File

    from audits.datasets.enums import DatasetKind
    from audits.datasets.loading import dataset_load
    from audits.models import DatasetVersion
    from gongyi.models import User

    county = User.objects.get(username="county")
    digest = hashlib.sha256(f"{path}{time.time()}".encode()).hexdigest()
    with path.open("rb") as source:
        version = DatasetVersion(
            kind=DatasetKind.DEATHS,
            region_code=county.region.code,
            as_of=dt.date.today(),
            file_name=path.name,
            file_size=path.stat().st_size,
            sha256=digest,
            uploaded_by=county,
        )
        version.file.save(digest, File(source), save=False)
        version.save()
    began = time.perf_counter()
    result = dataset_load(version_id=version.pk)
    return time.perf_counter() - began, result


def bench_datasets() -> None:
    """Loading a 5,000,000-row external dataset vs PostgreSQL's own COPY of the same file."""
    from django.conf import settings
    from django.test.utils import override_settings

    with tempfile.TemporaryDirectory() as media:
        path = Path(media) / "deaths.csv"
        began = time.perf_counter()
        write_deaths_csv(path, ROWS)
        size = path.stat().st_size / 1024 / 1024
        print(f"file: {ROWS:,} rows, {size:.0f} MB, written in {time.perf_counter() - began:.1f} s")
        with override_settings(
            MEDIA_ROOT=media, GONGYI_DATASET_MAX_ROWS=max(ROWS, settings.GONGYI_DATASET_MAX_ROWS)
        ):
            bare = _floor(path, indexed=False)
            floor = _floor(path, indexed=True)
            ours, result = _ours(path)
        print(f"{'step':<44}{'s':>8}{'rows/s':>12}")
        print(f"{'floor: COPY csv, no index':<44}{bare:>8.1f}{ROWS / bare:>12,.0f}")
        print(f"{'floor: COPY csv, key index (the target)':<44}{floor:>8.1f}{ROWS / floor:>12,.0f}")
        print(f"{'ours: check every row, COPY, key index':<44}{ours:>8.1f}{ROWS / ours:>12,.0f}")
        print(
            f"ratio to the floor: {ours / floor:.2f}× (target ≤ 3×); to COPY without index: {ours / bare:.2f}×"
        )
        print(f"result: {result}")
