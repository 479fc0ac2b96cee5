"""Benchmark of attendance (docs/speed.md): recording a month for 500,000 placements ("all
present" plus 5 % exceptions) and closing it, each against the PostgreSQL floor measured in the
same run (a plain ``INSERT … SELECT`` writing the same totals, one row per placement); the
township's month overview at 20,000 placements against its floor view; and a village grid's save
of 60 and 120 people, whose query count must not grow. Figures and ratios only.
"""

from __future__ import annotations

import io
import time

from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from bench.measure import against_floor, clients, print_figures, scaled

PLACEMENTS = 500_000
IN_TOWNSHIP = 20_000
COUNTY = "370902"
TOWNSHIP = "370902001"
#: A month the demo leaves alone (it records the last five), complete, with 31 days.
MONTH = "2026-03-01"
#: Records and closing within this factor of the floor meet the target (issue: 5×).
TARGET = 5.0


def _seconds(work) -> float:
    start = time.perf_counter()
    with transaction.atomic():
        work()
    return time.perf_counter() - start


def seed() -> str:
    """The demo county (``seed_demo``: its posts, grown to a tenth of the placements), then the
    people and their placements written set-based — a copy of one demo person per placement,
    with a new ID number and name: the first ``IN_TOWNSHIP`` on posts of the township whose
    clerk reads the overview, the rest on the county's other posts. Seeding is not measured."""
    from people.models import Person

    wanted = scaled(PLACEMENTS)
    start = time.perf_counter()
    call_command("seed_demo", posts=max(2_000, wanted // 10), verbosity=0, stdout=io.StringIO())
    columns = [
        f.column
        for f in Person._meta.concrete_fields
        if f.column not in ("id", "id_number", "name") and not f.generated
    ]
    copied = ", ".join(f't."{c}"' for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO people_person (id_number, name, {names})
            SELECT '9' || lpad(g::text, 17, '0'), '考勤测' || g, {copied}
            FROM (SELECT * FROM people_person ORDER BY id LIMIT 1) AS t,
                 generate_series(1, %(wanted)s) AS g
            """,
            {"wanted": wanted},
        )
        cursor.execute(
            """
            WITH free AS (
                SELECT p.id, row_number() OVER (ORDER BY p.id) AS rn
                FROM people_person p WHERE p.id_number LIKE '9%%'
            ),
            inside AS (SELECT array_agg(id ORDER BY id) AS ids FROM posts_post
                       WHERE region_code LIKE %(township)s),
            outside AS (SELECT array_agg(id ORDER BY id) AS ids FROM posts_post
                        WHERE region_code NOT LIKE %(township)s AND region_code LIKE %(county)s)
            INSERT INTO people_placement (person_id, post_id, region_code, start_date,
                monthly_subsidy, hourly_rate, hours_per_week, subsidy_start, subsidy_end,
                created_at)
            SELECT free.id, post.id, post.region_code, DATE '2026-01-01', post.monthly_subsidy,
                   post.hourly_rate, post.hours_per_week, DATE '2026-01-01', DATE '2028-12-31',
                   now()
            FROM free CROSS JOIN inside CROSS JOIN outside
            JOIN posts_post post ON post.id = CASE
                WHEN free.rn <= %(in_township)s
                    THEN inside.ids[1 + free.rn %% cardinality(inside.ids)]
                ELSE outside.ids[1 + free.rn %% cardinality(outside.ids)] END
            """,
            {
                "in_township": scaled(IN_TOWNSHIP),
                "township": TOWNSHIP + "%",
                "county": COUNTY + "%",
            },
        )
        cursor.execute("VACUUM ANALYZE")
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE region_code LIKE %s) FROM people_placement"
            " WHERE start_date <= %s AND (end_date IS NULL OR end_date >= %s)",
            [TOWNSHIP + "%", MONTH, MONTH],
        )
        total, inside = cursor.fetchone()
    return (
        f"{total} placements in {MONTH[:7]} ({inside} in {TOWNSHIP}), seeded in "
        f"{time.perf_counter() - start:.0f} s"
    )


FLOOR_SQL = """
INSERT INTO bench_floor_totals
SELECT p.id, 22, 21, 0, 1, 0, 176.0, 168.0, 0.0, '{"1": 1}'::jsonb
FROM people_placement p
WHERE p.region_code LIKE %(county)s
  AND p.start_date <= DATE '2026-03-31' AND (p.end_date IS NULL OR p.end_date >= %(month)s)
"""


def floor() -> float:
    """The floor: one plain INSERT … SELECT of a row of totals per placement of the month, into
    an ordinary (logged, crash-safe) table as the attendance table is."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_floor_totals")
        cursor.execute(
            "CREATE TABLE bench_floor_totals (placement_id bigint, required_days int,"
            " present_days int, paid_leave_days int, unpaid_leave_days int, absent_days int,"
            " required_hours numeric, worked_hours numeric, paid_leave_hours numeric,"
            " days_by_kind jsonb)"
        )
        cursor.execute("CHECKPOINT")

    def work():
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, {"county": COUNTY + "%", "month": MONTH})

    return _seconds(work)


def record_and_close() -> list[tuple[str, float]]:
    """Prepare the month (sheets and rows with their plans), all present, 5 % exceptions (a day
    of leave for every twentieth row), then close every sheet (totals computed and frozen)."""
    import datetime as dt

    from subsidies.attendance.models import AbsenceKind, AttendanceSheet
    from subsidies.attendance.planning import month_prepare
    from subsidies.attendance.services import fill_present_rows, freeze_totals

    month = dt.date.fromisoformat(MONTH)
    leave = AbsenceKind.objects.get(county=None, name="事假").pk
    steps = []
    steps.append(("prepare", _seconds(lambda: month_prepare(month=month, region_code=COUNTY))))
    sheets = list(AttendanceSheet.objects.filter(month=month).values_list("pk", flat=True))
    steps.append(("all present", _seconds(lambda: fill_present_rows(sheets, upto=31))))

    def exceptions():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE attendance_attendancemonth SET marks[3] = %s, updated_at = now()"
                " WHERE month = %s AND id %% 20 = 0 AND planned[3] > 0",
                [leave, MONTH],
            )

    steps.append(("5 % exceptions", _seconds(exceptions)))
    steps.append(("close", _seconds(lambda: freeze_totals(sheets))))
    return steps


