"""The queues' pages: the county's review and approval queue and its bulk actions, the
department reviewers' opinions, the village's democratic review and the objections received.
Post, then check the redirect, the database and the refusals (STYLE.md "Tests")."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongyi.enums import AuditAction, Department, Role
from gongyi.models import AuditEntry
from people.onboarding import services
from people.onboarding.enums import ApplicationState as S
from people.onboarding.enums import ObjectionStatus, Opinion, RecordKind
from people.onboarding.models import (
    Application,
    DemocraticReview,
    DepartmentOpinion,
    Objection,
    StepRecord,
)
from people.onboarding.queue_views import application_url
from tests.onboarding.conftest import make_applicant
from tests.onboarding.queue_data import make_queue_rows

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def two_in_publicity(journey, area, clerk):
    """Two applicants of the round's post, both publicised, the period over."""
    apps = [journey.apply(make_applicant(area, clerk, n)) for n in (1, 2)]
    for app in apps:
        journey.advance(app, S.REREVIEW_PASSED)
    journey.advance(apps[0], S.PUBLICITY)
    for app in apps:
        app.refresh_from_db()
    assert [a.state for a in apps] == [S.PUBLICITY, S.PUBLICITY]
    return apps


@pytest.fixture
def one_under_objection(two_in_publicity, village_user):
    """``two_in_publicity``, the second with an open objection (it cannot be approved)."""
    services.objection_raise(
        actor=village_user,
        application=two_in_publicity[1],
        content="反映其家庭有经营性收入",
        raised_on=timezone.localdate() - dt.timedelta(days=2),
    )
    return two_in_publicity


# --- the county's queue ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.COUNTY, 200),
        (Role.ADMIN, 200),
        (Role.CLERK, 403),
        (Role.VILLAGE, 403),
        (Role.REVIEWER, 403),
    ],
)
def test_county_queue_by_role(role, status, users, login):
    assert login(users[role]).get(reverse("application-queue")).status_code == status


def test_county_queue_shows_opinions_and_readiness(journey, area, clerk, county, reviewers, login):
    reviewed = journey.advance(journey.apply(make_applicant(area, clerk, 1)), S.REVIEWED)
    services.opinion_record(
        actor=reviewers[Department.CIVIL_AFFAIRS], applications=[reviewed.pk], opinion="agree"
    )
    services.opinion_record(
        actor=reviewers[Department.PUBLIC_SECURITY],
        applications=[reviewed.pk],
        opinion=Opinion.DISAGREE,
        comment="有经营性收入",
    )
    ready = journey.advance(journey.apply(make_applicant(area, clerk, 2)), S.PUBLICITY)
    response = login(county).get(reverse("application-queue"))
    rows = {r["pk"]: r for r in response.context["rows"]}
    assert response.status_code == 200
    assert (rows[reviewed.pk]["opinions_in"], rows[reviewed.pk]["disagreements"]) == (2, 1)
    assert (rows[ready.pk]["ready"], rows[ready.pk]["hold"]) == (True, "")
    assert rows[ready.pk]["publicity__ends_on"] == timezone.localdate() - dt.timedelta(days=1)
    assert rows[reviewed.pk]["ready"] is False
    assert application_url(ready.pk) in response.content.decode()


def test_county_queue_filters_by_state_and_name(journey, area, clerk, county, login):
    reviewed = journey.advance(
        journey.apply(make_applicant(area, clerk, 1, name="张秀英")), S.REVIEWED
    )
    ready = journey.advance(
        journey.apply(make_applicant(area, clerk, 2, name="李桂兰")), S.PUBLICITY
    )
    client = login(county)
    by_state = client.get(reverse("application-queue"), {"state": S.PUBLICITY})
    by_name = client.get(reverse("application-queue"), {"q": "张秀"})
    assert [r["pk"] for r in by_state.context["rows"]] == [ready.pk]
    assert [r["pk"] for r in by_name.context["rows"]] == [reviewed.pk]
    assert by_state.context["page"].counts == {S.REVIEWED: 1, S.PUBLICITY: 1}


