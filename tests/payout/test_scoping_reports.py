"""The payout reports for every role (tests/gongyi/test_scoping.py collects ``TESTED_URLS``):
a township reads its own figures, the county its townships', never another county's; the village
and the department reviewer are refused by role (403); the exports say the same; the months
paid on a person's file are the user's area's."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongyi.enums import Role
from subsidies.payout.roles import VIEW_PAYOUT_REPORTS
from tests.payout.reports import build_payouts

pytestmark = pytest.mark.django_db

TESTED_URLS = {"payout-report-month", "payout-report-year"}

#: The townships each role's report shows (another county's 徐庄镇 paid too, never shown).
SHOWN = {
    Role.COUNTY: ["岱庙街道", "省庄镇"],
    Role.FINANCE: ["岱庙街道", "省庄镇"],
    Role.ADMIN: ["岱庙街道", "省庄镇"],
    Role.CLERK: ["岱庙街道"],
}


@pytest.fixture
def payouts(area, users):
    return build_payouts(area)


def test_every_report_url_is_here():
    from subsidies.payout import report_urls

    assert {p.name for p in report_urls.urlpatterns} == TESTED_URLS


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", sorted(TESTED_URLS))
def test_report_shows_the_own_area_only(name, role, payouts, users, login):
    response = login(users[role]).get(reverse(name), {"month": "2026-11"})
    if role not in VIEW_PAYOUT_REPORTS:
        assert response.status_code == 403
        return
    report = response.context["report"]
    rows = report.rows if name == "payout-report-month" else report.townships
    assert [r.name for r in rows] == SHOWN[role]
    # Nothing of 山亭区's 2,100.00 in the total: 岱庙街道's 4,817.17, or with 省庄镇 5,817.17.
    assert report.total.total_fen == (481717 if role == Role.CLERK else 581717) + (
        210000 if name == "payout-report-year" else 0
    )


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", sorted(TESTED_URLS))
def test_report_export_has_the_own_area_only(name, role, payouts, users, login):
    response = login(users[role]).get(reverse(name), {"month": "2026-11", "format": "xlsx"})
    if role not in VIEW_PAYOUT_REPORTS:
        assert response.status_code == 403
        return
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0 if name == "payout-report-month" else 1]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [*SHOWN[role], "合计"]


def test_report_of_another_townships_clerk_has_none_of_this_one(payouts, area, login):
    from tests.factories import UserFactory

    clerk = UserFactory(username="clerk2", role=Role.CLERK, region=area.other_township)
    report = login(clerk).get(reverse("payout-report-month"), {"month": "2026-11"})
    assert [r.name for r in report.context["report"].rows] == ["省庄镇"]
    assert report.context["report"].total.total_fen == 100000


@pytest.mark.parametrize("role", list(Role))
def test_person_file_months_paid_by_role(role, payouts, users, login):
    """甲's file: a person of 岱庙街道, opened by whoever may open it; the months paid only for
    the roles that read payouts."""
    response = login(users[role]).get(reverse("person-detail", args=[payouts.people["甲"].pk]))
    if response.status_code != 200:
        assert role not in VIEW_PAYOUT_REPORTS
        return
    sections = response.context["file_sections"]
    months = [len(s["lines"]) for s in sections]
    assert months == ([2] if role in VIEW_PAYOUT_REPORTS else [])


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", sorted(TESTED_URLS))
def test_report_refuses_a_post(name, role, users, login):
    status = login(users[role]).post(reverse(name)).status_code
    assert status == (405 if role in VIEW_PAYOUT_REPORTS else 403)
