"""/api/v1/rounds/ and /api/v1/applications/: rounds and applications through the services, every
move through the one transition function, refusals as a 400 with the
reason."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from gongyi.enums import Role
from people.onboarding import services, workflow
from people.onboarding.enums import ApplicationState as S
from people.onboarding.enums import Opinion, RoundStatus
from people.onboarding.models import Application, Round, StepRecord
from people.onboarding.workflow.transition import _VIA_MESSAGES
from tests.factories import PersonFactory, PostFactory, UserFactory
from tests.onboarding.conftest import make_applicant

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def post_json(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def in_language(response, text_of):
    """The message as the response's language says it (the tests compare, not spell it)."""
    with translation.override(response["Content-Language"]):
        return str(text_of())


def round_payload(post, **kw):
    today = TODAY()
    return {
        "title": "2026年第三批乡村公益性岗位招聘",
        "who_may_apply": "脱贫享受政策人口、农村大龄人员",
        "opens_on": str(today),
        "closes_on": str(today + dt.timedelta(days=14)),
        "apply_at": "岱庙街道便民服务中心",
        "posts": [{"post": post.pk, "places": 1}],
        **kw,
    }


def transition(client, app, to, **data):
    return post_json(
        client, reverse("api:application-transition", args=[app.pk]), {"to": to, **data}
    )


# --- rounds ---------------------------------------------------------------------------------------


def test_clerk_creates_a_round_of_the_own_township(area, clerk, post, login):
    response = post_json(login(clerk), reverse("api:round-list"), round_payload(post))
    assert response.status_code == 201, response.json()
    body = response.json()
    round_ = Round.objects.get()
    assert (body["id"], body["township"], body["status"]) == (
        round_.pk,
        area.township.code,
        RoundStatus.DRAFT,
    )
    assert body["posts"] == [
        {"post": post.pk, "post_title": post.title, "area_kind": "rural", "places": 1}
    ]
    assert set(body["counts"].values()) == {0} and set(body["counts"]) == set(S.values)


def test_county_names_the_township_and_offers_only_free_places(area, county, post, login):
    client = login(county)
    missing = post_json(client, reverse("api:round-list"), round_payload(post))
    assert missing.status_code == 400 and "township" in missing.json()
    too_many = post_json(
        client,
        reverse("api:round-list"),
        round_payload(post, township=area.township.code, posts=[{"post": post.pk, "places": 3}]),
    )
    assert too_many.status_code == 400 and "posts" in too_many.json()
    twice = post_json(
        client,
        reverse("api:round-list"),
        round_payload(
            post,
            township=area.township.code,
            posts=[{"post": post.pk, "places": 1}, {"post": post.pk, "places": 1}],
        ),
    )
    assert twice.status_code == 400 and "posts" in twice.json()
    assert Round.objects.count() == 0
    ok = post_json(
        client, reverse("api:round-list"), round_payload(post, township=area.township.code)
    )
    assert ok.status_code == 201, ok.json()
    assert ok.json()["township"] == area.township.code


def test_round_update_publish_close(area, clerk, post, login):
    client = login(clerk)
    round_id = post_json(client, reverse("api:round-list"), round_payload(post)).json()["id"]
    detail = reverse("api:round-detail", args=[round_id])
    changed = client.patch(
        detail,
        {"title": "新标题", "posts": [{"post": post.pk, "places": 2}]},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["title"], changed.json()["posts"][0]["places"]) == ("新标题", 2)
    published = post_json(client, reverse("api:round-publish", args=[round_id]))
    assert published.status_code == 200, published.json()
    assert published.json()["status"] == RoundStatus.PUBLISHED
    assert published.json()["published_on"] == str(TODAY())
    again = client.patch(detail, {"title": "再改"}, content_type="application/json")
    assert again.status_code == 400 and again.json()["detail"]
    closed = post_json(client, reverse("api:round-close", args=[round_id]), {"reason": "已招满"})
    assert closed.status_code == 200 and closed.json()["status"] == RoundStatus.CLOSED
    twice = post_json(client, reverse("api:round-close", args=[round_id]))
    assert twice.status_code == 400 and twice.json()["detail"]
    assert Round.objects.get().title == "新标题"


