"""Attendance imported from a clock-in export or the county's sheet (subsidies/attendance/
clockin/): every bad row reported, then the good days or nothing. Files are real workbooks
written with openpyxl and CSV files in UTF-8 (with and without a BOM) and GBK; "today" is
2026-12-03, the month 甲社区's November 2026 (tests/attendance/conftest.py)."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from gongyi.enums import AuditAction, Role
from gongyi.errors import DomainError
from gongyi.jobs import job_execute, job_start
from gongyi.models import AuditEntry, Job, PolicySetting
from people.idnumbers import normalise
from subsidies.attendance import clockin
from subsidies.attendance.clockin import clockin_import_check, clockin_import_commit
from subsidies.attendance.enums import PRESENT, SheetState
from subsidies.attendance.models import AbsenceKind, AttendanceMonth, AttendanceSheet
from subsidies.attendance.planning import month_prepare
from tests.attendance.conftest import AFTER, NOV
from tests.factories import (
    PersonFactory,
    PlacementFactory,
    PostFactory,
    UserFactory,
    id_number_for,
)

pytestmark = pytest.mark.django_db

D = Decimal
PUNCH = ["姓名", "部门", "工号", "日期", "打卡时间", "打卡结果"]
SHEET = ["姓名", "身份证号", "日期", "考勤", "工时"]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: AFTER)
    with translation.override("zh-hans"):
        yield


def xlsx(rows, headers, *, title: str | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:  # as 钉钉 writes its exports: a title row above the header
        sheet.append([title])
        sheet.merge_cells("A1:F1")
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_file(rows, headers, encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows([["" if v is None else str(v) for v in row] for row in rows])
    return out.getvalue().encode(encoding)


def punch(placement, day: int, time: str, *, name=None) -> list:
    person = placement.person
    return [name or person.name, "甲社区", person.id_number, f"2026-11-{day:02d}", time, "正常"]


def line(placement, day, mark, hours=None, *, name=None) -> list:
    person = placement.person
    return [name or person.name, person.id_number, dt.date(2026, 11, day), mark, hours]


def errors_of(result) -> list[tuple]:
    return [(e.row, e.column, e.message) for e in result.errors]


def kind(name):
    return AbsenceKind.objects.get(county=None, name=name).pk


@pytest.fixture
def people(month):
    """(sheet, its rows, the placements: two full-time, one hourly)."""
    sheet, rows = month
    return sheet, rows, [r.placement for r in rows]


def reload(rows):
    return [AttendanceMonth.objects.get(pk=r.pk) for r in rows]


# --- the clock-in export ---------------------------------------------------------------------


def test_punches_mark_days_present_and_count_an_hourly_posts_hours(people, village_user):
    sheet, rows, (a, b, hourly) = people
    data = xlsx(
        [
            punch(a, 2, "08:58"),
            punch(a, 2, "17:31"),
            punch(b, 3, "09:02"),  # one punch: present all the same
            punch(hourly, 2, "08:00"),
            punch(hourly, 2, "10:15"),  # 2.25 hours: 2.3, rounded half up
            punch(hourly, 3, "08:00:00 10:14:59"),  # two punches in one cell: 2.2
        ],
        PUNCH,
        title="打卡记录 统计日期：2026-11-01 至 2026-11-30",
    )

    result = clockin_import_commit(actor=village_user, data=data, file_name="钉钉.xlsx")

    a_row, b_row, h_row = reload(rows)
    assert (errors_of(result), result.good, result.changed) == ([], [3, 4, 5, 6, 7, 8], 3)
    assert a_row.marks[:4] == [None, PRESENT, None, None]
    assert b_row.marks[:4] == [None, None, PRESENT, None]
    assert (h_row.marks[1:3], h_row.hours[1:3]) == ([PRESENT, PRESENT], [D("2.3"), D("2.2")])
    entries = AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_type="attendance.attendancemonth"
    )
    assert {e.object_pk: e.changes for e in entries} == {
        str(a_row.pk): {"2026-11-02": ["", "√"]},
        str(b_row.pk): {"2026-11-03": ["", "√"]},
        str(h_row.pk): {"2026-11-02": ["", "2.3"], "2026-11-03": ["", "2.2"]},
    }
    imported = AuditEntry.objects.get(action=AuditAction.IMPORT)
    assert (imported.object_repr, imported.region_code) == ("钉钉.xlsx", sheet.region_code)


def test_hours_from_punches_are_capped_by_the_days_maximum(people, village_user, area):
    _sheet, rows, (_a, _b, hourly) = people
    data = xlsx([punch(hourly, 2, "07:00"), punch(hourly, 2, "18:40")], PUNCH)

    clockin_import_commit(actor=village_user, data=data)

    assert reload(rows)[2].hours[1] == D(8)  # attendance.max_hours_per_day


def test_hourly_post_with_one_punch_is_refused(people, village_user):
    _sheet, _rows, (_a, _b, hourly) = people

    result = clockin_import_check(actor=village_user, data=xlsx([punch(hourly, 2, "08:00")], PUNCH))

    assert errors_of(result) == [
        (2, "打卡时间", "计时岗位每天需要两次打卡（上班和下班）才能计算工时。")
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_csv_in_utf8_or_gbk_imports_as_the_workbook(people, village_user, encoding):
    _sheet, rows, (a, _b, hourly) = people
    data = csv_file(
        [punch(a, 4, "08:30"), punch(hourly, 4, "14:00"), punch(hourly, 4, "16:30")],
        PUNCH,
        encoding,
    )

    result = clockin_import_commit(actor=village_user, data=data)

    a_row, _b_row, h_row = reload(rows)
    assert (errors_of(result), a_row.marks[3], h_row.hours[3]) == ([], PRESENT, D("2.5"))


def test_export_with_punch_times_that_carry_their_date_needs_no_date_column(people, village_user):
    _sheet, rows, (a, _b, _h) = people
    person = a.person
    data = csv_file(
        [[person.name, person.id_number, "2026-11-05 08:01:13"]], ["姓名", "工号", "打卡时间"]
    )

    result = clockin_import_commit(actor=village_user, data=data)

    assert (errors_of(result), reload(rows)[0].marks[4]) == ([], PRESENT)


def test_daily_export_with_punch_columns_and_days_without_a_punch(people, village_user):
    """One row per person and day, a column per punch (钉钉's 每日统计); 未打卡 is no punch, and
    a day without any punch imports nothing."""
    _sheet, rows, (a, b, hourly) = people
    headers = ["姓名", "工号", "考勤日期", "上班1打卡时间", "下班1打卡时间"]
    data = xlsx(
        [
            [p.person.name, p.person.id_number, "2026-11-05 星期四", on, off]
            for p, on, off in (
                (a, "08:55", "17:40"),
                (b, "未打卡", None),
                (hourly, "08:00", "10:30"),
            )
        ],
        headers,
    )

    result = clockin_import_commit(actor=village_user, data=data)

    a_row, b_row, h_row = reload(rows)
    assert (errors_of(result), result.good) == ([], [2, 3, 4])
    assert (a_row.marks[4], b_row.marks[4], h_row.hours[4]) == (PRESENT, None, D("2.5"))


def test_an_id_number_column_is_read_before_a_staff_number_column(people, village_user):
    _sheet, rows, (a, _b, _h) = people
    headers = ["姓名", "工号", "身份证号码", "日期", "打卡时间"]
    data = csv_file([[a.person.name, "007", a.person.id_number, "2026-11-06", "08:00"]], headers)

    result = clockin_import_commit(actor=village_user, data=data)

    assert (errors_of(result), reload(rows)[0].marks[5]) == ([], PRESENT)


def test_same_file_twice_changes_nothing_the_second_time(people, village_user):
    _sheet, rows, (a, _b, hourly) = people
    data = xlsx([punch(a, 2, "08:58"), punch(hourly, 2, "08:00"), punch(hourly, 2, "10:00")], PUNCH)
    clockin_import_commit(actor=village_user, data=data)
    before = [(r.marks, r.hours, r.updated_at) for r in reload(rows)]

    again = clockin_import_commit(actor=village_user, data=data)

    assert again.changed == 0
    assert [(r.marks, r.hours, r.updated_at) for r in reload(rows)] == before
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.UPDATE, object_type="attendance.attendancemonth"
        ).count()
        == 2
    )
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 2


def test_id_numbers_are_matched_as_the_registry_keeps_them(area, month, village_user):
    """A 15-digit number is the 18-digit one; a lower-case x is the check character X."""
    post = PostFactory(village=area.village)
    old = PlacementFactory(
        post=post,
        person=PersonFactory(village=area.village, id_number=normalise("370902750501002")),
    )
    serial = next(
        n for n in range(500) if id_number_for(dt.date(1970, 1, 1), male=True, serial=n)[-1] == "X"
    )
    with_x = PlacementFactory(
        post=post,
        person=PersonFactory(
            village=area.village,
            id_number=id_number_for(dt.date(1970, 1, 1), male=True, serial=serial),
        ),
    )
    month_prepare(month=NOV, region_code=area.village.code)
    data = csv_file(
        [
            [old.person.name, "", "370902750501002", "2026-11-02", "08:00", ""],
            [with_x.person.name, "", with_x.person.id_number.lower(), "2026-11-02", "08:00", ""],
        ],
        PUNCH,
    )

    result = clockin_import_commit(actor=village_user, data=data)

    marks = AttendanceMonth.objects.filter(placement__in=[old, with_x]).values_list(
        "marks", flat=True
    )
    assert (errors_of(result), [m[1] for m in marks]) == ([], [PRESENT, PRESENT])


# --- the county's sheet ----------------------------------------------------------------------


def test_county_sheet_marks_presence_kinds_and_hours(people, village_user):
    _sheet, rows, (a, b, hourly) = people
    data = xlsx(
        [
            line(a, 2, "√"),
            line(a, 3, "s"),  # 事假 by its shortcut
            line(b, 2, "病"),  # 病假 by its symbol
            line(b, 3, "婚丧假"),  # by its name
            line(hourly, 2, "√", 3.5),
            line(hourly, 3, "√"),  # the planned hours
            line(hourly, 4, None, "2"),
        ],
        SHEET,
    )

    result = clockin_import_commit(actor=village_user, data=data)

    a_row, b_row, h_row = reload(rows)
    assert (errors_of(result), result.changed) == ([], 3)
    assert a_row.marks[1:3] == [PRESENT, kind("事假")]
    assert b_row.marks[1:3] == [kind("病假"), kind("婚丧假")]
    assert h_row.hours[1:4] == [D("3.5"), D("1.9"), D(2)]


def test_template_download_filled_in_imports(people, village_user, login):
    _sheet, rows, (a, _b, _h) = people
    response = login(village_user).get(reverse("attendance-import-template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    workbook.worksheets[0].append(line(a, 5, "√"))
    out = io.BytesIO()
    workbook.save(out)

    result = clockin_import_commit(actor=village_user, data=out.getvalue())

    assert workbook.sheetnames == ["考勤", "填写说明", "考勤标记"]
    assert [c.value for c in workbook.worksheets[0][1]] == SHEET
    assert (errors_of(result), reload(rows)[0].marks[4]) == ([], PRESENT)


# --- bad rows ----------------------------------------------------------------------------------


def test_unknown_people_and_people_of_another_village_are_reported(area, people, village_user):
    _sheet, _rows, (a, _b, _h) = people
    stranger = PersonFactory(village=area.village)  # in the registry, on no post
    elsewhere = PlacementFactory(
        post=PostFactory(village=area.other_village), person__village=area.other_village
    )
    data = xlsx(
        [
            punch(a, 2, "08:00"),
            [stranger.name, "", stranger.id_number, "2026-11-02", "08:00", ""],
            punch(elsewhere, 2, "08:00"),
            ["张三", "", "370902197505010022", "2026-11-02", "08:00", ""],
            punch(a, 3, "08:00", name="李四"),
        ],
        PUNCH,
    )

    result = clockin_import_check(actor=village_user, data=data)

    assert errors_of(result) == [
        (3, "工号", "您的辖区内没有此身份证号的在岗人员。"),
        (4, "工号", "此人在您辖区以外的岗位上，由其所在村（社区）导入。"),
        (5, "工号", "校验位应为 6。"),
        (6, "姓名", f"李四 不是此身份证号对应人员的姓名（{a.person.name}）。"),
    ]
    assert (result.good, len(result.cells)) == ([2], 1)


def test_days_outside_the_placement_to_come_rest_days_and_closed_months_are_refused(
    area, people, village_user
):
    sheet, _rows, (a, _b, _h) = people
    late = PlacementFactory(
        post=PostFactory(village=area.village),
        person__village=area.village,
        start_date=dt.date(2026, 11, 16),
    )
    AttendanceSheet.objects.create(
        region_code=sheet.region_code, month=dt.date(2026, 10, 1), state=SheetState.CLOSED
    )
    data = xlsx(
        [
            punch(late, 10, "08:00"),  # before the placement starts
            punch(a, 1, "08:00"),  # Sunday: a rest day
            ["", "", a.person.id_number, "2026-12-04", "08:00", ""],  # still to come
            [*punch(a, 2, "08:00")[:3], "2026-10-12", "08:00", ""],  # October is closed
        ],
        PUNCH,
    )

    result = clockin_import_check(actor=village_user, data=data)

    assert errors_of(result) == [
        (2, "日期", "2026-11-10 不在此人的上岗期间内（2026-11-16—至今）。"),
        (3, "日期", "2026-11-01 不是此岗位的工作日（休息日或节假日）。"),
        (4, "姓名", "请填写姓名。"),
        (5, "日期", "2026-10 的考勤已结账：导入不能再更改。"),
    ]


def test_future_day_is_refused(people, village_user):
    _sheet, _rows, (a, _b, _h) = people
    data = xlsx([[*punch(a, 2, "08:00")[:3], "2026-12-04", "08:00", ""]], PUNCH)

    result = clockin_import_check(actor=village_user, data=data)

    assert errors_of(result) == [(2, "日期", "2026-12-04 尚未到来，不能导入。")]


@pytest.mark.parametrize(
    "value, message",
    [
        ("11月2日", "“11月2日”不是完整的日期：请连同年份填写，如 2026-11-02。"),
        ("周一", "“周一”不是完整的日期：请连同年份填写，如 2026-11-02。"),
        (46328, "46328 是数字而不是日期：请将此列设为日期格式，如 2026-11-02。"),
        ("2026-11-31", "日期 2026-11-31 不存在。"),
    ],
)
def test_dates_as_text_are_refused(people, village_user, value, message):
    _sheet, _rows, (a, _b, _h) = people
    data = xlsx([[*line(a, 2, "√")[:2], value, "√", None]], SHEET)

    result = clockin_import_check(actor=village_user, data=data)

    assert errors_of(result) == [(2, "日期", message)]


def test_duplicated_days_of_the_county_sheet_are_refused(people, village_user):
    _sheet, rows, (a, b, _h) = people
    data = xlsx([line(a, 2, "√"), line(b, 2, "√"), line(a, 2, "s")], SHEET)

    result = clockin_import_commit(actor=village_user, data=data)

    assert errors_of(result) == [
        (2, "日期", "与第 4 行是同一人同一天。"),
        (4, "日期", "与第 2 行是同一人同一天。"),
    ]
    assert [r.marks[1] for r in reload(rows)] == [None, PRESENT, None]


def test_bad_marks_and_hours_of_the_county_sheet(people, village_user):
    _sheet, _rows, (a, _b, hourly) = people
    data = xlsx(
        [
            line(a, 2, "x"),
            line(a, 3, "√", 8),
            line(hourly, 2, "√", 9),
            line(hourly, 3, "s", 2),
            line(hourly, 4, None, None),
        ],
        SHEET,
    )

    result = clockin_import_check(actor=village_user, data=data)

    messages = [(row, column) for row, column, _m in errors_of(result)]
    assert messages == [(2, "考勤"), (3, "工时"), (4, "工时"), (5, "工时"), (6, "考勤")]
    assert "不是考勤标记" in result.errors[0].message
    assert result.errors[1].message == "此岗位为全日制：工时请留空。"
    assert result.errors[2].message == "9 小时超过了每天最多可记录的 8 小时。"


def test_a_bad_punch_leaves_its_whole_day_out(people, village_user):
    _sheet, rows, (_a, _b, hourly) = people
    data = xlsx([punch(hourly, 2, "08:00"), punch(hourly, 2, "十点")], PUNCH)

    result = clockin_import_commit(actor=village_user, data=data)

    assert errors_of(result) == [
        (2, "日期", "同一人同一天的第 3 行有错误：这一天不导入。"),
        (3, "打卡时间", "“十点”不是打卡时间：请写作 08:30。"),
    ]
    assert reload(rows)[2].marks[1] is None


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "这是旧版 .xls 文件"),
        (b"\xff\xfe\x00\xd8a", "既不是 Excel .xlsx 工作簿"),
        ("名字,日期\n张三,2026-11-02\n".encode(), "未找到含有"),
        ("姓名,身份证号,日期\n张三,1,2026-11-02\n".encode(), "既没有“打卡时间”列"),
        ("姓名,身份证号,日期,考勤\n".encode(), "表头下没有考勤数据"),
    ],
)
def test_unreadable_files_are_refused_whole(people, village_user, data, message):
    with pytest.raises(DomainError) as refused:
        clockin_import_check(actor=village_user, data=data)

    assert message in refused.value.message


def test_file_of_more_months_than_an_import_takes_is_refused(people, village_user):
    _sheet, _rows, (a, _b, _h) = people
    rows = [[*line(a, 2, "√")[:2], dt.date(2025, m, 3), "√", None] for m in range(1, 13)]
    rows.append(line(a, 2, "√"))

    with pytest.raises(DomainError) as refused:
        clockin_import_check(actor=village_user, data=xlsx(rows, SHEET))

    assert refused.value.message == "文件涉及 13 个月；一次最多导入 12 个月。"


def test_check_and_commit_take_the_same_queries_for_more_people(area, people, village_user):
    """Set-based: the people, placements and months are read once per file and the changed
    rows written in one statement, whatever the number of rows."""
    _sheet, _rows, placements = people
    few = xlsx([punch(p, 2, t) for p in placements for t in ("08:00", "12:00")], PUNCH)
    post = PostFactory(village=area.village, headcount=20)
    more = [PlacementFactory(post=post, person__village=area.village) for _ in range(20)]
    everyone = (*placements, *more)
    many = xlsx([punch(p, 3, t) for p in everyone for t in ("08:00", "12:00")], PUNCH)
    later = xlsx([punch(p, 4, t) for p in everyone for t in ("08:00", "12:00")], PUNCH)
    clockin_import_commit(actor=village_user, data=many)  # the new placements' rows made

    with CaptureQueriesContext(connection) as small:
        changed_few = clockin_import_commit(actor=village_user, data=few).changed
    with CaptureQueriesContext(connection) as large:
        changed_many = clockin_import_commit(actor=village_user, data=later).changed

    assert (changed_few, changed_many) == (3, 23)
    assert len(large) == len(small)


# --- all or nothing ----------------------------------------------------------------------------


def test_month_closed_between_check_and_write_imports_nothing(people, village_user, monkeypatch):
    sheet, rows, (a, b, _h) = people
    data = xlsx([punch(a, 2, "08:00"), punch(b, 2, "08:00")], PUNCH)
    checked = clockin_import_check(actor=village_user, data=data)
    AttendanceSheet.objects.filter(pk=sheet.pk).update(state=SheetState.SUBMITTED)
    # The commit checks the file again (``clockin.commit``): here it finds what it found before.
    monkeypatch.setattr(clockin.commit, "clockin_import_check", lambda **kwargs: checked)
    entries = AuditEntry.objects.count()

    with pytest.raises(DomainError) as refused:
        clockin_import_commit(actor=village_user, data=data)

    assert "导入期间被上报或月结" in refused.value.message
    assert [r.marks[1] for r in reload(rows)] == [None, None, None]
    assert AuditEntry.objects.count() == entries


def test_hours_cap_follows_the_countys_setting(people, village_user, area):
    _sheet, rows, (_a, _b, hourly) = people
    PolicySetting.objects.create(
        county=area.county, key="attendance.max_hours_per_day", value=3, effective_from=NOV
    )
    data = xlsx([punch(hourly, 2, "08:00"), punch(hourly, 2, "12:00")], PUNCH)

    clockin_import_commit(actor=village_user, data=data)

    assert reload(rows)[2].hours[1] == D(3)


# --- the pages ---------------------------------------------------------------------------------


def test_import_page_reports_bad_rows_then_imports_the_good_ones(
    people, village_user, login, django_capture_on_commit_callbacks
):
    _sheet, rows, (a, b, _h) = people
    client = login(village_user)
    data = csv_file([punch(a, 2, "08:00"), punch(b, 1, "08:00")], PUNCH, "gbk")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("attendance-import"), {"file": SimpleUploadedFile("打卡.csv", data)}
        )
    check = Job.objects.get(kind=clockin.CHECK)
    body = client.get(response.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("attendance-import-commit", args=[check.pk]), {"action": "import"}
        )
    page = client.get(done.url).content.decode()

    assert (response.status_code, response.url) == (302, f"/attendance/import/{check.pk}/")
    assert "共读取 2 行：正确 1 行，有误 1 行。" in body
    assert "不是此岗位的工作日" in body
    assert [r.marks[1] for r in reload(rows)] == [PRESENT, None, None]
    assert "已按检查结果导入 1 天" in page


def test_import_page_refuses_other_files(people, village_user, login):
    response = login(village_user).post(
        reverse("attendance-import"), {"file": SimpleUploadedFile("打卡.txt", b"x")}
    )

    assert (response.status_code, Job.objects.count()) == (400, 0)


def test_import_links_from_the_home_and_the_sheet(people, village_user, login):
    sheet, _rows, _p = people
    client = login(village_user)
    url = reverse("attendance-import")

    assert url in client.get(reverse("attendance-home") + "?month=2026-11").content.decode()
    assert url in client.get(reverse("attendance-sheet", args=[sheet.pk])).content.decode()


def test_commit_job_imports_once(people, village_user):
    _sheet, _rows, (a, _b, _h) = people
    check = job_start(
        actor=village_user, kind=clockin.CHECK, payload=xlsx([punch(a, 2, "08:00")], PUNCH)
    )
    job_execute(check.pk)
    first = job_start(actor=village_user, kind=clockin.COMMIT, params={"check_job": check.pk})
    second = job_start(actor=village_user, kind=clockin.COMMIT, params={"check_job": check.pk})

    job_execute(first.pk)
    job_execute(second.pk)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.result["days"], first.result["changed"]) == (1, 1)
    assert second.error == "此文件已经导入或已取消。"
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 1


def test_another_township_clerk_cannot_import_into_the_village(area, people):
    _sheet, _rows, (a, _b, _h) = people
    clerk = UserFactory(username="far", role=Role.CLERK, region=area.far_village.parent)

    result = clockin_import_check(actor=clerk, data=xlsx([punch(a, 2, "08:00")], PUNCH))

    assert [e.message for e in result.errors] == [
        "此人在您辖区以外的岗位上，由其所在村（社区）导入。"
    ]


# --- approved leave ----------------------------------------------------------------------------


def approved_leave(placement, first: int, last: int, actor):
    """An approved 事假 of ``placement`` from the ``first`` to the ``last`` of November."""
    from subsidies.attendance.leave import leave_request, leave_transition

    leave = leave_request(
        actor=actor,
        placement_id=placement.pk,
        kind_id=kind("事假"),
        starts_on=dt.date(2026, 11, first),
        ends_on=dt.date(2026, 11, last),
    )
    return leave_transition(actor=actor, leave_id=leave.pk, action="approve")


def test_a_punch_on_a_day_of_approved_leave_is_a_bad_row(people, village_user, clerk):
    _sheet, rows, (a, b, _h) = people
    approved_leave(a, 3, 4, clerk)
    data = xlsx(
        [punch(a, 2, "08:00"), punch(a, 3, "08:01"), punch(a, 3, "17:30"), punch(b, 3, "08:00")],
        PUNCH,
    )

    result = clockin_import_commit(actor=village_user, data=data)

    message = f"{a.person.name} 2026-11-03 在已批准的请假中（事假）：如要改记这一天，请先销假。"
    assert errors_of(result) == [(3, "日期", message), (4, "日期", message)]
    assert (result.good, len(result.cells)) == ([2, 5], 2)
    a_row, b_row, _ = reload(rows)
    assert a_row.marks[1:4] == [PRESENT, kind("事假"), kind("事假")]
    assert b_row.marks[2] == PRESENT


def test_the_county_sheet_may_give_a_leave_day_its_own_mark_only(people, village_user, clerk):
    _sheet, _rows, (a, _b, _h) = people
    approved_leave(a, 3, 4, clerk)
    data = xlsx([line(a, 3, "事"), line(a, 4, "√")], SHEET)

    result = clockin_import_check(actor=village_user, data=data)

    assert [(row, column) for row, column, _m in errors_of(result)] == [(3, "日期")]
    assert result.good == [2]


def test_leave_approved_between_check_and_write_imports_nothing(
    people, village_user, clerk, monkeypatch
):
    _sheet, rows, (a, b, _h) = people
    data = xlsx([punch(a, 3, "08:00"), punch(b, 3, "08:00")], PUNCH)
    checked = clockin_import_check(actor=village_user, data=data)
    approved_leave(a, 3, 3, clerk)
    monkeypatch.setattr(clockin.commit, "clockin_import_check", lambda **kwargs: checked)

    with pytest.raises(DomainError, match="请先销假"):
        clockin_import_commit(actor=village_user, data=data)

    assert [r.marks[2] for r in reload(rows)] == [kind("事假"), None, None]