def test_admin_sees_the_queue_without_actions(journey, applicant, users, login):
    journey.advance(journey.apply(applicant), S.REVIEWED)
    response = login(users[Role.ADMIN]).get(reverse("application-queue"))
    assert response.context["can_act"] is False
    assert 'name="applications"' not in response.content.decode()
    assert len(response.context["rows"]) == 1


def test_bulk_approval_moves_all_with_step_records_and_audit(two_in_publicity, county, login):
    ids = [a.pk for a in two_in_publicity]
    response = login(county).post(
        reverse("application-queue-action"),
        {"action": "approve", "applications": ids, "query": "state=publicity&page=3"},
    )
    assert response.status_code == 302
    assert response.url == reverse("application-queue") + "?state=publicity"
    states = list(Application.objects.filter(pk__in=ids).values_list("state", flat=True))
    records = StepRecord.objects.filter(application_id__in=ids, to_state=S.APPROVED)
    audit = AuditEntry.objects.filter(
        action=AuditAction.TRANSITION,
        object_type="onboarding.application",
        actor=county,
        changes__state=[S.PUBLICITY, S.APPROVED],
    )
    assert states == [S.APPROVED, S.APPROVED]
    assert sorted(r.application_id for r in records) == ids
    assert {r.actor_id for r in records} == {county.pk}
    assert sorted(int(e.object_pk) for e in audit) == ids


def test_a_refused_bulk_action_changes_nothing_and_says_why_in_the_row(
    one_under_objection, county, login
):
    first, second = one_under_objection
    client = login(county)
    response = client.post(
        reverse("application-queue-action"),
        {"action": "approve", "applications": [first.pk, second.pk]},
    )
    back = client.get(response.url)
    again = client.get(response.url)

    reason = _("An objection is under investigation; the township must record its finding.")
    rows = {r["pk"]: r for r in back.context["rows"]}
    assert response.status_code == 302
    assert messages_of(response) == [reason]
    assert (rows[first.pk]["refusal"], rows[second.pk]["refusal"]) == ("", reason)
    assert back.context["refused_elsewhere"] == []
    assert f'<td class="refusal">{reason}</td>' in back.content.decode()
    assert [r["refusal"] for r in again.context["rows"]] == ["", ""]
    assert list(
        Application.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)
    ) == [S.PUBLICITY, S.PUBLICITY]
    assert not StepRecord.objects.filter(to_state=S.APPROVED).exists()


def test_several_refusals_are_one_summary_with_the_reasons_in_the_rows(
    two_in_publicity, county, login
):
    ids = [a.pk for a in two_in_publicity]
    client = login(county)
    response = client.post(
        reverse("application-queue-action"), {"action": "rereview", "applications": ids}
    )
    back = client.get(response.url)

    summary = ngettext(
        "%(n)s application cannot take this step, so nothing was changed: the reason "
        "is shown in its row.",
        "%(n)s applications cannot take this step, so nothing was changed: the reason "
        "is shown in each one's row.",
        2,
    ) % {"n": 2}
    assert messages_of(response) == [summary]
    assert all(r["refusal"] for r in back.context["rows"])
    assert back.content.decode().count('class="refused"') == 2


def test_a_refusal_for_a_row_not_on_the_page_is_listed_above_it(one_under_objection, county, login):
    first, second = one_under_objection
    client = login(county)
    client.post(
        reverse("application-queue-action"), {"action": "approve", "applications": [second.pk]}
    )

    back = client.get(reverse("application-queue"), {"q": first.person.name})

    reason = _("An objection is under investigation; the township must record its finding.")
    assert back.context["refused_elsewhere"] == [f"{second.person.name}：{reason}"]


def test_the_queue_marks_the_rows_ready_for_their_step(one_under_objection, county, login):
    first, second = one_under_objection

    response = login(county).get(reverse("application-queue"))

    ready = {r["pk"]: r["ready_for_step"] for r in response.context["rows"]}
    text = response.content.decode()
    assert ready == {first.pk: True, second.pk: False}
    assert text.count("<tr data-ready>") == 1
    assert "data-select-ready" in text
    assert "js/queue.js" in text


