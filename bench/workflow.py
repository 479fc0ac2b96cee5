"""Benchmarks of the workflow: a bulk approval of 5,000 applications with the audit trail
written, and the county's queue page at 100,000 applications against its floor view. Imported by ``bench.__main__`` after ``django.setup()`` and ``seed_demo``; figures and
ratios only, never assertions of speed. The load comes from ``tests.onboarding.queue_data``
(COPY, a realistic mix of states with what each has on record).
"""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.test.utils import override_settings

from bench.measure import against_floor, clients, print_figures, scaled

BULK = 5000
QUEUE = 100_000


class _Rollback(Exception):
    pass


def bench_bulk_approval() -> None:
    """One bulk approval of 5,000 applications in publicity, with step records and the
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


#: The county's queue as its officers open it: all, one state, a state and an applicant's name.
QUEUE_URLS = (
    "/onboarding/queue/",
    "/onboarding/queue/?state=publicity",
    "/onboarding/queue/?state=reviewed&q=%E7%8E%8B%E7%A7%80",
)


def seed_queue() -> str:
    """Applications grown to ``QUEUE`` (scaled) with ``tests.onboarding.queue_data``, vacuumed
    as autovacuum would soon after a bulk load; what was done, in a line."""
    from people.onboarding.models import Application
    from tests.onboarding.queue_data import make_queue_rows

    start = time.perf_counter()
    missing = scaled(QUEUE) - Application.objects.count()
    if missing > 0:
        make_queue_rows(missing, seed=7)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return (
        f"{max(0, missing)} applications written, {Application.objects.count()} in all, "
        f"in {time.perf_counter() - start:.1f} s"
    )


def bench_queue_page(repeat: int = 30) -> None:
    """The county's review and approval queue at 100,000 applications vs its floor view."""
    print(seed_queue())
    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
        client = clients("county")["county"]
        figures = against_floor(
            "county", client, [*QUEUE_URLS, "/api/v1/applications/?state=publicity"], repeat
        )
    print_figures(
        figures,
        "(the API's list of applications is not the queue: every state, counted in full; no floor)",
    )
