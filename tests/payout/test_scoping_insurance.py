"""The insurance's pages and API route for every role, in its own area and in a sibling's
(docs/policy.md §7, "Insurance"; tests/gongyi/test_scoping.py collects ``TESTED_URLS``): outside
the area a 404 or nothing changed, a role that may not use it a 403."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from gongyi.enums import Role
from gongyi.models import Region
from subsidies.payout import generation
from subsidies.payout.enums import BatchKind, BatchState
from subsidies.payout.models import FlexibleInsurance, PayoutBatch
from subsidies.payout.roles import (
    DOWNLOAD_PAYMENT_FILES,
    ISSUE_PAYOUTS,
    PREPARE_PAYOUTS,
    VIEW_PAYOUTS,
)
from tests.factories import FlexibleInsuranceFactory, PlacementFactory, PostFactory
from tests.factories.payout import PayoutBatchFactory, PayoutLineFactory
from tests.gongyi.test_scoping import own_and_sibling

pytestmark = pytest.mark.django_db

TESTED_URLS = {
    "payout-flexible-insurance",
    "payout-insured-lists",
    "payout-premium-paid",
    "api:payout-batch-premium",
}


def _under(region: Region, level: str) -> Region:
    if region.level == level:
        return region
    return Region.objects.filter(code__startswith=region.code, level=level).order_by("code")[0]


def objects_in(region: Region) -> dict:
    """Under ``region``: an approved accident insurance batch of 2026 with a line (its hash the
    snapshot's); a person on an urban post recorded as a flexible worker in 2026, and one not."""
    township = _under(region, "township")
    village = _under(township, "village")
    batch = PayoutBatchFactory(
        region_code=township.code,
        month=dt.date(2026, 1, 1),
        kind=BatchKind.ACCIDENT_INSURANCE,
        state=BatchState.APPROVED,
    )
    PayoutLineFactory(batch=batch, region_code=village.code, amount_fen=10000)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE payout_payoutline l SET hash = {generation.LINE_HASH_SQL}"
            " WHERE l.batch_id = %s",
            [batch.pk],
        )
    post = PostFactory(village=village)
    record = FlexibleInsuranceFactory(
        placement=PlacementFactory(post=post, person__village=village)
    )
    bare = PlacementFactory(post=post, person__village=village)
    return {"batch": batch, "record": record, "bare": bare}


@pytest.fixture
def own_and_other(area):
    def build(role):
        own, other = own_and_sibling(area, Role.CLERK if role == Role.VILLAGE else role)
        return objects_in(own), objects_in(other)

    return build


@pytest.mark.parametrize("role", list(Role))
def test_flexible_page_shows_only_the_own_area(role, users, login, own_and_other):
    own, _other = own_and_other(role)
    response = login(users[role]).get(reverse("payout-flexible-insurance") + "?year=2026")
    if role not in VIEW_PAYOUTS:
        assert response.status_code == 403
        return
    shown = {p.pk for p in response.context["page"]}
    assert shown == {own["record"].placement_id, own["bare"].pk}


@pytest.mark.parametrize("role", list(Role))
def test_flexible_records_of_another_area_are_not_changed(role, users, login, own_and_other):
    _own, other = own_and_other(role)
    client = login(users[role])
    url = reverse("payout-flexible-insurance")
    record = client.post(url, {"action": "record", "placement": other["bare"].pk, "year": 2026})
    withdraw = client.post(url, {"action": "withdraw", "record": other["record"].pk})
    expected = 302 if role in PREPARE_PAYOUTS else 403
    assert (record.status_code, withdraw.status_code) == (expected, expected)
    assert not FlexibleInsurance.objects.filter(placement=other["bare"]).exists()
    assert FlexibleInsurance.objects.filter(pk=other["record"].pk).exists()


@pytest.mark.parametrize("role", list(Role))
def test_flexible_record_in_the_own_area_by_role(role, users, login, own_and_other):
    own, _other = own_and_other(role)
    response = login(users[role]).post(
        reverse("payout-flexible-insurance"),
        {"action": "record", "placement": own["bare"].pk, "year": 2026, "evidence": "凭证"},
    )
    recorded = FlexibleInsurance.objects.filter(placement=own["bare"], year=2026).exists()
    assert (response.status_code, recorded) == (
        (302, True) if role in PREPARE_PAYOUTS else (403, False)
    )


@pytest.mark.parametrize("role", list(Role))
def test_insured_lists_own_200_other_404(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    statuses = tuple(
        client.get(reverse("payout-insured-lists", args=[o["batch"].pk])).status_code
        for o in (own, other)
    )
    assert statuses == ((200, 404) if role in DOWNLOAD_PAYMENT_FILES else (403, 403))


@pytest.mark.parametrize("role", list(Role))
def test_premium_paid_own_area_only(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    other_status = client.post(reverse("payout-premium-paid", args=[other["batch"].pk]))
    api_other = client.post(reverse("api:payout-batch-premium", args=[other["batch"].pk]))
    own_status = client.post(reverse("payout-premium-paid", args=[own["batch"].pk]))
    allowed = role in ISSUE_PAYOUTS
    assert (other_status.status_code, own_status.status_code) == (
        (404, 302) if allowed else (403, 403)
    )
    assert api_other.status_code == (404 if allowed else 403)
    assert PayoutBatch.objects.get(pk=other["batch"].pk).state == BatchState.APPROVED
    own_state = PayoutBatch.objects.get(pk=own["batch"].pk).state
    assert own_state == (BatchState.RETURNED if allowed else BatchState.APPROVED)
