"""The workflow's printed documents: who may open them, what they show, and the PDFs' text
(docs/policy.md §6, §9)."""

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.enums import AuditAction, Role
from gongyi.models import AuditEntry
from gongyi.policy import policy_setting_set
from people.masking import notice_masker
from people.onboarding import services
from people.onboarding.enums import ApplicationState as S
from people.onboarding.enums import OnboardingStep
from people.onboarding.models import Publicity, RoundPost, TrainingSession
from people.onboarding.workflow import application_transition
from tests.factories import PostFactory
from tests.onboarding.conftest import make_applicant

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def masked(number: str) -> str:
    return number[:6] + "*" * 8 + number[-4:]


def publicise(journey, n: int, *, first: int = 1):
    """``n`` applicants of the test village for one post, publicised on one list."""
    post = PostFactory(
        village=journey.area.village,
        area_kind="rural",
        title=f"护林员{n}",
        headcount=n,
        created_by=journey.clerk,
    )
    today = timezone.localdate()
    round_ = services.round_create(
        actor=journey.clerk,
        places={post.pk: n},
        title=f"护林员招聘{n}",
        who_may_apply="农村大龄人员",
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=5),
        apply_at="便民服务中心",
        contact="0538-1234567",
    )
    services.round_publish(actor=journey.clerk, round_=round_)
    trip = dataclasses.replace(journey, round_=round_)
    apps = []
    for i in range(first, first + n):
        person = make_applicant(journey.area, journey.clerk, i, phone=f"1380000{i:04d}")
        apps.append(trip.advance(trip.apply(person, post), S.REREVIEW_PASSED))
    services.publicity_start(actor=journey.clerk, round_post=RoundPost.objects.get(round=round_))
    return Publicity.objects.get(round=round_), apps


# --- 1. the recruitment announcement ---------------------------------------------------------


