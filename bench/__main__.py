"""Run benchmarks against a fresh PostgreSQL database (DATABASE_URL, default localhost)."""

import io
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongyi.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gongyi")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("GONGYI_TESTING", "1")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402


def timed(client: Client, url: str, repeat: int) -> float:
    """Median milliseconds per request after a warm-up."""
    for _ in range(5):
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def bench_pages(repeat: int = 200) -> None:
    """Logged-in pages with the audit trail and scoping in place vs a bare Django view."""
    from gongyi.models import User

    rows = []
    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
        for username in ("county", "clerk_370902001"):
            client = Client()
            client.force_login(User.objects.get(username=username))
            baseline = timed(client, "/bench/bare/", repeat)
            for url in ("/", "/regions/", "/regions/370902001/", "/audit/", "/api/v1/regions/"):
                if url == "/audit/" and username != "county":
                    continue
                ms = timed(client, url, repeat)
                rows.append((username, url, ms, baseline, ms / baseline))
    print(f"{'user':<18}{'url':<24}{'ms':>8}{'bare ms':>10}{'ratio':>8}")
    for username, url, ms, baseline, ratio in rows:
        print(f"{username:<18}{url:<24}{ms:>8.2f}{baseline:>10.2f}{ratio:>8.1f}")


from bench.attendance import bench_attendance  # noqa: E402
from bench.datasets import bench_datasets, bench_match  # noqa: E402
from bench.load import bench_load  # noqa: E402
from bench.onboarding_pdf import bench_onboarding_pdf  # noqa: E402
from bench.payout import bench_payout  # noqa: E402
from bench.payout_files import bench_payout_files  # noqa: E402
from bench.people_import import bench_people_import  # noqa: E402
from bench.people_search import bench_people_search  # noqa: E402
from bench.posts import bench_catalogue, bench_posts_import  # noqa: E402
from bench.workflow import bench_bulk_approval, bench_queue_page  # noqa: E402
from bench.xlsx_read import bench_xlsx_read  # noqa: E402

BENCHMARKS = {
    "pages": bench_pages,
    "catalogue": bench_catalogue,
    "posts_import": bench_posts_import,
    "people_import": bench_people_import,
    "onboarding_pdf": bench_onboarding_pdf,
    "bulk_approval": bench_bulk_approval,
    "queue_page": bench_queue_page,
    "people_search": bench_people_search,
    "xlsx_read": bench_xlsx_read,
    "attendance": bench_attendance,
    "payout_files": bench_payout_files,
    "payout": bench_payout,
    "datasets": bench_datasets,
    "match": bench_match,
    "load": bench_load,
}


def main(names: list[str]) -> None:
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        sys.exit(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    setup_test_environment()
    old_name = settings.DATABASES["default"]["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        for name in names or list(BENCHMARKS):
            print(f"== {name}: {BENCHMARKS[name].__doc__.strip().splitlines()[0]}")
            BENCHMARKS[name]()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(sys.argv[1:])
