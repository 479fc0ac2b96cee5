"""The township's pages of the workflow (issue 5 parts 1, 2, 6–11): each renders for its roles,
each POST calls its service, and refusals leave the data as it was."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongyi.enums import Role
from people.onboarding.enums import ApplicationState as S
from people.onboarding.enums import RoundStatus
from people.onboarding.models import Application, Round, TrainingSession
from tests.onboarding.conftest import make_applicant


def test_round_list_and_board_render_for_every_role_that_sees_them(
    journey, applicant, users, login
):
    app = journey.apply(applicant)
    for role in (Role.COUNTY, Role.CLERK, Role.REVIEWER, Role.ADMIN):
        client = login(users[role])
        assert client.get(reverse("round-list")).status_code == 200
        response = client.get(reverse("round-detail", args=[journey.round_.pk]))
        assert response.status_code == 200
        assert applicant.name in response.content.decode()
    assert (
        login(users[Role.CLERK]).get(reverse("application-detail", args=[app.pk])).status_code
        == 200
    )


def test_the_board_takes_a_constant_number_of_queries(
    journey, area, clerk, login, django_assert_max_num_queries
):
    client = login(clerk)
    url = reverse("round-detail", args=[journey.round_.pk])
    journey.apply(make_applicant(area, clerk, n=1))
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(2, 8):
        journey.apply(make_applicant(area, clerk, n=n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_clerk_creates_and_publishes_a_round(clerk, post, login):
    client = login(clerk)
    today = timezone.localdate()
    response = client.post(
        reverse("round-create"),
        {
            "title": "第三批招聘",
            "who_may_apply": "农村大龄人员",
            "opens_on": today,
            "closes_on": today + dt.timedelta(days=7),
            "apply_at": "便民服务中心",
            "contact": "",
            f"places_{post.pk}": 1,
        },
    )
    round_ = Round.objects.get(title="第三批招聘")
    assert response.status_code == 302
    assert list(round_.round_posts.values_list("post_id", "places")) == [(post.pk, 1)]
    client.post(reverse("round-publish", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED


def test_a_round_offering_more_than_the_free_places_is_refused_and_nothing_saved(
    clerk, post, login
):
    today = timezone.localdate()
    response = login(clerk).post(
        reverse("round-create"),
        {
            "title": "超额招聘",
            "who_may_apply": "农村大龄人员",
            "opens_on": today,
            "closes_on": today,
            "apply_at": "便民服务中心",
            f"places_{post.pk}": 9,
        },
    )
    assert response.status_code == 400
    assert not Round.objects.filter(title="超额招聘").exists()


def test_a_county_user_picks_the_township_first(county, area, login):
    client = login(county)
    assert client.get(reverse("round-create")).status_code == 200
    assert client.get(reverse("round-create"), {"township": area.township.pk}).status_code == 200


def test_entering_an_application_by_id_number(journey, applicant, login):
    client = login(journey.clerk)
    response = client.post(
        reverse("application-create", args=[journey.round_.pk]),
        {
            "post": journey.round_post.post_id,
            "id_number": applicant.id_number.lower(),
            "applied_on": timezone.localdate(),
        },
    )
    app = Application.objects.get(person=applicant)
    assert response.status_code == 302
    assert response.url == reverse("application-detail", args=[app.pk])


def test_entering_an_unknown_id_number_is_refused(journey, login):
    from tests.factories import id_number_for

    response = login(journey.clerk).post(
        reverse("application-create", args=[journey.round_.pk]),
        {
            "post": journey.round_post.post_id,
            "id_number": id_number_for(dt.date(1960, 1, 1), male=True, serial=77),
            "applied_on": timezone.localdate(),
        },
    )
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_a_move_through_the_page_and_a_refused_skip(journey, applicant, login):
    app = journey.apply(applicant)
    client = login(journey.clerk)
    url = reverse("application-transition", args=[app.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"to": S.APPROVED})
    app.refresh_from_db()
    assert app.state == S.APPLIED
    client.post(url, {"to": S.INITIAL_PASSED, "evidence": "材料齐全"})
    app.refresh_from_db()
    assert app.state == S.INITIAL_PASSED
    page = client.get(reverse("application-detail", args=[app.pk])).content.decode()
    assert "材料齐全" in page


def test_the_agreement_and_the_start_through_the_page(journey, applicant, login):
    app = journey.advance(journey.apply(applicant), S.APPROVED)
    client = login(journey.clerk)
    url = reverse("application-transition", args=[app.pk])
    today = timezone.localdate()
    client.post(
        url,
        {
            "to": S.AGREED,
            "signed_on": today,
            "term_start": today,
            "term_end": today + dt.timedelta(days=700),
        },
    )
    app.refresh_from_db()
    assert app.state == S.AGREED
    response = client.post(
        reverse("training-create"),
        {
            "held_on": today,
            "topic": "安全培训",
            "place": "会议室",
            "hours": "4",
            "present": [app.pk],
        },
    )
    assert response.status_code == 302
    assert TrainingSession.objects.count() == 1
    client.post(url, {"to": S.STARTED, "start_date": today})
    app.refresh_from_db()
    assert app.state == S.STARTED


def test_objection_finding_and_declaration_through_the_pages(journey, applicant, login):
    from people.models import RelativeDeclaration
    from people.onboarding import services

    declaration = RelativeDeclaration.objects.create(
        person=applicant,
        relation="spouse",
        relative_name="李某",
        relative_kind="cadre",
        relative_post="村委会主任",
        declared_on=timezone.localdate(),
        created_by=journey.clerk,
    )
    app = journey.advance(journey.apply(applicant), S.PUBLICITY)
    objection = services.objection_raise(
        actor=journey.clerk, application=app, content="异议", raised_on=app.publicity.starts_on
    )
    clerk = login(journey.clerk)
    clerk.post(
        reverse("objection-resolve", args=[objection.pk]), {"upheld": "0", "finding": "不属实"}
    )
    clerk.post(
        reverse("declaration-decide", args=[declaration.pk]),
        {"approve": "1", "comment": "研究通过"},
    )
    login(journey.county).post(reverse("declaration-file", args=[declaration.pk]), {})
    declaration.refresh_from_db()
    objection.refresh_from_db()
    assert (objection.status, declaration.status) == ("dismissed", "filed")


@pytest.mark.parametrize("name", ["round-create", "training-create"])
def test_pages_refuse_roles_that_cannot_act(name, users, login):
    assert login(users[Role.VILLAGE]).get(reverse(name)).status_code == 403
    assert login(users[Role.REVIEWER]).get(reverse(name)).status_code == 403


def test_trace_report_lists_every_step(journey, applicant, login):
    journey.advance(journey.apply(applicant), S.REVIEWED)
    response = login(journey.county).get(reverse("person-trace", args=[applicant.pk]))
    assert response.status_code == 200
    assert len(response.context["applications"][0].records.all()) >= 3
