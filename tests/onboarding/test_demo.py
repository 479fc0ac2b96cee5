"""seed_demo's onboarding step: a round in each demo township with applications at every state,
made through the real services, and re-running changes nothing (issue 5 part 12)."""

import io

import pytest
from django.core.management import call_command

from gongyi.models import AuditEntry
from people.onboarding.enums import ApplicationState as S
from people.onboarding.enums import ObjectionStatus
from people.onboarding.models import Application, Objection, StepRecord

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", people=600, stdout=out)
    return out.getvalue()


def test_the_demo_has_applications_at_every_state_and_each_role_has_work():
    seed()
    states = set(Application.objects.values_list("state", flat=True))
    assert states == set(S)
    assert Objection.objects.filter(status=ObjectionStatus.OPEN).exists()
    # Every application's way is on record, step by step and in the audit trail.
    assert not Application.objects.exclude(
        pk__in=StepRecord.objects.values("application_id")
    ).exists()
    assert AuditEntry.objects.filter(object_type="onboarding.application").count() >= (
        Application.objects.count()
    )


def test_re_running_the_demo_adds_nothing():
    seed()
    before = (Application.objects.count(), StepRecord.objects.count())
    seed()
    assert (Application.objects.count(), StepRecord.objects.count()) == before
