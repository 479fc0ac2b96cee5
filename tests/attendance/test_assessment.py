"""The monthly assessment (docs/policy.md §7): the grade of a score, the score of a month's points,
scoring a unit's month (ranges, comments, all or nothing), who scores, the month's transitions that
wait for the scores, the frozen scores of a closed month, and the scoring page and the notice."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongyi.errors import DomainError
from gongyi.models import AuditEntry, PolicySetting
from subsidies.attendance.assessment import (
    Typed,
    assessment_save,
    grade_for,
    scale_for,
    score_for,
)
from subsidies.attendance.enums import AssessmentKind, Grade, SheetState
from subsidies.attendance.models import (
    Assessment,
    AssessmentEntry,
    AssessmentItem,
    AttendanceMonth,
    AttendanceSheet,
)
from subsidies.attendance.planning import month_prepare
from subsidies.attendance.policy import ASSESSOR, GRADE_EXCELLENT
from subsidies.attendance.services import sheet_fill_present, sheet_transition
from tests.attendance.conftest import AFTER, NOV, score_all
from tests.factories import AssessmentItemFactory, PlacementFactory, PostFactory

D = Decimal
THRESHOLDS = (D(90), D(70), D(60))


def item(name):
    return AssessmentItem.objects.get(county=None, name=name)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: AFTER)


def township_scores(area):
    PolicySetting.objects.create(
        county=area.county, key=ASSESSOR, value=2, effective_from=dt.date(2026, 1, 1)
    )


# --- the rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (D(100), Grade.EXCELLENT),
        (D(90), Grade.EXCELLENT),
        (D("89.9"), Grade.PASS),
        (D(70), Grade.PASS),
        (D("69.5"), Grade.BASIC),
        (D(60), Grade.BASIC),
        (D("59.9"), Grade.FAIL),
        (D(0), Grade.FAIL),
    ],
)
def test_grade_for_worked_cases(score, grade):
    assert grade_for(score, THRESHOLDS) == grade


def test_grade_for_thresholds_out_of_order_the_first_reached_decides():
    assert grade_for(D(65), (D(60), D(70), D(90))) == Grade.EXCELLENT


@pytest.mark.parametrize(
    ("points", "score"),
    [
        ([], D(100)),
        ([(AssessmentKind.DEDUCTION, D(5))], D(95)),
        # Points make up for a deduction, never past full marks.
        ([(AssessmentKind.DEDUCTION, D(5)), (AssessmentKind.POSITIVE, D(2))], D(97)),
        ([(AssessmentKind.DEDUCTION, D(5)), (AssessmentKind.AWARD, D(10))], D(100)),
        # Never below 0.
        ([(AssessmentKind.DEDUCTION, D(20))] * 6, D(0)),
    ],
)
def test_score_for_adds_points_and_awards_takes_off_deductions_within_bounds(points, score):
    assert score_for(points, base=D(100), maximum=D(100)) == score


def test_the_default_scale_is_a_hundred_points_graded_by_the_village(area):
    scale = scale_for(area.village.code, NOV)
    assert (scale.base, scale.maximum, scale.thresholds, scale.stage) == (
        D(100),
        D(100),
        THRESHOLDS,
        SheetState.OPEN,
    )


def test_every_county_starts_with_the_shared_points_sheet(db):
    kinds = dict(AssessmentItem.objects.filter(county=None).values_list("name", "kind"))
    assert kinds["迟到早退"] == AssessmentKind.DEDUCTION
    assert kinds["完成临时性任务"] == AssessmentKind.POSITIVE
    assert kinds["流动红旗岗"] == AssessmentKind.AWARD
    assert set(kinds.values()) == set(AssessmentKind)


# --- scoring a month ---------------------------------------------------------------------------


def test_save_writes_entries_score_grade_and_one_audit_entry_per_person(month, village_user):
    sheet, (a, b, hourly) = month
    late, praised = item("迟到早退"), item("群众表扬")
    changed = assessment_save(
        actor=village_user,
        sheet_id=sheet.pk,
        rows={
            a.pk: Typed({late.pk: "4", praised.pk: "1.5"}, "11月5日、12日迟到"),
            b.pk: Typed({late.pk: " "}),
            hourly.pk: Typed({}),
        },
    )
    assert changed == 3
    scored = {s.row_id: s for s in Assessment.objects.all()}
    assert (scored[a.pk].score, scored[a.pk].grade) == (D("97.5"), Grade.EXCELLENT)
    assert (scored[b.pk].score, scored[hourly.pk].score) == (D(100), D(100))
    assert scored[a.pk].assessed_by == village_user
    entries = AssessmentEntry.objects.filter(assessment=scored[a.pk]).values_list("item", "points")
    assert sorted(entries) == sorted([(late.pk, D(4)), (praised.pk, D("1.5"))])
    audit = AuditEntry.objects.get(
        object_type="attendance.assessment", object_pk=str(scored[a.pk].pk)
    )
    assert audit.changes["score"] == [None, "97.5"]
    assert audit.changes["迟到早退"] == ["", "4"]


def test_saving_the_same_scores_again_changes_nothing(month, village_user):
    sheet, (a, _b, _h) = month
    rows = {a.pk: Typed({item("迟到早退").pk: "2"}, "迟到")}
    assessment_save(actor=village_user, sheet_id=sheet.pk, rows=rows)
    entries = AuditEntry.objects.count()
    assert assessment_save(actor=village_user, sheet_id=sheet.pk, rows=rows) == 0
    assert AuditEntry.objects.count() == entries


def test_a_changed_score_replaces_the_entries(month, village_user):
    sheet, (a, _b, _h) = month
    late, task = item("迟到早退"), item("岗位任务未完成")
    assessment_save(
        actor=village_user, sheet_id=sheet.pk, rows={a.pk: Typed({late.pk: "2"}, "迟到")}
    )
    assessment_save(
        actor=village_user, sheet_id=sheet.pk, rows={a.pk: Typed({task.pk: "10"}, "未完成清扫")}
    )
    scored = Assessment.objects.get(row=a)
    assert (scored.score, scored.grade, scored.comment) == (D(90), Grade.EXCELLENT, "未完成清扫")
    assert list(scored.entries.values_list("item", "points")) == [(task.pk, D(10))]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("6", "分值为1至5分"),
        ("0", "分值为1至5分"),
        ("-2", "分值为1至5分"),
        ("abc", "不是"),
        ("NaN", "不是"),
        ("2.25", "一位小数"),
    ],
)
def test_points_outside_the_item_are_refused_and_nothing_is_written(
    month, village_user, text, message
):
    sheet, (a, b, _h) = month
    with pytest.raises(DomainError, match=message) as refused:
        assessment_save(
            actor=village_user,
            sheet_id=sheet.pk,
            rows={a.pk: Typed({}), b.pk: Typed({item("迟到早退").pk: text}, "迟到")},
        )
    assert b.placement.person.name in refused.value.message
    assert not Assessment.objects.exists()


def test_a_deduction_needs_a_comment(month, village_user):
    sheet, (a, _b, _h) = month
    with pytest.raises(DomainError, match="扣分") as refused:
        assessment_save(
            actor=village_user, sheet_id=sheet.pk, rows={a.pk: Typed({item("迟到早退").pk: "2"})}
        )
    assert a.placement.person.name in refused.value.message
    assert not Assessment.objects.exists()


def test_an_award_needs_no_comment(month, village_user):
    sheet, (a, _b, _h) = month
    assessment_save(
        actor=village_user, sheet_id=sheet.pk, rows={a.pk: Typed({item("流动红旗岗").pk: "5"})}
    )
    assert Assessment.objects.get(row=a).score == D(100)


def test_a_county_item_set_aside_stays_on_a_month_that_gives_it(month, village_user, area):
    sheet, (a, _b, _h) = month
    own = AssessmentItemFactory(county=area.county, name="卫生不达标")
    assessment_save(
        actor=village_user, sheet_id=sheet.pk, rows={a.pk: Typed({own.pk: "3"}, "路段未清扫")}
    )
    AssessmentItem.objects.filter(pk=own.pk).update(active=False)
    from subsidies.attendance.assessment import sheet_items

    assert own in sheet_items(sheet)
    other_sheet = AttendanceSheet.objects.create(region_code=area.other_village.code, month=NOV)
    assert own not in sheet_items(other_sheet)


def test_another_countys_items_are_not_on_the_sheet(month, village_user, area):
    sheet, (a, _b, _h) = month
    foreign = AssessmentItemFactory(county=area.other_county, name="外县项目")
    with pytest.raises(DomainError, match="刷新"):
        assessment_save(
            actor=village_user, sheet_id=sheet.pk, rows={a.pk: Typed({foreign.pk: "2"}, "x")}
        )


def test_a_countys_thresholds_decide_the_grade(month, village_user, area):
    sheet, (a, _b, _h) = month
    PolicySetting.objects.create(
        county=area.county, key=GRADE_EXCELLENT, value=99, effective_from=dt.date(2026, 1, 1)
    )
    assessment_save(
        actor=village_user,
        sheet_id=sheet.pk,
        rows={a.pk: Typed({item("迟到早退").pk: "2"}, "迟到")},
    )
    assert Assessment.objects.get(row=a).grade == Grade.PASS


# --- who scores, and the month's transitions ---------------------------------------------------


def test_submit_waits_for_everyone_scored_and_names_who_is_not(month, village_user):
    sheet, (a, b, hourly) = month
    sheet_fill_present(actor=village_user, sheet_id=sheet.pk, today=AFTER)
    assessment_save(actor=village_user, sheet_id=sheet.pk, rows={a.pk: Typed({})})
    with pytest.raises(DomainError, match="2 人") as refused:
        sheet_transition(actor=village_user, sheet_id=sheet.pk, to=SheetState.SUBMITTED)
    assert b.placement.person.name in refused.value.message
    assert hourly.placement.person.name in refused.value.message
    assert AttendanceSheet.objects.get(pk=sheet.pk).state == SheetState.OPEN
    score_all(sheet, village_user)
    sheet_transition(actor=village_user, sheet_id=sheet.pk, to=SheetState.SUBMITTED)
    assert AttendanceSheet.objects.get(pk=sheet.pk).state == SheetState.SUBMITTED


def test_a_submitted_month_is_not_scored_by_the_village(month, village_user):
    sheet, (a, _b, _h) = month
    sheet_fill_present(actor=village_user, sheet_id=sheet.pk, today=AFTER)
    score_all(sheet, village_user)
    sheet_transition(actor=village_user, sheet_id=sheet.pk, to=SheetState.SUBMITTED)
    with pytest.raises(DomainError, match="已提交"):
        assessment_save(actor=village_user, sheet_id=sheet.pk, rows={a.pk: Typed({})})


def test_when_the_township_scores_it_scores_the_submitted_month_before_closing(
    month, village_user, clerk, area
):
    township_scores(area)
    sheet, (a, _b, _h) = month
    sheet_fill_present(actor=village_user, sheet_id=sheet.pk, today=AFTER)
    with pytest.raises(PermissionDenied):
        assessment_save(actor=village_user, sheet_id=sheet.pk, rows={a.pk: Typed({})})
    with pytest.raises(DomainError, match="提交后"):
        assessment_save(actor=clerk, sheet_id=sheet.pk, rows={a.pk: Typed({})})
    sheet_transition(actor=village_user, sheet_id=sheet.pk, to=SheetState.SUBMITTED)
    with pytest.raises(DomainError, match="未评分"):
        sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.CLOSED)
    score_all(sheet, clerk)
    sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.CLOSED)
    assert AttendanceSheet.objects.get(pk=sheet.pk).state == SheetState.CLOSED


def test_closing_freezes_the_scores(month, village_user, clerk, area):
    sheet, (a, _b, _h) = month
    sheet_fill_present(actor=village_user, sheet_id=sheet.pk, today=AFTER)
    score_all(sheet, village_user)
    assessment_save(
        actor=village_user,
        sheet_id=sheet.pk,
        rows={a.pk: Typed({item("迟到早退").pk: "5"}, "迟到")},
    )
    sheet_transition(actor=village_user, sheet_id=sheet.pk, to=SheetState.SUBMITTED)
    sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.CLOSED)
    before = list(Assessment.objects.order_by("pk").values_list("score", "grade", "assessed_at"))
    for user in (village_user, clerk):
        with pytest.raises(DomainError, match="已结账"):
            assessment_save(actor=user, sheet_id=sheet.pk, rows={a.pk: Typed({})})
    # A threshold changed afterwards does not regrade the closed month.
    PolicySetting.objects.create(
        county=area.county, key=GRADE_EXCELLENT, value=99, effective_from=dt.date(2026, 1, 1)
    )
    after = list(Assessment.objects.order_by("pk").values_list("score", "grade", "assessed_at"))
    assert after == before
    assert Assessment.objects.get(row=a).grade == Grade.EXCELLENT


# --- the page and the notice -------------------------------------------------------------------


def test_scoring_page_saves_and_shows_score_and_grade(login, month, village_user):
    sheet, (a, b, hourly) = month
    url = reverse("attendance-assessment", args=[sheet.pk])
    client = login(village_user)
    page = client.get(url).content.decode()
    assert "迟到早退" in page and a.placement.person.name in page
    late = item("岗位任务未完成")
    data = {f"r-{r.pk}": "1" for r in (a, b, hourly)}
    data |= {f"p-{a.pk}-{late.pk}": "10", f"c-{a.pk}": "清扫未完成"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert Assessment.objects.count() == 3
    page = client.get(url).content.decode()
    assert "清扫未完成" in page and "优秀" in page and 'value="10"' in page


def test_scoring_page_refuses_a_bad_score_in_chinese_keeping_the_typing(login, month, village_user):
    sheet, (a, b, _h) = month
    late = item("迟到早退")
    response = login(village_user).post(
        reverse("attendance-assessment", args=[sheet.pk]),
        {f"r-{a.pk}": "1", f"r-{b.pk}": "1", f"p-{b.pk}-{late.pk}": "9", f"c-{b.pk}": "迟到"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "分值为1至5分" in page and 'value="9"' in page and 'value="迟到"' in page
    assert not Assessment.objects.exists()


def test_scoring_page_of_sixty_people_takes_constant_queries(
    login, area, village_user, django_assert_max_num_queries
):
    post = PostFactory(village=area.village, headcount=60)
    for _ in range(60):
        PlacementFactory(post=post)
    month_prepare(month=NOV, region_code=area.village.code)
    sheet = AttendanceSheet.objects.get(region_code=area.village.code, month=NOV)
    rows = list(AttendanceMonth.objects.filter(sheet=sheet).values_list("pk", flat=True))
    late = item("迟到早退")
    data = {f"r-{pk}": "1" for pk in rows}
    data |= {f"p-{pk}-{late.pk}": "2" for pk in rows[::3]}
    data |= {f"c-{pk}": "迟到" for pk in rows[::3]}
    client = login(village_user)
    url = reverse("attendance-assessment", args=[sheet.pk])
    with django_assert_max_num_queries(20):
        assert client.post(url, data).status_code == 302
    assert Assessment.objects.filter(row__sheet=sheet).count() == 60
    data |= {f"p-{pk}-{late.pk}": "3" for pk in rows[::3]}  # change them all again
    with django_assert_max_num_queries(20):
        assert client.post(url, data).status_code == 302
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


def test_the_sheet_links_to_the_scoring_and_the_notice_shows_score_and_grade(
    login, month, village_user, clerk
):
    sheet, (a, _b, _h) = month
    client = login(village_user)
    sheet_page = client.get(reverse("attendance-sheet", args=[sheet.pk])).content.decode()
    assert reverse("attendance-assessment", args=[sheet.pk]) in sheet_page
    sheet_fill_present(actor=village_user, sheet_id=sheet.pk, today=AFTER)
    score_all(sheet, village_user)
    assessment_save(
        actor=village_user,
        sheet_id=sheet.pk,
        rows={a.pk: Typed({item("群众投诉属实").pk: "20", item("迟到早退").pk: "5"}, "投诉属实")},
    )
    sheet_transition(actor=village_user, sheet_id=sheet.pk, to=SheetState.SUBMITTED)
    sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.CLOSED)
    notice = client.get(reverse("attendance-notice", args=[sheet.pk])).content.decode()
    assert "考核得分" in notice and "75" in notice and "合格" in notice and "优秀" in notice
