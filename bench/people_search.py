"""Benchmark of the person registry at 500,000 people (issue 4, "Speed"): the people page and the
API list searched by name, by an ID number's last digits and by a full ID number, against a bare
Django view in the same run, with each search query's plan; and the priority ranking of 2,000
applicants. Imported by ``bench.__main__`` after ``django.setup()``; figures and ratios only,
never assertions of speed.

This module is also the URL configuration of the run: the project's with ``bench.urls``' bare view
and a query floor for the registry (``bare_people``).
"""

from __future__ import annotations

import io
import re
import statistics
import time
from urllib.parse import urlencode

from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import path
from django.utils import timezone

from bench import urls as bench_urls
from bench.posts import BARE, _clients, interleaved, print_table, queries_of

PEOPLE = 500_000
APPLICANTS = 2_000
#: The township whose clerk searches, and whose people the searches look for.
TOWNSHIP = "370902001"
FLOOR = "/bench/bare-people/"


def bare_people(request):
    """The registry's query floor: the same search's count and first 50 people, unscoped and
    without a template, behind the same middleware."""
    from people.models import Person
    from people.selectors import search_filter

    people = search_filter(Person.objects.all(), request.GET.get("q", "")).order_by(
        "region_code", "id"
    )
    count = people.count()
    lines = [
        f"{pk} {name} {number[-4:]}"
        for pk, name, number in people.values_list("pk", "name", "id_number")[:50]
    ]
    return HttpResponse(f"{count}\n" + "\n".join(lines))


urlpatterns = [path("bench/bare-people/", bare_people), *bench_urls.urlpatterns]


def _searches() -> dict[str, str]:
    """Label → ``q`` of each search, taken from a person of the clerk's township with a
    three-character name, so that every search finds someone for both users."""
    from people.models import Person

    people = Person.objects.filter(region_code__startswith=TOWNSHIP).order_by("id")
    person = next(p for p in people[1000:2000].iterator() if len(p.name) == 3)
    number = person.id_number
    return {
        "name prefix": person.name[:2],
        "full name": person.name,
        "ID last 4": number[-4:],
        "ID last 6": number[-6:],
        "full ID": number,
    }


_PLAN_NODE = re.compile(
    r"(Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan|Seq Scan)(?: using (\w+))?(?: on (\w+))?"
)


def _plans(client, url: str) -> list[str]:
    """The registry queries of one request, each as the scans EXPLAIN ANALYZE shows (node, index,
    table) and its execution time."""
    with override_settings(GONGYI_PAGE_CACHE=False), CaptureQueriesContext(connection) as captured:
        client.get(url)
    lines = []
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"]
            if not sql.startswith("SELECT") or '"people_' not in sql:
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = [row[0] for row in cursor.fetchall()]
            scans = []
            for line in plan:
                match = _PLAN_NODE.search(line)
                if match:
                    node, index, table = match.groups()
                    rows = re.search(r"actual time=[\d.]+\.\.([\d.]+) rows=(\d+)", line)
                    where = f" {index}" if index else ""
                    got = f" ({rows.group(2)} rows, {rows.group(1)} ms)" if rows else ""
                    scans.append(f"{node}{where} on {table or '?'}{got}")
            total = next((line for line in plan if line.startswith("Execution Time")), "")
            what = re.sub(r"\s+", " ", sql)[:90]
            lines.append(f"{total.replace('Execution Time: ', ''):>12}  {what}")
            lines.extend(f"{'':>14}{scan}" for scan in scans)
    return lines


def _timed(function, repeat: int) -> float:
    """Median seconds of ``function()``."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _bench_ranking(repeat: int = 5) -> None:
    from people.eligibility import eligibility, rank
    from people.models import Person
    from people.selectors import eligibility_settings, person_facts, rank_people
    from posts.enums import AreaKind

    on = timezone.localdate()
    pks = list(
        Person.objects.filter(region_code__startswith="370902", residence=AreaKind.RURAL)
        .order_by("id")
        .values_list("pk", flat=True)[:APPLICANTS]
    )
    applicants = Person.objects.filter(pk__in=pks)
    ranking = rank_people(applicants, area_kind=AreaKind.RURAL, on=on, county_code="370902")
    whole = _timed(
        lambda: rank_people(applicants, area_kind=AreaKind.RURAL, on=on, county_code="370902"),
        repeat,
    )
    facts = _timed(lambda: person_facts(applicants, on), repeat)
    settings = eligibility_settings("370902", on)
    candidates = []
    for one in person_facts(applicants, on).values():
        verdict = eligibility(one, AreaKind.RURAL, on, settings)
        if verdict.eligible:
            candidates.append((one, verdict.groups))
    pure = _timed(lambda: rank(candidates, on), repeat)
    with CaptureQueriesContext(connection) as captured:
        rank_people(applicants, area_kind=AreaKind.RURAL, on=on, county_code="370902")
    print(
        f"ranking {len(pks)} rural applicants ({len(ranking.ranked)} eligible, "
        f"{len(ranking.not_eligible)} not), median of {repeat}:"
    )
    print(
        f"  rank_people (facts, verdicts, ranking): {whole * 1000:8.1f} ms, {len(captured)} queries"
    )
    print(f"  person_facts alone:                     {facts * 1000:8.1f} ms")
    print(f"  eligibility.rank alone ({len(candidates)} people):    {pure * 1000:8.1f} ms")


def bench_people_search(repeat: int = 50, people: int = PEOPLE) -> None:
    """Person search (page and API) at 500,000 people vs a bare view; ranking 2,000 applicants."""
    from people.models import Person

    with override_settings(ROOT_URLCONF="bench.people_search", DEBUG=False):
        start = time.perf_counter()
        call_command("seed_demo", people=people, verbosity=0, stdout=io.StringIO())
        seeded = time.perf_counter() - start
        start = time.perf_counter()
        with connection.cursor() as cursor:
            # As autovacuum would soon after a bulk load: fresh statistics and visibility map.
            cursor.execute("VACUUM ANALYZE")
        vacuumed = time.perf_counter() - start
        size = Person.objects.count()
        print(
            f"seed_demo --people {people}: {size} people in {seeded:.1f} s "
            f"(VACUUM ANALYZE {vacuumed:.1f} s)"
        )
        searches = _searches()
        clients = _clients()
        rows, plans = [], []
        for username, client in clients.items():
            for label, q in searches.items():
                query = urlencode({"q": q})
                floor = f"{FLOOR}?{query}"
                urls = [f"/people/?{query}", f"/api/v1/people/?{query}"]
                queries = {
                    url: (queries_of(client, url), queries_of(client, url, cached=False))
                    for url in urls
                }
                queries_of(client, floor)
                ms = interleaved(client, [BARE, *urls, floor], repeat, uncached=tuple(urls))
                rows.extend((f"{username} {label}", url, ms, queries[url], floor) for url in urls)
                plans.extend((username, label, url, _plans(client, url)) for url in urls)

    print_table(
        rows,
        "(bare: a view that does nothing; floor: /bench/bare-people/, a bare view serving the same search's count and first 50 "
        "people, unscoped, without a template, behind the same middleware)",
    )
    print("plans of the registry queries (EXPLAIN ANALYZE: execution time, scans):")
    for username, label, url, lines in plans:
        print(f"  {username} · {label} · {url}")
        for line in lines:
            print(f"    {line}")
    _bench_ranking()
