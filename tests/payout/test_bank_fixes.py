"""Account fixes and follow-up batches (docs/policy.md §7): a failed line is fixed on the person
file and paid again by a new line in a follow-up batch, following it, counted once when the
follow-up is approved; the failed line is never sent again."""

import pytest

from gongyi.enums import Role
from gongyi.errors import DomainError
from people.models import Person
from subsidies.payout.enums import BatchState, FixState, LineStatus
from subsidies.payout.models import AccountFix, PayoutBatch
from subsidies.payout.services import (
    account_fix_complete,
    payout_batch_generate,
    payout_batch_transition,
    payout_file_issue,
    payout_return_read,
)
from tests.payout.bank import approved_batch, return_text, text_template


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def returned(closed, users, area):
    """The month's batch read back with its first two lines failed."""
    county = users[Role.COUNTY]
    batch = approved_batch(users, area)
    payout_file_issue(actor=county, batch_id=batch.pk, template_id=text_template(county).pk)
    a, b, c = batch.lines.order_by("id")
    payout_return_read(
        actor=users[Role.FINANCE],
        batch_id=batch.pk,
        file=return_text([a, b, c], {a.pk: "账户不存在", b.pk: "户名不符"}),
    )
    return batch


def test_a_fixed_account_is_paid_again_in_a_follow_up_batch(returned, users):
    clerk, county = users[Role.CLERK], users[Role.COUNTY]
    fix_a, fix_b = AccountFix.objects.order_by("line_id")
    months = Person.objects.get(pk=fix_a.person_id).subsidy_months_used
    fix = account_fix_complete(
        actor=clerk, fix_id=fix_a.pk, account_number="6228480012345678", bank_name="农业银行"
    )
    assert fix.state == FixState.FIXED
    person = Person.objects.get(pk=fix_a.person_id)
    assert (person.account_number, person.bank_name) == ("6228480012345678", "农业银行")
    line = fix.follow_up
    follow_up = line.batch
    assert (follow_up.sequence, follow_up.follows_batch_id, follow_up.state) == (
        1,
        returned.pk,
        BatchState.DRAFT,
    )
    assert (follow_up.region_code, follow_up.month, follow_up.kind) == (
        returned.region_code,
        returned.month,
        returned.kind,
    )
    failed = fix_a.line
    failed.refresh_from_db()
    assert (line.follows_id, line.status, line.account_number) == (
        failed.pk,
        LineStatus.PENDING,
        "6228480012345678",
    )
    assert (line.amount_fen, line.month, failed.status) == (
        failed.amount_fen,
        failed.month,
        LineStatus.FAILED,
    )
    # The second fix joins the same follow-up batch while it is being prepared.
    second = account_fix_complete(actor=clerk, fix_id=fix_b.pk, account_number="6228480087654321")
    assert second.follow_up.batch_id == follow_up.pk
    # Counted once, when the county approves the follow-up batch.
    payout_batch_transition(actor=clerk, batch_id=follow_up.pk, to=BatchState.SUBMITTED)
    assert Person.objects.get(pk=fix_a.person_id).subsidy_months_used == months
    payout_batch_transition(actor=county, batch_id=follow_up.pk, to=BatchState.APPROVED)
    assert Person.objects.get(pk=fix_a.person_id).subsidy_months_used == months + 1
    # Its own payment file is issued as any batch's, the two lines marked paid again.
    template = PayoutBatch.objects.get(pk=returned.pk).payment_file.template
    issued = payout_file_issue(actor=county, batch_id=follow_up.pk, template_id=template.pk)
    assert (issued.lines, issued.total_fen) == (2, failed.amount_fen + fix_b.line.amount_fen)


def test_a_fix_once_made_is_not_made_again(returned, users):
    clerk = users[Role.CLERK]
    fix = AccountFix.objects.order_by("line_id").first()
    account_fix_complete(actor=clerk, fix_id=fix.pk, account_number="6228480012345678")
    with pytest.raises(DomainError, match="已修正"):
        account_fix_complete(actor=clerk, fix_id=fix.pk, account_number="6228480012345679")


def test_a_malformed_account_is_refused_and_nothing_changes(returned, users):
    fix = AccountFix.objects.order_by("line_id").first()
    with pytest.raises(DomainError):
        account_fix_complete(actor=users[Role.CLERK], fix_id=fix.pk, account_number="62284A")
    fix.refresh_from_db()
    assert fix.state == FixState.OPEN
    assert not PayoutBatch.objects.filter(sequence__gt=0).exists()


