"""Benchmark of the roster import: a 50,000-row valid roster imported by our
set-based check and commit and by django-import-export's default row-by-row import
(``people.resources.PersonResource``), on the same file, in one run. Imported by
``bench.__main__`` after ``django.setup()``; figures and ratios only, never assertions of speed."""

from __future__ import annotations

import datetime as dt
import io
import time
from contextlib import nullcontext

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from bench.posts import _demo_regions

ROWS = 50_000
#: An address code no demo person carries, so that the bench's ID numbers are all new.
AREA = "370999"


def roster_rows(n: int = ROWS) -> list[list]:
    """``n`` valid rows in the template's columns: unique ID numbers (docs/policy.md §5), names of
    the demo county's townships and villages, Chinese labels, one target group in two."""
    from people.enums import Registration
    from people.idnumbers import check_character
    from posts.enums import AreaKind

    townships, villages = _demo_regions()
    with translation.override("zh-hans"):
        local = str(Registration.LOCAL.label)
        urban, rural = str(AreaKind.URBAN.label), str(AreaKind.RURAL.label)
    surnames, given = "王李张刘陈杨赵黄周吴", "秀英建国桂兰海燕志强玉梅明华红霞"
    rows = []
    start = dt.date(1961, 1, 1)
    for i in range(n):
        birth = start + dt.timedelta(days=i // 400)  # 400 order codes a day: unique numbers
        first17 = f"{AREA}{birth:%Y%m%d}{i % 400 * 2 + i % 2:03d}"
        code, township = townships[i % len(townships)]
        own = villages.get(code, [])
        village = own[(i // len(townships)) % len(own)] if own and i % 5 else None
        is_rural = bool(village and village.endswith("村"))
        name = surnames[i % 10] + given[(i // 10) % 16] + given[(i // 160) % 16]
        rows.append(
            [
                name,
                first17 + check_character(first17),
                f"138{i:08d}",
                local,
                township,
                village,
                rural if is_rural else urban,
                None,
                None,
                f"621700{i:013d}",
                "泰安农商银行",
                "是" if i % 7 == 0 else "否",
                "否",
                None,
                None,
                ("农村低收入人口" if is_rural else "城镇大龄失业人员") if i % 2 else None,
                "2021-03-01" if i % 2 else None,
                "民政认定" if i % 2 else None,
                0,
                0,
            ]
        )
    return rows


def roster_file(rows: list[list]) -> bytes:
    import openpyxl

    from people.resources import file_headers

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("人员")
    sheet.append(file_headers())
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _ours(actor, data: bytes) -> None:
    """As the jobs run it: the check job (which keeps its result with the file), then the commit
    job (which writes the kept rows after looking their ID numbers up again)."""
    from people.imports import (
        person_import_check,
        person_import_checked_payload,
        person_import_commit,
    )

    start = time.perf_counter()
    checked = person_import_check(actor=actor, data=data)
    payload = person_import_checked_payload(data, checked)
    middle = time.perf_counter()
    result = person_import_commit(actor=actor, data=payload, file_name="bench.xlsx")
    _ours.split = (middle - start, time.perf_counter() - middle)
    if result.errors:
        print(f"  ours: {len(result.error_rows)} rows refused; first errors:")
        for error in result.errors[:5]:
            print(f"    row {error.row} {error.column}: {error.message}")


def _commit_from_file(actor, data: bytes) -> None:
    from people.imports import person_import_commit

    person_import_commit(actor=actor, data=data, file_name="bench.xlsx")


def _default(actor, data: bytes) -> None:
    import tablib

    from people.resources import PersonResource

    dataset = tablib.Dataset().load(data, format="xlsx")
    result = PersonResource(actor=actor).import_data(dataset, dry_run=False)
    if result.has_errors() or result.has_validation_errors():
        print("  default: the import fails; first errors:")
        for number, errors in result.row_errors()[:3]:
            for error in errors[:1]:
                print(f"    row {number}: {error.error!r}")
        for invalid in result.invalid_rows[:3]:
            print(f"    row {invalid.number}: {invalid.error_dict}")


def _rolled_back(run, actor, data: bytes, *, count_queries: bool = False):
    """(seconds, files created, memberships created, queries) of one import, rolled back so that
    the next starts from the same registry."""
    from people.models import Person, PersonGroup

    with transaction.atomic():
        people, groups = Person.objects.count(), PersonGroup.objects.count()
        with CaptureQueriesContext(connection) if count_queries else nullcontext() as queries:
            start = time.perf_counter()
            run(actor, data)
            seconds = time.perf_counter() - start
        created = (Person.objects.count() - people, PersonGroup.objects.count() - groups)
        transaction.set_rollback(True)
    return seconds, *created, len(queries) if count_queries else None


def bench_people_import(rows: int = ROWS) -> None:
    """Import of a 50,000-row roster, set-based vs django-import-export's default."""
    from gongyi.models import User
    from people.models import Person

    actor = User.objects.get(username="county")
    start = time.perf_counter()
    roster = roster_rows(rows)
    data = roster_file(roster)
    expected_groups = sum(1 for r in roster if r[15])
    print(
        f"file: {len(roster)} rows, {len(data) / 1024:.0f} KiB, built in "
        f"{time.perf_counter() - start:.1f} s; registry before: {Person.objects.count()} people; "
        f"actor: {actor.username}"
    )
    runs = (("ours", _ours), ("default", _default))
    for n in (100, 1000):
        small = roster_file(roster[:n])
        for label, run in runs:
            _s, created, _g, queries = _rolled_back(run, actor, small, count_queries=True)
            print(f"  {label:<8} {n:>5} rows: {created} files created, {queries} queries")
    figures = {}
    for label, run in runs:
        seconds, created, groups, _q = _rolled_back(run, actor, data)
        figures[label] = seconds
        ok = created == len(roster) and groups == expected_groups
        check = "ok" if ok else f"EXPECTED {len(roster)} and {expected_groups}"
        if label == "ours":
            checking, commit = _ours.split
            print(
                f"  ours: check job (reads, checks, keeps the result) {checking:.2f} s, "
                f"commit job (ID numbers looked up again, writes) {commit:.2f} s"
            )
            figures["commit"] = commit
        print(
            f"{label:<8} {seconds:>8.2f} s  {created} files and {groups} memberships created "
            f"({check}), {len(roster) / seconds:,.0f} rows/s"
        )
    ours, default = figures["ours"], figures["default"]
    print(
        f"speed-up (default / ours): {default / ours:.1f}x (check + commit, with the audit trail)"
    )
    # The commit when the kept result cannot be used (an area or group changed meanwhile): it
    # reads and checks the file again, then writes.
    seconds, created, groups, _q = _rolled_back(_commit_from_file, actor, data)
    print(
        f"  ours, commit job from the file alone (the kept result stale): {seconds:.2f} s, "
        f"{created} files and {groups} memberships"
    )
    print(f"speed-up (default / commit job alone): {default / figures['commit']:.1f}x")
    print(f"registry after (rolled back): {Person.objects.count()} people")
