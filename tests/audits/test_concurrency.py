"""Exits and repayments racing each other against PostgreSQL, each thread on its own
connection as two requests would be: two exits of one placement, two repayments of the last
yuan. One wins; the other is refused with its reason."""

import datetime as dt

import pytest

from audits.exits.enums import ExitKind
from audits.exits.services import exit_record, repayment_record
from audits.models import Exit
from gongyi.enums import Role
from posts.models import Post
from tests.audits.conftest import TODAY
from tests.factories import UserFactory
from tests.onboarding.test_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


def _exit(actor, paid, effective):
    return exit_record(
        actor=actor,
        placement_id=paid.placement.pk,
        kind=ExitKind.OWN_CHOICE,
        effective_date=effective,
        reason="本人申请",
        decided_by="街道办",
        decided_on=TODAY,
        today=TODAY,
    )


def test_two_exits_of_one_placement_record_one(paid, users, area):
    other = UserFactory(username="clerk2", role=Role.CLERK, region=area.township)
    results = race(
        lambda: _exit(users[Role.CLERK], paid, dt.date(2026, 10, 14)),
        lambda: _exit(other, paid, dt.date(2026, 11, 30)),
    )
    assert sorted(r == "ok" for r in results) == [False, True]
    assert Exit.objects.count() == 1
    assert Post.objects.get(pk=paid.post.pk).occupied == 0


def test_two_repayments_of_what_is_left_record_one(paid, users, area):
    clerk = users[Role.CLERK]
    debt = _exit(clerk, paid, dt.date(2026, 10, 14)).debt
    other = UserFactory(username="clerk2", role=Role.CLERK, region=area.township)

    def repay(actor, receipt):
        return lambda: repayment_record(
            actor=actor,
            debt_id=debt.pk,
            paid_on=TODAY,
            amount_fen=debt.amount_fen,
            receipt_number=receipt,
            today=TODAY,
        )

    results = race(repay(clerk, "R1"), repay(other, "R2"))
    debt.refresh_from_db()
    assert sorted(r == "ok" for r in results) == [False, True]
    assert (debt.repaid_fen, debt.repayments.count()) == (debt.amount_fen, 1)


def test_two_clerks_deciding_one_finding_decide_once(paid, users, area):
    """One confirms, the other dismisses at the same moment: the row lock makes them one after
    the other, and the second is told the finding has moved on."""
    from audits.datasets.enums import DatasetKind, FindingState
    from audits.datasets.findings import finding_transition
    from tests.factories.audits import FindingFactory

    finding = FindingFactory(
        placement=paid.placement,
        kind=DatasetKind.CONTRIBUTIONS,
        fact_key="甲公司|2026-10-15",
        fact_from=dt.date(2026, 10, 15),
        state=FindingState.INVESTIGATING,
    )
    other = UserFactory(username="clerk2", role=Role.CLERK, region=area.township)
    results = race(
        lambda: finding_transition(
            actor=users[Role.CLERK],
            finding_id=finding.pk,
            to=FindingState.CONFIRMED,
            note="走访核实",
            decided_by="街道办",
            decided_on=TODAY,
            today=TODAY,
        ),
        lambda: finding_transition(
            actor=other, finding_id=finding.pk, to=FindingState.DISMISSED, note="误报"
        ),
    )
    assert sorted(r == "ok" for r in results) == [False, True]
    finding.refresh_from_db()
    assert finding.state in (FindingState.CONFIRMED, FindingState.DISMISSED)
    assert Exit.objects.count() == (1 if finding.state == FindingState.CONFIRMED else 0)
