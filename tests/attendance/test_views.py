"""The attendance pages: who sees what (404 outside the area), saving the grid, the actions of
the month, the day's marking and the notice (docs/policy.md §7, §9)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from gongyi.enums import Role
from subsidies.attendance.enums import PRESENT, SheetState
from subsidies.attendance.models import AttendanceMonth, AttendanceSheet
from subsidies.attendance.planning import month_prepare
from subsidies.attendance.services import grid_save, sheet_fill_present, sheet_transition
from tests.attendance.conftest import AFTER, NOV, score_all
from tests.factories import PlacementFactory, PostFactory, UserFactory


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: AFTER)


def close(sheet, village_user, clerk):
    sheet_fill_present(actor=village_user, sheet_id=sheet.pk, today=AFTER)
    score_all(sheet, village_user)
    sheet_transition(actor=village_user, sheet_id=sheet.pk, to=SheetState.SUBMITTED)
    sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.CLOSED)


def test_home_lists_the_units_with_no_attendance(login, month, clerk):
    response = login(clerk).get(reverse("attendance-home") + "?month=2026-11")
    page = response.content.decode()
    assert response.status_code == 200
    assert "甲社区" in page and "填报中" in page
    assert "3 人本月没有任何考勤" in page or "没有任何考勤" in page


def test_county_sees_the_townships_summary(login, month, county):
    page = login(county).get(reverse("attendance-home") + "?month=2026-11").content.decode()
    assert "岱庙街道" in page


def test_prepare_button_makes_the_rows(login, area, clerk):
    PlacementFactory(post=PostFactory(village=area.village))
    response = login(clerk).post(reverse("attendance-home"), {"month": "2026-11"})
    assert response.status_code == 302
    assert AttendanceMonth.objects.filter(month=NOV).count() == 1


def test_grid_saves_typed_cells(login, month, village_user):
    sheet, (a, _b, hourly) = month
    url = reverse("attendance-sheet", args=[sheet.pk])
    page = login(village_user).get(url).content.decode()
    assert f'name="c-{a.pk}-1"' in page and f'name="c-{a.pk}-0"' not in page  # Sunday
    response = login(village_user).post(url, {f"c-{a.pk}-1": "√", f"c-{hourly.pk}-2": "2"})
    assert response.status_code == 302
    assert AttendanceMonth.objects.get(pk=a.pk).marks[1] == PRESENT


def test_grid_bad_cell_is_refused_with_the_reason_and_the_typing_kept(login, month, village_user):
    sheet, (a, b, _h) = month
    url = reverse("attendance-sheet", args=[sheet.pk])
    response = login(village_user).post(url, {f"c-{a.pk}-1": "√", f"c-{b.pk}-1": "zz"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "不是考勤标记" in page and 'value="zz"' in page
    assert AttendanceMonth.objects.get(pk=a.pk).marks[1] is None


def test_grid_save_of_sixty_people_takes_constant_queries(
    login, area, village_user, django_assert_max_num_queries
):
    post = PostFactory(village=area.village, headcount=60)
    placements = [PlacementFactory(post=post) for _ in range(60)]
    month_prepare(month=NOV, region_code=area.village.code)
    sheet = AttendanceSheet.objects.get(region_code=area.village.code, month=NOV)
    rows = AttendanceMonth.objects.filter(sheet=sheet).values_list("pk", flat=True)
    # The whole month of 60 people in one request: over Django's default of 1,000 fields.
    data = {f"c-{pk}-{i}": "√" for pk in rows for i in range(30) if (i + 6) % 7 < 5}
    assert len(data) > 1000
    client = login(village_user)
    with django_assert_max_num_queries(20):
        response = client.post(reverse("attendance-sheet", args=[sheet.pk]), data)
    assert response.status_code == 302
    assert len(placements) == 60
    assert all(r.marks[1] == PRESENT for r in AttendanceMonth.objects.filter(sheet=sheet))


def test_other_village_gets_404_and_reviewer_403(login, month, area, users):
    sheet, _rows = month
    other = UserFactory(role=Role.VILLAGE, region=area.other_village)
    for name in ("attendance-sheet", "attendance-day"):
        assert login(other).get(reverse(name, args=[sheet.pk])).status_code == 404
    assert login(users[Role.REVIEWER]).get(reverse("attendance-home")).status_code == 403


def test_month_actions_through_the_page(login, month, village_user, clerk):
    sheet, _rows = month
    url = reverse("attendance-sheet", args=[sheet.pk])
    login(village_user).post(url, {"action": "fill"})
    score_all(sheet, village_user)
    login(village_user).post(url, {"action": "submit"})
    assert AttendanceSheet.objects.get(pk=sheet.pk).state == SheetState.SUBMITTED
    login(clerk).post(url, {"action": "close"})
    assert AttendanceSheet.objects.get(pk=sheet.pk).state == SheetState.CLOSED
    response = login(village_user).post(url, {"action": "fill"}, follow=True)
    assert "已结账" in response.content.decode()


def test_day_marking_on_a_phone(login, month, village_user):
    sheet, (a, b, _hourly) = month
    url = reverse("attendance-day", args=[sheet.pk])
    page = login(village_user).get(url + "?day=2026-11-04").content.decode()
    assert f'name="x-{a.pk}"' in page
    login(village_user).post(url, {"day": "2026-11-04", f"x-{b.pk}": "病"})
    marks = dict(AttendanceMonth.objects.filter(sheet=sheet).values_list("pk", "marks"))
    assert marks[a.pk][3] == PRESENT and marks[b.pk][3] > 0


def test_notice_page_and_pdf_mask_id_numbers(login, month, village_user, clerk):
    sheet, rows = month
    grid_save(actor=village_user, sheet_id=sheet.pk, cells={(rows[0].pk, 1): "s"}, today=AFTER)
    close(sheet, village_user, clerk)
    person = rows[0].placement.person
    page = login(village_user).get(reverse("attendance-notice", args=[sheet.pk])).content.decode()
    assert person.name in page and person.id_number not in page and person.id_number[:6] in page
    pdf = login(village_user).get(reverse("attendance-notice-pdf", args=[sheet.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.getvalue())).pages)
    # A long name (the factories' grow with the session's count) wraps in its column.
    text = "".join(text.split())
    assert person.name in text and person.id_number not in text


def test_notice_of_an_open_month_is_404(login, month, village_user):
    sheet, _rows = month
    assert login(village_user).get(reverse("attendance-notice", args=[sheet.pk])).status_code == 404


def test_correction_through_the_page(login, month, village_user, clerk):
    sheet, rows = month
    close(sheet, village_user, clerk)
    url = reverse("attendance-sheet", args=[sheet.pk])
    login(clerk).post(
        url,
        {
            "action": "adjust",
            "row": rows[0].pk,
            "day": "2026-11-02",
            "mark": "s",
            "reason": "核实为事假",
        },
    )
    page = login(clerk).get(url).content.decode()
    assert "核实为事假" in page
    assert dt.date(2026, 11, 2) == rows[0].adjustments.get().day


def test_home_names_the_people_with_no_attendance(login, month, clerk, village_user):
    sheet, (a, b, hourly) = month
    grid_save(actor=village_user, sheet_id=sheet.pk, cells={(a.pk, 1): "√"}, today=AFTER)
    unlisted = PlacementFactory(
        post=PostFactory(village=a.placement.post.village)
    )  # not listed yet
    page = login(clerk).get(reverse("attendance-home") + "?month=2026-11").content.decode()
    for person in (b.placement.person, hourly.placement.person, unlisted.person):
        assert person.name in page
    assert a.placement.person.name not in page
    assert "未列入考勤表" in page
