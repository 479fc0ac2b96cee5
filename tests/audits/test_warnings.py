"""Warnings (docs/policy.md §8, "Warnings"): what ends within the county's days ahead is listed
once a day, dealt-with ones leave the list, the advance notice is recorded, and every page and
endpoint is scoped."""

import datetime as dt

import pytest
from django.utils import timezone

from audits.models import ExpiryWarning
from audits.warnings.policy import WARNING_DAYS
from audits.warnings.services import warning_notice_record, warnings_refresh
from audits.warnings.tasks import warnings_refresh_all
from gongyi.enums import Role
from gongyi.errors import DomainError
from gongyi.models import AuditEntry
from people.models import Person, Placement
from posts.models import Post
from tests.factories import (
    ExpiryWarningFactory,
    PersonFactory,
    PlacementFactory,
    PolicySettingFactory,
    PostFactory,
)

TODAY = dt.date(2026, 12, 7)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def placed(area, *, rural=False, village=None, **placement):
    """A person on a post of ``village`` (the area's first by default): its one place filled."""
    post = PostFactory(
        village=village or area.village, area_kind="rural" if rural else "urban", headcount=1
    )
    # Far from retirement (the factory's person, a rural woman born 1975, retired in 2025).
    person = PersonFactory(village=post.village, retirement_date=days(5000))
    return PlacementFactory(post=post, person=person, **placement)


def listed(kind=None):
    rows = ExpiryWarning.objects.filter(resolved_on__isnull=True)
    if kind:
        rows = rows.filter(kind=kind)
    return sorted((w.kind, w.placement_id or w.post_id, w.due_on) for w in rows)


@pytest.fixture
def due(area):
    """岱庙街道's people: a subsidy period ending in 30 days and one in 90; an urban worker
    retiring in 10 days; a rural worker passing 65 in 20 days; a post vacant 91 days."""
    soon = placed(area, subsidy_end=days(30))
    later = placed(area, subsidy_end=days(90))
    retiring = placed(area, subsidy_end=days(400))
    Person.objects.filter(pk=retiring.person_id).update(retirement_date=days(10))
    old = placed(area, rural=True, subsidy_end=days(400))
    Person.objects.filter(pk=old.person_id).update(birth_date=dt.date(1960, 12, 27))
    vacant = PostFactory(village=area.village, status="vacant")
    Post.objects.filter(pk=vacant.pk).update(vacant_since=days(-91))
    return {"soon": soon, "later": later, "retiring": retiring, "old": old, "vacant": vacant}


def test_what_ends_within_the_days_ahead_is_listed_once(due, area):
    result = warnings_refresh(county_code=area.county.code, today=TODAY)

    assert listed() == sorted(
        [
            ("subsidy_end", due["soon"].pk, days(30)),
            ("retirement", due["retiring"].pk, days(10)),
            # Rural posts: 65 is the oldest age, so the 66th birthday, 2026-12-27.
            ("age_limit", due["old"].pk, dt.date(2026, 12, 27)),
            # 90 days vacant is the limit: past it yesterday.
            ("post_vacant", due["vacant"].pk, days(-1)),
        ]
    )
    assert (result.listed, result.dealt_with) == (4, 0)
    # Run again (or after a kill): nothing listed twice.
    assert warnings_refresh(county_code=area.county.code, today=TODAY).listed == 0
    assert ExpiryWarning.objects.count() == 4


def test_no_retirement_warning_on_rural_posts_nor_age_limit_on_urban(due, area):
    Person.objects.filter(pk=due["old"].person_id).update(retirement_date=days(5))
    Person.objects.filter(pk=due["retiring"].person_id).update(birth_date=dt.date(1960, 12, 10))
    warnings_refresh(county_code=area.county.code, today=TODAY)
    assert [w[1] for w in listed("retirement")] == [due["retiring"].pk]
    assert [w[1] for w in listed("age_limit")] == [due["old"].pk]


def test_the_county_sets_the_days_ahead(due, area):
    PolicySettingFactory(
        county=area.county, key=WARNING_DAYS, value=100, effective_from=dt.date(2026, 1, 1)
    )
    warnings_refresh(county_code=area.county.code, today=TODAY)
    assert {w[1] for w in listed("subsidy_end")} == {due["soon"].pk, due["later"].pk}


