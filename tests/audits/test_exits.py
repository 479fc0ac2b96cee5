"""Exits (docs/policy.md §8, "Exits and recovery"): the placement ends, the place is freed, the
attendance and the payout stop after the last day, the notice prints, the trace report shows it;
and what is refused."""

import datetime as dt

import pytest
from django.urls import reverse

from audits.exits.enums import ExitKind
from audits.exits.services import exit_record
from audits.models import Exit
from gongyi.enums import Role
from gongyi.errors import DomainError
from people.models import Placement
from posts.enums import PostStatus
from subsidies.attendance.models import AttendanceMonth
from subsidies.payout.enums import LineStatus
from subsidies.payout.models import PayoutLine
from tests.audits.conftest import DEC, OCT, TODAY
from tests.factories import PlacementFactory, PostFactory

pytestmark = pytest.mark.django_db


def _record(actor, placement, **kw):
    args = {
        "kind": ExitKind.FINDING,
        "effective_date": dt.date(2026, 10, 14),
        "reason": "比对发现在企业参保",
        "decided_by": "岱庙街道办事处",
        "decided_on": dt.date(2026, 12, 1),
        "today": TODAY,
    } | kw
    return exit_record(actor=actor, placement_id=placement.pk, **args)


def test_exit_ends_the_placement_frees_the_place_and_stops_the_payout(paid, clerk):
    assert paid.post.status == PostStatus.FILLED
    exit_ = _record(clerk, paid.placement)
    placement = Placement.objects.get(pk=paid.placement.pk)
    post = type(paid.post).objects.get(pk=paid.post.pk)
    dec = PayoutLine.objects.get(pk=paid.lines[DEC].pk)
    assert (placement.end_date, post.occupied, post.status, post.vacant_since) == (
        dt.date(2026, 10, 14),
        0,
        PostStatus.VACANT,
        dt.date(2026, 10, 15),
    )
    # December's line, still being prepared, is held; the months paid stay paid.
    assert (dec.status, exit_.lines_held) == (LineStatus.HELD, [dec.pk])
    assert "2026-10-14" in dec.held_reason
    assert PayoutLine.objects.get(pk=paid.lines[OCT].pk).status == LineStatus.PAID
    # January's open month is taken off; December's (a line refers to it) keeps no day planned.
    assert not AttendanceMonth.objects.filter(pk=paid.january_row.pk).exists()
    assert set(AttendanceMonth.objects.get(pk=paid.december_row.pk).planned) == {0}
    assert exit_.months_removed == 1
    assert exit_.recover_from == dt.date(2026, 10, 15)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"effective_date": dt.date(2026, 3, 31)}, "2026-04-01"),
        ({"effective_date": dt.date(2026, 12, 8)}, "不能提前"),
        ({"kind": ExitKind.TERM_END}, "2029-03-31"),
        ({"kind": ExitKind.RETIREMENT}, "法定退休"),
        ({"kind": ExitKind.ABSENCE}, "缺勤"),
        ({"kind": ExitKind.FAILED_ASSESSMENT}, "不合格"),
        ({"reason": " "}, "退出原因"),
        ({"decided_by": ""}, "决定机关"),
        ({"kind": "fired"}, "退出类型"),
    ],
)
def test_exit_refusals_change_nothing(paid, clerk, changes, message):
    with pytest.raises(DomainError) as refused:
        _record(clerk, paid.placement, **changes)
    assert message in refused.value.message
    assert Placement.objects.get(pk=paid.placement.pk).end_date is None
    assert PayoutLine.objects.get(pk=paid.lines[DEC].pk).status == LineStatus.PENDING
    assert not Exit.objects.exists()


def test_exit_of_an_ended_placement_is_refused(paid, clerk):
    _record(clerk, paid.placement)
    with pytest.raises(DomainError, match="已于"):
        _record(clerk, paid.placement)


def test_natural_exit_at_the_end_of_the_term(area, clerk):
    placement = PlacementFactory(
        post=PostFactory(village=area.village),
        person__village=area.village,
        start_date=dt.date(2023, 12, 1),
    )
    exit_ = _record(clerk, placement, kind=ExitKind.TERM_END, effective_date=dt.date(2026, 11, 30))
    assert (exit_.recover_from, getattr(exit_, "debt", None)) == (dt.date(2026, 12, 1), None)


