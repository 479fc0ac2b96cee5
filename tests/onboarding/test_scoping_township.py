"""The township's pages of the workflow for every role (docs/security.md, "Who sees what"): an object of
the user's own area opens (or the role is refused with 403), one of a sibling area is a 404."""

import pytest
from django.urls import reverse

from gongyi.enums import Role
from people.models import RelativeDeclaration
from people.onboarding import services
from people.onboarding.enums import ApplicationState as S
from people.onboarding.models import Objection
from tests.factories import PersonFactory, PostFactory, UserFactory, add_group

ALL = frozenset(Role)
ROUNDS = frozenset({Role.CLERK, Role.COUNTY})
ENTER = frozenset({Role.CLERK, Role.COUNTY})
CLERK = frozenset({Role.CLERK})
COUNTY = frozenset({Role.COUNTY})

#: GET pages: url name → (which object's pk, roles allowed)
PAGES = {
    "round-list": (None, ALL),
    "round-create": (None, ROUNDS),
    "training-list": (None, ALL),
    "training-create": (None, CLERK),
    "round-detail": ("round", ALL),
    "round-edit": ("draft", ROUNDS),
    "round-applications": ("round", ALL),
    "application-create": ("round", ENTER),
    "application-detail": ("application", ALL),
    "person-trace": ("person", ALL),
}
#: POST-only: url name → (object, roles allowed)
ACTIONS = {
    "round-publish": ("round", ROUNDS),
    "round-close": ("round", ROUNDS),
    "round-publicity-start": ("round", CLERK),
    "application-transition": ("application", ALL),
    "objection-resolve": ("objection", CLERK),
    "declaration-decide": ("declaration", CLERK),
    "declaration-file": ("declaration", COUNTY),
}
TESTED_URLS = set(PAGES) | set(ACTIONS)
#: Objects that are a person's data: a department reviewer reads them only once the application
#: has reached the re-review (``gongyi.scoping``); the sibling's applicant never did.
PERSONAL = frozenset({"application", "person", "objection", "declaration"})


def _objects(journey, applicant, area, clerk):
    app = journey.advance(journey.apply(applicant), S.PUBLICITY)
    objection = services.objection_raise(
        actor=clerk, application=app, content="异议", raised_on=app.publicity.starts_on
    )
    declaration = RelativeDeclaration.objects.create(
        person=applicant,
        relation="spouse",
        relative_name="某",
        relative_kind="cadre",
        relative_post="村干部",
        declared_on=app.applied_on,
        created_by=clerk,
    )
    return {
        "round": journey.round_,
        "draft": _draft(clerk, journey.round_post.post),
        "application": app,
        "person": applicant,
        "objection": objection,
        "declaration": declaration,
    }


def _draft(clerk, post):
    """A draft round of the clerk's township: only a draft is edited."""
    from django.utils import timezone

    today = timezone.localdate()
    return services.round_create(
        actor=clerk,
        places={post.pk: 1},
        title="草稿招聘",
        who_may_apply="农村大龄人员",
        opens_on=today,
        closes_on=today,
        apply_at="镇便民服务中心",
    )


def _sibling(area):
    """The same objects in the other township of the county."""
    import datetime as dt

    from django.utils import timezone

    from people.onboarding.workflow import application_transition

    other = UserFactory(username="clerk_far", role=Role.CLERK, region=area.other_township)
    post = PostFactory(village=area.far_village, area_kind="rural", created_by=other)
    person = PersonFactory(village=area.far_village, created_by=other, born=dt.date(1965, 1, 1))
    add_group(person, "rural_older")
    today = timezone.localdate()
    round_ = services.round_create(
        actor=other,
        places={post.pk: 1},
        title="丙村招聘",
        who_may_apply="农村大龄人员",
        opens_on=today,
        closes_on=today,
        apply_at="镇便民服务中心",
    )
    services.round_publish(actor=other, round_=round_)
    app = services.application_submit(actor=other, round_=round_, post=post, person=person)
    application_transition(actor=other, applications=[app], to=S.REJECTED, comment="材料不全")
    objection = Objection.objects.create(
        application=app, raised_on=today, content="异议", received_by=other
    )
    declaration = RelativeDeclaration.objects.create(
        person=person,
        relation="spouse",
        relative_name="某",
        relative_kind="cadre",
        relative_post="村干部",
        declared_on=today,
        created_by=other,
    )
    return {
        "round": round_,
        "draft": _draft(other, post),
        "application": app,
        "person": person,
        "objection": objection,
        "declaration": declaration,
    }


def _own_status(role, kind, allowed):
    if role not in allowed:
        return 403
    # Rounds belong to the township: a village committee works on its own people's
    # applications and publicity lists, not on the township's rounds.
    if role == Role.VILLAGE and kind in ("round", "draft"):
        return 404
    return 200


@pytest.mark.parametrize("role", list(Role))
def test_township_pages_per_role(role, journey, applicant, area, users, login):
    own = _objects(journey, applicant, area, journey.clerk)
    sibling = _sibling(area)
    client = login(users[role])
    for name, (kind, allowed) in PAGES.items():
        if kind is None:
            assert client.get(reverse(name)).status_code == (200 if role in allowed else 403), name
            continue
        own_status = client.get(reverse(name, args=[own[kind].pk])).status_code
        sibling_status = client.get(reverse(name, args=[sibling[kind].pk])).status_code
        expected_sibling = 404 if role in allowed else 403
        if role in (Role.COUNTY, Role.FINANCE, Role.ADMIN, Role.REVIEWER) and role in allowed:
            expected_sibling = 200  # the sibling township is in the county's area
        if role == Role.REVIEWER and kind in PERSONAL:
            expected_sibling = 404
        assert (own_status, sibling_status) == (
            _own_status(role, kind, allowed),
            expected_sibling,
        ), name


@pytest.mark.parametrize("role", list(Role))
def test_township_actions_per_role(role, journey, applicant, area, users, login):
    own = _objects(journey, applicant, area, journey.clerk)
    sibling = _sibling(area)
    client = login(users[role])
    for name, (kind, allowed) in ACTIONS.items():
        url = reverse(name, args=[own[kind].pk])
        assert client.get(url).status_code == (405 if role in allowed else 403), name
        far = client.post(reverse(name, args=[sibling[kind].pk]), {"to": S.APPLIED})
        county_wide = role in (Role.COUNTY, Role.FINANCE, Role.ADMIN, Role.REVIEWER)
        if role not in allowed:
            assert far.status_code == 403, name
        elif role == Role.REVIEWER and kind in PERSONAL:
            assert far.status_code == 404, name  # turned down before the re-review
        elif county_wide:
            assert far.status_code == 302, name  # in the area: the service decides
        else:
            assert far.status_code == 404, name
