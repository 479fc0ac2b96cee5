"""Payout batches (docs/policy.md §7, "How gongyi pays"): generated from the closed months in one
statement as the amount rule says, no month paid twice, a killed run leaves nothing, the hash finds
a line changed behind the system's back, and the batch's moves."""

import datetime as dt
import threading
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from gongyi.enums import Role
from gongyi.errors import DomainError
from gongyi.models import AuditEntry
from people.models import Person
from people.policy import SUBSIDY_MONTHS_PER_PLACEMENT
from subsidies.attendance.models import AttendanceAdjustment
from subsidies.attendance.services import adjustment_add
from subsidies.payout.amount import AmountFacts, Carried, subsidy_amount
from subsidies.payout.enums import BatchKind, BatchState, LineStatus, PeriodEnd
from subsidies.payout.models import PayoutBatch, PayoutLine
from subsidies.payout.selectors import batch_not_ready
from subsidies.payout.services import (
    grade_rule_create,
    lines_tampered,
    payout_batch_generate,
    payout_batch_open,
    payout_batch_transition,
    payout_line_hold,
    payout_line_release,
)
from tests.attendance.conftest import NOV
from tests.factories import PayoutLineFactory, PolicySettingFactory, UserFactory

DEC = dt.date(2026, 12, 1)


def generate(clerk, kind=BatchKind.URBAN, month=NOV):
    batch = payout_batch_open(actor=clerk, month=month, kind=kind)
    return payout_batch_generate(actor=clerk, batch_id=batch.pk)


def facts_of(row, **kw) -> AmountFacts:
    """The rule's facts of a closed attendance month, with the county's minimum (1,900 / 19)."""
    placement = row.placement
    return AmountFacts(
        hourly=row.hourly,
        standard=placement.hourly_rate if row.hourly else placement.monthly_subsidy,
        required_days=row.required_days,
        present_days=row.present_days,
        paid_leave_days=row.paid_leave_days,
        unpaid_leave_days=row.unpaid_leave_days,
        absent_days=row.absent_days,
        full_days=row.full_days,
        required_hours=row.required_hours,
        worked_hours=row.worked_hours,
        paid_leave_hours=row.paid_leave_hours,
        full_hours=row.full_hours,
        grade=row.assessment.grade,
        minimum_monthly=D("1900.00"),
        minimum_hourly=D("19.00"),
        **kw,
    )


def test_generated_lines_are_the_rule_applied_to_each_closed_month(closed, clerk):
    result = generate(clerk)
    lines = {line.row_id: line for line in result.batch.lines.all()}
    assert set(lines) == {closed.a.pk, closed.b.pk, closed.hourly.pk}
    for row in (closed.a, closed.b, closed.hourly):
        amount = subsidy_amount(facts_of(row))
        line = lines[row.pk]
        assert (line.amount_fen, [r["rule"] for r in line.reasons]) == (
            amount.fen,
            [r.code for r in amount.rules],
        )
    # a: 21 working days, 19 present + 1 sick leave: 2,100.00 × 20 / 21 = 2,000.00.
    assert (closed.a.full_days, closed.a.present_days, lines[closed.a.pk].amount_fen) == (
        21,
        19,
        200000,
    )
    # b started on Monday the 16th: 11 of 21 days, 2,100.00 × 11 / 21 = 1,100.00.
    assert (closed.b.required_days, lines[closed.b.pk].amount_fen) == (11, 110000)
    a = lines[closed.a.pk]
    person = closed.a.placement.person
    assert (a.person_name, a.id_number, a.standard, a.status, a.placement_month) == (
        person.name,
        person.id_number,
        D("2100.00"),
        LineStatus.PENDING,
        1,
    )
    assert (result.made.lines, result.made.total_fen) == (
        3,
        sum(x.amount_fen for x in lines.values()),
    )


def test_rural_posts_are_a_batch_of_their_own(closed, clerk):
    result = generate(clerk, kind=BatchKind.RURAL)
    assert list(result.batch.lines.values_list("row_id", flat=True)) == [closed.rural.pk]
    assert PayoutBatch.objects.count() == 1


def test_months_not_closed_are_reported_not_paid(closed, clerk, area):
    result = generate(clerk)
    assert [(n.region_code, n.state, n.people) for n in batch_not_ready(result.batch)] == [
        (area.other_village.code, "open", 1)
    ]
    assert not PayoutLine.objects.filter(placement=closed.open_placement).exists()


