"""Load test of the list pages: gunicorn on loopback serving the benchmark's database, locust
(headless) as 20 concurrent users for 60 s, first against the pages as the roles use them, then
the same mix against their floor views (``bench.urls``). Imported by ``bench.__main__`` after
``django.setup()``; figures and ratios only, never assertions of speed.

The county's users open the catalogue and the review and approval queue, the township clerks'
the catalogue and the person search, half and half, with no think time. gunicorn runs as in
production (DEBUG off, the project's settings and middleware, ``bench.settings`` adding the floor
views' URLs) minus the redirect to HTTPS, and without the collected static files' manifest
(locust fetches no static files; collecting them takes minutes here).
"""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.test.utils import override_settings

from bench.measure import TARGET_RATIO, clients, queries_of
from bench.people_search import TOWNSHIP, _searches, search_urls, seed_people
from bench.posts import CATALOGUE_URLS, seed_posts
from bench.urls import floor_of
from bench.workflow import QUEUE_URLS, seed_queue

USERS = 20
#: How many workers and threads each gunicorn runs: two processes for two cores, and threads to
#: overlap a request's waits on PostgreSQL with another's Python.
WORKERS, THREADS = 2, 4
#: Sessions per role: the virtual users of a role share them in turn.
SESSIONS = 5


def _seconds() -> int:
    """``BENCH_LOAD_SECONDS`` (default 60): how long each side is loaded."""
    return int(os.environ.get("BENCH_LOAD_SECONDS") or 60)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    """The URL of the database this run uses (the benchmark's throwaway database)."""
    db = settings.DATABASES["default"]
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def _server_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "GONGYI_TESTING"}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=_database_url(),
        DJANGO_DEBUG="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="1",
        DJANGO_STATIC_MANIFEST="0",
    )
    return env


class Gunicorn:
    """gunicorn serving the project on a free loopback port, stopped on leaving the block."""

    def __init__(self, log: Path):
        self.port = _free_port()
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gunicorn:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "gongyi.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={WORKERS}",
            f"--threads={THREADS}",
            "--worker-class=gthread",
            "--timeout=120",
        ]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=_server_env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its workers in its process group, stopped together
            )
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/bench/bare/", timeout=5):
                    return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer in {timeout:.0f} s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _plans() -> tuple[dict, dict]:
    """The pages side's plan and the floors' (see ``bench.locustfile``), each URL checked once."""
    users = clients("county", f"clerk_{TOWNSHIP}")
    catalogue = [url for url in CATALOGUE_URLS if not url.startswith("/api/")]
    searches = [search_urls(q)[0] for q in _searches().values()]
    groups = {
        "county": {"catalogue": catalogue, "queue": list(QUEUE_URLS)},
        "clerk": {"catalogue": catalogue, "people": searches},
    }
    usernames = {"county": "county", "clerk": f"clerk_{TOWNSHIP}"}
    pages, floors = {}, {}
    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
        for role, by_group in groups.items():
            client = users[usernames[role]]
            for urls in by_group.values():
                for url in urls:
                    queries_of(client, url)  # answers 200
                    queries_of(client, floor_of(url))
            cookies = [_session_cookie(usernames[role]) for _ in range(SESSIONS)]
            pages[role] = {"cookies": cookies, "urls": by_group}
            floors[role] = {
                "cookies": cookies,
                "urls": {g: [floor_of(u) for u in urls] for g, urls in by_group.items()},
            }
    return pages, floors


def _session_cookie(username: str) -> str:
    """The cookie of a session of its own: a fresh login."""
    return clients(username)[username].cookies[settings.SESSION_COOKIE_NAME].value


def _locust(plan: dict, host: str, folder: Path, side: str) -> dict[str, dict[str, float]]:
    """Run locust headless on ``plan``; name → its figures (requests, failures, rps, ms)."""
    plan_file = folder / f"{side}.json"
    plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    prefix = folder / side
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(Path(__file__).with_name("locustfile.py")),
        "--headless",
        f"--users={USERS}",
        f"--spawn-rate={USERS}",
        f"--run-time={_seconds()}s",
        f"--host={host}",
        f"--csv={prefix}",
        "--only-summary",
        "--loglevel=WARNING",
        "--exit-code-on-error=0",
    ]
    env = {**os.environ, "BENCH_LOAD_PLAN": str(plan_file)}
    log = folder / f"{side}.log"
    with log.open("w") as out:
        subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, check=True)
    figures = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            figures[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "median": float(row["50%"]),
                "p95": float(row["95%"]),
            }
    failures = Path(f"{prefix}_failures.csv").read_text(encoding="utf-8").splitlines()[1:4]
    for line in failures:
        print(f"  {side} failure: {line}")
    return figures


def bench_load() -> None:
    """20 users for 60 s on gunicorn: the pages as the roles use them vs their floor views."""
    for line in (seed_posts(), seed_people(), seed_queue()):
        print(line)
    pages, floors = _plans()
    with tempfile.TemporaryDirectory(prefix="gongyi-bench-load-") as tmp:
        folder = Path(tmp)
        with Gunicorn(folder / "gunicorn.log") as server:
            print(
                f"gunicorn {WORKERS} workers × {THREADS} threads on {server.url}; locust "
                f"{USERS} users, no think time, {_seconds()} s a side"
            )
            results = {
                "pages": _locust(pages, server.url, folder, "pages"),
                "floors": _locust(floors, server.url, folder, "floors"),
            }
    names = sorted({name for figures in results.values() for name in figures} - {"Aggregated"})
    print(
        f"{'side':<8}{'requests':<24}{'count':>8}{'failed':>8}{'req/s':>8}{'median':>8}{'p95':>8}"
    )
    for side, figures in results.items():
        for name in [*names, "Aggregated"]:
            f = figures.get(name)
            if f:
                print(
                    f"{side:<8}{name:<24}{f['requests']:>8}{f['failures']:>8}{f['rps']:>8.1f}"
                    f"{f['median']:>8.0f}{f['p95']:>8.0f}"
                )
    page_rps = results["pages"]["Aggregated"]["rps"]
    floor_rps = results["floors"]["Aggregated"]["rps"]
    ratio = floor_rps / page_rps
    verdict = "within" if ratio <= TARGET_RATIO else "NOT within"
    print(
        f"throughput floors / pages: {floor_rps:.1f} / {page_rps:.1f} req/s = {ratio:.2f}x "
        f"({verdict} the target of {TARGET_RATIO:.0f}x); p95 pages "
        f"{results['pages']['Aggregated']['p95']:.0f} ms, floors "
        f"{results['floors']['Aggregated']['p95']:.0f} ms"
    )
    print("(ms; median and p95 as locust rounds them; requests named by role and list)")
