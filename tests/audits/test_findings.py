"""The finding's lifecycle (docs/policy.md §8): each move and the refused ones, a confirmation
recording the exit and its debt, a dismissed finding left dismissed by a rerun unless its row
changed, the payout held while a finding is open, and the township's area."""

import datetime as dt

import pytest

from audits.datasets.enums import DatasetKind, FindingState, InternalCheck
from audits.datasets.findings import finding_transition, findings_transition, proposed_exit_date
from audits.datasets.match import dataset_match
from audits.datasets.policy import HOLD_ON_FINDING, NO_ATTENDANCE_MONTHS
from audits.exits.enums import ExitKind
from audits.models import Debt, Finding
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.models import AuditEntry
from subsidies.attendance.models import AttendanceMonth
from subsidies.payout.enums import LineStatus
from tests.audits.conftest import DEC, TODAY
from tests.factories import (
    DatasetRowFactory,
    DatasetVersionFactory,
    PlacementFactory,
    PolicySettingFactory,
)
from tests.factories.audits import FindingFactory
from tests.payout.conftest import closed  # noqa: F401  (the payout's closed November)

pytestmark = pytest.mark.django_db

F = FindingState
#: 甲公司 paid the person's contributions as an employee from 15 October 2026.
FACT = dt.date(2026, 10, 15)


def _finding(placement, **kw):
    kw.setdefault("kind", DatasetKind.CONTRIBUTIONS)
    kw.setdefault("fact_key", f"甲公司|{FACT}")
    kw.setdefault("fact_from", FACT)
    return FindingFactory(placement=placement, **kw)


def _move(actor, finding, to, **kw):
    if to == F.CONFIRMED:
        kw.setdefault("note", "走访核实：在甲公司工作")
        kw.setdefault("decided_by", "岱庙街道办事处")
        kw.setdefault("decided_on", dt.date(2026, 12, 1))
        kw.setdefault("today", TODAY)
    return finding_transition(actor=actor, finding_id=finding.pk, to=to, **kw)


@pytest.fixture
def placement(area):
    return PlacementFactory(person__village=area.village)


def test_each_move_is_made_and_on_the_audit_trail(placement, clerk):
    finding = _finding(placement)
    _move(clerk, finding, F.INVESTIGATING)
    _move(clerk, finding, F.DISMISSED, note="同名不同人")
    finding.refresh_from_db()
    assert (finding.state, finding.note, finding.decided_by) == (F.DISMISSED, "同名不同人", clerk)
    moves = AuditEntry.objects.filter(
        action=AuditAction.TRANSITION, object_type="audits.finding", object_pk=str(finding.pk)
    ).order_by("pk")
    assert [m.changes["state"] for m in moves] == [
        [F.NEW, F.INVESTIGATING],
        [F.INVESTIGATING, F.DISMISSED],
    ]


@pytest.mark.parametrize(
    ("state", "to", "message"),
    [
        (F.NEW, F.CONFIRMED, "不能"),
        (F.DISMISSED, F.INVESTIGATING, "不能"),
        (F.CONFIRMED, F.DISMISSED, "不能"),
        (F.GONE, F.INVESTIGATING, "不能"),
    ],
)
def test_moves_not_in_the_table_are_refused(placement, clerk, state, to, message):
    finding = _finding(placement, state=state)
    with pytest.raises(DomainError, match=message):
        _move(clerk, finding, to, note="理由")
    finding.refresh_from_db()
    assert finding.state == state


def test_a_dismissal_needs_its_reason_and_the_county_does_not_decide(placement, clerk, county):
    finding = _finding(placement)
    with pytest.raises(DomainError, match="原因"):
        _move(clerk, finding, F.DISMISSED)
    with pytest.raises(DomainError, match="角色"):
        _move(county, finding, F.INVESTIGATING)
    finding.refresh_from_db()
    assert finding.state == F.NEW


def test_another_townships_clerk_finds_nothing(area, clerk):
    finding = _finding(PlacementFactory(person__village=area.far_village))
    with pytest.raises(DomainError, match=r"不存在|范围"):
        _move(clerk, finding, F.INVESTIGATING)