def test_generating_twice_gives_the_same_batch(closed, clerk):
    first = generate(clerk)
    again = generate(clerk)
    assert again.batch.pk == first.batch.pk
    assert (again.made.lines, PayoutLine.objects.count()) == (0, 3)


def test_the_database_refuses_a_second_live_line_for_a_month(closed, clerk):
    line = generate(clerk).batch.lines.first()
    other = PayoutBatch.objects.create(
        region_code=line.batch.region_code, month=DEC, kind=BatchKind.URBAN, created_by=clerk
    )
    line.pk, line.batch = None, other
    with pytest.raises(IntegrityError, match="payout_line_one_live"), transaction.atomic():
        line.save()
    # A failed line is not live: the month may be paid again.
    PayoutLine.objects.filter(batch__month=NOV).update(status=LineStatus.FAILED)
    line.save()


def test_a_generation_killed_halfway_leaves_nothing_and_the_rerun_completes(
    closed, clerk, monkeypatch
):
    batch = payout_batch_open(actor=clerk, month=NOV, kind=BatchKind.URBAN)

    def killed(**kw):
        raise KeyboardInterrupt

    monkeypatch.setattr("subsidies.payout.services.batches.audit_record_many", killed)
    with pytest.raises(KeyboardInterrupt):
        payout_batch_generate(actor=clerk, batch_id=batch.pk)
    assert (
        PayoutLine.objects.count(),
        AuditEntry.objects.filter(object_type="payout.payoutbatch", action="update").count(),
    ) == (
        0,
        0,
    )
    monkeypatch.undo()
    assert payout_batch_generate(actor=clerk, batch_id=batch.pk).made.lines == 3


def test_a_correction_is_carried_once(closed, clerk):
    # The day of personal leave was at work after all: +1 day, 2,100.00 / 21 = 100.00.
    adjustment = adjustment_add(
        actor=clerk, row_id=closed.a.pk, day=dt.date(2026, 11, 3), text="√", reason="补交证明"
    )
    line = generate(clerk).batch.lines.get(row=closed.a)
    expected = subsidy_amount(facts_of(closed.a, carried=(Carried(days=1, full_days=21),)))
    assert (line.amount_fen, expected.fen, line.carried_ids) == (210000, 210000, [adjustment.pk])
    assert line.reasons[-1] == {
        "rule": "carried",
        "count": 1,
        "days": 1,
        "hours": 0,
        "amount": 10000,
    }
    assert AttendanceAdjustment.objects.get(pk=adjustment.pk).carried_at is not None


def test_a_correction_of_an_hourly_day_pays_its_hours(closed, clerk):
    # An hourly day (1.9 hours planned and worked) corrected to 1 hour worked: −0.9 hours.
    adjustment_add(
        actor=clerk, row_id=closed.hourly.pk, day=dt.date(2026, 11, 4), text="1", reason="核实"
    )
    line = generate(clerk).batch.lines.get(row=closed.hourly)
    expected = subsidy_amount(
        facts_of(closed.hourly, carried=(Carried(days=0, hours=D("-0.9"), full_days=21),))
    )
    assert line.amount_fen == expected.fen


def test_grade_rule_applies_to_the_month(closed, clerk, county):
    # Everyone scored at the base score is 优秀; the county pays 优秀 × 0.95 from November.
    grade_rule_create(actor=county, grade="excellent", effective_from=NOV, factor=D("0.95"))
    line = generate(clerk).batch.lines.get(row=closed.a)
    expected = subsidy_amount(facts_of(closed.a, grade_factor=D("0.95")))
    # 2,000.00 × 0.95 = 1,900.00, the minimum's share 1,900 × 20 / 21 = 1,809.52 is below.
    assert (line.amount_fen, expected.fen) == (190000, 190000)