def test_the_applications_own_entrant_cannot_approve_it(two_in_publicity, journey, login):
    """Separation of duties: refused, with the reason, when the county user who
    entered the application approves it."""
    app = two_in_publicity[0]
    Application.objects.filter(pk=app.pk).update(created_by=journey.county)
    response = login(journey.county).post(
        reverse("application-queue-action"), {"action": "approve", "applications": [app.pk]}
    )
    app.refresh_from_db()
    assert app.state == S.PUBLICITY
    assert _("You entered this application; another county user must approve it.") in (
        messages_of(response)
    )


def test_bulk_rereview_pass_and_not_pass(journey, area, clerk, county, login):
    apps = [
        journey.advance(journey.apply(make_applicant(area, clerk, n)), S.REVIEWED) for n in (1, 2)
    ]
    for reviewer in journey.reviewers.values():
        services.opinion_record(actor=reviewer, applications=[apps[0].pk], opinion="agree")
    client = login(county)
    client.post(
        reverse("application-queue-action"), {"action": "rereview", "applications": [apps[0].pk]}
    )
    no_reason = client.post(
        reverse("application-queue-action"), {"action": "reject", "applications": [apps[1].pk]}
    )
    apps[1].refresh_from_db()
    assert apps[1].state == S.REVIEWED
    assert _("Give the reason; the applicant is told it.") in messages_of(no_reason)
    client.post(
        reverse("application-queue-action"),
        {"action": "reject", "applications": [apps[1].pk], "comment": "公安比对有在职记录"},
    )
    for app in apps:
        app.refresh_from_db()
    assert [a.state for a in apps] == [S.REREVIEW_PASSED, S.REJECTED]
    assert apps[1].rejected_reason == "公安比对有在职记录"


def test_rereview_pass_waits_for_the_opinions(journey, applicant, county, login):
    app = journey.advance(journey.apply(applicant), S.REVIEWED)
    response = login(county).post(
        reverse("application-queue-action"), {"action": "rereview", "applications": [app.pk]}
    )
    app.refresh_from_db()
    assert app.state == S.REVIEWED
    assert _("%(got)s of the %(need)s department opinions are in.") % {"got": 0, "need": 5} in (
        messages_of(response)
    )


def test_queue_action_refuses_get_and_bad_ids(county, login):
    client = login(county)
    assert client.get(reverse("application-queue-action")).status_code == 405
    response = client.post(
        reverse("application-queue-action"), {"action": "approve", "applications": ["1;drop"]}
    )
    assert response.status_code == 302
    assert _("The list of applications is not valid; reload the page.") in messages_of(response)


def test_county_queue_takes_the_same_queries_for_10_and_40_applications(
    area, county, login, django_assert_max_num_queries
):
    client = login(county)
    make_queue_rows(10, mix={S.REVIEWED: 0.5, S.PUBLICITY: 0.5})
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("application-queue"))
    assert len(response.context["rows"]) == 10
    make_queue_rows(30, mix={S.REVIEWED: 0.5, S.PUBLICITY: 0.5}, seed=1)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("application-queue"))
    assert len(response.context["rows"]) == 40


def test_county_queue_pages_by_key(area, county, login):
    make_queue_rows(120, mix={S.REVIEWED: 1})
    client = login(county)
    first = client.get(reverse("application-queue"))
    page = first.context["page"]
    second = client.get(reverse("application-queue"), {"before": page.next_key})
    third = client.get(reverse("application-queue"), {"before": second.context["page"].next_key})
    back = client.get(reverse("application-queue"), {"after": second.context["page"].previous_key})
    seen = [r["pk"] for resp in (first, second, third) for r in resp.context["rows"]]
    assert [len(r.context["rows"]) for r in (first, second, third)] == [50, 50, 20]
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 120
    assert third.context["page"].next_key is None
    assert [r["pk"] for r in back.context["rows"]] == [r["pk"] for r in first.context["rows"]]
    assert page.counts[S.REVIEWED] == 120