def test_confirming_records_the_exit_and_its_debt(paid, clerk):
    """The fact began on 15 October: the last day on the post is the 14th; October is recovered
    pro rata, November whole (3,245.45, as tests/audits/test_recovery.py), December's line held."""
    finding = _finding(paid.placement)
    _move(clerk, finding, F.INVESTIGATING)
    assert proposed_exit_date(finding) == dt.date(2026, 10, 14)
    _move(clerk, finding, F.CONFIRMED)
    finding.refresh_from_db()
    exit_ = finding.exit
    assert (exit_.kind, exit_.effective_date, finding.state) == (
        ExitKind.FINDING,
        dt.date(2026, 10, 14),
        F.CONFIRMED,
    )
    paid.placement.refresh_from_db()
    assert paid.placement.end_date == dt.date(2026, 10, 14)
    assert Debt.objects.get(exit=exit_).amount_fen == 324545
    paid.lines[DEC].refresh_from_db()
    assert paid.lines[DEC].status == LineStatus.HELD


def test_a_date_before_the_placement_began_is_refused_and_nothing_written(paid, clerk):
    finding = _finding(paid.placement, state=F.INVESTIGATING)
    with pytest.raises(DomainError, match=r"不能早于|之前|before"):
        _move(clerk, finding, F.CONFIRMED, effective_date=dt.date(2026, 3, 31))
    finding.refresh_from_db()
    paid.placement.refresh_from_db()
    assert (finding.state, finding.exit_id, paid.placement.end_date) == (
        F.INVESTIGATING,
        None,
        None,
    )


def test_a_fact_older_than_the_placement_proposes_its_first_day(paid):
    finding = _finding(paid.placement, fact_from=dt.date(2025, 1, 1))
    assert proposed_exit_date(finding) == paid.placement.start_date


def test_bulk_decisions_are_all_or_none(area, clerk):
    a, b, c = (_finding(PlacementFactory(person__village=area.village)) for _ in range(3))
    assert (
        findings_transition(actor=clerk, finding_ids=[a.pk, b.pk], to=F.DISMISSED, note="误报") == 2
    )
    assert set(Finding.objects.filter(note="误报").values_list("pk", flat=True)) == {a.pk, b.pk}
    with pytest.raises(DomainError):
        findings_transition(actor=clerk, finding_ids=[c.pk, a.pk], to=F.INVESTIGATING)
    c.refresh_from_db()
    assert c.state == F.NEW
    with pytest.raises(DomainError):
        findings_transition(actor=clerk, finding_ids=[c.pk], to=F.CONFIRMED)


def _contributions(person, end, as_of):
    version = DatasetVersionFactory(kind=DatasetKind.CONTRIBUTIONS, as_of=as_of)
    DatasetRowFactory(
        version=version, id_number=person.id_number, start=FACT, end=end, unit="甲公司"
    )
    return version


def _attendance_check_off(area):
    PolicySettingFactory(
        county=area.county, key=NO_ATTENDANCE_MONTHS, value=0, effective_from=dt.date(2026, 1, 1)
    )


def test_a_dismissed_finding_stays_dismissed_unless_its_row_changed(placement, clerk, area):
    _attendance_check_off(area)
    person = placement.person
    _contributions(person, dt.date(2026, 10, 31), dt.date(2026, 11, 30))
    dataset_match(region_code=area.county.code)
    finding = Finding.objects.get()
    _move(clerk, finding, F.DISMISSED, note="临时代班")
    # The same data again (a new upload of the same rows): still dismissed.
    _contributions(person, dt.date(2026, 10, 31), dt.date(2026, 12, 1))
    dataset_match(region_code=area.county.code)
    finding.refresh_from_db()
    assert finding.state == F.DISMISSED
    # The period went on into November: the data changed, the finding is new again.
    version = _contributions(person, dt.date(2026, 11, 30), dt.date(2026, 12, 2))
    dataset_match(region_code=area.county.code)
    finding.refresh_from_db()
    assert (finding.state, finding.version_id, finding.evidence["end"]) == (
        F.NEW,
        version.pk,
        "2026-11-30",
    )
    assert Finding.objects.count() == 1


