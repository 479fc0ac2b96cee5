"""Scoping proof of the payout's bank API (tests/gongyi/test_scoping.py collects ``TESTED_URLS``):
for every role, each route on an object of its own area answers (or is 403 for a role that may
not use it, whichever object is asked), and the same route on another area's object is a 404;
the lists show the own area only. The roles are the bank pages' (test_scoping_bank.py)."""

import pytest
from django.urls import reverse

from gongyi.enums import Role
from subsidies.payout.roles import (
    DOWNLOAD_PAYMENT_FILES,
    FIX_ACCOUNTS,
    ISSUE_PAYOUTS,
    MANAGE_BANK_TEMPLATES,
    READ_RETURNS,
    VIEW_ACCOUNT_FIXES,
    VIEW_BANK_FILES,
    VIEW_BANK_TEMPLATES,
)
from tests.factories import BankTemplateFactory
from tests.gongyi.test_scoping import all_url_names
from tests.payout.test_scoping_bank import COUNTY_WIDE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


TESTED_URLS = {
    "api:payout-bank-template-list",
    "api:payout-bank-template-detail",
    "api:payout-bank-batch-list",
    "api:payout-bank-batch-detail",
    "api:payout-bank-batch-issue",
    "api:payout-bank-batch-file",
    "api:payout-bank-batch-return",
    "api:payout-account-fix-list",
    "api:payout-account-fix-detail",
    "api:payout-account-fix-complete",
}


def test_every_bank_route_of_the_api_is_here():
    prefixes = ("api:payout-bank-", "api:payout-account-")
    assert {n for n in all_url_names() if n.startswith(prefixes)} == TESTED_URLS


def _pair(client, method, name, own, other, **kwargs):
    call = getattr(client, method)
    return (
        call(reverse(name, args=[own]), **kwargs).status_code,
        call(reverse(name, args=[other]), **kwargs).status_code,
    )


@pytest.mark.parametrize("role", list(Role))
def test_batch_routes_by_role_and_area(role, users, login, sides):
    client = login(users[role])
    own, other = sides["own"][0].pk, sides["other"][0].pk
    detail = _pair(client, "get", "api:payout-bank-batch-detail", own, other)
    assert detail == ((200, 404) if role in VIEW_BANK_FILES else (403, 403))
    download = _pair(client, "get", "api:payout-bank-batch-file", own, other)
    assert download == ((200, 404) if role in DOWNLOAD_PAYMENT_FILES else (403, 403))
    # The own batch's file is issued already, and no file is sent: the service or the body
    # refuses (400); another county's batch is not found.
    issue = _pair(client, "post", "api:payout-bank-batch-issue", own, other, data={"template": 1})
    assert issue == ((400, 404) if role in ISSUE_PAYOUTS else (403, 403))
    upload = _pair(client, "post", "api:payout-bank-batch-return", own, other)
    assert upload == ((400, 404) if role in READ_RETURNS else (403, 403))


@pytest.mark.parametrize("role", list(Role))
def test_batch_list_shows_the_own_area_only(role, users, login, sides):
    response = login(users[role]).get(reverse("api:payout-bank-batch-list"))
    if role not in VIEW_BANK_FILES:
        assert response.status_code == 403
        return
    ids = {b["id"] for b in response.json()["results"]}
    assert sides["own"][0].pk in ids
    assert sides["other"][0].pk not in ids
    assert (sides["sibling"][0].pk in ids) == (role in COUNTY_WIDE)
    own = next(b for b in response.json()["results"] if b["id"] == sides["own"][0].pk)
    assert own["payment_file"]["sha256"]


@pytest.mark.parametrize("role", list(Role))
def test_templates_by_role_and_area(role, users, login, area):
    client = login(users[role])
    own = BankTemplateFactory(county=area.county, name="本县")
    other = BankTemplateFactory(county=area.other_county, name="外县")
    shared = BankTemplateFactory(county=None, name="共用")
    detail = _pair(client, "get", "api:payout-bank-template-detail", own.pk, other.pk)
    assert detail == ((200, 404) if role in VIEW_BANK_TEMPLATES else (403, 403))
    listed = client.get(reverse("api:payout-bank-template-list"))
    if role in VIEW_BANK_TEMPLATES:
        names = {t["name"] for t in listed.json()["results"]}
        assert {"本县", "共用"} <= names and "外县" not in names
    else:
        assert listed.status_code == 403
    # An empty body is refused (400) for the county's own; another county's is not found.
    put = _pair(
        client,
        "put",
        "api:payout-bank-template-detail",
        own.pk,
        other.pk,
        data={},
        content_type="application/json",
    )
    assert put == ((400, 404) if role in MANAGE_BANK_TEMPLATES else (403, 403))
    created = client.post(
        reverse("api:payout-bank-template-list"), {}, content_type="application/json"
    )
    assert created.status_code == (400 if role in MANAGE_BANK_TEMPLATES else 403)
    assert shared.pk  # the shared one is read by every county (listed above)


@pytest.mark.parametrize("role", list(Role))
def test_fixes_by_role_and_area(role, users, login, sides):
    client = login(users[role])
    own, sibling = sides["own"][1].pk, sides["sibling"][1].pk
    detail = _pair(client, "get", "api:payout-account-fix-detail", own, sibling)
    if role not in VIEW_ACCOUNT_FIXES:
        assert detail == (403, 403)
    else:
        assert detail == ((200, 200) if role in COUNTY_WIDE else (200, 404))
    complete = _pair(client, "post", "api:payout-account-fix-complete", own, sibling)
    assert complete == ((400, 404) if role in FIX_ACCOUNTS else (403, 403))
    listed = client.get(reverse("api:payout-account-fix-list"))
    if role not in VIEW_ACCOUNT_FIXES:
        assert listed.status_code == 403
        return
    ids = {f["id"] for f in listed.json()["results"]}
    assert own in ids and sides["other"][1].pk not in ids
    assert (sibling in ids) == (role in COUNTY_WIDE)
