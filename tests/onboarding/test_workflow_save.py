"""How ``application_transition`` writes many applications at once: equal values in one UPDATE
per set of values, values that differ row by row from a list (``workflow.save._save``)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from people.onboarding.enums import ApplicationState as S
from people.onboarding.models import Application, StepRecord
from people.onboarding.workflow import application_transition
from people.onboarding.workflow.save import FEW_VALUE_SETS
from tests.onboarding.queue_data import make_queue_rows

pytestmark = pytest.mark.django_db


def updates(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "onboarding_application"')]


def test_bulk_approval_is_one_update(area, clerk, approver):
    """The clerk enters them (``make_queue_rows``), another county user approves."""
    rows = make_queue_rows(30, mix={S.PUBLICITY: 1}, actor=approver, villages=[area.village])
    ids = list(
        Application.objects.filter(pk__in=rows.application_ids, objections__isnull=True)
        .exclude(person__declarations__status="declared")
        .values_list("pk", flat=True)
    )
    with CaptureQueriesContext(connection) as queries:
        application_transition(actor=approver, applications=ids, to=S.APPROVED)
    assert len(updates(queries)) == 1
    apps = Application.objects.filter(pk__in=ids)
    assert {a.state for a in apps} == {S.APPROVED}
    assert len({a.state_changed_at for a in apps}) == 1
    assert StepRecord.objects.filter(application__in=ids, to_state=S.APPROVED).count() == len(ids)


def test_values_that_differ_per_application_are_written_from_one_list(area, clerk, approver):
    n = FEW_VALUE_SETS + 5
    rows = make_queue_rows(n, mix={S.APPROVED: 1}, actor=approver, villages=[area.village])
    today = timezone.localdate()
    ids = rows.application_ids
    terms = {
        pk: {
            "signed_on": today,
            "term_start": today,
            "term_end": today + dt.timedelta(days=300 + i),
            "agreement_number": f"XY-{i:03d}",
        }
        for i, pk in enumerate(ids)
    }
    with CaptureQueriesContext(connection) as queries:
        application_transition(actor=clerk, applications=ids, to=S.AGREED, per_application=terms)
    assert len(updates(queries)) == 1
    assert "FROM (VALUES" in updates(queries)[0]
    for app in Application.objects.filter(pk__in=ids):
        term = terms[app.pk]
        assert (app.state, app.agreement_kind) == (S.AGREED, "service_agreement")
        assert (app.agreement_number, app.term_end) == (term["agreement_number"], term["term_end"])
        assert (app.signed_on, app.term_start) == (today, today)
