"""Reads of attendance (docs/policy.md §7): a unit's month grid, the month's overview of an area
(what is missing, submitted and closed, and who has no attendance at all), and the notice.
Every queryset passes ``scope_queryset``, and the raw SQL kept for speed (the overview, the
people with no attendance) takes its area from ``scope_sql_prefix``, its SQL side; each read is
a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection

from gongyi.models import Region
from gongyi.scoping import scope_queryset, scope_sql_prefix
from people.masking import notice_masker
from people.models import Placement
from subsidies.attendance.enums import WEEKDAY_NAMES, SheetState
from subsidies.attendance.models import AbsenceKind, AttendanceMonth, AttendanceSheet
from subsidies.attendance.services import Marks, leave_held
from subsidies.attendance.workdays import month_days


def absence_kinds(county_code: str) -> list[AbsenceKind]:
    """The county's kinds of absence in use, shared and its own (``Marks`` reads them)."""
    return list(Marks(county_code).kinds.values())


@dataclass
class Day:
    index: int
    date: dt.date
    weekday: str
    future: bool


@dataclass
class GridRow:
    row: AttendanceMonth
    name: str
    post: str
    cells: list[dict] = field(default_factory=list)
    adjustments: list = field(default_factory=list)


def sheet_grid(user, sheet: AttendanceSheet, *, today: dt.date) -> dict:
    """The month grid of ``sheet``: its days and one row per placement with each cell's text,
    whether it can be marked (a working day not still to come), and the row's corrections."""
    marks = Marks(sheet.region_code[:6])
    days = [
        Day(i, d, WEEKDAY_NAMES[d.weekday()], d > today)
        for i, d in enumerate(month_days(sheet.month))
    ]
    rows = (
        scope_queryset(user, AttendanceMonth.objects.filter(sheet=sheet))
        .select_related("placement__person", "placement__post")
        .prefetch_related("adjustments")
        .order_by("placement__person__name", "pk")
    )
    grid = []
    for row in rows:
        line = GridRow(row, row.placement.person.name, row.placement.post.title)
        for day in days:
            hours = row.hours[day.index] if row.hourly else None
            line.cells.append(
                {
                    "name": f"c-{row.pk}-{day.index}",
                    "text": marks.text(row.marks[day.index], hours),
                    "working": row.planned[day.index] > 0,
                    "open": row.planned[day.index] > 0 and not day.future,
                    "absent": (row.marks[day.index] or 0) > 0,
                }
            )
        line.adjustments = [
            {
                "a": a,
                "before": marks.text(a.mark_before, a.hours_before),
                "after": marks.text(a.mark_after, a.hours_after),
            }
            for a in row.adjustments.all()
        ]
        grid.append(line)
    return {"days": days, "rows": grid, "kinds": list(marks.kinds.values())}


def day_list(user, sheet: AttendanceSheet, day: dt.date) -> list[dict]:
    """The people who work on ``day`` (a phone's list), with the day's mark, and the approved
    leave that holds the day, if any: such a person is not marked on the list (``day_mark``
    leaves the day as the leave has it; 销假 first)."""
    marks = Marks(sheet.region_code[:6])
    index = (day - sheet.month).days
    rows = [
        row
        for row in scope_queryset(user, AttendanceMonth.objects.filter(sheet=sheet))
        .select_related("placement__person", "placement__post")
        .order_by("placement__person__name", "pk")
        if row.planned[index] > 0
    ]
    on_leave = leave_held(placement_ids=[row.placement_id for row in rows], first=day, last=day)
    return [
        {
            "row": row,
            "name": row.placement.person.name,
            "post": row.placement.post.title,
            "mark": row.marks[index],
            "text": marks.text(row.marks[index], row.hours[index] if row.hourly else None),
            "leave": on_leave.get((row.placement_id, day)),
        }
        for row in rows
    ]


