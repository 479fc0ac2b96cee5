"""What the payout pages tell their users on the way (found walking the journey in the browser,
tests/browser/test_payout_journey.py): the line the payment file will stop, shown before it is
issued; the way from a batch to its bank side; a follow-up batch named as one, without the
button that cannot work on it; the generation's message once the job has ended; a bank's reason
said once; a failed line left out of what its batch paid; no empty column of actions."""

import pytest
from django.urls import reverse

from gongyi.enums import Role
from people.models import Person
from subsidies.payout.amount import yuan
from subsidies.payout.enums import BatchKind, BatchState
from subsidies.payout.models import AccountFix, PayoutBatch
from subsidies.payout.services import (
    payout_batch_generate,
    payout_batch_open,
    payout_batch_transition,
    payout_file_issue,
    payout_return_read,
)
from tests.attendance.conftest import NOV
from tests.payout.bank import accounts_on_file, approved_batch, return_text, text_template

pytestmark = pytest.mark.django_db

STOP_FLAG = "出具代发文件时将被拦截："


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _page(batch) -> str:
    return reverse("payout-batch", args=[batch.pk])


def test_a_job_not_run_yet_is_being_made(closed, users, login):
    client = login(users[Role.CLERK])
    response = client.post(reverse("payout-list"), {"month": "2026-11", "kind": "urban"})
    assert "正在生成发放批次的明细" in client.get(response["Location"]).content.decode()


def test_the_line_the_payment_file_will_stop_is_shown_before_the_file(closed, users, area, login):
    clerk = users[Role.CLERK]
    accounts_on_file(area.township.code)
    Person.objects.filter(pk=closed.a.placement.person_id).update(account_number="62170011O2")
    batch = payout_batch_open(actor=clerk, month=NOV, kind=BatchKind.URBAN)
    payout_batch_generate(actor=clerk, batch_id=batch.pk)
    body = login(clerk).get(_page(batch)).content.decode()
    assert body.count(STOP_FLAG) == 1
    assert "62170011O2 含有数字以外的字符" in body
    payout_batch_transition(actor=clerk, batch_id=batch.pk, to=BatchState.SUBMITTED)
    # The county sees it too before approving.
    assert login(users[Role.COUNTY]).get(_page(batch)).content.decode().count(STOP_FLAG) == 1


def test_the_batch_page_leads_the_county_to_its_bank_side(closed, users, area, login):
    bank_page = reverse("payout-bank-batch", args=[approved_batch(users, area).pk])
    batch = PayoutBatch.objects.get()
    assert bank_page in login(users[Role.COUNTY]).get(_page(batch)).content.decode()
    assert bank_page in login(users[Role.FINANCE]).get(_page(batch)).content.decode()
    assert bank_page not in login(users[Role.CLERK]).get(_page(batch)).content.decode()


def test_the_lines_have_an_actions_column_only_for_the_township(closed, users, area, login):
    batch = approved_batch(users, area)
    actions = '<th class="no-print"></th>'
    assert actions in login(users[Role.CLERK]).get(_page(batch)).content.decode()
    assert actions not in login(users[Role.COUNTY]).get(_page(batch)).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_generations_message_says_made_once_the_job_has_ended(closed, users, login):
    # Outside a test transaction the job runs as the request commits (the eager worker of the
    # tests, or a quick one), before the page is sent.
    client = login(users[Role.CLERK])
    response = client.post(reverse("payout-list"), {"month": "2026-11", "kind": "urban"})
    body = client.get(response["Location"]).content.decode()
    assert "发放批次的明细已生成" in body and "正在生成" not in body


def test_a_follow_up_batch_is_named_as_one_and_its_failed_line_said_once(
    closed, users, area, login
):
    county, clerk = users[Role.COUNTY], users[Role.CLERK]
    batch = approved_batch(users, area)
    payout_file_issue(actor=county, batch_id=batch.pk, template_id=text_template(county).pk)
    a, b, c = batch.lines.order_by("id")
    payout_return_read(
        actor=county,
        batch_id=batch.pk,
        file=return_text([a, b, c], {a.pk: "账户不存在", b.pk: "户名不符"}),
    )
    bank_page = login(county).get(reverse("payout-bank-batch", args=[batch.pk]))
    body = bank_page.content.decode()
    assert "2026年11月发放：岱庙街道，城镇公益岗" in body
    assert "账户不存在（" not in body  # the bank's words are the reason's name: said once
    # The failed line is not in what the batch paid: its follow-up batch pays it.
    totals = login(county).get(reverse("payout-list")).content.decode()
    assert yuan(c.amount_fen) in totals
    assert yuan(a.amount_fen + b.amount_fen + c.amount_fen) not in totals

    client = login(clerk)
    # A name that does not match: the account may be right, so it is there to confirm.
    fixes = client.get(reverse("payout-account-fixes")).content.decode()
    assert f'value="{b.account_number}"' in fixes
    assert f'value="{a.account_number}"' not in fixes
    assert fixes.count("请核对人员档案中的姓名与该账户户名") == 1
    response = client.post(
        reverse("payout-account-fix", args=[AccountFix.objects.get(line=a).pk]),
        {"account_number": "6228480012345678"},
        follow=True,
    )
    assert "补发第1批" in response.content.decode()
    follow_up = PayoutBatch.objects.get(sequence=1)
    body = client.get(_page(follow_up)).content.decode()
    assert "2026年11月发放：岱庙街道，城镇公益岗（补发第1批）" in body
    assert 'value="generate"' not in body  # its lines are not made from the month
    assert "补发银行发放失败的明细" in body and "补发暂停的明细" not in body
    assert "补发第1批" in client.get(reverse("payout-list")).content.decode()
    fixed = client.get(reverse("payout-account-fixes"), {"state": "fixed"}).content.decode()
    assert _page(follow_up) in fixed