def test_a_line_past_the_subsidy_period_is_held_never_paid_quietly(closed, clerk, county, area):
    """Past the lifetime's months (72 by default) or past the placement's subsidy period, the
    month is made held with the reason; a line at its last month is paid and flagged."""
    from people.models import Placement

    Person.objects.filter(pk=closed.a.placement.person_id).update(subsidy_months_used=72)
    Placement.objects.filter(pk=closed.b.placement_id).update(subsidy_end=dt.date(2026, 10, 31))
    batch = generate(clerk).batch
    lines = {line.row_id: line for line in batch.lines.all()}
    a, b = lines[closed.a.pk], lines[closed.b.pk]
    assert (a.status, a.period_reason, b.status, b.period_reason) == (
        LineStatus.HELD,
        PeriodEnd.PAST_LIFETIME,
        LineStatus.HELD,
        PeriodEnd.PAST_SUBSIDY_END,
    )
    assert "已超过本人累计补贴月数" in a.held_reason and "延长" in a.held_reason
    assert a.lifetime_month == 73
    # Held lines are not counted at approval; the snapshot's hash covers the reason.
    assert lines_tampered(batch.pk) == []
    Person.objects.filter(pk=a.person_id).update(subsidy_months_used=71)
    PayoutLine.objects.filter(batch=batch).delete()
    line = generate(clerk).batch.lines.get(row=closed.a)
    assert (line.status, line.period_reason, line.lifetime_month) == (
        LineStatus.PENDING,
        PeriodEnd.LIFETIME,
        72,
    )


def test_a_term_from_mid_month_is_past_by_its_date_not_by_its_count(closed, clerk, county, area):
    """A placement with a subsidy end is past it by the date: a term from the 16th has a 37th
    calendar month inside the period (paid), never held for its count."""
    from people.models import Placement

    PolicySettingFactory(
        county=area.county, key=SUBSIDY_MONTHS_PER_PLACEMENT, value=1, effective_from=NOV
    )
    PayoutLineFactory(
        placement=closed.a.placement, month=dt.date(2026, 10, 1), status=LineStatus.PAID
    )
    Placement.objects.filter(pk=closed.a.placement_id).update(subsidy_end=dt.date(2026, 11, 15))
    line = generate(clerk).batch.lines.get(row=closed.a)
    assert (line.status, line.placement_month, line.period_reason) == (
        LineStatus.PENDING,
        2,
        PeriodEnd.SUBSIDY_END,
    )


def test_months_past_the_retirement_date_or_the_rural_age_limit_are_held(
    closed, clerk, county, area
):
    """An urban post's months after the statutory retirement date, a rural post's after the
    birthday past the oldest age (65: the 66th), are held: a working life on the post ends."""
    Person.objects.filter(pk=closed.a.placement.person_id).update(
        retirement_date=dt.date(2026, 10, 31)
    )
    Person.objects.filter(pk=closed.b.placement.person_id).update(
        retirement_date=dt.date(2026, 11, 1)
    )
    lines = {line.row_id: line for line in generate(clerk).batch.lines.all()}
    a, b = lines[closed.a.pk], lines[closed.b.pk]
    assert (a.status, a.period_reason) == (LineStatus.HELD, PeriodEnd.PAST_RETIREMENT)
    assert "法定退休" in a.held_reason
    assert b.status == LineStatus.PENDING  # retires inside the month: the exit ends it
    rural = closed.rural
    Person.objects.filter(pk=rural.placement.person_id).update(birth_date=dt.date(1960, 10, 31))
    line = generate(clerk, kind=BatchKind.RURAL).batch.lines.get(row=rural)
    assert (line.status, line.period_reason) == (LineStatus.HELD, PeriodEnd.PAST_AGE_LIMIT)


def test_a_past_period_line_is_released_only_with_the_reason(closed, clerk, county, area):
    from gongyi.models import AuditEntry as Entry

    Person.objects.filter(pk=closed.a.placement.person_id).update(subsidy_months_used=72)
    batch = generate(clerk).batch
    line = batch.lines.get(row=closed.a)
    with pytest.raises(DomainError, match="延长"):
        payout_line_release(actor=clerk, line_id=line.pk, batch_id=batch.pk)
    released = payout_line_release(
        actor=clerk, line_id=line.pk, batch_id=batch.pk, reason="县人社局批准延长至退休"
    )
    assert released.status == LineStatus.PENDING and released.past_period
    entry = Entry.objects.filter(object_pk=str(line.pk), action="transition").get()
    assert entry.note == "县人社局批准延长至退休"
    from subsidies.payout.selectors import past_period_lines

    assert past_period_lines(batch) == {LineStatus.PENDING: 1}


