"""The township's pages of the workflow : each renders for its roles,
each POST calls its service and changes the database, a wrong role is refused with 403, and
bad input shows its message and leaves the data as it was. Lists and the board read a constant
number of queries however many rows they show."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.enums import Role
from gongyi.models import Region
from people.models import RelativeDeclaration
from people.onboarding import services
from people.onboarding.enums import ApplicationState as S
from people.onboarding.enums import OnboardingStep, RoundStatus
from people.onboarding.models import (
    Application,
    RankingRecord,
    Round,
    StepRecord,
    TrainingAttendance,
    TrainingSession,
)
from tests.factories import PersonFactory, id_number_for
from tests.onboarding.conftest import make_applicant


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _round_data(post, **kw):
    today = timezone.localdate()
    data = {
        "title": "第三批招聘",
        "who_may_apply": "农村大龄人员",
        "opens_on": today,
        "closes_on": today + dt.timedelta(days=7),
        "apply_at": "便民服务中心",
        "contact": "",
        f"places_{post.pk}": 1,
    }
    return {**data, **kw}


def _draft(clerk, post, title="草稿招聘"):
    today = timezone.localdate()
    return services.round_create(
        actor=clerk,
        places={post.pk: 1},
        title=title,
        who_may_apply="农村大龄人员",
        opens_on=today,
        closes_on=today + dt.timedelta(days=3),
        apply_at="便民服务中心",
    )


def _declaration(person, clerk):
    return RelativeDeclaration.objects.create(
        person=person,
        relation="spouse",
        relative_name="李某",
        relative_kind="cadre",
        relative_post="村委会主任",
        declared_on=timezone.localdate(),
        created_by=clerk,
    )


# --- round list -------------------------------------------------------------------------------


def test_round_list_and_board_render_for_every_role_that_sees_them(
    journey, applicant, users, login
):
    app = journey.apply(applicant)
    for role in (Role.COUNTY, Role.CLERK, Role.REVIEWER, Role.ADMIN):
        client = login(users[role])
        assert client.get(reverse("round-list")).status_code == 200
        response = client.get(reverse("round-detail", args=[journey.round_.pk]))
        assert response.status_code == 200
        # A department reviewer reads an applicant from the re-review on (gongyi.scoping).
        assert (applicant.name in response.content.decode()) is (role != Role.REVIEWER)
    assert (
        login(users[Role.CLERK]).get(reverse("application-detail", args=[app.pk])).status_code
        == 200
    )


def test_round_list_counts_applications_per_state(journey, area, clerk, login):
    apps = [journey.apply(make_applicant(area, clerk, n=n)) for n in range(3)]
    journey.advance(apps[0], S.INITIAL_PASSED)
    response = login(clerk).get(reverse("round-list"))
    row = next(r for r in response.context["page"] if r.pk == journey.round_.pk)
    assert row.total == 3
    assert row.state_counts == [
        (S.APPLIED.label, S.APPLIED, 2),
        (S.INITIAL_PASSED.label, S.INITIAL_PASSED, 1),
    ]


def test_round_list_filters_by_status(journey, clerk, post, login):
    draft = _draft(clerk, post)
    client = login(clerk)
    shown = client.get(reverse("round-list"), {"status": RoundStatus.DRAFT}).context["page"]
    assert [r.pk for r in shown] == [draft.pk]
    shown = client.get(reverse("round-list"), {"status": RoundStatus.PUBLISHED}).context["page"]
    assert [r.pk for r in shown] == [journey.round_.pk]


def test_round_list_takes_a_constant_number_of_queries(
    journey, area, clerk, post, login, django_assert_num_queries, django_assert_max_num_queries
):
    client = login(clerk)
    url = reverse("round-list")

    def grow(rounds, apps):
        for _n in range(rounds):
            _draft(clerk, post, title=f"草稿{Round.objects.count()}")
        for _n in range(apps):
            journey.apply(make_applicant(area, clerk, n=Application.objects.count()))

    grow(2, 3)
    client.get(url)  # sessions and settings cached alike for both runs
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    grow(8, 7)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


# --- round create, edit, publish, close ---------------------------------------------------------


def test_a_clerk_creates_and_publishes_a_round(clerk, post, login):
    client = login(clerk)
    assert client.get(reverse("round-create")).status_code == 200
    response = client.post(reverse("round-create"), _round_data(post))
    round_ = Round.objects.get(title="第三批招聘")
    assert response.status_code == 302
    assert response.url == reverse("round-detail", args=[round_.pk])
    assert (round_.township_id, round_.status) == (clerk.region_id, RoundStatus.DRAFT)
    assert list(round_.round_posts.values_list("post_id", "places")) == [(post.pk, 1)]
    assert client.get(reverse("round-publish", args=[round_.pk])).status_code == 405
    response = client.post(reverse("round-publish", args=[round_.pk]))
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED


def test_a_round_offering_more_than_the_free_places_is_refused_and_nothing_saved(
    clerk, post, login
):
    response = login(clerk).post(
        reverse("round-create"), _round_data(post, title="超额招聘", **{f"places_{post.pk}": 9})
    )
    assert response.status_code == 400
    assert not Round.objects.filter(title="超额招聘").exists()
    assert response.context["form"].errors["__all__"] == [
        _("%(post)s has %(free)s free places; offer between 1 and %(free)s.")
        % {"post": post.title, "free": post.free_places}
    ]


def test_a_round_without_posts_is_refused(clerk, post, login):
    response = login(clerk).post(
        reverse("round-create"), _round_data(post, **{f"places_{post.pk}": ""})
    )
    assert response.status_code == 400
    assert not Round.objects.exists()
    assert _("Choose at least one post and its number of places.") in str(
        response.context["form"].errors
    )


def test_a_county_user_picks_the_township_first_and_creates_its_round(county, area, post, login):
    client = login(county)
    first = client.get(reverse("round-create"))
    assert first.status_code == 200
    assert first.context["township"] is None
    assert area.township in list(first.context["townships"])
    second = client.get(reverse("round-create"), {"township": area.township.pk})
    assert second.context["township"] == area.township
    response = client.post(
        reverse("round-create"), {**_round_data(post), "township_code": area.township.pk}
    )
    assert response.status_code == 302
    assert Round.objects.get(title="第三批招聘").township == area.township


def test_a_county_user_cannot_pick_a_township_of_another_county(county, area, login):
    other = Region.objects.get(code="370406106")
    response = login(county).get(reverse("round-create"), {"township": other.pk})
    assert response.context["township"] is None


def test_a_draft_is_edited(clerk, post, login):
    draft = _draft(clerk, post)
    client = login(clerk)
    assert client.get(reverse("round-edit", args=[draft.pk])).status_code == 200
    response = client.post(reverse("round-edit", args=[draft.pk]), _round_data(post, title="改名"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "改名"


def test_a_published_round_is_not_edited(journey, post, login):
    client = login(journey.clerk)
    url = reverse("round-edit", args=[journey.round_.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain == [(reverse("round-detail", args=[journey.round_.pk]), 302)]
    assert _("A published round cannot be changed; close it and open another.") in _messages(
        response
    )
    client.post(url, _round_data(post, title="改名"))
    journey.round_.refresh_from_db()
    assert journey.round_.title != "改名"


def test_publishing_twice_is_refused_with_a_message(journey, login):
    response = login(journey.clerk).post(
        reverse("round-publish", args=[journey.round_.pk]), follow=True
    )
    assert _("Only a draft round is published.") in _messages(response)


def test_a_round_is_closed(journey, login):
    client = login(journey.clerk)
    url = reverse("round-close", args=[journey.round_.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"reason": "名额已满"}).status_code == 302
    journey.round_.refresh_from_db()
    assert journey.round_.status == RoundStatus.CLOSED
    response = client.post(url, follow=True)
    assert _("The round is closed already.") in _messages(response)


@pytest.mark.parametrize("role", [Role.VILLAGE, Role.REVIEWER, Role.ADMIN])
def test_roles_that_do_not_manage_rounds_are_refused(role, journey, clerk, post, users, login):
    draft = _draft(clerk, post)
    client = login(users[role])
    assert client.get(reverse("round-create")).status_code == 403
    assert client.get(reverse("round-edit", args=[draft.pk])).status_code == 403
    assert client.post(reverse("round-create"), _round_data(post)).status_code == 403
    assert client.post(reverse("round-publish", args=[draft.pk])).status_code == 403
    assert client.post(reverse("round-close", args=[journey.round_.pk])).status_code == 403
    draft.refresh_from_db()
    journey.round_.refresh_from_db()
    assert (draft.status, journey.round_.status) == (RoundStatus.DRAFT, RoundStatus.PUBLISHED)


# --- the board ----------------------------------------------------------------------------------


def test_the_board_lists_each_state_with_counts_and_masked_numbers(journey, area, clerk, login):
    apps = [journey.apply(make_applicant(area, clerk, n=n)) for n in range(3)]
    journey.advance(apps[0], S.INITIAL_PASSED)
    response = login(journey.county).get(reverse("round-detail", args=[journey.round_.pk]))
    board = {state: (count, names) for _l, state, _s, count, names, _m in response.context["board"]}
    assert [state for _l, state, *_ in response.context["board"]] == [
        *[s for s in S if s not in (S.REJECTED, S.WITHDRAWN)],
        S.REJECTED,
        S.WITHDRAWN,
    ]
    assert board[S.APPLIED][0] == 2
    assert board[S.INITIAL_PASSED][0] == 1
    assert [a.pk for a in board[S.INITIAL_PASSED][1]] == [apps[0].pk]
    page = response.content.decode()
    person = apps[0].person
    assert person.id_number not in page
    assert person.id_number[:6] + "********" + person.id_number[-4:] in page
    assert response.context["total"] == 3


def test_the_board_takes_a_constant_number_of_queries(
    journey, area, clerk, login, django_assert_num_queries, django_assert_max_num_queries
):
    client = login(clerk)
    url = reverse("round-detail", args=[journey.round_.pk])
    for n in range(3):
        journey.apply(make_applicant(area, clerk, n=n))
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    apps = [journey.apply(make_applicant(area, clerk, n=n)) for n in range(3, 10)]
    journey.advance(apps[0], S.INITIAL_PASSED)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_full_column_links_to_the_states_whole_list_paged(
    journey, area, clerk, login, monkeypatch
):
    from people.onboarding.views import rounds

    monkeypatch.setattr(rounds, "BOARD_NAMES", 1)
    monkeypatch.setattr(rounds, "STATE_PAGE", 2)
    apps = [journey.apply(make_applicant(area, clerk, n=n)) for n in range(4)]
    journey.advance(apps[0], S.INITIAL_PASSED)
    client = login(clerk)
    board = client.get(reverse("round-detail", args=[journey.round_.pk])).content.decode()
    url = reverse("round-applications", args=[journey.round_.pk])
    assert f'href="{url}?state=applied"' in board  # the column's heading and "and 2 more"
    first = client.get(url, {"state": S.APPLIED})
    second = client.get(url, {"state": S.APPLIED, "page": 2})
    listed = [a.pk for a in first.context["page"]] + [a.pk for a in second.context["page"]]
    assert listed == [apps[1].pk, apps[2].pk, apps[3].pk]  # two pages: 2 and 1
    tabs = {state: n for state, _label, n in first.context["tabs"]}
    assert tabs[S.APPLIED] == 3 and tabs[S.INITIAL_PASSED] == 1
    page = first.content.decode()
    assert apps[1].person.id_number not in page  # masked
    assert apps[1].person.id_number[-4:] in page
    # No state asked (or a made-up one): the first state that has applications.
    assert client.get(url).context["state"] == S.APPLIED
    assert client.get(url, {"state": "nonsense"}).context["state"] == S.APPLIED


def test_publicity_starts_from_the_board_and_the_ranking_is_shown(journey, applicant, login):
    app = journey.advance(journey.apply(applicant), S.REREVIEW_PASSED)
    client = login(journey.clerk)
    url = reverse("round-publicity-start", args=[journey.round_.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"round_post": journey.round_post.pk}, follow=True)
    app.refresh_from_db()
    assert app.state == S.PUBLICITY
    record = RankingRecord.objects.get()
    rp = next(r for r in response.context["round_posts"] if r.pk == journey.round_post.pk)
    assert rp.ranking == record
    assert [(r["position"], r["name"], r["proposed"]) for r in rp.ranking_rows] == [
        (1, applicant.name, True)
    ]
    assert record.rows[0]["reason"] in response.content.decode()


def test_publicity_in_the_past_is_refused_and_nothing_changes(journey, applicant, login):
    app = journey.advance(journey.apply(applicant), S.REREVIEW_PASSED)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = login(journey.clerk).post(
        reverse("round-publicity-start", args=[journey.round_.pk]),
        {"round_post": journey.round_post.pk, "starts_on": yesterday.isoformat()},
        follow=True,
    )
    assert _("Publicity cannot start in the past.") in _messages(response)
    app.refresh_from_db()
    assert (app.state, RankingRecord.objects.count()) == (S.REREVIEW_PASSED, 0)


def test_publicity_with_a_bad_date_is_refused(journey, applicant, login):
    app = journey.advance(journey.apply(applicant), S.REREVIEW_PASSED)
    response = login(journey.clerk).post(
        reverse("round-publicity-start", args=[journey.round_.pk]),
        {"round_post": journey.round_post.pk, "starts_on": "2026-13-45"},
        follow=True,
    )
    assert response.status_code == 200
    assert _messages(response)
    app.refresh_from_db()
    assert app.state == S.REREVIEW_PASSED


def test_only_the_township_starts_publicity(journey, applicant, login):
    app = journey.advance(journey.apply(applicant), S.REREVIEW_PASSED)
    response = login(journey.county).post(
        reverse("round-publicity-start", args=[journey.round_.pk]),
        {"round_post": journey.round_post.pk},
    )
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.state == S.REREVIEW_PASSED


# --- entering an application ------------------------------------------------------------------------


def test_entering_an_application_by_id_number(journey, applicant, login):
    client = login(journey.clerk)
    assert client.get(reverse("application-create", args=[journey.round_.pk])).status_code == 200
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
    assert (app.state, app.created_by) == (S.APPLIED, journey.clerk)


def test_the_person_is_found_by_name_or_last_digits_and_chosen(journey, applicant, area, login):
    PersonFactory(name=applicant.name + "乙", village=area.far_village, created_by=journey.clerk)
    client = login(journey.clerk)
    url = reverse("application-create", args=[journey.round_.pk])
    by_name = client.get(url, {"q": applicant.name[:3]})
    assert [p.pk for p in by_name.context["matches"]] == [applicant.pk]  # the township's only
    by_digits = client.get(url, {"q": applicant.id_number[-6:]})
    assert [p.pk for p in by_digits.context["matches"]] == [applicant.pk]
    assert applicant.id_number not in by_digits.content.decode()
    response = client.post(
        url,
        {
            "q": applicant.name[:3],
            "person": applicant.pk,
            "post": journey.round_post.post_id,
            "applied_on": timezone.localdate(),
        },
    )
    assert response.status_code == 302
    assert Application.objects.get().person == applicant


def test_a_person_of_another_township_cannot_be_chosen(journey, area, login):
    far = PersonFactory(village=area.far_village, created_by=journey.clerk)
    response = login(journey.clerk).post(
        reverse("application-create", args=[journey.round_.pk]),
        {"person": far.pk, "post": journey.round_post.post_id, "applied_on": timezone.localdate()},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [_("Not found, or outside your area.")]
    assert not Application.objects.exists()


def test_neither_person_nor_number_is_refused(journey, login):
    response = login(journey.clerk).post(
        reverse("application-create", args=[journey.round_.pk]),
        {"post": journey.round_post.post_id, "applied_on": timezone.localdate()},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        _("Choose the person among those found, or enter the ID number.")
    ]


def test_entering_an_unknown_id_number_is_refused(journey, login):
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


def test_applying_twice_is_refused_with_the_services_message(journey, applicant, login):
    journey.apply(applicant)
    response = login(journey.clerk).post(
        reverse("application-create", args=[journey.round_.pk]),
        {
            "post": journey.round_post.post_id,
            "id_number": applicant.id_number,
            "applied_on": timezone.localdate(),
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["person"] == [
        _("%(name)s already has an application in progress (%(post)s, %(state)s).")
        % {"name": applicant.name, "post": journey.round_post.post.title, "state": S.APPLIED.label}
    ]
    assert Application.objects.count() == 1


@pytest.mark.parametrize("role", [Role.VILLAGE, Role.REVIEWER, Role.ADMIN])
def test_roles_that_do_not_enter_applications_are_refused(role, journey, applicant, users, login):
    client = login(users[role])
    url = reverse("application-create", args=[journey.round_.pk])
    assert client.get(url).status_code == 403
    data = {"post": journey.round_post.post_id, "id_number": applicant.id_number}
    assert client.post(url, data).status_code == 403
    assert not Application.objects.exists()


# --- the application's page and its moves -------------------------------------------------------


def test_the_timeline_shows_the_steps_and_the_current_one(journey, applicant, login):
    app = journey.advance(journey.apply(applicant), S.REVIEWED)
    response = login(journey.clerk).get(reverse("application-detail", args=[app.pk]))
    assert response.status_code == 200
    marks = {n: mark for n, _label, mark in response.context["steps"]}
    assert marks[OnboardingStep.APPLICATION] == "done"
    assert marks[OnboardingStep.DEMOCRATIC_REVIEW] == "current"
    assert marks[OnboardingStep.START] == ""
    records = list(response.context["app"].records.all())
    assert [(r.from_state, r.to_state) for r in records] == [
        ("", S.APPLIED),
        (S.APPLIED, S.INITIAL_PASSED),
        (S.INITIAL_PASSED, S.REVIEWED),
    ]
    assert records[-1].role_label == Role.VILLAGE.label
    assert [r["code"] for r in app.eligibility["rules"]]  # the verdict kept at application


def test_the_moves_on_the_page_are_those_of_the_role_without_a_step_service(
    journey, applicant, login, users
):
    app = journey.apply(applicant)
    clerk = login(journey.clerk).get(reverse("application-detail", args=[app.pk]))
    assert {t.target for t in clerk.context["moves"]} == {
        S.INITIAL_PASSED,
        S.REJECTED,
        S.WITHDRAWN,
    }
    village = login(users[Role.VILLAGE]).get(reverse("application-detail", args=[app.pk]))
    assert village.context["moves"] == []
    app = journey.advance(app, S.INITIAL_PASSED)
    clerk = login(journey.clerk).get(reverse("application-detail", args=[app.pk]))
    assert S.REVIEWED not in {t.target for t in clerk.context["moves"]}  # through the village page


def test_a_move_through_the_page_and_a_refused_skip(journey, applicant, login):
    app = journey.apply(applicant)
    client = login(journey.clerk)
    url = reverse("application-transition", args=[app.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"to": S.APPROVED}, follow=True)
    app.refresh_from_db()
    assert app.state == S.APPLIED
    assert _messages(response)[0].startswith(
        _("An application cannot go from “%(from)s” to “%(to)s”.")
        % {"from": S.APPLIED.label, "to": S.APPROVED.label}
    )
    response = client.post(url, {"to": S.INITIAL_PASSED, "evidence": "材料齐全"})
    assert response.status_code == 302
    assert response.url == reverse("application-detail", args=[app.pk])
    app.refresh_from_db()
    assert app.state == S.INITIAL_PASSED
    record = StepRecord.objects.filter(application=app).last()
    assert (record.evidence, record.actor, record.actor_role) == (
        "材料齐全",
        journey.clerk,
        "clerk",
    )
    page = client.get(reverse("application-detail", args=[app.pk])).content.decode()
    assert "材料齐全" in page


def test_a_rejection_needs_a_reason(journey, applicant, login):
    app = journey.apply(applicant)
    client = login(journey.clerk)
    url = reverse("application-transition", args=[app.pk])
    response = client.post(url, {"to": S.REJECTED, "comment": "  "}, follow=True)
    assert _messages(response) == [_("Give the reason; the applicant is told it.")]
    app.refresh_from_db()
    assert app.state == S.APPLIED
    client.post(url, {"to": S.REJECTED, "comment": "材料不全"})
    app.refresh_from_db()
    assert (app.state, app.rejected_reason, app.rejected_state) == (
        S.REJECTED,
        "材料不全",
        S.APPLIED,
    )
    marks = {
        n: m
        for n, _l, m in client.get(reverse("application-detail", args=[app.pk])).context["steps"]
    }
    assert marks[OnboardingStep.APPLICATION] == "stopped"


def test_a_withdrawal_needs_a_reason(journey, applicant, login):
    app = journey.apply(applicant)
    url = reverse("application-transition", args=[app.pk])
    client = login(journey.county)
    client.post(url, {"to": S.WITHDRAWN})
    app.refresh_from_db()
    assert app.state == S.APPLIED
    client.post(url, {"to": S.WITHDRAWN, "comment": "本人放弃"})
    app.refresh_from_db()
    assert app.state == S.WITHDRAWN


def test_a_move_out_of_role_is_refused_with_a_message(journey, applicant, users, login):
    app = journey.apply(applicant)
    response = login(users[Role.VILLAGE]).post(
        reverse("application-transition", args=[app.pk]), {"to": S.INITIAL_PASSED}, follow=True
    )
    assert _messages(response) == [
        _("Your role cannot take this step: “%(step)s”.") % {"step": _("Pass the initial review")}
    ]
    app.refresh_from_db()
    assert app.state == S.APPLIED


def test_a_step_of_a_step_service_is_refused_on_the_page(journey, applicant, login):
    app = journey.advance(journey.apply(applicant), S.AGREED)
    response = login(journey.clerk).post(
        reverse("application-transition", args=[app.pk]), {"to": S.TRAINED}, follow=True
    )
    assert _messages(response) == [_("Training is recorded as a session with its attendance.")]
    app.refresh_from_db()
    assert app.state == S.AGREED


def test_the_agreement_form_defaults_to_the_subsidy_period(journey, applicant, login):
    app = journey.advance(journey.apply(applicant), S.APPROVED)
    response = login(journey.clerk).get(reverse("application-detail", args=[app.pk]))
    today = timezone.localdate()
    from people.eligibility import add_months

    assert response.context["default_term_start"] == today
    assert response.context["default_term_end"] == add_months(today, 36) - dt.timedelta(days=1)


def test_an_agreement_without_dates_is_refused(journey, applicant, login):
    app = journey.advance(journey.apply(applicant), S.APPROVED)
    response = login(journey.clerk).post(
        reverse("application-transition", args=[app.pk]), {"to": S.AGREED}, follow=True
    )
    assert _messages(response) == [_("Enter the signing date and the term's first and last day.")]
    app.refresh_from_db()
    assert (app.state, app.signed_on) == (S.APPROVED, None)


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
            "agreement_number": "DM-2026-001",
        },
    )
    app.refresh_from_db()
    assert (app.state, app.agreement_number, app.term_end) == (
        S.AGREED,
        "DM-2026-001",
        today + dt.timedelta(days=700),
    )
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
    response = client.post(url, {"to": S.STARTED, "start_date": today + dt.timedelta(days=1)})
    app.refresh_from_db()
    assert app.state == S.TRAINED  # not in the future
    client.post(url, {"to": S.STARTED, "start_date": today})
    app.refresh_from_db()
    assert app.state == S.STARTED
    assert app.placement.start_date == today


# --- objections and declarations ---------------------------------------------------------------


def test_objection_finding_and_declaration_through_the_pages(journey, applicant, login):
    declaration = _declaration(applicant, journey.clerk)
    app = journey.advance(journey.apply(applicant), S.PUBLICITY)
    objection = services.objection_raise(
        actor=journey.clerk, application=app, content="异议", raised_on=app.publicity.starts_on
    )
    clerk = login(journey.clerk)
    page = clerk.get(reverse("application-detail", args=[app.pk])).content.decode()
    assert reverse("objection-resolve", args=[objection.pk]) in page
    assert reverse("declaration-decide", args=[declaration.pk]) in page
    response = clerk.post(
        reverse("objection-resolve", args=[objection.pk]), {"upheld": "0", "finding": "不属实"}
    )
    assert response.url == reverse("application-detail", args=[app.pk])
    response = clerk.post(
        reverse("declaration-decide", args=[declaration.pk]),
        {"approve": "1", "comment": "研究通过"},
    )
    assert response.url == reverse("application-detail", args=[app.pk])
    county = login(journey.county)
    page = county.get(reverse("application-detail", args=[app.pk])).content.decode()
    assert reverse("declaration-file", args=[declaration.pk]) in page
    county.post(reverse("declaration-file", args=[declaration.pk]), {})
    declaration.refresh_from_db()
    objection.refresh_from_db()
    assert (objection.status, objection.finding, declaration.status) == (
        "dismissed",
        "不属实",
        "filed",
    )


def test_an_upheld_objection_ends_the_application(journey, applicant, login):
    app = journey.advance(journey.apply(applicant), S.PUBLICITY)
    objection = services.objection_raise(
        actor=journey.clerk,
        application=app,
        content="有经营收入",
        raised_on=app.publicity.starts_on,
    )
    login(journey.clerk).post(
        reverse("objection-resolve", args=[objection.pk]), {"upheld": "1", "finding": "属实"}
    )
    objection.refresh_from_db()
    app.refresh_from_db()
    assert (objection.status, app.state) == ("upheld", S.REJECTED)


def test_a_finding_without_text_is_refused(journey, applicant, login):
    app = journey.advance(journey.apply(applicant), S.PUBLICITY)
    objection = services.objection_raise(
        actor=journey.clerk, application=app, content="异议", raised_on=app.publicity.starts_on
    )
    client = login(journey.clerk)
    url = reverse("objection-resolve", args=[objection.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"upheld": "0", "finding": ""}, follow=True)
    assert _messages(response)
    objection.refresh_from_db()
    assert (objection.status, objection.finding) == ("open", "")


@pytest.mark.parametrize("role", [Role.COUNTY, Role.VILLAGE, Role.REVIEWER, Role.ADMIN])
def test_only_the_township_records_findings_and_decisions(role, journey, applicant, users, login):
    declaration = _declaration(applicant, journey.clerk)
    app = journey.advance(journey.apply(applicant), S.PUBLICITY)
    objection = services.objection_raise(
        actor=journey.clerk, application=app, content="异议", raised_on=app.publicity.starts_on
    )
    client = login(users[role])
    resolve = client.post(
        reverse("objection-resolve", args=[objection.pk]), {"upheld": "0", "finding": "不属实"}
    )
    decide = client.post(reverse("declaration-decide", args=[declaration.pk]), {"approve": "1"})
    assert (resolve.status_code, decide.status_code) == (403, 403)
    objection.refresh_from_db()
    declaration.refresh_from_db()
    assert (objection.status, declaration.status) == ("open", "declared")


def test_a_refusal_of_a_declaration_needs_a_reason(journey, applicant, login):
    declaration = _declaration(applicant, journey.clerk)
    app = journey.advance(journey.apply(applicant), S.PUBLICITY)
    response = login(journey.clerk).post(
        reverse("declaration-decide", args=[declaration.pk]),
        {"approve": "0", "comment": ""},
        follow=True,
    )
    assert _("Say why the township refuses.") in _messages(response)
    declaration.refresh_from_db()
    app.refresh_from_db()
    assert (declaration.status, app.state) == ("declared", S.PUBLICITY)


def test_a_declaration_is_filed_by_the_county_only_after_the_township(
    journey, applicant, users, login
):
    declaration = _declaration(applicant, journey.clerk)
    journey.advance(journey.apply(applicant), S.PUBLICITY)
    url = reverse("declaration-file", args=[declaration.pk])
    assert login(journey.clerk).post(url).status_code == 403
    county = login(journey.county)
    assert county.get(url).status_code == 405
    response = county.post(url, follow=True)
    assert _("The declaration is “%(status)s”; this step is not open to it.") % {
        "status": _("Declared")
    } in _messages(response)
    declaration.refresh_from_db()
    assert declaration.status == "declared"


# --- training ----------------------------------------------------------------------------------


def test_training_lists_the_agreed_and_marks_the_others_absent(journey, area, clerk, login):
    present = journey.advance(journey.apply(make_applicant(area, clerk, n=1)), S.AGREED)
    absent = journey.advance(journey.apply(make_applicant(area, clerk, n=2)), S.AGREED)
    waiting = journey.apply(make_applicant(area, clerk, n=3))
    client = login(clerk)
    form = client.get(reverse("training-create")).context["form"]
    assert {a.pk for a in form.fields["present"].queryset} == {present.pk, absent.pk}
    today = timezone.localdate()
    data = {"held_on": today, "topic": "安全培训", "place": "会议室", "hours": "2.5"}
    response = client.post(reverse("training-create"), {**data, "present": [present.pk]})
    assert response.status_code == 302
    session = TrainingSession.objects.get()
    assert dict(
        TrainingAttendance.objects.filter(session=session).values_list("application", "present")
    ) == {present.pk: True, absent.pk: False}
    states = dict(Application.objects.values_list("pk", "state"))
    assert (states[present.pk], states[absent.pk], states[waiting.pk]) == (
        S.TRAINED,
        S.AGREED,
        S.APPLIED,
    )


def test_training_with_bad_input_saves_nothing(journey, applicant, login):
    app = journey.advance(journey.apply(applicant), S.AGREED)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = login(journey.clerk).post(
        reverse("training-create"),
        {
            "held_on": tomorrow,
            "topic": "安全培训",
            "place": "会议室",
            "hours": "2",
            "present": [app.pk],
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["held_on"] == [
        _("The session's date cannot be in the future.")
    ]
    app.refresh_from_db()
    assert (TrainingSession.objects.count(), app.state) == (0, S.AGREED)


def test_training_list_takes_a_constant_number_of_queries(
    journey, area, clerk, login, django_assert_num_queries, django_assert_max_num_queries
):
    def sessions(n):
        for i in range(n):
            TrainingSession.objects.create(
                township=area.township,
                region_code=area.township.code,
                held_on=timezone.localdate(),
                topic=f"培训{i}",
                place="会议室",
                hours=2,
                created_by=clerk,
            )

    client = login(clerk)
    url = reverse("training-list")
    sessions(3)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        response = client.get(url)
    assert len(response.context["page"]) == 3
    sessions(7)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.parametrize("role", [Role.COUNTY, Role.VILLAGE, Role.REVIEWER, Role.ADMIN])
def test_only_the_township_records_training(role, users, login):
    client = login(users[role])
    assert client.get(reverse("training-list")).status_code == 200
    assert client.get(reverse("training-create")).status_code == 403
    assert client.post(reverse("training-create"), {"topic": "x"}).status_code == 403
    assert not TrainingSession.objects.exists()


# --- the trace report -------------------------------------------------------------------------------


def test_trace_report_lists_every_step_of_every_application(journey, applicant, login):
    first = journey.apply(applicant)
    login(journey.clerk).post(
        reverse("application-transition", args=[first.pk]),
        {"to": S.REJECTED, "comment": "材料不全"},
    )
    second = journey.advance(journey.apply(applicant), S.REVIEWED)
    response = login(journey.county).get(reverse("person-trace", args=[applicant.pk]))
    assert response.status_code == 200
    apps = response.context["applications"]
    assert [a.pk for a in apps] == [first.pk, second.pk]
    assert [r.to_state for r in apps[0].records.all()] == [S.APPLIED, S.REJECTED]
    assert [r.to_state for r in apps[1].records.all()] == [S.APPLIED, S.INITIAL_PASSED, S.REVIEWED]
    assert applicant.id_number not in response.content.decode()


def test_trace_report_of_a_person_outside_the_area_is_404(journey, area, login):
    far = PersonFactory(village=area.far_village, created_by=journey.clerk)
    assert login(journey.clerk).get(reverse("person-trace", args=[far.pk])).status_code == 404