# One row per unit (a sheet, or a unit with placements but no sheet yet) of the area in the
# month: its state, people, unmarked working days so far, and people with no mark at all.
OVERVIEW_SQL = """
WITH placed AS (
    SELECT p.region_code, count(*) AS people
    FROM people_placement p
    WHERE p.region_code LIKE %(prefix)s
      AND p.start_date <= %(last)s AND (p.end_date IS NULL OR p.end_date >= %(first)s)
    GROUP BY p.region_code
),
rows AS (
    SELECT m.region_code,
           count(*) AS people,
           -- Unmarked working days: the NULL marks up to the day, less the rest days among them.
           sum(cardinality(array_positions(m.marks[1:%(upto)s], NULL))
               - cardinality(array_positions(m.planned[1:%(upto)s], 0::numeric))) AS unmarked,
           count(*) FILTER (WHERE cardinality(array_positions(m.marks, NULL))
                                  = cardinality(m.marks)) AS nothing
    FROM attendance_attendancemonth m
    WHERE m.month = %(first)s AND m.region_code LIKE %(prefix)s
    GROUP BY m.region_code
)
SELECT coalesce(s.region_code, placed.region_code) AS code, s.id, s.state,
       coalesce(rows.people, 0), placed.people, coalesce(rows.unmarked, 0),
       coalesce(rows.nothing, 0)
FROM placed
FULL JOIN (SELECT * FROM attendance_attendancesheet
           WHERE month = %(first)s AND region_code LIKE %(prefix)s) AS s
  ON s.region_code = placed.region_code
LEFT JOIN rows ON rows.region_code = coalesce(s.region_code, placed.region_code)
ORDER BY 1
"""


@dataclass
class UnitMonth:
    code: str
    name: str
    sheet_id: int | None
    state: str | None
    rows: int
    people: int
    unmarked: int
    nothing: int

    @property
    def state_label(self) -> str:
        return SheetState(self.state).label if self.state else ""


def month_overview(user, month: dt.date, *, today: dt.date) -> list[UnitMonth]:
    """Every unit of the user's area in ``month``: sheet state, people, working days not marked
    up to ``today`` and people with nothing marked (a warning sign of ghost pay, docs/policy.md
    §8). The area is the user's (``scoping.scope_sql_prefix``)."""
    days = month_days(month)
    upto = min(max((today - days[0]).days + 1, 0), len(days))
    params = {
        "prefix": scope_sql_prefix(user, AttendanceMonth),
        "first": days[0],
        "last": days[-1],
        "upto": upto,
    }
    with connection.cursor() as cursor:
        cursor.execute(OVERVIEW_SQL, params)
        found = cursor.fetchall()
    names = dict(Region.objects.filter(code__in=[r[0] for r in found]).values_list("code", "name"))
    return [
        UnitMonth(
            code, names.get(code, code), sheet_id, state, rows, people or 0, unmarked, nothing
        )
        for code, sheet_id, state, rows, people, unmarked, nothing in found
    ]


def township_summary(units: list[UnitMonth]) -> list[dict]:
    """The county's view: the units of each township added up."""
    townships: dict[str, dict] = {}
    for unit in units:
        t = townships.setdefault(
            unit.code[:9],
            {
                "code": unit.code[:9],
                "units": 0,
                "people": 0,
                "open": 0,
                "submitted": 0,
                "closed": 0,
                "missing": 0,
                "nothing": 0,
                "unmarked": 0,
            },
        )
        t["units"] += 1
        t["people"] += unit.people
        t[unit.state or "missing"] += 1
        t["nothing"] += unit.nothing
        t["unmarked"] += unit.unmarked
    names = dict(Region.objects.filter(code__in=list(townships)).values_list("code", "name"))
    for t in townships.values():
        t["name"] = names.get(t["code"], t["code"])
    return list(townships.values())


def user_sheets(user, *, limit: int = 12) -> list[AttendanceSheet]:
    return list(
        scope_queryset(user, AttendanceSheet.objects.order_by("-month", "region_code"))[:limit]
    )