def test_subsidy_months_are_counted_and_the_last_is_flagged(closed, clerk, county, area):
    PolicySettingFactory(
        county=area.county, key=SUBSIDY_MONTHS_PER_PLACEMENT, value=1, effective_from=NOV
    )
    Person.objects.filter(pk=closed.b.placement.person_id).update(subsidy_months_used=1)
    batch = generate(clerk).batch
    lines = {line.row_id: line for line in batch.lines.all()}
    a, b = lines[closed.a.pk], lines[closed.b.pk]
    assert (a.placement_month, a.lifetime_month, a.period_ends, a.period_reason) == (
        1,
        1,
        True,
        PeriodEnd.PLACEMENT,
    )
    assert (b.lifetime_month, b.status) == (2, LineStatus.PENDING)  # 2 a lifetime: the last
    # Counted on the person when the county approves, once.
    assert Person.objects.get(pk=b.person_id).subsidy_months_used == 1
    payout_batch_transition(actor=clerk, batch_id=batch.pk, to=BatchState.SUBMITTED)
    payout_batch_transition(actor=county, batch_id=batch.pk, to=BatchState.APPROVED)
    assert Person.objects.get(pk=b.person_id).subsidy_months_used == 2
    assert batch.lines.filter(counted=False).count() == 0


def test_a_line_changed_behind_the_systems_back_is_found(closed, clerk):
    batch = generate(clerk).batch
    assert lines_tampered(batch.pk) == []
    line = batch.lines.get(row=closed.a)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE payout_payoutline SET account_number = '6222000000000000' WHERE id = %s",
            [line.pk],
        )
    assert lines_tampered(batch.pk) == [line.pk]
    with pytest.raises(DomainError, match="系统外"):
        payout_batch_transition(actor=clerk, batch_id=batch.pk, to=BatchState.SUBMITTED)
    assert PayoutBatch.objects.get(pk=batch.pk).state == BatchState.DRAFT


def test_the_batch_goes_from_draft_to_closed(closed, clerk, county):
    batch = generate(clerk).batch
    for to, actor in (
        (BatchState.SUBMITTED, clerk),
        (BatchState.APPROVED, county),
        (BatchState.FILE_ISSUED, county),
        (BatchState.RETURNED, county),
        (BatchState.CLOSED, county),
    ):
        bank = to in (BatchState.FILE_ISSUED, BatchState.RETURNED)
        batch = payout_batch_transition(actor=actor, batch_id=batch.pk, to=to, by_bank_file=bank)
    assert (batch.state, batch.submitted_by, batch.approved_by) == (
        BatchState.CLOSED,
        clerk,
        county,
    )
    moves = AuditEntry.objects.filter(object_pk=str(batch.pk), action="transition")
    assert [m.changes["state"][1] for m in moves.order_by("seq")] == [
        "submitted",
        "approved",
        "file_issued",
        "returned",
        "closed",
    ]


def test_only_the_bank_files_move_a_batch_to_the_bank_and_back(closed, clerk, county):
    """Issued without a payment file, or returned without the bank's return, a batch would
    stand as paid with nothing paid: those moves are the bank files' services' alone."""
    batch = generate(clerk).batch
    payout_batch_transition(actor=clerk, batch_id=batch.pk, to=BatchState.SUBMITTED)
    payout_batch_transition(actor=county, batch_id=batch.pk, to=BatchState.APPROVED)
    with pytest.raises(DomainError, match="代发文件"):
        payout_batch_transition(actor=county, batch_id=batch.pk, to=BatchState.FILE_ISSUED)
    assert PayoutBatch.objects.get(pk=batch.pk).state == BatchState.APPROVED


def test_refused_moves_say_why_in_chinese(closed, clerk, county):
    batch = generate(clerk).batch
    with pytest.raises(DomainError, match="不能"):
        payout_batch_transition(actor=clerk, batch_id=batch.pk, to=BatchState.APPROVED)
    payout_batch_transition(actor=clerk, batch_id=batch.pk, to=BatchState.SUBMITTED)
    with pytest.raises(DomainError, match="角色"):
        payout_batch_transition(actor=clerk, batch_id=batch.pk, to=BatchState.APPROVED)
    with pytest.raises(DomainError, match="原因"):
        payout_batch_transition(actor=county, batch_id=batch.pk, to=BatchState.DRAFT)
    batch = payout_batch_transition(
        actor=county, batch_id=batch.pk, to=BatchState.DRAFT, reason="3号线账号待核"
    )
    assert (batch.state, batch.returned_reason) == (BatchState.DRAFT, "3号线账号待核")


