"""Every payout page and API route for every role, in its own area and in a sibling's
(tests/gongyi/test_scoping.py collects ``TESTED_URLS``): outside the area a 404, a role that may
not use it a 403 whichever object is asked for (``subsidies.payout.roles``: the village and the
department reviewers have no business with payouts)."""

import pytest
from django.db import connection
from django.urls import reverse

from gongyi.enums import Role
from gongyi.models import Region
from subsidies.payout import generation
from subsidies.payout.enums import BatchState, LineStatus
from subsidies.payout.models import PayoutBatch, PayoutLine
from subsidies.payout.roles import APPROVE_PAYOUTS, PREPARE_PAYOUTS, VIEW_PAYOUTS
from tests.factories.payout import GradeRuleFactory, PayoutBatchFactory, PayoutLineFactory
from tests.gongyi.test_scoping import all_url_names, own_and_sibling

pytestmark = pytest.mark.django_db

TESTED_URLS = {
    "payout-list",
    "payout-batch",
    "payout-grade-rules",
    "api:payout-batch-list",
    "api:payout-batch-detail",
    "api:payout-batch-generate",
    "api:payout-batch-transition",
    "api:payout-line-list",
    "api:payout-line-detail",
    "api:payout-line-hold",
    "api:payout-line-release",
    "api:payout-grade-rule-list",
    "api:payout-grade-rule-detail",
}


def test_every_payout_url_is_here():
    """The pages of ``subsidies.payout.urls`` and the routes of ``api_urls`` but the bank's
    (``bank_apis``): the bank's pages and routes are proved in test_scoping_bank*.py, the
    insurance's in test_scoping_insurance.py."""
    from subsidies.payout import api_urls, bank_apis, urls

    pages = {p.name for p in urls.urlpatterns}
    bases = tuple(
        f"api:{basename}-"
        for _prefix, viewset, basename in api_urls.api_routes
        if viewset.__module__ != bank_apis.__name__
    )
    routes = {n for n in all_url_names() if n.startswith(bases)}
    # The insurance's are proved in test_scoping_insurance.py.
    from tests.payout import test_scoping_insurance

    assert pages | routes == TESTED_URLS | test_scoping_insurance.TESTED_URLS


def _under(region: Region, level: str) -> Region:
    if region.level == level:
        return region
    return Region.objects.filter(code__startswith=region.code, level=level).order_by("code")[0]


def objects_in(region: Region) -> dict:
    """A township's batch being prepared under ``region`` with one line to pay (its hash the
    snapshot's) and one held, and its county's grade rule."""
    township = _under(region, "township")
    village = _under(township, "village")
    batch = PayoutBatchFactory(region_code=township.code)
    line = PayoutLineFactory(batch=batch, region_code=village.code, person_name=f"人{village.code}")
    held = PayoutLineFactory(
        batch=batch, region_code=village.code, status=LineStatus.HELD, held_reason="核查"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE payout_payoutline l SET hash = {generation.LINE_HASH_SQL}"
            " WHERE l.batch_id = %s",
            [batch.pk],
        )
    county = Region.objects.get(code=township.code[:6])
    return {"batch": batch, "line": line, "held": held, "rule": GradeRuleFactory(county=county)}


@pytest.fixture
def own_and_other(area):
    def build(role):
        # A village's sibling is in the same township: its batches are the township's, so the
        # village (refused everywhere anyway) is given the township's pair.
        own, other = own_and_sibling(area, Role.CLERK if role == Role.VILLAGE else role)
        return objects_in(own), objects_in(other)

    return build


# --- pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_batch_page_own_200_other_404_or_403(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    statuses = tuple(
        client.get(reverse("payout-batch", args=[o["batch"].pk])).status_code for o in (own, other)
    )
    assert statuses == ((200, 404) if role in VIEW_PAYOUTS else (403, 403))


@pytest.mark.parametrize("role", list(Role))
def test_batch_page_posts_to_another_area_are_404(role, users, login, own_and_other):
    _own, other = own_and_other(role)
    client = login(users[role])
    url = reverse("payout-batch", args=[other["batch"].pk])
    for body in (
        {"action": "hold", "line": other["line"].pk, "reason": "x"},
        {"action": "release", "line": other["held"].pk},
        {"action": "submit"},
    ):
        assert client.post(url, body).status_code == (404 if role in VIEW_PAYOUTS else 403)
    assert PayoutLine.objects.get(pk=other["line"].pk).status == LineStatus.PENDING
    assert PayoutLine.objects.get(pk=other["held"].pk).status == LineStatus.HELD
    assert PayoutBatch.objects.get(pk=other["batch"].pk).state == BatchState.DRAFT


@pytest.mark.parametrize("role", list(Role))
def test_hold_on_the_own_batch_by_role(role, users, login, own_and_other):
    own, _other = own_and_other(role)
    url = reverse("payout-batch", args=[own["batch"].pk])
    response = login(users[role]).post(
        url, {"action": "hold", "line": own["line"].pk, "reason": "核查"}
    )
    held = PayoutLine.objects.get(pk=own["line"].pk).status == LineStatus.HELD
    # The county reads the batch but the service refuses it the township's move (403).
    assert (response.status_code, held) == (
        (302, True) if role in PREPARE_PAYOUTS else (403, False)
    )


