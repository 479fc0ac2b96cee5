"""Benchmarks of the external datasets (docs/policy.md §8). Imported by ``bench.__main__`` after
``django.setup()``; figures and ratios only, never assertions of speed.

- ``datasets``: a 5,000,000-row deaths list (CSV, UTF-8) checked row by row and loaded by
  ``audits.datasets.loading.dataset_load``, against PostgreSQL's own ``COPY … (FORMAT csv)`` of
  the same file into a table of the same shape and index, in the same run
  (``GONGYI_BENCH_DATASET_ROWS`` makes it smaller).
- ``match``: the match of 500,000 placements against 5,000,000 rows of each of three kinds, with
  its findings written, against a plain join of the same tables on the ID number
  (``GONGYI_BENCH_MATCH_PLACEMENTS``, ``GONGYI_BENCH_MATCH_ROWS``).
"""

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


MATCH_PLACEMENTS = int(os.environ.get("GONGYI_BENCH_MATCH_PLACEMENTS", 500_000))
MATCH_ROWS = int(os.environ.get("GONGYI_BENCH_MATCH_ROWS", 5_000_000))
#: One row in this many is a person on a post: the hits of each kind.
HIT_EVERY = 1000
MATCH_KINDS = ("deaths", "contributions", "business_licences")


def _seed_match() -> str:
    """``MATCH_PLACEMENTS`` people on a post of the demo county (copies of a demo person with ID
    numbers of their own: 9 and 17 digits, an address code no real number has) and, of each of three
    kinds, a loaded version of ``MATCH_ROWS`` rows, one in ``HIT_EVERY`` of them a person on a
    post. Written by INSERT … SELECT; the county's code."""
    from audits.models import DatasetRow, DatasetVersion
    from gongyi.models import User
    from people.models import Person, Placement
    from posts.models import Post

    county = User.objects.get(username="county")
    template = Person.objects.order_by("pk").first()
    post = Post.objects.filter(region_code__startswith=county.region.code).order_by("pk").first()
    from django.db.models import GeneratedField

    person_columns = [
        f.column
        for f in Person._meta.concrete_fields
        if not f.primary_key and not isinstance(f, GeneratedField)
    ]
    chosen = {
        "id_number": "'9' || lpad(g::text, 17, '0')",
    }
    select = ", ".join(chosen.get(c, f't."{c}"') for c in person_columns)
    quoted = ", ".join(f'"{c}"' for c in person_columns)
    placement = {
        "person_id": "p.id",
        "post_id": str(post.pk),
        "region_code": f"'{post.region_code}'",
        "start_date": "DATE '2026-01-01'",
        "end_date": "NULL",
        "monthly_subsidy": "2100",
        "hourly_rate": "NULL",
        "hours_per_week": "NULL",
        "subsidy_start": "DATE '2026-01-01'",
        "subsidy_end": "DATE '2028-12-31'",
        "created_at": "now()",
    }
    placement_columns = [f.column for f in Placement._meta.concrete_fields if not f.primary_key]
    assert set(placement_columns) == set(placement), placement_columns
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Person._meta.db_table} ({quoted})"
            f" SELECT {select} FROM {Person._meta.db_table} t"
            " CROSS JOIN generate_series(1, %s) g WHERE t.id = %s",
            [MATCH_PLACEMENTS, template.pk],
        )
        cursor.execute(
            f"INSERT INTO {Placement._meta.db_table} ({', '.join(placement)})"
            f" SELECT {', '.join(placement.values())} FROM {Person._meta.db_table} p"
            " WHERE p.id_number LIKE '9%%'"
        )
        for kind in MATCH_KINDS:
            version = DatasetVersion.objects.create(
                kind=kind,
                region_code=county.region.code,
                status="loaded",
                as_of=dt.date(2026, 11, 30),
                file=f"bench/{kind}.csv",
                file_name=f"{kind}.csv",
                file_size=0,
                sha256=hashlib.sha256(kind.encode()).hexdigest(),
                uploaded_by=county,
                row_count=MATCH_ROWS,
                loaded_rows=MATCH_ROWS,
            )
            cursor.execute(
                f"INSERT INTO {DatasetRow._meta.db_table}"
                ' (version_id, id_number, line, name, start, "end", unit, reference)'
                " SELECT %s, CASE WHEN g %% %s = 0 AND g / %s <= %s"
                "   THEN '9' || lpad((g / %s)::text, 17, '0')"
                "   ELSE '8' || lpad(g::text, 17, '0') END,"
                " g + 1, '某某', DATE '2026-02-01' + (g %% 200), NULL, '某单位' || (g %% 50),"
                " 'REF' || g FROM generate_series(1, %s) g",
                [version.pk, HIT_EVERY, HIT_EVERY, MATCH_PLACEMENTS, HIT_EVERY, MATCH_ROWS],
            )
        cursor.execute("ANALYZE")
    return county.region.code


def _join_floor(county: str) -> tuple[float, int]:
    """Seconds of the plain join, per kind, of the open placements and their people with the
    newest version's rows on the ID number; the rows it finds."""
    from audits.datasets.selectors import newest_versions

    found = 0
    began = time.perf_counter()
    with connection.cursor() as cursor:
        for version in newest_versions(county).values():
            cursor.execute(
                "SELECT count(*) FROM people_placement pl"
                " JOIN people_person p ON p.id = pl.person_id"
                " JOIN audits_datasetrow r ON r.version_id = %s AND r.id_number = p.id_number"
                " WHERE pl.end_date IS NULL AND pl.region_code LIKE %s",
                [version.pk, county + "%"],
            )
            found += cursor.fetchone()[0]
    return time.perf_counter() - began, found


def bench_match() -> None:
    """The monthly match: 500,000 placements against 5,000,000 rows of each of three kinds."""
    from audits.datasets.match import dataset_match
    from audits.models import Finding

    began = time.perf_counter()
    county = _seed_match()
    print(
        f"seeded {MATCH_PLACEMENTS:,} placements and 3 × {MATCH_ROWS:,} rows"
        f" in {time.perf_counter() - began:.0f} s"
    )
    # The floor is the datasets' join: the internal check of months without attendance (every
    # seeded placement has none) is off here; two open placements is on (none are seeded).
    from audits.datasets.policy import NO_ATTENDANCE_MONTHS
    from gongyi.models import PolicySetting, Region

    PolicySetting.objects.update_or_create(
        county=Region.objects.get(code=county),
        key=NO_ATTENDANCE_MONTHS,
        effective_from=dt.date(2000, 1, 1),
        defaults={"value": 0, "note": "bench"},
    )
    floor, found = _join_floor(county)
    began = time.perf_counter()
    first = dataset_match(region_code=county)
    ours = time.perf_counter() - began
    began = time.perf_counter()
    dataset_match(region_code=county)
    again = time.perf_counter() - began
    floor_after, _found = _join_floor(county)
    made = sum(k["new"] for k in first["kinds"].values())
    print(f"{'step':<48}{'s':>8}")
    print(f"{'floor: plain join on the ID number, 3 kinds':<48}{floor:>8.2f}  ({found:,} rows)")
    print(f"{'ours: the match, findings written':<48}{ours:>8.2f}  ({made:,} findings)")
    print(f"{'ours again: nothing new (every fact checked)':<48}{again:>8.2f}")
    print(f"{'floor again, after':<48}{floor_after:>8.2f}")
    print(f"ratio to the floor: {ours / floor:.2f}× (target ≤ 3×); the rerun: {again / floor:.2f}×")
    assert Finding.objects.count() == made