def test_dealt_with_warnings_leave_the_list_and_a_moved_date_is_listed_anew(due, area):
    warnings_refresh(county_code=area.county.code, today=TODAY)
    Placement.objects.filter(pk=due["retiring"].pk).update(end_date=days(-1))
    Placement.objects.filter(pk=due["soon"].pk).update(subsidy_end=days(45))
    Post.objects.filter(pk=due["vacant"].pk).update(status="filled", vacant_since=None)

    result = warnings_refresh(county_code=area.county.code, today=TODAY)

    assert result.dealt_with == 3
    assert listed() == sorted(
        [
            ("subsidy_end", due["soon"].pk, days(45)),
            ("age_limit", due["old"].pk, dt.date(2026, 12, 27)),
        ]
    )
    # Kept on record, dated.
    old = ExpiryWarning.objects.get(kind="subsidy_end", due_on=days(30))
    assert old.resolved_on == TODAY


def test_an_overdue_warning_stays_until_the_person_leaves(due, area):
    warnings_refresh(county_code=area.county.code, today=TODAY)
    later = TODAY + dt.timedelta(days=40)
    warnings_refresh(county_code=area.county.code, today=later)
    overdue = ExpiryWarning.objects.get(kind="subsidy_end", due_on=days(30))
    assert overdue.resolved_on is None and overdue.due_on < later


def test_each_county_is_its_own(due, area):
    from gongyi.models import Region

    other = PlacementFactory(
        post=PostFactory(township=Region.objects.get(code="370406106"), headcount=1),
        subsidy_end=days(20),
    )
    warnings_refresh(county_code=area.county.code, today=TODAY)
    assert not ExpiryWarning.objects.filter(placement=other).exists()
    warnings_refresh_all()
    assert ExpiryWarning.objects.filter(placement=other, kind="subsidy_end").exists()


def test_the_daily_job_is_in_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "audits.warnings.tasks.warnings_refresh_all" in tasks


def test_the_notice_is_recorded_once_on_the_audit_trail(users, area):
    warning = ExpiryWarningFactory(placement=placed(area, subsidy_end=days(30)))
    clerk = users[Role.CLERK]
    warning = warning_notice_record(actor=clerk, warning_id=warning.pk)
    assert (warning.notified_on, warning.notified_by) == (timezone.localdate(), clerk)
    again = warning_notice_record(actor=clerk, warning_id=warning.pk)
    assert again.notified_on == warning.notified_on
    assert AuditEntry.objects.filter(object_pk=str(warning.pk), action="update").count() == 1


def test_a_notice_is_for_a_person_in_the_clerks_area(users, area):
    post = PostFactory(village=area.village)
    vacancy = ExpiryWarningFactory(
        kind="post_vacant",
        placement=None,
        person=None,
        post=post,
        region_code=post.region_code,
        due_on=days(-1),
    )
    with pytest.raises(DomainError, match="个人"):
        warning_notice_record(actor=users[Role.CLERK], warning_id=vacancy.pk)
    far = ExpiryWarningFactory(placement=placed(area, village=area.far_village))
    with pytest.raises(DomainError, match="范围"):
        warning_notice_record(actor=users[Role.CLERK], warning_id=far.pk)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        warning_notice_record(actor=users[Role.COUNTY], warning_id=vacancy.pk)


def test_a_warning_due_again_after_it_was_dealt_with_is_listed_again(due, area):
    """A date moved and moved back (or a setting changed and changed back): the warning is
    listed again, the same row (``warning_once``)."""
    warnings_refresh(county_code=area.county.code, today=TODAY)
    Placement.objects.filter(pk=due["soon"].pk).update(subsidy_end=days(45))
    warnings_refresh(county_code=area.county.code, today=TODAY)
    Placement.objects.filter(pk=due["soon"].pk).update(subsidy_end=days(30))
    warnings_refresh(county_code=area.county.code, today=TODAY)
    assert [w[2] for w in listed("subsidy_end")] == [days(30)]
    assert ExpiryWarning.objects.filter(placement=due["soon"]).count() == 2


def test_a_persons_warning_links_to_the_exit_it_calls_for(users, area, login):
    """The township's list proposes the exit: its kind and its last day."""
    from django.urls import reverse

    placement = placed(area, subsidy_end=days(20))
    ExpiryWarningFactory(placement=placement)
    page = login(users[Role.CLERK]).get(reverse("warning-list")).content.decode()
    link = reverse("exit-create", args=[placement.pk])
    assert f"{link}?effective_date={days(20):%Y-%m-%d}&amp;kind=term_end" in page
    form = login(users[Role.CLERK]).get(f"{link}?effective_date=2026-12-27&kind=term_end")
    assert 'value="2026-12-27"' in form.content.decode()
    assert 'value="term_end" selected' in form.content.decode()
