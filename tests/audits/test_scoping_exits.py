"""Every page and API route of exits and recovery for every role, in its own area and in a
sibling's (tests/gongyi/test_scoping.py collects ``TESTED_URLS``): outside the area a 404, a role
that may not use it a 403 (``audits.exits.roles``)."""

import pytest
from django.urls import reverse

from audits.exits.roles import RECORD_EXITS, RECORD_REPAYMENTS, VIEW_EXITS
from audits.models import Repayment
from gongyi.enums import Role
from gongyi.models import Region
from tests.factories import PlacementFactory, PostFactory
from tests.factories.audits import DebtFactory
from tests.gongyi.test_scoping import all_url_names, own_and_sibling

pytestmark = pytest.mark.django_db

TESTED_URLS = {
    "exit-list",
    "exit-create",
    "exit-detail",
    "exit-notice",
    "exit-notice-pdf",
    "debt-list",
    "debt-export",
    "debt-detail",
    "api:exit-list",
    "api:exit-detail",
    "api:exit-collect",
    "api:debt-list",
    "api:debt-detail",
    "api:debt-repayments",
    "api:debt-offset",
    "api:debt-transition",
    "api:debt-ageing",
}


def test_every_exits_url_is_here():
    from audits.exits import api_urls, urls

    pages = {p.name for p in urls.urlpatterns}
    bases = tuple(f"api:{basename}-" for _p, _v, basename in api_urls.api_routes)
    assert pages | {n for n in all_url_names() if n.startswith(bases)} == TESTED_URLS


def _village(region: Region) -> Region:
    if len(region.code) == 12:
        return region
    return Region.objects.filter(code__startswith=region.code, level="village").order_by("code")[0]


def objects_in(region: Region) -> dict:
    village = _village(region)
    placement = PlacementFactory(post=PostFactory(village=village), person__village=village)
    debt = DebtFactory(
        exit__placement__post__village=village, exit__placement__person__village=village
    )
    return {"placement": placement, "exit": debt.exit, "debt": debt}


@pytest.fixture
def own_and_other(area):
    def build(role):
        own, other = own_and_sibling(area, Role.CLERK if role == Role.VILLAGE else role)
        return objects_in(own), objects_in(other)

    return build


OBJECT_PAGES = {
    "exit-detail": ("exit", VIEW_EXITS),
    "exit-notice": ("exit", VIEW_EXITS),
    "debt-detail": ("debt", VIEW_EXITS),
    "exit-create": ("placement", RECORD_EXITS),
    "api:exit-detail": ("exit", VIEW_EXITS),
    "api:debt-detail": ("debt", VIEW_EXITS),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(OBJECT_PAGES))
def test_object_pages_own_200_other_404(name, role, users, login, own_and_other):
    key, roles = OBJECT_PAGES[name]
    own, other = own_and_other(role)
    client = login(users[role])
    statuses = tuple(client.get(reverse(name, args=[o[key].pk])).status_code for o in (own, other))
    assert statuses == ((200, 404) if role in roles else (403, 403))


def test_notice_pdf_own_area(users, login, own_and_other):
    own, other = own_and_other(Role.CLERK)
    client = login(users[Role.CLERK])
    pdf = client.get(reverse("exit-notice-pdf", args=[own["exit"].pk]))
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert client.get(reverse("exit-notice-pdf", args=[other["exit"].pk])).status_code == 404


LISTS = {
    "exit-list": lambda r: {e.pk for e in r.context["page"]},
    "debt-list": lambda r: {d.pk for d in r.context["page"]},
    "api:exit-list": lambda r: {row["id"] for row in r.json()["results"]},
    "api:debt-list": lambda r: {row["id"] for row in r.json()["results"]},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(LISTS))
def test_lists_show_only_the_own_area(name, role, users, login, own_and_other):
    own, other = own_and_other(role)
    response = login(users[role]).get(reverse(name))
    if role not in VIEW_EXITS:
        assert response.status_code == 403
        return
    key = "exit" if "exit" in name else "debt"
    assert (own[key].pk in LISTS[name](response), other[key].pk in LISTS[name](response)) == (
        True,
        False,
    )


@pytest.mark.parametrize("role", list(Role))
def test_ageing_and_export_by_role(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    ageing = client.get(reverse("api:debt-ageing"))
    export = client.get(reverse("debt-export"))
    if role not in VIEW_EXITS:
        assert (ageing.status_code, export.status_code) == (403, 403)
        return
    codes = {row["code"] for row in ageing.json()}
    assert (own["debt"].region_code[:9] in codes, other["debt"].region_code[:9] in codes) == (
        True,
        False,
    )
    assert export.status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_writes_on_another_area_are_404_or_403(role, users, login, own_and_other):
    _own, other = own_and_other(role)
    client = login(users[role])
    debt = other["debt"]
    body = {"paid_on": "2026-12-01", "amount_fen": 100, "receipt_number": "X"}
    page = client.post(
        reverse("debt-detail", args=[debt.pk]),
        {"action": "repay", "paid_on": "2026-12-01", "amount": "1", "receipt_number": "X"},
    )
    api = client.post(
        reverse("api:debt-repayments", args=[debt.pk]), body, content_type="application/json"
    )
    collect = client.post(reverse("api:exit-collect", args=[other["exit"].pk]))
    offset = client.post(
        reverse("api:debt-offset", args=[debt.pk]),
        {"line": 1, "amount_fen": 1},
        content_type="application/json",
    )
    transition = client.post(
        reverse("api:debt-transition", args=[debt.pk]),
        {"to": "write_off_asked", "reason": "x"},
        content_type="application/json",
    )
    view = 404 if role in VIEW_EXITS else 403
    assert page.status_code == view
    assert api.status_code == (404 if role in RECORD_REPAYMENTS else 403)
    assert offset.status_code == (404 if role in RECORD_REPAYMENTS else 403)
    assert transition.status_code == (404 if role in {Role.CLERK, Role.COUNTY} else 403)
    assert collect.status_code == (404 if role in {Role.CLERK, Role.COUNTY} else 403)
    assert not Repayment.objects.exists()


@pytest.mark.parametrize("role", list(Role))
def test_api_exit_create_by_role(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])

    def create(o):
        return client.post(
            reverse("api:exit-list"),
            {
                "placement": o["placement"].pk,
                "kind": "own_choice",
                "effective_date": "2026-11-30",
                "reason": "本人申请",
                "decided_by": "街道办",
                "decided_on": "2026-11-30",
            },
            content_type="application/json",
        ).status_code

    statuses = (create(other), create(own))
    # Outside the area the service finds nothing (400, saying nothing of it).
    assert statuses == ((400, 201) if role in RECORD_EXITS else (403, 403))
