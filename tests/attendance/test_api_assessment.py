"""/api/v1/attendance/assessment-items/ and /api/v1/attendance/sheets/{id}/assessments/: the points
sheet, a month's scores and saving them through ``assessment_save``, all or nothing, refusals as a
400 with the reason (docs/policy.md §7, docs/api.md)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from subsidies.attendance.enums import Grade, SheetState
from subsidies.attendance.models import Assessment, AssessmentItem
from subsidies.attendance.services import sheet_fill_present, sheet_transition
from tests.attendance.conftest import AFTER, score_all
from tests.factories import AssessmentItemFactory

pytestmark = pytest.mark.django_db

ITEMS = reverse("api:attendance-assessment-item-list")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: AFTER)


def item(name):
    return AssessmentItem.objects.get(county=None, name=name)


def scores(sheet):
    return reverse("api:attendance-assessment-list", args=[sheet.pk])


def save(client, sheet, *rows):
    return client.post(scores(sheet), {"rows": list(rows)}, content_type="application/json")


def test_items_are_the_shared_and_the_own_countys(area, login, village_user):
    own = AssessmentItemFactory(county=area.county, name="卫生不达标")
    other = AssessmentItemFactory(county=area.other_county, name="卫生不达标")
    response = login(village_user).get(ITEMS, {"page_size": 100})
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    shared = set(AssessmentItem.objects.filter(county=None).values_list("pk", flat=True))
    assert ids == shared | {own.pk}
    assert other.pk not in ids
    late = login(village_user).get(reverse("api:attendance-assessment-item-detail", args=[own.pk]))
    assert late.json() | {"id": 0} == {
        "id": 0,
        "county": area.county.code,
        "name": "卫生不达标",
        "kind": "deduction",
        "default_points": "2.0",
        "min_points": "1.0",
        "max_points": "5.0",
        "active": True,
        "ordering": 0,
    }


def test_a_month_unscored_then_scored(month, login, village_user):
    sheet, (a, b, _h) = month
    client = login(village_user)
    body = client.get(scores(sheet)).json()
    assert body["count"] == 3
    first = next(line for line in body["results"] if line["row"] == a.pk)
    assert first == {
        "row": a.pk,
        "name": a.placement.person.name,
        "post": a.placement.post.title,
        "score": None,
        "grade": "",
        "grade_label": "",
        "comment": "",
        "entries": [],
    }
    late = item("迟到早退")
    response = save(
        client,
        sheet,
        {"row": a.pk, "points": {str(late.pk): "2"}, "comment": "两次迟到"},
        {"row": b.pk},
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"changed": 2}
    lines = {line["row"]: line for line in client.get(scores(sheet)).json()["results"]}
    assert {k: lines[a.pk][k] for k in ("score", "grade", "comment", "entries")} == {
        "score": "98.0",
        "grade": Grade.EXCELLENT,
        "comment": "两次迟到",
        "entries": [
            {"item": late.pk, "item_name": "迟到早退", "kind": "deduction", "points": "2.0"}
        ],
    }
    assert lines[b.pk]["score"] == "100.0" and lines[b.pk]["entries"] == []
    assert lines[b.pk]["grade_label"] == Grade.EXCELLENT.label
    assert save(client, sheet, {"row": b.pk}).json() == {"changed": 0}


@pytest.mark.parametrize(
    ("points", "comment", "reason"),
    [("6", "迟到", "分值为1至5分"), ("2", "", "扣分")],
)
def test_a_bad_row_is_refused_and_nothing_is_written(
    month, login, village_user, points, comment, reason
):
    sheet, (a, b, _h) = month
    typed = {"row": b.pk, "points": {str(item("迟到早退").pk): points}, "comment": comment}
    response = save(login(village_user), sheet, {"row": a.pk}, typed)
    assert response.status_code == 400
    assert reason in response.json()["detail"]
    assert b.placement.person.name in response.json()["detail"]
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"rows": []},
        {"rows": [{"points": {}}]},
        {"rows": [{"row": 1, "points": {"late": "2"}}]},
        {"rows": [{"row": 1}, {"row": 1}]},
    ],
)
def test_a_malformed_body_is_a_400_naming_the_field(month, login, village_user, body):
    sheet, _rows = month
    response = login(village_user).post(scores(sheet), body, content_type="application/json")
    assert response.status_code == 400
    assert "rows" in response.json()
    assert not Assessment.objects.exists()


def test_a_row_of_another_month_is_refused(month, login, village_user):
    sheet, (a, _b, _h) = month
    response = save(login(village_user), sheet, {"row": a.pk + 1000})
    assert response.status_code == 400 and "detail" in response.json()


def test_a_closed_month_keeps_its_scores(month, login, village_user, clerk):
    sheet, (a, _b, _h) = month
    sheet_fill_present(actor=village_user, sheet_id=sheet.pk, today=AFTER)
    score_all(sheet, village_user)
    sheet_transition(actor=village_user, sheet_id=sheet.pk, to=SheetState.SUBMITTED)
    sheet_transition(actor=clerk, sheet_id=sheet.pk, to=SheetState.CLOSED)
    late = item("迟到早退")
    response = save(
        login(clerk), sheet, {"row": a.pk, "points": {str(late.pk): "2"}, "comment": "迟到"}
    )
    assert response.status_code == 400
    assert "考核评分不能再修改" in response.json()["detail"]
    assert Assessment.objects.get(row=a).score == Decimal(100)


def test_roles_that_may_not_score_are_403_before_the_body_is_read(month, login, county):
    sheet, _rows = month
    client = login(county)
    assert client.get(scores(sheet)).status_code == 200
    assert save(client, sheet, {"row": 1}).status_code == 403
    assert client.post(scores(sheet), "x", content_type="application/json").status_code == 403