def test_village_cannot_write_rounds(area, users, post, login):
    client = login(users[Role.VILLAGE])
    assert post_json(client, reverse("api:round-list"), round_payload(post)).status_code == 403
    assert Round.objects.count() == 0


def test_round_filters_and_counts(area, journey, login):
    a = journey.apply(make_applicant(area, journey.clerk, 1))
    journey.apply(make_applicant(area, journey.clerk, 2))
    journey.advance(a, S.INITIAL_PASSED)
    client = login(journey.county)
    url = reverse("api:round-list")
    rows = client.get(url).json()["results"]
    assert [r["id"] for r in rows] == [journey.round_.pk]
    assert {k: v for k, v in rows[0]["counts"].items() if v} == {S.APPLIED: 1, S.INITIAL_PASSED: 1}
    year = journey.round_.opens_on.year
    for params, expected in [
        ({"status": "published"}, 1),
        ({"status": "draft"}, 0),
        ({"township": area.township.code}, 1),
        ({"township": area.other_township.code}, 0),
        ({"year": year}, 1),
        ({"year": year + 1}, 0),
    ]:
        assert client.get(url, params).json()["count"] == expected, params
    for params in ({"status": "nope"}, {"township": "37"}, {"year": "20x6"}):
        assert client.get(url, params).status_code == 400, params


# --- applications ---------------------------------------------------------------------------------