def test_an_open_finding_holds_the_payout_as_the_setting_says(paid, area, clerk):
    _attendance_check_off(area)
    DatasetRowFactory(
        version=DatasetVersionFactory(kind=DatasetKind.DEATHS),
        id_number=paid.placement.person.id_number,
        start=dt.date(2026, 11, 20),
    )
    PolicySettingFactory(
        county=area.county, key=HOLD_ON_FINDING, value=0, effective_from=dt.date(2026, 1, 1)
    )
    assert dataset_match(region_code=area.county.code)["held"] == 0
    paid.lines[DEC].refresh_from_db()
    assert paid.lines[DEC].status == LineStatus.PENDING
    PolicySettingFactory(
        county=area.county, key=HOLD_ON_FINDING, value=1, effective_from=dt.date(2026, 2, 1)
    )
    assert dataset_match(region_code=area.county.code)["held"] == 1
    paid.lines[DEC].refresh_from_db()
    assert paid.lines[DEC].status == LineStatus.HELD
    assert "疑点" in paid.lines[DEC].held_reason
    # Dismissed: nothing is released by itself (the township releases on the payout's pages).
    finding = Finding.objects.get()
    finding_transition(actor=clerk, finding_id=finding.pk, to=F.DISMISSED, note="误报")
    paid.lines[DEC].refresh_from_db()
    assert paid.lines[DEC].status == LineStatus.HELD


def test_confirming_on_the_findings_page(paid, clerk, login):
    from django.urls import reverse

    finding = _finding(paid.placement, state=F.INVESTIGATING)
    client = login(clerk)
    url = reverse("finding-detail", args=[finding.pk])
    page = client.get(url).content.decode()
    assert 'value="2026-10-14"' in page  # the proposed last day
    response = client.post(
        url,
        {
            "to": F.CONFIRMED,
            "effective_date": "2026-10-14",
            "note": "走访核实",
            "decided_by": "岱庙街道办事处",
            "decided_on": "2026-12-01",
        },
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.state == F.CONFIRMED and finding.exit.effective_date == dt.date(2026, 10, 14)
    assert reverse("exit-detail", args=[finding.exit_id]) in client.get(url).content.decode()


# --- the internal checks (no upload) -------------------------------------------------------------


def _internal(area, today=TODAY):
    return dataset_match(region_code=area.county.code, today=today)["kinds"]


def test_a_placement_without_attendance_for_the_countys_months(paid, area):
    """Paid for September to November (closed, attended): with 3 months, none before March; then
    nothing attended after November: from March 2027 a finding, from December 2026 on."""
    AttendanceMonth.objects.filter(placement=paid.placement, month__lt=DEC).update(present_days=21)
    _internal(area, today=dt.date(2027, 2, 15))
    assert not Finding.objects.filter(kind=InternalCheck.NO_ATTENDANCE).exists()
    _internal(area, today=dt.date(2027, 3, 2))
    finding = Finding.objects.get(kind=InternalCheck.NO_ATTENDANCE)
    assert (finding.placement_id, finding.fact_from) == (paid.placement.pk, DEC)
    assert finding.evidence["months"] == 3
    _internal(area, today=dt.date(2027, 4, 2))  # the same fact
    assert Finding.objects.filter(kind=InternalCheck.NO_ATTENDANCE).count() == 1


def test_a_placement_never_attended_and_the_check_off(area, clerk, login):
    placement = PlacementFactory(person__village=area.village, start_date=dt.date(2026, 4, 1))
    _internal(area)  # December: September to November without attendance
    finding = Finding.objects.get(kind=InternalCheck.NO_ATTENDANCE)
    assert finding.fact_from == placement.start_date
    from django.urls import reverse

    page = login(clerk).get(reverse("finding-detail", args=[finding.pk]))
    assert page.status_code == 200 and "连续无考勤月数" in page.content.decode()
    Finding.objects.all().delete()
    _attendance_check_off(area)
    _internal(area)
    assert not Finding.objects.exists()


def test_a_batch_made_while_a_finding_is_open_holds_the_persons_line(closed, clerk):  # noqa: F811
    """The payout's generation hook: November's batch is made after the match; the line of the
    person with an open finding (since October) is held at once, the others are to be paid."""
    from tests.payout.test_batches import generate

    _finding(closed.a.placement)
    batch = generate(clerk).batch
    status = {line.row_id: line.status for line in batch.lines.all()}
    assert status[closed.a.pk] == LineStatus.HELD
    assert status[closed.b.pk] == LineStatus.PENDING