# --- the department reviewers' queue ------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.REVIEWER, 200),
        (Role.COUNTY, 200),
        (Role.ADMIN, 200),
        (Role.CLERK, 403),
        (Role.VILLAGE, 403),
    ],
)
def test_opinion_queue_by_role(role, status, users, login):
    assert login(users[role]).get(reverse("opinion-queue")).status_code == status


def test_reviewer_records_an_opinion_on_several(journey, area, clerk, users, login):
    apps = [
        journey.advance(journey.apply(make_applicant(area, clerk, n)), S.REVIEWED) for n in (1, 2)
    ]
    reviewer = users[Role.REVIEWER]
    client = login(reviewer)
    response = client.post(
        reverse("opinion-queue-action"),
        {"opinion": Opinion.AGREE, "applications": [a.pk for a in apps], "query": "given=no"},
    )
    assert response.status_code == 302
    assert response.url == reverse("opinion-queue") + "?given=no"
    opinions = DepartmentOpinion.objects.filter(application__in=apps)
    assert sorted((o.application_id, o.department, o.opinion) for o in opinions) == [
        (a.pk, Department.CIVIL_AFFAIRS, Opinion.AGREE) for a in apps
    ]
    assert StepRecord.objects.filter(kind=RecordKind.OPINION, application__in=apps).count() == 2
    page = client.get(reverse("opinion-queue"))
    assert {r["my_opinion"] for r in page.context["rows"]} == {Opinion.AGREE}
    assert client.get(reverse("opinion-queue"), {"given": "no"}).context["rows"] == []


def test_a_disagreement_needs_a_comment(journey, applicant, users, login):
    app = journey.advance(journey.apply(applicant), S.REVIEWED)
    response = login(users[Role.REVIEWER]).post(
        reverse("opinion-queue-action"), {"opinion": Opinion.DISAGREE, "applications": [app.pk]}
    )
    assert _("Say why the department disagrees.") in messages_of(response)
    assert not DepartmentOpinion.objects.exists()


def test_only_a_reviewer_records_opinions(journey, applicant, county, login):
    app = journey.advance(journey.apply(applicant), S.REVIEWED)
    response = login(county).post(
        reverse("opinion-queue-action"), {"opinion": Opinion.AGREE, "applications": [app.pk]}
    )
    assert response.status_code == 403
    assert not DepartmentOpinion.objects.exists()


def test_opinion_queue_takes_the_same_queries_for_10_and_40_applications(
    area, users, login, django_assert_max_num_queries
):
    client = login(users[Role.REVIEWER])
    make_queue_rows(10, mix={S.REVIEWED: 1})
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("opinion-queue"))
    assert len(response.context["rows"]) == 10
    make_queue_rows(30, mix={S.REVIEWED: 1}, seed=1)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("opinion-queue"))
    assert len(response.context["rows"]) == 40


# --- the village's page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.VILLAGE, 200),
        (Role.CLERK, 200),
        (Role.COUNTY, 403),
        (Role.REVIEWER, 403),
        (Role.ADMIN, 403),
    ],
)
def test_village_page_by_role(role, status, users, login):
    assert login(users[role]).get(reverse("village-onboarding")).status_code == status


def _meeting(apps, **results):
    today = timezone.localdate()
    data = {
        "village": apps[0].region_code,
        "held_on": today.isoformat(),
        "place": "村委会议室",
        "attendance": 31,
        "minutes": "到会村民代表31人，逐一评议。",
    }
    for app in apps:
        data.update({f"{k}_{app.pk}": v for k, v in results.get(f"a{app.pk}", {}).items()})
    return data


@pytest.fixture
def two_awaiting_review(journey, area, clerk):
    apps = [journey.apply(make_applicant(area, clerk, n)) for n in (1, 2)]
    for app in apps:
        journey.advance(app, S.INITIAL_PASSED)
    return apps


