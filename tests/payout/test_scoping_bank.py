"""Every bank page of the payout for every role, in the user's own area and another (docs/
security.md: outside the area a 404, a role without the page a 403)."""

import pytest
from django.urls import reverse

from gongyi.enums import Role
from subsidies.payout.roles import (
    DOWNLOAD_PAYMENT_FILES,
    FIX_ACCOUNTS,
    MANAGE_BANK_TEMPLATES,
    READ_RETURNS,
    VIEW_ACCOUNT_FIXES,
    VIEW_BANK_FILES,
    VIEW_BANK_TEMPLATES,
)
from tests.factories import (
    BankTemplateFactory,
)

TESTED_URLS = {
    "payout-bank-batches",
    "payout-bank-batch",
    "payout-bank-download",
    "payout-bank-templates",
    "payout-bank-template-add",
    "payout-bank-template-edit",
    "payout-account-fixes",
    "payout-account-fix",
}
COUNTY_WIDE = {Role.COUNTY, Role.FINANCE, Role.ADMIN}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _expect(role, allowed):
    """(own, another county's) when allowed: 200 and 404."""
    return (200, 404) if role in allowed else (403, 403)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    ("name", "allowed"),
    [("payout-bank-batch", VIEW_BANK_FILES), ("payout-bank-download", DOWNLOAD_PAYMENT_FILES)],
)
def test_batch_pages_by_role_and_area(name, allowed, role, users, login, sides):
    client = login(users[role])
    own = client.get(reverse(name, args=[sides["own"][0].pk])).status_code
    other = client.get(reverse(name, args=[sides["other"][0].pk])).status_code
    assert (own, other) == _expect(role, allowed)


@pytest.mark.parametrize("role", list(Role))
def test_template_edit_by_role_and_area(role, users, login, sides, area):
    client = login(users[role])
    own = BankTemplateFactory(county=area.county, name="本县")
    other = BankTemplateFactory(county=area.other_county, name="外县")
    statuses = (
        client.get(reverse("payout-bank-template-edit", args=[own.pk])).status_code,
        client.get(reverse("payout-bank-template-edit", args=[other.pk])).status_code,
    )
    assert statuses == _expect(role, MANAGE_BANK_TEMPLATES)
    add = client.get(reverse("payout-bank-template-add")).status_code
    assert add == (200 if role in MANAGE_BANK_TEMPLATES else 403)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("payout-bank-batches", VIEW_BANK_FILES),
        ("payout-bank-templates", VIEW_BANK_TEMPLATES),
        ("payout-account-fixes", VIEW_ACCOUNT_FIXES),
    ],
)
def test_lists_show_only_the_own_area(name, allowed, role, users, login, sides):
    response = login(users[role]).get(reverse(name))
    if role not in allowed:
        assert response.status_code == 403
        return
    page = response.content.decode()
    if name == "payout-bank-batches":
        # Each batch is a link to its bank page, named by its township (岱庙街道, 徐庄镇).
        assert reverse("payout-bank-batch", args=[sides["own"][0].pk]) in page
        assert reverse("payout-bank-batch", args=[sides["other"][0].pk]) not in page
        assert ("岱庙街道" in page, "徐庄镇" in page) == (True, False)
    elif name == "payout-bank-templates":
        assert ("模板own" in page, "模板other" in page) == (True, False)
    else:
        assert "人370902001001" in page
        assert "人370406106200" not in page
        assert ("人370902100200" in page) == (role in COUNTY_WIDE)


@pytest.mark.parametrize("role", list(Role))
def test_posts_by_role_and_area(role, users, login, sides):
    client = login(users[role])
    for action, allowed in (("issue", {Role.COUNTY}), ("return", READ_RETURNS)):
        own = client.post(
            reverse("payout-bank-batch", args=[sides["own"][0].pk]), {"action": action}
        ).status_code
        other = client.post(
            reverse("payout-bank-batch", args=[sides["other"][0].pk]), {"action": action}
        ).status_code
        assert (own, other) == ((302, 404) if role in allowed else (403, 403))
    own = client.post(reverse("payout-account-fix", args=[sides["own"][1].pk])).status_code
    sibling = client.post(reverse("payout-account-fix", args=[sides["sibling"][1].pk])).status_code
    assert (own, sibling) == ((302, 404) if role in FIX_ACCOUNTS else (403, 403))
