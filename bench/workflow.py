"""Benchmarks of the workflow (issue 5, "Speed"): a bulk approval of 5,000 applications with the
audit trail written, and the county's queue page at 100,000 applications against a bare Django
view. Imported by ``bench.__main__`` after ``django.setup()`` and ``seed_demo``; figures and
ratios only, never assertions of speed. The load comes from ``tests.onboarding.queue_data``
(COPY, a realistic mix of states with what each has on record).
"""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings

BULK = 5000
QUEUE = 100_000


class _Rollback(Exception):
    pass


def bench_bulk_approval() -> None:
    """Issue 5: one bulk approval of 5,000 applications in publicity, with step records and the
    audit trail, vs a bare UPDATE of the same rows' state."""
    from gongyi.enums import Role
    from gongyi.models import AuditEntry, User
    from people.onboarding.enums import ApplicationState as S
    from people.onboarding.models import Application, StepRecord
    from people.onboarding.workflow import application_transition
    from tests.onboarding.queue_data import make_queue_rows

    start = time.perf_counter()
    rows = make_queue_rows(int(BULK * 1.15), mix={S.PUBLICITY: 1}, seed=5)
    made = time.perf_counter() - start
    ready = list(
        Application.objects.filter(pk__in=rows.application_ids, objections__isnull=True)
        .exclude(person__declarations__status="declared")
        .order_by("pk")
        .values_list("pk", flat=True)[:BULK]
    )
    county = User.objects.filter(role=Role.COUNTY, region__code="370902").order_by("pk").first()
    print(f"{len(rows.application_ids)} applications in publicity written in {made:.1f} s")

    def baseline():
        with transaction.atomic():
            Application.objects.filter(pk__in=ready).update(state=S.APPROVED)
            raise _Rollback

    def ours():
        with transaction.atomic():
            audit_before = AuditEntry.objects.count()
            application_transition(actor=county, applications=ready, to=S.APPROVED)
            counts = (
                Application.objects.filter(pk__in=ready, state=S.APPROVED).count(),
                StepRecord.objects.filter(application_id__in=ready, to_state=S.APPROVED).count(),
                AuditEntry.objects.count() - audit_before,
            )
            raise _Rollback(counts)

    timings = {}
    for name, run in (("bare UPDATE", baseline), ("bulk approval", ours)):
        start = time.perf_counter()
        try:
            run()
        except _Rollback as done:
            timings[name] = (time.perf_counter() - start, done.args)
    bare_s, _ = timings["bare UPDATE"]
    ours_s, (counts,) = timings["bulk approval"]
    print(
        f"bulk approval of {len(ready)}: {ours_s:.2f} s (target < 10 s), approved {counts[0]}, "
        f"step records {counts[1]}, audit entries {counts[2]}"
    )
    print(
        f"  vs a bare UPDATE of the same rows' state: {bare_s * 1000:.0f} ms, ratio {ours_s / bare_s:.1f}x"
    )


def bench_queue_page(repeat: int = 30) -> None:
    """Issue 5: the county's review and approval queue at 100,000 applications vs a bare view."""
    from bench.posts import BARE, interleaved, print_table, queries_of
    from gongyi.models import User
    from people.onboarding.models import Application
    from tests.onboarding.queue_data import make_queue_rows

    start = time.perf_counter()
    make_queue_rows(QUEUE, seed=7)
    made = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would soon after a bulk load
    print(f"{Application.objects.count()} applications written in {made:.1f} s")
    client = Client()
    client.force_login(User.objects.get(username="county"))
    urls = [
        "/onboarding/queue/",
        "/onboarding/queue/?state=publicity",
        "/onboarding/queue/?state=reviewed&q=%E7%8E%8B%E7%A7%80",
        "/api/v1/applications/?state=publicity",
    ]
    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
        queries = {
            url: (queries_of(client, url), queries_of(client, url, cached=False)) for url in urls
        }
        ms = interleaved(client, [BARE, *urls], repeat, uncached=tuple(urls))
    print_table(
        [("county", url, ms, queries[url], None) for url in urls],
        "(bare: a view that does nothing, behind the same middleware, logged in)",
    )