def test_village_page_lists_its_applicants_awaiting_review(
    two_awaiting_review, village_user, login
):
    response = login(village_user).get(reverse("village-onboarding"))
    assert response.status_code == 200
    assert {a.pk for a in response.context["applicants"]} == {a.pk for a in two_awaiting_review}
    assert response.context["review_form"] is not None


def test_democratic_review_records_the_meeting_and_moves_the_applicants(
    two_awaiting_review, village_user, login
):
    passed, failed = two_awaiting_review
    data = _meeting(
        two_awaiting_review,
        **{
            f"a{passed.pk}": {"result": "pass", "votes": 27},
            f"a{failed.pk}": {"result": "fail", "votes": 9, "reason": "群众反映长期在外务工"},
        },
    )
    data["minutes_file"] = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes", "application/pdf")
    client = login(village_user)
    response = client.post(reverse("democratic-review-create"), data)
    review = DemocraticReview.objects.get()
    passed.refresh_from_db()
    failed.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("democratic-review-detail", kwargs={"pk": review.pk})
    assert (review.attendance, review.place, review.region_code) == (
        31,
        "村委会议室",
        passed.region_code,
    )
    assert (passed.state, passed.votes_for, passed.democratic_review_id) == (
        S.REVIEWED,
        27,
        review.pk,
    )
    assert (failed.state, failed.rejected_reason, failed.votes_for) == (
        S.REJECTED,
        "群众反映长期在外务工",
        9,
    )
    detail = client.get(response.url)
    assert detail.status_code == 200
    assert detail.context["passed"] == 1 and len(detail.context["results"]) == 2
    scan = client.get(reverse("democratic-review-minutes", kwargs={"pk": review.pk}))
    assert (scan.status_code, scan["Content-Type"]) == (200, "application/pdf")
    assert b"".join(scan.streaming_content) == b"%PDF-1.4 minutes"


def test_an_applicant_left_out_of_the_meeting_keeps_waiting(
    two_awaiting_review, village_user, login
):
    first, second = two_awaiting_review
    data = _meeting(two_awaiting_review, **{f"a{first.pk}": {"result": "pass", "votes": 20}})
    login(village_user).post(reverse("democratic-review-create"), data)
    second.refresh_from_db()
    assert second.state == S.INITIAL_PASSED


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 not a scan", "Attach a PDF, JPEG or PNG scan."),
        (
            b"%PDF" + b"0" * (10 * 1024 * 1024),
            "A scan may be at most 10 MB; this one is %(mb)s MB.",
        ),
    ],
)
def test_a_bad_minutes_file_is_refused_and_nothing_recorded(
    two_awaiting_review, village_user, login, content, message
):
    app = two_awaiting_review[0]
    data = _meeting([app], **{f"a{app.pk}": {"result": "pass", "votes": 20}})
    data["minutes_file"] = SimpleUploadedFile("纪要.pdf", content, "application/pdf")
    response = login(village_user).post(reverse("democratic-review-create"), data)
    app.refresh_from_db()
    assert response.status_code == 400
    expected = _(message) % {"mb": 10.0} if "%(mb)s" in message else _(message)
    assert response.context["review_form"].errors["minutes_file"] == [expected]
    assert not DemocraticReview.objects.exists()
    assert app.state == S.INITIAL_PASSED


def test_not_passed_needs_a_reason(two_awaiting_review, village_user, login):
    app = two_awaiting_review[0]
    data = _meeting([app], **{f"a{app.pk}": {"result": "fail", "votes": 3}})
    response = login(village_user).post(reverse("democratic-review-create"), data)
    assert response.status_code == 400
    assert response.context["review_form"].errors[f"reason_{app.pk}"] == [
        _("Give the reason; the applicant is told it.")
    ]
    assert not DemocraticReview.objects.exists()


def test_a_meeting_without_results_is_refused(two_awaiting_review, village_user, login):
    response = login(village_user).post(
        reverse("democratic-review-create"), _meeting(two_awaiting_review)
    )
    assert response.status_code == 400
    assert (
        _("Give the result for at least one applicant.")
        in response.context["review_form"].non_field_errors()
    )


