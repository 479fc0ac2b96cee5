"""seed_demo's onboarding step: a round in each township of the 2022 plan with
applications at every state, made through the real services, work waiting for every demo user,
and re-running changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from gongyi.enums import Role
from gongyi.models import AuditEntry, User
from gongyi.scoping import scope_queryset
from people.onboarding.enums import ApplicationState as S
from people.onboarding.enums import ObjectionStatus
from people.onboarding.models import Application, Objection, Round, StepRecord

pytestmark = pytest.mark.django_db

#: Fewer people than the demo's 2,000 keep the test quick; every village still has enough.
PEOPLE = 1000


@pytest.fixture
def seeded():
    out = io.StringIO()
    call_command("seed_demo", people=PEOPLE, stdout=out)
    return out.getvalue()


def in_area(user, **filters):
    return scope_queryset(user, Application.objects.all()).filter(**filters)


def check_every_state() -> None:
    counts = dict(Application.objects.values_list("state").annotate(n=Count("pk")))
    assert set(counts) == set(S)
    assert Round.objects.filter(status="published").count() == 7
    today = timezone.localdate()
    in_publicity = Application.objects.filter(state=S.PUBLICITY)
    assert in_publicity.filter(publicity__ends_on__lt=today).exists()
    assert in_publicity.filter(publicity__ends_on__gte=today).exists()
    assert Objection.objects.filter(status=ObjectionStatus.OPEN, application__state=S.PUBLICITY)
    rejected_at = set(
        Application.objects.filter(state=S.REJECTED).values_list("rejected_state", flat=True)
    )
    assert rejected_at == {S.APPLIED, S.INITIAL_PASSED, S.REVIEWED, S.PUBLICITY}


def check_records() -> None:
    """Every step of every application is a step record and an audit entry (no shortcut)."""
    records = StepRecord.objects.filter(kind="transition")
    for app in Application.objects.all():
        assert app.state == records.filter(application=app).order_by("at", "pk").last().to_state
    moves = records.count()
    assert AuditEntry.objects.filter(object_type="onboarding.application").count() == moves


def check_work_waiting() -> None:
    today = timezone.localdate()
    for user in User.objects.filter(role=Role.CLERK):
        for state in (S.APPLIED, S.REREVIEW_PASSED, S.APPROVED, S.AGREED, S.TRAINED):
            assert in_area(user, state=state).exists(), (user.username, state)
        assert in_area(user, objections__status=ObjectionStatus.OPEN).exists(), user.username
    for user in User.objects.filter(role=Role.VILLAGE):
        assert in_area(user, state=S.INITIAL_PASSED).exists(), user.username
    for user in User.objects.filter(role=Role.REVIEWER):
        waiting = in_area(user, state=S.REVIEWED).exclude(opinions__department=user.department)
        assert waiting.exists(), user.username
    county = User.objects.get(username="county")
    ready = in_area(county, state=S.REVIEWED).annotate(n=Count("opinions")).filter(n=5)
    assert ready.exists()
    assert in_area(county, state=S.PUBLICITY, publicity__ends_on__lt=today).exists()


def test_demo_has_every_state_with_its_records_and_work_for_every_user(seeded):
    # One seeding for the three checks: it is the slow part.
    check_every_state()
    check_records()
    check_work_waiting()


def test_seeding_again_adds_nothing(seeded):
    before = [m.objects.count() for m in (Round, Application, StepRecord, AuditEntry)]
    out = io.StringIO()
    call_command("seed_demo", people=PEOPLE, stdout=out)
    assert [m.objects.count() for m in (Round, Application, StepRecord, AuditEntry)] == before