def notice_rows(user, sheet: AttendanceSheet) -> dict:
    """The month's notice (按月公开): per person the post, days required and present, leave by
    kind, absence, hours for hourly posts, the assessment's score and grade; masked ID numbers
    (docs/policy.md §9)."""
    kinds = absence_kinds(sheet.region_code[:6])
    leave_kinds = [k for k in kinds if k.category == "leave"]
    mask = notice_masker(sheet.region_code, sheet.closed_at.date() if sheet.closed_at else None)
    rows = (
        scope_queryset(user, AttendanceMonth.objects.filter(sheet=sheet))
        .select_related("placement__person", "placement__post", "assessment")
        .prefetch_related("adjustments")
        .order_by("placement__person__name", "pk")
    )
    lines = []
    for row in rows:
        by_kind = row.days_by_kind or {}
        assessment = getattr(row, "assessment", None)
        lines.append(
            {
                "name": row.placement.person.name,
                "masked_id": mask(row.placement.person.id_number),
                "post": row.placement.post.title,
                "row": row,
                "leave": [by_kind.get(str(k.pk), 0) for k in leave_kinds],
                "adjusted": bool(row.adjustments.all()),
                "score": assessment.score if assessment else None,
                "grade": assessment.get_grade_display() if assessment else "",
            }
        )
    return {"rows": lines, "leave_kinds": leave_kinds}


def unit_name(code: str) -> str:
    return Region.objects.filter(code=code).values_list("name", flat=True).first() or code


def arrangement_posts(user, *, page: str | None, per_page: int = 50):
    """The posts of the user's area that are not closed, each with its arrangements (newest
    first), a page at a time."""
    from django.core.paginator import Paginator
    from django.db.models import Prefetch

    from posts.enums import PostStatus
    from posts.models import Post
    from subsidies.attendance.models import WorkArrangement

    posts = (
        scope_queryset(user, Post.objects.exclude(status=PostStatus.CLOSED))
        .only("id", "title", "work_pattern", "hours_per_week", "region_code")
        .prefetch_related(
            Prefetch("arrangements", queryset=WorkArrangement.objects.order_by("-effective_from"))
        )
        .order_by("region_code", "id")
    )
    return Paginator(posts, per_page).get_page(page)


NO_ATTENDANCE_SQL = """
SELECT person.name, p.region_code, post.title, p.start_date, m.sheet_id
FROM people_placement p
JOIN people_person person ON person.id = p.person_id
JOIN posts_post post ON post.id = p.post_id
LEFT JOIN attendance_attendancemonth m ON m.placement_id = p.id AND m.month = %(first)s
WHERE p.region_code LIKE %(prefix)s
  AND p.start_date <= %(upto)s AND (p.end_date IS NULL OR p.end_date >= %(first)s)
  AND (m.id IS NULL OR cardinality(array_positions(m.marks, NULL)) = cardinality(m.marks))
ORDER BY p.region_code, person.name
LIMIT %(limit)s
"""


def people_without_attendance(user, month: dt.date, *, today: dt.date, limit: int = 200):
    """The people on a post in the user's area who started by ``today`` and have no day of
    ``month`` marked — not on the sheet at all, or on it with nothing marked (docs/policy.md §7:
    a warning sign of ghost pay). At most ``limit``, by unit and name; the area is the user's
    (``scoping.scope_sql_prefix``)."""
    days = month_days(month)
    with connection.cursor() as cursor:
        cursor.execute(
            NO_ATTENDANCE_SQL,
            {
                "prefix": scope_sql_prefix(user, Placement),
                "first": days[0],
                "upto": min(days[-1], today),
                "limit": limit,
            },
        )
        found = cursor.fetchall()
    names = dict(Region.objects.filter(code__in={r[1] for r in found}).values_list("code", "name"))
    return [
        {"name": name, "unit": names.get(code, code), "post": post, "start": start, "sheet": sheet}
        for name, code, post, start, sheet in found
    ]