def test_the_approver_is_never_the_preparer(closed, clerk, county):
    batch = generate(clerk).batch
    payout_batch_transition(actor=clerk, batch_id=batch.pk, to=BatchState.SUBMITTED)
    PayoutBatch.objects.filter(pk=batch.pk).update(created_by=county)
    with pytest.raises(DomainError, match="编制"):
        payout_batch_transition(actor=county, batch_id=batch.pk, to=BatchState.APPROVED)


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_approve_it_once(closed, clerk, county, area):
    batch = generate(clerk).batch
    payout_batch_transition(actor=clerk, batch_id=batch.pk, to=BatchState.SUBMITTED)
    second = UserFactory(role=Role.COUNTY, region=area.county)
    outcomes = []

    def approve(user):
        try:
            payout_batch_transition(actor=user, batch_id=batch.pk, to=BatchState.APPROVED)
            outcomes.append("approved")
        except DomainError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (county, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[0] == "approved"
    assert "已审核" in sorted(outcomes)[1]
    assert AuditEntry.objects.filter(object_pk=str(batch.pk), action="transition").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_townships_batches_are_made_one_at_a_time(closed, clerk):
    """While one of the township's batches is being made (its lock held by another connection),
    making another waits for it: two would read the same corrections not yet carried."""
    held, release, done = threading.Event(), threading.Event(), []

    def other_generation():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtext('payout.generate:' || %s))",
                    [clerk.region.code],
                )
                held.set()
                release.wait(10)
        finally:
            connection.close()

    def this_generation():
        try:
            done.append(generate(clerk).made.lines)
        finally:
            connection.close()

    first = threading.Thread(target=other_generation)
    first.start()
    held.wait(10)
    second = threading.Thread(target=this_generation)
    second.start()
    second.join(0.5)
    waited = second.is_alive() and not done
    release.set()
    first.join()
    second.join()
    assert (waited, done) == (True, [3])


def test_a_held_line_is_released_into_a_later_batch(closed, clerk, county):
    batch = generate(clerk).batch
    line = batch.lines.get(row=closed.a)
    with pytest.raises(DomainError, match="原因"):
        payout_line_hold(actor=clerk, line_id=line.pk, reason=" ")
    payout_line_hold(actor=clerk, line_id=line.pk, reason="比对疑点待核查")
    payout_batch_transition(actor=clerk, batch_id=batch.pk, to=BatchState.SUBMITTED)
    december = payout_batch_open(actor=clerk, month=DEC, kind=BatchKind.URBAN)
    Person.objects.filter(pk=line.person_id).update(account_number="6217000000000001")
    follower = payout_line_release(actor=clerk, line_id=line.pk, batch_id=december.pk)
    line.refresh_from_db()
    assert (line.status, follower.status, follower.follows_id) == (
        LineStatus.RELEASED,
        LineStatus.PENDING,
        line.pk,
    )
    assert (follower.month, follower.amount_fen, follower.account_number) == (
        NOV,
        line.amount_fen,
        "6217000000000001",
    )
    assert lines_tampered(december.pk) == []
    # The held month counts when the later batch that pays it is approved, once.
    payout_batch_transition(actor=county, batch_id=batch.pk, to=BatchState.APPROVED)
    assert Person.objects.get(pk=line.person_id).subsidy_months_used == 0
    payout_batch_transition(actor=clerk, batch_id=december.pk, to=BatchState.SUBMITTED)
    payout_batch_transition(actor=county, batch_id=december.pk, to=BatchState.APPROVED)
    assert Person.objects.get(pk=line.person_id).subsidy_months_used == 1


def test_only_the_township_prepares(closed, users):
    with pytest.raises(PermissionDenied):
        payout_batch_open(actor=users[Role.VILLAGE], month=NOV, kind=BatchKind.URBAN)


def test_generation_is_on_the_audit_trail(closed, clerk):
    batch = generate(clerk).batch
    entry = AuditEntry.objects.filter(object_pk=str(batch.pk), action="update").get()
    assert entry.changes["lines_made"] == [None, 3]
    assert len(entry.changes["lines_digest"][1]) == 64
