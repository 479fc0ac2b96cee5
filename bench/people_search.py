"""Benchmark of the person registry at 500,000 people: the people page and the API list searched
by name, by an ID number's last digits and by a full ID number, against their floor view
(``bench.urls``) in the same run, with each search query's plan; and the priority ranking of
2,000 applicants. Imported by ``bench.__main__`` after ``django.setup()``; figures and ratios
only, never assertions of speed.
"""

from __future__ import annotations

import io
import re
import statistics
import time
from urllib.parse import urlencode

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from bench.measure import against_floor, clients, print_figures, scaled

PEOPLE = 500_000
APPLICANTS = 2_000
#: The township whose clerk searches, and whose people the searches look for.
TOWNSHIP = "370902001"


def seed_people() -> str:
    """The registry grown to ``PEOPLE`` (scaled), vacuumed as autovacuum would soon after a bulk
    load; what was done, in a line."""
    from people.models import Person

    wanted = scaled(PEOPLE)
    start = time.perf_counter()
    call_command("seed_demo", people=wanted, verbosity=0, stdout=io.StringIO())
    seeded = time.perf_counter() - start
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # fresh statistics and visibility map
    return (
        f"seed_demo --people {wanted}: {Person.objects.count()} people in {seeded:.1f} s "
        f"(VACUUM ANALYZE {time.perf_counter() - start:.1f} s)"
    )


def _searches() -> dict[str, str]:
    """Label → ``q`` of each search, taken from a person of the clerk's township with a
    three-character name, so that every search finds someone for both users."""
    from people.models import Person

    people = Person.objects.filter(region_code__startswith=TOWNSHIP).order_by("id")
    named = [p for p in people[:2000] if len(p.name) == 3]
    person = named[len(named) // 2]
    number = person.id_number
    return {
        "everyone": "",
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
    with CaptureQueriesContext(connection) as captured:
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


def search_urls(q: str) -> list[str]:
    """The person search's page and API list for ``q``."""
    query = f"?{urlencode({'q': q})}" if q else ""
    return [f"/people/{query}", f"/api/v1/people/{query}"]


def bench_people_search(repeat: int = 50) -> None:
    """Person search (page and API) at 500,000 people vs its floor view; ranking 2,000 applicants."""
    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
        print(seed_people())
        searches = _searches()
        figures, plans = [], []
        for username, client in clients("county", f"clerk_{TOWNSHIP}").items():
            for label, q in searches.items():
                urls = search_urls(q)
                figures.extend(against_floor(f"{username} {label}", client, urls, repeat))
                plans.extend((username, label, url, _plans(client, url)) for url in urls)

    print_figures(figures)
    print("plans of the registry queries (EXPLAIN ANALYZE: execution time, scans):")
    for username, label, url, lines in plans:
        print(f"  {username} · {label} · {url}")
        for line in lines:
            print(f"    {line}")
    _bench_ranking()
