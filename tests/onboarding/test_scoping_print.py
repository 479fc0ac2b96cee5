"""Scoping proof of the printed documents (tests/gongyi/test_scoping.py collects ``TESTED_URLS``):
for every role, a document of its own area opens (or is 403 for a role that may not print it) and
the same document of a sibling area is a 404.

Rounds and training sessions belong to a township: a village committee sees neither, its own
township's included (``scope_queryset`` on ``Round`` and ``TrainingSession``), so they are 404 for
it whichever township they belong to."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongyi.enums import Role
from gongyi.models import Region, User
from gongyi.roles import ALL_ROLES
from people.onboarding.enums import AgreementKind, ObjectionStatus
from people.onboarding.enums import ApplicationState as S
from people.onboarding.models import (
    Application,
    Objection,
    Publicity,
    Round,
    RoundPost,
    TrainingAttendance,
    TrainingSession,
)
from people.onboarding.roles import PRINT_PERSONAL_DOCUMENTS
from tests.factories import PersonFactory, PostFactory
from tests.gongyi.test_scoping import own_and_sibling

pytestmark = pytest.mark.django_db

#: URL name → (the document's pk among a region's documents, roles that may open it, whether a
#: village committee sees the document of its own village)
DOCUMENT_URLS = {
    "round-announcement-print": (lambda d: d["round"].pk, ALL_ROLES, False),
    "round-announcement-pdf": (lambda d: d["round"].pk, ALL_ROLES, False),
    "application-notice-print": (lambda d: d["rejected"].pk, PRINT_PERSONAL_DOCUMENTS, True),
    "publicity-print": (lambda d: d["publicity"].pk, ALL_ROLES, True),
    "publicity-pdf": (lambda d: d["publicity"].pk, ALL_ROLES, True),
    "objection-finding-print": (lambda d: d["objection"].pk, ALL_ROLES, True),
    "application-agreement-print": (lambda d: d["agreed"].pk, PRINT_PERSONAL_DOCUMENTS, True),
    "application-agreement-pdf": (lambda d: d["agreed"].pk, PRINT_PERSONAL_DOCUMENTS, True),
    "training-signin-print": (lambda d: d["session"].pk, ALL_ROLES, False),
}
TESTED_URLS = set(DOCUMENT_URLS)


def _township_and_village(region: Region) -> tuple[Region, Region]:
    if len(region.code) == 12:
        return region.parent, region
    township = (
        region
        if len(region.code) == 9
        else Region.objects.filter(code__startswith=region.code, level="township")
        .order_by("code")
        .first()
    )
    village = (
        Region.objects.filter(code__startswith=township.code, level="village")
        .order_by("code")
        .first()
    )
    return township, village


def documents_in(region: Region) -> dict:
    """One of each printed document's objects, in a village under ``region`` (or the region)."""
    township, village = _township_and_village(region)
    actor = User.objects.order_by("pk").first()
    today = timezone.localdate()
    post = PostFactory(village=village, area_kind="rural", headcount=5, created_by=actor)
    round_ = Round.objects.create(
        township=township,
        region_code=township.code,
        title=f"招聘{village.code}",
        who_may_apply="农村大龄人员",
        opens_on=today - dt.timedelta(days=30),
        closes_on=today - dt.timedelta(days=20),
        apply_at="便民服务中心",
        status="published",
        published_on=today - dt.timedelta(days=30),
        created_by=actor,
    )
    RoundPost.objects.create(round=round_, post=post, places=2)
    publicity = Publicity.objects.create(
        village=village,
        region_code=village.code,
        round=round_,
        starts_on=today - dt.timedelta(days=15),
        ends_on=today - dt.timedelta(days=8),
        working_days=5,
        created_by=actor,
    )
    common = {
        "round": round_,
        "post": post,
        "region_code": village.code,
        "state_changed_at": timezone.now(),
        "applied_on": today - dt.timedelta(days=25),
        "eligibility": {"groups": ["rural_older"]},
        "created_by": actor,
    }
    rejected = Application.objects.create(
        person=PersonFactory(village=village),
        state=S.REJECTED,
        rejected_state=S.APPLIED,
        rejected_reason="材料不全",
        **common,
    )
    agreed = Application.objects.create(
        person=PersonFactory(village=village),
        state=S.AGREED,
        publicity=publicity,
        rank=1,
        agreement_kind=AgreementKind.SERVICE_AGREEMENT,
        agreement_number=f"2026-{village.code}",
        signed_on=today,
        term_start=today,
        term_end=today + dt.timedelta(days=365),
        **common,
    )
    objection = Objection.objects.create(
        application=agreed,
        raised_on=publicity.starts_on,
        content="反映情况",
        status=ObjectionStatus.DISMISSED,
        finding="经核查不属实",
        found_on=publicity.ends_on,
        received_by=actor,
        found_by=actor,
    )
    session = TrainingSession.objects.create(
        township=township,
        region_code=township.code,
        held_on=today,
        topic="岗位职责",
        place="会议室",
        hours=4,
        created_by=actor,
    )
    TrainingAttendance.objects.create(session=session, application=agreed, present=True)
    return {
        "round": round_,
        "publicity": publicity,
        "rejected": rejected,
        "agreed": agreed,
        "objection": objection,
        "session": session,
    }


@pytest.fixture
def documents(area, users):
    return {region.code: documents_in(region) for region in (area.county, area.other_county)} | {
        region.code: documents_in(region) for region in (area.other_township, area.other_village)
    }


def _documents_of(documents, area, region):
    # The county's documents are those of its first township's first village: the clerk's and
    # the village committee's own area.
    return documents[area.county.code if region in (area.township, area.village) else region.code]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(DOCUMENT_URLS))
def test_document_own_area_allowed_sibling_area_404(name, role, area, users, login, documents):
    pk_of, roles, village_sees = DOCUMENT_URLS[name]
    own, sibling = own_and_sibling(area, role)
    client = login(users[role])
    own_status = client.get(reverse(name, args=[pk_of(_documents_of(documents, area, own))]))
    sibling_status = client.get(
        reverse(name, args=[pk_of(_documents_of(documents, area, sibling))])
    )
    if role not in roles:
        expected = (403, 403)
    elif role == Role.VILLAGE and not village_sees:
        expected = (404, 404)
    else:
        expected = (200, 404)
    assert (own_status.status_code, sibling_status.status_code) == expected


@pytest.mark.parametrize("name", list(DOCUMENT_URLS))
def test_anonymous_user_is_sent_to_login(name, client, area, documents):
    pk_of, _roles, _village = DOCUMENT_URLS[name]
    response = client.get(reverse(name, args=[pk_of(documents[area.county.code])]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