def test_create_an_application(area, clerk, round_, applicant, login):
    post = round_.round_posts.get().post
    response = post_json(
        login(clerk),
        reverse("api:application-list"),
        {"round": round_.pk, "post": post.pk, "person": applicant.pk, "evidence": "申请表"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    app = Application.objects.get()
    assert (body["id"], body["state"], body["step"], body["applied_on"]) == (
        app.pk,
        S.APPLIED,
        2,
        str(TODAY()),
    )
    assert body["person"]["name"] == applicant.name
    assert body["eligibility"]["eligible"] is True
    assert [t["to"] for t in body["allowed_transitions"]] == [
        S.INITIAL_PASSED,
        S.REJECTED,
        S.WITHDRAWN,
    ]
    assert StepRecord.objects.get().evidence == "申请表"
    twice = post_json(
        login(clerk),
        reverse("api:application-list"),
        {"round": round_.pk, "post": post.pk, "person": applicant.pk},
    )
    assert twice.status_code == 400 and "person" in twice.json()
    assert Application.objects.count() == 1


def test_create_refuses_a_person_of_another_township(area, clerk, round_, login):
    far = PersonFactory(village=area.far_village)
    response = post_json(
        login(clerk),
        reverse("api:application-list"),
        {"round": round_.pk, "post": round_.round_posts.get().post_id, "person": far.pk},
    )
    assert response.status_code == 400 and "person" in response.json()
    assert Application.objects.count() == 0


def test_village_and_reviewer_cannot_enter_applications(area, users, round_, applicant, login):
    data = {"round": round_.pk, "post": round_.round_posts.get().post_id, "person": applicant.pk}
    for role in (Role.VILLAGE, Role.REVIEWER, Role.ADMIN):
        response = post_json(login(users[role]), reverse("api:application-list"), data)
        assert response.status_code == 403, role
    assert Application.objects.count() == 0


# --- illegal moves: a 400 with the reason, nothing changed ----------------------------------------

ILLEGAL = {
    # name: (state to bring it to, who tries, target, extra data, expected reason)
    "skip": (
        S.APPLIED,
        "county",
        S.APPROVED,
        {},
        lambda: workflow.refusal(S.APPLIED, S.APPROVED),
    ),
    "back": (
        S.INITIAL_PASSED,
        "clerk",
        S.APPLIED,
        {},
        lambda: workflow.refusal(S.INITIAL_PASSED, S.APPLIED),
    ),
    "back_after_approval": (
        S.APPROVED,
        "county",
        S.PUBLICITY,
        {},
        lambda: workflow.refusal(S.APPROVED, S.PUBLICITY),
    ),
    "wrong_role": (
        S.APPLIED,
        "county",
        S.INITIAL_PASSED,
        {},
        lambda: (
            gettext("Your role cannot take this step: “%(step)s”.")
            % {"step": workflow.TRANSITIONS[(S.APPLIED, S.INITIAL_PASSED)].label}
        ),
    ),
    "via_only": (
        S.INITIAL_PASSED,
        "clerk",
        S.REVIEWED,
        {},
        lambda: _VIA_MESSAGES["democratic-review"](),
    ),
    "training_via_only": (
        S.AGREED,
        "clerk",
        S.TRAINED,
        {},
        lambda: _VIA_MESSAGES["training"](),
    ),
    "reject_without_reason": (
        S.APPLIED,
        "clerk",
        S.REJECTED,
        {"comment": "  "},
        lambda: gettext("Give the reason; the applicant is told it."),
    ),
    "agreement_without_dates": (
        S.APPROVED,
        "clerk",
        S.AGREED,
        {"signed_on": None},
        lambda: gettext("Enter the signing date and the term's first and last day."),
    ),
    "start_before_training": (
        S.AGREED,
        "clerk",
        S.STARTED,
        {},
        lambda: workflow.refusal(S.AGREED, S.STARTED),
    ),
    "approve_own_entry": (
        S.PUBLICITY,
        "clerk_entered_by_county",
        S.APPROVED,
        {},
        lambda: gettext("You entered this application; another county user must approve it."),
    ),
}


@pytest.mark.parametrize("case", list(ILLEGAL))
def test_an_illegal_move_is_a_400_with_the_reason_and_changes_nothing(case, area, journey, login):
    state, who, to, data, reason = ILLEGAL[case]
    person = make_applicant(area, journey.clerk)
    if who == "clerk_entered_by_county":
        # The county entered it, so the county cannot approve it (separation of duties).
        app = services.application_submit(
            actor=journey.approver,
            round_=journey.round_,
            post=journey.round_post.post,
            person=person,
        )
        who = "approver"
    else:
        app = journey.apply(person)
    app = journey.advance(app, state)
    assert app.state == state
    records = StepRecord.objects.filter(application=app).count()
    actor = getattr(journey, who)
    response = transition(login(actor), app, to, **data)
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["detail"] == in_language(response, reason)
    assert body["detail"].strip()
    assert body["refused"] == {str(app.pk): body["detail"]}
    app.refresh_from_db()
    assert app.state == state
    assert StepRecord.objects.filter(application=app).count() == records


def test_a_role_without_moves_is_403_and_outside_the_area_is_404(area, journey, users, login):
    app = journey.apply(make_applicant(area, journey.clerk))
    for role in (Role.VILLAGE, Role.REVIEWER, Role.ADMIN):
        response = transition(login(users[role]), app, S.INITIAL_PASSED)
        assert response.status_code == 403, role
    other_clerk = UserFactory(username="clerk_far", role=Role.CLERK, region=area.other_township)
    response = transition(login(other_clerk), app, S.INITIAL_PASSED)
    assert response.status_code == 404
    assert response.json()["detail"]
    unknown = transition(login(journey.clerk), app, "hired")
    assert unknown.status_code == 400 and "to" in unknown.json()
    app.refresh_from_db()
    assert app.state == S.APPLIED


# --- a legal chain, through the API where the API makes the move ----------------------------------


def test_the_whole_way_to_a_post_through_the_api(area, journey, reviewers, login):
    clerk, county = journey.clerk, journey.county
    person = make_applicant(area, clerk)
    created = post_json(
        login(clerk),
        reverse("api:application-list"),
        {"round": journey.round_.pk, "post": journey.round_post.post_id, "person": person.pk},
    )
    assert created.status_code == 201, created.json()
    app = Application.objects.get(pk=created.json()["id"])

    passed = transition(login(clerk), app, S.INITIAL_PASSED, evidence="材料齐全")
    assert passed.status_code == 200, passed.json()
    assert (passed.json()["state"], passed.json()["step"]) == (S.INITIAL_PASSED, 2)

    app = journey.advance(app, S.REVIEWED)  # the village's meeting, on its own page
    for reviewer in reviewers.values():
        response = post_json(
            login(reviewer),
            reverse("api:application-opinions"),
            {"applications": [app.pk], "opinion": Opinion.AGREE},
        )
        assert response.status_code == 200, response.json()
        assert response.json() == {
            "department": reviewer.department,
            "opinion": Opinion.AGREE,
            "count": 1,
        }
    rereview = transition(login(county), app, S.REREVIEW_PASSED, comment="联审通过")
    assert rereview.status_code == 200, rereview.json()
    assert rereview.json()["step"] == 4

    app = journey.advance(app, S.PUBLICITY)  # ranking and the village lists
    body = login(county).get(reverse("api:application-detail", args=[app.pk])).json()
    assert body["publicity"]["ends_on"] == str(app.publicity.ends_on)
    assert body["rank"] == 1
    assert [t["to"] for t in body["allowed_transitions"]] == [
        S.REJECTED,
        S.APPROVED,
        S.WITHDRAWN,
    ]

    approved = transition(login(county), app, S.APPROVED)
    assert approved.status_code == 200, approved.json()
    assert approved.json()["step"] == 5

    today = TODAY()
    agreed = transition(
        login(clerk),
        app,
        S.AGREED,
        signed_on=str(today),
        term_start=str(today),
        term_end=str(today.replace(year=today.year + 2) - dt.timedelta(days=1)),
        agreement_number="DM-2026-001",
        start_date="2000-01-01",  # not the agreement's: ignored
    )
    assert agreed.status_code == 200, agreed.json()
    assert (agreed.json()["agreement_number"], agreed.json()["agreement_kind"]) == (
        "DM-2026-001",
        "service_agreement",
    )

    app = journey.advance(app, S.TRAINED)  # the training session and its attendance
    started = transition(login(clerk), app, S.STARTED, start_date=str(today))
    assert started.status_code == 200, started.json()
    body = started.json()
    app.refresh_from_db()
    assert (body["state"], body["step"], body["placement"]) == (S.STARTED, 8, app.placement_id)
    assert body["placement"] is not None
    assert body["allowed_transitions"] == []

    timeline = login(county).get(reverse("api:application-records", args=[app.pk]))
    assert timeline.status_code == 200
    rows = timeline.json()
    steps = [(r["from_state"], r["to_state"]) for r in rows if r["kind"] == "transition"]
    assert steps == [
        ("", S.APPLIED),
        (S.APPLIED, S.INITIAL_PASSED),
        (S.INITIAL_PASSED, S.REVIEWED),
        (S.REVIEWED, S.REREVIEW_PASSED),
        (S.REREVIEW_PASSED, S.PUBLICITY),
        (S.PUBLICITY, S.APPROVED),
        (S.APPROVED, S.AGREED),
        (S.AGREED, S.TRAINED),
        (S.TRAINED, S.STARTED),
    ]
    assert sum(r["kind"] == "opinion" for r in rows) == len(reviewers)
    initial = rows[1]
    assert (initial["actor"], initial["actor_name"], initial["actor_role"]) == (
        clerk.pk,
        str(clerk),
        Role.CLERK,
    )
    assert (initial["evidence"], initial["actor_role_label"]) == (
        "材料齐全",
        in_language(timeline, lambda: Role.CLERK.label),
    )
    agreement = next(r for r in rows if r["to_state"] == S.AGREED)
    assert agreement["data"]["agreement_number"] == "DM-2026-001"
    assert "start_date" not in agreement["data"]


def test_opinions_only_by_reviewers_and_with_a_reason_to_disagree(area, journey, users, login):
    app = journey.advance(journey.apply(make_applicant(area, journey.clerk)), S.REVIEWED)
    url = reverse("api:application-opinions")
    for role in (Role.COUNTY, Role.CLERK, Role.VILLAGE, Role.ADMIN):
        data = {"applications": [app.pk], "opinion": Opinion.AGREE}
        assert post_json(login(users[role]), url, data).status_code == 403, role
    reviewer = users[Role.REVIEWER]
    bare = post_json(login(reviewer), url, {"applications": [app.pk], "opinion": "disagree"})
    assert bare.status_code == 400 and "comment" in bare.json()
    early = journey.apply(make_applicant(area, journey.clerk, 3))
    # Before the re-review an application is not the departments' to read (gongyi.scoping).
    waiting = post_json(login(reviewer), url, {"applications": [early.pk], "opinion": "agree"})
    assert waiting.status_code == 404
    assert app.opinions.count() == 0 and early.opinions.count() == 0


# --- bulk moves: all or none ----------------------------------------------------------------------


def test_bulk_initial_review_all_or_none(area, journey, login):
    apps = [journey.apply(make_applicant(area, journey.clerk, n)) for n in range(3)]
    journey.advance(apps[2], S.INITIAL_PASSED)
    client = login(journey.clerk)
    url = reverse("api:application-bulk-transition")
    ids = [a.pk for a in apps]
    refused = post_json(client, url, {"ids": ids, "to": S.INITIAL_PASSED})
    assert refused.status_code == 400
    body = refused.json()
    assert body["refused"] == {
        str(apps[2].pk): in_language(
            refused, lambda: workflow.refusal(S.INITIAL_PASSED, S.INITIAL_PASSED)
        )
    }
    assert body["detail"]
    assert sorted(Application.objects.values_list("state", flat=True)) == sorted(
        [S.APPLIED, S.APPLIED, S.INITIAL_PASSED]
    )
    ok = post_json(client, url, {"ids": ids[:2], "to": S.INITIAL_PASSED, "evidence": "批量初审"})
    assert ok.status_code == 200, ok.json()
    assert ok.json() == {"to": S.INITIAL_PASSED, "count": 2, "ids": sorted(ids[:2])}
    assert set(Application.objects.values_list("state", flat=True)) == {S.INITIAL_PASSED}


def test_bulk_approval_names_each_refused_id(area, journey, login):
    first = journey.advance(journey.apply(make_applicant(area, journey.clerk, 1)), S.PUBLICITY)
    second = journey.advance(journey.apply(make_applicant(area, journey.clerk, 2)), S.REVIEWED)
    third = journey.advance(journey.apply(make_applicant(area, journey.clerk, 3)), S.APPLIED)
    client = login(journey.approver)
    url = reverse("api:application-bulk-transition")
    ids = [first.pk, second.pk, third.pk]
    response = post_json(client, url, {"ids": ids, "to": S.APPROVED})
    assert response.status_code == 400
    body = response.json()
    assert set(body["refused"]) == {str(second.pk), str(third.pk)}
    assert body["refused"][str(second.pk)] == in_language(
        response, lambda: workflow.refusal(S.REVIEWED, S.APPROVED)
    )
    assert body["detail"] == in_language(
        response,
        lambda: (
            gettext("%(n)s applications cannot take this step; nothing was changed.") % {"n": 2}
        ),
    )
    first.refresh_from_db()
    assert first.state == S.PUBLICITY
    ok = post_json(client, url, {"ids": [first.pk], "to": S.APPROVED})
    assert ok.status_code == 200 and ok.json()["count"] == 1
    first.refresh_from_db()
    assert first.state == S.APPROVED


def test_bulk_with_an_id_outside_the_area_is_404_and_moves_nothing(area, journey, login):
    mine = journey.apply(make_applicant(area, journey.clerk))
    far_clerk = UserFactory(username="clerk_far", role=Role.CLERK, region=area.other_township)
    response = post_json(
        login(far_clerk),
        reverse("api:application-bulk-transition"),
        {"ids": [mine.pk], "to": S.INITIAL_PASSED},
    )
    assert response.status_code == 404
    assert list(response.json()["refused"]) == [str(mine.pk)]
    none = post_json(
        login(journey.clerk),
        reverse("api:application-bulk-transition"),
        {"ids": [], "to": S.INITIAL_PASSED},
    )
    assert none.status_code == 400 and "ids" in none.json()
    mine.refresh_from_db()
    assert mine.state == S.APPLIED


# --- reading: masking, filters, queries -----------------------------------------------------------


def test_village_sees_masked_id_numbers_staff_the_full_one_on_detail(area, journey, users, login):
    app = journey.apply(make_applicant(area, journey.clerk))
    number = app.person.id_number
    masked = number[:6] + "*" * 8 + number[-4:]
    village = login(users[Role.VILLAGE])
    listed = village.get(reverse("api:application-list")).json()["results"]
    assert [row["person"]["id_number"] for row in listed] == [masked]
    detail = reverse("api:application-detail", args=[app.pk])
    assert village.get(detail).json()["person"]["id_number"] == masked
    clerk = login(journey.clerk)
    assert (
        clerk.get(reverse("api:application-list")).json()["results"][0]["person"]["id_number"]
        == masked
    )
    assert clerk.get(detail).json()["person"]["id_number"] == number
    journey.advance(app, S.REVIEWED)  # a department reviewer reads it from the re-review on
    reviewer = login(users[Role.REVIEWER]).get(detail).json()
    assert reviewer["person"]["id_number"] == number


def test_application_filters(area, journey, login):
    a = journey.apply(make_applicant(area, journey.clerk, 1))
    b = journey.apply(make_applicant(area, journey.clerk, 2))
    journey.advance(b, S.REVIEWED)
    other_post = PostFactory(village=area.other_village, area_kind="rural", headcount=1)
    round2 = services.round_publish(
        actor=journey.clerk,
        round_=services.round_create(
            actor=journey.clerk,
            places={other_post.pk: 1},
            title="另一轮",
            who_may_apply="农村大龄人员",
            opens_on=TODAY() - dt.timedelta(days=1),
            closes_on=TODAY() + dt.timedelta(days=5),
            apply_at="街道",
        ),
    )
    person_c = make_applicant(area, journey.clerk, 3)
    person_c.village = area.other_village
    person_c.region_code = area.other_village.code
    person_c.save()
    c = services.application_submit(
        actor=journey.clerk, round_=round2, post=other_post, person=person_c
    )
    client = login(journey.county)
    url = reverse("api:application-list")

    def ids(**params):
        response = client.get(url, params)
        assert response.status_code == 200, response.json()
        return sorted(r["id"] for r in response.json()["results"])

    assert ids() == sorted([a.pk, b.pk, c.pk])
    assert ids(state=S.APPLIED) == sorted([a.pk, c.pk])
    assert ids(step=2) == sorted([a.pk, c.pk])
    assert ids(step=3) == [b.pk]
    assert ids(step=1) == []
    assert ids(round=round2.pk) == [c.pk]
    assert ids(post=other_post.pk) == [c.pk]
    assert ids(person=a.person_id) == [a.pk]
    assert ids(township=area.township.code) == sorted([a.pk, b.pk, c.pk])
    assert ids(township=area.other_township.code) == []
    assert ids(village=area.village.code) == sorted([a.pk, b.pk])
    assert ids(village=area.other_village.code) == [c.pk]
    for params in ({"state": "hired"}, {"step": 9}, {"step": "x"}, {"village": "3709"}):
        assert client.get(url, params).status_code == 400, params


def test_application_list_queries_do_not_grow_with_rows(
    area, journey, login, django_assert_max_num_queries, settings
):
    client = login(journey.county)
    url = reverse("api:application-list")

    def add(n, start):
        for i in range(start, start + n):
            person = make_applicant(area, journey.clerk, born=dt.date(1963 + i % 8, 5, 1 + i))
            journey.apply(person)

    add(3, 0)
    journey.advance(Application.objects.order_by("pk").first(), S.PUBLICITY)
    client.get(url)  # the session and the settings, read once
    with CaptureQueriesContext(connection) as three:
        assert len(client.get(url).json()["results"]) == 3
    add(12, 3)
    journey.advance(Application.objects.order_by("pk").last(), S.INITIAL_PASSED)
    with django_assert_max_num_queries(len(three)):
        assert len(client.get(url).json()["results"]) == 15


def test_round_list_queries_do_not_grow_with_rows(
    area, journey, post, login, django_assert_max_num_queries
):
    client = login(journey.county)
    url = reverse("api:round-list")
    journey.apply(make_applicant(area, journey.clerk))
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).json()["results"]) == 1
    second_post = PostFactory(village=area.other_village, area_kind="rural")
    for n in range(4):
        services.round_create(
            actor=journey.clerk,
            places={post.pk: 1, second_post.pk: 1},
            title=f"第{n}轮",
            who_may_apply="农村大龄人员",
            opens_on=TODAY(),
            closes_on=TODAY(),
            apply_at="街道",
        )
    with django_assert_max_num_queries(len(one)):
        assert len(client.get(url).json()["results"]) == 5


def test_the_schema_has_the_workflow(county, login):
    schema = login(county).get(reverse("api-schema")).content.decode()
    for path in (
        "/api/v1/rounds/",
        "/api/v1/rounds/{id}/publish/",
        "/api/v1/rounds/{id}/close/",
        "/api/v1/applications/",
        "/api/v1/applications/{id}/transition/",
        "/api/v1/applications/{id}/records/",
        "/api/v1/applications/bulk-transition/",
        "/api/v1/applications/opinions/",
    ):
        assert path in schema, path
