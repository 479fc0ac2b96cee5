"""Every bank page of the payout for every role, in the user's own area and another (docs/
security.md: outside the area a 404, a role without the page a 403)."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from gongyi.enums import Role
from subsidies.payout.enums import BatchState
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
    AccountFixFactory,
    BankTemplateFactory,
    PaymentFileFactory,
    PayoutBatchFactory,
    PayoutLineFactory,
)
from tests.factories.attendance import AttendanceMonthFactory
from tests.factories.people import PlacementFactory
from tests.factories.posts import PostFactory

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


def _line(village, batch):
    row = AttendanceMonthFactory(
        placement=PlacementFactory(post=PostFactory(village=village), person__village=village)
    )
    return PayoutLineFactory(batch=batch, row=row, person_name=f"人{village.code}")


@pytest.fixture
def sides(area, users):
    """A batch with its payment file and an open account fix in 岱庙街道 (泰山区) and in 徐庄镇
    (山亭区); 省庄镇 (the clerk's sibling township) has a fix of its own."""
    from gongyi.models import Region

    made = {}
    for key, village in (
        ("own", area.village),
        ("sibling", area.far_village),
        ("other", Region.objects.get(code="370406106200")),
    ):
        batch = PayoutBatchFactory(
            region_code=village.code[:9], state=BatchState.FILE_ISSUED, created_by=users[Role.CLERK]
        )
        data = f"代发{key}".encode()
        path = default_storage.save(f"payout/files/{key}.txt", ContentFile(data))
        county = Region.objects.get(code=village.code[:6])
        PaymentFileFactory(
            batch=batch,
            template=BankTemplateFactory(county=county, name=f"模板{key}"),
            path=path,
            sha256=hashlib.sha256(data).hexdigest(),
        )
        fix = AccountFixFactory(line=_line(village, batch))
        made[key] = (batch, fix)
    return made


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
        assert str(sides["own"][0]) in page
        assert str(sides["other"][0]) not in page
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
