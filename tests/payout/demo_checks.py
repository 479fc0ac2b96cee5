"""What ``seed_demo``'s payout step leaves (subsidies/payout/demo.py), checked by the seed_demo test
(tests/gongyi/test_platform.py, which seeds the demo once for all its checks)."""

from collections import defaultdict

from gongyi.enums import Role
from people.models import Person
from subsidies.payout.demo import BAD_ACCOUNT, SHARED_TEMPLATE
from subsidies.payout.enums import MONTHLY_KINDS, BatchKind, BatchState, FixState, LineStatus
from subsidies.payout.models import AccountFix, PaymentFile, PayoutBatch, PayoutLine
from subsidies.payout.services import lines_tampered

B = BatchState
DEMO_COUNTY = "370902"


def payout_counts() -> list[int]:
    return [m.objects.count() for m in (PayoutBatch, PayoutLine, PaymentFile, AccountFix)]


def check_payout_demo() -> None:
    everything = PayoutBatch.objects.filter(region_code__startswith=DEMO_COUNTY)
    batches = everything.filter(kind__in=MONTHLY_KINDS)
    months = defaultdict(set)
    kinds = defaultdict(set)
    for batch in batches.filter(sequence=0):
        months[batch.month].add(batch.state)
        kinds[batch.month].add(batch.kind)
    # One month in each state, every batch of a month in the month's state, urban and rural.
    assert all(len(states) == 1 for states in months.values()), months
    by_state = {next(iter(states)): month for month, states in months.items()}
    assert set(by_state) == set(B.values), months
    assert all(k == set(MONTHLY_KINDS) for k in kinds.values()), kinds
    ordered = [by_state[s] for s in (B.DRAFT, B.SUBMITTED, B.APPROVED, B.FILE_ISSUED, B.RETURNED)]
    assert ordered == sorted(ordered, reverse=True)
    assert max(m for m, s in months.items() if B.CLOSED in s) < by_state[B.RETURNED]

    # The draft month: a line held by hand for a cross-check finding.
    # (The lines the exits' step stopped and the match held for its findings aside:
    # tests/audits/demo_checks.py.)
    from audits.models import Finding

    held = (
        PayoutLine.objects.filter(
            batch__month=by_state[B.DRAFT], batch__kind__in=MONTHLY_KINDS, status=LineStatus.HELD
        )
        .exclude(placement__exit__isnull=False)
        .exclude(placement_id__in=Finding.objects.values("placement_id"))
    )
    assert held.count() == 1 and held.get().held_reason.startswith("交叉核查")
    # The issued month, in the shared template: a line stopped for its malformed account.
    issued = PaymentFile.objects.filter(batch__month=by_state[B.FILE_ISSUED])
    assert issued.count() == batches.filter(month=by_state[B.FILE_ISSUED]).count()
    assert set(issued.values_list("template__name", flat=True)) == {SHARED_TEMPLATE}
    # (A line may be held there too for a person past the statutory retirement date.)
    stopped = PayoutLine.objects.get(
        batch__month=by_state[B.FILE_ISSUED], status=LineStatus.HELD, account_number=BAD_ACCOUNT
    )
    assert stopped.held_reason and issued.filter(stopped=1).count() == 1
    assert not Person.objects.filter(region_code__startswith=DEMO_COUNTY, account_number="")

    # The returned month: two lines failed in one batch, one fixed and paid in a follow-up batch
    # that went the whole way, the other waiting for the township.
    failed = PayoutLine.objects.filter(status=LineStatus.FAILED)
    assert failed.count() == 2 and len({f.batch_id for f in failed}) == 1
    assert {f.batch.month for f in failed} == {by_state[B.RETURNED]}
    fixes = {fix.state: fix for fix in AccountFix.objects.select_related("follow_up__batch")}
    assert set(fixes) == {FixState.OPEN, FixState.FIXED}
    follow_up = fixes[FixState.FIXED].follow_up
    assert (
        follow_up.status == LineStatus.PAID
        and follow_up.follows_id == fixes[FixState.FIXED].line_id
    )
    assert follow_up.batch.sequence == 1 and follow_up.batch.state == B.CLOSED
    assert follow_up.batch.follows_batch_id == failed.first().batch_id
    assert not PayoutLine.objects.filter(batch__state__in=(B.RETURNED, B.CLOSED), status="pending")

    # The demo's users: the township's clerk prepares and submits, the county approves and
    # issues, the finance department reads the bank's return; every line as it was made.
    for batch in batches.exclude(state=B.DRAFT).select_related(
        "created_by", "submitted_by", "approved_by"
    ):
        assert batch.created_by.username == f"clerk_{batch.region_code}"
        assert batch.submitted_by == batch.created_by
        if batch.state != B.SUBMITTED:
            assert batch.approved_by.role == Role.COUNTY
        assert lines_tampered(batch.pk) == []
    returned_by = PaymentFile.objects.exclude(returned_by=None).values_list(
        "returned_by__role", flat=True
    )
    assert set(returned_by) == {Role.FINANCE}

    # The year's insurance, one batch of each kind: the social-insurance subsidy submitted, the
    # accident insurance's premium paid to the insurer (premium × people).
    insurance = {b.kind: b for b in everything.exclude(kind__in=MONTHLY_KINDS)}
    assert set(insurance) == {BatchKind.SOCIAL_INSURANCE, BatchKind.ACCIDENT_INSURANCE}
    assert insurance[BatchKind.SOCIAL_INSURANCE].state == B.SUBMITTED
    accident = insurance[BatchKind.ACCIDENT_INSURANCE]
    assert accident.state == B.RETURNED and accident.approved_by.role == Role.COUNTY
    premiums = set(accident.lines.values_list("amount_fen", "status"))
    assert premiums == {(10000, LineStatus.PAID)}


def check_warnings_demo() -> None:
    """Two subsidy periods ending within the days ahead, the first's notice given."""
    from audits.models import ExpiryWarning

    ending = ExpiryWarning.objects.filter(
        region_code__startswith=DEMO_COUNTY, kind="subsidy_end", resolved_on__isnull=True
    ).order_by("due_on")
    assert ending.count() == 2
    assert ending[0].notified_on is not None and ending[1].notified_on is None
