"""The year's insurance as payout batches (docs/policy.md §7, "Insurance"): the social-insurance
subsidy refunded to flexible workers on urban posts, pro rata by months on the post; the accident
insurance's insured list, added and leaving; generated twice the same; one live line per
placement, year and kind held by the database; the same moves, approval and payment file."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from gongyi.enums import Role
from gongyi.errors import DomainError
from people.models import Person, Placement
from subsidies.payout.enums import BatchKind, BatchState, LineStatus
from subsidies.payout.insurance import ADDED, INSURED, LEAVING, insured_lists
from subsidies.payout.models import PayoutBatch, PayoutLine
from subsidies.payout.policy import ACCIDENT_POLICY_MONTH, ACCIDENT_PREMIUM
from subsidies.payout.services import (
    accident_premium_pay,
    flexible_insurance_record,
    flexible_insurance_withdraw,
    payout_batch_generate,
    payout_batch_open,
    payout_batch_transition,
    payout_file_issue,
)
from tests.factories import (
    BankTemplateFactory,
    PayoutBatchFactory,
    PayoutLineFactory,
    PlacementFactory,
    PolicySettingFactory,
    PostFactory,
)
from tests.payout.bank import accounts_on_file

YEAR = 2025
JAN = dt.date(YEAR, 1, 1)


@dataclass
class Year:
    """岱庙街道's 2025: on an urban hourly post, ``whole`` all year and ``mid`` from 15 July,
    both insured as flexible workers, ``uninsured`` not, ``left`` insured and gone on 10 March;
    on rural posts ``rural`` all year, ``added`` from 1 May, ``leaving`` until 31 August and
    ``gone`` who left in 2024."""

    whole: Placement
    mid: Placement
    uninsured: Placement
    left: Placement
    rural: Placement
    added: Placement
    leaving: Placement
    gone: Placement


def _placement(post, start, end=None):
    return PlacementFactory(post=post, person__village=post.village, start_date=start, end_date=end)


@pytest.fixture
def year(area, clerk) -> Year:
    urban = PostFactory(
        village=area.village,
        work_pattern="hourly",
        monthly_subsidy=None,
        hourly_rate=Decimal(21),
        hours_per_week=Decimal("9.5"),
        headcount=10,
    )
    rural = PostFactory(village=area.village, area_kind="rural", headcount=10)
    made = Year(
        whole=_placement(urban, dt.date(2024, 6, 1)),
        mid=_placement(urban, dt.date(2025, 7, 15)),
        uninsured=_placement(urban, dt.date(2024, 6, 1)),
        left=_placement(urban, dt.date(2024, 1, 1), dt.date(2025, 3, 10)),
        rural=_placement(rural, dt.date(2024, 3, 1)),
        added=_placement(rural, dt.date(2025, 5, 1)),
        leaving=_placement(rural, dt.date(2024, 3, 1), dt.date(2025, 8, 31)),
        gone=_placement(rural, dt.date(2023, 3, 1), dt.date(2024, 12, 31)),
    )
    for placement in (made.whole, made.mid, made.left):
        flexible_insurance_record(
            actor=clerk, placement_id=placement.pk, year=YEAR, evidence="缴费凭证"
        )
    PolicySettingFactory(
        county=area.county, key=ACCIDENT_PREMIUM, value=120, effective_from=dt.date(2020, 1, 1)
    )
    return made


def generate(clerk, kind, month=JAN):
    batch = payout_batch_open(actor=clerk, month=month, kind=kind)
    return payout_batch_generate(actor=clerk, batch_id=batch.pk)


def amounts(batch) -> dict[int, int]:
    return dict(batch.lines.values_list("placement_id", "amount_fen"))


def test_social_insurance_refunds_a_whole_year_and_the_months_on_the_post(year, clerk):
    made = generate(clerk, BatchKind.SOCIAL_INSURANCE, dt.date(YEAR, 6, 1))
    batch = made.batch
    assert (batch.month, batch.kind) == (JAN, BatchKind.SOCIAL_INSURANCE)
    # 2,000.00 a year; July to December 6/12; January to March 3/12; the uninsured nothing.
    assert amounts(batch) == {year.whole.pk: 200000, year.mid.pk: 100000, year.left.pk: 50000}
    assert (made.made.lines, made.made.total_fen) == (3, 350000)
    line = batch.lines.get(placement=year.mid)
    assert line.reasons == [
        {"rule": "social_insurance", "yearly": 200000, "months": 6, "amount": 100000}
    ]
    assert (line.kind, line.row_id, line.account_number) == (
        BatchKind.SOCIAL_INSURANCE,
        None,
        year.mid.person.account_number,
    )


def test_social_insurance_whole_year_amount_when_the_county_says_so(year, clerk, area):
    from subsidies.payout.policy import SOCIAL_INSURANCE_PRO_RATA

    PolicySettingFactory(
        county=area.county,
        key=SOCIAL_INSURANCE_PRO_RATA,
        value=0,
        effective_from=dt.date(2020, 1, 1),
    )
    batch = generate(clerk, BatchKind.SOCIAL_INSURANCE).batch
    assert set(amounts(batch).values()) == {200000}


def test_no_social_insurance_subsidy_without_the_flexible_worker_record(year, clerk):
    batch = generate(clerk, BatchKind.SOCIAL_INSURANCE).batch
    assert not batch.lines.filter(placement=year.uninsured).exists()


def test_a_flexible_worker_record_only_on_a_social_insurance_post_and_year(year, clerk):
    with pytest.raises(DomainError, match="意外伤害保险"):
        flexible_insurance_record(actor=clerk, placement_id=year.rural.pk, year=YEAR)
    with pytest.raises(DomainError, match="不在岗"):
        flexible_insurance_record(actor=clerk, placement_id=year.mid.pk, year=2024)


def test_a_flexible_worker_record_is_withdrawn_only_before_its_refund(year, clerk):
    from subsidies.payout.models import FlexibleInsurance

    record = FlexibleInsurance.objects.get(placement=year.whole, year=YEAR)
    generate(clerk, BatchKind.SOCIAL_INSURANCE)
    with pytest.raises(DomainError):
        flexible_insurance_withdraw(actor=clerk, record_id=record.pk)
    other = FlexibleInsurance.objects.get(placement=year.left, year=YEAR)
    PayoutLine.objects.filter(placement=year.left).update(status=LineStatus.FAILED)
    flexible_insurance_withdraw(actor=clerk, record_id=other.pk)
    assert not FlexibleInsurance.objects.filter(pk=other.pk).exists()


def test_social_insurance_is_not_refunded_before_the_years_december(year, clerk, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2026, 11, 30))
    with pytest.raises(DomainError, match="12月"):
        payout_batch_open(actor=clerk, month=dt.date(2026, 3, 1), kind=BatchKind.SOCIAL_INSURANCE)
    with pytest.raises(DomainError, match="尚未开始"):
        payout_batch_open(actor=clerk, month=dt.date(2027, 1, 1), kind=BatchKind.ACCIDENT_INSURANCE)
    # The accident insurance of the year is bought at its start.
    batch = payout_batch_open(
        actor=clerk, month=dt.date(2026, 3, 1), kind=BatchKind.ACCIDENT_INSURANCE
    )
    assert batch.month == dt.date(2026, 1, 1)


def test_accident_insurance_lists_the_insured_the_added_and_the_leaving(year, clerk):
    batch = generate(clerk, BatchKind.ACCIDENT_INSURANCE).batch
    # The rural posts' people on a post in the year, and the urban hourly worker not insured
    # as a flexible worker; 120.00 each, the insurer paid premium × people.
    people = {year.rural.pk, year.added.pk, year.leaving.pk, year.uninsured.pk}
    assert amounts(batch) == {pk: 12000 for pk in people}
    lists = insured_lists(batch)
    by = {key: {p.line_id: p for p in value} for key, value in lists.items()}
    line_of = dict(batch.lines.values_list("placement_id", "pk"))
    assert set(by[INSURED]) == {
        line_of[year.rural.pk],
        line_of[year.leaving.pk],
        line_of[year.uninsured.pk],
    }
    assert set(by[ADDED]) == {line_of[year.added.pk]}
    assert set(by[LEAVING]) == {line_of[year.leaving.pk]}
    added = by[ADDED][line_of[year.added.pk]]
    assert (added.cover_from, added.cover_until) == (dt.date(YEAR, 5, 1), dt.date(YEAR, 12, 31))
    leaving = by[LEAVING][line_of[year.leaving.pk]]
    assert (leaving.cover_from, leaving.cover_until) == (JAN, dt.date(YEAR, 8, 31))
    assert leaving.village == "甲社区"


def test_accident_insurance_lists_from_the_policys_month(year, clerk, area):
    PolicySettingFactory(
        county=area.county, key=ACCIDENT_POLICY_MONTH, value=6, effective_from=dt.date(2020, 1, 1)
    )
    batch = generate(clerk, BatchKind.ACCIDENT_INSURANCE).batch
    lists = insured_lists(batch)
    line_of = dict(batch.lines.values_list("placement_id", "pk"))
    # The list is of 1 June: who started on 1 May is on it; nobody came after.
    assert {p.line_id for p in lists[INSURED]} >= {line_of[year.added.pk]}
    assert lists[ADDED] == []


def test_accident_insurance_needs_the_premium(area, clerk):
    PostFactory(village=area.village, area_kind="rural")
    PolicySettingFactory(
        county=area.county, key=ACCIDENT_PREMIUM, value=0, effective_from=dt.date(2020, 1, 1)
    )
    with pytest.raises(DomainError, match="保费"):
        generate(clerk, BatchKind.ACCIDENT_INSURANCE)


def test_generating_an_insurance_batch_twice_gives_the_same_batch(year, clerk):
    first = generate(clerk, BatchKind.SOCIAL_INSURANCE)
    again = generate(clerk, BatchKind.SOCIAL_INSURANCE, dt.date(YEAR, 11, 1))
    assert again.batch.pk == first.batch.pk
    assert (again.made.lines, first.batch.lines.count()) == (0, 3)
    # Someone who came since is added, and only they.
    late = _placement(year.whole.post, dt.date(2025, 10, 1))
    flexible_insurance_record(actor=clerk, placement_id=late.pk, year=YEAR)
    third = generate(clerk, BatchKind.SOCIAL_INSURANCE)
    assert (third.made.lines, third.made.total_fen) == (1, 50000)


def test_the_database_refuses_a_second_live_insurance_line(year, clerk):
    line = generate(clerk, BatchKind.SOCIAL_INSURANCE).batch.lines.first()
    other = PayoutBatch.objects.create(
        region_code=line.batch.region_code,
        month=JAN,
        kind=BatchKind.SOCIAL_INSURANCE,
        sequence=1,
        follows_batch=line.batch,
        created_by=clerk,
    )
    line.pk, line.batch = None, other
    with pytest.raises(IntegrityError, match="payout_line_one_live_yearly"), transaction.atomic():
        line.save()
    # Of another yearly kind, the same placement and year is another line.
    line.kind = BatchKind.ACCIDENT_INSURANCE
    line.save()


def test_insurance_lines_leave_the_monthly_subsidy_of_january_alone(area, clerk):
    """The yearly line's month is 1 January: the monthly index does not take it for January's
    subsidy, and the monthly index still refuses a second January."""
    batch = PayoutBatchFactory(region_code=area.township.code, month=dt.date(2026, 1, 1))
    monthly = PayoutLineFactory(batch=batch, row__month=dt.date(2026, 1, 1))
    assert monthly.kind == BatchKind.URBAN
    yearly_batch = PayoutBatch.objects.create(
        region_code=area.township.code,
        month=dt.date(2026, 1, 1),
        kind=BatchKind.SOCIAL_INSURANCE,
        created_by=clerk,
    )
    PayoutLineFactory(
        batch=yearly_batch, row=monthly.row, placement=monthly.placement, month=monthly.month
    )
    second = PayoutBatch.objects.create(
        region_code=area.township.code,
        month=dt.date(2026, 1, 1),
        kind=BatchKind.URBAN,
        sequence=1,
        follows_batch=batch,
        created_by=clerk,
    )
    with pytest.raises(IntegrityError, match="payout_line_one_live"), transaction.atomic():
        PayoutLineFactory(batch=second, row=monthly.row)


def test_insurance_batches_move_as_every_payout_batch(year, users, clerk, area):
    county = users[Role.COUNTY]
    accounts_on_file(area.township.code)
    batch = generate(clerk, BatchKind.SOCIAL_INSURANCE).batch
    payout_batch_transition(actor=clerk, batch_id=batch.pk, to=BatchState.SUBMITTED)
    with pytest.raises(DomainError):  # the approver is never the preparer
        payout_batch_transition(actor=clerk, batch_id=batch.pk, to=BatchState.APPROVED)
    payout_batch_transition(actor=county, batch_id=batch.pk, to=BatchState.APPROVED)
    # No subsidy month is counted for a yearly line.
    assert set(Person.objects.values_list("subsidy_months_used", flat=True)) == {0}
    issued = payout_file_issue(
        actor=county, batch_id=batch.pk, template_id=BankTemplateFactory(county=area.county).pk
    )
    assert (issued.lines, issued.total_fen) == (3, 350000)


def test_the_accident_premium_is_paid_to_the_insurer_not_by_payment_file(year, users, clerk, area):
    county = users[Role.COUNTY]
    batch = generate(clerk, BatchKind.ACCIDENT_INSURANCE).batch
    payout_batch_transition(actor=clerk, batch_id=batch.pk, to=BatchState.SUBMITTED)
    payout_batch_transition(actor=county, batch_id=batch.pk, to=BatchState.APPROVED)
    with pytest.raises(DomainError, match="保险公司"):
        payout_file_issue(
            actor=county, batch_id=batch.pk, template_id=BankTemplateFactory(county=area.county).pk
        )
    paid = accident_premium_pay(actor=county, batch_id=batch.pk)
    assert paid.state == BatchState.RETURNED
    assert set(batch.lines.values_list("status", flat=True)) == {LineStatus.PAID}
    payout_batch_transition(actor=county, batch_id=batch.pk, to=BatchState.CLOSED)


# --- pages ---------------------------------------------------------------------------------------


def test_the_clerk_makes_the_years_insurance_from_the_list_page(
    year, clerk, login, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    client = login(clerk)
    page = client.get(reverse("payout-list"))
    assert "生成年度保险批次" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("payout-list"), {"year": str(YEAR), "kind": BatchKind.ACCIDENT_INSURANCE}
        )
    batch = PayoutBatch.objects.get(kind=BatchKind.ACCIDENT_INSURANCE)
    assert (response.status_code, response.url) == (302, reverse("payout-batch", args=[batch.pk]))
    assert (batch.month, batch.lines.count()) == (JAN, 4)
    body = client.get(reverse("payout-batch", args=[batch.pk])).content.decode()
    assert f"{YEAR}年意外伤害保险" in body
    listed = client.get(reverse("payout-list")).content.decode()
    assert "意外伤害保险" in listed


def test_the_insurers_workbook_has_the_three_lists_in_chinese(year, clerk, users, login):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    from gongyi.models import AuditEntry

    batch = generate(clerk, BatchKind.ACCIDENT_INSURANCE).batch
    response = login(users[Role.FINANCE]).get(reverse("payout-insured-lists", args=[batch.pk]))
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["参保人员", "年内新增人员", "年内减少人员"]
    rows = [list(r) for r in book["年内减少人员"].iter_rows(values_only=True)]
    assert rows[0] == ["姓名", "身份证号", "岗位", "村（社区）", "保障期间"]
    assert rows[1][1] == year.leaving.person.id_number
    assert rows[1][4] == f"{YEAR}-01-01 至 {YEAR}-08-31"
    assert AuditEntry.objects.filter(action="export", object_pk=str(batch.pk)).exists()


def test_the_flexible_workers_page_records_a_person(year, clerk, login):
    from django.urls import reverse

    from subsidies.payout.models import FlexibleInsurance

    client = login(clerk)
    url = reverse("payout-flexible-insurance")
    shown = {p.pk for p in client.get(f"{url}?year={YEAR}").context["page"]}
    assert shown == {year.whole.pk, year.mid.pk, year.uninsured.pk, year.left.pk}
    response = client.post(
        url,
        {"action": "record", "placement": year.uninsured.pk, "year": YEAR, "evidence": "凭证1"},
    )
    assert response.status_code == 302
    record = FlexibleInsurance.objects.get(placement=year.uninsured, year=YEAR)
    assert (record.evidence, record.recorded_by) == ("凭证1", clerk)


# --- API -----------------------------------------------------------------------------------------


def test_the_api_opens_a_yearly_kind_and_shows_it(
    year, clerk, users, login, django_capture_on_commit_callbacks
):
    batches = "/api/v1/payout/batches/"
    client = login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            batches,
            {"month": f"{YEAR}-06", "kind": "social_insurance"},
            content_type="application/json",
        )
    assert response.status_code == 202, response.json()
    data = response.json()["batch"]
    assert (data["month"], data["kind"]) == (f"{YEAR}-01-01", "social_insurance")
    listed = client.get(batches, {"kind": "social_insurance"}).json()["results"]
    assert [(b["id"], b["total_fen"]) for b in listed] == [(data["id"], 350000)]
    lines = client.get("/api/v1/payout/lines/", {"batch": data["id"]}).json()["results"]
    assert {line["kind"] for line in lines} == {"social_insurance"}
    # The premium is the accident insurance's only, and the county's.
    county = login(users[Role.COUNTY])
    refused = county.post(f"{batches}{data['id']}/premium/")
    assert refused.status_code == 400 and refused.json()["detail"]