def test_clerk_chooses_a_village_of_the_township(two_awaiting_review, area, clerk, login):
    client = login(clerk)
    chosen = client.get(reverse("village-onboarding"), {"village": area.other_village.code})
    default = client.get(reverse("village-onboarding"))
    assert chosen.context["village"] == area.other_village
    assert chosen.context["applicants"] == []
    # The first village with work waiting, by default.
    assert default.context["village"] == area.village
    assert len(default.context["applicants"]) == 2
    assert default.context["village_counts"][area.village.code] == {"waiting": 2, "publicity": 0}


def test_village_page_shows_its_publicity_lists(journey, applicant, village_user, login):
    app = journey.advance(journey.apply(applicant), S.PUBLICITY, backdate_publicity=False)
    response = login(village_user).get(reverse("village-onboarding"))
    [item] = response.context["publicities"]
    assert item.current is True
    assert [a.pk for a in item.applications] == [app.pk]
    assert item.applications[0].objection_form is not None
    # The print pages are another part's: linked once they exist.
    assert item.print_url == reverse("publicity-print", args=[item.publicity.pk])
    assert item.pdf_url == reverse("publicity-pdf", args=[item.publicity.pk])


def test_village_records_an_objection(journey, applicant, village_user, login):
    app = journey.advance(journey.apply(applicant), S.PUBLICITY, backdate_publicity=False)
    today = timezone.localdate()
    response = login(village_user).post(
        reverse("objection-create", kwargs={"pk": app.pk}),
        {
            f"o{app.pk}-raised_on": today.isoformat(),
            f"o{app.pk}-raised_by": "村民王某",
            f"o{app.pk}-content": "反映其在县城有门面经营",
        },
    )
    objection = Objection.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("village-onboarding") + f"#application-{app.pk}"
    assert (objection.application_id, objection.status, objection.raised_by) == (
        app.pk,
        ObjectionStatus.OPEN,
        "村民王某",
    )
    assert StepRecord.objects.filter(application=app, kind=RecordKind.OBJECTION).count() == 1


def test_an_objection_outside_publicity_is_refused(journey, applicant, village_user, login):
    app = journey.advance(journey.apply(applicant), S.REVIEWED)
    response = login(village_user).post(
        reverse("objection-create", kwargs={"pk": app.pk}),
        {f"o{app.pk}-raised_on": timezone.localdate().isoformat(), f"o{app.pk}-content": "异议"},
    )
    assert response.status_code == 302
    assert _("Objections are received while the person is in publicity.") in messages_of(response)
    assert not Objection.objects.exists()


def test_village_page_takes_the_same_queries_for_few_and_many(
    journey, area, clerk, village_user, login, django_assert_max_num_queries
):
    client = login(village_user)
    make_queue_rows(6, mix={S.INITIAL_PASSED: 0.5, S.PUBLICITY: 0.5}, villages=[area.village])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("village-onboarding"))
    make_queue_rows(
        24, mix={S.INITIAL_PASSED: 0.5, S.PUBLICITY: 0.5}, villages=[area.village], seed=1
    )
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("village-onboarding"))
    listed = sum(len(p.applications) for p in response.context["publicities"])
    assert listed + len(response.context["applicants"]) == 30


def test_generated_applications_in_publicity_can_be_approved_in_bulk(area, county, login):
    """``make_queue_rows`` is the benchmarks' load: its applications in publicity are ready and
    pass every check of approval, bar the ones it gives an objection or a declaration."""
    rows = make_queue_rows(40, mix={S.PUBLICITY: 1}, villages=[area.village])
    ready = list(
        Application.objects.filter(pk__in=rows.application_ids, objections__isnull=True)
        .exclude(person__declarations__status="declared")
        .values_list("pk", flat=True)
    )
    response = login(county).post(
        reverse("application-queue-action"), {"action": "approve", "applications": ready}
    )
    assert messages_of(response) == [
        _("%(n)s applications: %(state)s.") % {"n": len(ready), "state": S.APPROVED.label}
    ]
    assert Application.objects.filter(state=S.APPROVED).count() == len(ready)
