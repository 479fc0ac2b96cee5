"""Benchmark of the payout (docs/speed.md): generating the payout lines of a county's closed month
for 500,000 placements (the seed and the recorded, closed month of ``bench.attendance``), against
the PostgreSQL floor measured in the same run (one plain ``INSERT … SELECT`` into a regular,
logged table computing standard × days present / days required per closed row), and per line
against a per-line ORM loop on a sample. Figures and ratios only.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection, transaction

from bench.attendance import COUNTY, MONTH, record_and_close, seed

#: Generation within this factor of the floor meets the target (issue 15: 5×).
TARGET = 5.0
#: At least this many times faster per line than the ORM loop (issue 15: 100×).
TARGET_PER_LINE = 100.0
SAMPLE = 2_000

FLOOR_SQL = """
INSERT INTO bench_payout_floor (row_id, placement_id, amount_fen)
SELECT m.id, m.placement_id,
       round(p.monthly_subsidy * 100 * m.present_days / nullif(m.required_days, 0))
FROM attendance_attendancemonth m
JOIN attendance_attendancesheet s ON s.id = m.sheet_id AND s.state = 'closed'
JOIN people_placement p ON p.id = m.placement_id
WHERE m.month = %(month)s AND m.region_code LIKE %(county)s
"""


def _closed_sheets() -> int:
    """Close every sheet of the month (``record_and_close`` froze the totals; the payout reads
    the sheets' state)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE attendance_attendancesheet SET state = 'closed', closed_at = now()"
            " WHERE month = %s",
            [MONTH],
        )
        return cursor.rowcount


def floor() -> float:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_payout_floor")
        cursor.execute(
            "CREATE TABLE bench_payout_floor (row_id bigint, placement_id bigint,"
            " amount_fen bigint)"
        )
        cursor.execute("CHECKPOINT")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"month": MONTH, "county": COUNTY + "%"})
    return time.perf_counter() - start


def _clerks() -> dict[str, object]:
    """A township clerk for each township of the county (made where the demo has none)."""
    from gongyi.enums import RegionLevel, Role
    from gongyi.models import Region, User

    clerks = {}
    for township in Region.objects.filter(level=RegionLevel.TOWNSHIP, code__startswith=COUNTY):
        user = User.objects.filter(role=Role.CLERK, region=township).order_by("pk").first()
        clerks[township.code] = user or User.objects.create_user(
            username=f"bench_clerk_{township.code}", role=Role.CLERK, region=township
        )
    return clerks


def orm_loop(sample: int) -> tuple[int, float]:
    """The naive way, on a sample: per closed row, read its placement, person, post and grade,
    compute the amount in Python and save a line, one by one. Rolled back afterwards."""
    from subsidies.attendance.models import AttendanceMonth
    from subsidies.payout.amount import AmountFacts, subsidy_amount
    from subsidies.payout.models import PayoutBatch, PayoutLine
    from subsidies.payout.services import settings_for

    month = dt.date.fromisoformat(MONTH)
    clerks = _clerks()
    code = next(iter(clerks))
    ids = list(
        AttendanceMonth.objects.filter(month=month, region_code__startswith=COUNTY)
        .order_by("id")
        .values_list("id", flat=True)[:sample]
    )
    start = time.perf_counter()
    with transaction.atomic():
        batch = PayoutBatch.objects.create(
            region_code=code, month=month, kind="urban", created_by=clerks[code]
        )
        settings = settings_for(batch)
        for pk in ids:
            row = AttendanceMonth.objects.get(pk=pk)
            placement = row.placement
            person, post = placement.person, placement.post
            grade = getattr(getattr(row, "assessment", None), "grade", "") or ""
            rule = settings.grades.get(grade, (None, None))
            amount = subsidy_amount(
                AmountFacts(
                    hourly=row.hourly,
                    standard=placement.hourly_rate if row.hourly else placement.monthly_subsidy,
                    required_days=row.required_days,
                    present_days=row.present_days,
                    paid_leave_days=row.paid_leave_days,
                    unpaid_leave_days=row.unpaid_leave_days,
                    absent_days=row.absent_days,
                    full_days=row.full_days,
                    required_hours=row.required_hours,
                    worked_hours=row.worked_hours,
                    paid_leave_hours=row.paid_leave_hours,
                    full_hours=row.full_hours,
                    grade=grade,
                    grade_factor=rule[0],
                    grade_deduction_fen=rule[1],
                    minimum_monthly=settings.minimum_monthly,
                    minimum_hourly=settings.minimum_hourly,
                    allow_above_standard=settings.allow_above,
                )
            )
            PayoutLine.objects.create(
                batch=batch,
                placement=placement,
                month=month,
                kind=batch.kind,
                row=row,
                person=person,
                post=post,
                region_code=row.region_code,
                person_name=person.name,
                id_number=person.id_number,
                account_number=person.account_number,
                bank_name=person.bank_name,
                post_title=post.title,
                hourly=row.hourly,
                standard=placement.hourly_rate if row.hourly else placement.monthly_subsidy,
                required_days=row.required_days,
                present_days=row.present_days,
                paid_leave_days=row.paid_leave_days,
                unpaid_leave_days=row.unpaid_leave_days,
                absent_days=row.absent_days,
                full_days=row.full_days,
                required_hours=row.required_hours,
                worked_hours=row.worked_hours,
                paid_leave_hours=row.paid_leave_hours,
                full_hours=row.full_hours,
                grade=grade,
                amount_fen=amount.fen,
                reasons=amount.as_json(),
                placement_month=1,
                lifetime_month=person.subsidy_months_used + 1,
                hash="",
            )
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return len(ids), seconds