def test_announcement_shows_the_round_and_its_posts(journey, login):
    rp = journey.round_post
    response = login(journey.clerk).get(
        reverse("round-announcement-print", args=[journey.round_.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        journey.round_.title,
        rp.post.title,
        rp.post.post_type.name,
        journey.round_.apply_at,
        journey.round_.contact,
        journey.round_.who_may_apply,
        "data-print",
        reverse("round-announcement-pdf", args=[journey.round_.pk]),
        "css/print_a4.css",
    ):
        assert text in body, text


@pytest.mark.parametrize(
    ("referer", "back"),
    [
        (
            "http://testserver/onboarding/rounds/?page=2",
            "http://testserver/onboarding/rounds/?page=2",
        ),
        ("", "round"),
        ("https://elsewhere.example/phish/", "round"),
    ],
)
def test_a_printed_page_has_a_way_back(journey, login, referer, back):
    """To the page the user came from on this site, else to the round the document is of."""
    url = reverse("round-announcement-print", args=[journey.round_.pk])
    headers = {"HTTP_REFERER": referer} if referer else {}

    response = login(journey.clerk).get(url, **headers)

    expected = reverse("round-detail", args=[journey.round_.pk]) if back == "round" else back
    assert response.context["back_url"] == expected
    assert f'<a class="button" href="{expected}">{_("Back")}</a>' in response.content.decode()


def test_announcement_pdf_contains_the_round_title(journey, login):
    response = login(journey.county).get(
        reverse("round-announcement-pdf", args=[journey.round_.pk])
    )
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    text = pdf_text(response)
    assert journey.round_.title in text
    assert journey.round_post.post.title in text


def test_announcement_of_another_township_is_404(journey, users, login, area):
    from tests.factories import UserFactory

    other_clerk = UserFactory(username="clerk2", role=Role.CLERK, region=area.other_township)
    url = reverse("round-announcement-print", args=[journey.round_.pk])
    assert login(other_clerk).get(url).status_code == 404


# --- 2. the notice of not passing ------------------------------------------------------------


def test_notice_tells_the_step_and_the_reason(journey, applicant, login):
    app = journey.apply(applicant)
    application_transition(
        actor=journey.clerk, applications=[app], to=S.REJECTED, comment="材料不全，未提供残疾证"
    )
    response = login(journey.clerk).get(reverse("application-notice-print", args=[app.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "材料不全，未提供残疾证" in body
    assert applicant.name in body
    assert str(OnboardingStep.APPLICATION.label) in body
    assert applicant.id_number not in body
    assert masked(applicant.id_number) in body


def test_notice_is_only_for_rejected_applications_and_staff(journey, applicant, users, login):
    app = journey.apply(applicant)
    url = reverse("application-notice-print", args=[app.pk])
    assert login(journey.clerk).get(url).status_code == 404
    application_transition(actor=journey.clerk, applications=[app], to=S.REJECTED, comment="不符")
    assert login(journey.county).get(url).status_code == 200
    assert login(users[Role.VILLAGE]).get(url).status_code == 403
    assert login(users[Role.REVIEWER]).get(url).status_code == 403


# --- 4. the publicity list -------------------------------------------------------------------


def test_publicity_list_shows_masked_numbers_and_never_phones_or_full_numbers(journey, login):
    publicity, apps = publicise(journey, 3)
    response = login(journey.village_user).get(reverse("publicity-print", args=[publicity.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for app in apps:
        person = app.person
        assert person.name in body
        assert masked(person.id_number) in body
        assert person.id_number not in body
        assert person.phone not in body
    assert publicity.village.name in body
    assert journey.round_.township.name in body
    assert reverse("publicity-pdf", args=[publicity.pk]) in body


def test_publicity_pdf_has_the_names_and_masked_numbers_only(journey, login):
    publicity, apps = publicise(journey, 3)
    response = login(journey.village_user).get(reverse("publicity-pdf", args=[publicity.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    text = pdf_text(response)
    # A long name may wrap inside its cell: the PDF's text then has a line break in it.
    flat = "".join(text.split())
    for app in apps:
        assert app.person.name in flat
        assert masked(app.person.id_number) in text
        assert app.person.id_number not in text
        assert app.person.phone not in text


def test_publicity_masks_as_the_county_sets_it(journey, login, county):
    from people.policy import ID_MASK_HEAD, ID_MASK_TAIL

    on = timezone.localdate() - dt.timedelta(days=30)
    policy_setting_set(actor=county, key=ID_MASK_HEAD, value=3, effective_from=on)
    policy_setting_set(actor=county, key=ID_MASK_TAIL, value=2, effective_from=on)
    publicity, apps = publicise(journey, 1)
    number = apps[0].person.id_number
    body = login(journey.clerk).get(reverse("publicity-print", args=[publicity.pk])).content
    assert notice_masker(publicity.region_code)(number) == number[:3] + "*" * 13 + number[-2:]
    assert (number[:3] + "*" * 13 + number[-2:]).encode() in body


def test_publicity_list_shows_the_published_findings_on_objections(journey, login):
    publicity, apps = publicise(journey, 2)
    found, still_open = apps
    for app in apps:
        app.refresh_from_db()
    objection = services.objection_raise(
        actor=journey.village_user, application=found, content="反映其已在企业就业"
    )
    services.objection_raise(actor=journey.village_user, application=still_open, content="待查内容")
    services.objection_resolve(
        actor=journey.clerk, objection=objection, upheld=False, finding="经核查，不属实"
    )
    body = login(journey.clerk).get(reverse("publicity-print", args=[publicity.pk])).content
    body = body.decode()
    assert "经核查，不属实" in body
    assert "待查内容" not in body
    assert _("The objection is not upheld: the person goes on to county approval.") in body


def test_publicity_page_reads_a_constant_number_of_queries(
    journey, login, django_assert_max_num_queries, django_assert_num_queries
):
    small, _apps = publicise(journey, 1)
    large, _apps = publicise(journey, 5, first=2)
    client = login(journey.clerk)
    client.get(reverse("publicity-print", args=[small.pk]))  # the session's first request
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("publicity-print", args=[small.pk])).status_code == 200
    with django_assert_num_queries(len(one)):
        assert client.get(reverse("publicity-print", args=[large.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        client.get(reverse("publicity-print", args=[large.pk]))


def test_a_sibling_village_cannot_open_the_list(journey, login, area):
    from tests.factories import UserFactory

    publicity, _apps = publicise(journey, 1)
    neighbour = UserFactory(username="village2", role=Role.VILLAGE, region=area.other_village)
    for name in ("publicity-print", "publicity-pdf"):
        assert login(neighbour).get(reverse(name, args=[publicity.pk])).status_code == 404


# --- the finding on an objection -------------------------------------------------------------


def test_finding_notice_is_printed_once_resolved(journey, applicant, login):
    app = journey.advance(journey.apply(applicant), S.PUBLICITY)
    objection = services.objection_raise(
        actor=journey.village_user,
        application=app,
        content="反映其家中有经营性车辆",
        raised_by="村民张某",
        raised_on=app.publicity.ends_on,
    )
    url = reverse("objection-finding-print", args=[objection.pk])
    assert login(journey.village_user).get(url).status_code == 404
    services.objection_resolve(
        actor=journey.clerk, objection=objection, upheld=True, finding="经核查属实"
    )
    response = login(journey.village_user).get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "经核查属实" in body
    assert applicant.name in body
    assert "村民张某" not in body  # who objected is kept confidential
    assert applicant.id_number not in body


# --- 7. the agreement ------------------------------------------------------------------------


def test_service_agreement_has_the_parties_term_and_full_id_number(journey, applicant, login):
    app = journey.advance(journey.apply(applicant), S.AGREED)
    response = login(journey.clerk).get(reverse("application-agreement-print", args=[app.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert _("Service agreement for a public-welfare post") in body
    assert applicant.id_number in body
    assert app.agreement_number in body
    assert app.post.township.name in body
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("pk")
    assert (entry.object_pk, entry.actor_id, entry.region_code) == (
        str(app.pk),
        journey.clerk.pk,
        app.region_code,
    )


def test_urban_post_signs_a_labour_contract_and_its_pdf(journey, area, login):
    post = PostFactory(village=area.village, area_kind="urban", headcount=1, title="公共服务岗")
    today = timezone.localdate()
    round_ = services.round_create(
        actor=journey.clerk,
        places={post.pk: 1},
        title="城镇公益性岗位招聘",
        who_may_apply="城镇大龄失业人员",
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=3),
        apply_at="便民服务中心",
    )
    services.round_publish(actor=journey.clerk, round_=round_)
    from tests.factories import PersonFactory, add_group

    person = PersonFactory(
        village=area.village, residence="urban", born=dt.date(1978, 3, 1), created_by=journey.clerk
    )
    add_group(person, "urban_older_unemployed", recognised_on=dt.date(2024, 1, 1))
    trip = dataclasses.replace(journey, round_=round_)
    app = trip.advance(trip.apply(person, post), S.AGREED)
    assert app.agreement_kind == "labour_contract"
    client = login(journey.county)
    page = client.get(reverse("application-agreement-print", args=[app.pk])).content.decode()
    assert _("Labour contract for a public-welfare post") in page
    response = client.get(reverse("application-agreement-pdf", args=[app.pk]))
    text = pdf_text(response)
    assert person.id_number in text
    assert person.name in text


def test_agreement_needs_a_signed_agreement_and_a_staff_role(journey, applicant, users, login):
    app = journey.advance(journey.apply(applicant), S.APPROVED)
    url = reverse("application-agreement-print", args=[app.pk])
    assert login(journey.clerk).get(url).status_code == 404
    journey.advance(app, S.AGREED)
    assert login(journey.clerk).get(url).status_code == 200
    for role in (Role.VILLAGE, Role.REVIEWER, Role.ADMIN):
        assert login(users[role]).get(url).status_code == 403
    journey.advance(app, S.STARTED)
    assert login(journey.county).get(url).status_code == 200


# --- 8. the training sign-in sheet -----------------------------------------------------------


def test_sign_in_sheet_lists_who_attended(journey, applicant, login, area, clerk):
    app = journey.advance(journey.apply(applicant), S.TRAINED)
    session = TrainingSession.objects.get()
    response = login(journey.clerk).get(reverse("training-signin-print", args=[session.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert applicant.name in body
    assert app.post.title in body
    assert area.village.name in body
    assert session.topic in body
    assert applicant.id_number not in body


def test_announcement_and_sign_in_sheet_read_a_constant_number_of_queries(
    journey, area, login, django_assert_num_queries
):
    today = timezone.localdate()
    posts = [
        PostFactory(
            village=area.village, area_kind="rural", title=f"岗位{i}", created_by=journey.clerk
        )
        for i in range(3)
    ]
    large = services.round_create(
        actor=journey.clerk,
        places={p.pk: 1 for p in posts},
        title="三个岗位的招聘",
        who_may_apply="农村大龄人员",
        opens_on=today,
        closes_on=today + dt.timedelta(days=5),
        apply_at="便民服务中心",
    )
    client = login(journey.clerk)
    small_url = reverse("round-announcement-print", args=[journey.round_.pk])
    client.get(small_url)
    with CaptureQueriesContext(connection) as one:
        client.get(small_url)
    with django_assert_num_queries(len(one)):
        client.get(reverse("round-announcement-print", args=[large.pk]))

    first, second = (
        journey.advance(journey.apply(make_applicant(area, journey.clerk, i)), S.AGREED)
        for i in (1, 2)
    )
    alone = services.training_session_record(
        actor=journey.clerk,
        held_on=today,
        topic="安全",
        place="会议室",
        hours=2,
        present=[first.pk],
    )
    both = services.training_session_record(
        actor=journey.clerk,
        held_on=today,
        topic="职责",
        place="会议室",
        hours=2,
        present=[second.pk],
        absent=[first.pk],
    )
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("training-signin-print", args=[alone.pk]))
    with django_assert_num_queries(len(one)):
        body = client.get(reverse("training-signin-print", args=[both.pk])).content.decode()
    assert (first.person.name in body, second.person.name in body) == (True, True)
    assert _("Absent") in body


def test_pdfs_read_only_the_static_files(tmp_path):
    from django.contrib.staticfiles import finders

    from people.onboarding.printing import render_pdf, static_files_only

    css = Path(finders.find("css/print_a4.css"))
    fetch = static_files_only(css.parent.parent)
    response = fetch(css.as_uri())
    assert b"@page" in response.read()
    response.close()
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    for url in (
        "https://fonts.example.com/noto.woff2",
        secret.as_uri(),
        css.parent.as_uri() + "/../../../etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetch(url)
    # A document that names an outside address is still made, without it.
    pdf = render_pdf('<p>公示</p><img src="https://example.com/x.png">')
    assert pdf.startswith(b"%PDF")