def grid_save_queries() -> list[tuple[int, int, float]]:
    """A township clerk saves 60, then 120 people's fortnight on one sheet: queries and ms."""
    from subsidies.attendance.models import AttendanceMonth, AttendanceSheet

    sheet = (
        AttendanceSheet.objects.filter(region_code__startswith=TOWNSHIP, month=MONTH)
        .order_by("pk")
        .first()
    )
    client = clients(f"clerk_{TOWNSHIP}")[f"clerk_{TOWNSHIP}"]
    AttendanceSheet.objects.filter(pk=sheet.pk).update(state="open")
    rows = list(AttendanceMonth.objects.filter(sheet=sheet).values_list("pk", "planned")[:120])
    out = []
    for n, text in ((60, "s"), (120, "b")):
        data = {
            f"c-{pk}-{i}": text for pk, planned in rows[:n] for i in range(14) if planned[i] > 0
        }
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.post(f"/attendance/sheets/{sheet.pk}/", data)
            ms = (time.perf_counter() - start) * 1000
        assert response.status_code == 302, response.status_code
        out.append((n, len(captured), ms))
    return out


def bench_attendance() -> None:
    """Attendance at 500,000 placements: recording and closing a month against the floor, the
    township's overview against its floor view, and the grid's save."""
    print(seed())
    floor_s = floor()
    steps = record_and_close()
    # Recording is the marking: 全勤 and the exceptions. Preparing (the plan, one row per
    # placement, made by the nightly job before anyone records) is printed with its own ratio.
    record_s = sum(s for name, s in steps if name in ("all present", "5 % exceptions"))
    close_s = dict(steps)["close"]
    prepare_s = dict(steps)["prepare"]
    print(f"{'step':<18}{'s':>8}")
    for name, seconds in steps:
        print(f"{name:<18}{seconds:>8.2f}")
    print(f"{'floor':<18}{floor_s:>8.2f}  (INSERT … SELECT of one row of totals per placement)")
    for name, seconds in (
        ("record the month", record_s),
        ("close the month", close_s),
        ("(prepare)", prepare_s),
    ):
        ratio = seconds / floor_s
        mark = "!" if ratio > TARGET else ""
        print(f"{name:<18}{seconds:>8.2f} s  ratio {ratio:.1f}{mark} (target {TARGET:.0f}×)")
    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
        who = f"clerk_{TOWNSHIP}"
        figures = against_floor(
            who, clients(who)[who], [f"/attendance/?month={MONTH[:7]}"], repeat=20
        )
        print_figures(figures, "(the township's month overview; target 3×)")
        for n, queries, ms in grid_save_queries():
            print(f"grid save, {n} people: {queries} queries, {ms:.0f} ms")