def generate_all() -> tuple[int, int, float, list]:
    """Every township's batches of the month, urban and rural: (lines, batches, seconds, not
    ready)."""
    from subsidies.payout.selectors import batch_not_ready
    from subsidies.payout.services import payout_batch_generate, payout_batch_open

    month = dt.date.fromisoformat(MONTH)
    lines = 0
    made = []
    start = time.perf_counter()
    for clerk in _clerks().values():
        for kind in ("urban", "rural"):
            batch = payout_batch_open(actor=clerk, month=month, kind=kind)
            result = payout_batch_generate(actor=clerk, batch_id=batch.pk)
            lines += result.made.lines
            made.append(result.batch)
    seconds = time.perf_counter() - start
    not_ready = [n for batch in made for n in batch_not_ready(batch)]
    return lines, len(made), seconds, not_ready


def reports() -> list[tuple[str, float, int]]:
    """The payout reports over the generated month, once its lines are paid (set so directly:
    the bench has no bank): (what, milliseconds, queries) for the county and a township, and
    a person file's months paid."""
    from django.db import reset_queries
    from django.test.utils import CaptureQueriesContext

    from gongyi.enums import Role
    from gongyi.models import User
    from people.models import Person
    from subsidies.payout.models import PayoutLine
    from subsidies.payout.report_selectors import month_report, person_months_paid, year_report

    with connection.cursor() as cursor:
        cursor.execute("UPDATE payout_payoutbatch SET state = 'returned' WHERE month = %s", [MONTH])
        cursor.execute(
            "UPDATE payout_payoutline SET status = 'paid' WHERE status = 'pending' AND month = %s",
            [MONTH],
        )
        cursor.execute("ANALYZE payout_payoutline")
    month = dt.date.fromisoformat(MONTH)
    county = User.objects.filter(role=Role.COUNTY, region__code=COUNTY).order_by("pk").first()
    clerk = next(iter(_clerks().values()))
    person = (
        PayoutLine.objects.filter(month=month).order_by("pk").values_list("person", flat=True)[0]
    )
    person = Person.objects.get(pk=person)
    runs = [
        ("month report, county", lambda: month_report(county, month)),
        ("month report, township", lambda: month_report(clerk, month)),
        ("year to date, county", lambda: year_report(county, month)),
        ("person's months paid", lambda: person_months_paid(county, person)),
    ]
    out = []
    for name, run in runs:
        run()  # warm
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            run()
            ms = (time.perf_counter() - start) * 1000
        out.append((name, ms, len(queries)))
    return out


def bench_payout() -> None:
    """Payout at 500,000 placements: generating the month's lines against the floor and per
    line against an ORM loop."""
    from django.utils import timezone

    print(seed())
    steps = record_and_close()
    print("attendance: " + ", ".join(f"{name} {s:.1f} s" for name, s in steps))
    print(f"sheets closed: {_closed_sheets()}")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    # The payout pays months that are over: the bench month is in the past for the clock.
    assert dt.date.fromisoformat(MONTH) <= timezone.localdate(), MONTH
    floor_s = floor()
    sample, orm_s = orm_loop(SAMPLE)
    lines, batches, gen_s, not_ready = generate_all()
    again = generate_all()
    ratio = gen_s / floor_s
    per_line = (orm_s / sample) / (gen_s / max(lines, 1))
    print(f"{'step':<26}{'s':>8}")
    print(f"{'floor':<26}{floor_s:>8.2f}  (INSERT … SELECT standard × present / required)")
    mark = "!" if ratio > TARGET else ""
    print(
        f"{'generate the lines':<26}{gen_s:>8.2f}  {lines} lines in {batches} batches, "
        f"ratio {ratio:.1f}{mark} (target {TARGET:.0f}×)"
    )
    print(f"{'generate again':<26}{again[2]:>8.2f}  {again[0]} lines added")
    mark = "!" if per_line < TARGET_PER_LINE else ""
    print(
        f"{'ORM loop, sample':<26}{orm_s:>8.2f}  {sample} lines: {orm_s / sample * 1000:.2f} ms "
        f"a line against {gen_s / max(lines, 1) * 1e6:.1f} µs; {per_line:.0f}×{mark} "
        f"(target {TARGET_PER_LINE:.0f}×)"
    )
    if not_ready:
        print(f"not ready: {sum(n.people for n in not_ready)} placements")
    for name, ms, queries in reports():
        print(f"{name:<26}{ms / 1000:>8.2f}  {queries} queries over {lines} paid lines")
