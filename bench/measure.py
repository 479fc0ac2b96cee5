"""What the benchmarks of pages share: the scale of a run, logged-in clients, query counts, and
each list page timed against its floor view (``bench.urls``), interleaved in the same run."""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.urls import floor_of

BARE = "/bench/bare/"
#: A list page within this factor of its floor view meets the target (docs/speed.md).
TARGET_RATIO = 3.0


def scale() -> float:
    """``BENCH_SCALE`` (default 1): the share of each benchmark's full size to load, e.g. 0.1 to
    try a change on 2 cores in minutes rather than at the sizes the figures are quoted for."""
    return float(os.environ.get("BENCH_SCALE") or 1)


def scaled(n: int) -> int:
    return max(1, round(n * scale()))


def clients(*usernames: str) -> dict[str, Client]:
    """A logged-in test client per user name."""
    from gongyi.models import User

    logged_in = {}
    for username in usernames:
        logged_in[username] = Client()
        logged_in[username].force_login(User.objects.get(username=username))
    return logged_in


def queries_of(client: Client, url: str) -> int:
    """Queries of one request, after a warm-up that also checks the page answers."""
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def interleaved(client: Client, urls: list[str], repeat: int) -> dict[str, float]:
    """Median milliseconds per request of each url, the urls requested in turn ``repeat`` times
    so that a busy machine slows them all alike."""
    samples: dict[str, list[float]] = {url: [] for url in urls}
    for _ in range(repeat):
        for url in urls:
            start = time.perf_counter()
            client.get(url)
            samples[url].append((time.perf_counter() - start) * 1000)
    return {url: statistics.median(values) for url, values in samples.items()}


@dataclass
class Figure:
    """One list page against its floor view, both timed in the same run."""

    who: str
    url: str
    ms: float
    queries: int
    floor_ms: float | None = None
    floor_queries: int | None = None

    @property
    def ratio(self) -> float | None:
        return self.ms / self.floor_ms if self.floor_ms else None


def against_floor(who: str, client: Client, urls: list[str], repeat: int) -> list[Figure]:
    """Each of ``urls`` and its floor view, interleaved (``None`` as a floor: a list that has
    none, timed alone)."""
    floors = {url: floor_of(url) for url in urls}
    queries = {url: queries_of(client, url) for url in urls}
    floor_queries = {url: queries_of(client, f) for url, f in floors.items() if f}
    ms = interleaved(client, [u for url in urls for u in (url, floors[url]) if u], repeat)
    return [
        Figure(
            who,
            url,
            ms[url],
            queries[url],
            ms[floors[url]] if floors[url] else None,
            floor_queries.get(url),
        )
        for url in urls
    ]


def print_figures(figures: list[Figure], legend: str = "") -> None:
    """One line per page: its median ms, its floor view's, the ratio, and both query counts."""
    who = max(len(f.who) for f in figures) + 2
    where = max(len(f.url) for f in figures) + 2
    print(f"{'user':<{who}}{'url':<{where}}{'page':>8}{'floor':>8}{'ratio':>7}{'queries':>9}")
    for f in figures:
        floor = f"{f.floor_ms:>8.2f}" if f.floor_ms else f"{'—':>8}"
        ratio = (
            f"{f.ratio:>6.1f}{'!' if f.ratio > TARGET_RATIO else ' '}" if f.ratio else f"{'':>7}"
        )
        queries = f"{f.queries}/{f.floor_queries}" if f.floor_queries else str(f.queries)
        print(f"{f.who:<{who}}{f.url:<{where}}{f.ms:>8.2f}{floor}{ratio}{queries:>9}")
    print(
        f"(ms, medians of requests interleaved in one run; floor: the same selector, filters and "
        f"page size, the same rows as JSON without a template, behind the same middleware and "
        f"login; ratio page/floor, ! above the target of {TARGET_RATIO:.0f}; queries page/floor)"
    )
    if legend:
        print(legend)
