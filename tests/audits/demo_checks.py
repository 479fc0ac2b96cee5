"""What ``seed_demo``'s datasets and exits steps leave (audits/datasets/demo.py,
audits/exits/demo.py), checked by the seed_demo test (tests/gongyi/test_platform.py, which seeds
the demo twice)."""

from audits.datasets.demo import DECISIONS, HIT_KINDS, UPLOADERS
from audits.datasets.enums import DatasetKind, DatasetStatus, FindingState
from audits.exits.demo import RECEIPT
from audits.exits.enums import DebtState, ExitKind, RepaymentKind
from audits.models import DatasetVersion, Debt, Exit, Finding
from gongyi.enums import Role
from gongyi.models import Job, JobStatus
from subsidies.payout.enums import LineStatus

DEMO_COUNTY = "370902"


def audits_counts() -> list[int]:
    from audits.models import DatasetRow, DebtLine, Repayment

    return [
        m.objects.count()
        for m in (DatasetVersion, DatasetRow, Finding, Exit, Debt, DebtLine, Repayment, Job)
    ]


def check_datasets_demo() -> None:
    """One loaded list of each kind, uploaded by who keeps it; one match; one new finding per
    kind, each on a different person on a post, with the list's row as its evidence; decided as
    ``DECISIONS`` says (one confirmed with its exit and debt, one under investigation, one
    dismissed with its reason, the rest new)."""
    versions = DatasetVersion.objects.filter(region_code=DEMO_COUNTY).select_related(
        "uploaded_by", "job"
    )
    assert sorted(v.kind for v in versions) == sorted(DatasetKind.values)
    for version in versions:
        assert version.status == DatasetStatus.LOADED, (version.kind, version.errors)
        assert version.loaded_rows >= 3 and version.error_count == 0
        assert version.job.status == JobStatus.DONE
        uploader = version.uploaded_by
        if version.kind in UPLOADERS:
            assert (uploader.role, uploader.department) == (Role.REVIEWER, UPLOADERS[version.kind])
        else:
            assert uploader.role == Role.COUNTY
    matches = Job.objects.filter(region_code=DEMO_COUNTY, kind="audits.dataset_match")
    assert [m.status for m in matches] == [JobStatus.DONE]
    findings = Finding.objects.filter(region_code__startswith=DEMO_COUNTY)
    # One hit per kind; the contributions ended and the licence cancelled before the placement
    # began are no hit.
    assert sorted(f.kind for f in findings) == sorted(HIT_KINDS)
    assert len({f.person_id for f in findings}) == len(HIT_KINDS)
    # Each state shown: the kinds in DECISIONS moved by their township's clerk, the rest new.
    states = {f.kind: f.state for f in findings}
    assert states == {
        kind: DECISIONS[kind][0][-1] if kind in DECISIONS else FindingState.NEW
        for kind in HIT_KINDS
    }
    assert set(states.values()) >= {
        FindingState.NEW,
        FindingState.INVESTIGATING,
        FindingState.CONFIRMED,
        FindingState.DISMISSED,
    }
    for finding in findings.select_related("person", "placement", "decided_by", "exit"):
        assert finding.evidence["id_number"] == finding.person.id_number
        if finding.state != FindingState.NEW:
            clerk = finding.decided_by
            assert clerk.role == Role.CLERK
            assert finding.region_code.startswith(clerk.region.code)
        if finding.state == FindingState.DISMISSED:
            assert finding.note == DECISIONS[finding.kind][1]
        if finding.state == FindingState.CONFIRMED:
            exit_ = finding.exit
            assert exit_.kind == ExitKind.FINDING and exit_.placement_id == finding.placement_id
            assert finding.placement.end_date == exit_.effective_date < finding.fact_from
            debt = exit_.debt
            lines = list(debt.lines.all())
            assert lines and debt.amount_fen == sum(line.recovered_fen for line in lines) > 0
        else:
            assert finding.exit_id is None and finding.placement.end_date is None


def check_exits_demo() -> None:
    """Two exits in the past, each a debt with its lines (the month of the last day pro rata,
    the next one whole); the first partly repaid with one receipt, the second's write-off asked."""
    exits = Exit.objects.filter(
        region_code__startswith=DEMO_COUNTY, kind=ExitKind.OWN_CHOICE
    ).order_by("pk")
    assert exits.count() == 2
    debts = []
    for exit_ in exits.select_related("placement", "recorded_by"):
        assert exit_.kind == ExitKind.OWN_CHOICE and exit_.effective_date.day == 14
        assert exit_.placement.end_date == exit_.effective_date
        assert exit_.recorded_by.role == Role.CLERK
        debt = exit_.debt
        lines = list(debt.lines.order_by("month"))
        assert len(lines) >= 2
        first, *later = lines
        assert first.month == exit_.effective_date.replace(day=1)
        assert 0 < first.recovered_fen < first.paid_fen
        assert all(line.recovered_fen == line.paid_fen for line in later)
        assert debt.amount_fen == sum(line.recovered_fen for line in lines)
        assert all(line.payout_line.status == LineStatus.PAID for line in lines)
        debts.append(debt)
    repaid, asked = debts
    assert repaid.state == DebtState.OPEN
    (repayment,) = repaid.repayments.all()
    assert (repayment.kind, repayment.receipt_number) == (RepaymentKind.PAID, RECEIPT)
    assert 0 < repaid.repaid_fen == repayment.amount_fen < repaid.amount_fen
    assert asked.state == DebtState.WRITE_OFF_ASKED and asked.write_off_reason
    assert asked.repaid_fen == 0 and asked.outstanding_fen == asked.amount_fen