@pytest.mark.parametrize("role", list(Role))
def test_list_shows_only_the_own_area(role, users, login, own_and_other):
    own, other = own_and_other(role)
    response = login(users[role]).get(reverse("payout-list"))
    if role not in VIEW_PAYOUTS:
        assert response.status_code == 403
        return
    shown = {b.pk for b in response.context["page"]}
    assert (own["batch"].pk in shown, other["batch"].pk in shown) == (True, False)


@pytest.mark.parametrize("role", list(Role))
def test_grade_rules_page_shows_the_own_county_and_adds_by_role(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    response = client.get(reverse("payout-grade-rules"))
    if role not in VIEW_PAYOUTS:
        assert response.status_code == 403
    else:
        shown = {r.pk for r in response.context["rules"]}
        # A township sees its county's rules; another county's never.
        assert own["rule"].pk in shown
        assert (other["rule"].pk in shown) == (own["rule"].county_id == other["rule"].county_id)
    posted = client.post(
        reverse("payout-grade-rules"),
        {"grade": "pass", "effective_from": "2026-03-01", "kind": "factor", "value": "1"},
    )
    assert posted.status_code == (302 if role in APPROVE_PAYOUTS else 403)


# --- API -----------------------------------------------------------------------------------------


def _api(name, pk=None):
    return reverse(f"api:payout-{name}", args=[pk] if pk is not None else [])


def _ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


LISTS = {
    "batch-list": lambda o: {o["batch"].pk},
    "line-list": lambda o: {o["line"].pk, o["held"].pk},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(LISTS))
def test_api_lists_show_the_own_area_only(name, role, users, login, own_and_other):
    own, other = own_and_other(role)
    response = login(users[role]).get(_api(name))
    if role not in VIEW_PAYOUTS:
        assert response.status_code == 403
        return
    ids = _ids(response)
    assert (ids & LISTS[name](own), ids & LISTS[name](other)) == (LISTS[name](own), set())


DETAILS = {
    "batch-detail": lambda o: o["batch"].pk,
    "line-detail": lambda o: o["line"].pk,
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(DETAILS))
def test_api_detail_own_200_other_404(name, role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    statuses = tuple(client.get(_api(name, DETAILS[name](o))).status_code for o in (own, other))
    assert statuses == ((200, 404) if role in VIEW_PAYOUTS else (403, 403))


@pytest.mark.parametrize("role", list(Role))
def test_api_grade_rules_own_county_and_create_by_role(role, users, login, area):
    own, other = (
        GradeRuleFactory(county=area.county),
        GradeRuleFactory(county=area.other_county, effective_from="2026-05-01"),
    )
    client = login(users[role])
    statuses = tuple(client.get(_api("grade-rule-detail", r.pk)).status_code for r in (own, other))
    created = client.post(
        _api("grade-rule-list"),
        {"grade": "pass", "effective_from": "2026-03-01", "factor": "1"},
        content_type="application/json",
    )
    listed = client.get(_api("grade-rule-list"))
    if role not in VIEW_PAYOUTS:
        assert (statuses, listed.status_code, created.status_code) == ((403, 403), 403, 403)
        return
    assert statuses == (200, 404)
    assert _ids(listed) == {own.pk} | (
        {created.json()["id"]} if created.status_code == 201 else set()
    )
    assert created.status_code == (201 if role in APPROVE_PAYOUTS else 403)


#: writes of one object → (the URL's object, the body, the roles that pass the role check, the
#: answer on the own area's object for each such role).
WRITES = {
    "batch-generate": (lambda o: o["batch"].pk, lambda o: {}, PREPARE_PAYOUTS, {Role.CLERK: 202}),
    "batch-transition": (
        lambda o: o["batch"].pk,
        lambda o: {"to": "submitted"},
        PREPARE_PAYOUTS | APPROVE_PAYOUTS,
        # The county passes the role check, and the service refuses it the township's move.
        {Role.CLERK: 200, Role.COUNTY: 400},
    ),
    "line-hold": (
        lambda o: o["line"].pk,
        lambda o: {"reason": "核查"},
        PREPARE_PAYOUTS,
        {Role.CLERK: 200},
    ),
    "line-release": (
        lambda o: o["held"].pk,
        lambda o: {"batch": o["batch"].pk},
        PREPARE_PAYOUTS,
        {Role.CLERK: 200},
    ),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(WRITES))
def test_api_writes_own_area_by_role_other_404(name, role, users, login, own_and_other):
    own, other = own_and_other(role)
    target, body, roles, answers = WRITES[name]
    client = login(users[role])
    statuses = tuple(
        client.post(_api(name, target(o)), body(o), content_type="application/json").status_code
        for o in (own, other)
    )
    assert statuses == ((answers[role], 404) if role in roles else (403, 403)), name
    assert PayoutBatch.objects.get(pk=other["batch"].pk).state == BatchState.DRAFT
    assert PayoutLine.objects.get(pk=other["line"].pk).status == LineStatus.PENDING
    assert PayoutLine.objects.get(pk=other["held"].pk).status == LineStatus.HELD
