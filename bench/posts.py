"""Benchmarks of the post catalogue: its pages at 50,000 posts against their floor view, and the
Excel import against django-import-export's default row-by-row import. Imported by ``bench.__main__`` after
``django.setup()``; figures and ratios only, never assertions of speed."""

from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter
from contextlib import nullcontext
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import translation

from bench.measure import (
    BARE,
    against_floor,
    clients,
    interleaved,
    print_figures,
    queries_of,
    scaled,
)

CATALOGUE_POSTS = 50_000
CATALOGUE_USERS = ("county", "clerk_370902001")
CATALOGUE_URLS = (
    "/posts/",
    "/posts/?township=370902001&status=filled",
    "/posts/?category=public_service&area_kind=urban",
    "/api/v1/posts/?township=370902001&status=filled",
)
IMPORT_ROWS = 10_000
IMPORT_YEAR = 2026
REGIONS_CSV = Path(settings.BASE_DIR) / "gongyi" / "data" / "regions_370902.csv"


def seed_posts() -> str:
    """The catalogue grown to ``CATALOGUE_POSTS`` (scaled), vacuumed as autovacuum would soon
    after a bulk load; what was done, in a line."""
    from posts.models import Post

    wanted = scaled(CATALOGUE_POSTS)
    before = Post.objects.count()
    start = time.perf_counter()
    call_command("seed_demo", posts=wanted, verbosity=0, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # fresh statistics and visibility map
    size = Post.objects.count()
    return f"seed_demo --posts {wanted}: {before} → {size} posts in {time.perf_counter() - start:.1f} s"


def _plan_figures(clients: dict[str, Client], url: str) -> dict[str, tuple[int, float, float]]:
    """User → (queries, ms, bare ms) of the plan page."""
    figures = {}
    for username, client in clients.items():
        queries = queries_of(client, url)
        ms = interleaved(client, [BARE, url], 20)
        figures[username] = (queries, ms[url], ms[BARE])
    return figures


def bench_catalogue(repeat: int = 50) -> None:
    """Catalogue pages and API list at 50,000 posts vs their floor view; plan page queries."""
    from posts.models import AnnualPlan, Post

    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
        users = clients(*CATALOGUE_USERS)
        plan = AnnualPlan.objects.get(county__code="370902", year=2022)
        plan_url = f"/plans/{plan.pk}/"
        demo_size = Post.objects.count()
        plan_before = _plan_figures(users, plan_url)
        print(seed_posts())
        size = Post.objects.count()
        plan_after = _plan_figures(users, plan_url)
        figures = [
            figure
            for username, client in users.items()
            for figure in against_floor(username, client, list(CATALOGUE_URLS), repeat)
        ]

    print_figures(figures)
    print(f"plan page {plan_url} (plan {plan.year}):")
    print(f"  {'user':<18}{'posts':>8}{'queries':>9}{'ms':>8}{'bare ms':>9}{'ratio':>7}")
    for label, plan_figures in ((demo_size, plan_before), (size, plan_after)):
        for username, (queries, ms, bare) in plan_figures.items():
            print(f"  {username:<18}{label:>8}{queries:>9}{ms:>8.2f}{bare:>9.2f}{ms / bare:>7.1f}")
    for username in users:
        before, after = plan_before[username][0], plan_after[username][0]
        verdict = "equal" if before == after else "DIFFER"
        print(f"  {username}: {before} queries at {demo_size} posts, {after} at {size}: {verdict}")


# --- import ------------------------------------------------------------------------------------


def _demo_regions() -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """(townships as (code, name)), township code → its villages' names, from the regions file."""
    townships, villages = [], {}
    with REGIONS_CSV.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if len(row["code"]) == 9:
                townships.append((row["code"], row["name"]))
            elif len(row["code"]) == 12:
                villages.setdefault(row["parent_code"], []).append(row["name"])
    return townships, villages


def import_rows(n: int = IMPORT_ROWS) -> list[list]:
    """``n`` valid rows in the template's columns, as a township's spreadsheet has them: names of
    townships and villages, Chinese labels, the minimum wage (2,100 a month or 21 an hour)."""
    from posts.demo import RURAL_POSTS, URBAN_POSTS
    from posts.enums import DEFAULT_INSURANCE, AreaKind, LeadDepartment, PostStatus, WorkPattern

    townships, villages = _demo_regions()
    with translation.override("zh-hans"):
        label = {
            **{k: str(k.label) for k in AreaKind},
            **{k: str(k.label) for k in WorkPattern},
            **{k: str(k.label) for k in LeadDepartment},
        }
        insurance = {kind: str(DEFAULT_INSURANCE[kind].label) for kind in AreaKind}
        draft = str(PostStatus.DRAFT.label)
    rows = []
    for i in range(n):
        code, township = townships[i % len(townships)]
        own = villages.get(code, [])
        rural = [v for v in own if v.endswith("村")]
        kind = AreaKind.RURAL if rural and i % 3 == 0 else AreaKind.URBAN
        places = rural if kind == AreaKind.RURAL else [v for v in own if v.endswith("社区")]
        # One post in ten is worked at the township itself.
        village = places[(i // len(townships)) % len(places)] if places and i % 10 else None
        specs = RURAL_POSTS if kind == AreaKind.RURAL else URBAN_POSTS
        name, department, hourly, duties = specs[(i // 7) % len(specs)]
        pattern = WorkPattern.HOURLY if hourly else WorkPattern.FULL_TIME
        rows.append(
            [
                name,
                f"{village or township}{name}{IMPORT_YEAR}{i + 1:05d}",  # unique
                label[kind],
                label[pattern],
                10 if hourly else None,
                township,
                village,
                label[department],
                duties,
                "遵守考勤制度，服从村（居）日常管理",
                1 + i % 3,
                None if hourly else 2100,
                21 if hourly else None,
                insurance[kind],
                IMPORT_YEAR,
                draft,
            ]
        )
    return rows


def import_file(rows: list[list]) -> bytes:
    import openpyxl

    from posts.resources import file_headers

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("岗位")
    sheet.append(file_headers())
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _ours(actor, data: bytes):
    from posts.imports import post_import_commit

    result = post_import_commit(actor=actor, data=data, file_name="bench.xlsx")
    if result.errors:
        print(f"  ours: {len(result.error_rows)} rows refused; first errors:")
        for error in result.errors[:5]:
            print(f"    row {error.row} {error.column}: {error.message}")
    return result


def _resource_class():
    """django-import-export's default import as the app configures it: no lookup by id (the file
    has no id column), one query per foreign key, a savepoint and an INSERT per row."""
    from posts.resources import PostResource

    return PostResource


def _print_errors(label, result) -> None:
    print(f"  {label}: the default import fails; first errors:")
    for number, errors in result.row_errors()[:3]:
        for error in errors[:1]:
            last = error.traceback.strip().splitlines()[-1] if error.traceback else ""
            print(f"    row {number}: {error.error!r} ({last})")
    for invalid in result.invalid_rows[:3]:
        print(f"    row {invalid.number}: {invalid.error_dict}")


def _default(resource_class):
    import tablib

    def run(actor, data: bytes):
        dataset = tablib.Dataset().load(data, format="xlsx")
        result = resource_class(actor=actor).import_data(dataset, dry_run=False)
        if result.has_errors() or result.has_validation_errors():
            _print_errors(resource_class.__name__, result)
        return result

    return run


def _rolled_back(run, actor, data: bytes, *, count_queries: bool) -> tuple[float, int, list]:
    """(seconds, posts created, the queries if asked) of one import, rolled back so that the
    next starts from the same catalogue. Queries are only captured when asked (it slows them)."""
    from posts.models import Post

    with transaction.atomic():
        before = Post.objects.count()
        with CaptureQueriesContext(connection) if count_queries else nullcontext() as queries:
            start = time.perf_counter()
            run(actor, data)
            seconds = time.perf_counter() - start
            captured = list(queries) if count_queries else []
        created = Post.objects.count() - before
        transaction.set_rollback(True)
    return seconds, created, captured


def _shape(sql: str) -> str:
    """A query with its literals, parameters and savepoint names blanked out."""
    sql = re.sub(r'"s\d+_x\d+"', "?", sql)
    sql = re.sub(r"'(?:[^']|'')*'|\b\d+\b", "?", sql)
    select = re.match(r'SELECT .*? FROM ("\w+")', sql)
    if select:
        where = re.search(r" WHERE (.*?)(?: ORDER BY | LIMIT |$)", sql)
        return f"SELECT … FROM {select.group(1)}" + (f" WHERE {where.group(1)}" if where else "")
    return sql[:110]


def _phases(actor, data: bytes, rows: int) -> dict[str, float]:
    """Seconds of the reading phases, each on its own and nothing written: ours reading the
    xlsx (``parse``), ours reading and checking it (``check``), tablib loading it (``load``)."""
    import tablib

    from posts.imports import post_import_check, read_rows

    phases = {}
    start = time.perf_counter()
    for _row in read_rows(data, max_rows=rows + 1):
        pass
    phases["parse"] = time.perf_counter() - start
    start = time.perf_counter()
    post_import_check(actor=actor, data=data)
    phases["check"] = time.perf_counter() - start
    start = time.perf_counter()
    tablib.Dataset().load(data, format="xlsx")
    phases["load"] = time.perf_counter() - start
    return phases


def bench_posts_import() -> None:
    """Import of a 10,000-row xlsx, set-based vs django-import-export's default."""
    from gongyi.models import User
    from posts.models import Post

    actor = User.objects.get(username="county")
    start = time.perf_counter()
    rows = import_rows()
    data = import_file(rows)
    print(
        f"file: {len(rows)} rows, {len(data) / 1024:.0f} KiB, built in "
        f"{time.perf_counter() - start:.1f} s; catalogue before: {Post.objects.count()} posts; "
        f"actor: {actor.username}"
    )
    # Small files first, to show how the number of queries grows with the rows.
    runs = (("ours", _ours), ("default", _default(_resource_class())))
    for n in (100, 1000):
        small = import_file(rows[:n])
        for label, run in runs:
            _s, created, queries = _rolled_back(run, actor, small, count_queries=True)
            print(f"  {label:<8} {n:>5} rows: {created} posts created, {len(queries)} queries")
            if n == 100:
                shapes = Counter(_shape(q["sql"]) for q in queries).most_common(6)
                for shape, count in shapes:
                    print(f"    {count:>5} × {shape}")
    phases = _phases(actor, data, len(rows))
    figures = {}
    for label, run in runs:
        seconds, created, _q = _rolled_back(run, actor, data, count_queries=False)
        figures[label] = seconds
        check = "ok" if created == len(rows) else f"EXPECTED {len(rows)}"
        print(
            f"{label:<8} {seconds:>8.2f} s  {created} posts created ({check}), "
            f"{len(rows) / seconds:,.0f} rows/s"
        )
    ours, default = figures["ours"], figures["default"]
    print(f"speed-up (default / ours): {default / ours:.1f}x")
    parse, check, load = phases["parse"], phases["check"], phases["load"]
    print(
        f"  ours:    reading the xlsx {parse:.2f} s, checking the rows {check - parse:.2f} s, "
        f"writing posts and audit trail ≈{ours - check:.2f} s (total − separate check run)"
    )
    print(f"  default: tablib loading the xlsx {load:.2f} s, import_data ≈{default - load:.2f} s")
    print(
        "  speed-up without reading the file (the same openpyxl parse for both): "
        f"{(default - load) / (ours - parse):.1f}x"
    )
    print(f"catalogue after (rolled back): {Post.objects.count()} posts")