def test_a_follow_up_batch_after_one_submitted_is_the_next(returned, users):
    clerk = users[Role.CLERK]
    fix_a, fix_b = AccountFix.objects.order_by("line_id")
    first = account_fix_complete(actor=clerk, fix_id=fix_a.pk, account_number="6228480012345678")
    payout_batch_transition(actor=clerk, batch_id=first.follow_up.batch_id, to=BatchState.SUBMITTED)
    second = account_fix_complete(actor=clerk, fix_id=fix_b.pk, account_number="6228480087654321")
    assert second.follow_up.batch.sequence == 2


def test_a_follow_up_batch_makes_no_lines_of_its_own(returned, users):
    clerk = users[Role.CLERK]
    fix = AccountFix.objects.order_by("line_id").first()
    fixed = account_fix_complete(actor=clerk, fix_id=fix.pk, account_number="6228480012345678")
    with pytest.raises(DomainError, match="补发批次"):
        payout_batch_generate(actor=clerk, batch_id=fixed.follow_up.batch_id)


def test_fixes_of_another_township_are_not_found(returned, area):
    from tests.factories import UserFactory

    other = UserFactory(role=Role.CLERK, region=area.other_township)
    fix = AccountFix.objects.first()
    with pytest.raises(DomainError, match="不在"):
        account_fix_complete(actor=other, fix_id=fix.pk, account_number="6228480012345678")


@pytest.mark.django_db(transaction=True)
def test_fixes_failed_in_two_batches_of_a_month_at_once_make_one_follow_up(
    closed, users, area, monkeypatch
):
    """A line failed in the month's batch and one failed again in its follow-up: fixed at the
    same moment by two clerks, both join one new follow-up batch (the month's own batch is
    locked), never a refusal with the wrong reason."""
    import threading

    from django.db import connection

    from tests.factories import UserFactory

    county, finance, clerk = users[Role.COUNTY], users[Role.FINANCE], users[Role.CLERK]
    batch = approved_batch(users, area)
    template = text_template(county)
    payout_file_issue(actor=county, batch_id=batch.pk, template_id=template.pk)
    a, b, c = batch.lines.order_by("id")
    payout_return_read(
        actor=finance,
        batch_id=batch.pk,
        file=return_text([a, b, c], {a.pk: "账户不存在", b.pk: "户名不符"}),
    )
    fix_a, fix_b = AccountFix.objects.order_by("line_id")
    first = account_fix_complete(actor=clerk, fix_id=fix_a.pk, account_number="6228480012345678")
    follow_up = first.follow_up.batch
    payout_batch_transition(actor=clerk, batch_id=follow_up.pk, to=BatchState.SUBMITTED)
    payout_batch_transition(actor=county, batch_id=follow_up.pk, to=BatchState.APPROVED)
    payout_file_issue(actor=county, batch_id=follow_up.pk, template_id=template.pk)
    again = follow_up.lines.get()
    payout_return_read(
        actor=finance, batch_id=follow_up.pk, file=return_text([again], {again.pk: "账户冻结"})
    )
    fix_again = AccountFix.objects.get(line=again)
    second_clerk = UserFactory(role=Role.CLERK, region=area.township)
    errors = []
    # Both read the last follow-up's number slowly: without the lock both would take 2.
    import time

    from subsidies.payout.services import fixes

    def slow_max(*args, **kwargs):
        time.sleep(0.5)
        return fixes.models_max(*args, **kwargs)

    fixes.models_max = fixes.Max
    monkeypatch.setattr(fixes, "Max", slow_max)

    def fix(user, fix_id, account):
        try:
            account_fix_complete(actor=user, fix_id=fix_id, account_number=account)
        except Exception as error:  # any failure, a deadlock too, fails the test
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=fix, args=(clerk, fix_b.pk, "6228480087654321")),
        threading.Thread(target=fix, args=(second_clerk, fix_again.pk, "6228480011112222")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    follow_ups = PayoutBatch.objects.filter(region_code=batch.region_code, sequence__gt=1)
    assert [(f.sequence, f.lines.count()) for f in follow_ups] == [(2, 2)]