def test_exit_outside_the_area_is_refused(area, users):
    placement = PlacementFactory(
        post=PostFactory(village=area.far_village), person__village=area.far_village
    )
    with pytest.raises(DomainError, match="不在您的管辖范围"):
        _record(users[Role.CLERK], placement)


def test_exit_form_records_and_redirects(paid, clerk, login):
    client = login(clerk)
    url = reverse("exit-create", args=[paid.placement.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": ExitKind.OWN_CHOICE,
            "effective_date": "2026-11-30",
            "reason": "本人申请退出",
            "decided_by": "岱庙街道办事处",
            "decided_on": "2026-11-30",
        },
    )
    exit_ = Exit.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("exit-detail", args=[exit_.pk])
    # The form again: the placement is no longer on a post (404).
    assert client.get(url).status_code == 404
    assert client.get(reverse("exit-detail", args=[exit_.pk])).status_code == 200


def test_exit_form_refusal_shows_the_message(paid, clerk, login):
    response = login(clerk).post(
        reverse("exit-create", args=[paid.placement.pk]),
        {
            "kind": ExitKind.OWN_CHOICE,
            "effective_date": "2026-01-01",
            "reason": "x",
            "decided_by": "x",
            "decided_on": "2026-11-30",
        },
    )
    assert response.status_code == 200
    assert not Exit.objects.exists()


def test_exit_form_is_the_townships(paid, users, login):
    url = reverse("exit-create", args=[paid.placement.pk])
    assert login(users[Role.COUNTY]).get(url).status_code == 403


def test_notice_and_trace_report_show_the_exit(paid, clerk, login):
    exit_ = _record(clerk, paid.placement)
    client = login(clerk)
    notice = client.get(reverse("exit-notice", args=[exit_.pk]))
    assert notice.status_code == 200
    assert paid.placement.person.name in notice.content.decode()
    trace = client.get(reverse("person-trace", args=[paid.placement.person_id]))
    assert reverse("exit-detail", args=[exit_.pk]) in trace.content.decode()


def test_no_line_is_made_for_a_month_after_the_placement_ended(paid, clerk):
    """The generation's rule (``GENERATE_SQL``): a closed month that begins after the end."""
    from subsidies.payout import generation
    from subsidies.payout.services.batches import settings_for

    _record(clerk, paid.placement, kind=ExitKind.OWN_CHOICE, effective_date=dt.date(2026, 11, 30))
    batch = paid.lines[DEC].batch
    PayoutLine.objects.filter(pk=paid.lines[DEC].pk).update(status=LineStatus.RELEASED)
    made = generation.lines_insert(
        batch_id=batch.pk,
        prefix=batch.region_code,
        month=DEC,
        last=dt.date(2026, 12, 31),
        kind=batch.kind,
        settings=settings_for(batch),
    )
    assert made.lines == 0


def test_exit_inside_an_open_month_plans_it_to_the_last_day(area, clerk):
    """December 2026 is open: the exit with the 4th (a Friday) as the last day keeps the 1st–4th
    planned, and the marks after it are cleared."""
    from tests.factories.attendance import AttendanceMonthFactory

    placement = PlacementFactory(
        post=PostFactory(village=area.village), person__village=area.village
    )
    row = AttendanceMonthFactory(placement=placement, month=DEC)
    AttendanceMonth.objects.filter(pk=row.pk).update(marks=[0] * 7 + [None] * 24)
    _record(clerk, placement, kind=ExitKind.OWN_CHOICE, effective_date=dt.date(2026, 12, 4))
    row.refresh_from_db()
    planned_days = [i + 1 for i, p in enumerate(row.planned) if p > 0]
    assert (planned_days, row.marks[:7], row.full_days) == (
        [1, 2, 3, 4],
        [0, 0, 0, 0, None, None, None],
        23,
    )


def test_exit_and_debt_lists_query_count_does_not_grow(
    paid, clerk, login, area, django_assert_max_num_queries
):
    from tests.factories.audits import DebtFactory

    _record(clerk, paid.placement)
    client = login(clerk)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("exit-list"))
        client.get(reverse("debt-list"))
    for _ in range(5):
        DebtFactory(
            exit__placement__post__village=area.village,
            exit__placement__person__village=area.village,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("exit-list"))
        client.get(reverse("debt-list"))


def test_home_shows_the_debts_waiting(paid, clerk, login):
    _record(clerk, paid.placement)
    page = login(clerk).get(reverse("home")).content.decode()
    assert reverse("debt-list") + "?state=open" in page
